package graphmock

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/graphmock/graphmock/engine"
)

// TenantHeader names the tenant a request addresses: its id (the organization id, a GUID).
// Without the header, requests go to the default tenant (the one the server started with).
// Graph requests and control-plane operations both honour it; an id that is not a GUID is a 400
// and an unknown tenant a 404, both in Graph's error envelope.
const TenantHeader = "X-Graphmock-Tenant"

// ctxTenant carries the *tenant withTenant resolved.
const ctxTenant ctxKey = 100

// tenantControl is a tenant's control-plane state; it outlives replacements of the tenant's data.
type tenantControl struct {
	initial *engine.Snapshot // the state reset returns to

	mu        sync.Mutex
	snapshots map[string]*engine.Snapshot

	journal *journal
}

func newTenantControl(initial *engine.Snapshot, journalLimit int) *tenantControl {
	return &tenantControl{initial: initial, snapshots: map[string]*engine.Snapshot{}, journal: newJournal(journalLimit)}
}

// withTenant resolves the X-Graphmock-Tenant header into the request context (see tenantFor).
// The tenant registry operations and healthz ignore the header.
func (s *Server) withTenant(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := strings.TrimSpace(r.Header.Get(TenantHeader))
		p := strings.ToLower(r.URL.Path)
		if v == "" || p == controlPlanePrefix+"/healthz" || p == controlPlanePrefix+"/tenants" || strings.HasPrefix(p, controlPlanePrefix+"/tenants/") {
			next.ServeHTTP(w, r)
			return
		}
		if !engine.IsGUID(v) {
			s.writeError(w, r, badControlRequest("The "+TenantHeader+" header must be a tenant id (a GUID); got '"+v+"'."))
			return
		}
		t := s.tenant(v)
		if t == nil {
			s.writeError(w, r, errTenantNotFound(v))
			return
		}
		next.ServeHTTP(w, withTenantContext(r, t))
	})
}

// withTenantContext returns r addressed to t; tenantFor(r) then answers t. Middleware that
// identifies the tenant another way (a token's tid claim) resolves it with s.tenant(id) and uses this.
func withTenantContext(r *http.Request, t *tenant) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ctxTenant, t))
}

// errTenantNotFound is the 404 for an unknown tenant; the wording follows Entra ID's AADSTS90002.
func errTenantNotFound(id string) *httpError {
	return controlNotFound("Tenant '" + id + "' not found.")
}

// tenantSummary describes a tenant: {"id","displayName","default","users","groups","subscribedSkus"},
// the counts being active objects.
func (s *Server) tenantSummary(t *tenant, isDefault bool) (object, error) {
	var name string
	var users, groups, skus int
	err := t.store.View(func(tx *engine.Txn) error {
		org, err := tx.Organization()
		if err != nil {
			return err
		}
		name = org.DisplayName
		if err := tx.Users(func(*engine.User) bool { users++; return true }); err != nil {
			return err
		}
		if err := tx.Groups(func(*engine.Group) bool { groups++; return true }); err != nil {
			return err
		}
		ss, err := tx.SubscribedSkus()
		skus = len(ss)
		return err
	})
	if err != nil {
		return nil, err
	}
	return object{{"id", t.id}, {"displayName", name}, {"default", isDefault},
		{"users", users}, {"groups", groups}, {"subscribedSkus", skus}}, nil
}

// listTenants serves GET /_graphmock/tenants: 200 {"value":[tenant summary…]} ordered by id.
func (s *Server) listTenants(w http.ResponseWriter, _ *http.Request) error {
	s.mu.RLock()
	ts := make([]*tenant, 0, len(s.tenants))
	for _, t := range s.tenants {
		ts = append(ts, t)
	}
	def := s.defaultID
	s.mu.RUnlock()
	sort.Slice(ts, func(i, j int) bool { return ts[i].id < ts[j].id })
	values := make([]object, 0, len(ts))
	for _, t := range ts {
		sum, err := s.tenantSummary(t, t.id == def)
		if err != nil {
			return err
		}
		values = append(values, sum)
	}
	writeControlJSON(w, http.StatusOK, object{{"value", values}})
	return nil
}

// getTenant serves GET /_graphmock/tenants/{id}: 200 tenant summary; 404 when unknown.
func (s *Server) getTenant(w http.ResponseWriter, r *http.Request) error {
	id := pathVar(r, "tenant-id")
	t := s.tenant(id)
	if t == nil {
		return errTenantNotFound(id)
	}
	sum, err := s.tenantSummary(t, t.id == s.TenantID())
	if err != nil {
		return err
	}
	writeControlJSON(w, http.StatusOK, sum)
	return nil
}

// createTenant serves POST /_graphmock/tenants with a fixture body (docs/fixtures.md): 201 with the
// tenant summary. The tenant id is the fixture's organization.id. Errors: 400 for an invalid
// fixture (nothing is created), 409 when a tenant with that id exists.
func (s *Server) createTenant(w http.ResponseWriter, r *http.Request) error {
	fx, err := parseFixtureBody(r)
	if err != nil {
		return err
	}
	id := engine.NormalizeGUID(fx.Organization.ID)
	if s.tenant(id) != nil {
		return errTenantExists(id)
	}
	t, err := s.newTenant(fx, false, nil)
	if err != nil {
		return badControlRequest("The fixture is invalid: " + err.Error())
	}
	s.mu.Lock()
	if _, taken := s.tenants[t.id]; taken {
		s.mu.Unlock()
		return errTenantExists(id)
	}
	s.tenants[t.id] = t
	s.mu.Unlock()
	sum, err := s.tenantSummary(t, false)
	if err != nil {
		return err
	}
	writeControlJSON(w, http.StatusCreated, sum)
	return nil
}

func errTenantExists(id string) *httpError {
	return newHTTPError(http.StatusConflict, codeConflict, "Tenant '"+id+"' already exists.")
}

// deleteTenant serves DELETE /_graphmock/tenants/{id}: 204. Errors: 404 for an unknown tenant,
// 400 for the default tenant (it can be reset or reseeded, not deleted).
func (s *Server) deleteTenant(w http.ResponseWriter, r *http.Request) error {
	id := strings.ToLower(pathVar(r, "tenant-id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tenants[id]; !ok {
		return errTenantNotFound(pathVar(r, "tenant-id"))
	}
	if id == s.defaultID {
		return badControlRequest("The default tenant can't be deleted; reset or seed it instead.")
	}
	delete(s.tenants, id)
	writeNoContent(w)
	return nil
}

// parseFixtureBody reads a fixture document from the request body. Errors: 400 naming the problem.
func parseFixtureBody(r *http.Request) (*Fixture, error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	fx, err := ParseFixture(b)
	if err != nil {
		return nil, badControlRequest("The fixture is invalid: " + err.Error())
	}
	return fx, nil
}
