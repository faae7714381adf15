package engine_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
)

const snapTenantID = "7d3f4a8e-2c1b-4e5f-9a6d-3b8c0e1f2a4d"

var snapActor = engine.Actor{App: &engine.AppIdentity{AppID: "00000000-0000-0000-0000-000000000002", DisplayName: "test"}}

func newSnapStore(t testing.TB, ids engine.IDSource) *engine.Store {
	t.Helper()
	s, err := engine.NewStore(engine.Options{IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(snapActor, func(tx *engine.Txn) error {
		return tx.SetOrganization(&engine.Organization{ID: snapTenantID, DisplayName: "Test",
			VerifiedDomains: []engine.VerifiedDomain{{Name: "test.example", IsDefault: true}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func snapUser(t testing.TB, s *engine.Store, nick string) *engine.User {
	t.Helper()
	u, err := trySnapUser(s, nick)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func trySnapUser(s *engine.Store, nick string) (*engine.User, error) {
	var u *engine.User
	err := s.Update(snapActor, func(tx *engine.Txn) error {
		var err error
		u, err = tx.CreateUser(&engine.User{AccountEnabled: true, DisplayName: nick, MailNickname: nick,
			UserPrincipalName: nick + "@test.example", PasswordProfile: &engine.PasswordProfile{Password: "x-Pa55word"}})
		return err
	})
	return u, err
}

func snapUserCount(t testing.TB, s *engine.Store) int {
	t.Helper()
	n := 0
	if err := s.View(func(tx *engine.Txn) error { return tx.Users(func(*engine.User) bool { n++; return true }) }); err != nil {
		t.Fatal(err)
	}
	return n
}

func snapAuditSeqs(t testing.TB, s *engine.Store) []uint64 {
	t.Helper()
	var seqs []uint64
	if err := s.View(func(tx *engine.Txn) error {
		return tx.AuditRecords(func(r *engine.AuditRecord) bool { seqs = append(seqs, r.Seq); return true })
	}); err != nil {
		t.Fatal(err)
	}
	return seqs
}

func TestSnapshotRestore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		ids   engine.IDSource
		same  bool // restored ids repeat
		later int  // users created after the snapshot
	}{
		{"deterministic ids rewind", engine.NewDeterministicIDs("snap"), true, 3},
		{"random ids", engine.RandomIDs{}, false, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSnapStore(t, tc.ids)
			snapUser(t, s, "before")
			sn := s.Snapshot()
			var first []string
			for i := 0; i < tc.later; i++ {
				first = append(first, snapUser(t, s, fmt.Sprintf("after%d", i)).ID)
			}
			if got := snapUserCount(t, s); got != 1+tc.later {
				t.Fatalf("%d users before restore", got)
			}
			n := 0
			_ = sn.View(func(tx *engine.Txn) error { return tx.Users(func(*engine.User) bool { n++; return true }) })
			if n != 1 {
				t.Fatalf("snapshot sees %d users, want 1", n)
			}
			s.Restore(sn)
			if got := snapUserCount(t, s); got != 1 {
				t.Fatalf("%d users after restore, want 1", got)
			}
			again := snapUser(t, s, "after0").ID
			if (again == first[0]) != tc.same {
				t.Fatalf("id after restore %s, first %s, want same=%v", again, first[0], tc.same)
			}
			// Audit sequence numbers stay unique after a restore.
			seen := map[uint64]bool{}
			for _, q := range snapAuditSeqs(t, s) {
				if seen[q] {
					t.Fatalf("audit seq %d repeated", q)
				}
				seen[q] = true
			}
			// The snapshot is unchanged by writes after the restore.
			s.Restore(sn)
			if got := snapUserCount(t, s); got != 1 {
				t.Fatalf("%d users after second restore, want 1", got)
			}
		})
	}
}

func TestRestoreFromAnotherStore(t *testing.T) {
	t.Parallel()
	a := newSnapStore(t, nil)
	b := newSnapStore(t, nil)
	for i := 0; i < 5; i++ {
		snapUser(t, b, fmt.Sprintf("b%d", i))
	}
	snapUser(t, a, "a0")
	a.Restore(b.Snapshot())
	if got := snapUserCount(t, a); got != 5 {
		t.Fatalf("%d users, want 5", got)
	}
	snapUser(t, a, "a1")
	if got := snapUserCount(t, b); got != 5 {
		t.Fatalf("writing the restored store changed its source: %d users", got)
	}
	seen := map[uint64]bool{}
	for _, q := range snapAuditSeqs(t, a) {
		if seen[q] {
			t.Fatalf("audit seq %d repeated after restoring another store's state", q)
		}
		seen[q] = true
	}
}

// TestRestoreDuringWrites checks that concurrent writes land either before a restore (and are
// replaced) or after it (and are kept), never in a discarded database.
func TestRestoreDuringWrites(t *testing.T) {
	t.Parallel()
	s := newSnapStore(t, nil)
	empty := s.Snapshot()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := trySnapUser(s, fmt.Sprintf("w%d-%d", w, i)); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	for i := 0; i < 50; i++ {
		s.Restore(empty)
		time.Sleep(100 * time.Microsecond)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("write during restores: %v", err)
	}
	s.Restore(empty)
	if got := snapUserCount(t, s); got != 0 {
		t.Fatalf("%d users after the final restore", got)
	}
	u := snapUser(t, s, "last")
	if got := snapUserCount(t, s); got != 1 || u == nil {
		t.Fatalf("a write after restore is lost: %d users", got)
	}
}

func TestMarkDeleted(t *testing.T) {
	t.Parallel()
	s := newSnapStore(t, nil)
	u := snapUser(t, s, "gone")
	at := time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC)
	if err := s.Update(snapActor, func(tx *engine.Txn) error { return tx.MarkDeleted(u.ID, at) }); err != nil {
		t.Fatal(err)
	}
	err := s.View(func(tx *engine.Txn) error {
		obj, err := tx.DeletedObject(u.ID)
		if err != nil {
			return err
		}
		if !obj.User.DeletedDateTime.Equal(at) {
			return fmt.Errorf("deletedDateTime %v", obj.User.DeletedDateTime)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(snapActor, func(tx *engine.Txn) error { return tx.MarkDeleted(u.ID, at) })
	if e, ok := err.(*engine.Error); !ok || e.Kind != engine.KindNotFound {
		t.Fatalf("marking a deleted user again: %v", err)
	}
}

type restoreCounter struct{ n int }

func (*restoreCounter) UserChanged(*engine.Txn, *engine.User, *engine.User) error    { return nil }
func (*restoreCounter) GroupChanged(*engine.Txn, *engine.Group, *engine.Group) error { return nil }
func (*restoreCounter) MembershipChanged(*engine.Txn, engine.Membership, bool) error { return nil }
func (c *restoreCounter) StateRestored(*engine.Store)                                { c.n++ }

func TestRestoreObserver(t *testing.T) {
	t.Parallel()
	s := newSnapStore(t, nil)
	c := &restoreCounter{}
	s.AddObserver(c)
	sn := s.Snapshot()
	s.Restore(sn)
	s.Restore(sn)
	if c.n != 2 {
		t.Fatalf("StateRestored called %d times, want 2", c.n)
	}
}

// BenchmarkSnapshotRestore takes and restores a snapshot of stores of growing size: the cost does
// not grow with the number of objects.
func BenchmarkSnapshotRestore(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			s := newSnapStore(b, nil)
			err := s.Update(snapActor, func(tx *engine.Txn) error {
				for i := 0; i < n; i++ {
					nick := fmt.Sprintf("u%d", i)
					if _, err := tx.CreateUser(&engine.User{AccountEnabled: true, DisplayName: nick, MailNickname: nick,
						UserPrincipalName: nick + "@test.example", PasswordProfile: &engine.PasswordProfile{Password: "x-Pa55word"}}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				s.Restore(s.Snapshot())
			}
		})
	}
}
