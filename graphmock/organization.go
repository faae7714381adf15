package graphmock

import (
	"net/http"
	"strings"

	"github.com/graphmock/graphmock/engine"
)

type orgProp = prop[engine.Organization]

// organizationType is the wire form of microsoft.graph.organization (graph-facts §1.5).
var organizationType = newEntityType("microsoft.graph.organization", "Organization", []orgProp{
	{name: "id", def: true, get: func(o *engine.Organization) any { return o.ID }},
	{name: "deletedDateTime", def: true, get: func(*engine.Organization) any { return nil }},
	{name: "businessPhones", def: true, get: func(o *engine.Organization) any { return list(o.BusinessPhones) }},
	{name: "city", def: true, get: func(o *engine.Organization) any { return nullable(o.City) }},
	{name: "country", def: true, get: func(o *engine.Organization) any { return nullable(o.Country) }},
	{name: "countryLetterCode", def: true, get: func(o *engine.Organization) any { return nullable(o.CountryLetterCode) }},
	{name: "createdDateTime", def: true, get: func(o *engine.Organization) any { return formatTime(o.CreatedDateTime) }},
	{name: "defaultUsageLocation", def: true, get: func(o *engine.Organization) any { return nullable(o.DefaultUsageLocation) }},
	{name: "displayName", def: true, get: func(o *engine.Organization) any { return o.DisplayName }},
	{name: "onPremisesLastSyncDateTime", def: true, get: func(*engine.Organization) any { return nil }},
	{name: "onPremisesSyncEnabled", def: true, get: func(*engine.Organization) any { return nil }},
	{name: "postalCode", def: true, get: func(o *engine.Organization) any { return nullable(o.PostalCode) }},
	{name: "preferredLanguage", def: true, get: func(o *engine.Organization) any { return nullable(o.PreferredLanguage) }},
	{name: "state", def: true, get: func(o *engine.Organization) any { return nullable(o.State) }},
	{name: "street", def: true, get: func(o *engine.Organization) any { return nullable(o.Street) }},
	{name: "technicalNotificationMails", def: true, get: func(o *engine.Organization) any { return list(o.TechnicalNotificationMails) }},
	{name: "tenantType", def: true, get: func(o *engine.Organization) any { return o.TenantType }},
	{name: "assignedPlans", def: true, get: func(*engine.Organization) any { return []any{} }},
	{name: "provisionedPlans", def: true, get: func(*engine.Organization) any { return []any{} }},
	{name: "verifiedDomains", def: true, get: func(o *engine.Organization) any {
		out := make([]object, len(o.VerifiedDomains))
		for i, d := range o.VerifiedDomains {
			out[i] = object{{"capabilities", d.Capabilities}, {"isDefault", d.IsDefault}, {"isInitial", d.IsInitial},
				{"name", d.Name}, {"type", d.Type}}
		}
		return out
	}},
})

// listOrganization serves GET /organization: a collection with the one tenant (graph-facts §1.5).
func (s *Server) listOrganization(w http.ResponseWriter, r *http.Request) error {
	sel, err := selectOnly(r, organizationType)
	if err != nil {
		return err
	}
	var org *engine.Organization
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		org, err = tx.Organization()
		return err
	})
	if err != nil {
		return err
	}
	writeCollection(w, r, nil, collection{context: contextURL(r, selectFragment("organization", sel)),
		values: []object{organizationType.encode(org, sel, false)}})
	return nil
}

// getOrganization serves GET /organization/{tenantId}.
func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request) error {
	sel, err := selectOnly(r, organizationType)
	if err != nil {
		return err
	}
	id := pathVar(r, "organization-id")
	var org *engine.Organization
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		org, err = tx.Organization()
		return err
	})
	if err != nil {
		return err
	}
	if !strings.EqualFold(org.ID, id) {
		return engine.NotFound(id)
	}
	body := object{{"@odata.context", contextURL(r, selectFragment("organization", sel)+"/$entity")}}
	writeJSON(w, http.StatusOK, append(body, organizationType.encode(org, sel, false)...))
	return nil
}

// selectOnly reads $select for a resource that supports no other query option; names are checked
// against the entity type (case-insensitive) and returned canonical.
func selectOnly[T any](r *http.Request, et *entityType[T]) ([]string, error) {
	var out []string
	for k, vs := range r.URL.Query() {
		if !strings.EqualFold(k, "$select") {
			continue
		}
		for _, name := range strings.Split(vs[0], ",") {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			p, ok := et.lookup(name)
			if !ok {
				return nil, engine.BadRequest("Could not find a property named '%s' on type '%s'.", name, et.odataType)
			}
			out = append(out, p.name)
		}
	}
	return out, nil
}
