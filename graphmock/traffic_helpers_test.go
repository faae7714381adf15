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
	trMorganID  = "8267774c-a6bd-5979-9094-4f03f60356ea"
	trMorganUPN = "morgan.reyes@larkspur.example"
	trAveryID   = "3aa5cbc0-8691-57a9-a7a0-37e86c565602"
)

// trStart is the instant test clocks are frozen at.
var trStart = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

// trServer builds a server over the default tenant with a clock frozen at trStart.
func trServer(t testing.TB, opts Options) (*Server, *engine.ManualClock) {
	t.Helper()
	clk := engine.NewManualClock()
	clk.Freeze(trStart)
	opts.Clock = clk
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, clk
}

// trResult is one recorded response.
type trResult struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r trResult) json(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return v
}

// trCall serves one request in process.
func trCall(t testing.TB, s *Server, method, path, body string, hdr ...string) trResult {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	trReq := httptest.NewRequest(method, "http://127.0.0.1"+path, rd)
	if body != "" {
		trReq.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		trReq.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, trReq)
	return trResult{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// trErrorOf returns error.code and error.message of a Graph error envelope.
func trErrorOf(t testing.TB, body any) (string, string) {
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

// trJSON marshals v.
func trJSON(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
