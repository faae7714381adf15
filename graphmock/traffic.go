package graphmock

import (
	"net/http"
	"strconv"
	"strings"
)

// graphRelPath splits a Graph path into its version and the path after it
// ("/v1.0/users/x" → "/users/x"); ok is false outside /v1.0 and /beta.
func graphRelPath(p string) (rel string, ok bool) {
	for _, v := range apiVersions {
		if len(p) >= len(v) && strings.EqualFold(p[:len(v)], v) {
			rest := p[len(v):]
			if rest == "" || rest[0] == '/' {
				return rest, true
			}
		}
	}
	return "", false
}

// withTraffic applies, to every Graph call (each $batch item on its own), in this order:
// fault rules (latency, injected statuses), throttling, and replication lag; it sets
// x-ms-resource-unit (the call's resource-unit cost, graph-facts §3.5) on every Graph response.
// The $batch envelope is neither throttled nor lagged (its items are) and only faulted by rules
// naming "/$batch". Control-plane paths pass through untouched.
func (s *Server) withTraffic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := graphRelPath(r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		isBatch := strings.EqualFold(strings.TrimSuffix(rel, "/"), "/$batch")
		if !s.applyFault(w, r, rel, isBatch) {
			return
		}
		if isBatch {
			next.ServeHTTP(w, r)
			return
		}
		cost := requestCost(r.Method, rel, queryProbe(r))
		w.Header().Set("x-ms-resource-unit", strconv.Itoa(cost))
		if !s.throttle(w, r, cost) {
			return
		}
		if s.replication.getDelay() > 0 {
			if ref, ok := addressedObject(rel); ok && s.replication.hidden(s.tenantFor(r).id, ref, s.tenantFor(r).store.Clock().Now()) {
				s.writeError(w, r, errNotReplicated(ref))
				return
			}
			if isCreate(r.Method, rel) {
				rec := &createRecorder{ResponseWriter: w}
				next.ServeHTTP(rec, r)
				s.rememberCreated(r, rec)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// resetTraffic returns throttling, fault rules and replication lag to a fresh state: every rule
// removed, every bucket full again (the settings stay), no object remembered as replicating.
// POST /_graphmock/reset of the default tenant calls it alongside resetting the directory.
func (s *Server) resetTraffic() {
	s.faults.clear("")
	s.throttler.set(s.throttler.config())
	s.replication.forget()
}
