package graphmock

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/engine/catalog"
)

//go:embed fixtures/default-tenant.json
var defaultTenantJSON []byte

// DefaultTenantFixture returns the embedded default tenant document (docs/fixtures.md).
func DefaultTenantFixture() []byte { return append([]byte(nil), defaultTenantJSON...) }

// Fixture is a tenant document: the organization, its subscriptions, users and groups, written
// with Graph's own property names so a fixture reads like Graph responses (docs/fixtures.md).
type Fixture struct {
	Organization   FixtureOrganization `json:"organization"`
	SubscribedSkus []FixtureSku        `json:"subscribedSkus,omitempty"`
	// Users are Graph user objects (POST /users bodies, "id" allowed) plus "assignedLicenses":
	// direct licenses (FixtureLicense), assigned at load.
	Users []json.RawMessage `json:"users,omitempty"`
	// Groups are Graph group objects plus "members" and "owners" (references by id,
	// userPrincipalName or, for groups, mailNickname) and "assignedLicenses" (FixtureLicense),
	// applied to the members at load.
	Groups []json.RawMessage `json:"groups,omitempty"`
}

// FixtureOrganization is the organization part of a fixture (graph-facts §1.5).
type FixtureOrganization struct {
	ID                         string                  `json:"id"`
	DisplayName                string                  `json:"displayName"`
	CountryLetterCode          string                  `json:"countryLetterCode"`
	DefaultUsageLocation       string                  `json:"defaultUsageLocation,omitempty"`
	PreferredLanguage          string                  `json:"preferredLanguage,omitempty"`
	City                       string                  `json:"city,omitempty"`
	Country                    string                  `json:"country,omitempty"`
	State                      string                  `json:"state,omitempty"`
	Street                     string                  `json:"street,omitempty"`
	PostalCode                 string                  `json:"postalCode,omitempty"`
	BusinessPhones             []string                `json:"businessPhones,omitempty"`
	TechnicalNotificationMails []string                `json:"technicalNotificationMails,omitempty"`
	VerifiedDomains            []FixtureVerifiedDomain `json:"verifiedDomains"`
	CreatedDateTime            *time.Time              `json:"createdDateTime,omitempty"`
}

// FixtureVerifiedDomain is one verified domain.
type FixtureVerifiedDomain struct {
	Name         string `json:"name"`
	Type         string `json:"type,omitempty"`
	Capabilities string `json:"capabilities,omitempty"`
	IsDefault    bool   `json:"isDefault"`
	IsInitial    bool   `json:"isInitial"`
}

// FixtureSku subscribes the tenant to a catalogue product by skuPartNumber (or skuId), with its
// seats. Products missing from the catalogue can list their service plans.
type FixtureSku struct {
	SkuPartNumber    string           `json:"skuPartNumber,omitempty"`
	SkuID            string           `json:"skuId,omitempty"`
	CapabilityStatus string           `json:"capabilityStatus,omitempty"`
	PrepaidUnits     FixtureUnits     `json:"prepaidUnits"`
	ServicePlans     []FixtureSkuPlan `json:"servicePlans,omitempty"`
	AccountName      string           `json:"accountName,omitempty"`
	SubscriptionIDs  []string         `json:"subscriptionIds,omitempty"`
}

// FixtureUnits is prepaidUnits.
type FixtureUnits struct {
	Enabled   int `json:"enabled"`
	Suspended int `json:"suspended,omitempty"`
	Warning   int `json:"warning,omitempty"`
	LockedOut int `json:"lockedOut,omitempty"`
}

// FixtureSkuPlan is a service plan of a product the catalogue lacks.
type FixtureSkuPlan struct {
	ServicePlanID   string `json:"servicePlanId"`
	ServicePlanName string `json:"servicePlanName"`
	Service         string `json:"service,omitempty"`
}

// ParseFixture decodes a fixture document. Errors name what is wrong.
func ParseFixture(b []byte) (*Fixture, error) {
	var fx Fixture
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fx); err != nil {
		return nil, fmt.Errorf("fixture: %w", err)
	}
	if !engine.IsGUID(fx.Organization.ID) {
		return nil, fmt.Errorf("fixture: organization.id must be a GUID, got %q", fx.Organization.ID)
	}
	if len(fx.Organization.VerifiedDomains) == 0 {
		return nil, fmt.Errorf("fixture: organization.verifiedDomains must name at least one domain")
	}
	return &fx, nil
}

func loadFixtureFromOptions(opts Options) (*Fixture, error) {
	b := opts.Seed
	if b == nil && opts.SeedFile != "" {
		var err error
		if b, err = os.ReadFile(opts.SeedFile); err != nil {
			return nil, fmt.Errorf("graphmock: seed file: %w", err)
		}
	}
	if b == nil {
		b = defaultTenantJSON
	}
	return ParseFixture(b)
}

// fixtureActor is who fixture loading acts as in audit records.
var fixtureActor = engine.Actor{App: &engine.AppIdentity{AppID: "00000000-0000-0000-0000-000000000001", DisplayName: "graphmock fixture loader"}}

// Load writes the fixture into an empty store in one transaction and then applies the group
// licenses it assigns (draining the processing queue), so the tenant is ready when Load returns.
// With empty, only the organization and its subscriptions are loaded. Errors name the offending object.
func (fx *Fixture) Load(store *engine.Store, empty bool) error {
	if err := fx.load(store, empty); err != nil {
		return err
	}
	if err := store.Processing().Drain(context.Background()); err != nil {
		return err
	}
	if errs := store.Processing().Errors(); len(errs) > 0 {
		return fmt.Errorf("license processing: %w", errs[0])
	}
	return nil
}

func (fx *Fixture) load(store *engine.Store, empty bool) error {
	return store.Update(fixtureActor, func(tx *engine.Txn) error {
		if err := tx.SetOrganization(fx.organization(store.Clock().Now())); err != nil {
			return fmt.Errorf("organization: %w", err)
		}
		if err := fx.loadSkus(tx); err != nil {
			return err
		}
		if empty {
			return nil
		}
		type userLicenses struct {
			id       string
			licenses []FixtureLicense
		}
		var direct []userLicenses
		for i, raw := range fx.Users {
			id, licenses, err := loadFixtureUser(tx, raw)
			if err != nil {
				return fmt.Errorf("users[%d]: %w", i, err)
			}
			direct = append(direct, userLicenses{id, licenses})
		}
		type links struct {
			id             string
			members, owner []string
			licenses       []FixtureLicense
		}
		var pending []links
		for i, raw := range fx.Groups {
			id, members, owners, licenses, err := loadFixtureGroup(tx, raw)
			if err != nil {
				return fmt.Errorf("groups[%d]: %w", i, err)
			}
			pending = append(pending, links{id, members, owners, licenses})
		}
		for _, l := range pending {
			for _, ref := range l.members {
				obj, err := resolveFixtureRef(tx, ref)
				if err != nil {
					return fmt.Errorf("group %s member %q: %w", l.id, ref, err)
				}
				if err := tx.AddMemberAs(fixtureActor, l.id, obj); err != nil {
					return fmt.Errorf("group %s member %q: %w", l.id, ref, err)
				}
			}
			for _, ref := range l.owner {
				obj, err := resolveFixtureRef(tx, ref)
				if err != nil {
					return fmt.Errorf("group %s owner %q: %w", l.id, ref, err)
				}
				if err := tx.AddOwner(l.id, obj); err != nil {
					return fmt.Errorf("group %s owner %q: %w", l.id, ref, err)
				}
			}
		}
		for _, d := range direct {
			if len(d.licenses) == 0 {
				continue
			}
			add, err := resolveFixtureLicenses(tx, d.licenses)
			if err == nil {
				_, err = tx.AssignLicense(d.id, add, nil)
			}
			if err != nil {
				return fmt.Errorf("user %s assignedLicenses: %w", d.id, err)
			}
		}
		for _, l := range pending {
			if len(l.licenses) == 0 {
				continue
			}
			add, err := resolveFixtureLicenses(tx, l.licenses)
			if err == nil {
				_, err = tx.AssignGroupLicense(l.id, add, nil)
			}
			if err != nil {
				return fmt.Errorf("group %s assignedLicenses: %w", l.id, err)
			}
		}
		return nil
	})
}

// FixtureLicense is a license in a fixture: a SKU by skuPartNumber or skuId, and either the plans
// to disable or (a fixture convenience) the only plans to enable; plans by servicePlanName or
// servicePlanId. enabledPlans is turned into disabledPlans at load, so plans added to the SKU
// later are enabled by default, as in Entra ID.
type FixtureLicense struct {
	SkuPartNumber string   `json:"skuPartNumber,omitempty"`
	SkuID         string   `json:"skuId,omitempty"`
	DisabledPlans []string `json:"disabledPlans,omitempty"`
	EnabledPlans  []string `json:"enabledPlans,omitempty"`
}

func decodeFixtureLicenses(raw json.RawMessage) ([]FixtureLicense, error) {
	var out []FixtureLicense
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("assignedLicenses: %w", err)
	}
	return out, nil
}

// resolveFixtureLicenses turns fixture licenses into assignedLicense values of the tenant's SKUs.
func resolveFixtureLicenses(tx *engine.Txn, in []FixtureLicense) ([]engine.AssignedLicense, error) {
	out := make([]engine.AssignedLicense, 0, len(in))
	for _, fl := range in {
		var sku *engine.SubscribedSku
		var err error
		switch {
		case fl.SkuID != "":
			sku, err = tx.SubscribedSkuByID(fl.SkuID)
		case fl.SkuPartNumber != "":
			sku, err = tx.SubscribedSkuByPartNumber(fl.SkuPartNumber)
		default:
			return nil, fmt.Errorf("skuPartNumber or skuId is required")
		}
		if err != nil {
			return nil, err
		}
		if sku == nil {
			return nil, fmt.Errorf("the tenant has no subscription %q%q", fl.SkuPartNumber, fl.SkuID)
		}
		if len(fl.DisabledPlans) > 0 && len(fl.EnabledPlans) > 0 {
			return nil, fmt.Errorf("%s: give disabledPlans or enabledPlans, not both", sku.SkuPartNumber)
		}
		planID := func(ref string) (string, error) {
			for _, p := range sku.ServicePlans {
				if strings.EqualFold(p.ServicePlanID, ref) || strings.EqualFold(p.ServicePlanName, ref) {
					return p.ServicePlanID, nil
				}
			}
			return "", fmt.Errorf("%s has no service plan %q", sku.SkuPartNumber, ref)
		}
		l := engine.AssignedLicense{SkuID: sku.SkuID, DisabledPlans: []string{}}
		for _, ref := range fl.DisabledPlans {
			id, err := planID(ref)
			if err != nil {
				return nil, err
			}
			l.DisabledPlans = append(l.DisabledPlans, id)
		}
		if len(fl.EnabledPlans) > 0 {
			keep := map[string]bool{}
			for _, ref := range fl.EnabledPlans {
				id, err := planID(ref)
				if err != nil {
					return nil, err
				}
				keep[id] = true
			}
			for _, p := range sku.ServicePlans {
				if !keep[p.ServicePlanID] {
					l.DisabledPlans = append(l.DisabledPlans, p.ServicePlanID)
				}
			}
		}
		out = append(out, l)
	}
	return out, nil
}

func (fx *Fixture) organization(now time.Time) *engine.Organization {
	o := fx.Organization
	org := &engine.Organization{ID: o.ID, DisplayName: o.DisplayName, CountryLetterCode: o.CountryLetterCode,
		DefaultUsageLocation: o.DefaultUsageLocation, PreferredLanguage: o.PreferredLanguage, TenantType: "AAD",
		City: o.City, Country: o.Country, State: o.State, Street: o.Street, PostalCode: o.PostalCode,
		BusinessPhones: o.BusinessPhones, TechnicalNotificationMails: o.TechnicalNotificationMails, CreatedDateTime: now}
	if o.CreatedDateTime != nil {
		org.CreatedDateTime = o.CreatedDateTime.UTC()
	}
	for _, d := range o.VerifiedDomains {
		vd := engine.VerifiedDomain{Name: d.Name, Type: d.Type, Capabilities: d.Capabilities, IsDefault: d.IsDefault, IsInitial: d.IsInitial}
		if vd.Type == "" {
			vd.Type = "Managed"
		}
		org.VerifiedDomains = append(org.VerifiedDomains, vd)
	}
	return org
}

// loadSkus subscribes the tenant to the fixture's products, or to the catalogue's default
// subscriptions when the fixture lists none.
func (fx *Fixture) loadSkus(tx *engine.Txn) error {
	skus := fx.SubscribedSkus
	if skus == nil {
		for _, s := range catalog.DefaultSubscriptions() {
			skus = append(skus, FixtureSku{SkuPartNumber: s.SkuPartNumber, PrepaidUnits: FixtureUnits{Enabled: s.PrepaidEnabled}})
		}
	}
	org, err := tx.Organization()
	if err != nil {
		return err
	}
	for i, fs := range skus {
		sku, err := fs.subscribedSku(org, tx.NewID)
		if err != nil {
			return fmt.Errorf("subscribedSkus[%d]: %w", i, err)
		}
		if err := tx.PutSubscribedSku(sku); err != nil {
			return fmt.Errorf("subscribedSkus[%d]: %w", i, err)
		}
	}
	return nil
}

func (fs FixtureSku) subscribedSku(org *engine.Organization, newID func() string) (*engine.SubscribedSku, error) {
	var p catalog.Product
	var ok bool
	switch {
	case fs.SkuPartNumber != "":
		p, ok = catalog.ByPartNumber(fs.SkuPartNumber)
	case fs.SkuID != "":
		p, ok = catalog.BySkuID(fs.SkuID)
	default:
		return nil, fmt.Errorf("skuPartNumber or skuId is required")
	}
	if !ok {
		if fs.SkuID == "" || fs.SkuPartNumber == "" || len(fs.ServicePlans) == 0 {
			return nil, fmt.Errorf("product %q%q is not in the catalogue; give skuId, skuPartNumber and servicePlans", fs.SkuPartNumber, fs.SkuID)
		}
		p = catalog.Product{SkuID: fs.SkuID, SkuPartNumber: fs.SkuPartNumber, DisplayName: fs.SkuPartNumber}
		for _, sp := range fs.ServicePlans {
			p.ServicePlans = append(p.ServicePlans, catalog.ServicePlan{ServicePlanID: strings.ToLower(sp.ServicePlanID),
				ServicePlanName: sp.ServicePlanName, Service: sp.Service, AppliesTo: "User"})
		}
	}
	status := fs.CapabilityStatus
	if status == "" {
		status = "Enabled"
	}
	sku := &engine.SubscribedSku{SkuID: p.SkuID, SkuPartNumber: p.SkuPartNumber, DisplayName: p.DisplayName,
		AccountID: org.ID, AccountName: org.DisplayName, AppliesTo: "User", CapabilityStatus: status,
		PrepaidUnits: engine.LicenseUnits{Enabled: fs.PrepaidUnits.Enabled, Suspended: fs.PrepaidUnits.Suspended,
			Warning: fs.PrepaidUnits.Warning, LockedOut: fs.PrepaidUnits.LockedOut},
		SubscriptionIDs: fs.SubscriptionIDs}
	if sku.SubscriptionIDs == nil {
		sku.SubscriptionIDs = []string{newID()}
	}
	for _, sp := range p.ServicePlans {
		sku.ServicePlans = append(sku.ServicePlans, engine.ServicePlanInfo{ServicePlanID: sp.ServicePlanID,
			ServicePlanName: sp.ServicePlanName, ProvisioningStatus: "Success", AppliesTo: sp.AppliesTo, Service: sp.Service})
	}
	return sku, nil
}

func loadFixtureUser(tx *engine.Txn, raw json.RawMessage) (string, []FixtureLicense, error) {
	members, order, err := decodeObject(raw)
	if err != nil {
		return "", nil, err
	}
	var licenses []FixtureLicense
	if v, ok := members["assignedLicenses"]; ok {
		if licenses, err = decodeFixtureLicenses(v); err != nil {
			return "", nil, err
		}
		delete(members, "assignedLicenses")
		order = without(order, "assignedLicenses")
	}
	u := &engine.User{AccountEnabled: true}
	if err := userType.apply(u, members, order); err != nil {
		return "", nil, err
	}
	if _, ok := members["createdDateTime"]; ok {
		return "", nil, fmt.Errorf("createdDateTime is set by the server")
	}
	created, err := tx.CreateUser(u)
	if err != nil {
		return "", nil, err
	}
	return created.ID, licenses, nil
}

func loadFixtureGroup(tx *engine.Txn, raw json.RawMessage) (id string, members, owners []string, licenses []FixtureLicense, err error) {
	fields, order, err := decodeObject(raw)
	if err != nil {
		return "", nil, nil, nil, err
	}
	if v, ok := fields["assignedLicenses"]; ok {
		if licenses, err = decodeFixtureLicenses(v); err != nil {
			return "", nil, nil, nil, err
		}
		delete(fields, "assignedLicenses")
		order = without(order, "assignedLicenses")
	}
	for _, k := range []string{"members", "owners"} {
		if v, ok := fields[k]; ok {
			var refs []string
			if err := json.Unmarshal(v, &refs); err != nil {
				return "", nil, nil, nil, fmt.Errorf("%s must be an array of references", k)
			}
			if k == "members" {
				members = refs
			} else {
				owners = refs
			}
			delete(fields, k)
		}
	}
	order = without(order, "members", "owners")
	g := &engine.Group{}
	if err := groupType.apply(g, fields, order); err != nil {
		return "", nil, nil, nil, err
	}
	created, err := tx.CreateGroup(g)
	if err != nil {
		return "", nil, nil, nil, err
	}
	return created.ID, members, owners, licenses, nil
}

// resolveFixtureRef turns a member reference (id, userPrincipalName, or group mailNickname) into an id.
func resolveFixtureRef(tx *engine.Txn, ref string) (string, error) {
	if engine.IsGUID(ref) {
		obj, err := tx.ObjectByID(ref)
		if err != nil {
			return "", err
		}
		return obj.ID(), nil
	}
	if u, err := tx.UsersByUPN(ref); err != nil {
		return "", err
	} else if u != nil {
		return u.ID, nil
	}
	var id string
	err := tx.Groups(func(g *engine.Group) bool {
		if strings.EqualFold(g.MailNickname, ref) {
			id = g.ID
			return false
		}
		return true
	})
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", fmt.Errorf("no user or group %q", ref)
	}
	return id, nil
}

// without returns keys minus the named ones.
func without(keys []string, drop ...string) []string {
	out := keys[:0:0]
	for _, k := range keys {
		keep := true
		for _, d := range drop {
			if k == d {
				keep = false
			}
		}
		if keep {
			out = append(out, k)
		}
	}
	return out
}
