package odata

import (
	"net/url"
	"reflect"
	"testing"
)

func req(cl string, kv ...string) Request {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return Request{Values: v, ConsistencyLevel: cl}
}

func TestParseOptionErrors(t *testing.T) {
	t.Parallel()
	const sorting = "Sorting not supported for current query."
	tests := []struct {
		name   string
		res    *Resource
		r      Request
		status int
		code   string
		msg    string
		pos    int
	}{
		{"top too large", Users, req("", "$top", "1000"), 400, CodeRequestBadRequest, "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.", 0},
		{"top zero", Groups, req("", "$top", "0"), 400, CodeRequestBadRequest, "Invalid page size specified: '0'. Must be between 1 and 999 inclusive.", 0},
		{"top not a number", Users, req("", "$top", "ten"), 400, CodeRequestBadRequest, "Invalid value 'ten' for $top query option found. The $top query option requires a non-negative integer value.", 0},
		{"skip", Users, req("", "$skip", "10"), 400, CodeRequestBadRequest, "'$skip' is not supported by the service.", -1},
		{"search without header", Users, req("", "$search", `"displayName:wa"`), 400, CodeRequestUnsupportedQuery, "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'", -1},
		{"search with count but no header", Groups, req("", "$search", `"displayName:wa"`, "$count", "true"), 400, CodeRequestUnsupportedQuery, "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'", -1},
		{"search unquoted", Users, req("eventual", "$search", `displayName:wa`), 400, CodeRequestBadRequest, "Syntax error at position 0 in 'displayName:wa'.", 0},
		{"search dangling OR", Users, req("eventual", "$search", `"displayName:wa" OR`), 400, CodeRequestBadRequest, `Syntax error at position 19 in '"displayName:wa" OR'.`, 19},
		{"search unknown property", Users, req("eventual", "$search", `"foo:wa"`), 400, CodeRequestBadRequest, "Could not find a property named 'foo' on type 'microsoft.graph.user'.", 0},
		{"search unsearchable property", Users, req("eventual", "$search", `"displayName:a" OR "city:wa"`), 400, CodeRequestUnsupportedQuery, "Unsupported or invalid query search clause specified for property 'city' of resource 'User'.", 19},
		{"search on audits", DirectoryAudits, req("eventual", "$search", `"x"`), 400, CodeRequestUnsupportedQuery, "The query parameter '$search' is not supported on resource 'DirectoryAudit'.", -1},
		{"filter on subscribedSkus", SubscribedSkus, req("", "$filter", "skuPartNumber eq 'X'"), 400, CodeRequestUnsupportedQuery, "The query parameter '$filter' is not supported on resource 'SubscribedSku'.", -1},
		{"top on subscribedSkus", SubscribedSkus, req("", "$top", "1"), 400, CodeRequestUnsupportedQuery, "The query parameter '$top' is not supported on resource 'SubscribedSku'.", -1},
		{"filter and orderby", Users, req("", "$filter", "startswith(displayName,'a')", "$orderby", "displayName"), 400, CodeRequestUnsupportedQuery, sorting, -1},
		{"filter and orderby with header only", Users, req("eventual", "$filter", "startswith(displayName,'a')", "$orderby", "displayName"), 400, CodeRequestUnsupportedQuery, sorting, -1},
		{"orderby advanced property", Users, req("", "$orderby", "displayName, createdDateTime desc"), 400, CodeRequestUnsupportedQuery, sorting, 13},
		{"orderby unorderable", Users, req("eventual", "$orderby", "mail", "$count", "true"), 400, CodeRequestUnsupportedQuery, sorting, 0},
		{"orderby unknown", Users, req("", "$orderby", "foo"), 400, CodeRequestBadRequest, "Could not find a property named 'foo' on type 'microsoft.graph.user'.", 0},
		{"orderby bad direction", Users, req("", "$orderby", "displayName up"), 400, CodeRequestBadRequest, "Syntax error at position 12 in 'displayName up'.", 12},
		{"orderby on members", DirectoryObjects, req("", "$orderby", "displayName"), 400, CodeRequestUnsupportedQuery, sorting, 0},
		{"orderby on a cast list", CastUsers, req("eventual", "$orderby", "displayName"), 400, CodeRequestUnsupportedQuery, sorting, 0},
		{"orderby unknown on a group cast", CastGroups, req("", "$orderby", "userPrincipalName"), 400, CodeRequestBadRequest, "Could not find a property named 'userPrincipalName' on type 'microsoft.graph.group'.", 0},
		{"select unknown", Users, req("", "$select", "id, fooBar"), 400, CodeRequestBadRequest, "Could not find a property named 'fooBar' on type 'microsoft.graph.user'.", 4},
		{"expand unknown", Groups, req("", "$expand", "members,foo"), 400, CodeRequestBadRequest, "Could not find a property named 'foo' on type 'microsoft.graph.group'.", 8},
		{"expand nested options", Groups, req("", "$expand", "members($select=id)"), 501, CodeNotImplemented, expandOptions("members($select=id)"), 7},
		{"expand nested options after another", Groups, req("", "$expand", "owners, members($select=id,displayName;$top=5)"), 501, CodeNotImplemented, expandOptions("members($select=id,displayName;$top=5)"), 15},
		{"expand nested options of unknown property", Groups, req("", "$expand", "foo($select=id)"), 400, CodeRequestBadRequest, "Could not find a property named 'foo' on type 'microsoft.graph.group'.", 0},
		{"expand unclosed parenthesis", Groups, req("", "$expand", "members($select=id"), 400, CodeRequestBadRequest, "Syntax error in $expand 'members($select=id': unbalanced parentheses or quotes.", 18},
		{"expand stray parenthesis", Groups, req("", "$expand", "members)"), 400, CodeRequestBadRequest, "Syntax error in $expand 'members)': unbalanced parentheses or quotes.", 7},
		{"expand with advanced query", Groups, req("eventual", "$expand", "members", "$count", "true"), 400, CodeRequestUnsupportedQuery, "$expand is not supported together with advanced query parameters (ConsistencyLevel: eventual and $count=true or $search).", -1},
		{"expand with search", Users, req("eventual", "$expand", "memberOf", "$search", `"displayName:a"`), 400, CodeRequestUnsupportedQuery, "$expand is not supported together with advanced query parameters (ConsistencyLevel: eventual and $count=true or $search).", -1},
		{"unknown system option", Users, req("", "$foo", "1"), 400, CodeRequestBadRequest, "The query parameter '$foo' is not supported.", -1},
		{"duplicate option", Users, req("", "$top", "1", "$top", "2"), 400, CodeRequestBadRequest, "Query option '$top' was specified more than once, but it must be specified at most once.", -1},
		{"duplicate option different case", Users, req("", "$top", "1", "$TOP", "2"), 400, CodeRequestBadRequest, "Query option '$top' was specified more than once, but it must be specified at most once.", -1},
		{"bad count value", Users, req("", "$count", "yes"), 400, CodeRequestBadRequest, "'yes' is not a valid count option.", 0},
		{"garbage skiptoken", Users, req("", "$skiptoken", "not-a-token"), 400, CodeExpiredPageToken, "The specified page token value has expired and can no longer be included in your request.", -1},
		{"filter error propagates", Users, req("", "$filter", "displayName eq"), 400, CodeRequestBadRequest, "Invalid filter clause: Expression expected at position 14 in 'displayName eq'.", 14},
		{"select not modelled", Users, req("", "$select", "id,ABOUTME"), 501, CodeNotImplemented, notModelledMsg("aboutMe", "user"), 3},
		{"select not modelled on a cast", CastUsers, req("", "$select", "birthday"), 501, CodeNotImplemented, notModelledMsg("birthday", "user"), 0},
		{"select not modelled on a deleted item", DeletedObject, req("", "$select", "signInActivity"), 501, CodeNotImplemented, notModelledMsg("signInActivity", "user"), 0},
		{"select not modelled on getByIds", ObjectsByIDs, req("", "$select", "id,skills"), 501, CodeNotImplemented, notModelledMsg("skills", "user"), 3},
		{"select group not modelled", Groups, req("", "$select", "id,hideFromOutlookClients"), 501, CodeNotImplemented, notModelledMsg("hideFromOutlookClients", "group"), 3},
		{"select group not modelled on members", DirectoryObjects, req("", "$select", "unseenCount"), 501, CodeNotImplemented, notModelledMsg("unseenCount", "group"), 0},
		{"filter not modelled", Users, req("", "$filter", "aboutMe eq 'x'"), 501, CodeNotImplemented, notModelledMsg("aboutMe", "user"), 0},
		{"filter not modelled before the advanced check", CastUsers, req("", "$filter", "startswith(mySite,'x')"), 501, CodeNotImplemented, notModelledMsg("mySite", "user"), 11},
		{"filter through a not modelled complex", Users, req("", "$filter", "signInActivity/lastSignInDateTime le 2024-01-01T00:00:00Z"), 501, CodeNotImplemented, notModelledMsg("signInActivity", "user"), 0},
		{"filter lambda over not modelled", Users, req("", "$filter", "imAddresses/any(a:a eq 'x')"), 501, CodeNotImplemented, notModelledMsg("imAddresses", "user"), 0},
		{"filter group not modelled", CastGroups, req("", "$filter", "isArchived eq true"), 501, CodeNotImplemented, notModelledMsg("isArchived", "group"), 0},
		{"orderby not modelled", Users, req("", "$orderby", "displayName,birthday desc"), 501, CodeNotImplemented, notModelledMsg("birthday", "user"), 12},
		{"orderby group not modelled", DeletedGroups, req("", "$orderby", "unseenCount"), 501, CodeNotImplemented, notModelledMsg("unseenCount", "group"), 0},
		{"search not modelled", Users, req("eventual", "$search", `"aboutMe:x"`), 501, CodeNotImplemented, notModelledMsg("aboutMe", "user"), 0},
		{"select unknown on a deleted item", DeletedObject, req("", "$select", "bogus"), 400, CodeRequestBadRequest, "Could not find a property named 'bogus' on type 'microsoft.graph.directoryObject'.", 0},
		{"expand on a deleted item", DeletedObject, req("", "$expand", "memberOf"), 400, CodeRequestUnsupportedQuery, "The query parameter '$expand' is not supported on resource 'DirectoryObject'.", -1},
		{"top on getByIds", ObjectsByIDs, req("", "$top", "1"), 400, CodeRequestUnsupportedQuery, "The query parameter '$top' is not supported on resource 'DirectoryObject'.", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.r, tt.res)
			assertError(t, err, tt.status, tt.code, tt.msg, tt.pos)
		})
	}
}

func notModelledMsg(name, typ string) string {
	return "graphmock does not implement the Microsoft Graph property '" + name + "' of type 'microsoft.graph." + typ + "'."
}

// On a directoryObject list a name graphmock keeps on one type only is selectable: the type
// that keeps it writes it.
func TestDirectoryObjectsPreferKeptProperties(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"onPremisesDomainName", "securityIdentifier", "preferredDataLocation"} {
		if p, ok := DirectoryObjects.Property(name); !ok || p.NotModelled != "" {
			t.Errorf("%s on DirectoryObjects = %+v", name, p)
		}
		if p, _ := Users.Property(name); p.NotModelled != "microsoft.graph.user" {
			t.Errorf("%s on Users is not marked as not modelled", name)
		}
		if q, err := Parse(req("", "$select", name), DirectoryObjects); err != nil || len(q.Select) != 1 {
			t.Errorf("$select=%s on DirectoryObjects: %v", name, err)
		}
	}
}

func expandOptions(item string) string {
	return "graphmock does not implement query options inside $expand ('" + item + "'); Microsoft Graph applies them. Expand the navigation property without options instead."
}

func TestParseOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		res   *Resource
		r     Request
		check func(t *testing.T, q *Query)
	}{
		{"nothing", Users, req(""), func(t *testing.T, q *Query) {
			if q.Filter != nil || q.Select != nil || q.OrderBy != nil || q.Top != 0 || q.Count || q.Search != nil || q.Expand != nil || q.Advanced {
				t.Errorf("query = %+v, want empty", q)
			}
		}},
		{"count without header is ignored", Users, req("", "$count", "true"), func(t *testing.T, q *Query) {
			if q.Count || q.Advanced {
				t.Errorf("Count=%t Advanced=%t, want false", q.Count, q.Advanced)
			}
		}},
		{"header without count is not advanced", Users, req("eventual"), func(t *testing.T, q *Query) {
			if q.Count || q.Advanced || !q.Eventual {
				t.Errorf("Count=%t Advanced=%t Eventual=%t", q.Count, q.Advanced, q.Eventual)
			}
		}},
		{"advanced", Users, req("Eventual", "$count", "TRUE"), func(t *testing.T, q *Query) {
			if !q.Count || !q.Advanced {
				t.Errorf("Count=%t Advanced=%t, want true", q.Count, q.Advanced)
			}
		}},
		{"count on audits is ignored", DirectoryAudits, req("eventual", "$count", "true"), func(t *testing.T, q *Query) {
			if q.Count || q.Advanced {
				t.Errorf("Count=%t Advanced=%t, want false", q.Count, q.Advanced)
			}
		}},
		{"select canonical", Users, req("", "$select", "DisplayName, ID,assignedlicenses,id"), func(t *testing.T, q *Query) {
			if want := []string{"displayName", "id", "assignedLicenses"}; !reflect.DeepEqual(q.Select, want) {
				t.Errorf("Select = %v, want %v", q.Select, want)
			}
		}},
		{"select of a never-returned property", Groups, req("", "$select", "hasMembersWithLicenseErrors"), func(t *testing.T, q *Query) {
			if q.Select == nil || len(q.Select) != 0 {
				t.Errorf("Select = %#v, want empty non-nil", q.Select)
			}
		}},
		{"select on subscribedSkus", SubscribedSkus, req("", "$select", "skuId,SKUPARTNUMBER,prepaidUnits"), func(t *testing.T, q *Query) {
			if want := []string{"skuId", "skuPartNumber", "prepaidUnits"}; !reflect.DeepEqual(q.Select, want) {
				t.Errorf("Select = %v, want %v", q.Select, want)
			}
		}},
		{"orderby", Users, req("", "$orderby", "displayName desc,UserPrincipalName asc"), func(t *testing.T, q *Query) {
			want := []OrderBy{{Property: "displayName", Desc: true}, {Property: "userPrincipalName"}}
			if len(q.OrderBy) != 2 || q.OrderBy[0].Property != want[0].Property || !q.OrderBy[0].Desc || q.OrderBy[1].Property != want[1].Property || q.OrderBy[1].Desc {
				t.Errorf("OrderBy = %+v, want %+v", q.OrderBy, want)
			}
		}},
		{"advanced orderby with filter", Users, req("eventual", "$count", "true", "$filter", "startswith(displayName,'a')", "$orderby", "createdDateTime desc"), func(t *testing.T, q *Query) {
			if len(q.OrderBy) != 1 || q.Filter == nil {
				t.Errorf("query = %+v", q)
			}
		}},
		{"audits filter and orderby", DirectoryAudits, req("", "$filter", "category eq 'GroupManagement'", "$orderby", "activityDateTime desc", "$top", "50"), func(t *testing.T, q *Query) {
			if len(q.OrderBy) != 1 || q.Top != 50 {
				t.Errorf("query = %+v", q)
			}
		}},
		{"top bounds", Users, req("", "$top", "999"), func(t *testing.T, q *Query) {
			if q.Top != 999 {
				t.Errorf("Top = %d", q.Top)
			}
		}},
		{"option names are case-insensitive", Users, req("", "$TOP", "5", "$Filter", "id eq '1'"), func(t *testing.T, q *Query) {
			if q.Top != 5 || q.Filter == nil {
				t.Errorf("query = %+v", q)
			}
		}},
		{"custom options are ignored", Users, req("", "foo", "bar", "$format", "json"), func(t *testing.T, q *Query) {}},
		{"expand canonical", Users, req("", "$expand", "MemberOf,manager"), func(t *testing.T, q *Query) {
			if want := []string{"memberOf", "manager"}; !reflect.DeepEqual(q.Expand, want) {
				t.Errorf("Expand = %v, want %v", q.Expand, want)
			}
		}},
		{"search with header only", Users, req("eventual", "$search", `"displayName:wa" OR "displayName:ad"`), func(t *testing.T, q *Query) {
			if q.Search == nil || q.Search.String() != `("displayName:wa" OR "displayName:ad")` || q.Advanced {
				t.Errorf("Search = %v Advanced = %t", q.Search, q.Advanced)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(tt.r, tt.res)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, q)
		})
	}
}

func TestParseCount(t *testing.T) {
	t.Parallel()
	_, err := ParseCount(req(""), Users)
	assertError(t, err, 400, CodeRequestBadRequest, "$count is not currently supported.", -1)
	_, err = ParseCount(req("eventual"), DirectoryAudits)
	assertError(t, err, 400, CodeRequestBadRequest, "$count is not currently supported.", -1)
	q, err := ParseCount(req("eventual", "$filter", "endswith(mail,'@contoso.com')"), Users)
	if err != nil {
		t.Fatalf("ParseCount: %v", err)
	}
	if !q.Count || !q.Advanced {
		t.Errorf("Count=%t Advanced=%t, want true", q.Count, q.Advanced)
	}
	if err := CountSegment("eventual", Groups); err != nil {
		t.Errorf("CountSegment: %v", err)
	}
}

func TestSearchString(t *testing.T) {
	t.Parallel()
	tests := []struct{ src, want string }{
		{`"displayName:wa"`, `"displayName:wa"`},
		{` "displayName:wa"  or "mail:x" `, `("displayName:wa" OR "mail:x")`},
		{`"a:1" OR "b:2" AND "c:3"`, `("a:1" OR ("b:2" AND "c:3"))`},
		{`("a:1" OR "b:2") AND "c:3"`, `(("a:1" OR "b:2") AND "c:3")`},
		{`"displayName:say \"hi\""`, `"displayName:say \"hi\""`},
		{`"plain words"`, `"plain words"`},
		{`"\":\0"`, `"\":0"`},
		{`"displayName:a\\b"`, `"displayName:a\\b"`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			e, err := ParseSearch(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if e.String() != tt.want {
				t.Errorf("String() = %q, want %q", e.String(), tt.want)
			}
		})
	}
}

func TestSelectHelpers(t *testing.T) {
	t.Parallel()
	q, err := Parse(req("", "$select", "id,DisplayName"), Users)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.SelectContext(); got != "(id,displayName)" {
		t.Errorf("SelectContext = %q", got)
	}
	if !q.Selected("displayName") || q.Selected("mail") {
		t.Error("Selected is wrong")
	}
	all, _ := Parse(req(""), Users)
	if all.SelectContext() != "" || !all.Selected("mail") {
		t.Error("without $select everything is selected")
	}
}
