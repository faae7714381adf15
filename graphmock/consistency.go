package graphmock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/graphmock/graphmock/engine"
)

// replication emulates directory replication lag (users-ask §7): while a delay is set, a user or
// group created through the API is not found by requests that address it (GET, PATCH, DELETE,
// actions and sub-resources of /users/{id|upn}, /groups/{id} and /directoryObjects/{id}) until
// the delay has passed on the engine clock. Lists and the control plane see the object at once.
// The answer is Graph's 404 Request_ResourceNotFound for the reference as the client spelled it.
type replication struct {
	mu      sync.Mutex
	delay   time.Duration
	created map[string]map[string]time.Time // tenant id → lower-cased id or UPN → creation time
}

func newReplication(delay time.Duration) *replication {
	return &replication{delay: delay, created: map[string]map[string]time.Time{}}
}

// setDelay changes the lag; zero turns it off and forgets remembered objects.
func (rp *replication) setDelay(d time.Duration) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	rp.delay = d
	if d <= 0 {
		rp.created = map[string]map[string]time.Time{}
	}
}

// forget drops every remembered creation: all objects are visible.
func (rp *replication) forget() {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	rp.created = map[string]map[string]time.Time{}
}

func (rp *replication) getDelay() time.Duration {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.delay
}

// remember records that the objects named by refs were created at now in tenant.
func (rp *replication) remember(tenant string, now time.Time, refs ...string) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.delay <= 0 {
		return
	}
	m := rp.created[tenant]
	if m == nil {
		m = map[string]time.Time{}
		rp.created[tenant] = m
	}
	for _, ref := range refs {
		if ref != "" {
			m[strings.ToLower(ref)] = now
		}
	}
}

// hidden reports whether ref (an id or UPN) is still replicating at now; expired entries are dropped.
func (rp *replication) hidden(tenant, ref string, now time.Time) bool {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	m := rp.created[tenant]
	if m == nil {
		return false
	}
	key := strings.ToLower(ref)
	at, ok := m[key]
	if !ok {
		return false
	}
	if now.Sub(at) < rp.delay {
		return true
	}
	delete(m, key)
	return false
}

// addressedObject returns the object reference a Graph path addresses by id, if any:
// /users/{ref}…, /groups/{id}…, /directoryObjects/{id}… (rel is the path after the version).
func addressedObject(rel string) (string, bool) {
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	if len(segs) < 2 || strings.HasPrefix(segs[1], "$") || strings.HasPrefix(strings.ToLower(segs[1]), "microsoft.graph.") {
		return "", false
	}
	switch strings.ToLower(segs[0]) {
	case "users", "groups", "directoryobjects":
		return segs[1], true
	}
	return "", false
}

// isCreate reports whether a call creates a user or group (POST /users, POST /groups).
func isCreate(method, rel string) bool {
	if method != http.MethodPost {
		return false
	}
	switch strings.ToLower(strings.Trim(rel, "/")) {
	case "users", "groups":
		return true
	}
	return false
}

// createRecorder passes a create's response through and keeps its body to learn the new id.
type createRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *createRecorder) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *createRecorder) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

// rememberCreated records the object a 201 create answered with.
func (s *Server) rememberCreated(r *http.Request, rec *createRecorder) {
	if rec.status != http.StatusCreated {
		return
	}
	var obj struct {
		ID  string `json:"id"`
		UPN string `json:"userPrincipalName"`
	}
	if json.Unmarshal(rec.body.Bytes(), &obj) != nil {
		return
	}
	t := s.tenantFor(r)
	s.replication.remember(t.id, t.store.Clock().Now(), obj.ID, obj.UPN)
}

// errNotReplicated is the 404 for an object that exists but has not replicated yet: the
// directory's Request_ResourceNotFound (graph-facts §3.2).
func errNotReplicated(ref string) error { return engine.NotFound(ref) }

// checkReplicated answers 404 for the first object named in a request body (an @odata.id or
// @odata.bind reference) that is still replicating: adding a just-created user to a group is the
// classic case of Graph's lag.
func (s *Server) checkReplicated(r *http.Request, ids ...string) error {
	if s.replication.getDelay() <= 0 {
		return nil
	}
	t := s.tenantFor(r)
	now := t.store.Clock().Now()
	for _, id := range ids {
		if s.replication.hidden(t.id, id, now) {
			return errNotReplicated(id)
		}
	}
	return nil
}
