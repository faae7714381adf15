package graphmock

import (
	"strings"
	"testing"
)

func TestListUsersDefaultProperties(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "GET", "/v1.0/users", nil)
	r.wantStatus(t, 200)
	if got := r.str("@odata.context"); got != "http://graph.test/v1.0/$metadata#users" {
		t.Fatalf("context = %q", got)
	}
	users := r.values(t)
	if len(users) != 20 {
		t.Fatalf("got %d users, want the default tenant's 20", len(users))
	}
	want := []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"}
	for _, u := range users {
		if len(u) != len(want) {
			t.Fatalf("user has %d properties, want the default set %v: %v", len(u), want, u)
		}
		for _, k := range want {
			if _, ok := u[k]; !ok {
				t.Fatalf("user lacks %q: %v", k, u)
			}
		}
	}
	if _, ok := r.body["@odata.nextLink"]; ok {
		t.Fatal("a single page must not carry @odata.nextLink")
	}
}

func TestUserSelect(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$select=id,UsageLocation,accountEnabled,onPremisesExtensionAttributes,passwordProfile", nil)
	r.wantStatus(t, 200)
	if got := r.str("@odata.context"); got != "http://graph.test/v1.0/$metadata#users(id,usageLocation,accountEnabled,onPremisesExtensionAttributes,passwordProfile)/$entity" {
		t.Fatalf("context = %q", got)
	}
	if r.body["usageLocation"] != "US" || r.body["accountEnabled"] != true || r.body["displayName"] != nil {
		t.Fatalf("body = %v", r.body)
	}
	if r.body["passwordProfile"] != nil {
		t.Fatalf("passwordProfile must never be echoed: %v", r.body["passwordProfile"])
	}
	ext := r.body["onPremisesExtensionAttributes"].(map[string]any)
	if len(ext) != 15 || ext["extensionAttribute15"] != nil {
		t.Fatalf("onPremisesExtensionAttributes = %v", ext)
	}
	call(t, s, "GET", "/v1.0/users?$select=id,nosuch", nil).wantError(t, 400, "Request_BadRequest",
		"Could not find a property named 'nosuch' on type 'microsoft.graph.user'.")
}

func TestUserPagingFollowsNextLinkToTheEnd(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	seen := map[string]bool{}
	path := "/v1.0/users?$top=3&$select=id"
	pages := 0
	for path != "" {
		r := call(t, s, "GET", path, nil)
		r.wantStatus(t, 200)
		pages++
		for _, u := range r.values(t) {
			if seen[u["id"].(string)] {
				t.Fatalf("user %v on two pages", u["id"])
			}
			seen[u["id"].(string)] = true
		}
		next := r.str("@odata.nextLink")
		if next != "" && (!strings.Contains(next, "top=3") || !strings.Contains(next, "select=id")) {
			t.Fatalf("nextLink lost the original options: %s", next)
		}
		path = strings.TrimPrefix(next, "http://graph.test")
	}
	if len(seen) != 20 || pages != 7 {
		t.Fatalf("saw %d users on %d pages, want 20 on 7", len(seen), pages)
	}
}

func TestTopOutOfRange(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, top := range []string{"0", "1000"} {
		call(t, s, "GET", "/v1.0/users?$top="+top, nil).wantError(t, 400, "Request_BadRequest",
			"Invalid page size specified: '"+top+"'. Must be between 1 and 999 inclusive.")
	}
	call(t, s, "GET", "/v1.0/users?$top=x", nil).wantError(t, 400, "Request_BadRequest",
		"Invalid value 'x' for $top query option found. The $top query option requires a non-negative integer value.")
}

func TestGetUserByIDAndUPN(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := userID(t, s, adminUPN)
	for _, ref := range []string{id, strings.ToUpper(id), adminUPN, strings.ToUpper(adminUPN)} {
		r := call(t, s, "GET", "/v1.0/users/"+ref, nil)
		r.wantStatus(t, 200)
		if r.str("id") != id || r.str("@odata.context") != "http://graph.test/v1.0/$metadata#users/$entity" {
			t.Fatalf("GET %s = %v", ref, r.body)
		}
	}
	call(t, s, "GET", "/v1.0/users/"+notFoundID, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
	call(t, s, "GET", "/v1.0/users/nobody@larkspur.example", nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg("nobody@larkspur.example"))
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "POST", "/v1.0/users", newUserBody("ada.l"))
	r.wantStatus(t, 201)
	id := r.str("id")
	if id == "" || r.str("userPrincipalName") != "ada.l@larkspur.example" {
		t.Fatalf("body = %v", r.body)
	}
	if _, ok := r.body["passwordProfile"]; ok {
		t.Fatal("passwordProfile echoed")
	}
	wantLoc := "https://graph.microsoft.com/v2/" + tenantID + "/directoryObjects/" + id + "/Microsoft.DirectoryServices.User"
	if got := r.header.Get("Location"); got != wantLoc {
		t.Fatalf("Location = %q, want %q", got, wantLoc)
	}
	got := call(t, s, "GET", "/v1.0/users/"+id+"?$select=accountEnabled,createdDateTime,userType", nil)
	if got.body["accountEnabled"] != true || got.body["userType"] != "Member" || got.str("createdDateTime") == "" {
		t.Fatalf("stored user = %v", got.body)
	}
}

func TestCreateUserErrors(t *testing.T) {
	t.Parallel()
	without := func(k string) map[string]any { b := newUserBody("x1"); delete(b, k); return b }
	with := func(k string, v any) map[string]any { b := newUserBody("x2"); b[k] = v; return b }
	tests := []struct {
		name          string
		body          any
		status        int
		code, message string
	}{
		{"no accountEnabled", without("accountEnabled"), 400, "Request_BadRequest", "Property accountEnabled value is required but is empty or missing."},
		{"no displayName", without("displayName"), 400, "Request_BadRequest", "Property displayName value is required but is empty or missing."},
		{"no mailNickname", without("mailNickname"), 400, "Request_BadRequest", "Property mailNickname value is required but is empty or missing."},
		{"no userPrincipalName", without("userPrincipalName"), 400, "Request_BadRequest", "Property userPrincipalName value is required but is empty or missing."},
		{"no passwordProfile", without("passwordProfile"), 400, "Request_BadRequest", "Property passwordProfile value is required but is empty or missing."},
		{"duplicate upn", with("userPrincipalName", strings.ToUpper(adminUPN)), 400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists."},
		{"unverified domain", with("userPrincipalName", "x@elsewhere.example"), 400, "Request_BadRequest", "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization."},
		{"bad mailNickname", with("mailNickname", "no spaces allowed"), 400, "Request_BadRequest", "Invalid value specified for property 'mailNickname' of resource 'User'."},
		{"bad usageLocation", with("usageLocation", "usa"), 400, "Request_BadRequest", "Invalid value specified for property 'usageLocation' of resource 'User'."},
		{"unassigned usageLocation", with("usageLocation", "ZZ"), 400, "Request_BadRequest", "Invalid value specified for property 'usageLocation' of resource 'User'."},
		{"wrong type", with("accountEnabled", "yes"), 400, "BadRequest", "Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'."},
		{"unknown property", with("favouriteColour", "teal"), 400, "BadRequest", "The property 'favouriteColour' does not exist on type 'microsoft.graph.user'. Make sure to only use property names that are defined by the type or mark the type as open type."},
		{"read-only property", with("assignedLicenses", []any{}), 400, "Request_BadRequest", "Property 'assignedLicenses' is read-only and cannot be set."},
		{"malformed JSON", `{"displayName": `, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."},
		{"not an object", `[1,2]`, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."},
		{"trailing data", `{"displayName":"a"} {}`, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			call(t, s, "POST", "/v1.0/users", tc.body).wantError(t, tc.status, tc.code, tc.message)
			if n := len(call(t, s, "GET", "/v1.0/users", nil).values(t)); n != 20 {
				t.Fatalf("a failed create left %d users", n)
			}
		})
	}
}

func TestCreateUserDetailsTargetTheProperty(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	b := newUserBody("bad nick")
	r := call(t, s, "POST", "/v1.0/users", b)
	details := r.body["error"].(map[string]any)["details"].([]any)
	d := details[0].(map[string]any)
	if d["code"] != "InvalidValue" || d["target"] != "mailNickname" || d["message"] != r.body["error"].(map[string]any)["message"] {
		t.Fatalf("details = %v", details)
	}
}

func TestUpdateUser(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	call(t, s, "PATCH", "/v1.0/users/"+adminUPN, map[string]any{
		"jobTitle": "Chief Administrator", "usageLocation": "CA",
		"onPremisesExtensionAttributes": map[string]any{"extensionAttribute3": "x"},
	}).wantStatus(t, 204)
	r := call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$select=jobTitle,usageLocation,onPremisesExtensionAttributes", nil)
	ext := r.body["onPremisesExtensionAttributes"].(map[string]any)
	if r.body["jobTitle"] != "Chief Administrator" || r.body["usageLocation"] != "CA" || ext["extensionAttribute3"] != "x" {
		t.Fatalf("after PATCH: %v", r.body)
	}
	// Extension attributes merge: setting one keeps the others.
	call(t, s, "PATCH", "/v1.0/users/jordan.okafor@larkspur.example", map[string]any{
		"onPremisesExtensionAttributes": map[string]any{"extensionAttribute2": "y"}}).wantStatus(t, 204)
	ext = call(t, s, "GET", "/v1.0/users/jordan.okafor@larkspur.example?$select=onPremisesExtensionAttributes", nil).body["onPremisesExtensionAttributes"].(map[string]any)
	if ext["extensionAttribute1"] != "EMS;E5_baseservices;" || ext["extensionAttribute2"] != "y" {
		t.Fatalf("extension attributes = %v", ext)
	}
}

func TestUpdateUserErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	call(t, s, "PATCH", "/v1.0/users/"+notFoundID, map[string]any{"jobTitle": "x"}).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
	call(t, s, "PATCH", "/v1.0/users/"+adminUPN, map[string]any{"userPrincipalName": "avery.chen@larkspur.example"}).
		wantError(t, 400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.")
	call(t, s, "PATCH", "/v1.0/users/"+adminUPN, map[string]any{"jobTitle": "ok", "displayName": 7}).
		wantError(t, 400, "BadRequest", "Cannot convert the literal '7' to the expected type 'Edm.String'.")
	r := call(t, s, "GET", "/v1.0/users/"+adminUPN, nil)
	if r.body["jobTitle"] != "Global Administrator" {
		t.Fatalf("a failed PATCH changed jobTitle to %v", r.body["jobTitle"])
	}
}

func TestDeleteAndRestoreUser(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := userID(t, s, "drew.sato@larkspur.example")
	call(t, s, "DELETE", "/v1.0/users/"+id, nil).wantStatus(t, 204)
	call(t, s, "GET", "/v1.0/users/"+id, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(id))
	call(t, s, "DELETE", "/v1.0/users/"+id, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(id))

	deleted := call(t, s, "GET", "/v1.0/directory/deletedItems/microsoft.graph.user", nil)
	deleted.wantStatus(t, 200)
	vs := deleted.values(t)
	if len(vs) != 1 || vs[0]["id"] != id || vs[0]["deletedDateTime"] == nil {
		t.Fatalf("deleted users = %v", vs)
	}
	// Entra renames a deleted user: its id without hyphens, then the name it had.
	renamed := strings.ReplaceAll(id, "-", "") + "drew.sato@larkspur.example"
	if vs[0]["userPrincipalName"] != renamed {
		t.Fatalf("deleted userPrincipalName = %v, want %s", vs[0]["userPrincipalName"], renamed)
	}
	item := call(t, s, "GET", "/v1.0/directory/deletedItems/"+id, nil)
	if item.str("@odata.type") != "#microsoft.graph.user" {
		t.Fatalf("deleted item = %v", item.body)
	}
	// The member link survives for a restore but is hidden meanwhile.
	gid := groupID(t, s, "O365 E5 - Exchange only")
	if n := len(call(t, s, "GET", "/v1.0/groups/"+gid+"/members", nil).values(t)); n != 2 {
		t.Fatalf("members while deleted = %d, want 2", n)
	}
	r := call(t, s, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil)
	r.wantStatus(t, 200)
	if r.str("@odata.context") != "http://graph.test/v1.0/$metadata#directoryObjects/$entity" || r.str("@odata.type") != "#microsoft.graph.user" {
		t.Fatalf("restore body = %v", r.body)
	}
	if upn := call(t, s, "GET", "/v1.0/users/"+id, nil).str("userPrincipalName"); upn != "drew.sato@larkspur.example" {
		t.Fatalf("restored userPrincipalName = %q", upn)
	}
	if n := len(call(t, s, "GET", "/v1.0/groups/"+gid+"/members", nil).values(t)); n != 3 {
		t.Fatalf("members after restore = %d, want 3", n)
	}
	call(t, s, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(id))
}

func TestRestoreConflictsWithNewUPN(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := userID(t, s, "drew.sato@larkspur.example")
	call(t, s, "DELETE", "/v1.0/users/"+id, nil).wantStatus(t, 204)
	b := newUserBody("drew.sato")
	call(t, s, "POST", "/v1.0/users", b).wantStatus(t, 201)
	call(t, s, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil).wantError(t, 400, "Request_BadRequest",
		"Another object with the same value for property userPrincipalName already exists.")
}

func TestRestoreWithNewUserPrincipalName(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := userID(t, s, "drew.sato@larkspur.example")
	call(t, s, "DELETE", "/v1.0/users/"+id, nil).wantStatus(t, 204)
	call(t, s, "POST", "/v1.0/users", newUserBody("drew.sato")).wantStatus(t, 201)
	restore := "/v1.0/directory/deletedItems/" + id + "/restore"
	for _, c := range []struct {
		name, body string
		status     int
		code, msg  string
	}{
		{"unknown parameter", `{"newUpn":"x@larkspur.example"}`, 400, "Request_BadRequest",
			"The parameter 'newUpn' in the request payload is not a valid parameter for the operation 'restore'."},
		{"wrong type", `{"newUserPrincipalName":5}`, 400, "BadRequest", ""},
		{"unverified domain", `{"newUserPrincipalName":"drew2@elsewhere.example"}`, 400, "Request_BadRequest",
			"The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization."},
		{"still taken", `{"newUserPrincipalName":"drew.sato@larkspur.example"}`, 400, "Request_BadRequest",
			"Another object with the same value for property userPrincipalName already exists."},
	} {
		r := call(t, s, "POST", restore, c.body)
		if c.msg == "" {
			r.wantStatus(t, c.status)
			if e, _ := r.body["error"].(map[string]any); e == nil || e["code"] != c.code {
				t.Errorf("%s: %s", c.name, r.raw)
			}
			continue
		}
		r.wantError(t, c.status, c.code, c.msg)
	}
	r := call(t, s, "POST", restore, `{"newUserPrincipalName":"drew.sato2@larkspur.example","autoReconcileProxyConflict":true}`)
	r.wantStatus(t, 200)
	if upn := r.str("userPrincipalName"); upn != "drew.sato2@larkspur.example" {
		t.Fatalf("restored as %q", upn)
	}
}

func TestPermanentDelete(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := userID(t, s, "drew.sato@larkspur.example")
	call(t, s, "DELETE", "/v1.0/users/"+id, nil).wantStatus(t, 204)
	call(t, s, "DELETE", "/v1.0/directory/deletedItems/"+id, nil).wantStatus(t, 204)
	call(t, s, "GET", "/v1.0/directory/deletedItems/"+id, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(id))
	call(t, s, "DELETE", "/v1.0/directory/deletedItems/"+id, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(id))
}

func TestCountSegment(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	call(t, s, "GET", "/v1.0/users/$count", nil).wantError(t, 400, "Request_BadRequest", "$count is not currently supported.")
	r := call(t, s, "GET", "/v1.0/users/$count", nil, "ConsistencyLevel", "eventual")
	if r.status != 200 || string(r.raw) != "20" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/users/$count = %d %q %q", r.status, r.raw, r.header.Get("Content-Type"))
	}
	r = call(t, s, "GET", "/v1.0/groups/$count", nil, "ConsistencyLevel", "eventual")
	if string(r.raw) != "6" {
		t.Fatalf("/groups/$count = %q", r.raw)
	}
	gid := groupID(t, s, "EMS licensed users")
	if r := call(t, s, "GET", "/v1.0/groups/"+gid+"/members/$count", nil, "ConsistencyLevel", "eventual"); string(r.raw) != "6" {
		t.Fatalf("members/$count = %q", r.raw)
	}
}

func TestUserQueries(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	ev := []string{"ConsistencyLevel", "eventual"}
	tests := []struct {
		name    string
		path    string
		headers []string
		want    int
	}{
		{"eq indexed upn", "/v1.0/users?$filter=userPrincipalName eq '" + adminUPN + "'", nil, 1},
		{"eq indexed upn any case", "/v1.0/users?$filter=userPrincipalName eq 'MORGAN.REYES@larkspur.example'", nil, 1},
		{"startswith", "/v1.0/users?$filter=startswith(displayName,'R')", nil, 3},
		{"department eq", "/v1.0/users?$filter=department eq 'Engineering'", nil, 5},
		{"in", "/v1.0/users?$filter=department in ('Sales','Finance')", nil, 5},
		{"and", "/v1.0/users?$filter=department eq 'Engineering' and usageLocation eq 'DE'", nil, 1},
		{"advanced endswith", "/v1.0/users?$filter=endswith(mail,'larkspur.example')&$count=true", ev, 20},
		{"advanced null", "/v1.0/users?$filter=usageLocation eq null&$count=true", ev, 4},
		{"search", `/v1.0/users?$search="displayName:har"`, ev, 1},
		{"orderby", "/v1.0/users?$orderby=displayName desc&$top=1", nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := call(t, s, "GET", strings.ReplaceAll(tc.path, " ", "%20"), nil, tc.headers...)
			r.wantStatus(t, 200)
			if n := len(r.values(t)); n != tc.want {
				t.Fatalf("%d users, want %d: %s", n, tc.want, r.raw)
			}
		})
	}
	r := call(t, s, "GET", "/v1.0/users?$filter=endswith(mail,'example')&$count=true", nil, ev...)
	if r.body["@odata.count"] != float64(20) {
		t.Fatalf("@odata.count = %v", r.body["@odata.count"])
	}
	if r := call(t, s, "GET", "/v1.0/users?$count=true", nil); r.body["@odata.count"] != nil {
		t.Fatal("$count=true without ConsistencyLevel must be ignored")
	}
	first := call(t, s, "GET", "/v1.0/users?$orderby=displayName&$top=1&$select=displayName", nil).values(t)[0]
	if first["displayName"] != "Avery Chen" {
		t.Fatalf("first by displayName = %v", first)
	}
	call(t, s, "GET", "/v1.0/users?$filter=endswith(mail,'example')", nil).wantError(t, 400, "Request_UnsupportedQuery",
		"Operator 'endsWith' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information")
	call(t, s, "GET", `/v1.0/users?$search="displayName:a"`, nil).wantError(t, 400, "Request_UnsupportedQuery",
		"Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'")
	n := call(t, s, "GET", "/v1.0/users/$count?$filter=department%20eq%20'Sales'", nil, ev...)
	if string(n.raw) != "3" {
		t.Fatalf("filtered /$count = %q", n.raw)
	}
}

func TestUserValueLimits(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	with := func(k string, v any) map[string]any { b := newUserBody("lim"); b[k] = v; return b }
	for _, tc := range []struct {
		prop string
		val  any
	}{
		{"jobTitle", strings.Repeat("j", 129)},
		{"department", strings.Repeat("d", 65)},
		{"userPrincipalName", "a@b@larkspur.example"},
		{"userPrincipalName", "zoë@larkspur.example"},
		{"userPrincipalName", ".dot@larkspur.example"},
	} {
		call(t, s, "POST", "/v1.0/users", with(tc.prop, tc.val)).wantError(t, 400, "Request_BadRequest",
			"Invalid value specified for property '"+tc.prop+"' of resource 'User'.")
	}
	call(t, s, "POST", "/v1.0/users", with("userPrincipalName", "o'brien.x-y_z@larkspur.example")).wantStatus(t, 201)
}

func TestTrailingAndDoubledSlashes(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, p := range []string{"/v1.0/users/", "/v1.0//users", "/v1.0/users/" + adminUPN + "/"} {
		call(t, s, "GET", p, nil).wantStatus(t, 200)
	}
}
