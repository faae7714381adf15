package graphmock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/graphmock/graphmock/openapi"
)

// lifecycleProps are the user properties provisioning code writes besides the basic profile,
// with the values POST sends and GET must return.
var lifecycleProps = map[string]any{
	"passwordPolicies":        "DisablePasswordExpiration, DisableStrongPassword",
	"employeeHireDate":        "2024-03-01T09:00:00Z",
	"employeeLeaveDateTime":   "2026-12-31T17:30:00Z",
	"ageGroup":                "NotAdult",
	"consentProvidedForMinor": "Granted",
	"onPremisesImmutableId":   "k2n3Yb0eS0uLqv7Jx1y3dA==",
	"showInAddressList":       false,
	"employeeOrgData":         map[string]any{"costCenter": "CC-7", "division": "Retail"},
	"identities": []any{
		map[string]any{"signInType": "userPrincipalName", "issuer": "larkspurlogistics.onmicrosoft.com", "issuerAssignedId": "life.cycle@larkspur.example"},
		map[string]any{"signInType": "federated", "issuer": "idp.example", "issuerAssignedId": "lc-1"},
	},
}

func lifecycleSelect() string {
	names := make([]string, 0, len(lifecycleProps))
	for k := range lifecycleProps {
		names = append(names, k)
	}
	return strings.Join(names, ",")
}

// validResponse checks a response against Microsoft's OpenAPI description.
func validResponse(t *testing.T, v *openapi.Validator, method, path string, r response) {
	t.Helper()
	u, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.ValidateResponse(method, strings.TrimPrefix(u.Path, "/v1.0"), r.status, r.header, r.raw); err != nil {
		t.Fatalf("%s %s: response does not match the OpenAPI description: %v", method, path, err)
	}
}

// TestUserLifecyclePropertiesRoundTrip writes each property with POST and PATCH and reads it
// back with and without $select, on a single user and on the list, every response checked
// against Microsoft's OpenAPI description.
func TestUserLifecyclePropertiesRoundTrip(t *testing.T) {
	t.Parallel()
	v, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t)
	body := newUserBody("life.cycle")
	for k, val := range lifecycleProps {
		body[k] = val
	}
	created := call(t, s, "POST", "/v1.0/users", body)
	created.wantStatus(t, 201)
	validResponse(t, v, "POST", "/v1.0/users", created)
	id := created.str("id")
	for k := range lifecycleProps {
		if _, ok := created.body[k]; ok {
			t.Fatalf("POST answer carries %s, which is returned only on $select: %s", k, created.raw)
		}
	}
	plain := call(t, s, "GET", "/v1.0/users/"+id, nil)
	for k := range lifecycleProps {
		if _, ok := plain.body[k]; ok {
			t.Fatalf("GET without $select carries %s", k)
		}
	}
	path := "/v1.0/users/" + id + "?$select=" + lifecycleSelect()
	got := call(t, s, "GET", path, nil)
	got.wantStatus(t, 200)
	validResponse(t, v, "GET", path, got)
	for k, want := range lifecycleProps {
		if !reflect.DeepEqual(got.body[k], want) {
			t.Errorf("%s = %#v, want %#v", k, got.body[k], want)
		}
	}
	listPath := "/v1.0/users?$filter=id eq '" + id + "'&$select=id," + lifecycleSelect()
	list := call(t, s, "GET", strings.ReplaceAll(listPath, " ", "%20"), nil)
	list.wantStatus(t, 200)
	validResponse(t, v, "GET", "/v1.0/users", list)
	if vs := list.values(t); len(vs) != 1 || !reflect.DeepEqual(vs[0]["employeeOrgData"], lifecycleProps["employeeOrgData"]) ||
		vs[0]["passwordPolicies"] != lifecycleProps["passwordPolicies"] {
		t.Fatalf("list with $select = %s", list.raw)
	}

	// PATCH: employeeOrgData is replaced whole (a member left out becomes null), nulls clear,
	// dates are kept at second precision in UTC, enumerations in their canonical spelling.
	patch := map[string]any{
		"passwordPolicies": "None", "employeeHireDate": "2024-03-01T10:00:00.5+01:00", "employeeLeaveDateTime": nil,
		"ageGroup": "adult", "consentProvidedForMinor": nil, "onPremisesImmutableId": "bmV3",
		"showInAddressList": nil, "employeeOrgData": map[string]any{"division": "Wholesale"},
		"identities": []any{map[string]any{"signInType": "emailAddress", "issuer": "larkspur.example", "issuerAssignedId": "lc@mail.example"}},
	}
	call(t, s, "PATCH", "/v1.0/users/"+id, patch).wantStatus(t, 204)
	got = call(t, s, "GET", path, nil)
	validResponse(t, v, "GET", path, got)
	want := map[string]any{
		"passwordPolicies": "None", "employeeHireDate": "2024-03-01T09:00:00Z", "employeeLeaveDateTime": nil,
		"ageGroup": "Adult", "consentProvidedForMinor": nil, "onPremisesImmutableId": "bmV3", "showInAddressList": nil,
		"employeeOrgData": map[string]any{"costCenter": nil, "division": "Wholesale"},
		"identities": []any{
			map[string]any{"signInType": "userPrincipalName", "issuer": "larkspurlogistics.onmicrosoft.com", "issuerAssignedId": "life.cycle@larkspur.example"},
			map[string]any{"signInType": "emailAddress", "issuer": "larkspur.example", "issuerAssignedId": "lc@mail.example"},
		},
	}
	for k, w := range want {
		if !reflect.DeepEqual(got.body[k], w) {
			t.Errorf("after PATCH %s = %#v, want %#v", k, got.body[k], w)
		}
	}
	call(t, s, "PATCH", "/v1.0/users/"+id, map[string]any{"employeeOrgData": nil}).wantStatus(t, 204)
	if r := call(t, s, "GET", "/v1.0/users/"+id+"?$select=employeeOrgData", nil); r.body["employeeOrgData"] != nil {
		t.Fatalf("employeeOrgData after null = %v", r.body["employeeOrgData"])
	}

	// A fixture user's identities: every user has its userPrincipalName identity.
	r := call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$select=identities,lastPasswordChangeDateTime,creationType", nil)
	if ids, _ := r.body["identities"].([]any); len(ids) != 1 || r.str("lastPasswordChangeDateTime") == "" || r.body["creationType"] != nil {
		t.Fatalf("fixture user = %s", r.raw)
	}
	validResponse(t, v, "GET", "/v1.0/users/"+adminUPN, r)
}

func TestUserPropertyValueErrors(t *testing.T) {
	t.Parallel()
	invalid := func(p string) string { return "Invalid value specified for property '" + p + "' of resource 'User'." }
	tests := []struct {
		name          string
		body          map[string]any
		code, message string
	}{
		{"ageGroup", map[string]any{"ageGroup": "Child"}, "Request_BadRequest", invalid("ageGroup")},
		{"consentProvidedForMinor", map[string]any{"consentProvidedForMinor": "Maybe"}, "Request_BadRequest", invalid("consentProvidedForMinor")},
		{"passwordPolicies", map[string]any{"passwordPolicies": "NeverExpire"}, "Request_BadRequest", invalid("passwordPolicies")},
		{"onPremisesImmutableId", map[string]any{"onPremisesImmutableId": "has_underscore"}, "Request_BadRequest", invalid("onPremisesImmutableId")},
		{"identity without issuer", map[string]any{"identities": []any{map[string]any{"signInType": "federated"}}}, "Request_BadRequest", invalid("identities")},
		{"employeeHireDate not a date", map[string]any{"employeeHireDate": "2024-03-01"}, "BadRequest", "Cannot convert the literal '2024-03-01' to the expected type 'Edm.DateTimeOffset'."},
		{"showInAddressList not a boolean", map[string]any{"showInAddressList": "no"}, "BadRequest", "Cannot convert the literal 'no' to the expected type 'Edm.Boolean'."},
		{"employeeOrgData unknown member", map[string]any{"employeeOrgData": map[string]any{"team": "x"}}, "BadRequest",
			"The property 'team' does not exist on type 'microsoft.graph.employeeOrgData'. Make sure to only use property names that are defined by the type or mark the type as open type."},
		{"identities not an array", map[string]any{"identities": "x"}, "BadRequest", "Cannot convert the literal 'x' to the expected type 'Collection(microsoft.graph.objectIdentity)'."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			b := newUserBody("bad.value")
			for k, v := range tc.body {
				b[k] = v
			}
			call(t, s, "POST", "/v1.0/users", b).wantError(t, 400, tc.code, tc.message)
			call(t, s, "PATCH", "/v1.0/users/"+adminUPN, tc.body).wantError(t, 400, tc.code, tc.message)
			if n := len(call(t, s, "GET", "/v1.0/users", nil).values(t)); n != 20 {
				t.Fatalf("a refused create left %d users", n)
			}
		})
	}
	s := newServer(t)
	b := newUserBody("dup.one")
	b["onPremisesImmutableId"] = "ZHVw"
	call(t, s, "POST", "/v1.0/users", b).wantStatus(t, 201)
	b = newUserBody("dup.two")
	b["onPremisesImmutableId"] = "ZHVw"
	call(t, s, "POST", "/v1.0/users", b).wantError(t, 400, "Request_BadRequest",
		"Another object with the same value for property onPremisesImmutableId already exists.")
}

// Properties Graph has and graphmock does not keep answer 501 naming them (read-only ones the
// read-only 400), never "does not exist"; $select of them answers 501 on a user and on the list.
func TestUserPropertiesNotModelled(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	values := map[string]any{"aboutMe": "hi", "birthday": "2000-01-01T00:00:00Z", "mySite": "https://x.example",
		"interests": []string{"sailing"}, "preferredDataLocation": "EUR"}
	for _, nm := range userNotModelled {
		t.Run(nm.name, func(t *testing.T) {
			val, ok := values[nm.name]
			if !ok {
				val = "x"
			}
			body := newUserBody("nm." + strings.ToLower(nm.name))
			body[nm.name] = val
			status, code, msg := 501, "NotImplemented", "graphmock does not implement the Microsoft Graph property '"+nm.name+"' of type 'microsoft.graph.user'."
			if nm.readOnly {
				status, code, msg = 400, "Request_BadRequest", "Property '"+nm.name+"' is read-only and cannot be set."
			}
			call(t, s, "POST", "/v1.0/users", body).wantError(t, status, code, msg)
			call(t, s, "PATCH", "/v1.0/users/"+adminUPN, map[string]any{"jobTitle": "x", nm.name: val}).wantError(t, status, code, msg)
			sel := "graphmock does not implement the Microsoft Graph property '" + nm.name + "' of type 'microsoft.graph.user'."
			call(t, s, "GET", "/v1.0/users?$select=id,"+nm.name, nil).wantError(t, 501, "NotImplemented", sel)
			call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$select="+strings.ToUpper(nm.name), nil).wantError(t, 501, "NotImplemented", sel)
		})
	}
	if n := len(call(t, s, "GET", "/v1.0/users", nil).values(t)); n != 20 {
		t.Fatalf("refused creates left %d users", n)
	}
	if r := call(t, s, "GET", "/v1.0/users/"+adminUPN, nil); r.body["jobTitle"] != "Global Administrator" {
		t.Fatalf("a refused PATCH changed jobTitle to %v", r.body["jobTitle"])
	}
	// Group properties of the same name are not affected.
	call(t, s, "GET", "/v1.0/groups?$select=id,onPremisesDomainName", nil).wantStatus(t, 200)
	// Names Graph does not have still get the OData reader's 400.
	call(t, s, "POST", "/v1.0/users", map[string]any{"aboutYou": "x"}).wantError(t, 400, "BadRequest",
		"The property 'aboutYou' does not exist on type 'microsoft.graph.user'. Make sure to only use property names that are defined by the type or mark the type as open type.")
}

func TestPasswordComplexity(t *testing.T) {
	t.Parallel()
	const msg = "The specified password does not comply with password complexity requirements. Please provide a different password."
	tests := []struct {
		name, password, policies string
		ok                       bool
	}{
		{"one character", "a", "", false},
		{"7 characters", "Pa55-wd", "", false},
		{"8 characters", "Pa55-wdx", "", true},
		{"2 classes", "password1234", "", false},
		{"3 classes", "Password1234", "", true},
		{"256 characters", "Pa5" + strings.Repeat("s", 253), "", true},
		{"257 characters", "Pa5" + strings.Repeat("s", 254), "", false},
		{"DisableStrongPassword", "password", "DisableStrongPassword", true},
		{"DisableStrongPassword and too short", "pass", "DisablePasswordExpiration, DisableStrongPassword", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			b := newUserBody("pw")
			b["passwordProfile"] = map[string]any{"password": tc.password}
			if tc.policies != "" {
				b["passwordPolicies"] = tc.policies
			}
			r := call(t, s, "POST", "/v1.0/users", b)
			patch := map[string]any{"passwordProfile": map[string]any{"password": tc.password, "forceChangePasswordNextSignIn": true}}
			if tc.policies != "" {
				patch["passwordPolicies"] = tc.policies
			}
			p := call(t, s, "PATCH", "/v1.0/users/"+adminUPN, patch)
			if tc.ok {
				r.wantStatus(t, 201)
				p.wantStatus(t, 204)
				return
			}
			r.wantError(t, 400, "Request_BadRequest", msg)
			p.wantError(t, 400, "Request_BadRequest", msg)
		})
	}
	// The new password signs in; the refused one never replaced the old.
	s := newServer(t)
	call(t, s, "PATCH", "/v1.0/users/"+adminUPN, map[string]any{"passwordProfile": map[string]any{"password": "weak"}}).
		wantError(t, 400, "Request_BadRequest", msg)
	if _, err := s.checkUserPassword(s.defaultTenant(), adminUPN, "Fixture-Only-Pa55!"); err != nil {
		t.Fatalf("the old password no longer works: %v", err)
	}
}

func TestUserLifecyclePropertyFilters(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	b := newUserBody("filtered")
	for k, v := range lifecycleProps {
		b[k] = v
	}
	b["identities"] = []any{map[string]any{"signInType": "federated", "issuer": "idp.example", "issuerAssignedId": "lc-1"}}
	call(t, s, "POST", "/v1.0/users", b).wantStatus(t, 201)
	ev := []string{"ConsistencyLevel", "eventual"}
	tests := []struct {
		filter   string
		advanced bool
		want     int
	}{
		{"ageGroup eq 'NotAdult'", false, 1},
		{"ageGroup in ('Adult', 'NotAdult')", false, 1},
		{"consentProvidedForMinor eq 'Granted'", false, 1},
		{"passwordPolicies eq 'DisablePasswordExpiration, DisableStrongPassword'", true, 1},
		{"passwordPolicies ne null", true, 1},
		{"employeeHireDate ge 2024-01-01T00:00:00Z", true, 1},
		{"employeeHireDate le 2024-01-01T00:00:00Z", true, 0},
		{"employeeLeaveDateTime ge 2026-01-01T00:00:00Z", true, 1},
		{"showInAddressList eq false", true, 1},
		{"onPremisesImmutableId eq 'k2n3Yb0eS0uLqv7Jx1y3dA=='", true, 1},
		{"employeeOrgData/costCenter eq 'CC-7'", true, 1},
		{"employeeOrgData/division eq 'Retail'", true, 1},
		{"identities/any(i:i/issuer eq 'idp.example' and i/issuerAssignedId eq 'lc-1')", false, 1},
		{"identities/any(i:i/issuerAssignedId eq 'filtered@larkspur.example')", false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			t.Parallel()
			path := "/v1.0/users?$filter=" + url.QueryEscape(tc.filter)
			if tc.advanced {
				call(t, s, "GET", path, nil).wantStatus(t, 400)
				path += "&$count=true"
			}
			var h []string
			if tc.advanced {
				h = ev
			}
			r := call(t, s, "GET", path, nil, h...)
			r.wantStatus(t, 200)
			if n := len(r.values(t)); n != tc.want {
				t.Fatalf("%d users, want %d: %s", n, tc.want, r.raw)
			}
		})
	}
}

// A rule reading passwordPolicies or employeeHireDate follows changes of those properties.
func TestDynamicRuleReadsLifecycleProperties(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for i, rule := range []string{`user.passwordPolicies -contains "DisablePasswordExpiration"`, `user.employeeHireDate -ge 2025-01-01T00:00:00Z`} {
		g := call(t, s, "POST", "/v1.0/groups", newDynamicGroupBody("lifecycle"+strconv.Itoa(i), rule))
		g.wantStatus(t, 201)
		gid := g.str("id")
		drain(t, s)
		if got := memberUPNs(t, s, gid); len(got) != 0 {
			t.Fatalf("%s: members before any change: %v", rule, got)
		}
		call(t, s, "PATCH", "/v1.0/users/"+adminUPN, map[string]any{
			"passwordPolicies": "DisablePasswordExpiration", "employeeHireDate": "2025-02-03T00:00:00Z"}).wantStatus(t, 204)
		drain(t, s)
		if got := memberUPNs(t, s, gid); len(got) != 1 || got[0] != adminUPN {
			t.Fatalf("%s: members after the change: %v", rule, got)
		}
		call(t, s, "PATCH", "/v1.0/users/"+adminUPN, map[string]any{"passwordPolicies": nil, "employeeHireDate": nil}).wantStatus(t, 204)
		drain(t, s)
		if got := memberUPNs(t, s, gid); len(got) != 0 {
			t.Fatalf("%s: members after clearing: %v", rule, got)
		}
	}
}

// Exporting a tenant writes the new properties, and seeding the export reproduces them.
func TestExportKeepsLifecycleProperties(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	b := newUserBody("exported")
	for k, v := range lifecycleProps {
		b[k] = v
	}
	b["identities"] = []any{map[string]any{"signInType": "federated", "issuer": "idp.example", "issuerAssignedId": "lc-1"}}
	id := call(t, s, "POST", "/v1.0/users", b).str("id")
	r := call(t, s, "GET", "/_graphmock/export", nil)
	r.wantStatus(t, http.StatusOK)
	var fx struct {
		Users []map[string]any `json:"users"`
	}
	if err := json.Unmarshal(r.raw, &fx); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	for _, u := range fx.Users {
		if u["id"] == id {
			doc = u
		}
	}
	for _, k := range []string{"passwordPolicies", "employeeHireDate", "employeeLeaveDateTime", "ageGroup", "consentProvidedForMinor",
		"onPremisesImmutableId", "showInAddressList", "employeeOrgData", "identities"} {
		if _, ok := doc[k]; !ok {
			t.Fatalf("export lacks %s: %v", k, doc)
		}
	}
	if ids := doc["identities"].([]any); len(ids) != 1 {
		t.Fatalf("export writes the userPrincipalName identity: %v", ids)
	}
	s2, err := New(Options{Seed: r.raw})
	if err != nil {
		t.Fatal(err)
	}
	path := "/v1.0/users/" + id + "?$select=" + lifecycleSelect()
	a, c := call(t, s, "GET", path, nil), call(t, s2, "GET", path, nil)
	for k := range lifecycleProps {
		if !reflect.DeepEqual(a.body[k], c.body[k]) {
			t.Errorf("%s after export and seed = %#v, want %#v", k, c.body[k], a.body[k])
		}
	}
}

// Every read that writes users refuses the properties graphmock does not keep the same way: the
// cast lists, the mixed relationship lists, the deleted items, directoryObjects and getByIds —
// in $select, $filter, $orderby and $search, before any advanced-query rule.
func TestUserPropertiesNotModelledOnEveryRead(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	f := newCastFixture(t, s)
	drew := userID(t, s, "drew.sato@larkspur.example")
	call(t, s, "DELETE", "/v1.0/users/"+drew, nil).wantStatus(t, 204)
	reads := []string{
		"/v1.0/users",
		"/v1.0/users/" + f.finley,
		"/v1.0/groups/" + f.base + "/members",
		"/v1.0/groups/" + f.base + "/members/microsoft.graph.user",
		"/v1.0/groups/" + f.base + "/members/graph.user",
		"/v1.0/groups/" + f.base + "/transitiveMembers",
		"/v1.0/groups/" + f.base + "/transitiveMembers/microsoft.graph.user",
		"/v1.0/groups/" + f.marketing + "/owners",
		"/v1.0/groups/" + f.marketing + "/owners/microsoft.graph.user",
		"/v1.0/groups/" + f.base + "/membersWithLicenseErrors",
		"/v1.0/groups/" + f.base + "/membersWithLicenseErrors/microsoft.graph.user",
		"/v1.0/directory/deletedItems/microsoft.graph.user",
		"/v1.0/directory/deletedItems/" + drew,
		"/v1.0/directoryObjects/" + f.finley,
	}
	counts := []string{
		"/v1.0/users/$count",
		"/v1.0/groups/" + f.base + "/members/$count",
		"/v1.0/groups/" + f.base + "/members/microsoft.graph.user/$count",
		"/v1.0/groups/" + f.marketing + "/owners/microsoft.graph.user/$count",
	}
	msg := func(name string) string {
		return "graphmock does not implement the Microsoft Graph property '" + name + "' of type 'microsoft.graph.user'."
	}
	for _, path := range reads {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			for _, q := range []struct{ query, name string }{
				{"$select=id,aboutMe", "aboutMe"},
				{"$select=Birthday", "birthday"},
				{"$select=signInActivity", "signInActivity"},
			} {
				call(t, s, "GET", path+"?"+q.query, nil).wantError(t, 501, "NotImplemented", msg(q.name))
			}
			for _, q := range []struct{ query, name string }{
				{"$filter=" + url.QueryEscape("aboutMe eq 'x'"), "aboutMe"},
				{"$filter=" + url.QueryEscape("birthday ge 2000-01-01T00:00:00Z"), "birthday"},
				{"$filter=" + url.QueryEscape("signInActivity/lastSignInDateTime le 2024-01-01T00:00:00Z"), "signInActivity"},
				{"$filter=" + url.QueryEscape("imAddresses/any(a:startswith(a,'x'))"), "imAddresses"},
				{"$orderby=mySite", "mySite"},
			} {
				call(t, s, "GET", path+"?"+q.query, nil).wantError(t, 501, "NotImplemented", msg(q.name))
				call(t, s, "GET", path+"?$count=true&"+q.query, nil, "ConsistencyLevel", "eventual").
					wantError(t, 501, "NotImplemented", msg(q.name))
			}
		})
	}
	for _, path := range counts {
		call(t, s, "GET", path+"?$filter="+url.QueryEscape("aboutMe eq 'x'"), nil, "ConsistencyLevel", "eventual").
			wantError(t, 501, "NotImplemented", msg("aboutMe"))
	}
	call(t, s, "GET", "/v1.0/users?$search="+url.QueryEscape(`"aboutMe:sailing"`), nil, "ConsistencyLevel", "eventual").
		wantError(t, 501, "NotImplemented", msg("aboutMe"))
	call(t, s, "POST", "/v1.0/directoryObjects/getByIds?$select=id,skills", map[string]any{"ids": []string{f.finley}}).
		wantError(t, 501, "NotImplemented", msg("skills"))
	// $expand writes the related users in their default property set: nothing to refuse.
	r := call(t, s, "GET", "/v1.0/groups/"+f.base+"?$expand=members", nil)
	r.wantStatus(t, 200)
	// On a mixed list a name only users lack is selectable: groups write it.
	call(t, s, "GET", "/v1.0/groups/"+f.base+"/members?$select=id,securityIdentifier", nil).wantStatus(t, 200)
}

// TestEarliestDateIsAValue: 0001-01-01T00:00:00Z is stored and returned, not taken for null.
func TestEarliestDateIsAValue(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	call(t, s, "PATCH", "/v1.0/users/"+adminUPN, map[string]any{"employeeHireDate": "0001-01-01T00:00:00Z"}).wantStatus(t, 204)
	if got := call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$select=employeeHireDate", nil).str("employeeHireDate"); got != "0001-01-01T00:00:00Z" {
		t.Fatalf("employeeHireDate = %q", got)
	}
	call(t, s, "PATCH", "/v1.0/users/"+adminUPN, `{"employeeHireDate":null}`).wantStatus(t, 204)
	if r := call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$select=employeeHireDate", nil); r.body["employeeHireDate"] != nil {
		t.Fatalf("employeeHireDate after null = %v", r.body["employeeHireDate"])
	}
}
