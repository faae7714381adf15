package engine

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

var admin = Actor{User: &UserIdentity{ID: "a", DisplayName: "Admin", UserPrincipalName: "admin@t.example"}}

func newTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := NewStore(Options{IDs: NewDeterministicIDs(t.Name()), Clock: NewManualClock()})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(admin, func(tx *Txn) error {
		return tx.SetOrganization(&Organization{ID: "11111111-2222-4333-8444-555555555555", DisplayName: "T",
			CountryLetterCode: "US", VerifiedDomains: []VerifiedDomain{{Name: "t.example", IsDefault: true}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testUser(nick string) *User {
	return &User{DisplayName: nick, MailNickname: nick, UserPrincipalName: nick + "@t.example", AccountEnabled: true,
		PasswordProfile: &PasswordProfile{Password: "x-Pa55word"}}
}

func mustCreateUser(t testing.TB, s *Store, nick string) *User {
	t.Helper()
	var u *User
	if err := s.Update(admin, func(tx *Txn) (err error) { u, err = tx.CreateUser(testUser(nick)); return }); err != nil {
		t.Fatal(err)
	}
	return u
}

func countUsers(t testing.TB, s *Store) int {
	t.Helper()
	n := 0
	_ = s.View(func(tx *Txn) error { return tx.Users(func(*User) bool { n++; return true }) })
	return n
}

func countAudits(t testing.TB, s *Store) int {
	t.Helper()
	n := 0
	_ = s.View(func(tx *Txn) error { return tx.AuditRecords(func(*AuditRecord) bool { n++; return true }) })
	return n
}

func TestUpdateIsAllOrNothing(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	before := countAudits(t, s)
	err := s.Update(admin, func(tx *Txn) error {
		if _, err := tx.CreateUser(testUser("one")); err != nil {
			return err
		}
		_, err := tx.CreateUser(testUser("one")) // duplicate UPN
		return err
	})
	var ee *Error
	if !errors.As(err, &ee) || ee.Kind != KindBadRequest || ee.Message != "Another object with the same value for property userPrincipalName already exists." {
		t.Fatalf("err = %v", err)
	}
	if n := countUsers(t, s); n != 0 {
		t.Fatalf("%d users after a failed transaction", n)
	}
	if n := countAudits(t, s); n != before {
		t.Fatalf("audit records written by a failed transaction: %d → %d", before, n)
	}
}

func TestPanicInUpdateLeavesNoChange(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	func() {
		defer func() { _ = recover() }()
		_ = s.Update(admin, func(tx *Txn) error {
			_, _ = tx.CreateUser(testUser("p"))
			panic("boom")
		})
	}()
	if n := countUsers(t, s); n != 0 {
		t.Fatalf("%d users after a panicking transaction", n)
	}
	mustCreateUser(t, s, "after") // the store still takes writes
}

func TestReadsAreCopyOnWrite(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	u := mustCreateUser(t, s, "cow")
	var read *User
	_ = s.View(func(tx *Txn) (err error) { read, err = tx.UserByID(u.ID); return })
	err := s.Update(admin, func(tx *Txn) error {
		c := read.Clone()
		c.JobTitle = "changed"
		_, err := tx.UpdateUser(c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if read.JobTitle != "" {
		t.Fatalf("an object read before the update changed: %q", read.JobTitle)
	}
}

func TestCreateUserAudit(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	u := mustCreateUser(t, s, "aud")
	var recs []*AuditRecord
	_ = s.View(func(tx *Txn) error {
		return tx.AuditRecords(func(r *AuditRecord) bool { recs = append(recs, r); return true })
	})
	last := recs[len(recs)-1]
	if last.ActivityDisplayName != ActivityAddUser || last.Category != CategoryUserManagement || last.Result != "success" ||
		last.LoggedByService != ServiceCoreDirectory || last.InitiatedBy.User.UserPrincipalName != "admin@t.example" ||
		last.TargetResources[0].ID != u.ID || last.TargetResources[0].UserPrincipalName != u.UserPrincipalName {
		t.Fatalf("audit = %+v", last)
	}
}

func TestDeterministicIDs(t *testing.T) {
	t.Parallel()
	a, b := NewDeterministicIDs("seed"), NewDeterministicIDs("seed")
	for i := 0; i < 5; i++ {
		x, y := a.NewID(), b.NewID()
		if x != y || !IsGUID(x) {
			t.Fatalf("ids %q %q", x, y)
		}
	}
	if NewDeterministicIDs("other").NewID() == NewDeterministicIDs("seed").NewID() {
		t.Fatal("different seeds gave the same id")
	}
}

func TestManualClock(t *testing.T) {
	t.Parallel()
	c := NewManualClock()
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	c.Freeze(at)
	c.Advance(time.Hour)
	if got := c.Now(); !got.Equal(at.Add(time.Hour)) {
		t.Fatalf("now = %v", got)
	}
	c.Unfreeze()
	if got := c.Now(); got.Before(at.Add(time.Hour)) || got.After(at.Add(time.Hour+time.Minute)) {
		t.Fatalf("after unfreeze now = %v", got)
	}
}

func TestIsGUID(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"6fd2c87f-b296-42f0-b197-1e91e994b900": true, "6FD2C87F-B296-42F0-B197-1E91E994B900": true,
		"6fd2c87f-b296-42f0-b197-1e91e994b90": false, "6fd2c87fxb296-42f0-b197-1e91e994b900": false,
		"6fd2c87f-b296-42f0-b197-1e91e994b90g": false, "": false,
	} {
		if IsGUID(s) != want {
			t.Errorf("IsGUID(%q) != %v", s, want)
		}
	}
}

// TestImportEdges enforces DESIGN.md's dependency direction: engine has no transport, odata
// knows nothing of engine or the HTTP layer.
func TestImportEdges(t *testing.T) {
	t.Parallel()
	forbid := map[string][]string{
		"github.com/graphmock/graphmock/engine/...": {"net/http", "github.com/graphmock/graphmock/graphmock", "github.com/gorilla/mux"},
		"github.com/graphmock/graphmock/odata/...":  {"net/http", "github.com/graphmock/graphmock/engine", "github.com/graphmock/graphmock/graphmock"},
	}
	for pkg, bad := range forbid {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(string(out)) {
			deps[d] = true
		}
		for _, b := range bad {
			if deps[b] {
				t.Errorf("%s depends on %s", pkg, b)
			}
		}
	}
}

// BenchmarkCreateUsers100k creates 100,000 users, one write transaction each.
func BenchmarkCreateUsers100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := newTestStore(b)
		start := time.Now()
		for j := 0; j < 100_000; j++ {
			nick := fmt.Sprintf("u%06d", j)
			if err := s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(testUser(nick)); return err }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Nanoseconds())/100_000, "ns/user")
	}
}
