package engine_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
)

// dynGroup creates a dynamic security group with rule; state "" leaves processing at its default (On).
func dynGroup(e *env, name, rule, state string) string {
	e.t.Helper()
	var id string
	e.update(func(tx *engine.Txn) error {
		g, err := tx.CreateGroup(&engine.Group{DisplayName: name, MailNickname: strings.ReplaceAll(strings.ToLower(name), " ", "-"), SecurityEnabled: true,
			GroupTypes: []string{"DynamicMembership"}, MembershipRule: rule, MembershipRuleProcessingState: state})
		if err == nil {
			id = g.ID
		}
		return err
	})
	return id
}

// dynUser creates a user (usage location US) and applies set to it before creation.
func dynUser(e *env, name string, set func(u *engine.User)) string {
	e.t.Helper()
	var id string
	nick := strings.ReplaceAll(strings.ToLower(name), " ", ".")
	e.update(func(tx *engine.Txn) error {
		in := &engine.User{DisplayName: name, MailNickname: nick, UserPrincipalName: nick + "@contoso.example", UsageLocation: "US",
			AccountEnabled: true, PasswordProfile: &engine.PasswordProfile{Password: "x-Pa55word"}}
		if set != nil {
			set(in)
		}
		u, err := tx.CreateUser(in)
		if err == nil {
			id = u.ID
		}
		return err
	})
	return id
}

// dynSetUser updates a user with set applied to a copy of it.
func dynSetUser(e *env, id string, set func(u *engine.User)) {
	e.t.Helper()
	e.update(func(tx *engine.Txn) error {
		u, err := tx.UserByID(id)
		if err != nil {
			return err
		}
		c := u.Clone()
		set(c)
		_, err = tx.UpdateUser(c)
		return err
	})
}

// dynSetGroup updates a group with set applied to a copy of it.
func dynSetGroup(e *env, id string, set func(g *engine.Group)) {
	e.t.Helper()
	if err := dynTrySetGroup(e, id, set); err != nil {
		e.t.Fatal(err)
	}
}

func dynTrySetGroup(e *env, id string, set func(g *engine.Group)) error {
	e.t.Helper()
	return e.try(func(tx *engine.Txn) error {
		g, err := tx.GroupByID(id)
		if err != nil {
			return err
		}
		c := g.Clone()
		set(c)
		_, err = tx.UpdateGroup(c)
		return err
	})
}

// dynMembers returns the display names of a group's active direct members, sorted.
func dynMembers(e *env, gid string) []string {
	e.t.Helper()
	var out []string
	if err := e.s.View(func(tx *engine.Txn) error {
		ms, err := tx.Members(gid)
		for _, m := range ms {
			if m.User != nil {
				out = append(out, m.User.DisplayName)
			} else {
				out = append(out, "group:"+m.Group.DisplayName)
			}
		}
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func wantMembers(e *env, gid string, want ...string) {
	e.t.Helper()
	slices.Sort(want)
	if got := dynMembers(e, gid); !slices.Equal(got, want) {
		e.t.Fatalf("members = %q, want %q", got, want)
	}
}

// memberAudits returns "+name" / "-name" for the member audit records of group gid since record
// index from, checking each was initiated by the dynamic membership app.
func memberAudits(e *env, gid string, from int) []string {
	e.t.Helper()
	var out []string
	recs := e.audits()
	for _, r := range recs[from:] {
		if r.ActivityDisplayName != engine.ActivityAddMember && r.ActivityDisplayName != engine.ActivityRemoveMember {
			continue
		}
		if len(r.TargetResources) != 2 || r.TargetResources[1].ID != gid {
			continue
		}
		if r.InitiatedBy.App == nil || r.InitiatedBy.App.DisplayName != engine.DefaultDynamicMembershipActor.DisplayName || r.InitiatedBy.User != nil {
			e.t.Fatalf("%s initiated by %+v, want the dynamic membership app", r.ActivityDisplayName, r.InitiatedBy)
		}
		sign := "+"
		if r.ActivityDisplayName == engine.ActivityRemoveMember {
			sign = "-"
		}
		out = append(out, sign+r.TargetResources[0].DisplayName)
	}
	return out
}

// TestDynamicRuleEvaluation evaluates rules over users with the properties they read.
func TestDynamicRuleEvaluation(t *testing.T) {
	t.Parallel()
	users := []struct {
		name string
		set  func(u *engine.User)
	}{
		{"Adele Vance", func(u *engine.User) {
			u.Department, u.MobilePhone, u.OfficeLocation = "Sales", "+1 555 0100", "Building 7"
			u.BusinessPhones, u.FaxNumber = []string{"+1 555 0101"}, "+1 555 0199"
			u.ExtensionAttributes[0] = "EMS;E5_baseservices;"
			u.ProxyAddresses = []string{"SMTP:adele@contoso.example"}
		}},
		{"Alex Wilber", func(u *engine.User) {
			u.Department, u.UserType = "Marketing", "Guest"
			u.ExtensionAttributes[0] = "EMS;"
			u.ExtensionAttributes[14] = "x"
		}},
		{"Megan Bowen", func(u *engine.User) { u.Department, u.AccountEnabled = "sales", false }},
	}
	tests := []struct {
		rule string
		want []string
		late bool // whether a user created later with Adele's properties (but another name) joins
	}{
		{`user.department -eq "Sales"`, []string{"Adele Vance", "Megan Bowen"}, true},
		{`user.department -eq "Sales" -and user.accountEnabled -eq true`, []string{"Adele Vance"}, true},
		{`user.objectId -ne null`, []string{"Adele Vance", "Alex Wilber", "Megan Bowen"}, true},
		{`(user.objectId -ne null) -and (user.userType -eq "Member")`, []string{"Adele Vance", "Megan Bowen"}, true},
		{`user.extensionAttribute1 -contains "EMS"`, []string{"Adele Vance", "Alex Wilber"}, true},
		{`user.extensionAttribute1 -contains "E5_baseservices"`, []string{"Adele Vance"}, true},
		{`user.extensionAttribute15 -ne null`, []string{"Alex Wilber"}, false},
		{`user.mobile -startsWith "+1"`, []string{"Adele Vance"}, true},
		{`user.physicalDeliveryOfficeName -eq "Building 7"`, []string{"Adele Vance"}, true},
		{`user.telephoneNumber -eq "+1 555 0101"`, []string{"Adele Vance"}, true},
		{`user.facsimileTelephoneNumber -ne null`, []string{"Adele Vance"}, true},
		{`user.mailNickName -startsWith "a"`, []string{"Adele Vance", "Alex Wilber"}, false},
		{`user.proxyAddresses -any (_ -startsWith "smtp:")`, []string{"Adele Vance"}, true},
		{`user.department -in ["Marketing", "Finance"]`, []string{"Alex Wilber"}, false},
		{`user.displayName -match "^(Alex|Megan)"`, []string{"Alex Wilber", "Megan Bowen"}, false},
		{`-not (user.department -eq "Sales")`, []string{"Alex Wilber"}, false},
		{`user.assignedPlans -all (assignedPlan.servicePlanId -eq null)`, []string{"Adele Vance", "Alex Wilber", "Megan Bowen"}, true},
		{`Direct Reports for "62e90394-69f5-4237-9190-012177145e10"`, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			for _, u := range users {
				dynUser(e, u.name, u.set)
			}
			gid := dynGroup(e, "Dyn", tc.rule, "")
			wantMembers(e, gid, tc.want...)
			// A user created after the group is evaluated on creation.
			dynUser(e, "Late Adele", users[0].set)
			want := slices.Clone(tc.want)
			if tc.late {
				want = append(want, "Late Adele")
			}
			wantMembers(e, gid, want...)
		})
	}
}

// TestDynamicTriggers checks when membership is re-evaluated, with processing immediate.
func TestDynamicTriggers(t *testing.T) {
	t.Parallel()
	sales := func(u *engine.User) { u.Department = "Sales" }
	tests := []struct {
		name string
		run  func(t *testing.T, e *env)
	}{
		{"user created, updated out and back in", func(t *testing.T, e *env) {
			gid := dynGroup(e, "Sales", `user.department -eq "Sales"`, "")
			a := dynUser(e, "Adele Vance", sales)
			wantMembers(e, gid, "Adele Vance")
			dynSetUser(e, a, func(u *engine.User) { u.Department = "Marketing" })
			wantMembers(e, gid)
			dynSetUser(e, a, sales)
			wantMembers(e, gid, "Adele Vance")
			if got := memberAudits(e, gid, 0); !slices.Equal(got, []string{"+Adele Vance", "-Adele Vance", "+Adele Vance"}) {
				t.Fatalf("audits = %q", got)
			}
		}},
		{"an update of a property no rule reads queues nothing", func(t *testing.T, e *env) {
			gid := dynGroup(e, "Sales", `user.department -eq "Sales"`, "")
			a := dynUser(e, "Adele Vance", sales)
			if err := e.s.Processing().SetMode(engine.ProcessingManual, 0); err != nil {
				t.Fatal(err)
			}
			dynSetUser(e, a, func(u *engine.User) { u.JobTitle = "Seller"; u.ExtensionAttributes[3] = "x" })
			if st := e.s.Processing().Status(); st.Pending != 0 {
				t.Fatalf("%d tasks queued by an unrelated update", st.Pending)
			}
			dynSetUser(e, a, func(u *engine.User) { u.Department = "Finance" })
			if st := e.s.Processing().Status(); st.Pending != 1 {
				t.Fatalf("%d tasks queued by a department change, want 1", st.Pending)
			}
			wantMembers(e, gid, "Adele Vance")
			e.drain()
			wantMembers(e, gid)
		}},
		{"deleted user hidden, restored user evaluated against the current rule", func(t *testing.T, e *env) {
			gid := dynGroup(e, "Sales", `user.department -eq "Sales"`, "")
			a := dynUser(e, "Adele Vance", sales)
			dynUser(e, "Alex Wilber", sales)
			e.update(func(tx *engine.Txn) error { return tx.DeleteUser(a) })
			wantMembers(e, gid, "Alex Wilber")
			e.update(func(tx *engine.Txn) error { _, err := tx.RestoreObject(a); return err })
			wantMembers(e, gid, "Adele Vance", "Alex Wilber")
			e.update(func(tx *engine.Txn) error { return tx.DeleteUser(a) })
			dynSetGroup(e, gid, func(g *engine.Group) {
				g.MembershipRule = `user.department -eq "Sales" -and user.givenName -eq null -and user.displayName -ne "Adele Vance"`
			})
			e.update(func(tx *engine.Txn) error { _, err := tx.RestoreObject(a); return err })
			wantMembers(e, gid, "Alex Wilber")
		}},
		{"rule change: non-matching leave, still matching untouched, new matches join", func(t *testing.T, e *env) {
			dynUser(e, "Adele Vance", sales)
			dynUser(e, "Alex Wilber", func(u *engine.User) { u.Department = "Marketing" })
			dynUser(e, "Megan Bowen", func(u *engine.User) { u.Department = "Sales"; u.City = "Seattle" })
			gid := dynGroup(e, "Dyn", `user.department -eq "Sales"`, "")
			wantMembers(e, gid, "Adele Vance", "Megan Bowen")
			from := len(e.audits())
			dynSetGroup(e, gid, func(g *engine.Group) {
				g.MembershipRule = `user.city -eq "Seattle" -or user.department -eq "Marketing"`
			})
			wantMembers(e, gid, "Alex Wilber", "Megan Bowen")
			if got := memberAudits(e, gid, from); !slices.Equal(got, []string{"-Adele Vance", "+Alex Wilber"}) {
				t.Fatalf("audits = %q (Megan still matches and must be untouched)", got)
			}
		}},
		{"paused: no evaluation; Paused to On catches up", func(t *testing.T, e *env) {
			a := dynUser(e, "Adele Vance", sales)
			gid := dynGroup(e, "Sales", `user.department -eq "Sales"`, "")
			dynSetGroup(e, gid, func(g *engine.Group) { g.MembershipRuleProcessingState = engine.RuleProcessingPaused })
			dynSetUser(e, a, func(u *engine.User) { u.Department = "Marketing" })
			dynUser(e, "Alex Wilber", sales)
			dynSetGroup(e, gid, func(g *engine.Group) {
				g.MembershipRule = `user.department -eq "Sales" -or user.department -eq "Finance"`
			})
			wantMembers(e, gid, "Adele Vance")
			dynSetGroup(e, gid, func(g *engine.Group) { g.MembershipRuleProcessingState = engine.RuleProcessingOn })
			wantMembers(e, gid, "Alex Wilber")
		}},
		{"created paused: nobody joins until On", func(t *testing.T, e *env) {
			dynUser(e, "Adele Vance", sales)
			gid := dynGroup(e, "Sales", `user.department -eq "Sales"`, engine.RuleProcessingPaused)
			wantMembers(e, gid)
			dynSetGroup(e, gid, func(g *engine.Group) { g.MembershipRuleProcessingState = engine.RuleProcessingOn })
			wantMembers(e, gid, "Adele Vance")
		}},
		{"static to dynamic drops manual members; back to static keeps members", func(t *testing.T, e *env) {
			a := dynUser(e, "Adele Vance", sales)
			b := dynUser(e, "Alex Wilber", nil)
			inner := e.group("Inner", true, false)
			gid := e.group("Team", true, false, a, b, inner)
			dynSetGroup(e, gid, func(g *engine.Group) {
				g.GroupTypes = []string{"DynamicMembership"}
				g.MembershipRule = `user.department -eq "Sales"`
				g.MembershipRuleProcessingState = engine.RuleProcessingOn
			})
			wantMembers(e, gid, "Adele Vance")
			c := dynUser(e, "Megan Bowen", sales)
			wantMembers(e, gid, "Adele Vance", "Megan Bowen")
			// Back to static, the way Microsoft's conversion script does it: the rule stays, processing pauses.
			dynSetGroup(e, gid, func(g *engine.Group) {
				g.GroupTypes = nil
				g.MembershipRuleProcessingState = engine.RuleProcessingPaused
			})
			wantMembers(e, gid, "Adele Vance", "Megan Bowen")
			dynSetUser(e, c, func(u *engine.User) { u.Department = "Finance" })
			wantMembers(e, gid, "Adele Vance", "Megan Bowen")
			e.addMember(gid, b) // a static group takes manual members again
			wantMembers(e, gid, "Adele Vance", "Alex Wilber", "Megan Bowen")
		}},
		{"static to dynamic while paused drops every member", func(t *testing.T, e *env) {
			a := dynUser(e, "Adele Vance", sales)
			gid := e.group("Team", true, false, a)
			dynSetGroup(e, gid, func(g *engine.Group) {
				g.GroupTypes = []string{"DynamicMembership"}
				g.MembershipRule = `user.department -eq "Sales"`
				g.MembershipRuleProcessingState = engine.RuleProcessingPaused
			})
			wantMembers(e, gid)
		}},
		{"manual member changes on a dynamic group are refused with 403", func(t *testing.T, e *env) {
			a := dynUser(e, "Adele Vance", sales)
			b := dynUser(e, "Alex Wilber", nil)
			gid := dynGroup(e, "Sales", `user.department -eq "Sales"`, "")
			for _, err := range []error{
				e.try(func(tx *engine.Txn) error { return tx.AddMember(gid, b) }),
				e.try(func(tx *engine.Txn) error { return tx.RemoveMember(gid, a) }),
			} {
				var ee *engine.Error
				if !errors.As(err, &ee) || ee.Kind != engine.KindForbidden || ee.Code != engine.CodeAuthorizationRequestDenied || ee.Message != "Insufficient privileges to complete the operation." {
					t.Fatalf("err = %v", err)
				}
			}
			wantMembers(e, gid, "Adele Vance")
		}},
		{"group deleted and restored is evaluated again", func(t *testing.T, e *env) {
			a := dynUser(e, "Adele Vance", sales)
			gid := dynGroup(e, "Sales", `user.department -eq "Sales"`, "")
			e.update(func(tx *engine.Txn) error { return tx.DeleteGroup(gid) })
			dynSetUser(e, a, func(u *engine.User) { u.Department = "Finance" })
			dynUser(e, "Alex Wilber", sales)
			e.update(func(tx *engine.Txn) error { _, err := tx.RestoreObject(gid); return err })
			wantMembers(e, gid, "Alex Wilber")
		}},
		{"rule on assignedPlans follows license changes", func(t *testing.T, e *env) {
			a := dynUser(e, "Adele Vance", nil)
			gid := dynGroup(e, "Exchange users", `user.assignedPlans -any (assignedPlan.servicePlanId -eq "`+planExchange+`" -and assignedPlan.capabilityStatus -eq "Enabled")`, "")
			wantMembers(e, gid)
			if err := e.assign(a, []engine.AssignedLicense{lic(skuE3)}); err != nil {
				t.Fatal(err)
			}
			wantMembers(e, gid, "Adele Vance")
			if err := e.assign(a, nil, skuE3); err != nil {
				t.Fatal(err)
			}
			wantMembers(e, gid)
		}},
		{"a rule undone by the group's own licenses stops flipping", func(t *testing.T, e *env) {
			gid := dynGroup(e, "No Exchange", `-not (user.assignedPlans -any (assignedPlan.servicePlanId -eq "`+planExchange+`" -and assignedPlan.capabilityStatus -eq "Enabled"))`, engine.RuleProcessingPaused)
			e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3)})
			a := dynUser(e, "Adele Vance", nil)
			done := make(chan struct{})
			go func() {
				defer close(done)
				// Joining gives Exchange, which makes the user leave, which takes Exchange away…
				_ = e.s.Update(admin, func(tx *engine.Txn) error {
					g, err := tx.GroupByID(gid)
					if err != nil {
						return err
					}
					c := g.Clone()
					c.MembershipRuleProcessingState = engine.RuleProcessingOn
					_, err = tx.UpdateGroup(c)
					return err
				})
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("evaluation and license processing keep undoing each other")
			}
			e.check()
			if n := len(memberAudits(e, gid, 0)); n < 3 || n > 40 {
				t.Fatalf("%d membership changes, want a bounded loop of a few", n)
			}
			// A profile change is evaluated again.
			dynSetUser(e, a, func(u *engine.User) { u.Department = "Sales" })
		}},
		{"EvaluateDynamicGroup runs in the caller's transaction", func(t *testing.T, e *env) {
			dynUser(e, "Adele Vance", sales)
			gid := dynGroup(e, "Sales", `user.department -eq "Sales"`, "")
			e.update(func(tx *engine.Txn) error { return tx.EvaluateDynamicGroup(gid) }) // nothing to change
			wantMembers(e, gid, "Adele Vance")
			var ee *engine.Error
			if err := e.try(func(tx *engine.Txn) error { return tx.EvaluateDynamicGroup("00000000-0000-4000-8000-000000000009") }); !errors.As(err, &ee) || ee.Kind != engine.KindNotFound {
				t.Fatalf("err = %v", err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			tc.run(t, e)
		})
	}
}

// TestDynamicManualMode steps through the queue: the user joins on the dynamic task, then gets
// the group's license on the licensing task.
func TestDynamicManualMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10, withMode(engine.ProcessingManual, 0))
	gid := dynGroup(e, "EMS", `user.extensionAttribute1 -contains "EMS"`, "")
	e.assignGroup(gid, []engine.AssignedLicense{lic(skuEMS)})
	e.drain()
	uid := dynUser(e, "Adele Vance", nil)
	dynSetUser(e, uid, func(u *engine.User) { u.ExtensionAttributes[0] = "EMS;" })
	wantMembers(e, gid)
	if !e.s.Processing().Step() { // dynamic evaluation of the user (creation and update merged)
		t.Fatal("nothing queued")
	}
	e.check()
	wantMembers(e, gid, "Adele Vance")
	if got := e.getGroup(gid).LicenseProcessingState; got != engine.ProcessingQueued {
		t.Fatalf("licenseProcessingState = %q, want queued", got)
	}
	if len(e.getUser(uid).AssignedLicenses) != 0 {
		t.Fatal("licensed before the licensing task ran")
	}
	e.drain()
	if assigned(e.getUser(uid), skuEMS) == nil || state(e.getUser(uid), skuEMS, gid) == nil {
		t.Fatalf("licenses = %+v", e.getUser(uid).LicenseAssignmentStates)
	}
}

// TestDynamicValidation checks the errors of creating and updating dynamic groups.
func TestDynamicValidation(t *testing.T) {
	t.Parallel()
	yes := true
	tests := []struct {
		name    string
		create  *engine.Group         // create this group
		update  func(g *engine.Group) // or update a static group ("Static") this way
		updDyn  func(g *engine.Group) // or update a dynamic group ("Dyn") this way
		wantMsg string                // "" = success
		check   func(t *testing.T, e *env, id string)
	}{
		{name: "bad rule on create", create: &engine.Group{GroupTypes: []string{"DynamicMembership"}, MembershipRule: `user.department -eq`},
			wantMsg: "Dynamic membership rule validation error: "},
		{name: "unknown property", create: &engine.Group{GroupTypes: []string{"DynamicMembership"}, MembershipRule: `user.favouriteColour -eq "red"`},
			wantMsg: "Dynamic membership rule validation error: Wrong property applied."},
		{name: "dynamic without a rule", create: &engine.Group{GroupTypes: []string{"DynamicMembership"}},
			wantMsg: "Property membershipRule value is required but is empty or missing."},
		{name: "rule on a static group", create: &engine.Group{MembershipRule: `user.department -eq "Sales"`},
			wantMsg: "Invalid value specified for property 'membershipRule' of resource 'Group'."},
		{name: "bad processing state", create: &engine.Group{GroupTypes: []string{"DynamicMembership"}, MembershipRule: `user.department -eq "Sales"`, MembershipRuleProcessingState: "Off"},
			wantMsg: "Invalid value specified for property 'membershipRuleProcessingState' of resource 'Group'."},
		{name: "role-assignable dynamic group", create: &engine.Group{GroupTypes: []string{"DynamicMembership"}, MembershipRule: `user.department -eq "Sales"`, IsAssignableToRole: &yes},
			wantMsg: "Invalid value specified for property 'isAssignableToRole' of resource 'Group'."},
		{name: "valid dynamic group defaults to On", create: &engine.Group{GroupTypes: []string{"DynamicMembership"}, MembershipRule: `user.department -eq "Sales"`},
			check: func(t *testing.T, e *env, id string) {
				if g := e.getGroup(id); g.MembershipRuleProcessingState != engine.RuleProcessingOn {
					t.Fatalf("state = %q", g.MembershipRuleProcessingState)
				}
			}},
		{name: "PATCH bad rule", updDyn: func(g *engine.Group) { g.MembershipRule = `user.department -eq "Sales" -and` },
			wantMsg: "Dynamic membership rule validation error: "},
		{name: "PATCH rule to empty", updDyn: func(g *engine.Group) { g.MembershipRule = "" },
			wantMsg: "Property membershipRule value is required but is empty or missing."},
		{name: "PATCH processing state", updDyn: func(g *engine.Group) { g.MembershipRuleProcessingState = "paused" },
			wantMsg: "Invalid value specified for property 'membershipRuleProcessingState' of resource 'Group'."},
		{name: "PATCH convert without a rule", update: func(g *engine.Group) { g.GroupTypes = []string{"DynamicMembership"} },
			wantMsg: "Property membershipRule value is required but is empty or missing."},
		{name: "PATCH rule on a static group", update: func(g *engine.Group) { g.MembershipRule = `user.department -eq "Sales"` },
			wantMsg: "Invalid value specified for property 'membershipRule' of resource 'Group'."},
		{name: "PATCH convert back keeping the rule", updDyn: func(g *engine.Group) {
			g.GroupTypes = nil
			g.MembershipRuleProcessingState = engine.RuleProcessingPaused
		}},
		{name: "PATCH convert back, then change the kept rule", updDyn: func(g *engine.Group) { g.GroupTypes = nil },
			check: func(t *testing.T, e *env, id string) {
				err := dynTrySetGroup(e, id, func(g *engine.Group) { g.MembershipRule = `user.city -eq "x"` })
				var ee *engine.Error
				if !errors.As(err, &ee) || ee.Message != "Invalid value specified for property 'membershipRule' of resource 'Group'." {
					t.Fatalf("err = %v", err)
				}
			}},
		{name: "PATCH convert to dynamic with a rule; processing defaults to On",
			update: func(g *engine.Group) {
				g.GroupTypes = []string{"DynamicMembership"}
				g.MembershipRule = `user.city -eq "x"`
			},
			check: func(t *testing.T, e *env, id string) {
				if g := e.getGroup(id); !g.IsDynamic() || g.MembershipRuleProcessingState != engine.RuleProcessingOn {
					t.Fatalf("group = %+v", g)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			before := len(e.audits())
			var id string
			var err error
			switch {
			case tc.create != nil:
				err = e.try(func(tx *engine.Txn) error {
					g := tc.create.Clone()
					g.DisplayName, g.MailNickname, g.SecurityEnabled = "New", "new", true
					c, err := tx.CreateGroup(g)
					if err == nil {
						id = c.ID
					}
					return err
				})
			case tc.update != nil:
				id = e.group("Static", true, false)
				before = len(e.audits())
				err = dynTrySetGroup(e, id, tc.update)
			default:
				id = dynGroup(e, "Dyn", `user.department -eq "Sales"`, "")
				before = len(e.audits())
				err = dynTrySetGroup(e, id, tc.updDyn)
			}
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tc.check != nil {
					tc.check(t, e, id)
				}
				return
			}
			var ee *engine.Error
			if !errors.As(err, &ee) || ee.Kind != engine.KindBadRequest || ee.Code != engine.CodeRequestBadRequest || !strings.HasPrefix(ee.Message, tc.wantMsg) {
				t.Fatalf("err = %v, want 400 Request_BadRequest %q", err, tc.wantMsg)
			}
			if strings.HasSuffix(tc.wantMsg, ": ") && len(ee.Message) <= len(tc.wantMsg) {
				t.Fatalf("message %q says nothing after the prefix", ee.Message)
			}
			if n := len(e.audits()); n != before {
				t.Fatalf("a refused write left %d audit records", n-before)
			}
		})
	}
}
