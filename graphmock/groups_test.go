package graphmock

import (
	"strings"
	"testing"
)

func bindURL(id string) string { return "https://graph.microsoft.com/v1.0/directoryObjects/" + id }

func newGroupBody(nick string) map[string]any {
	return map[string]any{"displayName": "Group " + nick, "mailNickname": nick, "mailEnabled": false, "securityEnabled": true}
}

// microsoft365GroupBody is a POST /groups body for a Microsoft 365 group.
func microsoft365GroupBody(nick string) map[string]any {
	return map[string]any{"displayName": "Group " + nick, "mailNickname": nick, "mailEnabled": true, "securityEnabled": false,
		"groupTypes": []string{"Unified"}}
}

func TestListAndGetGroups(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "GET", "/v1.0/groups", nil)
	r.wantStatus(t, 200)
	if len(r.values(t)) != 6 || r.str("@odata.context") != "http://graph.test/v1.0/$metadata#groups" {
		t.Fatalf("groups = %s", r.raw)
	}
	id := groupID(t, s, "Marketing Team")
	g := call(t, s, "GET", "/v1.0/groups/"+id, nil)
	g.wantStatus(t, 200)
	if g.body["securityEnabled"] != false || g.body["mail"] != "marketing-team@larkspur.example" || g.body["visibility"] != "Private" {
		t.Fatalf("group = %v", g.body)
	}
	if _, ok := g.body["assignedLicenses"]; ok {
		t.Fatal("assignedLicenses is returned only on $select")
	}
	if _, ok := g.body["hasMembersWithLicenseErrors"]; ok {
		t.Fatal("hasMembersWithLicenseErrors is never returned")
	}
	sel := call(t, s, "GET", "/v1.0/groups/"+id+"?$select=id,assignedLicenses,licenseProcessingState", nil)
	if len(sel.body) != 4 || sel.str("@odata.context") != "http://graph.test/v1.0/$metadata#groups(id,assignedLicenses,licenseProcessingState)/$entity" {
		t.Fatalf("selected = %v", sel.body)
	}
	call(t, s, "GET", "/v1.0/groups/"+notFoundID, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
}

func TestCreateGroupWithBinds(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	admin := userID(t, s, adminUPN)
	other := userID(t, s, "avery.chen@larkspur.example")
	b := newGroupBody("new-sec")
	b["members@odata.bind"] = []string{bindURL(admin), "https://graph.microsoft.com/v1.0/users/" + other}
	b["owners@odata.bind"] = []string{bindURL(admin)}
	r := call(t, s, "POST", "/v1.0/groups", b)
	r.wantStatus(t, 201)
	id := r.str("id")
	if r.header.Get("Location") != "https://graph.microsoft.com/v2/"+tenantID+"/directoryObjects/"+id+"/Microsoft.DirectoryServices.Group" {
		t.Fatalf("Location = %q", r.header.Get("Location"))
	}
	members := call(t, s, "GET", "/v1.0/groups/"+id+"/members", nil)
	if len(members.values(t)) != 2 || members.values(t)[0]["@odata.type"] != "#microsoft.graph.user" ||
		members.str("@odata.context") != "http://graph.test/v1.0/$metadata#directoryObjects" {
		t.Fatalf("members = %s", members.raw)
	}
	if owners := call(t, s, "GET", "/v1.0/groups/"+id+"/owners", nil).values(t); len(owners) != 1 || owners[0]["id"] != admin {
		t.Fatalf("owners = %v", owners)
	}
}

func TestCreateGroupErrors(t *testing.T) {
	t.Parallel()
	without := func(k string) map[string]any { b := newGroupBody("g1"); delete(b, k); return b }
	with := func(k string, v any) map[string]any { b := newGroupBody("g2"); b[k] = v; return b }
	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, bindURL(notFoundID))
	}
	tests := []struct {
		name          string
		body          any
		status        int
		code, message string
	}{
		{"no displayName", without("displayName"), 400, "Request_BadRequest", "Property displayName value is required but is empty or missing."},
		{"no mailEnabled", without("mailEnabled"), 400, "Request_BadRequest", "Property mailEnabled value is required but is empty or missing."},
		{"no mailNickname", without("mailNickname"), 400, "Request_BadRequest", "Property mailNickname value is required but is empty or missing."},
		{"no securityEnabled", without("securityEnabled"), 400, "Request_BadRequest", "Property securityEnabled value is required but is empty or missing."},
		{"duplicate Microsoft 365 mailNickname", microsoft365GroupBody("MARKETING-TEAM"), 400, "Request_BadRequest", "Another object with the same value for property mailNickname already exists."},
		{"bad mailNickname", with("mailNickname", "a.b"), 400, "Request_BadRequest", "Invalid value specified for property 'mailNickname' of resource 'Group'."},
		{"bad groupTypes", with("groupTypes", []string{"Weird"}), 400, "Request_BadRequest", "Invalid value specified for property 'groupTypes' of resource 'Group'."},
		{"member missing", with("members@odata.bind", []string{bindURL(notFoundID)}), 404, "Request_ResourceNotFound", notFoundMsg(notFoundID)},
		{"bad bind url", with("members@odata.bind", []string{"https://graph.microsoft.com/v1.0/foo"}), 400, "Request_BadRequest", "Invalid URL format specified in @odata.bind for members"},
		{"too many binds", with("members@odata.bind", many), 400, "Request_BadRequest", "A maximum of 20 members can be added in one request."},
		{"wrong type", with("securityEnabled", "true"), 400, "BadRequest", "Cannot convert the literal 'true' to the expected type 'Edm.Boolean'."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			call(t, s, "POST", "/v1.0/groups", tc.body).wantError(t, tc.status, tc.code, tc.message)
			if n := len(call(t, s, "GET", "/v1.0/groups", nil).values(t)); n != 6 {
				t.Fatalf("a failed create left %d groups", n)
			}
		})
	}
}

func TestUpdateGroup(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := groupID(t, s, "Contractors")
	u := userID(t, s, "drew.sato@larkspur.example")
	call(t, s, "PATCH", "/v1.0/groups/"+id, map[string]any{"description": "changed", "members@odata.bind": []string{bindURL(u)}}).wantStatus(t, 204)
	g := call(t, s, "GET", "/v1.0/groups/"+id, nil)
	if g.body["description"] != "changed" {
		t.Fatalf("description = %v", g.body["description"])
	}
	if n := len(call(t, s, "GET", "/v1.0/groups/"+id+"/members", nil).values(t)); n != 3 {
		t.Fatalf("members = %d, want 3", n)
	}
	// Atomic: a bind that fails leaves the property change undone too.
	call(t, s, "PATCH", "/v1.0/groups/"+id, map[string]any{"description": "again", "members@odata.bind": []string{bindURL(u)}}).
		wantError(t, 400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.")
	if d := call(t, s, "GET", "/v1.0/groups/"+id, nil).body["description"]; d != "changed" {
		t.Fatalf("description after failed PATCH = %v", d)
	}
	call(t, s, "PATCH", "/v1.0/groups/"+notFoundID, map[string]any{"description": "x"}).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
}

func TestMemberRefs(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gid := groupID(t, s, "Contractors")
	uid := userID(t, s, "drew.sato@larkspur.example")
	ref := map[string]any{"@odata.id": bindURL(uid)}
	call(t, s, "POST", "/v1.0/groups/"+gid+"/members/$ref", ref).wantStatus(t, 204)
	call(t, s, "POST", "/v1.0/groups/"+gid+"/members/$ref", ref).wantError(t, 400, "Request_BadRequest",
		"One or more added object references already exist for the following modified properties: 'members'.")
	call(t, s, "POST", "/v1.0/groups/"+gid+"/members/$ref", map[string]any{"@odata.id": bindURL(notFoundID)}).
		wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
	call(t, s, "POST", "/v1.0/groups/"+notFoundID+"/members/$ref", ref).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
	call(t, s, "POST", "/v1.0/groups/"+gid+"/members/$ref", map[string]any{}).wantError(t, 400, "Request_BadRequest",
		"The request body must contain an @odata.id reference to a directory object.")
	memberOf := call(t, s, "GET", "/v1.0/users/"+uid+"/memberOf", nil).values(t)
	if len(memberOf) != 2 || memberOf[0]["@odata.type"] != "#microsoft.graph.group" {
		t.Fatalf("memberOf = %v", memberOf)
	}
	call(t, s, "DELETE", "/v1.0/groups/"+gid+"/members/"+uid+"/$ref", nil).wantStatus(t, 204)
	call(t, s, "DELETE", "/v1.0/groups/"+gid+"/members/"+uid+"/$ref", nil).wantError(t, 400, "Request_BadRequest",
		"One or more removed object references do not exist for the following modified properties: 'members'.")
	call(t, s, "DELETE", "/v1.0/groups/"+gid+"/members/"+notFoundID+"/$ref", nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
}

func TestMicrosoft365GroupTakesOnlyUsers(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	m365 := groupID(t, s, "Marketing Team")
	sec := groupID(t, s, "Contractors")
	call(t, s, "POST", "/v1.0/groups/"+m365+"/members/$ref", map[string]any{"@odata.id": bindURL(sec)}).
		wantError(t, 400, "Request_BadRequest", "Microsoft 365 groups can only contain users as members.")
}

func TestTransitiveMembership(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	base := groupID(t, s, "E3 base services")
	direct := call(t, s, "GET", "/v1.0/groups/"+base+"/members", nil).values(t)
	trans := call(t, s, "GET", "/v1.0/groups/"+base+"/transitiveMembers", nil).values(t)
	if len(direct) != 8 || len(trans) != 10 {
		t.Fatalf("direct %d transitive %d, want 8 and 10 (Contractors nested with 2 users)", len(direct), len(trans))
	}
	finley := userID(t, s, "finley.moreau@larkspur.example")
	if n := len(call(t, s, "GET", "/v1.0/users/"+finley+"/memberOf", nil).values(t)); n != 1 {
		t.Fatalf("memberOf = %d, want 1", n)
	}
	if n := len(call(t, s, "GET", "/v1.0/users/"+finley+"/transitiveMemberOf", nil).values(t)); n != 2 {
		t.Fatalf("transitiveMemberOf = %d, want 2", n)
	}
	contractors := groupID(t, s, "Contractors")
	if mo := call(t, s, "GET", "/v1.0/groups/"+contractors+"/memberOf", nil).values(t); len(mo) != 1 || mo[0]["id"] != base {
		t.Fatalf("group memberOf = %v", mo)
	}
}

func TestOwnerRefs(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gid := groupID(t, s, "Contractors")
	uid := userID(t, s, adminUPN)
	ref := map[string]any{"@odata.id": bindURL(uid)}
	call(t, s, "POST", "/v1.0/groups/"+gid+"/owners/$ref", ref).wantStatus(t, 204)
	call(t, s, "POST", "/v1.0/groups/"+gid+"/owners/$ref", ref).wantError(t, 400, "Request_BadRequest",
		"One or more added object references already exist for the following modified properties: 'owners'.")
	call(t, s, "DELETE", "/v1.0/groups/"+gid+"/owners/"+uid+"/$ref", nil).wantStatus(t, 204)
	call(t, s, "DELETE", "/v1.0/groups/"+gid+"/owners/"+uid+"/$ref", nil).wantError(t, 400, "Request_BadRequest",
		"One or more removed object references do not exist for the following modified properties: 'owners'.")
}

func TestDeleteAndRestoreGroup(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gid := groupID(t, s, "Contractors")
	call(t, s, "DELETE", "/v1.0/groups/"+gid, nil).wantStatus(t, 204)
	call(t, s, "GET", "/v1.0/groups/"+gid, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(gid))
	dg := call(t, s, "GET", "/v1.0/directory/deletedItems/microsoft.graph.group", nil).values(t)
	if len(dg) != 1 || dg[0]["id"] != gid {
		t.Fatalf("deleted groups = %v", dg)
	}
	base := groupID(t, s, "E3 base services")
	if n := len(call(t, s, "GET", "/v1.0/groups/"+base+"/transitiveMembers", nil).values(t)); n != 7 {
		t.Fatalf("transitive members with Contractors deleted = %d, want 7", n)
	}
	r := call(t, s, "POST", "/v1.0/directory/deletedItems/"+gid+"/restore", nil)
	r.wantStatus(t, 200)
	if r.str("@odata.type") != "#microsoft.graph.group" {
		t.Fatalf("restored = %v", r.body)
	}
	if n := len(call(t, s, "GET", "/v1.0/groups/"+gid+"/members", nil).values(t)); n != 2 {
		t.Fatalf("members after restore = %d", n)
	}
}

func TestDirectoryObjects(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	uid := userID(t, s, adminUPN)
	gid := groupID(t, s, "Contractors")
	r := call(t, s, "GET", "/v1.0/directoryObjects/"+gid, nil)
	r.wantStatus(t, 200)
	if r.str("@odata.type") != "#microsoft.graph.group" || r.str("@odata.context") != "http://graph.test/v1.0/$metadata#directoryObjects/$entity" {
		t.Fatalf("directoryObject = %v", r.body)
	}
	call(t, s, "GET", "/v1.0/directoryObjects/"+notFoundID, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
	b := call(t, s, "POST", "/v1.0/directoryObjects/getByIds", map[string]any{"ids": []string{uid, notFoundID, gid}})
	b.wantStatus(t, 200)
	if vs := b.values(t); len(vs) != 2 || vs[0]["id"] != uid || vs[1]["id"] != gid {
		t.Fatalf("getByIds = %v", vs)
	}
	typed := call(t, s, "POST", "/v1.0/directoryObjects/getByIds", map[string]any{"ids": []string{uid, gid}, "types": []string{"group"}}).values(t)
	if len(typed) != 1 || typed[0]["id"] != gid {
		t.Fatalf("getByIds types=group = %v", typed)
	}
	call(t, s, "POST", "/v1.0/directoryObjects/getByIds", map[string]any{}).wantError(t, 400, "Request_BadRequest",
		"Property ids value is required but is empty or missing.")
}

func TestSubscribedSkusAndOrganization(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "GET", "/v1.0/subscribedSkus", nil)
	r.wantStatus(t, 200)
	skus := r.values(t)
	if len(skus) != 9 {
		t.Fatalf("%d skus, want 9", len(skus))
	}
	var e3 map[string]any
	for _, sku := range skus {
		if sku["skuPartNumber"] == "ENTERPRISEPACK" {
			e3 = sku
		}
	}
	if e3 == nil || e3["skuId"] != e3SkuID || e3["id"] != tenantID+"_"+e3SkuID ||
		e3["prepaidUnits"].(map[string]any)["enabled"] != float64(25) || len(e3["servicePlans"].([]any)) < 10 {
		t.Fatalf("E3 = %v", e3)
	}
	one := call(t, s, "GET", "/v1.0/subscribedSkus/"+tenantID+"_"+e3SkuID, nil)
	one.wantStatus(t, 200)
	if one.str("skuPartNumber") != "ENTERPRISEPACK" {
		t.Fatalf("GET sku = %v", one.body)
	}
	bad := tenantID + "_" + notFoundID
	call(t, s, "GET", "/v1.0/subscribedSkus/"+bad, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(bad))
	call(t, s, "GET", "/v1.0/subscribedSkus/garbage", nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg("garbage"))

	org := call(t, s, "GET", "/v1.0/organization", nil)
	vs := org.values(t)
	if len(vs) != 1 || vs[0]["id"] != tenantID || vs[0]["countryLetterCode"] != "US" || vs[0]["defaultUsageLocation"] != "US" {
		t.Fatalf("organization = %v", vs)
	}
	call(t, s, "GET", "/v1.0/organization/"+tenantID, nil).wantStatus(t, 200)
	call(t, s, "GET", "/v1.0/organization/"+notFoundID, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
}

func TestDefaultTenantShape(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	noLocation := 0
	for _, u := range call(t, s, "GET", "/v1.0/users?$select=usageLocation,department,jobTitle", nil).values(t) {
		if u["usageLocation"] == nil {
			noLocation++
		}
	}
	if noLocation < 3 {
		t.Fatalf("the default tenant needs users without usageLocation; %d found", noLocation)
	}
	for _, name := range []string{"E3 base services", "E3 extended services", "EMS licensed users", "O365 E5 - Exchange only", "Contractors", "Marketing Team"} {
		if groupID(t, s, name) == "" {
			t.Fatalf("missing %s", name)
		}
	}
}

func TestFilterHasMembersWithLicenseErrors(t *testing.T) {
	t.Parallel()
	s, err := New(Options{ProcessingMode: "immediate"})
	if err != nil {
		t.Fatal(err)
	}
	const emsE5 = "b05e124f-c7cc-45a0-a6aa-8cf78c946968"
	call(t, s, "PATCH", "/_graphmock/subscribedSkus/"+emsE5, map[string]any{"prepaidUnits": map[string]any{"enabled": 1}}).wantStatus(t, 200)
	gid := groupID(t, s, "EMS licensed users")
	call(t, s, "POST", "/v1.0/groups/"+gid+"/assignLicense", map[string]any{
		"addLicenses": []any{map[string]any{"skuId": emsE5, "disabledPlans": []any{}}}, "removeLicenses": []any{}}).wantStatus(t, 202)
	r := call(t, s, "GET", "/v1.0/groups?$filter=hasMembersWithLicenseErrors%20eq%20true&$select=id,displayName", nil)
	r.wantStatus(t, 200)
	vs := r.values(t)
	if len(vs) != 1 || vs[0]["id"] != gid {
		t.Fatalf("groups with license errors = %v", vs)
	}
	if _, ok := vs[0]["hasMembersWithLicenseErrors"]; ok {
		t.Fatal("hasMembersWithLicenseErrors must not be returned")
	}
	if n := len(call(t, s, "GET", "/v1.0/groups/"+gid+"/membersWithLicenseErrors", nil).values(t)); n != 5 {
		t.Fatalf("%d members with errors, want 5 (6 members, 1 seat)", n)
	}
}

func TestGroupFiltersUseIndexes(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tests := []struct {
		filter string
		want   int
	}{
		{"displayName eq 'Contractors'", 1},
		{"displayName eq 'CONTRACTORS'", 1},
		{"startswith(displayName,'E3')", 2},
		{"securityEnabled eq true and startswith(displayName,'e3 ')", 2},
		{"mailNickname eq 'contractors'", 1},
		{"displayName eq 'nobody'", 0},
	}
	for _, tc := range tests {
		r := call(t, s, "GET", "/v1.0/groups?$filter="+strings.ReplaceAll(tc.filter, " ", "%20"), nil)
		r.wantStatus(t, 200)
		if n := len(r.values(t)); n != tc.want {
			t.Errorf("%s: %d groups, want %d", tc.filter, n, tc.want)
		}
	}
	n := call(t, s, "GET", "/v1.0/groups/$count?$filter=startswith(displayName,'E3')", nil, "ConsistencyLevel", "eventual")
	if string(n.raw) != "2" {
		t.Fatalf("filtered /groups/$count = %q", n.raw)
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	u := call(t, s, "GET", "/v1.0/users/finley.moreau@larkspur.example?$expand=memberOf", nil)
	u.wantStatus(t, 200)
	mo, ok := u.body["memberOf"].([]any)
	if !ok || len(mo) != 1 || mo[0].(map[string]any)["@odata.type"] != "#microsoft.graph.group" {
		t.Fatalf("memberOf = %v", u.body["memberOf"])
	}
	gid := groupID(t, s, "E3 base services")
	g := call(t, s, "GET", "/v1.0/groups/"+gid+"?$expand=members&$select=id", nil)
	if ms, _ := g.body["members"].([]any); len(ms) != 8 || g.body["displayName"] != nil {
		t.Fatalf("expanded group = %v", g.body)
	}
	list := call(t, s, "GET", "/v1.0/groups?$filter=displayName%20eq%20'Contractors'&$expand=members", nil)
	if ms, _ := list.values(t)[0]["members"].([]any); len(ms) != 2 {
		t.Fatalf("list with $expand = %s", list.raw)
	}
	call(t, s, "GET", "/v1.0/users/finley.moreau@larkspur.example?$expand=registeredDevices", nil).wantError(t, 501, "NotImplemented",
		"graphmock does not implement $expand=registeredDevices.")
}
