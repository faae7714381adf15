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
	// Users are Graph user objects (POST /users bodies, "id" allowed), optionally with
	// "createdDateTime" and, for soft-deleted users, "deletedDateTime" (RFC 3339), plus
	// "assignedLicenses": direct licenses (FixtureLicense), assigned at load, and "manager": a
	// reference to another user of the fixture by id or userPrincipalName.
	Users []json.RawMessage `json:"users,omitempty"`
	// Groups are Graph group objects plus "members" and "owners": references by id,
	// userPrincipalName or (for groups) mailNickname; "createdDateTime" and "deletedDateTime" as for
	// users; "assignedLicenses" (FixtureLicense), applied to the members at load.
	Groups []json.RawMessage `json:"groups,omitempty"`
	// Applications are app registrations that can get tokens (docs/auth.md).
	Applications []FixtureApplication `json:"applications,omitempty"`
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
// seats. Products missing from the catalogue list their service plans; a catalogue product that
// lists servicePlans gets those instead of the catalogue's.
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

// FixtureSkuPlan is a service plan of a product the catalogue lacks, or of a catalogue product
// whose plans the fixture replaces. appliesTo defaults to "User", provisioningStatus to "Success".
type FixtureSkuPlan struct {
	ServicePlanID      string `json:"servicePlanId"`
	ServicePlanName    string `json:"servicePlanName"`
	Service            string `json:"service,omitempty"`
	AppliesTo          string `json:"appliesTo,omitempty"`
	ProvisioningStatus string `json:"provisioningStatus,omitempty"`
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

// Load writes the fixture into an empty store in one transaction. With empty, only the
// organization, its subscriptions and its applications are loaded. Errors name the offending object.
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
		if err := fx.loadApplications(tx); err != nil {
			return err
		}
		if empty {
			return nil
		}
		// Soft-deleted objects are created (and marked deleted) first, so an active object may
		// reuse a deleted one's userPrincipalName or mailNickname, as in a real directory.
		deleted := map[string]bool{}
		type userLicenses struct {
			id       string
			licenses []FixtureLicense
		}
		var direct []userLicenses
		type managerRef struct{ id, ref string }
		var managers []managerRef
		for _, pass := range []bool{true, false} {
			for i, raw := range fx.Users {
				id, licenses, manager, err := loadFixtureUser(tx, raw, pass, deleted)
				if err != nil {
					return fmt.Errorf("users[%d]: %w", i, err)
				}
				if len(licenses) > 0 {
					direct = append(direct, userLicenses{id, licenses})
				}
				if manager != "" {
					managers = append(managers, managerRef{id, manager})
				}
			}
		}
		for _, m := range managers {
			if err := loadFixtureManager(tx, m.id, m.ref); err != nil {
				return fmt.Errorf("user %s manager %q: %w", m.id, m.ref, err)
			}
		}
		type links struct {
			id             string
			members, owner []string
			licenses       []FixtureLicense
		}
		var pending []links
		for _, pass := range []bool{true, false} {
			for i, raw := range fx.Groups {
				id, members, owners, licenses, err := loadFixtureGroup(tx, raw, pass, deleted)
				if err != nil {
					return fmt.Errorf("groups[%d]: %w", i, err)
				}
				if id != "" {
					pending = append(pending, links{id, members, owners, licenses})
				}
			}
		}
		for _, l := range pending {
			for _, ref := range l.members {
				if err := addFixtureLink(tx, l.id, ref, false, deleted); err != nil {
					return fmt.Errorf("group %s member %q: %w", l.id, ref, err)
				}
			}
			for _, ref := range l.owner {
				if err := addFixtureLink(tx, l.id, ref, true, deleted); err != nil {
					return fmt.Errorf("group %s owner %q: %w", l.id, ref, err)
				}
			}
		}
		for _, d := range direct {
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

// addFixtureLink adds a member or owner link. Links that involve a soft-deleted object are written
// as they are (a deleted object keeps its links for a restore); others go through the engine's
// checks. A dynamic group's member already added by rule evaluation is not an error.
func addFixtureLink(tx *engine.Txn, groupID, ref string, owner bool, deleted map[string]bool) error {
	if engine.IsGUID(ref) && (deleted[strings.ToLower(ref)] || deleted[groupID]) {
		obj, err := tx.DeletedObject(ref)
		if err != nil {
			if obj, err = tx.ObjectByID(ref); err != nil {
				return err
			}
		}
		if owner {
			return tx.Insert(engine.TableOwners, &engine.Ownership{GroupID: groupID, OwnerID: obj.ID(), OwnerKind: obj.Kind})
		}
		return tx.Insert(engine.TableMembers, &engine.Membership{GroupID: groupID, MemberID: obj.ID(), MemberKind: obj.Kind})
	}
	obj, err := resolveFixtureRef(tx, ref)
	if err != nil {
		return err
	}
	if owner {
		return tx.AddOwner(groupID, obj)
	}
	if g, err := tx.GroupByID(groupID); err == nil && g.IsDynamic() {
		if is, err := tx.IsMember(groupID, obj); err == nil && is {
			return nil
		}
	}
	return tx.AddMemberAs(fixtureActor, groupID, obj)
}

// fixtureTimes takes "createdDateTime" and "deletedDateTime" (RFC 3339) out of an object's members.
func fixtureTimes(members map[string]json.RawMessage, order []string) (created time.Time, deleted *time.Time, rest []string, err error) {
	for _, k := range []string{"createdDateTime", "deletedDateTime"} {
		raw, ok := members[k]
		if !ok || isNull(raw) {
			continue
		}
		var t time.Time
		if err := json.Unmarshal(raw, &t); err != nil {
			return time.Time{}, nil, nil, fmt.Errorf("%s must be an RFC 3339 date-time", k)
		}
		t = t.UTC()
		if k == "createdDateTime" {
			created = t
		} else {
			deleted = &t
		}
	}
	delete(members, "createdDateTime")
	delete(members, "deletedDateTime")
	return created, deleted, without(order, "createdDateTime", "deletedDateTime"), nil
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
	}
	status := map[string]string{}
	if len(fs.ServicePlans) > 0 {
		p.ServicePlans = nil
		for _, sp := range fs.ServicePlans {
			id := strings.ToLower(sp.ServicePlanID)
			if !engine.IsGUID(id) || sp.ServicePlanName == "" {
				return nil, fmt.Errorf("servicePlans need a servicePlanId (GUID) and a servicePlanName")
			}
			applies, ok := engine.NormalizeAppliesTo(sp.AppliesTo)
			if !ok {
				return nil, fmt.Errorf("servicePlans: appliesTo %q must be \"User\" or \"Company\"", sp.AppliesTo)
			}
			p.ServicePlans = append(p.ServicePlans, catalog.ServicePlan{ServicePlanID: id,
				ServicePlanName: sp.ServicePlanName, Service: sp.Service, AppliesTo: applies})
			status[id] = sp.ProvisioningStatus
		}
	}
	capability := fs.CapabilityStatus
	if capability == "" {
		capability = "Enabled"
	}
	sku := &engine.SubscribedSku{SkuID: p.SkuID, SkuPartNumber: p.SkuPartNumber, DisplayName: p.DisplayName,
		AccountID: org.ID, AccountName: org.DisplayName, AppliesTo: "User", CapabilityStatus: capability,
		PrepaidUnits: engine.LicenseUnits{Enabled: fs.PrepaidUnits.Enabled, Suspended: fs.PrepaidUnits.Suspended,
			Warning: fs.PrepaidUnits.Warning, LockedOut: fs.PrepaidUnits.LockedOut},
		SubscriptionIDs: fs.SubscriptionIDs}
	if sku.SubscriptionIDs == nil {
		sku.SubscriptionIDs = []string{newID()}
	}
	for _, sp := range p.ServicePlans {
		ps := status[sp.ServicePlanID]
		if ps == "" {
			ps = "Success"
		}
		sku.ServicePlans = append(sku.ServicePlans, engine.ServicePlanInfo{ServicePlanID: sp.ServicePlanID,
			ServicePlanName: sp.ServicePlanName, ProvisioningStatus: ps, AppliesTo: sp.AppliesTo, Service: sp.Service})
	}
	return sku, nil
}

// loadFixtureUser creates the user when its deleted state matches pass (true: soft-deleted users,
// which are marked deleted and recorded in deleted).
func loadFixtureUser(tx *engine.Txn, raw json.RawMessage, pass bool, deleted map[string]bool) (id string, licenses []FixtureLicense, manager string, err error) {
	id, licenses, manager, err = loadFixtureUserLicensed(tx, raw, pass, deleted)
	if id == "" {
		manager = ""
	}
	return id, licenses, manager, err
}

func loadFixtureUserLicensed(tx *engine.Txn, raw json.RawMessage, pass bool, deleted map[string]bool) (string, []FixtureLicense, string, error) {
	members, order, err := decodeObject(raw)
	if err != nil {
		return "", nil, "", err
	}
	var manager string
	if v, ok := members["manager"]; ok {
		if err := json.Unmarshal(v, &manager); err != nil || manager == "" {
			return "", nil, "", fmt.Errorf("manager must be a user's id or userPrincipalName")
		}
		delete(members, "manager")
		order = without(order, "manager")
	}
	var licenses []FixtureLicense
	if v, ok := members["assignedLicenses"]; ok {
		if licenses, err = decodeFixtureLicenses(v); err != nil {
			return "", nil, "", err
		}
		delete(members, "assignedLicenses")
		order = without(order, "assignedLicenses")
	}
	created, deletedAt, order, err := fixtureTimes(members, order)
	if err != nil || (deletedAt != nil) != pass {
		return "", nil, "", err
	}
	u := &engine.User{AccountEnabled: true, CreatedDateTime: created}
	if err := userType.apply(u, members, order); err != nil {
		return "", nil, "", err
	}
	if deletedAt != nil && u.ID != "" {
		// An export shows the renamed userPrincipalName; the user is created with its own and
		// renamed again when it is marked deleted.
		u.UserPrincipalName = engine.OriginalUPN(u.ID, u.UserPrincipalName)
	}
	nu, err := tx.CreateUser(u)
	if err != nil {
		return "", nil, "", err
	}
	if deletedAt == nil {
		return nu.ID, licenses, manager, nil
	}
	if len(licenses) > 0 {
		return "", nil, "", fmt.Errorf("a deleted user holds no licenses")
	}
	deleted[nu.ID] = true
	return nu.ID, nil, manager, tx.MarkDeleted(nu.ID, *deletedAt)
}

// loadFixtureManager links a user to the manager ref names: an id (of an active or soft-deleted
// user, as exports write it) or an active user's userPrincipalName.
func loadFixtureManager(tx *engine.Txn, userID, ref string) error {
	if !engine.IsGUID(ref) {
		u, err := tx.UsersByUPN(ref)
		if err != nil {
			return err
		}
		if u == nil {
			return fmt.Errorf("no user %q", ref)
		}
		ref = u.ID
	}
	return tx.LoadManager(userID, ref)
}

// loadFixtureGroup creates the group when its deleted state matches pass (see loadFixtureUser);
// id is "" for a group left to the other pass.
func loadFixtureGroup(tx *engine.Txn, raw json.RawMessage, pass bool, deleted map[string]bool) (id string, members, owners []string, licenses []FixtureLicense, err error) {
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
	created, deletedAt, order, err := fixtureTimes(fields, order)
	if err != nil || (deletedAt != nil) != pass {
		return "", nil, nil, nil, err
	}
	if deletedAt != nil && len(licenses) > 0 {
		return "", nil, nil, nil, fmt.Errorf("a deleted group holds no licenses")
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
	g := &engine.Group{CreatedDateTime: created}
	if err := groupType.apply(g, fields, order); err != nil {
		return "", nil, nil, nil, err
	}
	// LoadGroup, not CreateGroup: a fixture may hold mail-enabled security groups and distribution
	// lists, which a tenant gets from Exchange Online but POST /groups refuses.
	ng, err := tx.LoadGroup(g)
	if err != nil {
		return "", nil, nil, nil, err
	}
	if deletedAt != nil {
		deleted[ng.ID] = true
		if err := tx.MarkDeleted(ng.ID, *deletedAt); err != nil {
			return "", nil, nil, nil, err
		}
	}
	return ng.ID, members, owners, licenses, nil
}

// resolveFixtureRef turns a member reference (id, userPrincipalName, or group mailNickname) into an
// id. Only Microsoft 365 groups have unique mailNicknames, so a mailNickname that several active
// groups share is refused as ambiguous.
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
	var ids []string
	err := tx.GroupsByIndex(engine.IndexMailNickname, ref, false, func(g *engine.Group) bool {
		ids = append(ids, g.ID)
		return len(ids) < 2
	})
	if err != nil {
		return "", err
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("no user or group %q", ref)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("more than one group has mailNickname %q; refer to the group by id", ref)
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
