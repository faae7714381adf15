package graphmock

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ThrottleConfig sets the token buckets graphmock throttles Graph calls with. They model Graph's
// identity and access limits per application + tenant pair (graph-facts §3.5; Microsoft's
// "throttling limits" page, identity section): a resource-unit budget and a separate write budget.
//
// Every (app, tenant) pair has two buckets that refill continuously on the engine clock:
//   - Read: ReadUnits resource units per ReadWindow, spent by GET requests (cost: see requestCost).
//   - Write: WriteRequests requests per WriteWindow, spent one per POST, PATCH, PUT or DELETE.
//
// Graph also charges writes resource units; graphmock keeps the two budgets apart so a test can
// exhaust one without touching the other. A refused request spends nothing; a request dearer than
// the whole budget is charged a full bucket. Because time comes
// from the engine clock, a frozen clock makes throttling fully deterministic: the same call
// sequence is throttled at the same positions.
type ThrottleConfig struct {
	// ReadUnits is the resource-unit budget per ReadWindow. Graph: 3500 (S tenants, < 50 users),
	// 5000 (M), 8000 (L) per 10 seconds. Zero means DefaultThrottle's value.
	ReadUnits int
	// ReadWindow is the period ReadUnits refill over; zero means 10 seconds.
	ReadWindow time.Duration
	// WriteRequests is the write budget per WriteWindow. Graph: 3000 per 2 minutes 30 seconds.
	// Zero means DefaultThrottle's value.
	WriteRequests int
	// WriteWindow is the period WriteRequests refill over; zero means 2m30s.
	WriteWindow time.Duration
}

// DefaultThrottle returns Graph's identity limits for an application + tenant pair in a small
// tenant: 3500 resource units per 10 s and 3000 writes per 2 min 30 s (graph-facts §3.5).
func DefaultThrottle() ThrottleConfig {
	return ThrottleConfig{ReadUnits: 3500, ReadWindow: 10 * time.Second, WriteRequests: 3000, WriteWindow: 150 * time.Second}
}

// withDefaults fills zero fields from DefaultThrottle.
func (c ThrottleConfig) withDefaults() ThrottleConfig {
	d := DefaultThrottle()
	if c.ReadUnits <= 0 {
		c.ReadUnits = d.ReadUnits
	}
	if c.ReadWindow <= 0 {
		c.ReadWindow = d.ReadWindow
	}
	if c.WriteRequests <= 0 {
		c.WriteRequests = d.WriteRequests
	}
	if c.WriteWindow <= 0 {
		c.WriteWindow = d.WriteWindow
	}
	return c
}

// ParseThrottle reads a throttle setting as the --throttle flag and GRAPHMOCK_THROTTLE take it:
//
//	"" or "off" or "false"          no throttling (nil)
//	"on" or "true" or "graph"        DefaultThrottle
//	"read=100/10s,write=30/2m30s"    custom budgets (either part may be left out: Graph's default)
//
// Errors: any other form, a non-positive count or an unparsable duration.
func ParseThrottle(spec string) (*ThrottleConfig, error) {
	switch strings.ToLower(strings.TrimSpace(spec)) {
	case "", "off", "false":
		return nil, nil
	case "on", "true", "graph", "default":
		c := DefaultThrottle()
		return &c, nil
	}
	var c ThrottleConfig
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("throttle %q: want read=N/DURATION,write=N/DURATION", spec)
		}
		ns, ds, ok := strings.Cut(v, "/")
		if !ok {
			return nil, fmt.Errorf("throttle %q: %s wants N/DURATION, e.g. %s=100/10s", spec, k, k)
		}
		n, err := strconv.Atoi(ns)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("throttle %q: %s count %q must be a positive integer", spec, k, ns)
		}
		d, err := time.ParseDuration(ds)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("throttle %q: %s window %q must be a positive duration", spec, k, ds)
		}
		switch strings.ToLower(k) {
		case "read":
			c.ReadUnits, c.ReadWindow = n, d
		case "write":
			c.WriteRequests, c.WriteWindow = n, d
		default:
			return nil, fmt.Errorf("throttle %q: unknown budget %q (use read or write)", spec, k)
		}
	}
	c = c.withDefaults()
	return &c, nil
}

// callerAppKey marks a request context with the calling application's id.
type callerAppKey struct{}

// defaultCallerApp is the application id throttling and faults key on while requests carry no token.
const defaultCallerApp = "default"

// withCallerApp returns ctx carrying the caller's application id; it wins over the application
// of the request's access token, which throttling otherwise keys its buckets on.
func withCallerApp(ctx context.Context, appID string) context.Context {
	return context.WithValue(ctx, callerAppKey{}, appID)
}

// callerApp is the application a request comes from: the id withCallerApp set, else the appid
// (or azp) of the request's validated access token, else "default".
func callerApp(r *http.Request) string {
	if v, _ := r.Context().Value(callerAppKey{}).(string); v != "" {
		return v
	}
	if id := identityOf(r); id != nil && id.appID != "" {
		return id.appID
	}
	return defaultCallerApp
}

// bucket is one token bucket refilling continuously at rate tokens per second up to capacity.
type bucket struct {
	tokens float64
	last   time.Time
}

// budget is one limit: its capacity and refill window.
type budget struct {
	capacity float64
	window   time.Duration
}

func (b budget) rate() float64 { return b.capacity / b.window.Seconds() }

// refill brings bk up to now.
func (b budget) refill(bk *bucket, now time.Time) {
	if el := now.Sub(bk.last).Seconds(); el > 0 {
		bk.tokens = math.Min(b.capacity, bk.tokens+el*b.rate())
	}
	if now.After(bk.last) {
		bk.last = now
	}
}

// throttler holds the buckets of every (app, tenant) pair.
type throttler struct {
	mu      sync.Mutex
	cfg     *ThrottleConfig // nil = off
	buckets map[throttleKey]*pairBuckets
}

type throttleKey struct{ app, tenant string }

type pairBuckets struct{ read, write bucket }

// throttleDecision is what the throttler says about one request.
type throttleDecision struct {
	allowed    bool
	limit      string  // "Read" or "Write"
	usedRatio  float64 // share of the budget in use after (or, refused, including) the request
	retryAfter int     // seconds, on refusal
}

func newThrottler(cfg *ThrottleConfig) *throttler {
	t := &throttler{buckets: map[throttleKey]*pairBuckets{}}
	t.set(cfg)
	return t
}

// set replaces the configuration (nil = off) and forgets all buckets.
func (t *throttler) set(cfg *ThrottleConfig) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if cfg != nil {
		c := cfg.withDefaults()
		cfg = &c
	}
	t.cfg = cfg
	t.buckets = map[throttleKey]*pairBuckets{}
}

// config returns the configuration in force (nil = off).
func (t *throttler) config() *ThrottleConfig {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cfg == nil {
		return nil
	}
	c := *t.cfg
	return &c
}

// take charges one request of the given cost to the pair's read or write bucket at now.
func (t *throttler) take(key throttleKey, write bool, cost int, now time.Time) (throttleDecision, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cfg == nil {
		return throttleDecision{allowed: true}, false
	}
	pb := t.buckets[key]
	if pb == nil {
		pb = &pairBuckets{
			read:  bucket{tokens: float64(t.cfg.ReadUnits), last: now},
			write: bucket{tokens: float64(t.cfg.WriteRequests), last: now},
		}
		t.buckets[key] = pb
	}
	b, bk, limit := budget{float64(t.cfg.ReadUnits), t.cfg.ReadWindow}, &pb.read, "Read"
	if write {
		b, bk, limit, cost = budget{float64(t.cfg.WriteRequests), t.cfg.WriteWindow}, &pb.write, "Write", 1
	}
	b.refill(bk, now)
	c := math.Min(float64(cost), b.capacity) // a request dearer than the whole budget waits for a full bucket
	if bk.tokens >= c {
		bk.tokens -= c
		return throttleDecision{allowed: true, limit: limit, usedRatio: (b.capacity - bk.tokens) / b.capacity}, true
	}
	wait := (c - bk.tokens) / b.rate()
	ra := int(math.Ceil(wait))
	if ra < 1 {
		ra = 1
	}
	return throttleDecision{limit: limit, usedRatio: (b.capacity - bk.tokens + c) / b.capacity, retryAfter: ra}, true
}

// throttleBucketState is one pair's buckets as the control plane shows them.
type throttleBucketState struct {
	App         string  `json:"app"`
	Tenant      string  `json:"tenant"`
	ReadTokens  float64 `json:"readTokens"`
	WriteTokens float64 `json:"writeTokens"`
}

// state lists every pair's tokens at now, sorted by app then tenant.
func (t *throttler) state(now time.Time) []throttleBucketState {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := []throttleBucketState{}
	if t.cfg == nil {
		return out
	}
	for k, pb := range t.buckets {
		budget{float64(t.cfg.ReadUnits), t.cfg.ReadWindow}.refill(&pb.read, now)
		budget{float64(t.cfg.WriteRequests), t.cfg.WriteWindow}.refill(&pb.write, now)
		out = append(out, throttleBucketState{App: k.app, Tenant: k.tenant,
			ReadTokens: math.Floor(pb.read.tokens*100) / 100, WriteTokens: math.Floor(pb.write.tokens*100) / 100})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].App != out[j].App {
			return out[i].App < out[j].App
		}
		return out[i].Tenant < out[j].Tenant
	})
	return out
}

// isWrite reports whether a method spends the write budget.
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// requestCost is the resource-unit cost graphmock charges a request, after Graph's identity cost
// rules (throttling limits page, identity section): a base cost of 1 for a single object and 2
// for a collection [unc: Graph's per-endpoint table is finer], $select lowers it by 1, $expand
// raises it by 1, $top below 20 lowers it by 1; never below 1. rel is the path after the version.
func requestCost(method, rel string, query func(string) bool) int {
	cost := 1
	if method == http.MethodGet && isCollectionPath(rel) {
		cost = 2
	}
	if query("$select") {
		cost--
	}
	if query("$expand") {
		cost++
	}
	if query("$top<20") {
		cost--
	}
	if cost < 1 {
		cost = 1
	}
	return cost
}

// isCollectionPath reports whether rel names a collection: an odd number of segments
// (/users, /users/{id}/memberOf), or a cast to a collection of users or groups such as
// /directory/deletedItems/microsoft.graph.user or /groups/{id}/members/graph.user.
func isCollectionPath(rel string) bool {
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	last := strings.TrimPrefix(strings.ToLower(segs[len(segs)-1]), "microsoft.")
	if last == "$count" || last == "$ref" {
		return false
	}
	if last == "graph.user" || last == "graph.group" {
		return true
	}
	return len(segs)%2 == 1
}

// queryProbe answers requestCost's questions about r's query string.
func queryProbe(r *http.Request) func(string) bool {
	q := r.URL.Query()
	return func(name string) bool {
		if name == "$top<20" {
			for k, vs := range q {
				if strings.EqualFold(k, "$top") && len(vs) > 0 {
					n, err := strconv.Atoi(vs[0])
					return err == nil && n < 20
				}
			}
			return false
		}
		for k := range q {
			if strings.EqualFold(k, name) {
				return true
			}
		}
		return false
	}
}

// errTooManyRequests is Graph's 429 envelope (graph-facts §3.5): code TooManyRequests and
// "Too many requests from Identifier:… Please try again later." [unc: the identifier's exact
// form; graphmock writes {appId}+{tenantId}].
func errTooManyRequests(app, tenant string) *httpError {
	return newHTTPError(http.StatusTooManyRequests, "TooManyRequests",
		"Too many requests from Identifier:"+app+"+"+tenant+". Please try again later.")
}

// throttle charges r and, when its budget is spent, writes Graph's 429 and returns false.
// Headers (graph-facts §3.5, §9): x-ms-resource-unit on every response (set by the caller);
// x-ms-throttle-limit-percentage once 80% of a budget is used (0.8 … 1.8); on 429 also
// Retry-After (whole seconds until the bucket holds the request's cost), x-ms-throttle-scope
// "Tenant_Application/{Read|Write}/{appId}/{tenantId}" and x-ms-throttle-information
// ("ResourceUnitLimitExceeded"; "WriteLimitExceeded" for writes [unc]).
func (s *Server) throttle(w http.ResponseWriter, r *http.Request, cost int) bool {
	app, tenant := callerApp(r), s.tenantFor(r).id
	d, on := s.throttler.take(throttleKey{app, tenant}, isWrite(r.Method), cost, s.clock.Now())
	if !on {
		return true
	}
	h := w.Header()
	if d.usedRatio >= 0.8 {
		h.Set("x-ms-throttle-limit-percentage", strconv.FormatFloat(math.Min(1.8, math.Floor(d.usedRatio*10)/10), 'f', 1, 64))
	}
	if d.allowed {
		return true
	}
	info := "ResourceUnitLimitExceeded"
	if d.limit == "Write" {
		info = "WriteLimitExceeded"
	}
	h.Set("Retry-After", strconv.Itoa(d.retryAfter))
	h.Set("x-ms-throttle-scope", "Tenant_Application/"+d.limit+"/"+app+"/"+tenant)
	h.Set("x-ms-throttle-information", info)
	s.writeError(w, r, errTooManyRequests(app, tenant))
	return false
}
