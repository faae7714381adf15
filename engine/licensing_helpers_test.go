package engine_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/engine/catalog"
)

// SKU ids and plan ids used by the tests (catalogue values).
const (
	skuE3  = "6fd2c87f-b296-42f0-b197-1e91e994b900" // ENTERPRISEPACK
	skuE5  = "c7df2760-2c81-4ef7-b578-5b5392b571df" // ENTERPRISEPREMIUM
	skuEMS = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e" // EMS
	skuF3  = "4b585984-651b-448a-9e53-3b10f069cf7f" // DESKLESSPACK
	skuWPA = "3d957427-ecdc-4df2-aacd-01cc9d519da8" // WORKPLACE_ANALYTICS
	skuP1  = "078d2b04-f1bd-4111-bbd4-b4b1b354cef4" // AAD_PREMIUM (not subscribed in tests)

	planExchange   = "efb87545-963c-4e0d-99df-69c6916d9eb0" // EXCHANGE_S_ENTERPRISE
	planSharePoint = "5dbe027f-2339-4123-9542-606e4d348a72" // SHAREPOINTENTERPRISE
	planYammer     = "7547a3fe-08ee-4ccb-b430-5077c5041653" // YAMMER_ENTERPRISE
	planSway       = "a23b959c-7ce8-4e57-9140-b90eb88a9e97" // SWAY
	planPlanner    = "b737dad2-2f6c-4c65-90e3-ca563267e8b9" // PROJECTWORKMANAGEMENT
	planTeams      = "57ff2da0-773e-42df-b2af-ffb7a2317929" // TEAMS1
	planOffice     = "43de0ff5-c92c-492b-9116-175376d08c38" // OFFICESUBSCRIPTION
	planWPA        = "f477b0f0-3bb1-4890-940c-40fcee6ce05f" // WORKPLACE_ANALYTICS
)

var admin = engine.Actor{User: &engine.UserIdentity{ID: "00000000-0000-0000-0000-0000000000aa", DisplayName: "Admin", UserPrincipalName: "admin@contoso.example"}}

// env is a tenant for licensing tests whose invariants are checked after every step.
type env struct {
	t     *testing.T
	s     *engine.Store
	n     int
	clock *engine.ManualClock
}

type envOpt func(*engine.Options)

func withMode(m engine.ProcessingMode, d time.Duration) envOpt {
	return func(o *engine.Options) { o.Processing = engine.ProcessingOptions{Mode: m, Delay: d} }
}

func withConstraints(c catalog.Constraints) envOpt {
	return func(o *engine.Options) { o.Licensing.Constraints = &c }
}

// newEnv makes a tenant (usage location US) subscribed to E3, E5, EMS, F3 and Workplace Analytics
// with the given E3 seats and 10 of each other; processing is immediate unless an option says otherwise.
func newEnv(t *testing.T, e3Seats int, opts ...envOpt) *env {
	t.Helper()
	clock := engine.NewManualClock()
	clock.Freeze(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	o := engine.Options{Clock: clock, IDs: engine.NewDeterministicIDs(t.Name()), Processing: engine.ProcessingOptions{Mode: engine.ProcessingImmediate}}
	for _, f := range opts {
		f(&o)
	}
	s, err := engine.NewStore(o)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, s: s, clock: clock}
	e.update(func(tx *engine.Txn) error {
		org := &engine.Organization{ID: "11111111-2222-4333-8444-555555555555", DisplayName: "Contoso", CountryLetterCode: "US", DefaultUsageLocation: "US",
			VerifiedDomains: []engine.VerifiedDomain{{Name: "contoso.example", IsDefault: true}}}
		if err := tx.SetOrganization(org); err != nil {
			return err
		}
		for _, sku := range []struct {
			part  string
			seats int
		}{{"ENTERPRISEPACK", e3Seats}, {"ENTERPRISEPREMIUM", 10}, {"EMS", 10}, {"DESKLESSPACK", 10}, {"WORKPLACE_ANALYTICS", 10}} {
			p, ok := catalog.ByPartNumber(sku.part)
			if !ok {
				t.Fatalf("catalogue lacks %s", sku.part)
			}
			ss := &engine.SubscribedSku{SkuID: p.SkuID, SkuPartNumber: p.SkuPartNumber, AccountID: org.ID, AppliesTo: "User", CapabilityStatus: "Enabled",
				PrepaidUnits: engine.LicenseUnits{Enabled: sku.seats}}
			for _, sp := range p.ServicePlans {
				ss.ServicePlans = append(ss.ServicePlans, engine.ServicePlanInfo{ServicePlanID: sp.ServicePlanID, ServicePlanName: sp.ServicePlanName,
					ProvisioningStatus: "Success", AppliesTo: sp.AppliesTo, Service: sp.Service})
			}
			if err := tx.PutSubscribedSku(ss); err != nil {
				return err
			}
		}
		return nil
	})
	return e
}

// update runs fn in a write transaction, fails the test on error, and checks the invariants.
func (e *env) update(fn func(tx *engine.Txn) error) {
	e.t.Helper()
	if err := e.s.Update(admin, fn); err != nil {
		e.t.Fatal(err)
	}
	e.check()
}

// try runs fn and returns its error, checking the invariants either way.
func (e *env) try(fn func(tx *engine.Txn) error) error {
	e.t.Helper()
	err := e.s.Update(admin, fn)
	e.check()
	return err
}

func (e *env) check() {
	e.t.Helper()
	if err := e.s.View(func(tx *engine.Txn) error { return tx.CheckLicenseInvariants() }); err != nil {
		e.t.Fatalf("licensing invariant broken: %v", err)
	}
}

func (e *env) drain() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.s.Processing().Drain(ctx); err != nil {
		e.t.Fatal(err)
	}
	if errs := e.s.Processing().Errors(); len(errs) > 0 {
		e.t.Fatalf("task errors: %v", errs)
	}
	e.check()
}

// user creates a user; loc "" leaves usageLocation unset.
func (e *env) user(name, loc string) string {
	e.t.Helper()
	e.n++
	var id string
	e.update(func(tx *engine.Txn) error {
		u, err := tx.CreateUser(&engine.User{DisplayName: name, MailNickname: strings.ReplaceAll(strings.ToLower(name), " ", "."),
			UserPrincipalName: strings.ReplaceAll(strings.ToLower(name), " ", ".") + "@contoso.example", UsageLocation: loc, AccountEnabled: true,
			PasswordProfile: &engine.PasswordProfile{Password: "x-Pa55word"}})
		if err == nil {
			id = u.ID
		}
		return err
	})
	return id
}

// group creates a security group (or a Microsoft 365 group when unified) with the given members.
func (e *env) group(name string, security, unified bool, members ...string) string {
	e.t.Helper()
	var id string
	e.update(func(tx *engine.Txn) error {
		g := &engine.Group{DisplayName: name, MailNickname: strings.ReplaceAll(strings.ToLower(name), " ", "-"), SecurityEnabled: security}
		if unified {
			g.GroupTypes, g.MailEnabled = []string{"Unified"}, true
		}
		created, err := tx.CreateGroup(g)
		if err != nil {
			return err
		}
		id = created.ID
		for _, m := range members {
			if err := tx.AddMember(id, m); err != nil {
				return err
			}
		}
		return nil
	})
	return id
}

func (e *env) addMember(g, m string) {
	e.t.Helper()
	e.update(func(tx *engine.Txn) error { return tx.AddMember(g, m) })
}

func (e *env) removeMember(g, m string) {
	e.t.Helper()
	e.update(func(tx *engine.Txn) error { return tx.RemoveMember(g, m) })
}

func lic(sku string, disabled ...string) engine.AssignedLicense {
	return engine.AssignedLicense{SkuID: sku, DisabledPlans: disabled}
}

func (e *env) assign(uid string, add []engine.AssignedLicense, remove ...string) error {
	e.t.Helper()
	return e.try(func(tx *engine.Txn) error { _, err := tx.AssignLicense(uid, add, remove); return err })
}

func (e *env) assignGroup(gid string, add []engine.AssignedLicense, remove ...string) {
	e.t.Helper()
	e.update(func(tx *engine.Txn) error { _, err := tx.AssignGroupLicense(gid, add, remove); return err })
}

func (e *env) getUser(id string) *engine.User {
	e.t.Helper()
	var u *engine.User
	if err := e.s.View(func(tx *engine.Txn) error {
		var err error
		u, err = tx.UserByID(id)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) getGroup(id string) *engine.Group {
	e.t.Helper()
	var g *engine.Group
	if err := e.s.View(func(tx *engine.Txn) error {
		var err error
		g, err = tx.GroupByID(id)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return g
}

func (e *env) sku(id string) *engine.SubscribedSku {
	e.t.Helper()
	var s *engine.SubscribedSku
	if err := e.s.View(func(tx *engine.Txn) error {
		var err error
		s, err = tx.SubscribedSkuByID(id)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) audits() []*engine.AuditRecord {
	e.t.Helper()
	var out []*engine.AuditRecord
	if err := e.s.View(func(tx *engine.Txn) error {
		return tx.AuditRecords(func(r *engine.AuditRecord) bool { out = append(out, r); return true })
	}); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// state returns the user's licenseAssignmentState for (sku, group) ("" = direct), or nil.
func state(u *engine.User, sku, group string) *engine.LicenseAssignmentState {
	for i, s := range u.LicenseAssignmentStates {
		if s.SkuID == sku && s.AssignedByGroup == group {
			return &u.LicenseAssignmentStates[i]
		}
	}
	return nil
}

// assigned returns the user's assignedLicenses entry for sku, or nil.
func assigned(u *engine.User, sku string) *engine.AssignedLicense {
	for i, l := range u.AssignedLicenses {
		if l.SkuID == sku {
			return &u.AssignedLicenses[i]
		}
	}
	return nil
}

// enabledPlan reports whether the user's assignedPlans show the plan Enabled.
func enabledPlan(u *engine.User, plan string) bool {
	return slices.ContainsFunc(u.AssignedPlans, func(p engine.AssignedPlan) bool {
		return p.ServicePlanID == plan && p.CapabilityStatus == "Enabled"
	})
}

// allPlansBut returns every plan of the catalogue product sku except keep.
func allPlansBut(t *testing.T, sku string, keep ...string) []string {
	t.Helper()
	p, ok := catalog.BySkuID(sku)
	if !ok {
		t.Fatalf("no product %s", sku)
	}
	var out []string
	for _, sp := range p.ServicePlans {
		if !slices.Contains(keep, sp.ServicePlanID) {
			out = append(out, sp.ServicePlanID)
		}
	}
	return out
}
