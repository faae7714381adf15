package conformance

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// Deleted users and groups land in /directory/deletedItems, come back with restore (with their
// memberships gone, as in Graph) and disappear for good with a permanent delete.
func TestDeletedItemsAndRestoreWithSDK(t *testing.T) {
	e := newEnv(t)
	user := e.createUser("robin", "GB")
	uid := deref(user.GetId())
	gid := deref(e.createSecurityGroup("night shift").GetId())

	if err := e.client.Users().ByUserId(uid).Delete(e.ctx, nil); err != nil {
		t.Fatalf("delete user: %v", err)
	}
	if err := e.client.Groups().ByGroupId(gid).Delete(e.ctx, nil); err != nil {
		t.Fatalf("delete group: %v", err)
	}

	deletedUsers, err := e.client.Directory().DeletedItems().GraphUser().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("deletedItems/microsoft.graph.user: %v", err)
	}
	if !slices.Contains(ids(deletedUsers.GetValue()), uid) {
		t.Fatalf("deleted user %s not in deletedItems/microsoft.graph.user", uid)
	}
	for _, u := range deletedUsers.GetValue() {
		if deref(u.GetId()) == uid && u.GetDeletedDateTime() == nil {
			t.Errorf("deleted user without deletedDateTime")
		}
	}
	deletedGroups, err := e.client.Directory().DeletedItems().GraphGroup().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("deletedItems/microsoft.graph.group: %v", err)
	}
	if !slices.Contains(ids(deletedGroups.GetValue()), gid) {
		t.Fatalf("deleted group %s not in deletedItems/microsoft.graph.group", gid)
	}

	obj, err := e.client.Directory().DeletedItems().ByDirectoryObjectId(uid).Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("deletedItems/{id}: %v", err)
	}
	// Entra renames a deleted user: its id without hyphens, then the name it had.
	renamed := strings.ReplaceAll(uid, "-", "") + deref(user.GetUserPrincipalName())
	if u, ok := obj.(models.Userable); !ok || deref(u.GetUserPrincipalName()) != renamed {
		t.Errorf("deletedItems/{id} decoded as %T, want the deleted user named %s", obj, renamed)
	}

	restored, err := e.client.Directory().DeletedItems().ByDirectoryObjectId(uid).Restore().Post(e.ctx, nil)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if u, ok := restored.(models.Userable); !ok || deref(u.GetId()) != uid || deref(u.GetUserPrincipalName()) != deref(user.GetUserPrincipalName()) {
		t.Fatalf("restore answered %T, want the user with its own name", restored)
	}
	back, err := e.client.Users().ByUserId(uid).Get(e.ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: []string{"id", "usageLocation"}},
	})
	if err != nil {
		t.Fatalf("get restored user: %v", err)
	}
	if deref(back.GetUsageLocation()) != "GB" {
		t.Errorf("restored user's usageLocation %q, want GB", deref(back.GetUsageLocation()))
	}

	if err := e.client.Directory().DeletedItems().ByDirectoryObjectId(gid).Delete(e.ctx, nil); err != nil {
		t.Fatalf("permanent delete: %v", err)
	}
	_, err = e.client.Directory().DeletedItems().ByDirectoryObjectId(gid).Get(e.ctx, nil)
	wantODataError(t, err, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+gid+"' does not exist or one of its queried reference-property objects are not present.")
}

// The deleted-items operations' exact status codes over raw HTTP.
func TestDeletedItemsStatusCodes(t *testing.T) {
	e := newEnv(t)
	uid := deref(e.createUser("drew", "").GetId())
	e.do(http.MethodDelete, "/users/"+uid, nil).wantStatus(t, http.StatusNoContent)

	r := e.do(http.MethodPost, "/directory/deletedItems/"+uid+"/restore", nil)
	r.wantStatus(t, http.StatusOK)
	var restored struct {
		Context string `json:"@odata.context"`
		Type    string `json:"@odata.type"`
		ID      string `json:"id"`
	}
	r.decode(t, &restored)
	if restored.Type != "#microsoft.graph.user" || restored.ID != uid {
		t.Errorf("restore answered @odata.type %q id %q, want #microsoft.graph.user %s", restored.Type, restored.ID, uid)
	}
	if !strings.HasSuffix(restored.Context, "$metadata#directoryObjects/$entity") {
		t.Errorf("restore @odata.context %q, want …$metadata#directoryObjects/$entity", restored.Context)
	}
	e.do(http.MethodPost, "/directory/deletedItems/"+uid+"/restore", nil).wantError(t, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+uid+"' does not exist or one of its queried reference-property objects are not present.")

	e.do(http.MethodDelete, "/users/"+uid, nil).wantStatus(t, http.StatusNoContent)
	e.do(http.MethodDelete, "/directory/deletedItems/"+uid, nil).wantStatus(t, http.StatusNoContent)
	e.do(http.MethodGet, "/directory/deletedItems/"+uid, nil).wantError(t, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+uid+"' does not exist or one of its queried reference-property objects are not present.")
}
