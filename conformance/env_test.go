package conformance

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphmock/graphmock/graphmock"
	"github.com/graphmock/graphmock/openapi"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// The suite runs against an in-process graphmock (a fresh server per scenario) or, when
// GRAPHMOCK_URL is set, against that running graphmock (the binary or the container). Against a
// shared server the scenarios run one at a time, each after POST /_graphmock/reset when the
// server offers it, and every object a scenario creates has a unique name.

var (
	validator *openapi.Validator
	targetURL string // GRAPHMOCK_URL, or "" for in-process servers

	totalsMu  sync.Mutex
	totals    = Stats{Operations: map[string]int{}}
	scenarios []string
)

func TestMain(m *testing.M) {
	v, err := openapi.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load the OpenAPI subset:", err)
		os.Exit(1)
	}
	validator = v
	if u := strings.TrimSuffix(os.Getenv("GRAPHMOCK_URL"), "/"); u != "" {
		if err := CheckLoopback(u); err != nil {
			fmt.Fprintln(os.Stderr, "GRAPHMOCK_URL:", err)
			os.Exit(1)
		}
		if err := waitHealthy(u); err != nil {
			fmt.Fprintln(os.Stderr, "GRAPHMOCK_URL:", err)
			os.Exit(1)
		}
		targetURL = u
	}
	code := m.Run()
	if err := writeReport(os.Getenv("GRAPHMOCK_CONFORMANCE_REPORT")); err != nil {
		fmt.Fprintln(os.Stderr, "write report:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func waitHealthy(base string) error {
	var last error
	for i := 0; i < 50; i++ {
		resp, err := http.Get(base + "/_graphmock/healthz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /_graphmock/healthz: %s", resp.Status)
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	return last
}

// writeReport writes what the suite exercised to path (nothing when path is "").
func writeReport(path string) error {
	if path == "" {
		return nil
	}
	totalsMu.Lock()
	defer totalsMu.Unlock()
	var b strings.Builder
	target := "in-process graphmock (a fresh server per scenario)"
	if targetURL != "" {
		target = targetURL
	}
	fmt.Fprintf(&b, "target: %s\n", target)
	fmt.Fprintf(&b, "scenarios: %d\n", len(scenarios))
	fmt.Fprintf(&b, "responses validated against the OpenAPI description: %d (plus %d $batch items)\n", totals.Validated, totals.BatchItems)
	fmt.Fprintf(&b, "error answers for operations outside the served subset (envelope checked): %d\n", totals.Unserved)
	fmt.Fprintf(&b, "control-plane answers (not Graph, not validated): %d\n", totals.ControlPlane)
	fmt.Fprintf(&b, "known deviations on the skip list: %d\n", len(KnownDeviations))
	names := totals.OperationNames()
	fmt.Fprintf(&b, "operations exercised: %d\n", len(names))
	for _, n := range names {
		fmt.Fprintf(&b, "  %-75s %5d\n", n, totals.Operations[n])
	}
	var missing []string
	for _, op := range openapi.Served {
		if totals.Operations[op.String()] == 0 {
			missing = append(missing, op.String())
		}
	}
	sort.Strings(missing)
	fmt.Fprintf(&b, "served operations not exercised: %d\n", len(missing))
	for _, n := range missing {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// env is one scenario's view of graphmock: the SDK client, a raw HTTP client, both through the
// validating transport.
type env struct {
	t       *testing.T
	ctx     context.Context
	base    string // server root, without /v1.0
	wire    *ValidatingTransport
	client  *msgraphsdk.GraphServiceClient
	adapter *msgraphsdk.GraphRequestAdapter
	raw     *http.Client
	suffix  string

	domainOnce sync.Once
	domain     string
}

// newEnv starts a scenario: a fresh in-process graphmock (the scenario runs in parallel with the
// others), or the shared GRAPHMOCK_URL server, reset when it offers reset. When the scenario
// ends, every response that broke the spec fails it.
func newEnv(t *testing.T) *env {
	t.Helper()
	totalsMu.Lock()
	scenarios = append(scenarios, t.Name())
	totalsMu.Unlock()

	base := targetURL
	if base == "" {
		t.Parallel()
		srv, err := graphmock.New(graphmock.Options{})
		if err != nil {
			t.Fatalf("graphmock.New: %v", err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		base = ts.URL
	}
	e := &env{t: t, ctx: context.Background(), base: base, suffix: uniqueSuffix()}
	e.wire = NewValidatingTransport(http.DefaultTransport, validator)
	e.raw = &http.Client{Transport: e.wire}
	client, adapter, err := NewGraphClient(base, e.wire)
	if err != nil {
		t.Fatalf("NewGraphClient: %v", err)
	}
	e.client, e.adapter = client, adapter
	t.Cleanup(e.finish)
	if targetURL != "" {
		e.reset()
	}
	return e
}

// finish fails the scenario on every collected violation and adds its counters to the totals.
func (e *env) finish() {
	for _, v := range e.wire.Violations() {
		e.t.Errorf("response breaks Microsoft's OpenAPI description of Graph: %s", v)
	}
	st := e.wire.Stats()
	totalsMu.Lock()
	totals.Add(st)
	totalsMu.Unlock()
}

// reset restores the shared server's seed state when it has a control plane with reset.
func (e *env) reset() {
	e.t.Helper()
	r := e.do(http.MethodPost, "/_graphmock/reset", nil)
	switch {
	case r.Status == http.StatusNotFound || r.Status == http.StatusNotImplemented:
	case r.Status >= 300:
		e.t.Fatalf("POST /_graphmock/reset: %d %s", r.Status, r.Body)
	}
}

func uniqueSuffix() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// name returns a display name unique to this scenario run.
func (e *env) name(s string) string { return s + " " + e.suffix }

// nick returns a mailNickname / UPN local part unique to this scenario run: letters, digits
// and hyphens only (Graph refuses spaces and most punctuation in mailNickname).
func (e *env) nick(s string) string {
	b := []byte(strings.ToLower(s) + "-" + e.suffix)
	for i, c := range b {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			b[i] = '-'
		}
	}
	return string(b)
}

// tenantDomain is the tenant's initial verified domain, for new users' UPNs.
func (e *env) tenantDomain() string {
	e.t.Helper()
	e.domainOnce.Do(func() {
		var org struct {
			Value []struct {
				VerifiedDomains []struct {
					Name      string `json:"name"`
					IsDefault bool   `json:"isDefault"`
					IsInitial bool   `json:"isInitial"`
				} `json:"verifiedDomains"`
			} `json:"value"`
		}
		r := e.do(http.MethodGet, "/organization", nil)
		r.wantStatus(e.t, http.StatusOK)
		r.decode(e.t, &org)
		if len(org.Value) != 1 || len(org.Value[0].VerifiedDomains) == 0 {
			e.t.Fatalf("GET /organization: no verified domains in %s", r.Body)
		}
		e.domain = org.Value[0].VerifiedDomains[0].Name
		for _, d := range org.Value[0].VerifiedDomains {
			if d.IsDefault {
				e.domain = d.Name
			}
		}
	})
	return e.domain
}

// response is a raw HTTP answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
	method string
	path   string
}

// do sends a raw request. path is under /v1.0 unless it starts with /_graphmock/. body is
// marshalled as JSON unless it is a []byte or a string. headers are name, value pairs.
func (e *env) do(method, path string, body any, headers ...string) *response {
	e.t.Helper()
	u := e.base + "/v1.0" + path
	if strings.HasPrefix(path, "/_graphmock/") {
		u = e.base + path
	}
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatalf("marshal request body: %v", err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(e.ctx, method, u, rd)
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.raw.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: b, method: method, path: path}
}

func (r *response) wantStatus(t *testing.T, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.method, r.path, r.Status, status, r.Body)
	}
}

func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s %s: decode body: %v; body %s", r.method, r.path, err, r.Body)
	}
}

// wantError asserts a Graph error answer: status, error.code and error.message exactly (message
// "" skips the message check only where Graph's wording is not known).
func (r *response) wantError(t *testing.T, status int, code, message string) *ErrorBody {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.method, r.path, r.Status, status, r.Body)
	}
	eb, err := ParseError(r.Header, r.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	if eb.Error.Code != code {
		t.Errorf("%s %s: error.code %q, want %q", r.method, r.path, eb.Error.Code, code)
	}
	if message != "" && eb.Error.Message != message {
		t.Errorf("%s %s: error.message %q, want %q", r.method, r.path, eb.Error.Message, message)
	}
	return eb
}

// wantODataError asserts the SDK surfaced a Graph error with this status, code and message.
func wantODataError(t *testing.T, err error, status int, code, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %d %s", status, code)
	}
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		t.Fatalf("error %T %v, want *odataerrors.ODataError", err, err)
	}
	if oe.ResponseStatusCode != status {
		t.Errorf("status %d, want %d", oe.ResponseStatusCode, status)
	}
	main := oe.GetErrorEscaped()
	if main == nil {
		t.Fatalf("ODataError without error body")
	}
	if got := deref(main.GetCode()); got != code {
		t.Errorf("error.code %q, want %q", got, code)
	}
	if got := deref(main.GetMessage()); message != "" && got != message {
		t.Errorf("error.message %q, want %q", got, message)
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
