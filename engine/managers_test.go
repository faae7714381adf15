package engine

import (
	"testing"
)

func managerOf(t *testing.T, s *Store, userRef string) (*User, error) {
	t.Helper()
	var m *User
	err := s.View(func(tx *Txn) (err error) { m, err = tx.Manager(userRef); return })
	return m, err
}

func reportIDs(t *testing.T, s *Store, managerID string) []string {
	t.Helper()
	var ids []string
	_ = s.View(func(tx *Txn) error {
		objs, err := tx.DirectReports(managerID)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			ids = append(ids, o.ID())
		}
		return nil
	})
	return ids
}

func wantError(t *testing.T, err error, kind Kind, code, msg string) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Kind != kind || e.Code != code || e.Message != msg {
		t.Fatalf("error %v, want %d %s %q", err, kind, code, msg)
	}
}

const msgNoManager = "Resource 'manager' does not exist or one of its queried reference-property objects are not present."

func TestSetManagerReplacesAndAudits(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	u, m1, m2 := mustCreateUser(t, s, "u"), mustCreateUser(t, s, "m1"), mustCreateUser(t, s, "m2")
	if _, err := managerOf(t, s, u.ID); err == nil {
		t.Fatal("a new user has a manager")
	} else {
		wantError(t, err, KindNotFound, CodeRequestResourceNotFound, msgNoManager)
	}
	before := countAudits(t, s)
	if err := s.Update(admin, func(tx *Txn) error { return tx.SetManager("u@t.example", m1.ID) }); err != nil {
		t.Fatal(err)
	}
	if m, err := managerOf(t, s, u.ID); err != nil || m.ID != m1.ID {
		t.Fatalf("manager %v, %v; want m1", m, err)
	}
	if err := s.Update(admin, func(tx *Txn) error { return tx.SetManager(u.ID, m2.ID) }); err != nil {
		t.Fatal(err)
	}
	if m, err := managerOf(t, s, u.ID); err != nil || m.ID != m2.ID {
		t.Fatalf("manager %v, %v; want m2", m, err)
	}
	if got := reportIDs(t, s, m1.ID); len(got) != 0 {
		t.Fatalf("m1 still has reports %v", got)
	}
	if got := reportIDs(t, s, m2.ID); len(got) != 1 || got[0] != u.ID {
		t.Fatalf("m2 reports %v", got)
	}
	// Setting the same manager again changes nothing and records nothing.
	if err := s.Update(admin, func(tx *Txn) error { return tx.SetManager(u.ID, m2.ID) }); err != nil {
		t.Fatal(err)
	}
	var recs []*AuditRecord
	_ = s.View(func(tx *Txn) error {
		return tx.AuditRecords(func(r *AuditRecord) bool { recs = append(recs, r); return true })
	})
	if len(recs)-before != 2 {
		t.Fatalf("%d new audit records, want 2", len(recs)-before)
	}
	last := recs[len(recs)-1]
	if last.ActivityDisplayName != ActivitySetUserManager || last.Category != CategoryUserManagement ||
		last.InitiatedBy.User == nil || last.InitiatedBy.User.ID != admin.User.ID {
		t.Fatalf("last record %+v", last)
	}
	tr := last.TargetResources
	if len(tr) != 2 || tr[0].ID != u.ID || tr[1].ID != m2.ID {
		t.Fatalf("targets %+v", tr)
	}
	p := tr[0].ModifiedProperties[0]
	if p.DisplayName != "Manager.ObjectID" || p.OldValue == nil || *p.OldValue != `"`+m1.ID+`"` || p.NewValue == nil || *p.NewValue != `"`+m2.ID+`"` {
		t.Fatalf("modified property %+v", p)
	}
}

func TestSetManagerErrors(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	u := mustCreateUser(t, s, "u")
	gone := mustCreateUser(t, s, "gone")
	if err := s.Update(admin, func(tx *Txn) error { return tx.DeleteUser(gone.ID) }); err != nil {
		t.Fatal(err)
	}
	const unknown = "00000000-0000-4000-8000-000000000001"
	for _, tc := range []struct {
		name, user, manager string
		kind                Kind
		code, msg           string
	}{
		{"own manager", u.ID, u.ID, KindBadRequest, CodeRequestBadRequest, MsgOwnManager},
		{"unknown manager", u.ID, unknown, KindNotFound, CodeRequestResourceNotFound, "Resource '" + unknown + "' does not exist or one of its queried reference-property objects are not present."},
		{"deleted manager", u.ID, gone.ID, KindNotFound, CodeRequestResourceNotFound, "Resource '" + gone.ID + "' does not exist or one of its queried reference-property objects are not present."},
		{"unknown user", "nobody@t.example", u.ID, KindNotFound, CodeRequestResourceNotFound, "Resource 'nobody@t.example' does not exist or one of its queried reference-property objects are not present."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.Update(admin, func(tx *Txn) error { return tx.SetManager(tc.user, tc.manager) })
			wantError(t, err, tc.kind, tc.code, tc.msg)
		})
	}
	err := s.Update(admin, func(tx *Txn) error { return tx.RemoveManager(u.ID) })
	wantError(t, err, KindNotFound, CodeRequestResourceNotFound, msgNoManager)
}

func TestRemoveManager(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	u, m := mustCreateUser(t, s, "u"), mustCreateUser(t, s, "m")
	if err := s.Update(admin, func(tx *Txn) error { return tx.SetManager(u.ID, m.ID) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(admin, func(tx *Txn) error { return tx.RemoveManager(u.ID) }); err != nil {
		t.Fatal(err)
	}
	if _, err := managerOf(t, s, u.ID); err == nil {
		t.Fatal("manager still set")
	}
	var last *AuditRecord
	_ = s.View(func(tx *Txn) error { return tx.AuditRecords(func(r *AuditRecord) bool { last = r; return true }) })
	if last.ActivityDisplayName != ActivityUpdateUser || len(last.TargetResources) != 1 ||
		last.TargetResources[0].ModifiedProperties[0].OldValue == nil || last.TargetResources[0].ModifiedProperties[0].NewValue != nil {
		t.Fatalf("last record %+v", last)
	}
}

func TestManagerLinksFollowDeleteRestorePurge(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	u, m := mustCreateUser(t, s, "u"), mustCreateUser(t, s, "m")
	if err := s.Update(admin, func(tx *Txn) error { return tx.SetManager(u.ID, m.ID) }); err != nil {
		t.Fatal(err)
	}
	step := func(fn func(tx *Txn) error) {
		t.Helper()
		if err := s.Update(admin, fn); err != nil {
			t.Fatal(err)
		}
	}
	// The manager deleted: the report has no manager until the restore.
	step(func(tx *Txn) error { return tx.DeleteUser(m.ID) })
	if _, err := managerOf(t, s, u.ID); err == nil {
		t.Fatal("a deleted manager is visible")
	}
	step(func(tx *Txn) error { _, err := tx.RestoreObject(m.ID); return err })
	if got, err := managerOf(t, s, u.ID); err != nil || got.ID != m.ID {
		t.Fatalf("after restore: %v, %v", got, err)
	}
	// The report deleted: the manager's direct reports omit them until the restore.
	step(func(tx *Txn) error { return tx.DeleteUser(u.ID) })
	if got := reportIDs(t, s, m.ID); len(got) != 0 {
		t.Fatalf("reports while deleted %v", got)
	}
	step(func(tx *Txn) error { _, err := tx.RestoreObject(u.ID); return err })
	if got := reportIDs(t, s, m.ID); len(got) != 1 {
		t.Fatalf("reports after restore %v", got)
	}
	// A hard delete removes the link.
	step(func(tx *Txn) error { return tx.DeleteUser(m.ID) })
	step(func(tx *Txn) error { return tx.PurgeObject(m.ID) })
	_ = s.View(func(tx *Txn) error {
		if id, err := tx.ManagerID(u.ID); err != nil || id != "" {
			t.Fatalf("link after purge: %q, %v", id, err)
		}
		return nil
	})
}
