package graphmock

import (
	"net/url"
	"reflect"
	"testing"
)

// keys lists a body's members in any order, for comparing shapes.
func keys(m map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func wantKeys(t *testing.T, r response, want ...string) {
	t.Helper()
	w := map[string]bool{}
	for _, k := range want {
		w[k] = true
	}
	if got := keys(r.body); !reflect.DeepEqual(got, w) {
		t.Fatalf("members = %v, want %v: %s", got, w, r.raw)
	}
}

// GET /directory/deletedItems/{id} applies $select like GET /users/{id}, under
// "…#directoryObjects(…)/$entity", and refuses what GET /users/{id} refuses.
func TestDeletedItemQueryOptions(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	uid := userID(t, s, "drew.sato@larkspur.example")
	gid := groupID(t, s, "Contractors")
	call(t, s, "DELETE", "/v1.0/users/"+uid, nil).wantStatus(t, 204)
	call(t, s, "DELETE", "/v1.0/groups/"+gid, nil).wantStatus(t, 204)
	const ctx = "http://graph.test/v1.0/$metadata#directoryObjects"

	r := call(t, s, "GET", "/v1.0/directory/deletedItems/"+uid+"?$select=id", nil)
	r.wantStatus(t, 200)
	wantKeys(t, r, "@odata.context", "@odata.type", "id")
	if r.str("@odata.context") != ctx+"(id)/$entity" || r.str("@odata.type") != "#microsoft.graph.user" || r.str("id") != uid {
		t.Fatalf("$select=id = %s", r.raw)
	}
	r = call(t, s, "GET", "/v1.0/directory/deletedItems/"+uid+"?$select=DisplayName,deletedDateTime,accountEnabled", nil)
	wantKeys(t, r, "@odata.context", "@odata.type", "displayName", "deletedDateTime", "accountEnabled")
	if r.str("@odata.context") != ctx+"(displayName,deletedDateTime,accountEnabled)/$entity" || r.str("deletedDateTime") == "" {
		t.Fatalf("$select = %s", r.raw)
	}
	r = call(t, s, "GET", "/v1.0/directory/deletedItems/"+gid+"?$select=id,displayName,userPrincipalName", nil)
	wantKeys(t, r, "@odata.context", "@odata.type", "id", "displayName")
	// Without $select: the default property set, a user's with deletedDateTime.
	r = call(t, s, "GET", "/v1.0/directory/deletedItems/"+uid, nil)
	if r.str("@odata.context") != ctx+"/$entity" || r.str("deletedDateTime") == "" || r.str("userPrincipalName") == "" || r.body["accountEnabled"] != nil {
		t.Fatalf("default = %s", r.raw)
	}

	for _, tc := range []struct {
		name, query   string
		status        int
		code, message string
	}{
		{"unknown property", "$select=bogus", 400, "Request_BadRequest", "Could not find a property named 'bogus' on type 'microsoft.graph.directoryObject'."},
		{"filter not boolean", "$filter=x", 400, "Request_BadRequest", "Invalid filter clause: The $filter expression must evaluate to a single boolean value."},
		{"filter on an unknown property", "$filter=" + url.QueryEscape("x eq 1"), 400, "Request_BadRequest",
			"Invalid filter clause: Could not find a property named 'x' on type 'microsoft.graph.directoryObject'."},
		{"filter syntax", "$filter=" + url.QueryEscape("displayName eq"), 400, "Request_BadRequest",
			"Invalid filter clause: Expression expected at position 14 in 'displayName eq'."},
		{"top", "$top=0", 400, "Request_BadRequest", "Invalid page size specified: '0'. Must be between 1 and 999 inclusive."},
		{"unknown option", "$foo=1", 400, "Request_BadRequest", "The query parameter '$foo' is not supported."},
		{"skip", "$skip=1", 400, "Request_BadRequest", "'$skip' is not supported by the service."},
		{"expand", "$expand=memberOf", 400, "Request_UnsupportedQuery", "The query parameter '$expand' is not supported on resource 'DirectoryObject'."},
		{"user property not modelled", "$select=id,aboutMe", 501, "NotImplemented",
			"graphmock does not implement the Microsoft Graph property 'aboutMe' of type 'microsoft.graph.user'."},
		{"group property not modelled", "$select=isArchived", 501, "NotImplemented",
			"graphmock does not implement the Microsoft Graph property 'isArchived' of type 'microsoft.graph.group'."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, id := range []string{uid, gid, notFoundID} {
				call(t, s, "GET", "/v1.0/directory/deletedItems/"+id+"?"+tc.query, nil).wantError(t, tc.status, tc.code, tc.message)
			}
		})
	}
	// GET /users/{id} refuses the same way, naming its own type.
	call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$filter=x", nil).wantError(t, 400, "Request_BadRequest",
		"Invalid filter clause: The $filter expression must evaluate to a single boolean value.")
	call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$filter="+url.QueryEscape("x eq 1"), nil).wantError(t, 400, "Request_BadRequest",
		"Invalid filter clause: Could not find a property named 'x' on type 'microsoft.graph.user'.")
	call(t, s, "GET", "/v1.0/directory/deletedItems/"+notFoundID+"?$select=id", nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
	// The restore answer keeps its shape.
	r = call(t, s, "POST", "/v1.0/directory/deletedItems/"+uid+"/restore", nil)
	if r.str("@odata.context") != ctx+"/$entity" || r.str("userPrincipalName") != "drew.sato@larkspur.example" {
		t.Fatalf("restore = %s", r.raw)
	}
}

// GET /directoryObjects/{id} writes the select fragment in @odata.context and expands as the
// typed GET does; getByIds takes $select and nothing else.
func TestDirectoryObjectQueryOptions(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	uid := userID(t, s, finleyUPN)
	gid := groupID(t, s, "Contractors")
	const ctx = "http://graph.test/v1.0/$metadata#directoryObjects"

	r := call(t, s, "GET", "/v1.0/directoryObjects/"+uid+"?$select=id,displayName", nil)
	r.wantStatus(t, 200)
	wantKeys(t, r, "@odata.context", "@odata.type", "id", "displayName")
	if r.str("@odata.context") != ctx+"(id,displayName)/$entity" {
		t.Fatalf("context = %s", r.str("@odata.context"))
	}
	r = call(t, s, "GET", "/v1.0/directoryObjects/"+uid+"?$expand=memberOf", nil)
	if mo, _ := r.body["memberOf"].([]any); len(mo) != 1 {
		t.Fatalf("$expand=memberOf = %s", r.raw)
	}
	r = call(t, s, "GET", "/v1.0/directoryObjects/"+gid+"?$select=id&$expand=members", nil)
	if ms, _ := r.body["members"].([]any); len(ms) != 2 {
		t.Fatalf("$expand=members = %s", r.raw)
	}
	call(t, s, "GET", "/v1.0/directoryObjects/"+uid+"?$select=bogus", nil).wantError(t, 400, "Request_BadRequest",
		"Could not find a property named 'bogus' on type 'microsoft.graph.directoryObject'.")
	call(t, s, "GET", "/v1.0/directoryObjects/"+uid+"?$expand=ownedObjects", nil).wantError(t, 501, "NotImplemented",
		"graphmock does not implement $expand=ownedObjects.")

	ids := map[string]any{"ids": []string{uid, gid}}
	r = call(t, s, "POST", "/v1.0/directoryObjects/getByIds?$select=id,mailNickname", ids)
	r.wantStatus(t, 200)
	vs := r.values(t)
	if r.str("@odata.context") != ctx+"(id,mailNickname)" || len(vs) != 2 || len(vs[0]) != 3 || vs[1]["mailNickname"] != "contractors" {
		t.Fatalf("getByIds with $select = %s", r.raw)
	}
	call(t, s, "POST", "/v1.0/directoryObjects/getByIds?$select=bogus", ids).wantError(t, 400, "Request_BadRequest",
		"Could not find a property named 'bogus' on type 'microsoft.graph.directoryObject'.")
	call(t, s, "POST", "/v1.0/directoryObjects/getByIds?$filter="+url.QueryEscape("displayName eq 'x'"), ids).wantError(t, 400,
		"Request_UnsupportedQuery", "The query parameter '$filter' is not supported on resource 'DirectoryObject'.")
}
