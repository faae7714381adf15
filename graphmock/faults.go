package graphmock

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultRule makes matching Graph calls fail or slow down, so clients can prove their retry and
// timeout handling. Rules are added with Server.AddFault or POST /_graphmock/faults.
//
// A call matches when its method equals Method (empty or "*" = any) and its path matches Path.
// A matching rule with Status answers the call itself, before it reaches the directory (no state
// changes): Status 429, 500, 503 or 504 in Graph's error envelope, with Retry-After when
// RetryAfter is set (429 without RetryAfter sends "Retry-After: 1"). A rule with Latency delays
// the call by that much wall-clock time first (both may be combined). Count limits a rule to the
// next Count matching calls; 0 means every matching call until the rules are cleared.
// Rules apply inside $batch too: each item is matched on its own.
type FaultRule struct {
	// ID names the rule in listings; assigned when the rule is added ("1", "2", …).
	ID string `json:"id"`
	// Method is the HTTP method to match (case-insensitive); "" or "*" match any.
	Method string `json:"method,omitempty"`
	// Path is the path pattern: relative to the API version ("/users/*/assignLicense") or with
	// it ("/v1.0/users/*"); segments match case-insensitively, "*" matches one segment (or part
	// of one, as in path.Match), "**" any number of segments; a "microsoft.graph." or "graph."
	// prefix on a cast or action segment is ignored on both sides; the query string is ignored.
	// Path is required; "/**" matches every Graph call except the $batch envelope (name
	// "/$batch" to fault the envelope itself). Absolute URLs, control-plane and identity
	// (oauth2, .well-known) paths are refused: they never match a Graph call.
	Path string `json:"path"`
	// Status is the status to answer: 429, 500, 503 or 504; 0 = no status fault (latency only).
	Status int `json:"status,omitempty"`
	// RetryAfter is the Retry-After header value in seconds.
	RetryAfter *int `json:"retryAfter,omitempty"`
	// Code and Message override the error envelope's code and message.
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// Latency is the delay added to each matching call, as a Go duration ("200ms", "1.5s").
	Latency string `json:"latency,omitempty"`
	// Count is how many matching calls the rule affects; 0 = unlimited.
	Count int `json:"count,omitempty"`
	// Remaining is how many calls the rule still affects (-1 = unlimited); read-only.
	Remaining int `json:"remaining"`
	// Matched is how many calls the rule has affected so far; read-only.
	Matched int `json:"matched"`

	latency time.Duration
	segs    []string
}

// faultStatusDefaults are the envelope graphmock writes for each injectable status.
// Codes and messages follow Microsoft Graph's error reference (graph-facts §3.1, §3.5);
// [unc] where Graph's directory service sends different text.
var faultStatusDefaults = map[int]struct{ code, message string }{
	http.StatusTooManyRequests: {"TooManyRequests", ""}, // message built per caller, see errTooManyRequests
	// errors.md: generalException "An unspecified error has occurred." [doc]
	http.StatusInternalServerError: {"generalException", "An unspecified error has occurred."},
	// errors.md 503 description [doc]; the code is errors.md's serviceNotAvailable.
	http.StatusServiceUnavailable: {"serviceNotAvailable", "The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, which can be specified in a Retry-After header."},
	// errors.md 504 description [doc]; the code is what Graph's gateway sends on timeouts [unc].
	http.StatusGatewayTimeout: {"UnknownError", "The server, while acting as a proxy, did not receive a timely response from the upstream server it needed to access in attempting to complete the request."},
}

// validate checks a rule and fills its parsed fields. Errors name the bad field.
func (f *FaultRule) validate() error {
	if f.Status != 0 {
		if _, ok := faultStatusDefaults[f.Status]; !ok {
			return fmt.Errorf("status %d: use 429, 500, 503 or 504", f.Status)
		}
	}
	if f.Latency != "" {
		d, err := time.ParseDuration(f.Latency)
		if err != nil || d < 0 {
			return fmt.Errorf("latency %q: use a duration such as \"200ms\"", f.Latency)
		}
		if d > 5*time.Minute {
			return fmt.Errorf("latency %q: at most 5m", f.Latency)
		}
		f.latency = d
	}
	if f.Status == 0 && f.latency == 0 {
		return errors.New("a rule needs a status (429, 500, 503, 504) or a latency")
	}
	if f.RetryAfter != nil && *f.RetryAfter < 0 {
		return fmt.Errorf("retryAfter %d: must not be negative", *f.RetryAfter)
	}
	if f.Count < 0 {
		return fmt.Errorf("count %d: must not be negative (0 = unlimited)", f.Count)
	}
	if f.Status == 0 && (f.RetryAfter != nil || f.Code != "" || f.Message != "") {
		return errors.New("retryAfter, code and message need a status")
	}
	m := strings.ToUpper(strings.TrimSpace(f.Method))
	if m == "*" {
		m = ""
	}
	if m != "" && !faultMethods[m] {
		return fmt.Errorf("method %q: use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or \"*\"", f.Method)
	}
	f.Method = m
	p := strings.TrimSpace(f.Path)
	if p == "" {
		return errors.New("a rule needs a path; \"/**\" matches every Graph call")
	}
	if strings.Contains(p, "://") {
		return fmt.Errorf("path %q: give the path after the host, such as \"/users\" or \"/v1.0/users\"", f.Path)
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	f.Path = p
	f.segs = splitPattern(p)
	for _, s := range f.segs {
		if _, err := path.Match(s, ""); err != nil {
			return fmt.Errorf("path %q: bad pattern segment %q", f.Path, s)
		}
		if s == "_graphmock" || s == "oauth2" || s == ".well-known" {
			return fmt.Errorf("path %q: fault rules apply to Graph calls (/v1.0, /beta) only, not the control plane or identity endpoints", f.Path)
		}
	}
	f.Remaining = -1
	if f.Count > 0 {
		f.Remaining = f.Count
	}
	f.Matched = 0
	return nil
}

// faultMethods are the methods a fault rule may name.
var faultMethods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

// splitPattern splits a path into lower-cased segments with OData casts in one form: a
// "microsoft.graph." prefix is dropped, and so is a "graph." prefix on a type or action name
// ("graph.user" and "microsoft.graph.user" both become "user").
func splitPattern(p string) []string {
	segs := strings.Split(strings.Trim(strings.ToLower(p), "/"), "/")
	out := segs[:0]
	for _, s := range segs {
		if s == "" {
			continue
		}
		out = append(out, normalizeCastSegment(s))
	}
	return out
}

// normalizeCastSegment drops the namespace of a lower-cased cast or action segment.
func normalizeCastSegment(s string) string {
	if rest, ok := strings.CutPrefix(s, "microsoft.graph."); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(s, "graph."); ok && rest != "" && strings.IndexFunc(rest, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '*' || r == '?')
	}) < 0 {
		return rest
	}
	return s
}

// matchSegs matches path segments against pattern segments ("**" = any number of segments).
func matchSegs(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return true
			}
			for i := 0; i <= len(segs); i++ {
				if matchSegs(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// matches reports whether the rule matches a call. full is the request path with its version,
// rel the path after it; isBatch marks the $batch envelope.
func (f *FaultRule) matches(method string, full, rel []string, isBatch bool) bool {
	if f.Method != "" && f.Method != method {
		return false
	}
	if isBatch && (len(f.segs) == 0 || f.segs[len(f.segs)-1] != "$batch") {
		return false
	}
	if len(f.segs) > 0 && (f.segs[0] == "v1.0" || f.segs[0] == "beta") {
		return matchSegs(f.segs, full)
	}
	return matchSegs(f.segs, rel)
}

// faultSet is the server's fault rules in the order they were added.
type faultSet struct {
	mu     sync.Mutex
	rules  []*FaultRule
	nextID int
}

// add validates and appends a rule, returning it with its id.
func (fs *faultSet) add(f FaultRule) (FaultRule, error) {
	if err := f.validate(); err != nil {
		return FaultRule{}, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.nextID++
	f.ID = strconv.Itoa(fs.nextID)
	fs.rules = append(fs.rules, &f)
	return f, nil
}

// list returns copies of the rules.
func (fs *faultSet) list() []FaultRule {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]FaultRule, len(fs.rules))
	for i, f := range fs.rules {
		out[i] = *f
	}
	return out
}

// clear removes every rule; with id, only that rule (false when no rule has it).
func (fs *faultSet) clear(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if id == "" {
		fs.rules = nil
		return true
	}
	for i, f := range fs.rules {
		if f.ID == id {
			fs.rules = append(fs.rules[:i], fs.rules[i+1:]...)
			return true
		}
	}
	return false
}

// faultAction is what the matching rules do to one call.
type faultAction struct {
	latency time.Duration
	rule    *FaultRule // the first matching status rule (a copy), or nil
}

// match finds the rules a call triggers and spends one use of each: latency adds up over all
// matching rules; the first matching rule with a status decides the answer, and later matching
// rules with a status are skipped (keeping their uses). Used-up rules stay listed with remaining 0.
func (fs *faultSet) match(method, fullPath, relPath string, isBatch bool) faultAction {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var act faultAction
	if len(fs.rules) == 0 {
		return act
	}
	full, rel := splitPattern(fullPath), splitPattern(relPath)
	for _, f := range fs.rules {
		if f.Remaining == 0 || !f.matches(method, full, rel, isBatch) {
			continue
		}
		if f.Status != 0 && act.rule != nil {
			continue // a status is already decided; this rule keeps its uses
		}
		f.Matched++
		if f.Remaining > 0 {
			f.Remaining--
		}
		act.latency += f.latency
		if f.Status != 0 {
			c := *f
			act.rule = &c
		}
	}
	return act
}

// AddFault adds a fault rule (see FaultRule) and returns it with its id and remaining count.
// Errors: a status other than 429, 500, 503 or 504, a bad latency, a missing or bad path pattern,
// an unknown method, a rule with neither status nor latency, retryAfter/code/message without a
// status, negative count or retryAfter.
func (s *Server) AddFault(rule FaultRule) (FaultRule, error) { return s.faults.add(rule) }

// Faults lists the fault rules with their remaining and matched counts.
func (s *Server) Faults() []FaultRule { return s.faults.list() }

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() { s.faults.clear("") }

// applyFault runs the fault rules for r: it sleeps for matched latency (returning early when the
// client goes away) and, when a status rule matched, writes the fault response and returns false.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, rel string, isBatch bool) bool {
	act := s.faults.match(r.Method, r.URL.Path, rel, isBatch)
	if act.latency > 0 && !sleepCtx(r.Context(), act.latency) {
		return false
	}
	f := act.rule
	if f == nil {
		return true
	}
	def := faultStatusDefaults[f.Status]
	code, msg := def.code, def.message
	if f.Status == http.StatusTooManyRequests {
		msg = errTooManyRequests(callerApp(r), s.tenantFor(r).id).message
	}
	if f.Code != "" {
		code = f.Code
	}
	if f.Message != "" {
		msg = f.Message
	}
	switch {
	case f.RetryAfter != nil:
		w.Header().Set("Retry-After", strconv.Itoa(*f.RetryAfter))
	case f.Status == http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "1")
	}
	s.writeError(w, r, newHTTPError(f.Status, code, msg))
	return false
}

// sleepCtx waits d or until ctx ends; false when ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
