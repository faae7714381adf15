package graphmock

import (
	"net/http"
	"strings"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

type skuProp = prop[engine.SubscribedSku]

// subscribedSkuType is the wire form of microsoft.graph.subscribedSku (graph-facts §1.3). The
// resource is read-only; id is "{tenantId}_{skuId}" and is filled in by encodeSku.
var subscribedSkuType = newEntityType("microsoft.graph.subscribedSku", "SubscribedSku", []skuProp{
	{name: "accountId", def: true, get: func(s *engine.SubscribedSku) any { return s.AccountID }},
	{name: "accountName", def: true, get: func(s *engine.SubscribedSku) any { return s.AccountName }},
	{name: "appliesTo", def: true, get: func(s *engine.SubscribedSku) any { return s.AppliesTo }},
	{name: "capabilityStatus", def: true, get: func(s *engine.SubscribedSku) any { return s.CapabilityStatus }},
	{name: "consumedUnits", def: true, get: func(s *engine.SubscribedSku) any { return s.ConsumedUnits }},
	{name: "id", def: true, get: func(s *engine.SubscribedSku) any { return engine.SubscribedSkuResourceID(s.AccountID, s.SkuID) }},
	{name: "prepaidUnits", def: true, get: func(s *engine.SubscribedSku) any {
		p := s.PrepaidUnits
		return object{{"enabled", p.Enabled}, {"lockedOut", p.LockedOut}, {"suspended", p.Suspended}, {"warning", p.Warning}}
	}},
	{name: "servicePlans", def: true, get: func(s *engine.SubscribedSku) any { return encodeServicePlans(s.ServicePlans, nil) }},
	{name: "skuId", def: true, get: func(s *engine.SubscribedSku) any { return s.SkuID }},
	{name: "skuPartNumber", def: true, get: func(s *engine.SubscribedSku) any { return s.SkuPartNumber }},
	{name: "subscriptionIds", def: true, get: func(s *engine.SubscribedSku) any { return list(s.SubscriptionIDs) }},
})

// encodeServicePlans writes servicePlanInfo entries; plans in disabled show provisioningStatus
// "Disabled" (graph-facts §1.4 [unc]).
func encodeServicePlans(ps []engine.ServicePlanInfo, disabled []string) []object {
	out := make([]object, len(ps))
	for i, p := range ps {
		status := p.ProvisioningStatus
		for _, d := range disabled {
			if strings.EqualFold(d, p.ServicePlanID) {
				status = "Disabled"
			}
		}
		out[i] = object{{"appliesTo", p.AppliesTo}, {"provisioningStatus", status},
			{"servicePlanId", p.ServicePlanID}, {"servicePlanName", p.ServicePlanName}}
	}
	return out
}

// listSubscribedSkus serves GET /subscribedSkus ($select only, graph-facts §1.3).
func (s *Server) listSubscribedSkus(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.SubscribedSkus)
	if err != nil {
		return err
	}
	var skus []*engine.SubscribedSku
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		skus, err = tx.SubscribedSkus()
		return err
	})
	if err != nil {
		return err
	}
	return listEntities(w, r, q, subscribedSkuType, "subscribedSkus", skus)
}

// getSubscribedSku serves GET /subscribedSkus/{tenantId}_{skuId}.
func (s *Server) getSubscribedSku(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.SubscribedSkus)
	if err != nil {
		return err
	}
	t := s.tenantFor(r)
	id := pathVar(r, "subscribedSku-id")
	tenantPart, skuID, ok := strings.Cut(id, "_")
	if !ok || !strings.EqualFold(tenantPart, t.id) || !engine.IsGUID(skuID) {
		return engine.NotFound(id)
	}
	var sku *engine.SubscribedSku
	err = t.store.View(func(tx *engine.Txn) error {
		sku, err = tx.SubscribedSkuByID(skuID)
		return err
	})
	if err != nil {
		return err
	}
	if sku == nil {
		return engine.NotFound(id)
	}
	body := object{{"@odata.context", contextURL(r, selectFragment("subscribedSkus", q.Select)+"/$entity")}}
	writeJSON(w, http.StatusOK, append(body, subscribedSkuType.encode(sku, q.Select, false)...))
	return nil
}
