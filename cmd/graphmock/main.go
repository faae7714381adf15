// Command graphmock serves a stateful Microsoft Graph-compatible directory for tests.
//
// Usage:
//
//	graphmock [flags]          serve (default: the embedded default tenant on http://127.0.0.1:8080;
//	                           with --tls also on https://127.0.0.1:8443)
//	graphmock healthcheck [flags]  exit 0 when the server at --listen (or, with --listen none,
//	                               --tls-listen) answers /_graphmock/healthz; the reason on stderr otherwise
//
// Every flag has a GRAPHMOCK_* environment equivalent; a flag given on the command line wins.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/graphmock/graphmock/graphmock"
)

// config is what flags and environment decide.
type config struct {
	listen          string
	seed            string
	empty           bool
	logLevel        string
	logFormat       string
	idSeed          string
	processing      string
	processingDelay time.Duration
	journal         int
	throttle        *graphmock.ThrottleConfig
	replDelay       time.Duration

	tls       bool
	tlsListen string
	tlsCert   string
	tlsKey    string
	tlsHosts  string
	caOut     string
	auth      string
}

// parseConfig reads flags (args without the program name) over GRAPHMOCK_* environment values.
// It has no side effects besides writing usage to out on -h.
func parseConfig(args []string, env func(string) string, out io.Writer) (config, error) {
	def := envOr(env)
	fs := flag.NewFlagSet("graphmock", flag.ContinueOnError)
	fs.SetOutput(out)
	var c config
	fs.StringVar(&c.listen, "listen", def("GRAPHMOCK_LISTEN", "127.0.0.1:8080"), "http address to listen on; \"none\" serves no plain http (GRAPHMOCK_LISTEN)")
	fs.StringVar(&c.seed, "seed", def("GRAPHMOCK_SEED", ""), "tenant fixture JSON file to load instead of the embedded default tenant (GRAPHMOCK_SEED)")
	fs.BoolVar(&c.empty, "empty", def("GRAPHMOCK_EMPTY", "") == "true", "start with only the organization and its subscribed SKUs (GRAPHMOCK_EMPTY=true)")
	fs.StringVar(&c.logLevel, "log-level", def("GRAPHMOCK_LOG_LEVEL", "info"), "debug, info, warn or error (GRAPHMOCK_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", def("GRAPHMOCK_LOG_FORMAT", "text"), "text or json (GRAPHMOCK_LOG_FORMAT)")
	fs.StringVar(&c.idSeed, "id-seed", def("GRAPHMOCK_ID_SEED", ""), "make new object ids a reproducible sequence from this seed (GRAPHMOCK_ID_SEED)")
	fs.StringVar(&c.processing, "processing", def("GRAPHMOCK_PROCESSING", "async"), "when background work such as group license processing is applied: async, manual or immediate (GRAPHMOCK_PROCESSING)")
	delay, err := time.ParseDuration(def("GRAPHMOCK_PROCESSING_DELAY", "0s"))
	if err != nil || delay < 0 {
		return c, fmt.Errorf("GRAPHMOCK_PROCESSING_DELAY %q: use a duration such as 250ms", env("GRAPHMOCK_PROCESSING_DELAY"))
	}
	fs.DurationVar(&c.processingDelay, "processing-delay", delay, "how long async work stays queued and then in progress, e.g. 2s (GRAPHMOCK_PROCESSING_DELAY)")
	journal, err := strconv.Atoi(def("GRAPHMOCK_JOURNAL_LIMIT", "0"))
	if err != nil {
		return c, fmt.Errorf("GRAPHMOCK_JOURNAL_LIMIT %q: not a number", env("GRAPHMOCK_JOURNAL_LIMIT"))
	}
	fs.IntVar(&c.journal, "journal-limit", journal, "Graph requests each tenant's journal keeps; 0 = 1000, negative = off (GRAPHMOCK_JOURNAL_LIMIT)")
	throttle := fs.String("throttle", def("GRAPHMOCK_THROTTLE", ""), "throttle like Graph's identity limits: off, on (3500 units/10s, 3000 writes/2m30s) or read=N/DURATION,write=N/DURATION (GRAPHMOCK_THROTTLE)")
	replDelay := fs.String("replication-delay", def("GRAPHMOCK_REPLICATION_DELAY", "0s"), "new users and groups answer 404 for this long on the engine clock, e.g. 5s; 0s = off (GRAPHMOCK_REPLICATION_DELAY)")
	fs.BoolVar(&c.tls, "tls", def("GRAPHMOCK_TLS", "") == "true", "also serve https on --tls-listen with a generated (or --tls-cert) certificate (GRAPHMOCK_TLS=true)")
	fs.StringVar(&c.tlsListen, "tls-listen", def("GRAPHMOCK_TLS_LISTEN", "127.0.0.1:8443"), "https address when --tls is on (GRAPHMOCK_TLS_LISTEN)")
	fs.StringVar(&c.tlsCert, "tls-cert", def("GRAPHMOCK_TLS_CERT", ""), "PEM certificate chain to serve instead of a generated one (GRAPHMOCK_TLS_CERT)")
	fs.StringVar(&c.tlsKey, "tls-key", def("GRAPHMOCK_TLS_KEY", ""), "PEM private key of --tls-cert (GRAPHMOCK_TLS_KEY)")
	fs.StringVar(&c.tlsHosts, "tls-hosts", def("GRAPHMOCK_TLS_HOSTS", ""), "comma-separated extra DNS names or IPs for the generated certificate, besides localhost, 127.0.0.1 and ::1 (GRAPHMOCK_TLS_HOSTS)")
	fs.StringVar(&c.caOut, "ca-out", def("GRAPHMOCK_CA_OUT", ""), "write the CA certificate (PEM) to this file at start (GRAPHMOCK_CA_OUT)")
	fs.StringVar(&c.auth, "auth", def("GRAPHMOCK_AUTH", "off"), "access-token policy of Graph routes: off (any or no token) or on (valid token with the operation's permissions) (GRAPHMOCK_AUTH)")
	fs.Usage = func() {
		fmt.Fprintf(out, "graphmock serves a stateful Microsoft Graph-compatible directory for tests.\n\nUsage:\n  graphmock [flags]\n  graphmock healthcheck [--listen ADDR | --listen none --tls-listen ADDR]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch c.processing {
	case "async", "manual", "immediate":
	default:
		return c, fmt.Errorf("processing %q: use async, manual or immediate", c.processing)
	}
	if c.processingDelay < 0 {
		return c, fmt.Errorf("processing delay %s: must not be negative", c.processingDelay)
	}
	t, err := graphmock.ParseThrottle(*throttle)
	if err != nil {
		return c, err
	}
	c.throttle = t
	d, err := time.ParseDuration(*replDelay)
	if err != nil || d < 0 {
		return c, fmt.Errorf("replication delay %q: use a duration such as 5s", *replDelay)
	}
	c.replDelay = d
	if _, err := graphmock.ParseAuthMode(c.auth); err != nil {
		return c, err
	}
	if (c.tlsCert != "" || c.tlsKey != "" || c.caOut != "") && !c.tls {
		return c, errors.New("--tls-cert, --tls-key and --ca-out need --tls")
	}
	if !c.tls && c.listen == "none" {
		return c, errors.New("--listen none needs --tls: nothing would be served")
	}
	return c, nil
}

func newLogger(c config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: use debug, info, warn or error", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(c.logFormat) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: use text or json", c.logFormat)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck(os.Args[2:], os.Getenv, os.Stderr))
	}
	c, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "graphmock:", err)
		os.Exit(2)
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, errorLine(err))
		os.Exit(1)
	}
}

// errorLine is the message main prints for err: prefixed "graphmock: " once, whether or not
// the library's error already says it.
func errorLine(err error) string {
	return "graphmock: " + strings.TrimPrefix(err.Error(), "graphmock: ")
}

func run(c config) error {
	logger, err := newLogger(c, os.Stderr)
	if err != nil {
		return err
	}
	opts, err := c.options(logger)
	if err != nil {
		return err
	}
	srv, err := graphmock.New(opts)
	if err != nil {
		return err
	}
	var servers []*http.Server
	errc := make(chan error, 2)
	serve := func(addr string, tlsOn bool) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10}
		scheme := "http"
		if tlsOn {
			hs.TLSConfig = srv.TLSConfig()
			ln = tls.NewListener(ln, hs.TLSConfig)
			scheme = "https"
		}
		servers = append(servers, hs)
		go func() { errc <- hs.Serve(ln) }()
		logger.Info("graphmock listening", slog.String("url", scheme+"://"+ln.Addr().String()+"/v1.0"),
			slog.String("tenant", srv.TenantID()), slog.String("auth", string(opts.Auth)))
		return nil
	}
	if c.listen != "none" {
		if err := serve(c.listen, false); err != nil {
			return err
		}
	}
	if c.tls {
		if err := serve(c.tlsListen, true); err != nil {
			return err
		}
		if c.caOut != "" {
			logger.Info("CA certificate written", slog.String("path", c.caOut))
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var firstErr error
	for _, hs := range servers {
		if err := hs.Shutdown(sctx); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// options turns the configuration into graphmock.Options.
func (c config) options(logger *slog.Logger) (graphmock.Options, error) {
	mode, err := graphmock.ParseAuthMode(c.auth)
	if err != nil {
		return graphmock.Options{}, err
	}
	opts := graphmock.Options{SeedFile: c.seed, Empty: c.empty, Logger: logger, DeterministicIDs: c.idSeed, Auth: mode,
		ProcessingMode: c.processing, ProcessingDelay: c.processingDelay, JournalLimit: c.journal,
		Throttle: c.throttle, ReplicationDelay: c.replDelay}
	if c.tls {
		t := &graphmock.TLSOptions{CertFile: c.tlsCert, KeyFile: c.tlsKey, CAOut: c.caOut}
		for _, h := range strings.Split(c.tlsHosts, ",") {
			if h = strings.TrimSpace(h); h != "" {
				t.Hosts = append(t.Hosts, h)
			}
		}
		opts.TLS = t
	}
	return opts, nil
}

// healthcheck asks the local server for /_graphmock/healthz; 0 when it answers 200, else 1.
// A listen address on 0.0.0.0 or [::] is asked on loopback. With GRAPHMOCK_LISTEN=none it asks
// the https address (GRAPHMOCK_TLS_LISTEN), trusting only loopback's own certificate.
func healthcheck(args []string, env func(string) string, stderr io.Writer) int {
	def := envOr(env)
	fs := flag.NewFlagSet("graphmock healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", def("GRAPHMOCK_LISTEN", "127.0.0.1:8080"), "the server's http address; \"none\" probes --tls-listen (GRAPHMOCK_LISTEN)")
	tlsListen := fs.String("tls-listen", def("GRAPHMOCK_TLS_LISTEN", "127.0.0.1:8443"), "the server's https address (GRAPHMOCK_TLS_LISTEN)")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "graphmock healthcheck: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	addr, scheme := *listen, "http"
	client := &http.Client{Timeout: 3 * time.Second}
	if addr == "none" {
		addr, scheme = *tlsListen, "https"
		// The probe dials the server's own address: its certificate is not checked.
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintln(stderr, "graphmock healthcheck:", err)
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	url := scheme + "://" + net.JoinHostPort(host, port) + "/_graphmock/healthz"
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintln(stderr, "graphmock healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "graphmock healthcheck: GET %s: %s\n", url, resp.Status)
		return 1
	}
	return 0
}

// envOr returns a lookup of environment variable name that falls back to a default when unset or
// empty: the flags' defaults come from GRAPHMOCK_* variables.
func envOr(env func(string) string) func(name, fallback string) string {
	return func(name, fallback string) string {
		if v := env(name); v != "" {
			return v
		}
		return fallback
	}
}
