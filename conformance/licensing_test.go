package conformance

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"
)

// Direct license assignment through the SDK: assignLicense, licenseDetails, seats,
// licenseAssignmentStates, toggling plans, reprocessLicenseAssignment, removal, and the 400s.
func TestDirectLicensingWithSDK(t *testing.T) {
	e := newEnv(t)
	e3 := e.skuByPart("ENTERPRISEPACK")
	sku := skuID(e3)
	sway := plans(t, e3, "SWAY")
	uid := deref(e.createUser("morgan", "US").GetId())
	before := e.consumed(sku)

	u := e.mustAssignUserLicense(uid, []license{{sku, sway}})
	if deref(u.GetId()) != uid {
		t.Errorf("assignLicense answered user %q, want %q", deref(u.GetId()), uid)
	}
	if got := e.consumed(sku); got != before+1 {
		t.Errorf("consumedUnits %d, want %d", got, before+1)
	}
	u = e.licensing(uid)
	if l := assigned(u, sku); l == nil || !sameSet(l.GetDisabledPlans(), sway) {
		t.Fatalf("assignedLicenses %v, want E3 with SWAY disabled", u.GetAssignedLicenses())
	}
	p := paths(u, sku)
	if len(p) != 1 || p[""].state != "Active" || p[""].err != "None" || !sameSet(p[""].disabled, sway) {
		t.Errorf("licenseAssignmentStates %+v, want one Active direct path with error None and SWAY disabled", p)
	}
	enabled := e.enabledPlanNames(uid, sku)
	if slices.Contains(enabled, "SWAY") || len(enabled) != len(e3.GetServicePlans())-1 {
		t.Errorf("licenseDetails enabled plans %v, want every E3 plan but SWAY", enabled)
	}

	// Adding a SKU the user holds replaces its disabledPlans.
	e.mustAssignUserLicense(uid, []license{{sku, nil}})
	if l := assigned(e.licensing(uid), sku); l == nil || len(l.GetDisabledPlans()) != 0 {
		t.Errorf("after re-adding E3 without disabled plans: %v", l)
	}
	if got := e.consumed(sku); got != before+1 {
		t.Errorf("consumedUnits %d after re-adding, want %d (one seat per user)", got, before+1)
	}

	re, err := e.client.Users().ByUserId(uid).ReprocessLicenseAssignment().Post(e.ctx, nil)
	if err != nil {
		t.Fatalf("reprocessLicenseAssignment: %v", err)
	}
	if deref(re.GetId()) != uid {
		t.Errorf("reprocessLicenseAssignment answered user %q", deref(re.GetId()))
	}

	e.mustAssignUserLicense(uid, nil, sku)
	if got := e.licensing(uid).GetAssignedLicenses(); len(got) != 0 {
		t.Errorf("assignedLicenses after removal: %d entries", len(got))
	}
	if got := e.consumed(sku); got != before {
		t.Errorf("consumedUnits %d after removal, want %d", got, before)
	}

	unknown := uuid.MustParse("11111111-2222-4333-8444-555555555555")
	noLocation := deref(e.createUser("nolocation", "").GetId())
	tests := []struct {
		name    string
		uid     string
		adds    []license
		removes []uuid.UUID
		message string
	}{
		{"SKU the tenant doesn't have", uid, []license{{unknown, nil}}, nil, "License " + unknown.String() + " does not correspond to a valid company License."},
		{"removing a SKU the user doesn't have", uid, nil, []uuid.UUID{sku}, "User does not have a corresponding license."},
		{"user without usage location", noLocation, []license{{sku, nil}}, nil, "License assignment cannot be done for user with invalid usage location."},
		{"disabled plan outside the SKU", uid, []license{{sku, []uuid.UUID{unknown}}}, nil, "Service plan " + unknown.String() + " does not belong to subscription " + sku.String() + "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.assignUserLicense(tt.uid, tt.adds, tt.removes...)
			wantODataError(t, err, http.StatusBadRequest, "Request_BadRequest", tt.message)
		})
	}
	if got := e.consumed(sku); got != before {
		t.Errorf("consumedUnits %d after refused calls, want %d", got, before)
	}
}

// The licensing operations' exact status codes, headers and error bodies over raw HTTP.
func TestLicensingStatusCodes(t *testing.T) {
	e := newEnv(t)
	sku := skuID(e.skuByPart("EMS")).String()
	uid := deref(e.createUser("reese", "PL").GetId())
	gid := deref(e.createSecurityGroup("ems raw").GetId())
	e.mustAddMember(gid, uid)
	org := e.do(http.MethodGet, "/organization", nil)
	org.wantStatus(t, http.StatusOK)
	var orgs struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	org.decode(t, &orgs)

	body := map[string]any{"addLicenses": []any{map[string]any{"skuId": sku, "disabledPlans": []string{}}}, "removeLicenses": []string{}}
	e.do(http.MethodPost, "/users/"+uid+"/assignLicense", body).wantStatus(t, http.StatusOK)
	e.do(http.MethodPost, "/users/"+uid+"/microsoft.graph.assignLicense", map[string]any{"addLicenses": []any{}, "removeLicenses": []string{sku}}).wantStatus(t, http.StatusOK)

	r := e.do(http.MethodPost, "/groups/"+gid+"/assignLicense", body)
	r.wantStatus(t, http.StatusAccepted)
	if want := "https://graph.microsoft.com/v2/" + orgs.Value[0].ID + "/directoryObjects/" + gid + "/Microsoft.DirectoryServices.Group"; r.Header.Get("Location") != want {
		t.Errorf("Location %q, want %q", r.Header.Get("Location"), want)
	}
	e.drain()
	r = e.do(http.MethodGet, "/groups/"+gid+"?$select=id,licenseProcessingState,assignedLicenses", nil)
	r.wantStatus(t, http.StatusOK)
	var g struct {
		LicenseProcessingState struct {
			State string `json:"state"`
		} `json:"licenseProcessingState"`
	}
	r.decode(t, &g)
	if g.LicenseProcessingState.State != "ProcessingComplete" {
		t.Errorf("licenseProcessingState %q after drain, want ProcessingComplete", g.LicenseProcessingState.State)
	}
	e.do(http.MethodPost, "/users/"+uid+"/reprocessLicenseAssignment", nil).wantStatus(t, http.StatusOK)
	e.do(http.MethodGet, "/users/"+uid+"/licenseDetails", nil).wantStatus(t, http.StatusOK)
	e.do(http.MethodGet, "/groups/"+gid+"/membersWithLicenseErrors", nil).wantStatus(t, http.StatusOK)

	e.do(http.MethodPost, "/users/"+uid+"/assignLicense", map[string]any{"addLicenses": []any{}}).wantError(t, http.StatusBadRequest, "Request_BadRequest",
		"One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: removeLicenses.")
	e.do(http.MethodPost, "/users/"+uid+"/assignLicense", map[string]any{"addLicenses": []any{}, "removeLicenses": []string{sku}}).wantError(t, http.StatusBadRequest, "Request_BadRequest",
		"User license is inherited from a group membership and it cannot be removed directly from the user.")
	e.do(http.MethodDelete, "/groups/"+gid, nil).wantError(t, http.StatusBadRequest, "Request_BadRequest",
		"It isn't possible to delete a group with an active license assigned. Remove all licenses from the group before deleting it.")
}
