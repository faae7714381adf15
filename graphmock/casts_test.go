package graphmock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const advancedStartsWith = "Operator 'startsWith' is not supported because the required parameters might be missing. " +
	"Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information"

// castFixture names the default-tenant objects the cast tests read: "E3 base services" has 7
// users and the group Contractors as direct members, Contractors 2 more users; Finley is a
// member of Contractors only; Taylor owns Marketing Team.
type castFixture struct {
	base, contractors, marketing, finley string
}

func newCastFixture(t *testing.T, s *Server) castFixture {
	t.Helper()
	return castFixture{
		base:        groupID(t, s, "E3 base services"),
		contractors: groupID(t, s, "Contractors"),
		marketing:   groupID(t, s, "Marketing Team"),
		finley:      userID(t, s, finleyUPN),
	}
}

func valueIDs(t *testing.T, r response) []string {
	t.Helper()
	var out []string
	for _, v := range r.values(t) {
		out = append(out, v["id"].(string))
	}
	slices.Sort(out)
	return out
}

// TestCastListsKeepOnlyTheCastType compares each cast list with its uncast relationship: the
// same objects of the cast type, under "…#users" or "…#groups", without @odata.type.
func TestCastListsKeepOnlyTheCastType(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	f := newCastFixture(t, s)
	tests := []struct {
		rel, typ string
		want     int
	}{
		{"/groups/" + f.base + "/members", "user", 7},
		{"/groups/" + f.base + "/members", "group", 1},
		{"/groups/" + f.base + "/transitiveMembers", "user", 9},
		{"/groups/" + f.base + "/transitiveMembers", "group", 1},
		{"/groups/" + f.marketing + "/owners", "user", 1},
		{"/groups/" + f.marketing + "/owners", "group", 0},
		{"/groups/" + f.contractors + "/memberOf", "group", 1},
		{"/groups/" + f.contractors + "/transitiveMemberOf", "group", 1},
		{"/users/" + f.finley + "/memberOf", "group", 1},
		{"/users/" + f.finley + "/transitiveMemberOf", "group", 2},
		{"/groups/" + f.base + "/membersWithLicenseErrors", "user", 0},
	}
	for _, tt := range tests {
		t.Run(strings.SplitN(tt.rel, "/", 4)[3]+"/"+tt.typ, func(t *testing.T) {
			t.Parallel()
			var want []string
			for _, v := range call(t, s, "GET", "/v1.0"+tt.rel, nil).values(t) {
				if v["@odata.type"] == "#microsoft.graph."+tt.typ {
					want = append(want, v["id"].(string))
				}
			}
			slices.Sort(want)
			r := call(t, s, "GET", "/v1.0"+tt.rel+"/microsoft.graph."+tt.typ, nil)
			r.wantStatus(t, 200)
			if got := valueIDs(t, r); len(got) != tt.want || !slices.Equal(got, want) {
				t.Fatalf("ids = %v, want the %d %ss of the uncast list %v", got, tt.want, tt.typ, want)
			}
			if ctx := r.str("@odata.context"); ctx != "http://graph.test/v1.0/$metadata#"+tt.typ+"s" {
				t.Fatalf("@odata.context = %q", ctx)
			}
			for _, v := range r.values(t) {
				if _, ok := v["@odata.type"]; ok {
					t.Fatalf("item carries @odata.type: %v", v)
				}
			}
		})
	}
}

// TestCastListItemsMatchEntityLists checks that cast items are encoded exactly as GET /users and
// GET /groups encode them, and that $select narrows both the items and @odata.context.
func TestCastListItemsMatchEntityLists(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	f := newCastFixture(t, s)
	for _, tt := range []struct{ cast, set string }{
		{"/groups/" + f.base + "/members/microsoft.graph.user", "users"},
		{"/users/" + f.finley + "/transitiveMemberOf/microsoft.graph.group", "groups"},
	} {
		for _, item := range call(t, s, "GET", "/v1.0"+tt.cast, nil).values(t) {
			q := url.Values{"$filter": {"id eq '" + item["id"].(string) + "'"}}
			list := call(t, s, "GET", "/v1.0/"+tt.set+"?"+q.Encode(), nil).values(t)
			if len(list) != 1 || !reflect.DeepEqual(item, list[0]) {
				t.Fatalf("%s item\n%v\nwant as GET /%s gives it\n%v", tt.cast, item, tt.set, list)
			}
		}
	}
	r := call(t, s, "GET", "/v1.0/groups/"+f.base+"/members/microsoft.graph.user?$select=displayName,id", nil)
	r.wantStatus(t, 200)
	if ctx := r.str("@odata.context"); ctx != "http://graph.test/v1.0/$metadata#users(displayName,id)" {
		t.Fatalf("@odata.context = %q", ctx)
	}
	for _, v := range r.values(t) {
		if len(v) != 2 || v["displayName"] == nil || v["id"] == nil {
			t.Fatalf("selected item = %v", v)
		}
	}
}

// TestCastAndRelationshipCounts covers every /$count segment of the relationships: text/plain
// with ConsistencyLevel: eventual, the /$count error without it, and $filter inside the count.
func TestCastAndRelationshipCounts(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	f := newCastFixture(t, s)
	tests := []struct {
		path string
		want string
	}{
		{"/groups/" + f.base + "/members/microsoft.graph.user/$count", "7"},
		{"/groups/" + f.base + "/members/graph.group/$count", "1"},
		{"/groups/" + f.base + "/transitiveMembers/$count", "10"},
		{"/groups/" + f.base + "/transitiveMembers/microsoft.graph.user/$count", "9"},
		{"/groups/" + f.base + "/transitiveMembers/microsoft.graph.group/$count", "1"},
		{"/groups/" + f.marketing + "/owners/$count", "1"},
		{"/groups/" + f.marketing + "/owners/microsoft.graph.user/$count", "1"},
		{"/groups/" + f.marketing + "/owners/microsoft.graph.group/$count", "0"},
		{"/groups/" + f.contractors + "/memberOf/$count", "1"},
		{"/groups/" + f.contractors + "/memberOf/microsoft.graph.group/$count", "1"},
		{"/groups/" + f.contractors + "/transitiveMemberOf/$count", "1"},
		{"/groups/" + f.contractors + "/transitiveMemberOf/microsoft.graph.group/$count", "1"},
		{"/groups/" + f.base + "/membersWithLicenseErrors/$count", "0"},
		{"/groups/" + f.base + "/membersWithLicenseErrors/microsoft.graph.user/$count", "0"},
		{"/users/" + f.finley + "/memberOf/$count", "1"},
		{"/users/" + f.finley + "/memberOf/microsoft.graph.group/$count", "1"},
		{"/users/" + f.finley + "/transitiveMemberOf/$count", "2"},
		{"/users/" + f.finley + "/transitiveMemberOf/graph.group/$count", "2"},
		{"/groups/" + f.base + "/members/microsoft.graph.user/$count?$filter=" + url.QueryEscape("startswith(displayName,'J')"), "1"},
	}
	for _, tt := range tests {
		t.Run(strings.SplitN(tt.path, "/", 4)[3], func(t *testing.T) {
			t.Parallel()
			r := call(t, s, "GET", "/v1.0"+tt.path, nil, "ConsistencyLevel", "eventual")
			if r.status != 200 || string(r.raw) != tt.want || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
				t.Fatalf("= %d %q %q, want 200 %q text/plain", r.status, r.raw, r.header.Get("Content-Type"), tt.want)
			}
			call(t, s, "GET", "/v1.0"+tt.path, nil).wantError(t, 400, "Request_BadRequest", "$count is not currently supported.")
		})
	}
}

// TestCastListQueries: the relationship rules of advanced queries, with the cast type's
// properties, and paging.
func TestCastListQueries(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	f := newCastFixture(t, s)
	users := "/v1.0/groups/" + f.base + "/members/microsoft.graph.user"
	ev := []string{"ConsistencyLevel", "eventual"}
	startsJ := url.QueryEscape("startswith(displayName,'J')")

	call(t, s, "GET", users+"?$filter="+startsJ, nil).wantError(t, 400, "Request_UnsupportedQuery", advancedStartsWith)
	call(t, s, "GET", users+"?$filter="+startsJ, nil, ev...).wantError(t, 400, "Request_UnsupportedQuery", advancedStartsWith)
	call(t, s, "GET", users+"?$orderby=displayName", nil).wantError(t, 400, "Request_UnsupportedQuery", "Sorting not supported for current query.")
	call(t, s, "GET", users+"?$filter=securityEnabled+eq+true", nil).wantError(t, 400, "Request_BadRequest",
		"Invalid filter clause: Could not find a property named 'securityEnabled' on type 'microsoft.graph.user'.")
	call(t, s, "GET", users+"?$top=1000", nil).wantError(t, 400, "Request_BadRequest",
		"Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.")

	r := call(t, s, "GET", users+"?$count=true&$filter="+startsJ, nil, ev...)
	r.wantStatus(t, 200)
	if vs := r.values(t); r.body["@odata.count"] != float64(1) || len(vs) != 1 || vs[0]["displayName"] != "Jordan Okafor" {
		t.Fatalf("advanced filter = %s", r.raw)
	}
	r = call(t, s, "GET", users+"?$count=true&$orderby=displayName+desc&$select=displayName", nil, ev...)
	var names []string
	for _, v := range r.values(t) {
		names = append(names, v["displayName"].(string))
	}
	if r.body["@odata.count"] != float64(7) || len(names) != 7 || !slices.IsSortedFunc(names, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Fatalf("advanced orderby = %s", r.raw)
	}
	if r := call(t, s, "GET", users+"?$count=true", nil); r.body["@odata.count"] != nil {
		t.Fatalf("@odata.count without ConsistencyLevel: %s", r.raw)
	}
	groups := "/v1.0/users/" + f.finley + "/transitiveMemberOf/microsoft.graph.group"
	call(t, s, "GET", groups+"?$filter=userPrincipalName+eq+'x'", nil).wantError(t, 400, "Request_BadRequest",
		"Invalid filter clause: Could not find a property named 'userPrincipalName' on type 'microsoft.graph.group'.")
	if r := call(t, s, "GET", groups+"?$count=true&$filter=displayName+eq+'Contractors'", nil, ev...); len(r.values(t)) != 1 {
		t.Fatalf("group cast filter = %s", r.raw)
	}

	// Paging through @odata.nextLink, which keeps the cast path.
	var seen []string
	next := "/v1.0/groups/" + f.base + "/transitiveMembers/microsoft.graph.user?$top=4&$select=id"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("nextLink never ends")
		}
		r := call(t, s, "GET", next, nil)
		r.wantStatus(t, 200)
		for _, v := range r.values(t) {
			seen = append(seen, v["id"].(string))
		}
		next = strings.TrimPrefix(r.str("@odata.nextLink"), "http://graph.test")
		if next != "" && !strings.Contains(next, "/transitiveMembers/microsoft.graph.user?") {
			t.Fatalf("nextLink = %q", next)
		}
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != 9 {
		t.Fatalf("paged %d users, want 9", len(seen))
	}

	// $expand works on the cast type's relationships, as on GET /users.
	r = call(t, s, "GET", "/v1.0/groups/"+f.contractors+"/members/microsoft.graph.user?$expand=memberOf", nil)
	if len(r.values(t)) != 2 {
		t.Fatalf("Contractors' users = %s", r.raw)
	}
	for _, v := range r.values(t) {
		if mo, _ := v["memberOf"].([]any); len(mo) == 0 {
			t.Fatalf("expanded item without memberOf: %v", v)
		}
	}
}

func TestCastListUnknownIDs(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, p := range []string{
		"/groups/" + notFoundID + "/members/microsoft.graph.user",
		"/groups/" + notFoundID + "/members/microsoft.graph.group/$count",
		"/groups/" + notFoundID + "/owners/$count",
		"/groups/" + notFoundID + "/transitiveMemberOf/graph.group",
		"/groups/" + notFoundID + "/membersWithLicenseErrors/microsoft.graph.user",
		"/users/" + notFoundID + "/memberOf/microsoft.graph.group",
		"/users/" + notFoundID + "/transitiveMemberOf/microsoft.graph.group/$count",
		"/users/" + notFoundID + "/memberOf/$count",
	} {
		call(t, s, "GET", "/v1.0"+p, nil, "ConsistencyLevel", "eventual").wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
	}
}

// TestCastAliasesAndUnservedCasts: the SDKs' graph.user spelling is the same operation; casts to
// types graphmock doesn't hold answer 501 naming the operation.
func TestCastAliasesAndUnservedCasts(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	f := newCastFixture(t, s)
	members := "/v1.0/groups/" + f.base + "/members/"
	full := call(t, s, "GET", members+"microsoft.graph.user", nil)
	for _, alias := range []string{"graph.user", "Graph.User", "MICROSOFT.GRAPH.USER"} {
		r := call(t, s, "GET", members+alias, nil)
		r.wantStatus(t, 200)
		if !reflect.DeepEqual(r.body, full.body) {
			t.Fatalf("%s = %s\nwant %s", alias, r.raw, full.raw)
		}
	}
	if r := call(t, s, "GET", members+"graph.user/$count", nil, "ConsistencyLevel", "eventual"); string(r.raw) != "7" {
		t.Fatalf("graph.user/$count = %d %q", r.status, r.raw)
	}
	for _, tt := range []struct{ path, op string }{
		{members + "microsoft.graph.device", "GET /groups/{group-id}/members/microsoft.graph.device"},
		{members + "graph.servicePrincipal", "GET /groups/{group-id}/members/microsoft.graph.servicePrincipal"},
		{members + "microsoft.graph.servicePrincipal/$count", "GET /groups/{group-id}/members/microsoft.graph.servicePrincipal/$count"},
		{"/v1.0/groups/" + f.base + "/transitiveMembers/microsoft.graph.orgContact", "GET /groups/{group-id}/transitiveMembers/microsoft.graph.orgContact"},
		{"/v1.0/users/" + f.finley + "/memberOf/microsoft.graph.directoryRole", "GET /users/{user-id}/memberOf/microsoft.graph.directoryRole"},
		{"/v1.0/users/" + f.finley + "/memberOf/microsoft.graph.administrativeUnit/$count", "GET /users/{user-id}/memberOf/microsoft.graph.administrativeUnit/$count"},
		{"/v1.0/groups/" + f.base + "/membersWithLicenseErrors/microsoft.graph.group", "GET /groups/{group-id}/membersWithLicenseErrors/microsoft.graph.group"},
	} {
		call(t, s, "GET", tt.path, nil).wantError(t, 501, "NotImplemented", "graphmock does not implement the Microsoft Graph operation "+tt.op+".")
	}
	// A cast has no short form: "members/user" names a member by id, a path graphmock knows only
	// as the way to deeper operations.
	call(t, s, "GET", members+"user", nil).wantError(t, 501, "NotImplemented",
		"graphmock does not implement GET /groups/{group-id}/members/{directoryObject-id}, a Microsoft Graph resource outside the operations it tracks (COVERAGE.md).")
}

func TestRouteForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path string
		want         []string
	}{
		{"GET", "/users/{user-id}", []string{"/users/{user-id}"}},
		{"GET", "/groups/{group-id}/members/microsoft.graph.user", []string{
			"/groups/{group-id}/members/microsoft.graph.user", "/groups/{group-id}/members/graph.user"}},
		{"GET", "/groups/{group-id}/members/microsoft.graph.user/$count", []string{
			"/groups/{group-id}/members/microsoft.graph.user/$count", "/groups/{group-id}/members/graph.user/$count"}},
		{"POST", "/users/{user-id}/microsoft.graph.assignLicense", []string{
			"/users/{user-id}/microsoft.graph.assignLicense", "/users/{user-id}/graph.assignLicense", "/users/{user-id}/assignLicense"}},
	}
	for _, tt := range tests {
		if got := routeForms(tt.method, tt.path); !slices.Equal(got, tt.want) {
			t.Errorf("routeForms(%s %s) = %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}

// TestMembersWithLicenseErrorsCast: a group without free seats leaves its members in error; the
// user cast lists and counts them, and a group cast of memberOf filters on the filter-only
// hasMembersWithLicenseErrors.
func TestMembersWithLicenseErrorsCast(t *testing.T) {
	t.Parallel()
	s := newLicensingServer(t, "immediate")
	if r := call(t, s, http.MethodPatch, "/_graphmock/subscribedSkus/"+httpSkuE5, map[string]any{"prepaidUnits": map[string]any{"enabled": 3}}); r.status != 200 {
		t.Fatalf("patch sku: %d %s", r.status, r.raw)
	}
	assign := `{"addLicenses":[{"skuId":"` + httpSkuE5 + `"}],"removeLicenses":[]}`
	call(t, s, http.MethodPost, "/v1.0/groups/"+emsGroupID+"/assignLicense", assign).wantStatus(t, 202)

	errs := "/v1.0/groups/" + emsGroupID + "/membersWithLicenseErrors"
	r := call(t, s, "GET", errs+"/microsoft.graph.user", nil)
	r.wantStatus(t, 200)
	if got := valueIDs(t, r); len(got) != 6 || !slices.Contains(got, jordanID) || r.str("@odata.context") != "http://graph.test/v1.0/$metadata#users" {
		t.Fatalf("membersWithLicenseErrors/microsoft.graph.user = %s", r.raw)
	}
	for _, p := range []string{errs + "/$count", errs + "/microsoft.graph.user/$count", errs + "/graph.user/$count"} {
		if r := call(t, s, "GET", p, nil, "ConsistencyLevel", "eventual"); string(r.raw) != "6" {
			t.Fatalf("%s = %d %q, want 6", p, r.status, r.raw)
		}
	}

	q := url.Values{"$count": {"true"}, "$filter": {"hasMembersWithLicenseErrors eq true"}, "$select": {"id"}}
	r = call(t, s, "GET", "/v1.0/users/"+jordanID+"/memberOf/microsoft.graph.group?"+q.Encode(), nil, "ConsistencyLevel", "eventual")
	r.wantStatus(t, 200)
	if got := valueIDs(t, r); !slices.Equal(got, []string{emsGroupID}) {
		b, _ := json.Marshal(got)
		t.Fatalf("groups with license errors among Jordan's = %s, want [%s]", b, emsGroupID)
	}
}

// TestExpandOnRelationshipLists: mixed directoryObject lists don't expand (501); their casts do.
func TestExpandOnRelationshipLists(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gid := groupID(t, s, "O365 E5 - Exchange only")
	call(t, s, "GET", "/v1.0/groups/"+gid+"/members?$expand=memberOf", nil).wantError(t, 501, "NotImplemented",
		"graphmock does not implement $expand on directoryObject collections; expand a cast such as …/microsoft.graph.user instead.")
	r := call(t, s, "GET", "/v1.0/groups/"+gid+"/members/microsoft.graph.user?$expand=memberOf", nil)
	r.wantStatus(t, 200)
	for _, u := range r.values(t) {
		if _, ok := u["memberOf"].([]any); !ok {
			t.Fatalf("cast member without memberOf: %v", u)
		}
	}
}
