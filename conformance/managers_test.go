package conformance

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// A user's manager and direct reports through the SDK: PUT/GET/DELETE manager/$ref, GET manager,
// directReports with its /$count, the user cast and its /$count.
func TestManagerWithSDK(t *testing.T) {
	e := newEnv(t)
	boss := deref(e.createUser("boss", "US").GetId())
	ana := deref(e.createUser("ana", "US").GetId())
	ben := deref(e.createUser("ben", "US").GetId())
	set := func(user, manager string) {
		t.Helper()
		ref := models.NewReferenceUpdate()
		ref.SetOdataId(ptr(e.base + "/v1.0/users/" + manager))
		if err := e.client.Users().ByUserId(user).Manager().Ref().Put(e.ctx, ref, nil); err != nil {
			t.Fatalf("set manager: %v", err)
		}
	}
	set(ana, boss)
	set(ben, boss)

	m, err := e.client.Users().ByUserId(ana).Manager().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("get manager: %v", err)
	}
	if u, ok := m.(models.Userable); !ok || deref(u.GetId()) != boss {
		t.Fatalf("manager %T %v, want user %s", m, deref(m.GetId()), boss)
	}
	// GET manager/$ref answers Graph's reference object ({"@odata.id": …}); Microsoft's OpenAPI file
	// calls the body a string, so the SDK's Ref().Get() can't decode it: read it over HTTP.
	if r := e.do(http.MethodGet, "/users/"+ana+"/manager/$ref", nil); r.Status != http.StatusOK ||
		!strings.Contains(string(r.Body), "/directoryObjects/"+boss+"/Microsoft.DirectoryServices.User") {
		t.Fatalf("get manager/$ref: %d %s", r.Status, r.Body)
	}

	reports, err := e.client.Users().ByUserId(boss).DirectReports().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("directReports: %v", err)
	}
	want := []string{ana, ben}
	slices.Sort(want)
	got := ids(reports.GetValue())
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("directReports %v, want %v", got, want)
	}
	asUsers, err := e.client.Users().ByUserId(boss).DirectReports().GraphUser().Get(e.ctx, nil)
	if err != nil || len(asUsers.GetValue()) != 2 {
		t.Fatalf("directReports/graph.user: %v", err)
	}
	h := eventual()
	n, err := e.client.Users().ByUserId(boss).DirectReports().Count().Get(e.ctx, &users.ItemDirectReportsCountRequestBuilderGetRequestConfiguration{Headers: h})
	if err != nil || deref(n) != 2 {
		t.Fatalf("directReports/$count %v, %v", deref(n), err)
	}
	n, err = e.client.Users().ByUserId(boss).DirectReports().GraphUser().Count().Get(e.ctx, &users.ItemDirectReportsGraphUserCountRequestBuilderGetRequestConfiguration{Headers: h})
	if err != nil || deref(n) != 2 {
		t.Fatalf("directReports/graph.user/$count %v, %v", deref(n), err)
	}

	if err := e.client.Users().ByUserId(ana).Manager().Ref().Delete(e.ctx, nil); err != nil {
		t.Fatalf("remove manager: %v", err)
	}
	const noManager = "Resource 'manager' does not exist or one of its queried reference-property objects are not present."
	e.do(http.MethodGet, "/users/"+ana+"/manager", nil).wantError(t, http.StatusNotFound, "Request_ResourceNotFound", noManager)
	e.do(http.MethodDelete, "/users/"+ana+"/manager/$ref", nil).wantError(t, http.StatusNotFound, "Request_ResourceNotFound", noManager)
	e.do(http.MethodPut, "/users/"+ana+"/manager/$ref", map[string]any{"@odata.id": e.base + "/v1.0/users/" + ana}).
		wantError(t, http.StatusBadRequest, "Request_BadRequest", "A user cannot be assigned as their own manager.")
}
