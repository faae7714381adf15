package main

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/graphmock"
)

func TestParseConfigTLSAndAuth(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr bool
		check   func(t *testing.T, c config, o graphmock.Options)
	}{
		{name: "defaults", check: func(t *testing.T, c config, o graphmock.Options) {
			if c.tls || o.TLS != nil || o.Auth != graphmock.AuthOff || c.listen != "127.0.0.1:8080" || c.tlsListen != "127.0.0.1:8443" {
				t.Errorf("%+v %+v", c, o)
			}
		}},
		{name: "flags", args: []string{"--tls", "--tls-listen", "127.0.0.1:9443", "--ca-out", "/tmp/ca.pem", "--tls-hosts", "graphmock, 10.0.0.5", "--auth", "on", "--listen", "none"},
			check: func(t *testing.T, c config, o graphmock.Options) {
				if o.TLS == nil || o.TLS.CAOut != "/tmp/ca.pem" || len(o.TLS.Hosts) != 2 || o.TLS.Hosts[1] != "10.0.0.5" || o.Auth != graphmock.AuthOn || c.tlsListen != "127.0.0.1:9443" {
					t.Errorf("%+v %+v", c, o.TLS)
				}
			}},
		{name: "environment", env: map[string]string{"GRAPHMOCK_TLS": "true", "GRAPHMOCK_AUTH": "on", "GRAPHMOCK_TLS_CERT": "c.pem", "GRAPHMOCK_TLS_KEY": "k.pem"},
			check: func(t *testing.T, c config, o graphmock.Options) {
				if o.TLS == nil || o.TLS.CertFile != "c.pem" || o.TLS.KeyFile != "k.pem" || o.Auth != graphmock.AuthOn {
					t.Errorf("%+v", o)
				}
			}},
		{name: "flag beats environment", args: []string{"--auth", "off"}, env: map[string]string{"GRAPHMOCK_AUTH": "on"},
			check: func(t *testing.T, c config, o graphmock.Options) {
				if o.Auth != graphmock.AuthOff {
					t.Errorf("auth %q", o.Auth)
				}
			}},
		{name: "bad auth", args: []string{"--auth", "sometimes"}, wantErr: true},
		{name: "cert without tls", args: []string{"--tls-cert", "c.pem"}, wantErr: true},
		{name: "nothing served", args: []string{"--listen", "none"}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(tc.args, env(tc.env), io.Discard)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			o, err := c.options(nil)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c, o)
		})
	}
}

func TestParseConfigProcessing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		mode    string
		delay   time.Duration
		wantErr bool
	}{
		{name: "defaults", mode: "async"},
		{name: "flags", args: []string{"--processing", "manual", "--processing-delay", "2s"}, mode: "manual", delay: 2 * time.Second},
		{name: "environment", env: map[string]string{"GRAPHMOCK_PROCESSING": "immediate", "GRAPHMOCK_PROCESSING_DELAY": "250ms"}, mode: "immediate", delay: 250 * time.Millisecond},
		{name: "flag wins", args: []string{"--processing", "async"}, env: map[string]string{"GRAPHMOCK_PROCESSING": "manual"}, mode: "async"},
		{name: "bad mode", args: []string{"--processing", "later"}, wantErr: true},
		{name: "bad delay", env: map[string]string{"GRAPHMOCK_PROCESSING_DELAY": "soon"}, wantErr: true},
		{name: "negative delay", args: []string{"--processing-delay", "-1s"}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("no error for %v %v", tc.args, tc.env)
				}
				return
			}
			if err != nil || c.processing != tc.mode || c.processingDelay != tc.delay {
				t.Fatalf("config = %q %s, err %v", c.processing, c.processingDelay, err)
			}
		})
	}
}

func TestErrorLineNamesGraphmockOnce(t *testing.T) {
	for _, err := range []error{errors.New("graphmock: seed file: open x: no such file"), errors.New("seed file: open x: no such file")} {
		if got := errorLine(err); got != "graphmock: seed file: open x: no such file" {
			t.Errorf("errorLine(%q) = %q", err, got)
		}
	}
}

func TestHealthcheckTakesListenFlag(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_graphmock/healthz" {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	noEnv := func(string) string { return "" }
	var stderr strings.Builder
	if code := healthcheck([]string{"--listen", addr}, noEnv, &stderr); code != 0 {
		t.Fatalf("healthcheck --listen %s = %d (%s)", addr, code, stderr.String())
	}
	env := func(k string) string {
		if k == "GRAPHMOCK_LISTEN" {
			return addr
		}
		return ""
	}
	if code := healthcheck(nil, env, &stderr); code != 0 {
		t.Fatalf("healthcheck with GRAPHMOCK_LISTEN = %d (%s)", code, stderr.String())
	}
	srv.Close()
	stderr.Reset()
	if code := healthcheck([]string{"--listen", addr}, noEnv, &stderr); code != 1 || !strings.Contains(stderr.String(), "graphmock healthcheck:") {
		t.Fatalf("healthcheck of a stopped server = %d, stderr %q", code, stderr.String())
	}
	if code := healthcheck([]string{"--bogus"}, noEnv, &stderr); code != 2 {
		t.Fatalf("healthcheck --bogus = %d", code)
	}
}

func TestHealthcheckProbesTLSWhenListenIsNone(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "https://")
	var stderr strings.Builder
	noEnv := func(string) string { return "" }
	if code := healthcheck([]string{"--listen", "none", "--tls-listen", addr}, noEnv, &stderr); code != 0 {
		t.Fatalf("healthcheck --listen none --tls-listen %s = %d (%s)", addr, code, stderr.String())
	}
	env := func(k string) string {
		return map[string]string{"GRAPHMOCK_LISTEN": "none", "GRAPHMOCK_TLS_LISTEN": addr}[k]
	}
	if code := healthcheck(nil, env, &stderr); code != 0 {
		t.Fatalf("healthcheck with GRAPHMOCK_LISTEN=none = %d (%s)", code, stderr.String())
	}
}
