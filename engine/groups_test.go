package engine_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/graphmock/graphmock/engine"
)

// Group kinds for the tests below, by (groupTypes, mailEnabled, securityEnabled).
type groupKind int

const (
	kindSecurity             groupKind = iota // security group
	kindMicrosoft365                          // Unified, mail-enabled
	kindMailEnabledSecurity                   // mail-enabled security group (Exchange Online)
	kindDistributionList                      // mail-enabled, not security (Exchange Online)
	kindMicrosoft365Security                  // Unified, mail-enabled, security-enabled
)

func (k groupKind) group(name, nick string) *engine.Group {
	g := &engine.Group{DisplayName: name, MailNickname: nick}
	switch k {
	case kindSecurity:
		g.SecurityEnabled = true
	case kindMicrosoft365:
		g.GroupTypes, g.MailEnabled = []string{"Unified"}, true
	case kindMailEnabledSecurity:
		g.MailEnabled, g.SecurityEnabled = true, true
	case kindDistributionList:
		g.MailEnabled = true
	case kindMicrosoft365Security:
		g.GroupTypes, g.MailEnabled, g.SecurityEnabled = []string{"Unified"}, true, true
	}
	return g
}

// loadGroup creates a group of kind the way the fixture loader does (LoadGroup) and adds members
// as the fixture actor would.
func (e *env) loadGroup(kind groupKind, name, nick string, members ...string) string {
	e.t.Helper()
	var id string
	e.update(func(tx *engine.Txn) error {
		g, err := tx.LoadGroup(kind.group(name, nick))
		if err != nil {
			return err
		}
		id = g.ID
		for _, m := range members {
			if err := tx.AddMemberAs(admin, id, m); err != nil {
				return err
			}
		}
		return nil
	})
	return id
}

// createGroup creates a group of kind through CreateGroup (POST /groups).
func (e *env) createGroup(kind groupKind, name, nick string) (string, error) {
	e.t.Helper()
	var id string
	err := e.try(func(tx *engine.Txn) error {
		g, err := tx.CreateGroup(kind.group(name, nick))
		if err == nil {
			id = g.ID
		}
		return err
	})
	return id, err
}

func (e *env) groupCount() int {
	e.t.Helper()
	n := 0
	if err := e.s.View(func(tx *engine.Txn) error {
		return tx.Groups(func(*engine.Group) bool { n++; return true })
	}); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// wantBadRequest fails unless err is a 400 Request_BadRequest with message msg.
func wantBadRequest(t *testing.T, err error, msg string) {
	t.Helper()
	var ee *engine.Error
	if !errors.As(err, &ee) || ee.Kind != engine.KindBadRequest || ee.Code != engine.CodeRequestBadRequest || ee.Message != msg {
		t.Fatalf("err = %v, want Request_BadRequest %q", err, msg)
	}
}

const msgDuplicateNickname = "Another object with the same value for property mailNickname already exists."

func TestCreateGroupMailEnabledRules(t *testing.T) {
	t.Parallel()
	dynamicMailEnabled := func() *engine.Group {
		return &engine.Group{DisplayName: "Dyn", MailNickname: "dyn", MailEnabled: true, SecurityEnabled: true,
			GroupTypes: []string{"DynamicMembership"}, MembershipRule: `user.department -eq "Sales"`}
	}
	tests := []struct {
		name     string
		group    *engine.Group
		wantMsg  string // "" = created
		wantMail string
	}{
		{name: "Microsoft 365 group", group: kindMicrosoft365.group("Crew", "crew"), wantMail: "crew@contoso.example"},
		{name: "Microsoft 365 group with securityEnabled", group: kindMicrosoft365Security.group("Crew", "crew"), wantMail: "crew@contoso.example"},
		{name: "security group", group: kindSecurity.group("Sec", "sec")},
		{name: "mail-enabled security group", group: kindMailEnabledSecurity.group("Mesg", "mesg"), wantMsg: engine.MsgMailEnabledGroupWrite},
		{name: "distribution list", group: kindDistributionList.group("DL", "dl"), wantMsg: engine.MsgMailEnabledGroupWrite},
		{name: "mail-enabled dynamic security group", group: dynamicMailEnabled(), wantMsg: engine.MsgMailEnabledGroupWrite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			audits := len(e.audits())
			var created *engine.Group
			err := e.try(func(tx *engine.Txn) (err error) { created, err = tx.CreateGroup(tc.group); return })
			if tc.wantMsg != "" {
				wantBadRequest(t, err, tc.wantMsg)
				if n := e.groupCount(); n != 0 {
					t.Fatalf("a refused create left %d groups", n)
				}
				if n := len(e.audits()); n != audits {
					t.Fatalf("a refused create wrote %d audit records", n-audits)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g := e.getGroup(created.ID); g.Mail != tc.wantMail {
				t.Fatalf("mail = %q, want %q", g.Mail, tc.wantMail)
			}
		})
	}
}

func TestLoadGroupKeepsMailEnabledGroups(t *testing.T) {
	t.Parallel()
	for name, kind := range map[string]groupKind{"mail-enabled security group": kindMailEnabledSecurity, "distribution list": kindDistributionList} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			uid := e.user("Adele Vance", "US")
			gid := e.loadGroup(kind, "Exchange", "exchange", uid)
			g := e.getGroup(gid)
			if !g.IsMailEnabledNonUnified() || g.Mail != "exchange@contoso.example" || g.Visibility != "" {
				t.Fatalf("loaded group = %+v", g)
			}
			wantMembers(e, gid, "Adele Vance")
		})
	}
}

func TestMailNicknameUniqueAmongMicrosoft365Groups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		first, second groupKind
		nick1, nick2  string
		deleteFirst   bool
		wantMsg       string
	}{
		{name: "two security groups NotSet", first: kindSecurity, second: kindSecurity, nick1: "NotSet", nick2: "NotSet"},
		{name: "two Microsoft 365 groups", first: kindMicrosoft365, second: kindMicrosoft365, nick1: "crew", nick2: "CREW", wantMsg: msgDuplicateNickname},
		{name: "Microsoft 365 group after a security-enabled one", first: kindMicrosoft365Security, second: kindMicrosoft365, nick1: "crew", nick2: "crew", wantMsg: msgDuplicateNickname},
		{name: "security group after a Microsoft 365 group", first: kindMicrosoft365, second: kindSecurity, nick1: "crew", nick2: "crew"},
		{name: "Microsoft 365 group after a security group", first: kindSecurity, second: kindMicrosoft365, nick1: "crew", nick2: "crew"},
		{name: "Microsoft 365 group after a deleted one", first: kindMicrosoft365, second: kindMicrosoft365, nick1: "crew", nick2: "crew", deleteFirst: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			first, err := e.createGroup(tc.first, "First", tc.nick1)
			if err != nil {
				t.Fatal(err)
			}
			if tc.deleteFirst {
				e.update(func(tx *engine.Txn) error { return tx.DeleteGroup(first) })
			}
			_, err = e.createGroup(tc.second, "Second", tc.nick2)
			if tc.wantMsg != "" {
				wantBadRequest(t, err, tc.wantMsg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUpdateGroupMailNicknameUniqueness(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	sec1, _ := e.createGroup(kindSecurity, "Sec 1", "NotSet")
	sec2, _ := e.createGroup(kindSecurity, "Sec 2", "sec2")
	m1, _ := e.createGroup(kindMicrosoft365, "M 1", "crew")
	m2, _ := e.createGroup(kindMicrosoft365, "M 2", "other")
	if err := dynTrySetGroup(e, sec2, func(g *engine.Group) { g.MailNickname = "notset" }); err != nil {
		t.Fatalf("security group taking another security group's mailNickname: %v", err)
	}
	if err := dynTrySetGroup(e, sec1, func(g *engine.Group) { g.MailNickname = "crew" }); err != nil {
		t.Fatalf("security group taking a Microsoft 365 group's mailNickname: %v", err)
	}
	wantBadRequest(t, dynTrySetGroup(e, m2, func(g *engine.Group) { g.MailNickname = "Crew" }), msgDuplicateNickname)
	if err := dynTrySetGroup(e, m1, func(g *engine.Group) { g.Description = "kept nickname" }); err != nil {
		t.Fatalf("Microsoft 365 group keeping its own mailNickname: %v", err)
	}
}

func TestRestoreGroupMailNickname(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kind    groupKind
		wantMsg string
	}{
		{name: "security group whose mailNickname another security group took", kind: kindSecurity},
		{name: "Microsoft 365 group whose mailNickname another Microsoft 365 group took", kind: kindMicrosoft365, wantMsg: msgDuplicateNickname},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			gone, err := e.createGroup(tc.kind, "Gone", "NotSet")
			if err != nil {
				t.Fatal(err)
			}
			e.update(func(tx *engine.Txn) error { return tx.DeleteGroup(gone) })
			if _, err := e.createGroup(tc.kind, "Taker", "NotSet"); err != nil {
				t.Fatal(err)
			}
			err = e.try(func(tx *engine.Txn) error { _, err := tx.RestoreObject(gone); return err })
			if tc.wantMsg != "" {
				wantBadRequest(t, err, tc.wantMsg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("mail-enabled security group", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, 10)
		gid := e.loadGroup(kindMailEnabledSecurity, "Mesg", "mesg")
		e.update(func(tx *engine.Txn) error { return tx.DeleteGroup(gid) })
		e.update(func(tx *engine.Txn) error { _, err := tx.RestoreObject(gid); return err })
		if g := e.getGroup(gid); !g.IsMailEnabledNonUnified() {
			t.Fatalf("restored group = %+v", g)
		}
	})
}

func TestUpdateGroupMailEnabledRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kind    groupKind
		change  func(g *engine.Group)
		wantMsg string // "" = updated
	}{
		{name: "security group: description", kind: kindSecurity, change: func(g *engine.Group) { g.Description = "x" }},
		{name: "security group: toggle DynamicMembership", kind: kindSecurity, change: func(g *engine.Group) {
			g.GroupTypes, g.MembershipRule = []string{"DynamicMembership"}, `user.department -eq "Sales"`
		}},
		{name: "security group: mailEnabled", kind: kindSecurity, change: func(g *engine.Group) { g.MailEnabled = true },
			wantMsg: engine.MsgMailEnabledGroupWrite},
		{name: "security group: add Unified", kind: kindSecurity, change: func(g *engine.Group) { g.GroupTypes = []string{"Unified"} },
			wantMsg: engine.MsgUnifiedGroupTypeChange},
		{name: "security group: add Unified and mailEnabled", kind: kindSecurity, change: func(g *engine.Group) {
			g.GroupTypes, g.MailEnabled = []string{"unified"}, true
		}, wantMsg: engine.MsgUnifiedGroupTypeChange},
		{name: "Microsoft 365 group: description", kind: kindMicrosoft365, change: func(g *engine.Group) { g.Description = "x" }},
		{name: "Microsoft 365 group: toggle DynamicMembership", kind: kindMicrosoft365, change: func(g *engine.Group) {
			g.GroupTypes, g.MembershipRule = []string{"Unified", "DynamicMembership"}, `user.department -eq "Sales"`
		}},
		{name: "Microsoft 365 group: remove Unified", kind: kindMicrosoft365, change: func(g *engine.Group) { g.GroupTypes = nil },
			wantMsg: engine.MsgUnifiedGroupTypeChange},
		{name: "Microsoft 365 group: remove Unified, keep security", kind: kindMicrosoft365Security, change: func(g *engine.Group) {
			g.GroupTypes, g.MailEnabled = nil, false
		}, wantMsg: engine.MsgUnifiedGroupTypeChange},
		{name: "mail-enabled security group: description", kind: kindMailEnabledSecurity, change: func(g *engine.Group) { g.Description = "x" },
			wantMsg: engine.MsgMailEnabledGroupUpdate},
		{name: "mail-enabled security group: mailEnabled false", kind: kindMailEnabledSecurity, change: func(g *engine.Group) { g.MailEnabled = false },
			wantMsg: engine.MsgMailEnabledGroupUpdate},
		{name: "distribution list: description", kind: kindDistributionList, change: func(g *engine.Group) { g.Description = "x" },
			wantMsg: engine.MsgMailEnabledGroupUpdate},
		{name: "distribution list: add Unified", kind: kindDistributionList, change: func(g *engine.Group) { g.GroupTypes = []string{"Unified"} },
			wantMsg: engine.MsgMailEnabledGroupUpdate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			gid := e.loadGroup(tc.kind, "G", "g")
			before := e.getGroup(gid)
			audits := len(e.audits())
			err := dynTrySetGroup(e, gid, tc.change)
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantBadRequest(t, err, tc.wantMsg)
			after := e.getGroup(gid)
			if after.Description != before.Description || after.MailEnabled != before.MailEnabled || !slices.Equal(after.GroupTypes, before.GroupTypes) {
				t.Fatalf("a refused update changed the group: %+v", after)
			}
			if n := len(e.audits()); n != audits {
				t.Fatalf("a refused update wrote %d audit records", n-audits)
			}
		})
	}
}

func TestMemberChangesOnMailEnabledGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kind    groupKind
		wantMsg string // "" = allowed
	}{
		{name: "security group", kind: kindSecurity},
		{name: "Microsoft 365 group", kind: kindMicrosoft365},
		{name: "mail-enabled security group", kind: kindMailEnabledSecurity, wantMsg: engine.MsgMailEnabledGroupUpdate},
		{name: "distribution list", kind: kindDistributionList, wantMsg: engine.MsgMailEnabledGroupUpdate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			in := e.user("Adele Vance", "US")
			out := e.user("Alex Wilber", "US")
			gid := e.loadGroup(tc.kind, "G", "g", in)
			addErr := e.try(func(tx *engine.Txn) error { return tx.AddMember(gid, out) })
			removeErr := e.try(func(tx *engine.Txn) error { return tx.RemoveMember(gid, in) })
			if tc.wantMsg == "" {
				if addErr != nil || removeErr != nil {
					t.Fatalf("add: %v; remove: %v", addErr, removeErr)
				}
				wantMembers(e, gid, "Alex Wilber")
				return
			}
			wantBadRequest(t, addErr, tc.wantMsg)
			wantBadRequest(t, removeErr, tc.wantMsg)
			wantMembers(e, gid, "Adele Vance")
			// The system paths (fixture loading, rule evaluation) still change such groups.
			e.update(func(tx *engine.Txn) error { return tx.AddMemberAs(admin, gid, out) })
			e.update(func(tx *engine.Txn) error { return tx.RemoveMemberAs(admin, gid, in) })
			wantMembers(e, gid, "Alex Wilber")
		})
	}
}

// TestMailNicknameUniqueAmongMailAddressedGroups: a mail-enabled security group or distribution
// list holds its address too, so no other group with a mail address may take its nickname, and
// a fixture can't load two of them with one nickname.
func TestMailNicknameUniqueAmongMailAddressedGroups(t *testing.T) {
	t.Parallel()
	for _, kind := range []groupKind{kindMailEnabledSecurity, kindDistributionList} {
		e := newEnv(t, 10)
		e.loadGroup(kind, "Exchange", "exch")
		if _, err := e.createGroup(kindMicrosoft365, "Crew", "EXCH"); err == nil {
			t.Fatalf("kind %d: a Microsoft 365 group took a mail-enabled group's nickname", kind)
		} else {
			wantBadRequest(t, err, msgDuplicateNickname)
		}
		if _, err := e.createGroup(kindSecurity, "Sec", "exch"); err != nil {
			t.Fatalf("kind %d: a security group without mail can share the nickname: %v", kind, err)
		}
		err := e.try(func(tx *engine.Txn) error {
			_, err := tx.LoadGroup(kindMailEnabledSecurity.group("Other", "exch"))
			return err
		})
		wantBadRequest(t, err, msgDuplicateNickname)
	}
}

// uniqueName is unique among active groups whatever its case, settable while empty and
// immutable once set; a deleted group keeps it and a restore conflicts with a new holder.
func TestGroupUniqueName(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	create := func(name, nick, unique string) (*engine.Group, error) {
		g := kindSecurity.group(name, nick)
		g.UniqueName = unique
		var created *engine.Group
		err := e.try(func(tx *engine.Txn) (err error) { created, err = tx.CreateGroup(g); return })
		return created, err
	}
	update := func(id, unique string) error {
		return e.try(func(tx *engine.Txn) error {
			g, err := tx.GroupByID(id)
			if err != nil {
				return err
			}
			c := g.Clone()
			c.UniqueName = unique
			_, err = tx.UpdateGroup(c)
			return err
		})
	}
	const taken = "Another object with the same value for property uniqueName already exists."
	a, err := create("A", "a", "Key-A")
	if err != nil {
		t.Fatal(err)
	}
	_, err = create("B", "b", "key-a")
	wantBadRequest(t, err, taken)
	b, err := create("B", "b", "")
	if err != nil {
		t.Fatal(err)
	}
	wantBadRequest(t, update(b.ID, "KEY-A"), taken)
	if err := update(b.ID, "key-b"); err != nil {
		t.Fatal(err)
	}
	wantBadRequest(t, update(b.ID, "key-c"), engine.MsgUniqueNameImmutable)
	wantBadRequest(t, update(b.ID, ""), engine.MsgUniqueNameImmutable)
	if err := update(b.ID, "key-b"); err != nil {
		t.Fatalf("PATCH with the same uniqueName: %v", err)
	}
	e.update(func(tx *engine.Txn) error { return tx.DeleteGroup(a.ID) })
	if _, err := create("C", "c", "key-a"); err != nil {
		t.Fatalf("the name of a deleted group: %v", err)
	}
	err = e.try(func(tx *engine.Txn) error { _, err := tx.RestoreObjectWith(a.ID, engine.RestoreOptions{}); return err })
	wantBadRequest(t, err, taken)
}
