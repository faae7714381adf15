package conformance

import (
	"net/http"
	"slices"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// OData casts of the membership relationships through the SDK (Members().GraphUser() and the
// like, which it sends as …/members/graph.user), their /$count, and the relationships' own
// /$count segments.
func TestRelationshipCastsWithSDK(t *testing.T) {
	e := newEnv(t)
	outer := deref(e.createSecurityGroup("depot").GetId())
	inner := deref(e.createSecurityGroup("loaders").GetId())
	alex := deref(e.createUser("alex", "US").GetId())
	sam := deref(e.createUser("sam", "US").GetId())
	e.mustAddMember(outer, alex)
	e.mustAddMember(outer, inner)
	e.mustAddMember(inner, sam)
	owner := models.NewReferenceCreate()
	owner.SetOdataId(ptr(e.base + "/v1.0/directoryObjects/" + alex))
	if err := e.client.Groups().ByGroupId(outer).Owners().Ref().Post(e.ctx, owner, nil); err != nil {
		t.Fatalf("add owner: %v", err)
	}
	g := e.client.Groups().ByGroupId(outer)
	ig := e.client.Groups().ByGroupId(inner)
	u := e.client.Users().ByUserId(sam)

	// The advanced query of group-list-members' example: a cast with $count, $orderby, $select.
	members, err := g.Members().GraphUser().Get(e.ctx, &groups.ItemMembersGraphUserRequestBuilderGetRequestConfiguration{
		Headers: eventual(),
		QueryParameters: &groups.ItemMembersGraphUserRequestBuilderGetQueryParameters{
			Count: ptr(true), Orderby: []string{"displayName"}, Select: []string{"displayName", "id"},
		},
	})
	if err != nil {
		t.Fatalf("members/graph.user: %v", err)
	}
	if got := ids(members.GetValue()); !slices.Equal(got, []string{alex}) || deref(members.GetOdataCount()) != 1 {
		t.Errorf("members/graph.user %v (count %d), want [%s] (1)", got, deref(members.GetOdataCount()), alex)
	}

	lists := []struct {
		name string
		get  func() ([]string, error)
		want []string
	}{
		{"members/graph.group", func() ([]string, error) {
			r, err := g.Members().GraphGroup().Get(e.ctx, nil)
			return groupIDs(r, err)
		}, []string{inner}},
		{"transitiveMembers/graph.user", func() ([]string, error) {
			r, err := g.TransitiveMembers().GraphUser().Get(e.ctx, nil)
			return userIDs(r, err)
		}, sorted(alex, sam)},
		{"transitiveMembers/graph.group", func() ([]string, error) {
			r, err := g.TransitiveMembers().GraphGroup().Get(e.ctx, nil)
			return groupIDs(r, err)
		}, []string{inner}},
		{"owners/graph.user", func() ([]string, error) {
			r, err := g.Owners().GraphUser().Get(e.ctx, nil)
			return userIDs(r, err)
		}, []string{alex}},
		{"owners/graph.group", func() ([]string, error) {
			r, err := g.Owners().GraphGroup().Get(e.ctx, nil)
			return groupIDs(r, err)
		}, []string{}},
		{"group memberOf/graph.group", func() ([]string, error) {
			r, err := ig.MemberOf().GraphGroup().Get(e.ctx, nil)
			return groupIDs(r, err)
		}, []string{outer}},
		{"group transitiveMemberOf/graph.group", func() ([]string, error) {
			r, err := ig.TransitiveMemberOf().GraphGroup().Get(e.ctx, nil)
			return groupIDs(r, err)
		}, []string{outer}},
		{"user memberOf/graph.group", func() ([]string, error) {
			r, err := u.MemberOf().GraphGroup().Get(e.ctx, nil)
			return groupIDs(r, err)
		}, []string{inner}},
		{"user transitiveMemberOf/graph.group", func() ([]string, error) {
			r, err := u.TransitiveMemberOf().GraphGroup().Get(e.ctx, &users.ItemTransitiveMemberOfGraphGroupRequestBuilderGetRequestConfiguration{
				Headers:         eventual(),
				QueryParameters: &users.ItemTransitiveMemberOfGraphGroupRequestBuilderGetQueryParameters{Count: ptr(true)},
			})
			return groupIDs(r, err)
		}, sorted(inner, outer)},
	}
	for _, tt := range lists {
		got, err := tt.get()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		} else if !slices.Equal(got, tt.want) {
			t.Errorf("%s %v, want %v", tt.name, got, tt.want)
		}
	}

	h := eventual()
	counts := []struct {
		name string
		get  func() (*int32, error)
		want int32
	}{
		{"members/graph.user/$count", func() (*int32, error) {
			return g.Members().GraphUser().Count().Get(e.ctx, &groups.ItemMembersGraphUserCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"members/graph.group/$count", func() (*int32, error) {
			return g.Members().GraphGroup().Count().Get(e.ctx, &groups.ItemMembersGraphGroupCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"transitiveMembers/$count", func() (*int32, error) {
			return g.TransitiveMembers().Count().Get(e.ctx, &groups.ItemTransitiveMembersCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 3},
		{"transitiveMembers/graph.user/$count", func() (*int32, error) {
			return g.TransitiveMembers().GraphUser().Count().Get(e.ctx, &groups.ItemTransitiveMembersGraphUserCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 2},
		{"transitiveMembers/graph.group/$count", func() (*int32, error) {
			return g.TransitiveMembers().GraphGroup().Count().Get(e.ctx, &groups.ItemTransitiveMembersGraphGroupCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"owners/$count", func() (*int32, error) {
			return g.Owners().Count().Get(e.ctx, &groups.ItemOwnersCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"owners/graph.user/$count", func() (*int32, error) {
			return g.Owners().GraphUser().Count().Get(e.ctx, &groups.ItemOwnersGraphUserCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"owners/graph.group/$count", func() (*int32, error) {
			return g.Owners().GraphGroup().Count().Get(e.ctx, &groups.ItemOwnersGraphGroupCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 0},
		{"group memberOf/$count", func() (*int32, error) {
			return ig.MemberOf().Count().Get(e.ctx, &groups.ItemMemberOfCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"group memberOf/graph.group/$count", func() (*int32, error) {
			return ig.MemberOf().GraphGroup().Count().Get(e.ctx, &groups.ItemMemberOfGraphGroupCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"group transitiveMemberOf/$count", func() (*int32, error) {
			return ig.TransitiveMemberOf().Count().Get(e.ctx, &groups.ItemTransitiveMemberOfCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"group transitiveMemberOf/graph.group/$count", func() (*int32, error) {
			return ig.TransitiveMemberOf().GraphGroup().Count().Get(e.ctx, &groups.ItemTransitiveMemberOfGraphGroupCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"user memberOf/$count", func() (*int32, error) {
			return u.MemberOf().Count().Get(e.ctx, &users.ItemMemberOfCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"user memberOf/graph.group/$count", func() (*int32, error) {
			return u.MemberOf().GraphGroup().Count().Get(e.ctx, &users.ItemMemberOfGraphGroupCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 1},
		{"user transitiveMemberOf/$count", func() (*int32, error) {
			return u.TransitiveMemberOf().Count().Get(e.ctx, &users.ItemTransitiveMemberOfCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 2},
		{"user transitiveMemberOf/graph.group/$count", func() (*int32, error) {
			return u.TransitiveMemberOf().GraphGroup().Count().Get(e.ctx, &users.ItemTransitiveMemberOfGraphGroupCountRequestBuilderGetRequestConfiguration{Headers: h})
		}, 2},
	}
	for _, tt := range counts {
		n, err := tt.get()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		} else if deref(n) != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, deref(n), tt.want)
		}
	}

	t.Run("count without ConsistencyLevel", func(t *testing.T) {
		_, err := g.Members().GraphUser().Count().Get(e.ctx, nil)
		wantODataError(t, err, http.StatusBadRequest, "Request_BadRequest", "$count is not currently supported.")
	})
	t.Run("filter without advanced query", func(t *testing.T) {
		_, err := g.Members().GraphUser().Get(e.ctx, &groups.ItemMembersGraphUserRequestBuilderGetRequestConfiguration{
			QueryParameters: &groups.ItemMembersGraphUserRequestBuilderGetQueryParameters{Filter: ptr("startswith(displayName,'alex')")},
		})
		wantODataError(t, err, http.StatusBadRequest, "Request_UnsupportedQuery",
			"Operator 'startsWith' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information")
	})
	t.Run("unknown group", func(t *testing.T) {
		const missing = "0b9c7a52-0000-4000-8000-000000000000"
		_, err := e.client.Groups().ByGroupId(missing).Members().GraphUser().Get(e.ctx, nil)
		wantODataError(t, err, http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+missing+"' does not exist or one of its queried reference-property objects are not present.")
	})
}

// userIDs and groupIDs return the sorted ids of a cast list's items.
func userIDs(r models.UserCollectionResponseable, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	return ids(r.GetValue()), nil
}

func groupIDs(r models.GroupCollectionResponseable, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	return ids(r.GetValue()), nil
}
