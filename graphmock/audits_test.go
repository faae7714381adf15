package graphmock

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
)

func auditsPath(filter string, extra ...string) string {
	v := url.Values{}
	if filter != "" {
		v.Set("$filter", filter)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/v1.0/auditLogs/directoryAudits?" + v.Encode()
}

func TestDirectoryAudits(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	call(t, s, "POST", "/v1.0/users", newUserBody("audited")).wantStatus(t, 201)
	uid := userID(t, s, "audited@larkspur.example")
	gid := groupID(t, s, "Contractors")
	call(t, s, "POST", "/v1.0/groups/"+gid+"/members/$ref", map[string]any{"@odata.id": bindURL(uid)}).wantStatus(t, 204)
	call(t, s, "PATCH", "/v1.0/users/"+uid, map[string]any{"jobTitle": "Auditor", "department": "Risk"}).wantStatus(t, 204)

	all := call(t, s, "GET", "/v1.0/auditLogs/directoryAudits", nil)
	all.wantStatus(t, 200)
	if all.str("@odata.context") != "http://graph.test/v1.0/$metadata#auditLogs/directoryAudits" {
		t.Fatalf("context = %q", all.str("@odata.context"))
	}
	newest := all.values(t)[0]
	if newest["activityDisplayName"] != "Update user" || newest["category"] != "UserManagement" || newest["loggedByService"] != "Core Directory" {
		t.Fatalf("newest record = %v", newest)
	}
	if ts := newest["activityDateTime"].(string); len(ts) != len("2006-01-02T15:04:05.0000000Z") {
		t.Fatalf("activityDateTime %q lacks 7 fractional digits", ts)
	}
	by := newest["initiatedBy"].(map[string]any)
	if by["app"] != nil || by["user"].(map[string]any)["userPrincipalName"] != adminUPN {
		t.Fatalf("initiatedBy = %v", by)
	}
	mod := newest["targetResources"].([]any)[0].(map[string]any)["modifiedProperties"].([]any)[0].(map[string]any)
	if mod["displayName"] != "Included Updated Properties" || mod["newValue"] != `"JobTitle, Department"` {
		t.Fatalf("modifiedProperties = %v", mod)
	}

	tests := []struct {
		name   string
		filter string
		want   int
	}{
		{"activity eq", "activityDisplayName eq 'Add member to group'", 1},
		{"activity startswith", "startswith(activityDisplayName,'Add ')", 2},
		{"category", "category eq 'GroupManagement'", 1},
		{"initiator upn", "initiatedBy/user/userPrincipalName eq '" + adminUPN + "'", 3},
		{"target id", "targetResources/any(t: t/id eq '" + uid + "')", 3},
		{"target name startswith", "targetResources/any(t: startswith(t/displayName, 'Test aud'))", 3},
		{"date range", "activityDateTime ge 2000-01-01T00:00:00Z and activityDateTime le 2999-01-01T00:00:00Z and category eq 'UserManagement'", 2},
		{"result", "result eq 'success' and activityDisplayName eq 'Add user'", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := call(t, s, "GET", auditsPath(tc.filter), nil)
			r.wantStatus(t, 200)
			got := 0
			for _, v := range r.values(t) {
				if v["initiatedBy"].(map[string]any)["app"] == nil { // skip the fixture loader's records
					got++
				}
			}
			if got != tc.want {
				t.Fatalf("%d records, want %d: %s", got, tc.want, r.raw)
			}
		})
	}
	// One record by id.
	id := newest["id"].(string)
	one := call(t, s, "GET", "/v1.0/auditLogs/directoryAudits/"+id, nil)
	one.wantStatus(t, 200)
	if one.str("id") != id {
		t.Fatalf("GET by id = %v", one.body)
	}
	call(t, s, "GET", "/v1.0/auditLogs/directoryAudits/nope", nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg("nope"))
}

func TestDirectoryAuditRefusedFilters(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "GET", auditsPath("createdDateTime ge 2024-01-01T00:00:00Z"), nil)
	if r.status != 400 {
		t.Fatalf("filter on createdDateTime: %d %s", r.status, r.raw)
	}
	r = call(t, s, "GET", auditsPath("activityDateTime ge '2024-01-01T00:00:00Z'"), nil)
	if r.status != 400 {
		t.Fatalf("quoted date literal: %d %s", r.status, r.raw)
	}
	call(t, s, "GET", auditsPath("", "$search", `"x"`), nil).wantStatus(t, 400)
}

func TestDirectoryAuditPagingAndOrder(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for i := 0; i < 7; i++ {
		call(t, s, "POST", "/v1.0/users", newUserBody("p"+string(rune('a'+i)))).wantStatus(t, 201)
	}
	filter := "activityDisplayName eq 'Add user' and initiatedBy/user/userPrincipalName eq '" + adminUPN + "'"
	path := auditsPath(filter, "$top", "3", "$orderby", "activityDateTime asc")
	var names []string
	for path != "" {
		r := call(t, s, "GET", path, nil)
		r.wantStatus(t, 200)
		for _, v := range r.values(t) {
			names = append(names, v["targetResources"].([]any)[0].(map[string]any)["displayName"].(string))
		}
		path = strings.TrimPrefix(r.str("@odata.nextLink"), "http://graph.test")
	}
	if len(names) != 7 || names[0] != "Test pa" || names[6] != "Test pg" {
		t.Fatalf("paged names = %v", names)
	}
}

func TestDirectoryAuditRetention(t *testing.T) {
	t.Parallel()
	clock := engine.NewManualClock()
	clock.Freeze(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	s, err := New(Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	before := len(call(t, s, "GET", "/v1.0/auditLogs/directoryAudits?$top=999", nil).values(t))
	if before == 0 {
		t.Fatal("fixture loading wrote no audit records")
	}
	clock.Advance(31 * 24 * time.Hour)
	if n := len(call(t, s, "GET", "/v1.0/auditLogs/directoryAudits?$top=999", nil).values(t)); n != 0 {
		t.Fatalf("%d records older than 30 days still listed", n)
	}
	call(t, s, "POST", "/v1.0/users", newUserBody("late")).wantStatus(t, 201)
	if n := len(call(t, s, "GET", "/v1.0/auditLogs/directoryAudits?$top=999", nil).values(t)); n != 1 {
		t.Fatalf("%d records after one new change, want 1", n)
	}
}
