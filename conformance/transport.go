package conformance

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/graphmock/graphmock/openapi"
)

// Violation is one response that broke Microsoft's OpenAPI description of Graph.
type Violation struct {
	Method string
	Path   string // the request path, with its query
	Status int
	Err    error // a *openapi.ValidationError, or why the response could not be judged
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s → %d: %v", v.Method, v.Path, v.Status, v.Err)
}

// Deviation is a known, justified difference between graphmock and Microsoft's OpenAPI
// description that the suite tolerates. Every entry says why it is right to tolerate it.
type Deviation struct {
	Operation openapi.Operation // the spec operation the response belongs to
	Pointer   string            // the violation's JSON pointer ("" matches the body as a whole)
	Why       string
}

// KnownDeviations is the skip list. It is empty: every response graphmock sends in the suite
// conforms to Microsoft's OpenAPI description. An entry is added only with a reason a reader
// can check (a documented difference between Microsoft's description and Graph's wire format).
var KnownDeviations = []Deviation{}

// Stats counts what a ValidatingTransport saw.
type Stats struct {
	Validated    int            // Graph responses checked against the spec (batch items not counted)
	BatchItems   int            // responses inside $batch answers checked against the spec
	Unserved     int            // error answers for operations outside the served subset (envelope checked)
	ControlPlane int            // /_graphmock/ answers (not Graph: not validated)
	Operations   map[string]int // spec operation ("GET /users/{user-id}") → responses validated
}

// ValidatingTransport is an http.RoundTripper that sends every request through Base and checks
// every Graph response against Microsoft's OpenAPI description of Graph before handing it back
// (with its body restored). Violations are collected, not returned: the caller sees the
// response exactly as the server sent it, and the test fails on the collected violations.
type ValidatingTransport struct {
	Base      http.RoundTripper
	Validator *openapi.Validator

	mu         sync.Mutex
	violations []Violation
	stats      Stats
}

// NewValidatingTransport wraps base (http.DefaultTransport when nil).
func NewValidatingTransport(base http.RoundTripper, v *openapi.Validator) *ValidatingTransport {
	if base == nil {
		base = http.DefaultTransport
	}
	return &ValidatingTransport{Base: base, Validator: v, stats: Stats{Operations: map[string]int{}}}
}

// RoundTrip implements http.RoundTripper.
func (t *ValidatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	resp, err := t.Base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if req.Header.Get("Content-Encoding") == "gzip" {
		if plain, err := gunzip(reqBody); err == nil {
			reqBody = plain
		}
	}
	t.Check(req.Method, req.URL.EscapedPath(), req.URL.RawQuery, reqBody, resp.StatusCode, resp.Header, body)
	return resp, nil
}

// Check judges one exchange: path is the URL path as sent (with /v1.0), query the raw query,
// reqBody the request body (needed for $batch). It records a violation when the response breaks
// the spec and returns it (nil when the response conforms or is not a Graph response).
func (t *ValidatingTransport) Check(method, path, query string, reqBody []byte, status int, header http.Header, body []byte) error {
	full := path
	if query != "" {
		full += "?" + query
	}
	if strings.HasPrefix(path, "/_graphmock/") {
		t.mu.Lock()
		t.stats.ControlPlane++
		t.mu.Unlock()
		return nil
	}
	rel, ok := strings.CutPrefix(path, "/v1.0")
	if !ok || (rel != "" && rel[0] != '/') {
		return t.record(Violation{method, full, status, fmt.Errorf("not a Graph v1.0 path")})
	}

	if strings.EqualFold(rel, "/$batch") {
		err := t.Validator.ValidateBatch(reqBody, status, header, body)
		t.mu.Lock()
		t.stats.Validated++
		t.stats.Operations["POST /$batch"]++
		t.stats.BatchItems += countBatchItems(body)
		t.mu.Unlock()
		if err != nil {
			return t.record(Violation{method, full, status, err})
		}
		return nil
	}

	err := t.Validator.ValidateResponse(method, rel, status, header, body)
	if errors.Is(err, openapi.ErrNotServed) {
		// An operation outside the served subset: graphmock must refuse it with Graph's error
		// envelope (501 for Graph operations it doesn't implement, 400/404/405 for paths Graph
		// doesn't have). A success here would be a made-up answer.
		t.mu.Lock()
		t.stats.Unserved++
		t.mu.Unlock()
		if status < 400 {
			return t.record(Violation{method, full, status, err})
		}
		if envErr := checkErrorEnvelope(header, body); envErr != nil {
			return t.record(Violation{method, full, status, envErr})
		}
		return nil
	}
	t.mu.Lock()
	t.stats.Validated++
	if op, _, mErr := t.Validator.Match(method, rel); mErr == nil {
		t.stats.Operations[op.String()]++
	}
	t.mu.Unlock()
	if err != nil && !tolerated(err) {
		return t.record(Violation{method, full, status, err})
	}
	return nil
}

func (t *ValidatingTransport) record(v Violation) error {
	t.mu.Lock()
	t.violations = append(t.violations, v)
	t.mu.Unlock()
	return v.Err
}

// Violations returns the violations collected so far and forgets them.
func (t *ValidatingTransport) Violations() []Violation {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.violations
	t.violations = nil
	return v
}

// Stats returns a copy of the counters.
func (t *ValidatingTransport) Stats() Stats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.stats
	s.Operations = make(map[string]int, len(t.stats.Operations))
	for k, v := range t.stats.Operations {
		s.Operations[k] = v
	}
	return s
}

// Add adds o's counters to s.
func (s *Stats) Add(o Stats) {
	s.Validated += o.Validated
	s.BatchItems += o.BatchItems
	s.Unserved += o.Unserved
	s.ControlPlane += o.ControlPlane
	if s.Operations == nil {
		s.Operations = map[string]int{}
	}
	for k, v := range o.Operations {
		s.Operations[k] += v
	}
}

// OperationNames returns the operations with at least one validated response, sorted.
func (s Stats) OperationNames() []string {
	out := make([]string, 0, len(s.Operations))
	for k := range s.Operations {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// tolerated reports whether every violation in err is on the skip list.
func tolerated(err error) bool {
	var verr *openapi.ValidationError
	if !errors.As(err, &verr) || len(KnownDeviations) == 0 {
		return false
	}
	for _, vi := range verr.Violations {
		ok := false
		for _, d := range KnownDeviations {
			if d.Operation == verr.Operation && d.Pointer == vi.Pointer {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}
