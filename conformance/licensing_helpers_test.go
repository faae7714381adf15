package conformance

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// license is one addLicenses entry: a SKU and the plans disabled on this path.
type license struct {
	sku      uuid.UUID
	disabled []uuid.UUID
}

func skuID(s models.SubscribedSkuable) uuid.UUID { return *s.GetSkuId() }

// plansExcept returns the SKU's plan ids other than the named ones: the disabledPlans that
// enable only those plans.
func plansExcept(t *testing.T, sku models.SubscribedSkuable, enabled ...string) []uuid.UUID {
	t.Helper()
	var out []uuid.UUID
	found := 0
	for _, p := range sku.GetServicePlans() {
		if slices.Contains(enabled, deref(p.GetServicePlanName())) {
			found++
			continue
		}
		out = append(out, *p.GetServicePlanId())
	}
	if found != len(enabled) {
		t.Fatalf("SKU %s lacks some of %v", deref(sku.GetSkuPartNumber()), enabled)
	}
	return out
}

// plans returns the ids of the named plans of the SKU.
func plans(t *testing.T, sku models.SubscribedSkuable, names ...string) []uuid.UUID {
	t.Helper()
	out := make([]uuid.UUID, len(names))
	for i, n := range names {
		out[i] = uuid.MustParse(planID(t, sku, n))
	}
	return out
}

func assignedLicenses(adds []license) []models.AssignedLicenseable {
	out := make([]models.AssignedLicenseable, len(adds))
	for i, a := range adds {
		l := models.NewAssignedLicense()
		l.SetSkuId(ptr(a.sku))
		l.SetDisabledPlans(append([]uuid.UUID{}, a.disabled...))
		out[i] = l
	}
	return out
}

// assignUserLicense calls POST /users/{id}/assignLicense through the SDK.
func (e *env) assignUserLicense(uid string, adds []license, removes ...uuid.UUID) (models.Userable, error) {
	body := users.NewItemAssignLicensePostRequestBody()
	body.SetAddLicenses(assignedLicenses(adds))
	body.SetRemoveLicenses(append([]uuid.UUID{}, removes...))
	return e.client.Users().ByUserId(uid).AssignLicense().Post(e.ctx, body, nil)
}

func (e *env) mustAssignUserLicense(uid string, adds []license, removes ...uuid.UUID) models.Userable {
	e.t.Helper()
	u, err := e.assignUserLicense(uid, adds, removes...)
	if err != nil {
		e.t.Fatalf("assignLicense on user %s: %v", uid, err)
	}
	return u
}

// assignGroupLicense calls POST /groups/{id}/assignLicense through the SDK.
func (e *env) assignGroupLicense(gid string, adds []license, removes ...uuid.UUID) (models.Groupable, error) {
	body := groups.NewItemAssignLicensePostRequestBody()
	body.SetAddLicenses(assignedLicenses(adds))
	body.SetRemoveLicenses(append([]uuid.UUID{}, removes...))
	return e.client.Groups().ByGroupId(gid).AssignLicense().Post(e.ctx, body, nil)
}

func (e *env) mustAssignGroupLicense(gid string, adds []license, removes ...uuid.UUID) models.Groupable {
	e.t.Helper()
	g, err := e.assignGroupLicense(gid, adds, removes...)
	if err != nil {
		e.t.Fatalf("assignLicense on group %s: %v", gid, err)
	}
	return g
}

// drain waits until graphmock has applied all queued background work (group license
// processing, dynamic membership), through the control plane.
func (e *env) drain() {
	e.t.Helper()
	e.do(http.MethodPost, "/_graphmock/processing/drain", nil).wantStatus(e.t, http.StatusOK)
}

// licensing reads a user's license properties (returned only on $select).
func (e *env) licensing(uid string) models.Userable {
	e.t.Helper()
	u, err := e.client.Users().ByUserId(uid).Get(e.ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{
			Select: []string{"id", "userPrincipalName", "usageLocation", "assignedLicenses", "assignedPlans", "licenseAssignmentStates"},
		},
	})
	if err != nil {
		e.t.Fatalf("get user %s licensing: %v", uid, err)
	}
	return u
}

// groupLicensing reads a group's assignedLicenses and licenseProcessingState.
func (e *env) groupLicensing(gid string) models.Groupable {
	e.t.Helper()
	g, err := e.client.Groups().ByGroupId(gid).Get(e.ctx, &groups.GroupItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.GroupItemRequestBuilderGetQueryParameters{
			Select: []string{"id", "displayName", "assignedLicenses", "licenseProcessingState"},
		},
	})
	if err != nil {
		e.t.Fatalf("get group %s licensing: %v", gid, err)
	}
	return g
}

// assigned returns the user's assignedLicenses entry for the SKU (nil when it has none).
func assigned(u models.Userable, sku uuid.UUID) models.AssignedLicenseable {
	for _, l := range u.GetAssignedLicenses() {
		if l.GetSkuId() != nil && *l.GetSkuId() == sku {
			return l
		}
	}
	return nil
}

// pathState is one licenseAssignmentStates entry, flattened.
type pathState struct {
	group    string // "" for the direct path
	state    string
	err      string
	disabled []uuid.UUID
}

// paths returns the user's licenseAssignmentStates for the SKU, by group id ("" = direct).
func paths(u models.Userable, sku uuid.UUID) map[string]pathState {
	out := map[string]pathState{}
	for _, s := range u.GetLicenseAssignmentStates() {
		if s.GetSkuId() == nil || *s.GetSkuId() != sku {
			continue
		}
		g := deref(s.GetAssignedByGroup())
		out[g] = pathState{group: g, state: deref(s.GetState()), err: deref(s.GetError()), disabled: s.GetDisabledPlans()}
	}
	return out
}

// sameSet reports whether a and b hold the same ids.
func sameSet(a, b []uuid.UUID) bool {
	as, bs := make([]string, len(a)), make([]string, len(b))
	for i, x := range a {
		as[i] = x.String()
	}
	for i, x := range b {
		bs[i] = x.String()
	}
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(as, bs)
}

// consumed reads a SKU's consumedUnits now.
func (e *env) consumed(sku uuid.UUID) int32 {
	e.t.Helper()
	skus, err := e.client.SubscribedSkus().Get(e.ctx, nil)
	if err != nil {
		e.t.Fatalf("subscribedSkus: %v", err)
	}
	for _, s := range skus.GetValue() {
		if *s.GetSkuId() == sku {
			return deref(s.GetConsumedUnits())
		}
	}
	e.t.Fatalf("SKU %s not subscribed", sku)
	return 0
}

// enabledPlanNames lists the plans of a user's licenseDetails entry for the SKU whose
// provisioningStatus is not "Disabled", sorted.
func (e *env) enabledPlanNames(uid string, sku uuid.UUID) []string {
	e.t.Helper()
	details, err := e.client.Users().ByUserId(uid).LicenseDetails().Get(e.ctx, nil)
	if err != nil {
		e.t.Fatalf("licenseDetails of %s: %v", uid, err)
	}
	for _, d := range details.GetValue() {
		if d.GetSkuId() == nil || *d.GetSkuId() != sku {
			continue
		}
		var out []string
		for _, p := range d.GetServicePlans() {
			if deref(p.GetProvisioningStatus()) != "Disabled" {
				out = append(out, deref(p.GetServicePlanName()))
			}
		}
		slices.Sort(out)
		return out
	}
	return nil
}

// newGroupMember creates a user with a usage location and adds it to the group.
func (e *env) newGroupMember(gid, nick, usageLocation string) string {
	e.t.Helper()
	uid := deref(e.createUser(nick, usageLocation).GetId())
	e.mustAddMember(gid, uid)
	return uid
}
