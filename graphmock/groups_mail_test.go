package graphmock

import (
	"encoding/json"
	"slices"
	"testing"
)

// Refusals of writes on mail-enabled groups other than Microsoft 365 groups (engine constants,
// spelled out so the tests read the wire text).
const (
	msgMailEnabledWrite  = "The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset and the security-enablement property is set."
	msgMailEnabledUpdate = "Cannot Update a mail-enabled security groups and or distribution list."
	msgUnifiedChange     = "The 'Unified' group type can't be added or removed after a group is created: a group can't be converted to or from a Microsoft 365 group."
	msgDupNickname       = "Another object with the same value for property mailNickname already exists."
)

// Groups Exchange Online manages, added to the default tenant by exchangeGroupsServer.
const (
	mailSecurityGroupID = "aaaaaaaa-0000-4000-8000-0000000000e1"
	distributionListID  = "aaaaaaaa-0000-4000-8000-0000000000e2"
	exchangeMemberUPN   = "drew.sato@larkspur.example"
)

// exchangeGroupsServer serves the default tenant plus a mail-enabled security group and a
// distribution list, each with one member, loaded from the fixture as a synced tenant has them.
func exchangeGroupsServer(t *testing.T) *Server {
	t.Helper()
	var fx map[string]any
	if err := json.Unmarshal(DefaultTenantFixture(), &fx); err != nil {
		t.Fatal(err)
	}
	fx["groups"] = append(fx["groups"].([]any),
		map[string]any{"id": mailSecurityGroupID, "displayName": "Finance mail", "mailNickname": "finance-mail",
			"mailEnabled": true, "securityEnabled": true, "members": []string{exchangeMemberUPN}},
		map[string]any{"id": distributionListID, "displayName": "All staff", "mailNickname": "all-staff",
			"mailEnabled": true, "securityEnabled": false, "members": []string{exchangeMemberUPN}})
	seed, err := json.Marshal(fx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Seed: seed, DeterministicIDs: t.Name()})
	if err != nil {
		t.Fatalf("New with mail-enabled groups in the fixture: %v", err)
	}
	return s
}

func TestFixtureLoadsMailEnabledGroups(t *testing.T) {
	t.Parallel()
	s := exchangeGroupsServer(t)
	tests := []struct {
		id       string
		security bool
		mail     string
	}{
		{mailSecurityGroupID, true, "finance-mail@larkspur.example"},
		{distributionListID, false, "all-staff@larkspur.example"},
	}
	for _, tc := range tests {
		g := call(t, s, "GET", "/v1.0/groups/"+tc.id, nil)
		g.wantStatus(t, 200)
		if g.body["mailEnabled"] != true || g.body["securityEnabled"] != tc.security || g.str("mail") != tc.mail ||
			len(g.body["groupTypes"].([]any)) != 0 {
			t.Fatalf("group = %s", g.raw)
		}
		if m := call(t, s, "GET", "/v1.0/groups/"+tc.id+"/members", nil).values(t); len(m) != 1 || m[0]["userPrincipalName"] != exchangeMemberUPN {
			t.Fatalf("members = %v", m)
		}
	}
}

func TestCreateGroupMailEnabledRulesHTTP(t *testing.T) {
	t.Parallel()
	body := func(mail, security bool, types ...string) map[string]any {
		b := newGroupBody("newgroup")
		b["mailEnabled"], b["securityEnabled"] = mail, security
		if types != nil {
			b["groupTypes"] = types
		}
		return b
	}
	dynamic := body(true, true, "DynamicMembership")
	dynamic["membershipRule"] = `user.department -eq "Sales"`
	tests := []struct {
		name     string
		body     map[string]any
		status   int
		message  string
		wantMail any
	}{
		{"Microsoft 365 group", body(true, false, "Unified"), 201, "", "newgroup@larkspur.example"},
		{"Microsoft 365 group with securityEnabled", body(true, true, "Unified"), 201, "", "newgroup@larkspur.example"},
		{"security group", body(false, true), 201, "", nil},
		{"mail-enabled security group", body(true, true), 400, msgMailEnabledWrite, nil},
		{"distribution list", body(true, false), 400, msgMailEnabledWrite, nil},
		{"distribution list with empty groupTypes", body(true, false, []string{}...), 400, msgMailEnabledWrite, nil},
		{"mail-enabled dynamic security group", dynamic, 400, msgMailEnabledWrite, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			r := call(t, s, "POST", "/v1.0/groups", tc.body)
			if tc.status != 201 {
				r.wantError(t, tc.status, "Request_BadRequest", tc.message)
				if n := len(call(t, s, "GET", "/v1.0/groups", nil).values(t)); n != 6 {
					t.Fatalf("a refused create left %d groups", n)
				}
				return
			}
			r.wantStatus(t, 201)
			if r.body["mail"] != tc.wantMail || r.body["mailEnabled"] != tc.body["mailEnabled"] {
				t.Fatalf("created = %s", r.raw)
			}
		})
	}
}

func TestGroupMailNicknameUniqueness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		first, second map[string]any
		status        int
	}{
		{"two security groups NotSet", newGroupBody("NotSet"), newGroupBody("NotSet"), 201},
		{"security group with a Microsoft 365 group's mailNickname", microsoft365GroupBody("crew"), newGroupBody("crew"), 201},
		{"Microsoft 365 group with a security group's mailNickname", newGroupBody("crew"), microsoft365GroupBody("crew"), 201},
		{"two Microsoft 365 groups", microsoft365GroupBody("crew"), microsoft365GroupBody("Crew"), 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			call(t, s, "POST", "/v1.0/groups", tc.first).wantStatus(t, 201)
			r := call(t, s, "POST", "/v1.0/groups", tc.second)
			if tc.status == 400 {
				r.wantError(t, 400, "Request_BadRequest", msgDupNickname)
				return
			}
			r.wantStatus(t, tc.status)
		})
	}
	t.Run("PATCH a Microsoft 365 group to another's mailNickname", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		id := call(t, s, "POST", "/v1.0/groups", microsoft365GroupBody("crew")).str("id")
		call(t, s, "PATCH", "/v1.0/groups/"+id, map[string]any{"mailNickname": "Marketing-Team"}).wantError(t, 400, "Request_BadRequest", msgDupNickname)
	})
}

func TestRestoreGroupWithSharedMailNickname(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body func(string) map[string]any
		want int
	}{
		{"security group", newGroupBody, 200},
		{"Microsoft 365 group", microsoft365GroupBody, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			gone := call(t, s, "POST", "/v1.0/groups", tc.body("NotSet")).str("id")
			call(t, s, "DELETE", "/v1.0/groups/"+gone, nil).wantStatus(t, 204)
			call(t, s, "POST", "/v1.0/groups", tc.body("NotSet")).wantStatus(t, 201)
			r := call(t, s, "POST", "/v1.0/directory/deletedItems/"+gone+"/restore", nil)
			if tc.want == 400 {
				r.wantError(t, 400, "Request_BadRequest", msgDupNickname)
				return
			}
			r.wantStatus(t, tc.want)
		})
	}
}

func TestUpdateGroupMailEnabledRulesHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, group string // group: a default-tenant displayName, or an Exchange group id
		body        map[string]any
		message     string // "" = 204
	}{
		{"security group: description", "Contractors", map[string]any{"description": "x"}, ""},
		{"security group: mailNickname another security group has", "Contractors", map[string]any{"mailNickname": "E3-BASE-SERVICES"}, ""},
		{"Microsoft 365 group: mailNickname another security group has", "Marketing Team", map[string]any{"mailNickname": "contractors"}, ""},
		{"security group: mailEnabled", "Contractors", map[string]any{"mailEnabled": true}, msgMailEnabledWrite},
		{"security group: add Unified", "Contractors", map[string]any{"groupTypes": []string{"Unified"}}, msgUnifiedChange},
		{"security group: become a Microsoft 365 group", "Contractors",
			map[string]any{"groupTypes": []string{"Unified"}, "mailEnabled": true, "securityEnabled": false}, msgUnifiedChange},
		{"Microsoft 365 group: description", "Marketing Team", map[string]any{"description": "x"}, ""},
		{"Microsoft 365 group: toggle DynamicMembership", "Marketing Team",
			map[string]any{"groupTypes": []string{"Unified", "DynamicMembership"}, "membershipRule": `user.department -eq "Marketing"`}, ""},
		{"Microsoft 365 group: remove Unified", "Marketing Team", map[string]any{"groupTypes": []string{}}, msgUnifiedChange},
		{"mail-enabled security group: description", mailSecurityGroupID, map[string]any{"description": "x"}, msgMailEnabledUpdate},
		{"mail-enabled security group: mailEnabled false", mailSecurityGroupID, map[string]any{"mailEnabled": false}, msgMailEnabledUpdate},
		{"distribution list: displayName", distributionListID, map[string]any{"displayName": "x"}, msgMailEnabledUpdate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := exchangeGroupsServer(t)
			id := tc.group
			if id != mailSecurityGroupID && id != distributionListID {
				id = groupID(t, s, tc.group)
			}
			before := call(t, s, "GET", "/v1.0/groups/"+id, nil)
			r := call(t, s, "PATCH", "/v1.0/groups/"+id, tc.body)
			if tc.message == "" {
				r.wantStatus(t, 204)
				return
			}
			r.wantError(t, 400, "Request_BadRequest", tc.message)
			after := call(t, s, "GET", "/v1.0/groups/"+id, nil)
			for _, k := range []string{"description", "displayName", "mailEnabled", "securityEnabled", "mail"} {
				if before.body[k] != after.body[k] {
					t.Fatalf("a refused PATCH changed %s: %v → %v", k, before.body[k], after.body[k])
				}
			}
			if !slices.Equal(before.body["groupTypes"].([]any), after.body["groupTypes"].([]any)) {
				t.Fatalf("a refused PATCH changed groupTypes: %v", after.body["groupTypes"])
			}
		})
	}
}

func TestMemberRefsOnMailEnabledGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, group string // a default-tenant displayName, or an Exchange group id
		message     string // "" = allowed
	}{
		{"security group", "Contractors", ""},
		{"Microsoft 365 group", "Marketing Team", ""},
		{"mail-enabled security group", mailSecurityGroupID, msgMailEnabledUpdate},
		{"distribution list", distributionListID, msgMailEnabledUpdate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := exchangeGroupsServer(t)
			id := tc.group
			if id != mailSecurityGroupID && id != distributionListID {
				id = groupID(t, s, tc.group)
			}
			member := userID(t, s, exchangeMemberUPN)
			other := userID(t, s, "avery.chen@larkspur.example")
			if tc.message == "" {
				call(t, s, "POST", "/v1.0/groups/"+id+"/members/$ref", map[string]any{"@odata.id": bindURL(other)}).wantStatus(t, 204)
				call(t, s, "DELETE", "/v1.0/groups/"+id+"/members/"+other+"/$ref", nil).wantStatus(t, 204)
				call(t, s, "PATCH", "/v1.0/groups/"+id, map[string]any{"members@odata.bind": []string{bindURL(other)}}).wantStatus(t, 204)
				return
			}
			members := call(t, s, "GET", "/v1.0/groups/"+id+"/members", nil).raw
			call(t, s, "POST", "/v1.0/groups/"+id+"/members/$ref", map[string]any{"@odata.id": bindURL(other)}).
				wantError(t, 400, "Request_BadRequest", tc.message)
			call(t, s, "DELETE", "/v1.0/groups/"+id+"/members/"+member+"/$ref", nil).
				wantError(t, 400, "Request_BadRequest", tc.message)
			call(t, s, "PATCH", "/v1.0/groups/"+id, map[string]any{"members@odata.bind": []string{bindURL(other)}}).
				wantError(t, 400, "Request_BadRequest", tc.message)
			if after := call(t, s, "GET", "/v1.0/groups/"+id+"/members", nil).raw; string(after) != string(members) {
				t.Fatalf("members changed by refused requests:\n%s\n%s", members, after)
			}
		})
	}
}

func TestAssignLicenseToMailEnabledGroups(t *testing.T) {
	t.Parallel()
	body := `{"addLicenses":[{"skuId":"` + e3SkuID + `","disabledPlans":[]}],"removeLicenses":[]}`
	s := exchangeGroupsServer(t)
	call(t, s, "POST", "/v1.0/groups/"+mailSecurityGroupID+"/assignLicense", body).wantStatus(t, 202)
	call(t, s, "POST", "/v1.0/groups/"+distributionListID+"/assignLicense", body).wantError(t, 400, "Request_BadRequest",
		"Group-based licensing can only be used with security groups and Microsoft 365 groups that have securityEnabled=true.")
}
