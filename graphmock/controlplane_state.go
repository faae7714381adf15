package graphmock

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/graphmock/graphmock/engine"
)

// replaceState swaps a tenant's whole state for snap's. The tenant id follows the state's
// organization id, so loading another organization's fixture re-keys the tenant. Errors: 404 when
// the tenant was deleted meanwhile, 409 when the new id belongs to another tenant; on error the
// state is unchanged.
func (s *Server) replaceState(cur *tenant, snap *engine.Snapshot) (*tenant, error) {
	var newID string
	if err := snap.View(func(tx *engine.Txn) error {
		org, err := tx.Organization()
		if err == nil {
			newID = strings.ToLower(org.ID)
		}
		return err
	}); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	live := s.tenants[cur.id]
	if live == nil || live.ctl != cur.ctl {
		return nil, errTenantNotFound(cur.id)
	}
	if newID != live.id {
		if _, taken := s.tenants[newID]; taken {
			return nil, errTenantExists(newID)
		}
	}
	live.store.Restore(snap)
	nt := &tenant{id: newID, store: live.store, ctl: live.ctl, actor: defaultActor(live.store, s.opts.DefaultActorUPN)}
	delete(s.tenants, live.id)
	s.tenants[newID] = nt
	if s.defaultID == live.id {
		s.defaultID = newID
	}
	return nt, nil
}

// writeTenantSummary answers a state change with 200 and the tenant summary.
func (s *Server) writeTenantSummary(w http.ResponseWriter, t *tenant) error {
	sum, err := s.tenantSummary(t, t.id == s.TenantID())
	if err != nil {
		return err
	}
	writeControlJSON(w, http.StatusOK, sum)
	return nil
}

// resetTenant serves POST /_graphmock/reset: the tenant's state goes back to what it was loaded
// with (the server's seed for the default tenant, the creation fixture for others); 200 with the
// tenant summary. Snapshots, the journal and the clock are kept. Resetting the default tenant
// also returns the server-wide traffic settings to a fresh state (resetTraffic: no fault rules,
// full throttling buckets, nothing replicating); other tenants' resets leave them alone.
func (s *Server) resetTenant(w http.ResponseWriter, r *http.Request) error {
	t := s.tenantFor(r)
	isDefault := t.id == s.TenantID()
	nt, err := s.replaceState(t, t.ctl.initial)
	if err != nil {
		return err
	}
	if isDefault {
		s.resetTraffic()
	}
	return s.writeTenantSummary(w, nt)
}

// seedTenant serves POST /_graphmock/seed with a fixture body (the --seed format, or an export):
// the tenant's whole state is replaced by the fixture's; 200 with the tenant summary. The fixture
// is loaded completely before anything changes: an invalid one is a 400 and leaves the state as
// it was. The reset target does not change.
func (s *Server) seedTenant(w http.ResponseWriter, r *http.Request) error {
	t := s.tenantFor(r)
	fx, err := parseFixtureBody(r)
	if err != nil {
		return err
	}
	scratch, err := s.newStore(fx, false, t.store, nil)
	if err != nil {
		return badControlRequest("The fixture is invalid: " + strings.TrimPrefix(err.Error(), "graphmock: load fixture: "))
	}
	nt, err := s.replaceState(t, scratch.Snapshot())
	if err != nil {
		return err
	}
	return s.writeTenantSummary(w, nt)
}

// exportTenant serves GET /_graphmock/export: 200 with the tenant's state as a fixture document
// that POST /_graphmock/seed (and --seed) accepts; export → seed → export gives the same bytes.
func (s *Server) exportTenant(w http.ResponseWriter, r *http.Request) error {
	var doc object
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		var err error
		doc, err = exportFixture(tx)
		return err
	})
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

// snapshotName is what a snapshot may be called: 1–64 letters, digits, '.', '_' or '-'.
var snapshotName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func snapshotInfo(name string, sn *engine.Snapshot) object {
	return object{{"name", name}, {"createdDateTime", sn.Time().UTC().Format(time.RFC3339Nano)}}
}

// createSnapshot serves POST /_graphmock/snapshots {"name":"…"}: 201 {"name","createdDateTime"}.
// Taking a snapshot is O(1) whatever the tenant's size; a snapshot with the same name is replaced.
// Errors: 400 for a missing or invalid name.
func (s *Server) createSnapshot(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Name *string `json:"name"`
	}
	if err := decodeControlBody(r, &body); err != nil {
		return err
	}
	if body.Name == nil || !snapshotName.MatchString(*body.Name) {
		return badControlRequest("A snapshot needs a name of 1 to 64 letters, digits, '.', '_' or '-'.")
	}
	t := s.tenantFor(r)
	sn := t.store.Snapshot()
	t.ctl.mu.Lock()
	t.ctl.snapshots[*body.Name] = sn
	t.ctl.mu.Unlock()
	writeControlJSON(w, http.StatusCreated, snapshotInfo(*body.Name, sn))
	return nil
}

// listSnapshots serves GET /_graphmock/snapshots: 200 {"value":[{"name","createdDateTime"}…]} by name.
func (s *Server) listSnapshots(w http.ResponseWriter, r *http.Request) error {
	t := s.tenantFor(r)
	t.ctl.mu.Lock()
	names := make([]string, 0, len(t.ctl.snapshots))
	for n := range t.ctl.snapshots {
		names = append(names, n)
	}
	sort.Strings(names)
	values := make([]object, len(names))
	for i, n := range names {
		values[i] = snapshotInfo(n, t.ctl.snapshots[n])
	}
	t.ctl.mu.Unlock()
	writeControlJSON(w, http.StatusOK, object{{"value", values}})
	return nil
}

func (s *Server) snapshotNamed(r *http.Request) (*tenant, string, *engine.Snapshot, error) {
	t := s.tenantFor(r)
	name := pathVar(r, "name")
	t.ctl.mu.Lock()
	sn := t.ctl.snapshots[name]
	t.ctl.mu.Unlock()
	if sn == nil {
		return nil, "", nil, controlNotFound("Snapshot '" + name + "' does not exist.")
	}
	return t, name, sn, nil
}

// restoreSnapshot serves POST /_graphmock/snapshots/{name}/restore: the tenant's state becomes the
// snapshot's; 200 {"name","createdDateTime"}. The snapshot stays and can be restored again.
// Errors: 404 for an unknown name.
func (s *Server) restoreSnapshot(w http.ResponseWriter, r *http.Request) error {
	t, name, sn, err := s.snapshotNamed(r)
	if err != nil {
		return err
	}
	if _, err := s.replaceState(t, sn); err != nil {
		return err
	}
	writeControlJSON(w, http.StatusOK, snapshotInfo(name, sn))
	return nil
}

// deleteSnapshot serves DELETE /_graphmock/snapshots/{name}: 204. Errors: 404 for an unknown name.
func (s *Server) deleteSnapshot(w http.ResponseWriter, r *http.Request) error {
	t, name, _, err := s.snapshotNamed(r)
	if err != nil {
		return err
	}
	t.ctl.mu.Lock()
	delete(t.ctl.snapshots, name)
	t.ctl.mu.Unlock()
	writeNoContent(w)
	return nil
}
