package graphmock

import (
	"slices"
	"strings"
	"testing"
)

const msgNoManager = "Resource 'manager' does not exist or one of its queried reference-property objects are not present."

func managerRef(id string) map[string]any {
	return map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/users/" + id}
}

func TestManagerLifecycle(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	boss := userID(t, s, adminUPN)
	avery := userID(t, s, "avery.chen@larkspur.example")
	jordan := userID(t, s, "jordan.okafor@larkspur.example")

	call(t, s, "GET", "/v1.0/users/"+avery+"/manager", nil).wantError(t, 404, "Request_ResourceNotFound", msgNoManager)
	call(t, s, "GET", "/v1.0/users/"+avery+"/manager/$ref", nil).wantError(t, 404, "Request_ResourceNotFound", msgNoManager)
	call(t, s, "DELETE", "/v1.0/users/"+avery+"/manager/$ref", nil).wantError(t, 404, "Request_ResourceNotFound", msgNoManager)

	call(t, s, "PUT", "/v1.0/users/"+avery+"/manager/$ref", managerRef(boss)).wantStatus(t, 204)
	call(t, s, "PUT", "/v1.0/users/avery.chen@larkspur.example/manager/$ref",
		map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + boss}).wantStatus(t, 204)
	call(t, s, "PUT", "/v1.0/users/"+jordan+"/manager/$ref", managerRef(boss)).wantStatus(t, 204)

	m := call(t, s, "GET", "/v1.0/users/"+avery+"/manager", nil)
	m.wantStatus(t, 200)
	if m.str("id") != boss || m.str("@odata.type") != "#microsoft.graph.user" || m.str("userPrincipalName") != adminUPN ||
		!strings.HasSuffix(m.str("@odata.context"), "/v1.0/$metadata#directoryObjects/$entity") {
		t.Fatalf("manager = %s", m.raw)
	}
	sel := call(t, s, "GET", "/v1.0/users/"+avery+"/manager?$select=id,displayName", nil)
	if sel.str("displayName") == "" || sel.body["userPrincipalName"] != nil ||
		!strings.HasSuffix(sel.str("@odata.context"), "#directoryObjects(id,displayName)/$entity") {
		t.Fatalf("manager with $select = %s", sel.raw)
	}
	ref := call(t, s, "GET", "/v1.0/users/"+avery+"/manager/$ref", nil)
	ref.wantStatus(t, 200)
	if !strings.HasSuffix(ref.str("@odata.id"), "/directoryObjects/"+boss+"/Microsoft.DirectoryServices.User") ||
		!strings.HasSuffix(ref.str("@odata.context"), "#directoryObjects/$entity") {
		t.Fatalf("manager/$ref = %s", ref.raw)
	}

	reports := call(t, s, "GET", "/v1.0/users/"+boss+"/directReports", nil)
	if vs := reports.values(t); len(vs) != 2 || vs[0]["@odata.type"] != "#microsoft.graph.user" ||
		!strings.HasSuffix(reports.str("@odata.context"), "#directoryObjects") {
		t.Fatalf("directReports = %s", reports.raw)
	}
	if c := call(t, s, "GET", "/v1.0/users/"+boss+"/directReports/$count", nil, "ConsistencyLevel", "eventual"); string(c.raw) != "2" {
		t.Fatalf("directReports/$count = %s", c.raw)
	}
	cast := call(t, s, "GET", "/v1.0/users/"+boss+"/directReports/microsoft.graph.user?$select=id", nil)
	if vs := cast.values(t); len(vs) != 2 || !strings.HasSuffix(cast.str("@odata.context"), "#users(id)") {
		t.Fatalf("directReports cast = %s", cast.raw)
	}
	if c := call(t, s, "GET", "/v1.0/users/"+boss+"/directReports/graph.user/$count", nil, "ConsistencyLevel", "eventual"); string(c.raw) != "2" {
		t.Fatalf("directReports cast $count = %s", c.raw)
	}
	call(t, s, "GET", "/v1.0/users/"+boss+"/directReports/$count", nil).wantError(t, 400, "Request_BadRequest", "$count is not currently supported.")

	// $expand: manager is an object, absent without one; directReports an array.
	one := call(t, s, "GET", "/v1.0/users/"+avery+"?$expand=manager", nil)
	if mm, _ := one.body["manager"].(map[string]any); mm["id"] != boss || mm["@odata.type"] != "#microsoft.graph.user" {
		t.Fatalf("$expand=manager = %s", one.raw)
	}
	if none := call(t, s, "GET", "/v1.0/users/"+boss+"?$expand=manager,directReports", nil); none.body["manager"] != nil {
		t.Fatalf("$expand=manager of a user without one = %s", none.raw)
	} else if rs, _ := none.body["directReports"].([]any); len(rs) != 2 {
		t.Fatalf("$expand=directReports = %s", none.raw)
	}
	list := call(t, s, "GET", "/v1.0/users?$expand=manager&$select=id", nil)
	withManager := 0
	for _, v := range list.values(t) {
		if v["manager"] != nil {
			withManager++
		}
	}
	if withManager != 2 {
		t.Fatalf("GET /users?$expand=manager: %d users with a manager; %s", withManager, list.raw)
	}
	// $filter=manager/id eq '…' finds the reports (a default filter: no advanced query needed).
	byManager := call(t, s, "GET", "/v1.0/users?$filter=manager/id%20eq%20'"+boss+"'&$select=id", nil)
	got := []string{}
	for _, v := range byManager.values(t) {
		got = append(got, v["id"].(string))
	}
	slices.Sort(got)
	want := []string{avery, jordan}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("$filter=manager/id eq boss = %v, want %v", got, want)
	}
	if c := call(t, s, "GET", "/v1.0/users/$count?$filter=manager/id%20eq%20'"+boss+"'", nil, "ConsistencyLevel", "eventual"); string(c.raw) != "2" {
		t.Fatalf("/users/$count with manager/id = %s", c.raw)
	}

	call(t, s, "DELETE", "/v1.0/users/"+avery+"/manager/$ref", nil).wantStatus(t, 204)
	call(t, s, "GET", "/v1.0/users/"+avery+"/manager", nil).wantError(t, 404, "Request_ResourceNotFound", msgNoManager)

	// Audit records, actor from the request as for member changes.
	audits := call(t, s, "GET", "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName%20eq%20'Set%20user%20manager'", nil)
	if vs := audits.values(t); len(vs) != 2 {
		t.Fatalf("Set user manager records = %s", audits.raw)
	}
}

func TestSetManagerErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	avery := userID(t, s, "avery.chen@larkspur.example")
	gid := groupID(t, s, "Contractors")
	const unknown = "00000000-0000-4000-8000-00000000abcd"
	for _, tc := range []struct {
		name, user string
		body       any
		status     int
		code, msg  string
	}{
		{"own manager", avery, managerRef(avery), 400, "Request_BadRequest", "A user cannot be assigned as their own manager."},
		{"unknown manager", avery, managerRef(unknown), 404, "Request_ResourceNotFound", notFoundMsg(unknown)},
		{"group as manager", avery, managerRef(gid), 404, "Request_ResourceNotFound", notFoundMsg(gid)},
		{"userPrincipalName reference", avery, managerRef(adminUPN), 400, "Request_BadRequest", "Invalid object identifier '" + adminUPN + "'."},
		{"unknown user", unknown, managerRef(avery), 404, "Request_ResourceNotFound", notFoundMsg(unknown)},
		{"no reference", avery, map[string]any{}, 400, "Request_BadRequest", "The request body must contain an @odata.id reference to a directory object."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			call(t, s, "PUT", "/v1.0/users/"+tc.user+"/manager/$ref", tc.body).wantError(t, tc.status, tc.code, tc.msg)
		})
	}
	call(t, s, "GET", "/v1.0/users/"+unknown+"/directReports", nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(unknown))
}

func TestManagerHiddenWhileDeleted(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	boss := userID(t, s, adminUPN)
	avery := userID(t, s, "avery.chen@larkspur.example")
	call(t, s, "PUT", "/v1.0/users/"+avery+"/manager/$ref", managerRef(boss)).wantStatus(t, 204)

	call(t, s, "DELETE", "/v1.0/users/"+avery, nil).wantStatus(t, 204)
	if vs := call(t, s, "GET", "/v1.0/users/"+boss+"/directReports", nil).values(t); len(vs) != 0 {
		t.Fatalf("a deleted report is listed: %v", vs)
	}
	call(t, s, "POST", "/v1.0/directory/deletedItems/"+avery+"/restore", nil).wantStatus(t, 200)
	if vs := call(t, s, "GET", "/v1.0/users/"+boss+"/directReports", nil).values(t); len(vs) != 1 {
		t.Fatalf("restored report missing: %v", vs)
	}

	call(t, s, "DELETE", "/v1.0/users/"+boss, nil).wantStatus(t, 204)
	call(t, s, "GET", "/v1.0/users/"+avery+"/manager", nil).wantError(t, 404, "Request_ResourceNotFound", msgNoManager)
	call(t, s, "POST", "/v1.0/directory/deletedItems/"+boss+"/restore", nil).wantStatus(t, 200)
	call(t, s, "GET", "/v1.0/users/"+avery+"/manager", nil).wantStatus(t, 200)

	call(t, s, "DELETE", "/v1.0/users/"+boss, nil).wantStatus(t, 204)
	call(t, s, "DELETE", "/v1.0/directory/deletedItems/"+boss, nil).wantStatus(t, 204)
	call(t, s, "GET", "/v1.0/users/"+avery+"/manager", nil).wantError(t, 404, "Request_ResourceNotFound", msgNoManager)
}
