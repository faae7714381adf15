package graphmock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/graphmock/graphmock/graphmock"
)

func TestNewTestServer(t *testing.T) {
	t.Parallel()
	ts := graphmock.NewTestServer(t, graphmock.Options{DeterministicIDs: "test-server"})
	if !strings.HasPrefix(ts.URL, "http://127.0.0.1:") || ts.GraphURL() != ts.URL+"/v1.0" {
		t.Fatalf("URL %q, GraphURL %q", ts.URL, ts.GraphURL())
	}
	resp, err := ts.Client().Get(ts.GraphURL() + "/users?$select=id")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Context string           `json:"@odata.context"`
		Value   []map[string]any `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || len(page.Value) != 20 || page.Context != ts.URL+"/v1.0/$metadata#users(id)" {
		t.Fatalf("status %d, %d users, context %q", resp.StatusCode, len(page.Value), page.Context)
	}
	if ts.Server().TenantID() != defaultTenantID {
		t.Fatalf("tenant %s", ts.Server().TenantID())
	}
	ts.Close()
	ts.Close() // harmless again, and again in t.Cleanup
}

func TestNewTestServerTLS(t *testing.T) {
	t.Parallel()
	ts := graphmock.NewTestServer(t, graphmock.Options{TLS: &graphmock.TLSOptions{}})
	if !strings.HasPrefix(ts.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %q", ts.URL)
	}
	resp, err := ts.Client().Get(ts.GraphURL() + "/organization")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || body["@odata.context"] != ts.URL+"/v1.0/$metadata#organization" {
		t.Fatalf("status %d, body %v", resp.StatusCode, body)
	}
}

func TestNewTestServerBadOptions(t *testing.T) {
	t.Parallel()
	ft := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		graphmock.NewTestServer(ft, graphmock.Options{Seed: []byte(`{`)})
	}()
	if !strings.Contains(ft.msg, "graphmock: fixture: unexpected EOF") {
		t.Fatalf("Fatalf message %q", ft.msg)
	}
}

// fatalRecorder records Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = strings.TrimSpace(strings.ReplaceAll(format, "%v", "")) + " " + errString(args)
	panic("fatal")
}

func errString(args []any) string {
	var b strings.Builder
	for _, a := range args {
		if e, ok := a.(error); ok {
			b.WriteString(e.Error())
		}
	}
	return b.String()
}

func TestRoundTripper(t *testing.T) {
	t.Parallel()
	s, err := graphmock.New(graphmock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Transport: graphmock.NewRoundTripper(s)}
	tests := []struct {
		name, url, wantContext string
	}{
		{"graph host over https", "https://graph.microsoft.com/v1.0/organization", "https://graph.microsoft.com/v1.0/$metadata#organization"},
		{"any host over http", "http://graphmock.local/beta/organization", "http://graphmock.local/beta/$metadata#organization"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := c.Get(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 || body["@odata.context"] != tc.wantContext || resp.Header.Get("request-id") == "" || resp.Request == nil {
				t.Fatalf("status %d, context %v, headers %v", resp.StatusCode, body["@odata.context"], resp.Header)
			}
		})
	}
	t.Run("cancelled context", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://graphmock.local/v1.0/users", nil)
		if _, err := c.Do(req); err == nil {
			t.Fatal("a cancelled request succeeded")
		}
	})
}

// BenchmarkNewServer measures building a server with the embedded default tenant (20 users,
// 6 groups, SKUs), which is what an in-process test pays before its first request.
func BenchmarkNewServer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := graphmock.New(graphmock.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewTestServer adds the loopback listener and the first request.
func BenchmarkNewTestServer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ts := graphmock.NewTestServer(b, graphmock.Options{})
		resp, err := ts.Client().Get(ts.URL + "/_graphmock/healthz")
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		ts.Close()
	}
}

// BenchmarkSnapshotRestore measures taking and restoring a snapshot of the default tenant.
func BenchmarkSnapshotRestore(b *testing.B) {
	s, err := graphmock.New(graphmock.Options{})
	if err != nil {
		b.Fatal(err)
	}
	c := &http.Client{Transport: graphmock.NewRoundTripper(s)}
	post := func(path, body string) {
		resp, err := c.Post("http://graphmock.local"+path, "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			b.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		post("/_graphmock/snapshots", `{"name":"b"}`)
		post("/_graphmock/snapshots/b/restore", ``)
	}
}
