package graphmock

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/engine/catalog"
)

// exportFixture renders a tenant's state as a fixture document (docs/fixtures.md) that
// ParseFixture and Load accept and that reproduces the state: the organization; subscribed SKUs
// with their seats, status and subscription ids (service plans only where they differ from the
// catalogue's); users and groups with their writable properties, ids, passwords and exact
// createdDateTime / deletedDateTime; a user's manager, group members and owners by id; license assignments as
// assignedLicenses (a user's direct ones, a group's); app registrations (applications) with their
// secrets in clear. Null and empty values are left out. What follows from the assignments
// (licenseAssignmentStates, assignedPlans, consumedUnits) is recomputed at load; audit records
// are not part of a fixture.
func exportFixture(tx *engine.Txn) (object, error) {
	org, err := tx.Organization()
	if err != nil {
		return nil, err
	}
	skus, err := tx.SubscribedSkus()
	if err != nil {
		return nil, err
	}
	skuDocs := make([]object, len(skus))
	for i, sku := range skus {
		skuDocs[i] = exportSku(sku)
	}
	users := []object{}
	var all []*engine.User
	if err := tx.AllUsers(func(u *engine.User) bool { all = append(all, u); return true }); err != nil {
		return nil, err
	}
	for _, u := range all {
		doc := exportUser(u)
		manager, err := tx.ManagerID(u.ID)
		if err != nil {
			return nil, err
		}
		if manager != "" {
			doc = append(doc, field{"manager", manager})
		}
		users = append(users, doc)
	}
	var groups []*engine.Group
	if err := tx.AllGroups(func(g *engine.Group) bool { groups = append(groups, g); return true }); err != nil {
		return nil, err
	}
	groupDocs := make([]object, 0, len(groups))
	for _, g := range groups {
		doc, err := exportGroup(tx, g)
		if err != nil {
			return nil, err
		}
		groupDocs = append(groupDocs, doc)
	}
	var apps []FixtureApplication
	if err := tx.Applications(func(a *engine.Application) bool { apps = append(apps, exportApplication(a)); return true }); err != nil {
		return nil, err
	}
	doc := object{{"organization", exportOrganization(org)}, {"subscribedSkus", skuDocs},
		{"users", users}, {"groups", groupDocs}}
	if len(apps) > 0 {
		doc = append(doc, field{"applications", apps})
	}
	return doc, nil
}

func exportOrganization(o *engine.Organization) FixtureOrganization {
	fo := FixtureOrganization{ID: o.ID, DisplayName: o.DisplayName, CountryLetterCode: o.CountryLetterCode,
		DefaultUsageLocation: o.DefaultUsageLocation, PreferredLanguage: o.PreferredLanguage,
		City: o.City, Country: o.Country, State: o.State, Street: o.Street, PostalCode: o.PostalCode,
		BusinessPhones: o.BusinessPhones, TechnicalNotificationMails: o.TechnicalNotificationMails,
		VerifiedDomains: []FixtureVerifiedDomain{}}
	if !o.CreatedDateTime.IsZero() {
		t := o.CreatedDateTime.UTC()
		fo.CreatedDateTime = &t
	}
	for _, d := range o.VerifiedDomains {
		fo.VerifiedDomains = append(fo.VerifiedDomains, FixtureVerifiedDomain{Name: d.Name, Type: d.Type,
			Capabilities: d.Capabilities, IsDefault: d.IsDefault, IsInitial: d.IsInitial})
	}
	return fo
}

func exportSku(s *engine.SubscribedSku) object {
	p := s.PrepaidUnits
	units := object{{"enabled", p.Enabled}}
	for _, f := range []field{{"suspended", p.Suspended}, {"warning", p.Warning}, {"lockedOut", p.LockedOut}} {
		if f.value.(int) != 0 {
			units = append(units, f)
		}
	}
	doc := object{{"skuPartNumber", s.SkuPartNumber}, {"skuId", s.SkuID}, {"capabilityStatus", s.CapabilityStatus},
		{"prepaidUnits", units}}
	if !catalogPlans(s) {
		plans := make([]object, len(s.ServicePlans))
		for i, sp := range s.ServicePlans {
			plans[i] = object{{"servicePlanId", sp.ServicePlanID}, {"servicePlanName", sp.ServicePlanName}}
			for _, f := range []field{{"service", sp.Service}, {"appliesTo", sp.AppliesTo}, {"provisioningStatus", sp.ProvisioningStatus}} {
				if f.value.(string) != "" {
					plans[i] = append(plans[i], f)
				}
			}
		}
		doc = append(doc, field{"servicePlans", plans})
	}
	if len(s.SubscriptionIDs) > 0 {
		doc = append(doc, field{"subscriptionIds", s.SubscriptionIDs})
	}
	return doc
}

// catalogPlans reports whether a SKU's service plans are exactly what loading it from the
// catalogue by skuPartNumber gives.
func catalogPlans(s *engine.SubscribedSku) bool {
	p, ok := catalog.ByPartNumber(s.SkuPartNumber)
	if !ok || !strings.EqualFold(p.SkuID, s.SkuID) || len(p.ServicePlans) != len(s.ServicePlans) {
		return false
	}
	for i, cp := range p.ServicePlans {
		sp := s.ServicePlans[i]
		if cp.ServicePlanID != sp.ServicePlanID || cp.ServicePlanName != sp.ServicePlanName ||
			cp.Service != sp.Service || cp.AppliesTo != sp.AppliesTo || sp.ProvisioningStatus != "Success" {
			return false
		}
	}
	return true
}

// exportTime writes an exact timestamp (fractional seconds kept, so a reload reproduces it).
func exportTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// emptyValue reports whether an encoded property value is null or an empty collection.
func emptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []string:
		return len(x) == 0
	case object:
		return len(x) == 0
	}
	return false
}

func exportUser(u *engine.User) object {
	doc := object{{"id", u.ID}}
	for i := range userType.props {
		p := &userType.props[i]
		switch {
		case p.set == nil, p.name == "id", p.name == "passwordProfile", p.name == "onPremisesExtensionAttributes":
			continue
		case p.name == "identities":
			// The userPrincipalName identity follows userPrincipalName; only the others are written.
			if ids := exportIdentities(u); len(ids) > 0 {
				doc = append(doc, field{p.name, ids})
			}
			continue
		}
		if v := p.get(u); !emptyValue(v) {
			doc = append(doc, field{p.name, v})
		}
	}
	var ext object
	for i, v := range u.ExtensionAttributes {
		if v != "" {
			ext = append(ext, encodeExtensionAttributes(u)[i])
		}
	}
	if len(ext) > 0 {
		doc = append(doc, field{"onPremisesExtensionAttributes", ext})
	}
	if pp := u.PasswordProfile; pp != nil {
		doc = append(doc, field{"passwordProfile", object{{"password", pp.Password},
			{"forceChangePasswordNextSignIn", pp.ForceChangePasswordNextSignIn},
			{"forceChangePasswordNextSignInWithMfa", pp.ForceChangePasswordNextSignInWithMfa}}})
	}
	doc = append(doc, field{"createdDateTime", exportTime(u.CreatedDateTime)})
	if u.DeletedDateTime != nil {
		doc = append(doc, field{"deletedDateTime", exportTime(*u.DeletedDateTime)})
	}
	var direct []engine.AssignedLicense
	for _, st := range u.LicenseAssignmentStates {
		if st.AssignedByGroup == "" {
			direct = append(direct, engine.AssignedLicense{SkuID: st.SkuID, DisabledPlans: st.DisabledPlans})
		}
	}
	if len(direct) > 0 && u.DeletedDateTime == nil {
		doc = append(doc, field{"assignedLicenses", exportLicenses(direct)})
	}
	return doc
}

// exportIdentities returns the user's sign-in identities other than userPrincipalName ones.
func exportIdentities(u *engine.User) []object {
	var out []object
	for _, id := range u.Identities {
		if !strings.EqualFold(id.SignInType, engine.SignInTypeUserPrincipalName) {
			out = append(out, object{{"signInType", id.SignInType}, {"issuer", id.Issuer},
				{"issuerAssignedId", nullable(id.IssuerAssignedID)}})
		}
	}
	return out
}

// exportLicenses writes license assignments in the fixture form (skuId, disabledPlans).
func exportLicenses(ls []engine.AssignedLicense) []object {
	out := make([]object, len(ls))
	for i, l := range ls {
		out[i] = object{{"skuId", l.SkuID}}
		if len(l.DisabledPlans) > 0 {
			out[i] = append(out[i], field{"disabledPlans", l.DisabledPlans})
		}
	}
	return out
}

func exportGroup(tx *engine.Txn, g *engine.Group) (object, error) {
	doc := object{{"id", g.ID}}
	for i := range groupType.props {
		p := &groupType.props[i]
		if p.set == nil || p.name == "id" {
			continue
		}
		if v := p.get(g); !emptyValue(v) {
			doc = append(doc, field{p.name, v})
		}
	}
	doc = append(doc, field{"createdDateTime", exportTime(g.CreatedDateTime)})
	if g.DeletedDateTime != nil {
		doc = append(doc, field{"deletedDateTime", exportTime(*g.DeletedDateTime)})
	}
	var members, owners []string
	if err := tx.MemberIDs(g.ID, func(id string, _ engine.ObjectKind) bool { members = append(members, id); return true }); err != nil {
		return nil, err
	}
	if err := tx.OwnerIDs(g.ID, func(id string, _ engine.ObjectKind) bool { owners = append(owners, id); return true }); err != nil {
		return nil, err
	}
	if len(members) > 0 {
		doc = append(doc, field{"members", members})
	}
	if len(owners) > 0 {
		doc = append(doc, field{"owners", owners})
	}
	if len(g.AssignedLicenses) > 0 && g.DeletedDateTime == nil {
		doc = append(doc, field{"assignedLicenses", exportLicenses(g.AssignedLicenses)})
	}
	return doc, nil
}

// exportApplication writes an app registration in the fixture form: ids, secrets in clear,
// certificates as base64 DER, granted permissions.
func exportApplication(a *engine.Application) FixtureApplication {
	fa := FixtureApplication{ID: a.ID, AppID: a.AppID, DisplayName: a.DisplayName, ServicePrincipalID: a.ServicePrincipalID,
		ApplicationPermissions: a.ApplicationPermissions, DelegatedPermissions: a.DelegatedPermissions}
	for _, pc := range a.PasswordCredentials {
		c := FixturePasswordCredential{KeyID: pc.KeyID, DisplayName: pc.DisplayName, SecretText: pc.SecretText}
		if !pc.StartDateTime.IsZero() {
			t := pc.StartDateTime.UTC()
			c.StartDateTime = &t
		}
		if !pc.EndDateTime.IsZero() {
			t := pc.EndDateTime.UTC()
			c.EndDateTime = &t
		}
		fa.PasswordCredentials = append(fa.PasswordCredentials, c)
	}
	for _, kc := range a.KeyCredentials {
		fa.KeyCredentials = append(fa.KeyCredentials, FixtureKeyCredential{KeyID: kc.KeyID, DisplayName: kc.DisplayName,
			Key: base64.StdEncoding.EncodeToString(kc.Key)})
	}
	return fa
}
