package conformance

import (
	"net/http"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// The tenant's organization and its subscribed SKUs, read through the SDK.
func TestOrganizationAndSubscribedSkusWithSDK(t *testing.T) {
	e := newEnv(t)
	orgs, err := e.client.Organization().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("organization: %v", err)
	}
	if len(orgs.GetValue()) != 1 {
		t.Fatalf("%d organizations, want 1", len(orgs.GetValue()))
	}
	org := orgs.GetValue()[0]
	tenantID := deref(org.GetId())
	if deref(org.GetDisplayName()) == "" || len(org.GetVerifiedDomains()) == 0 {
		t.Errorf("organization without displayName or verified domains")
	}
	one, err := e.client.Organization().ByOrganizationId(tenantID).Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("organization/{id}: %v", err)
	}
	if deref(one.GetDisplayName()) != deref(org.GetDisplayName()) {
		t.Errorf("organization/{id} displayName %q, list says %q", deref(one.GetDisplayName()), deref(org.GetDisplayName()))
	}

	skus, err := e.client.SubscribedSkus().Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("subscribedSkus: %v", err)
	}
	if len(skus.GetValue()) == 0 {
		t.Fatalf("no subscribed SKUs")
	}
	for _, s := range skus.GetValue() {
		part := deref(s.GetSkuPartNumber())
		if s.GetSkuId() == nil || part == "" {
			t.Errorf("SKU %q without skuId or skuPartNumber", deref(s.GetId()))
			continue
		}
		if want := tenantID + "_" + s.GetSkuId().String(); deref(s.GetId()) != want {
			t.Errorf("%s: id %q, want tenantId_skuId %q", part, deref(s.GetId()), want)
		}
		if deref(s.GetAppliesTo()) != "User" || deref(s.GetCapabilityStatus()) != "Enabled" {
			t.Errorf("%s: appliesTo %q capabilityStatus %q", part, deref(s.GetAppliesTo()), deref(s.GetCapabilityStatus()))
		}
		if s.GetPrepaidUnits() == nil || deref(s.GetConsumedUnits()) > deref(s.GetPrepaidUnits().GetEnabled()) {
			t.Errorf("%s: consumedUnits %d above prepaidUnits.enabled", part, deref(s.GetConsumedUnits()))
		}
		if len(s.GetServicePlans()) == 0 {
			t.Errorf("%s: no service plans", part)
		}
	}
	first := skus.GetValue()[0]
	got, err := e.client.SubscribedSkus().BySubscribedSkuId(deref(first.GetId())).Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("subscribedSkus/{id}: %v", err)
	}
	if deref(got.GetSkuPartNumber()) != deref(first.GetSkuPartNumber()) || len(got.GetServicePlans()) != len(first.GetServicePlans()) {
		t.Errorf("subscribedSkus/{id} gives %s with %d plans, list gives %s with %d", deref(got.GetSkuPartNumber()), len(got.GetServicePlans()),
			deref(first.GetSkuPartNumber()), len(first.GetServicePlans()))
	}

	r := e.do(http.MethodGet, "/subscribedSkus/"+tenantID+"_00000000-0000-0000-0000-000000000000", nil)
	r.wantError(t, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+tenantID+"_00000000-0000-0000-0000-000000000000' does not exist or one of its queried reference-property objects are not present.")
}

// skuByPart finds a subscribed SKU by its part number (fails the scenario when absent).
func (e *env) skuByPart(part string) models.SubscribedSkuable {
	e.t.Helper()
	skus, err := e.client.SubscribedSkus().Get(e.ctx, nil)
	if err != nil {
		e.t.Fatalf("subscribedSkus: %v", err)
	}
	for _, s := range skus.GetValue() {
		if strings.EqualFold(deref(s.GetSkuPartNumber()), part) {
			return s
		}
	}
	e.t.Fatalf("no subscribed SKU %s", part)
	return nil
}

// planID returns the id of the SKU's service plan with this name.
func planID(t *testing.T, sku models.SubscribedSkuable, name string) string {
	t.Helper()
	for _, p := range sku.GetServicePlans() {
		if strings.EqualFold(deref(p.GetServicePlanName()), name) {
			return p.GetServicePlanId().String()
		}
	}
	t.Fatalf("SKU %s has no service plan %s", deref(sku.GetSkuPartNumber()), name)
	return ""
}
