// Command graphmock serves a stateful Microsoft Graph-compatible directory for tests.
//
// Usage:
//
//	graphmock [flags]          serve (default: the embedded default tenant on 127.0.0.1:8080)
//	graphmock healthcheck      exit 0 when the server at GRAPHMOCK_LISTEN answers /_graphmock/healthz
//
// Every flag has a GRAPHMOCK_* environment equivalent; a flag given on the command line wins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
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
}

// parseConfig reads flags (args without the program name) over GRAPHMOCK_* environment values.
// It has no side effects besides writing usage to out on -h.
func parseConfig(args []string, env func(string) string, out io.Writer) (config, error) {
	def := func(name, fallback string) string {
		if v := env(name); v != "" {
			return v
		}
		return fallback
	}
	fs := flag.NewFlagSet("graphmock", flag.ContinueOnError)
	fs.SetOutput(out)
	var c config
	fs.StringVar(&c.listen, "listen", def("GRAPHMOCK_LISTEN", "127.0.0.1:8080"), "address to listen on (GRAPHMOCK_LISTEN)")
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
	fs.Usage = func() {
		fmt.Fprintf(out, "graphmock serves a stateful Microsoft Graph-compatible directory for tests.\n\nUsage:\n  graphmock [flags]\n  graphmock healthcheck\n\nFlags:\n")
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
		os.Exit(healthcheck(os.Getenv))
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
		fmt.Fprintln(os.Stderr, "graphmock:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	logger, err := newLogger(c, os.Stderr)
	if err != nil {
		return err
	}
	srv, err := graphmock.New(graphmock.Options{SeedFile: c.seed, Empty: c.empty, Logger: logger, DeterministicIDs: c.idSeed,
		ProcessingMode: c.processing, ProcessingDelay: c.processingDelay})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	logger.Info("graphmock listening", slog.String("url", "http://"+ln.Addr().String()+"/v1.0"), slog.String("tenant", srv.TenantID()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}

// healthcheck asks the local server for /_graphmock/healthz; 0 when it answers 200, else 1.
// A listen address on 0.0.0.0 or [::] is asked on loopback.
func healthcheck(env func(string) string) int {
	addr := env("GRAPHMOCK_LISTEN")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/_graphmock/healthz")
	if err != nil {
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
