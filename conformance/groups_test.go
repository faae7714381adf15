package conformance

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/directoryobjects"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// createSecurityGroup creates a security group through the SDK.
func (e *env) createSecurityGroup(nick string) models.Groupable {
	e.t.Helper()
	g := models.NewGroup()
	g.SetDisplayName(ptr(e.name(nick)))
	g.SetMailNickname(ptr(e.nick(nick)))
	g.SetMailEnabled(ptr(false))
	g.SetSecurityEnabled(ptr(true))
	got, err := e.client.Groups().Post(e.ctx, g, nil)
	if err != nil {
		e.t.Fatalf("create group %s: %v", nick, err)
	}
	return got
}

// addMember adds a directory object to a group through the SDK (POST members/$ref).
func (e *env) addMember(groupID, memberID string) error {
	ref := models.NewReferenceCreate()
	ref.SetOdataId(ptr(e.base + "/v1.0/directoryObjects/" + memberID))
	return e.client.Groups().ByGroupId(groupID).Members().Ref().Post(e.ctx, ref, nil)
}

func (e *env) mustAddMember(groupID, memberID string) {
	e.t.Helper()
	if err := e.addMember(groupID, memberID); err != nil {
		e.t.Fatalf("add %s to group %s: %v", memberID, groupID, err)
	}
}

func ids[T interface{ GetId() *string }](items []T) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = deref(it.GetId())
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// A group's life through the SDK: create (security and Microsoft 365), read, update, list
// with $filter, delete.
func TestGroupLifecycleWithSDK(t *testing.T) {
	e := newEnv(t)
	sec := e.createSecurityGroup("dispatch")
	id := deref(sec.GetId())
	if !deref(sec.GetSecurityEnabled()) || deref(sec.GetMailEnabled()) {
		t.Errorf("security group: securityEnabled %v mailEnabled %v", deref(sec.GetSecurityEnabled()), deref(sec.GetMailEnabled()))
	}

	m365 := models.NewGroup()
	m365.SetDisplayName(ptr(e.name("harbour crew")))
	m365.SetMailNickname(ptr(e.nick("harbour-crew")))
	m365.SetMailEnabled(ptr(true))
	m365.SetSecurityEnabled(ptr(false))
	m365.SetGroupTypes([]string{"Unified"})
	unified, err := e.client.Groups().Post(e.ctx, m365, nil)
	if err != nil {
		t.Fatalf("create Microsoft 365 group: %v", err)
	}
	if !slices.Contains(unified.GetGroupTypes(), "Unified") {
		t.Errorf("groupTypes %v, want Unified", unified.GetGroupTypes())
	}

	patch := models.NewGroup()
	patch.SetDescription(ptr("Night dispatch"))
	if _, err := e.client.Groups().ByGroupId(id).Patch(e.ctx, patch, nil); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, err := e.client.Groups().ByGroupId(id).Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if deref(got.GetDescription()) != "Night dispatch" {
		t.Errorf("description %q after update", deref(got.GetDescription()))
	}

	// $filter with $orderby is an advanced query: ConsistencyLevel: eventual and $count=true.
	list, err := e.client.Groups().Get(e.ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
		Headers: eventual(),
		QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{
			Count:   ptr(true),
			Filter:  ptr("startswith(displayName,'harbour crew " + e.suffix + "') or startswith(displayName,'dispatch " + e.suffix + "')"),
			Orderby: []string{"displayName"},
		},
	})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	var names []string
	for _, g := range list.GetValue() {
		names = append(names, deref(g.GetDisplayName()))
	}
	if want := []string{e.name("dispatch"), e.name("harbour crew")}; !slices.Equal(names, want) {
		t.Errorf("listed %q, want %q", names, want)
	}

	if err := e.client.Groups().ByGroupId(id).Delete(e.ctx, nil); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = e.client.Groups().ByGroupId(id).Get(e.ctx, nil)
	wantODataError(t, err, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
}

// Members and owners through $ref, memberOf, nested groups and transitive lists, and the
// errors Graph gives for duplicate, missing and non-member references.
func TestMembershipWithSDK(t *testing.T) {
	e := newEnv(t)
	outer := deref(e.createSecurityGroup("warehouse").GetId())
	inner := deref(e.createSecurityGroup("forklift").GetId())
	alex := deref(e.createUser("alex", "US").GetId())
	sam := deref(e.createUser("sam", "US").GetId())

	e.mustAddMember(outer, alex)
	e.mustAddMember(outer, inner)
	e.mustAddMember(inner, sam)

	members, err := e.client.Groups().ByGroupId(outer).Members().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("members: %v", err)
	}
	if got, want := ids(members.GetValue()), sorted(alex, inner); !slices.Equal(got, want) {
		t.Errorf("members %v, want %v", got, want)
	}
	for _, m := range members.GetValue() {
		switch m.(type) {
		case models.Userable, models.Groupable:
		default:
			t.Errorf("member %s decoded as %T, want a user or a group (from @odata.type)", deref(m.GetId()), m)
		}
	}

	trans, err := e.client.Groups().ByGroupId(outer).TransitiveMembers().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("transitiveMembers: %v", err)
	}
	if got, want := ids(trans.GetValue()), sorted(alex, inner, sam); !slices.Equal(got, want) {
		t.Errorf("transitiveMembers %v, want %v", got, want)
	}

	memberOf, err := e.client.Users().ByUserId(sam).MemberOf().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("memberOf: %v", err)
	}
	if got := ids(memberOf.GetValue()); !slices.Equal(got, []string{inner}) {
		t.Errorf("sam memberOf %v, want [%s]", got, inner)
	}
	transOf, err := e.client.Users().ByUserId(sam).TransitiveMemberOf().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("transitiveMemberOf: %v", err)
	}
	if got, want := ids(transOf.GetValue()), sorted(inner, outer); !slices.Equal(got, want) {
		t.Errorf("sam transitiveMemberOf %v, want %v", got, want)
	}
	groupOf, err := e.client.Groups().ByGroupId(inner).MemberOf().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("group memberOf: %v", err)
	}
	if got := ids(groupOf.GetValue()); !slices.Equal(got, []string{outer}) {
		t.Errorf("forklift memberOf %v, want [%s]", got, outer)
	}
	groupTransOf, err := e.client.Groups().ByGroupId(inner).TransitiveMemberOf().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("group transitiveMemberOf: %v", err)
	}
	if got := ids(groupTransOf.GetValue()); !slices.Equal(got, []string{outer}) {
		t.Errorf("forklift transitiveMemberOf %v, want [%s]", got, outer)
	}

	count, err := e.client.Groups().ByGroupId(outer).Members().Count().Get(e.ctx, &groups.ItemMembersCountRequestBuilderGetRequestConfiguration{Headers: eventual()})
	if err != nil {
		t.Fatalf("members/$count: %v", err)
	}
	if deref(count) != 2 {
		t.Errorf("members/$count %d, want 2", deref(count))
	}

	t.Run("adding a member twice", func(t *testing.T) {
		wantODataError(t, e.addMember(outer, alex), http.StatusBadRequest, "Request_BadRequest",
			"One or more added object references already exist for the following modified properties: 'members'.")
	})
	t.Run("adding an object that does not exist", func(t *testing.T) {
		const missing = "0b9c7a52-0000-4000-8000-000000000000"
		wantODataError(t, e.addMember(outer, missing), http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+missing+"' does not exist or one of its queried reference-property objects are not present.")
	})
	t.Run("removing a member", func(t *testing.T) {
		if err := e.client.Groups().ByGroupId(outer).Members().ByDirectoryObjectId(alex).Ref().Delete(e.ctx, nil); err != nil {
			t.Fatalf("remove: %v", err)
		}
		after, err := e.client.Groups().ByGroupId(outer).Members().Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("members: %v", err)
		}
		if got := ids(after.GetValue()); !slices.Equal(got, []string{inner}) {
			t.Errorf("members after removal %v, want [%s]", got, inner)
		}
	})
	t.Run("removing a non-member", func(t *testing.T) {
		err := e.client.Groups().ByGroupId(outer).Members().ByDirectoryObjectId(alex).Ref().Delete(e.ctx, nil)
		wantODataError(t, err, http.StatusBadRequest, "Request_BadRequest",
			"One or more removed object references do not exist for the following modified properties: 'members'.")
	})

	t.Run("owners", func(t *testing.T) {
		ref := models.NewReferenceCreate()
		ref.SetOdataId(ptr(e.base + "/v1.0/users/" + sam))
		if err := e.client.Groups().ByGroupId(outer).Owners().Ref().Post(e.ctx, ref, nil); err != nil {
			t.Fatalf("add owner: %v", err)
		}
		owners, err := e.client.Groups().ByGroupId(outer).Owners().Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("owners: %v", err)
		}
		if got := ids(owners.GetValue()); !slices.Equal(got, []string{sam}) {
			t.Errorf("owners %v, want [%s]", got, sam)
		}
		if err := e.client.Groups().ByGroupId(outer).Owners().ByDirectoryObjectId(sam).Ref().Delete(e.ctx, nil); err != nil {
			t.Fatalf("remove owner: %v", err)
		}
		owners, err = e.client.Groups().ByGroupId(outer).Owners().Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("owners: %v", err)
		}
		if n := len(owners.GetValue()); n != 0 {
			t.Errorf("%d owners after removal, want 0", n)
		}
	})
}

// The exact status codes of the $ref operations and the group operations, over raw HTTP.
func TestGroupStatusCodesAndErrors(t *testing.T) {
	e := newEnv(t)
	r := e.do(http.MethodPost, "/groups", map[string]any{
		"displayName": e.name("Yard"), "mailNickname": e.nick("yard"), "mailEnabled": false, "securityEnabled": true,
	})
	r.wantStatus(t, http.StatusCreated)
	var g struct {
		ID      string `json:"id"`
		Context string `json:"@odata.context"`
	}
	r.decode(t, &g)
	if !strings.HasSuffix(g.Context, "$metadata#groups/$entity") {
		t.Errorf("@odata.context %q, want …$metadata#groups/$entity", g.Context)
	}
	user := deref(e.createUser("jules", "US").GetId())

	ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + user}
	add := e.do(http.MethodPost, "/groups/"+g.ID+"/members/$ref", ref)
	add.wantStatus(t, http.StatusNoContent)
	if len(add.Body) != 0 {
		t.Errorf("members/$ref POST: 204 with a body %s", add.Body)
	}
	e.do(http.MethodPost, "/groups/"+g.ID+"/members/$ref", map[string]any{}).wantError(t, http.StatusBadRequest, "Request_BadRequest",
		"The request body must contain an @odata.id reference to a directory object.")
	e.do(http.MethodPost, "/groups/"+g.ID+"/members/$ref", map[string]any{"@odata.id": "not a url"}).wantError(t, http.StatusBadRequest, "Request_BadRequest",
		"Invalid URL format specified in @odata.id.")

	r = e.do(http.MethodGet, "/groups/"+g.ID+"/members", nil)
	r.wantStatus(t, http.StatusOK)
	var members struct {
		Context string `json:"@odata.context"`
		Value   []struct {
			Type string `json:"@odata.type"`
			ID   string `json:"id"`
		} `json:"value"`
	}
	r.decode(t, &members)
	if !strings.HasSuffix(members.Context, "$metadata#directoryObjects") {
		t.Errorf("members @odata.context %q, want …$metadata#directoryObjects", members.Context)
	}
	if len(members.Value) != 1 || members.Value[0].Type != "#microsoft.graph.user" || members.Value[0].ID != user {
		t.Errorf("members %+v, want the one user with @odata.type #microsoft.graph.user", members.Value)
	}

	e.do(http.MethodDelete, "/groups/"+g.ID+"/members/"+user+"/$ref", nil).wantStatus(t, http.StatusNoContent)
	e.do(http.MethodPatch, "/groups/"+g.ID, map[string]any{"description": "Yard crew"}).wantStatus(t, http.StatusNoContent)
	e.do(http.MethodPost, "/groups", map[string]any{"displayName": e.name("No nickname"), "mailEnabled": false, "securityEnabled": true}).wantError(t, http.StatusBadRequest, "Request_BadRequest",
		"Property mailNickname value is required but is empty or missing.")
	e.do(http.MethodGet, "/groups/$count", nil).wantError(t, http.StatusBadRequest, "Request_BadRequest", "$count is not currently supported.")
	e.do(http.MethodDelete, "/groups/"+g.ID, nil).wantStatus(t, http.StatusNoContent)
}

// getByIds and directoryObjects/{id} return users and groups typed by @odata.type.
func TestDirectoryObjectsWithSDK(t *testing.T) {
	e := newEnv(t)
	u := deref(e.createUser("kim", "").GetId())
	g := deref(e.createSecurityGroup("kim's team").GetId())

	body := directoryobjects.NewGetByIdsPostRequestBody()
	body.SetIds([]string{u, g})
	body.SetTypes([]string{"user", "group"})
	res, err := e.client.DirectoryObjects().GetByIds().PostAsGetByIdsPostResponse(e.ctx, body, nil)
	if err != nil {
		t.Fatalf("getByIds: %v", err)
	}
	if got, want := ids(res.GetValue()), sorted(u, g); !slices.Equal(got, want) {
		t.Errorf("getByIds %v, want %v", got, want)
	}
	for _, o := range res.GetValue() {
		_, isUser := o.(models.Userable)
		_, isGroup := o.(models.Groupable)
		if (deref(o.GetId()) == u) != isUser || (deref(o.GetId()) == g) != isGroup {
			t.Errorf("getByIds item %s decoded as %T", deref(o.GetId()), o)
		}
	}

	obj, err := e.client.DirectoryObjects().ByDirectoryObjectId(g).Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("directoryObjects/{id}: %v", err)
	}
	if grp, ok := obj.(models.Groupable); !ok || deref(grp.GetDisplayName()) != e.name("kim's team") {
		t.Errorf("directoryObjects/{id} decoded as %T, want the group", obj)
	}
}
