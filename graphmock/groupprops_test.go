package graphmock

import (
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/graphmock/graphmock/odata"
	"github.com/graphmock/graphmock/openapi"
)

// Group properties Graph has and graphmock does not keep answer 501 naming them — read-only ones
// the read-only 400 on writes — on create, update, the group lists, the casts, the deleted groups
// and a single group; never "does not exist" or "Could not find a property".
func TestGroupPropertiesNotModelled(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gid := groupID(t, s, "Contractors")
	finley := userID(t, s, finleyUPN)
	values := map[string]any{"assignedLabels": []any{map[string]any{"labelId": "x"}}, "unseenCount": 3,
		"serviceProvisioningErrors": []any{}}
	filters := map[string]string{"assignedLabels": "assignedLabels/any(l:l/labelId eq 'x')", "unseenCount": "unseenCount eq 1",
		"serviceProvisioningErrors": "serviceProvisioningErrors/any(e:e/isResolved eq false)"}
	reads := []string{"/v1.0/groups", "/v1.0/groups/" + gid, "/v1.0/users/" + finley + "/memberOf/microsoft.graph.group",
		"/v1.0/users/" + finley + "/transitiveMemberOf/graph.group", "/v1.0/groups/" + gid + "/memberOf/microsoft.graph.group",
		"/v1.0/users/" + finley + "/memberOf", "/v1.0/directory/deletedItems/microsoft.graph.group", "/v1.0/directoryObjects/" + gid}
	for _, nm := range groupNotModelled {
		t.Run(nm.name, func(t *testing.T) {
			val, ok := values[nm.name]
			if !ok {
				val = true
			}
			body := newGroupBody("nm" + strings.ToLower(nm.name))
			body[nm.name] = val
			status, code, msg := 501, "NotImplemented", "graphmock does not implement the Microsoft Graph property '"+nm.name+"' of type 'microsoft.graph.group'."
			if nm.readOnly {
				status, code, msg = 400, "Request_BadRequest", "Property '"+nm.name+"' is read-only and cannot be set."
			}
			call(t, s, "POST", "/v1.0/groups", body).wantError(t, status, code, msg)
			call(t, s, "PATCH", "/v1.0/groups/"+gid, map[string]any{nm.name: val}).wantError(t, status, code, msg)
			call(t, s, "PATCH", "/v1.0/groups/"+gid, map[string]any{"description": "x", nm.name: val}).wantError(t, status, code, msg)

			sel := "graphmock does not implement the Microsoft Graph property '" + nm.name + "' of type 'microsoft.graph.group'."
			filter, ok := filters[nm.name]
			if !ok {
				filter = nm.name + " eq true"
			}
			for _, path := range reads {
				if _, user := userType.notModelled[strings.ToLower(nm.name)]; user && isMixed(path) {
					// A mixed directoryObject list names the user type of a property neither type keeps.
					continue
				}
				call(t, s, "GET", path+"?$select=id,"+strings.ToUpper(nm.name), nil).wantError(t, 501, "NotImplemented", sel)
				call(t, s, "GET", path+"?$filter="+url.QueryEscape(filter), nil).wantError(t, 501, "NotImplemented", sel)
				call(t, s, "GET", path+"?$orderby="+nm.name, nil).wantError(t, 501, "NotImplemented", sel)
			}
			if _, user := userType.notModelled[strings.ToLower(nm.name)]; !user {
				call(t, s, "POST", "/v1.0/directoryObjects/getByIds?$select="+nm.name, map[string]any{"ids": []string{gid}}).
					wantError(t, 501, "NotImplemented", sel)
			}
		})
	}
	if n := len(call(t, s, "GET", "/v1.0/groups", nil).values(t)); n != 6 {
		t.Fatalf("refused creates left %d groups", n)
	}
	if d := call(t, s, "GET", "/v1.0/groups/"+gid, nil).body["description"]; d == "x" {
		t.Fatal("a refused PATCH changed the description")
	}
	// Read-only properties graphmock keeps get the same 400; names Graph does not have keep
	// the OData reader's 400 and the query options' "Could not find a property".
	call(t, s, "PATCH", "/v1.0/groups/"+gid, map[string]any{"hasMembersWithLicenseErrors": true}).wantError(t, 400, "Request_BadRequest",
		"Property 'hasMembersWithLicenseErrors' is read-only and cannot be set.")
	call(t, s, "PATCH", "/v1.0/groups/"+gid, map[string]any{"renewedDateTime": "2024-01-01T00:00:00Z"}).wantError(t, 400, "Request_BadRequest",
		"Property 'renewedDateTime' is read-only and cannot be set.")
	call(t, s, "POST", "/v1.0/groups", map[string]any{"hideFromEveryone": true}).wantError(t, 400, "BadRequest",
		"The property 'hideFromEveryone' does not exist on type 'microsoft.graph.group'. Make sure to only use property names that are defined by the type or mark the type as open type.")
	call(t, s, "GET", "/v1.0/groups/"+gid+"?$select=hideFromEveryone", nil).wantError(t, 400, "Request_BadRequest",
		"Could not find a property named 'hideFromEveryone' on type 'microsoft.graph.group'.")
	// User properties of the same name are not affected.
	call(t, s, "GET", "/v1.0/users?$select=id,isResourceAccount", nil).wantError(t, 501, "NotImplemented",
		"graphmock does not implement the Microsoft Graph property 'isResourceAccount' of type 'microsoft.graph.user'.")
}

func isMixed(path string) bool {
	return strings.HasSuffix(path, "/memberOf") || strings.Contains(path, "/directoryObjects/")
}

// Each entity type and its query table agree: the properties graphmock does not keep are the ones
// the query options refuse with 501, and every other property a query can name is one the wire
// type writes (or a filter-only or navigation property).
func TestNotModelledListsMatchQueryTables(t *testing.T) {
	t.Parallel()
	navigation := map[string]bool{"manager": true, "createdOnBehalfOf": true}
	check := func(res *odata.Resource, typ string, lookup func(string) bool, notModelled map[string]notModelledProp) {
		for _, p := range res.Props {
			_, nm := notModelled[strings.ToLower(p.Name)]
			switch {
			case p.NotModelled != "" && !nm:
				t.Errorf("%s: %s is refused by the query options but written by the wire type", typ, p.Name)
			case p.NotModelled != "" && p.NotModelled != typ:
				t.Errorf("%s: %s is marked as a property of %s", typ, p.Name, p.NotModelled)
			case p.NotModelled == "" && nm:
				t.Errorf("%s: %s is not modelled but the query options accept it", typ, p.Name)
			case p.NotModelled == "" && !lookup(p.Name) && !navigation[p.Name]:
				t.Errorf("%s: the query options accept %s, which the wire type does not write", typ, p.Name)
			}
		}
		for k, nm := range notModelled {
			if _, ok := res.Props[k]; !ok {
				t.Errorf("%s: %s is not in the query table", typ, nm.name)
			}
		}
	}
	check(odata.Users, "microsoft.graph.user", func(n string) bool { _, ok := userType.lookup(n); return ok }, userType.notModelled)
	check(odata.Groups, "microsoft.graph.group", func(n string) bool { _, ok := groupType.lookup(n); return ok }, groupType.notModelled)
}

// Every property of microsoft.graph.user and microsoft.graph.group in Microsoft's OpenAPI
// description is one graphmock writes, one it refuses with 501 (or the read-only 400), or a
// navigation property; none gets "does not exist" or "Could not find a property".
func TestSchemaPropertiesAreKnown(t *testing.T) {
	t.Parallel()
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Document())
	if err != nil {
		t.Fatal(err)
	}
	check := func(typ string, lookup func(string) bool, notModelled map[string]notModelledProp) {
		ref := doc.Components.Schemas[typ]
		if ref == nil || ref.Value == nil {
			t.Fatalf("no schema %s", typ)
		}
		n := 0
		for _, part := range ref.Value.AllOf {
			if strings.HasSuffix(part.Ref, "microsoft.graph.directoryObject") {
				continue // id and deletedDateTime, written by both types
			}
			for name, p := range part.Value.Properties {
				n++
				if p.Value != nil && p.Value.Extensions["x-ms-navigationProperty"] == true {
					continue
				}
				if isEntity(p) {
					continue // a single-valued navigation property: calendar, drive, manager, team…
				}
				if lookup(name) {
					continue
				}
				if _, ok := notModelled[strings.ToLower(name)]; !ok {
					t.Errorf("%s property %s is neither written nor refused with 501", typ, name)
				}
			}
		}
		if n < 30 {
			t.Fatalf("%s has only %d properties", typ, n)
		}
	}
	check("microsoft.graph.user", func(n string) bool { _, ok := userType.lookup(n); return ok }, userType.notModelled)
	check("microsoft.graph.group", func(n string) bool { _, ok := groupType.lookup(n); return ok }, groupType.notModelled)
}

// isEntity reports whether a schema is an entity type (it derives from microsoft.graph.entity),
// which makes a property of that type a navigation property rather than a complex value.
func isEntity(ref *openapi3.SchemaRef) bool {
	if ref == nil || ref.Value == nil {
		return false
	}
	if strings.HasSuffix(ref.Ref, "/microsoft.graph.entity") {
		return true
	}
	for _, part := range ref.Value.AllOf {
		if isEntity(part) {
			return true
		}
	}
	return false
}

// uniqueName is set on create (or by a PATCH while it is null), returned only on $select, unique
// among active groups and immutable once set.
func TestGroupUniqueName(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	body := newGroupBody("uniq")
	body["uniqueName"] = "Finance-Approvers"
	created := call(t, s, "POST", "/v1.0/groups", body)
	created.wantStatus(t, 201)
	id := created.str("id")
	if _, ok := created.body["uniqueName"]; ok {
		t.Fatalf("uniqueName in the default property set: %s", created.raw)
	}
	r := call(t, s, "GET", "/v1.0/groups/"+id+"?$select=id,uniqueName", nil)
	r.wantStatus(t, 200)
	if r.str("uniqueName") != "Finance-Approvers" || r.str("@odata.context") != "http://graph.test/v1.0/$metadata#groups(id,uniqueName)/$entity" {
		t.Fatalf("GET with $select = %s", r.raw)
	}
	if r := call(t, s, "GET", "/v1.0/groups?$select=displayName,uniqueName", nil); !strings.Contains(string(r.raw), `"uniqueName":"Finance-Approvers"`) {
		t.Fatalf("list with $select = %s", r.raw)
	}

	dup := newGroupBody("uniq2")
	dup["uniqueName"] = "FINANCE-approvers"
	const taken = "Another object with the same value for property uniqueName already exists."
	call(t, s, "POST", "/v1.0/groups", dup).wantError(t, 400, "Request_BadRequest", taken)
	const immutable = "Property 'uniqueName' can't be changed once it is set."
	call(t, s, "PATCH", "/v1.0/groups/"+id, map[string]any{"uniqueName": "Other"}).wantError(t, 400, "Request_BadRequest", immutable)
	call(t, s, "PATCH", "/v1.0/groups/"+id, map[string]any{"uniqueName": nil}).wantError(t, 400, "Request_BadRequest", immutable)
	call(t, s, "PATCH", "/v1.0/groups/"+id, map[string]any{"uniqueName": "Finance-Approvers", "description": "same"}).wantStatus(t, 204)

	// A group without one gets one by PATCH, unless another group holds it.
	gid := groupID(t, s, "Contractors")
	call(t, s, "PATCH", "/v1.0/groups/"+gid, map[string]any{"uniqueName": "finance-approvers"}).wantError(t, 400, "Request_BadRequest", taken)
	call(t, s, "PATCH", "/v1.0/groups/"+gid, map[string]any{"uniqueName": "contractors"}).wantStatus(t, 204)
	if v := call(t, s, "GET", "/v1.0/groups/"+gid+"?$select=uniqueName", nil).str("uniqueName"); v != "contractors" {
		t.Fatalf("uniqueName after PATCH = %q", v)
	}

	// A deleted group keeps its name; a restore conflicts with the group that took it meanwhile.
	call(t, s, "DELETE", "/v1.0/groups/"+id, nil).wantStatus(t, 204)
	call(t, s, "POST", "/v1.0/groups", dup).wantStatus(t, 201)
	call(t, s, "POST", "/v1.0/directory/deletedItems/"+id+"/restore", nil).wantError(t, 400, "Request_BadRequest", taken)

	// Not filterable (group.md documents no $filter on it).
	call(t, s, "GET", "/v1.0/groups?$filter="+url.QueryEscape("uniqueName eq 'contractors'"), nil).wantError(t, 400, "Request_UnsupportedQuery",
		"Unsupported or invalid query filter clause specified for property 'uniqueName' of resource 'Group'.")

	// Export and seed keep it.
	exp := call(t, s, "GET", "/_graphmock/export", nil)
	exp.wantStatus(t, 200)
	s2, err := New(Options{Seed: exp.raw})
	if err != nil {
		t.Fatal(err)
	}
	if v := call(t, s2, "GET", "/v1.0/groups/"+gid+"?$select=uniqueName", nil).str("uniqueName"); v != "contractors" {
		t.Fatalf("uniqueName after export and seed = %q", v)
	}
}
