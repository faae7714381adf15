package conformance

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/auditlogs"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// audits lists directory audit records through the SDK with a $filter, following every page.
func (e *env) audits(filter string, top int32) []models.DirectoryAuditable {
	e.t.Helper()
	cfg := &auditlogs.DirectoryAuditsRequestBuilderGetRequestConfiguration{
		QueryParameters: &auditlogs.DirectoryAuditsRequestBuilderGetQueryParameters{Filter: ptr(filter)},
	}
	if top > 0 {
		cfg.QueryParameters.Top = ptr(top)
	}
	page, err := e.client.AuditLogs().DirectoryAudits().Get(e.ctx, cfg)
	if err != nil {
		e.t.Fatalf("directoryAudits $filter=%s: %v", filter, err)
	}
	it, err := msgraphgocore.NewPageIterator[models.DirectoryAuditable](page, e.adapter, models.CreateDirectoryAuditCollectionResponseFromDiscriminatorValue)
	if err != nil {
		e.t.Fatalf("page iterator: %v", err)
	}
	var out []models.DirectoryAuditable
	if err := it.Iterate(e.ctx, func(a models.DirectoryAuditable) bool {
		out = append(out, a)
		return true
	}); err != nil {
		e.t.Fatalf("directoryAudits $filter=%s: iterate: %v", filter, err)
	}
	return out
}

func activityNames(as []models.DirectoryAuditable) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = deref(a.GetActivityDisplayName())
	}
	return out
}

// Directory changes are audited and can be found with the filters Graph documents: activity,
// category, target, initiator, time range, startswith; newest first; paged with $top.
func TestDirectoryAuditsWithSDK(t *testing.T) {
	e := newEnv(t)
	uid := deref(e.createUser("pat", "US").GetId())
	gid := deref(e.createSecurityGroup("audit crew").GetId())
	e.mustAddMember(gid, uid)
	patch := models.NewUser()
	patch.SetJobTitle(ptr("Auditor"))
	if _, err := e.client.Users().ByUserId(uid).Patch(e.ctx, patch, nil); err != nil {
		t.Fatalf("update user: %v", err)
	}
	if err := e.client.Groups().ByGroupId(gid).Members().ByDirectoryObjectId(uid).Ref().Delete(e.ctx, nil); err != nil {
		t.Fatalf("remove member: %v", err)
	}

	added := e.audits("activityDisplayName eq 'Add user' and targetResources/any(t:t/id eq '"+uid+"')", 0)
	if len(added) != 1 {
		t.Fatalf("%d 'Add user' records for the new user, want 1", len(added))
	}
	a := added[0]
	if deref(a.GetCategory()) != "UserManagement" || deref(a.GetLoggedByService()) != "Core Directory" ||
		a.GetResult() == nil || *a.GetResult() != models.SUCCESS_OPERATIONRESULT {
		t.Errorf("'Add user': category %q loggedByService %q result %v", deref(a.GetCategory()), deref(a.GetLoggedByService()), a.GetResult())
	}
	if a.GetActivityDateTime() == nil || a.GetInitiatedBy() == nil {
		t.Fatalf("'Add user' without activityDateTime or initiatedBy")
	}
	start := a.GetActivityDateTime().UTC()

	t.Run("by id", func(t *testing.T) {
		got, err := e.client.AuditLogs().DirectoryAudits().ByDirectoryAuditId(deref(a.GetId())).Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("directoryAudits/{id}: %v", err)
		}
		if deref(got.GetActivityDisplayName()) != "Add user" || deref(got.GetCorrelationId()) != deref(a.GetCorrelationId()) {
			t.Errorf("directoryAudits/{id} gives %q", deref(got.GetActivityDisplayName()))
		}
	})

	t.Run("group category and target, newest first", func(t *testing.T) {
		got := activityNames(e.audits("category eq 'GroupManagement' and targetResources/any(t:t/id eq '"+gid+"')", 0))
		want := []string{"Remove member from group", "Add member to group", "Add group"}
		if !slices.Equal(got, want) {
			t.Errorf("group's records %q, want %q", got, want)
		}
	})

	t.Run("the user's records since it was created, paged", func(t *testing.T) {
		filter := "activityDateTime ge " + start.Format(time.RFC3339Nano) + " and targetResources/any(t:t/id eq '" + uid + "')"
		got := e.audits(filter, 1)
		names := activityNames(got)
		for _, want := range []string{"Add user", "Update user", "Add member to group", "Remove member from group"} {
			if !slices.Contains(names, want) {
				t.Errorf("records %q lack %q", names, want)
			}
		}
		for i := 1; i < len(got); i++ {
			if got[i].GetActivityDateTime().After(*got[i-1].GetActivityDateTime()) {
				t.Errorf("records not newest first at %d", i)
			}
		}
		for _, r := range got {
			if r.GetActivityDateTime().Before(start) {
				t.Errorf("record at %v before the filter's %v", r.GetActivityDateTime(), start)
			}
		}
	})

	t.Run("startswith and initiator", func(t *testing.T) {
		var filter string
		if u := a.GetInitiatedBy().GetUser(); u != nil && deref(u.GetUserPrincipalName()) != "" {
			filter = "initiatedBy/user/userPrincipalName eq '" + deref(u.GetUserPrincipalName()) + "'"
		} else if app := a.GetInitiatedBy().GetApp(); app != nil {
			filter = "initiatedBy/app/displayName eq '" + deref(app.GetDisplayName()) + "'"
		} else {
			t.Fatalf("'Add user' initiated by neither a user nor an app")
		}
		got := e.audits("startswith(activityDisplayName,'Add member') and "+filter+" and targetResources/any(t:t/id eq '"+gid+"')", 0)
		if names := activityNames(got); !slices.Equal(names, []string{"Add member to group"}) {
			t.Errorf("records %q, want the one 'Add member to group'", names)
		}
	})

	t.Run("unsupported filter", func(t *testing.T) {
		e.do(http.MethodGet, "/auditLogs/directoryAudits?$filter="+url.QueryEscape("loggedByService ne 'x'"), nil).wantError(t, http.StatusBadRequest,
			"Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property 'loggedByService' of resource 'DirectoryAudit'.")
	})
}
