package graphmock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
)

// Fixture users of the embedded default tenant.
const (
	morganID  = "8267774c-a6bd-5979-9094-4f03f60356ea"
	morganUPN = "morgan.reyes@larkspur.example"
	averyID   = "3aa5cbc0-8691-57a9-a7a0-37e86c565602"
)

// testStart is the instant test clocks are frozen at.
var testStart = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

// newTestServer builds a server over the default tenant with a clock frozen at testStart.
func newTestServer(t testing.TB, opts Options) (*Server, *engine.ManualClock) {
	t.Helper()
	clk := engine.NewManualClock()
	clk.Freeze(testStart)
	opts.Clock = clk
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, clk
}

// result is one recorded response.
type result struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r result) json(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return v
}

// call serves one request in process.
func call(t testing.TB, s *Server, method, path, body string, hdr ...string) result {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, "http://127.0.0.1"+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return result{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// errorOf returns error.code and error.message of a Graph error envelope.
func errorOf(t testing.TB, body any) (string, string) {
	t.Helper()
	var m map[string]any
	switch b := body.(type) {
	case []byte:
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("not a JSON error envelope: %s", b)
		}
	case map[string]any:
		m = b
	default:
		t.Fatalf("unexpected body %T", body)
	}
	e, ok := m["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error member in %v", m)
	}
	code, _ := e["code"].(string)
	msg, _ := e["message"].(string)
	return code, msg
}

// mustJSON marshals v.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
