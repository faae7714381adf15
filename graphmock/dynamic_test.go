package graphmock

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/engine/membershiprule"
)

// ruleError returns the message Graph answers a bad membershipRule with: the rule language's
// validation error ("Dynamic membership rule validation error: …").
func ruleError(t testing.TB, rule string) string {
	t.Helper()
	_, err := membershiprule.Parse(rule)
	if err == nil {
		t.Fatalf("rule %q parses", rule)
	}
	return err.Error()
}

func newDynamicGroupBody(nick, rule string) map[string]any {
	b := newGroupBody(nick)
	b["groupTypes"] = []string{"DynamicMembership"}
	b["membershipRule"] = rule
	return b
}

func drain(t testing.TB, s *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Store().Processing().Drain(ctx); err != nil {
		t.Fatal(err)
	}
}

// memberUPNs lists a group's members' userPrincipalNames, sorted.
func memberUPNs(t testing.TB, s *Server, gid string) []string {
	t.Helper()
	var out []string
	for _, m := range call(t, s, "GET", "/v1.0/groups/"+gid+"/members", nil).values(t) {
		upn, _ := m["userPrincipalName"].(string)
		out = append(out, upn)
	}
	slices.Sort(out)
	return out
}

func TestCreateDynamicGroupErrors(t *testing.T) {
	t.Parallel()
	badRule := `user.department -eq`
	unknownProp := `user.favouriteColour -eq "red"`
	noRule := newGroupBody("d1")
	noRule["groupTypes"] = []string{"DynamicMembership"}
	static := newGroupBody("d2")
	static["membershipRule"] = `user.department -eq "Sales"`
	badState := newDynamicGroupBody("d3", `user.department -eq "Sales"`)
	badState["membershipRuleProcessingState"] = "Evaluating"
	roleAssignable := newDynamicGroupBody("d4", `user.department -eq "Sales"`)
	roleAssignable["isAssignableToRole"] = true
	withMembers := newDynamicGroupBody("d5", `user.department -eq "Sales"`)
	withMembers["members@odata.bind"] = []string{"user:drew.sato@larkspur.example"} // resolved to a bind URL below
	tests := []struct {
		name          string
		body          map[string]any
		status        int
		code, message string
	}{
		{"malformed rule", newDynamicGroupBody("d6", badRule), 400, "Request_BadRequest", ruleError(t, badRule)},
		{"unknown property", newDynamicGroupBody("d7", unknownProp), 400, "Request_BadRequest", ruleError(t, unknownProp)},
		{"missing user. prefix", newDynamicGroupBody("d8", `(accountEnabled -eq true)`), 400, "Request_BadRequest", ruleError(t, `(accountEnabled -eq true)`)},
		{"dynamic without membershipRule", noRule, 400, "Request_BadRequest", "Property membershipRule value is required but is empty or missing."},
		{"membershipRule on a static group", static, 400, "Request_BadRequest", "Invalid value specified for property 'membershipRule' of resource 'Group'."},
		{"bad membershipRuleProcessingState", badState, 400, "Request_BadRequest", "Invalid value specified for property 'membershipRuleProcessingState' of resource 'Group'."},
		{"role-assignable dynamic group", roleAssignable, 400, "Request_BadRequest", "Invalid value specified for property 'isAssignableToRole' of resource 'Group'."},
		{"members bound on a dynamic group", withMembers, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			before := len(call(t, s, "GET", "/v1.0/groups", nil).values(t))
			body := tc.body
			if binds, ok := body["members@odata.bind"].([]string); ok {
				body = maps.Clone(body)
				body["members@odata.bind"] = []string{bindURL(userID(t, s, strings.TrimPrefix(binds[0], "user:")))}
			}
			call(t, s, "POST", "/v1.0/groups", body).wantError(t, tc.status, tc.code, tc.message)
			if n := len(call(t, s, "GET", "/v1.0/groups", nil).values(t)); n != before {
				t.Fatalf("a failed create left %d groups, had %d", n, before)
			}
		})
	}
}

func TestUpdateDynamicGroupErrors(t *testing.T) {
	t.Parallel()
	badRule := `user.department -eq "Sales" -and`
	tests := []struct {
		name          string
		static        bool // PATCH the static "Contractors" group instead of a new dynamic one
		body          map[string]any
		code, message string
	}{
		{"malformed rule", false, map[string]any{"membershipRule": badRule}, "Request_BadRequest", ruleError(t, badRule)},
		{"rule removed", false, map[string]any{"membershipRule": nil}, "Request_BadRequest", "Property membershipRule value is required but is empty or missing."},
		{"bad processing state", false, map[string]any{"membershipRuleProcessingState": "Off"}, "Request_BadRequest",
			"Invalid value specified for property 'membershipRuleProcessingState' of resource 'Group'."},
		{"role-assignable", false, map[string]any{"isAssignableToRole": true}, "Request_BadRequest", "Invalid value specified for property 'isAssignableToRole' of resource 'Group'."},
		{"rule on a static group", true, map[string]any{"membershipRule": `user.department -eq "Sales"`}, "Request_BadRequest",
			"Invalid value specified for property 'membershipRule' of resource 'Group'."},
		{"converted without a rule", true, map[string]any{"groupTypes": []string{"DynamicMembership"}}, "Request_BadRequest",
			"Property membershipRule value is required but is empty or missing."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			var gid string
			if tc.static {
				gid = groupID(t, s, "Contractors")
			} else {
				r := call(t, s, "POST", "/v1.0/groups", newDynamicGroupBody("dyn", `user.department -eq "Sales"`))
				r.wantStatus(t, 201)
				gid = r.str("id")
			}
			before := call(t, s, "GET", "/v1.0/groups/"+gid, nil).raw
			body := map[string]any{"description": "changed"}
			for k, v := range tc.body {
				body[k] = v
			}
			call(t, s, "PATCH", "/v1.0/groups/"+gid, body).wantError(t, 400, tc.code, tc.message)
			if after := call(t, s, "GET", "/v1.0/groups/"+gid, nil).raw; string(after) != string(before) {
				t.Fatalf("a failed PATCH changed the group:\n%s\n%s", before, after)
			}
		})
	}
}

func TestDynamicGroupOverHTTP(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "POST", "/v1.0/groups", newDynamicGroupBody("ems", `user.extensionAttribute1 -contains "EMS"`))
	r.wantStatus(t, 201)
	gid := r.str("id")
	if r.str("membershipRuleProcessingState") != "On" || r.str("membershipRule") != `user.extensionAttribute1 -contains "EMS"` {
		t.Fatalf("created group: %s", r.raw)
	}
	drain(t, s)
	want := []string{"casey.lindqvist@larkspur.example", "emerson.park@larkspur.example", "harper.nguyen@larkspur.example",
		"jordan.okafor@larkspur.example", "riley.novak@larkspur.example", "sasha.ivanova@larkspur.example"}
	if got := memberUPNs(t, s, gid); !slices.Equal(got, want) {
		t.Fatalf("members = %q, want %q", got, want)
	}

	// Manual member changes are refused (graph-facts §2.3).
	outsider := userID(t, s, "drew.sato@larkspur.example")
	member := userID(t, s, "riley.novak@larkspur.example")
	call(t, s, "POST", "/v1.0/groups/"+gid+"/members/$ref", map[string]any{"@odata.id": bindURL(outsider)}).
		wantError(t, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	call(t, s, "DELETE", "/v1.0/groups/"+gid+"/members/"+member+"/$ref", nil).
		wantError(t, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	call(t, s, "PATCH", "/v1.0/groups/"+gid, map[string]any{"members@odata.bind": []string{bindURL(outsider)}}).
		wantError(t, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")

	// A user PATCH moves the user in and out.
	call(t, s, "PATCH", "/v1.0/users/"+outsider, map[string]any{"onPremisesExtensionAttributes": map[string]any{"extensionAttribute1": "EMS;"}}).wantStatus(t, 204)
	call(t, s, "PATCH", "/v1.0/users/"+member, map[string]any{"onPremisesExtensionAttributes": map[string]any{"extensionAttribute1": nil}}).wantStatus(t, 204)
	drain(t, s)
	want = []string{"casey.lindqvist@larkspur.example", "drew.sato@larkspur.example", "emerson.park@larkspur.example", "harper.nguyen@larkspur.example",
		"jordan.okafor@larkspur.example", "sasha.ivanova@larkspur.example"}
	if got := memberUPNs(t, s, gid); !slices.Equal(got, want) {
		t.Fatalf("members after user PATCH = %q, want %q", got, want)
	}

	// A rule PATCH re-evaluates; users who still match stay.
	call(t, s, "PATCH", "/v1.0/groups/"+gid, map[string]any{"membershipRule": `user.extensionAttribute1 -contains "EMS" -and user.department -eq "Engineering"`}).wantStatus(t, 204)
	drain(t, s)
	want = []string{"harper.nguyen@larkspur.example", "sasha.ivanova@larkspur.example"}
	if got := memberUPNs(t, s, gid); !slices.Equal(got, want) {
		t.Fatalf("members after rule PATCH = %q, want %q", got, want)
	}

	// The membership changes are audited as the dynamic membership app.
	removed := 0
	err := s.Store().View(func(tx *engine.Txn) error {
		return tx.AuditRecords(func(a *engine.AuditRecord) bool {
			if a.ActivityDisplayName == engine.ActivityRemoveMember && a.TargetResources[1].ID == gid {
				if a.InitiatedBy.App == nil || a.InitiatedBy.App.DisplayName != "Microsoft Entra dynamic membership" {
					t.Errorf("removal initiated by %+v", a.InitiatedBy)
				}
				removed++
			}
			return true
		})
	})
	if err != nil || removed != 5 {
		t.Fatalf("%d removal records (err %v), want 5", removed, err)
	}
}

// TestDynamicGroupLicensesStepByStep follows a user into a licensed dynamic group and out again
// over HTTP, with the processing queue in manual mode and stepped through the control plane.
func TestDynamicGroupLicensesStepByStep(t *testing.T) {
	t.Parallel()
	s, err := New(Options{DeterministicIDs: t.Name(), ProcessingMode: "manual"})
	if err != nil {
		t.Fatal(err)
	}
	r := call(t, s, "POST", "/v1.0/groups", newDynamicGroupBody("e5dyn", `user.extensionAttribute1 -contains "E5_baseservices"`))
	r.wantStatus(t, 201)
	gid := r.str("id")
	call(t, s, "POST", "/v1.0/groups/"+gid+"/assignLicense", map[string]any{
		"addLicenses": []map[string]any{{"skuId": httpSkuE5, "disabledPlans": []string{}}}, "removeLicenses": []string{}}).wantStatus(t, 202)
	call(t, s, "POST", "/_graphmock/processing/drain", nil).wantStatus(t, 200)
	uid := userID(t, s, "taylor.brennan@larkspur.example") // extensionAttribute1 "E5_baseservices;"
	fromGroup := func() bool {
		t.Helper()
		u := call(t, s, "GET", "/v1.0/users/"+uid+"?$select=licenseAssignmentStates", nil)
		u.wantStatus(t, 200)
		states, _ := u.body["licenseAssignmentStates"].([]any)
		for _, st := range states {
			if m, _ := st.(map[string]any); m["assignedByGroup"] == gid && m["skuId"] == httpSkuE5 && m["state"] == "Active" {
				return true
			}
		}
		return false
	}
	member := func() bool { return slices.Contains(memberUPNs(t, s, gid), "taylor.brennan@larkspur.example") }
	if !member() || !fromGroup() {
		t.Fatalf("member %v, licensed by the group %v; want both", member(), fromGroup())
	}

	call(t, s, "PATCH", "/v1.0/users/"+uid, map[string]any{"onPremisesExtensionAttributes": map[string]any{"extensionAttribute1": "EMS;"}}).wantStatus(t, 204)
	if !member() {
		t.Fatal("left before the queue moved")
	}
	call(t, s, "POST", "/_graphmock/processing/step", nil).wantStatus(t, 200) // dynamic evaluation
	if member() || !fromGroup() {
		t.Fatalf("after the evaluation step: member %v, licensed %v; want out of the group, license not yet removed", member(), fromGroup())
	}
	call(t, s, "POST", "/_graphmock/processing/drain", nil).wantStatus(t, 200) // license processing
	if fromGroup() {
		t.Fatal("the group's license stayed after the user left")
	}
}

func TestFixtureDynamicGroup(t *testing.T) {
	t.Parallel()
	var fx map[string]any
	if err := json.Unmarshal(DefaultTenantFixture(), &fx); err != nil {
		t.Fatal(err)
	}
	dyn := newDynamicGroupBody("financedyn", `user.department -eq "Finance"`)
	fx["groups"] = append(fx["groups"].([]any), dyn)
	seed, _ := json.Marshal(fx)
	s, err := New(Options{Seed: seed, DeterministicIDs: t.Name(), ProcessingMode: "manual"})
	if err != nil {
		t.Fatal(err)
	}
	gid := groupID(t, s, "Group financedyn")
	if got, want := memberUPNs(t, s, gid), []string{"emerson.park@larkspur.example", "rowan.mbeki@larkspur.example"}; !slices.Equal(got, want) {
		t.Fatalf("members = %q, want %q", got, want)
	}
	// Members listed by hand that the rule does not match are dropped, as on a conversion.
	other := newDynamicGroupBody("other", `user.department -eq "Finance"`)
	other["members"] = []string{"drew.sato@larkspur.example", "rowan.mbeki@larkspur.example"}
	fx["groups"] = append(fx["groups"].([]any), other)
	seed, _ = json.Marshal(fx)
	s, err = New(Options{Seed: seed, DeterministicIDs: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := memberUPNs(t, s, groupID(t, s, "Group other")), []string{"emerson.park@larkspur.example", "rowan.mbeki@larkspur.example"}; !slices.Equal(got, want) {
		t.Fatalf("members = %q, want %q", got, want)
	}
}
