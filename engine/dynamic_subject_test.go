package engine

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine/membershiprule"
)

func subjectUser() *User {
	u := &User{ID: "0b5e1c7a-3f7e-4c61-9a43-2d0a9b6f1e01", UserPrincipalName: "adele@t.example", DisplayName: "Adele Vance",
		GivenName: "Adele", Surname: "Vance", Mail: "adele@t.example", MailNickname: "adele", JobTitle: "Engineer",
		Department: "Sales", CompanyName: "Contoso", OfficeLocation: "Building 7", MobilePhone: "+1 555 0100",
		PreferredLanguage: "en-US", UsageLocation: "US", City: "Seattle", Country: "United States", State: "WA",
		StreetAddress: "1 Main St", PostalCode: "98052", EmployeeID: "E-42", FaxNumber: "+1 555 0199", UserType: "Member",
		AccountEnabled: true, BusinessPhones: []string{"+1 555 0101", "+1 555 0102"}, OtherMails: []string{"adele@other.example"},
		ProxyAddresses: []string{"SMTP:adele@t.example", "smtp:av@t.example"},
		AssignedPlans:  []AssignedPlan{{ServicePlanID: "efb87545-963c-4e0d-99df-69c6916d9eb0", Service: "exchange", CapabilityStatus: "Enabled"}},
	}
	u.ExtensionAttributes[0] = "EMS;E5_baseservices;"
	u.ExtensionAttributes[14] = "fifteen"
	return u
}

// TestRuleSubject checks that every rule property name reads the User field it stands for.
func TestRuleSubject(t *testing.T) {
	t.Parallel()
	u := subjectUser()
	tests := []struct {
		rule string
		want bool
	}{
		{`user.accountEnabled -eq true`, true},
		{`user.dirSyncEnabled -eq null`, true},
		{`user.employeeHireDate -eq null`, true},
		{`user.city -eq "Seattle"`, true},
		{`user.country -eq "united states"`, true},
		{`user.companyName -eq "Contoso"`, true},
		{`user.department -eq "Sales"`, true},
		{`user.displayName -eq "Adele Vance"`, true},
		{`user.employeeId -eq "E-42"`, true},
		{`user.facsimileTelephoneNumber -eq "+1 555 0199"`, true},
		{`user.givenName -eq "Adele"`, true},
		{`user.jobTitle -eq "Engineer"`, true},
		{`user.mail -eq "adele@t.example"`, true},
		{`user.mailNickName -eq "adele"`, true},
		{`user.mobile -eq "+1 555 0100"`, true},
		{`user.objectId -eq "0b5e1c7a-3f7e-4c61-9a43-2d0a9b6f1e01"`, true},
		{`user.objectId -ne null`, true},
		{`user.onPremisesDistinguishedName -eq null`, true},
		{`user.onPremisesSecurityIdentifier -eq null`, true},
		{`user.passwordPolicies -eq null`, true},
		{`user.physicalDeliveryOfficeName -eq "Building 7"`, true},
		{`user.postalCode -eq "98052"`, true},
		{`user.preferredLanguage -eq "en-US"`, true},
		{`user.sipProxyAddress -eq null`, true},
		{`user.state -eq "WA"`, true},
		{`user.streetAddress -eq "1 Main St"`, true},
		{`user.surname -eq "Vance"`, true},
		{`user.telephoneNumber -eq "+1 555 0101"`, true}, // businessPhones[0]
		{`user.usageLocation -eq "US"`, true},
		{`user.userPrincipalName -eq "adele@t.example"`, true},
		{`user.userType -eq "Member"`, true},
		{`user.extensionAttribute1 -contains "EMS"`, true},
		{`user.extensionAttribute1 -contains "E5_baseservices"`, true},
		{`user.extensionAttribute2 -eq null`, true},
		{`user.extensionAttribute15 -eq "fifteen"`, true},
		{`user.otherMails -any (_ -endsWith "other.example")`, true},
		{`user.proxyAddresses -any (_ -startsWith "smtp:av")`, true},
		{`user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")`, true},
		{`user.assignedPlans -any (assignedPlan.service -eq "SharePoint")`, false},
		{`user.extension_0123456789abcdef0123456789abcdef_costCenter -eq null`, true},
		{`Direct Reports for "62e90394-69f5-4237-9190-012177145e10"`, false}, // manager is not modelled
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			r, err := membershiprule.Parse(tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			s := &ruleSubject{}
			s.set(u)
			if got := r.Match(s); got != tc.want {
				t.Fatalf("Match = %v, want %v", got, tc.want)
			}
			// The generic interface agrees with the typed one.
			if got := r.Match(genericSubject{s}); got != tc.want {
				t.Fatalf("Match through RuleProperty = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRuleSubjectReadsPasswordPoliciesAndHireDate checks the two rule properties backed by
// user properties graphmock gained later: passwordPolicies and employeeHireDate.
func TestRuleSubjectReadsPasswordPoliciesAndHireDate(t *testing.T) {
	t.Parallel()
	u := subjectUser()
	u.PasswordPolicies = "DisablePasswordExpiration, DisableStrongPassword"
	hired := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	u.EmployeeHireDate = &hired
	tests := []struct {
		rule string
		want bool
	}{
		{`user.passwordPolicies -contains "DisableStrongPassword"`, true},
		{`user.passwordPolicies -eq "DisablePasswordExpiration"`, false},
		{`user.passwordPolicies -ne null`, true},
		{`user.employeeHireDate -eq 2024-03-01T09:00:00Z`, true},
		{`user.employeeHireDate -le 2024-02-29T00:00:00Z`, false},
		{`user.employeeHireDate -ge 2024-02-29T00:00:00Z`, true},
		{`user.employeeHireDate -eq null`, false},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			t.Parallel()
			r, err := membershiprule.Parse(tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			s := &ruleSubject{}
			s.set(u)
			if got := r.Match(s); got != tc.want {
				t.Fatalf("Match = %v, want %v", got, tc.want)
			}
			if got := r.Match(genericSubject{s}); got != tc.want {
				t.Fatalf("Match through RuleProperty = %v, want %v", got, tc.want)
			}
		})
	}
}

// genericSubject hides the TypedSubject methods, so Match reads everything through RuleProperty.
type genericSubject struct{ s *ruleSubject }

func (g genericSubject) RuleProperty(name string) any { return g.s.RuleProperty(name) }

func TestRuleSubjectMatchAllocatesNothing(t *testing.T) {
	u := subjectUser()
	r, err := membershiprule.Parse(`(user.extensionAttribute1 -contains "EMS" -and user.telephoneNumber -startsWith "+1") -or user.assignedPlans -any (assignedPlan.capabilityStatus -eq "Enabled") -or user.proxyAddresses -any (_ -contains "x")`)
	if err != nil {
		t.Fatal(err)
	}
	s := &ruleSubject{}
	s.set(u)
	r.Match(s) // fills the plan scratch space once
	if n := testing.AllocsPerRun(100, func() {
		s.set(u)
		r.Match(s)
	}); n != 0 {
		t.Fatalf("Match allocates %v times", n)
	}
}

func TestUserRuleDiff(t *testing.T) {
	t.Parallel()
	bit := func(name string) uint64 { return propBits[name] }
	tests := []struct {
		name   string
		change func(u *User)
		want   uint64
	}{
		{"nothing", func(*User) {}, 0},
		{"jobTitle", func(u *User) { u.JobTitle = "Manager" }, bit("jobtitle")},
		{"officeLocation is physicalDeliveryOfficeName", func(u *User) { u.OfficeLocation = "B8" }, bit("physicaldeliveryofficename")},
		{"mobilePhone is mobile", func(u *User) { u.MobilePhone = "" }, bit("mobile")},
		{"first business phone is telephoneNumber", func(u *User) { u.BusinessPhones = []string{"+1 555 0000"} }, bit("telephonenumber")},
		{"second business phone is not read", func(u *User) { u.BusinessPhones = []string{"+1 555 0101"} }, 0},
		{"extensionAttribute1", func(u *User) { u.ExtensionAttributes[0] = "EMS;" }, bit("extensionattribute1")},
		{"extensionAttribute15", func(u *User) { u.ExtensionAttributes[14] = "" }, bit("extensionattribute15")},
		{"accountEnabled and proxyAddresses", func(u *User) { u.AccountEnabled = false; u.ProxyAddresses = nil }, bit("accountenabled") | bit("proxyaddresses")},
		{"assignedPlans status", func(u *User) {
			u.AssignedPlans = []AssignedPlan{{ServicePlanID: u.AssignedPlans[0].ServicePlanID, Service: "exchange", CapabilityStatus: "Deleted"}}
		}, bit("assignedplans")},
		{"employeeType is not a rule property", func(u *User) { u.EmployeeType = "Contractor" }, 0},
		{"passwordPolicies", func(u *User) { u.PasswordPolicies = "DisablePasswordExpiration" }, bit("passwordpolicies")},
		{"employeeHireDate set", func(u *User) { t := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC); u.EmployeeHireDate = &t }, bit("employeehiredate")},
		{"employeeLeaveDateTime is not a rule property", func(u *User) { t := time.Now(); u.EmployeeLeaveDateTime = &t }, 0},
		{"password is not a rule property", func(u *User) { u.PasswordProfile = &PasswordProfile{Password: "N3w-Pa55word"} }, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := subjectUser()
			b := a.Clone()
			tc.change(b)
			if got := userRuleDiff(a, b); got != tc.want {
				t.Fatalf("diff = %b, want %b", got, tc.want)
			}
		})
	}
}

func TestRuleMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule string
		want uint64
	}{
		{`user.department -eq "Sales"`, propBits["department"]},
		{`user.extensionAttribute1 -contains "EMS" -or user.mobile -ne null`, propBits["extensionattribute1"] | propBits["mobile"]},
		{`user.extension_0123456789abcdef0123456789abcdef_costCenter -eq "1"`, 1 << propBitUnmodelled},
		{`Direct Reports for "62e90394-69f5-4237-9190-012177145e10"`, 1 << propBitUnmodelled},
		{`user.employeeHireDate -le system.now`, propBits["employeehiredate"]},
		{`user.passwordPolicies -contains "DisableStrongPassword"`, propBits["passwordpolicies"]},
		{`user.dirSyncEnabled -eq true`, 1 << propBitUnmodelled},
	}
	for _, tc := range tests {
		r, err := membershiprule.Parse(tc.rule)
		if err != nil {
			t.Fatal(err)
		}
		if got := ruleMask(r.Properties()); got != tc.want {
			t.Errorf("%s: mask %b, want %b", tc.rule, got, tc.want)
		}
	}
}

// TestGroupEvaluationInBatches checks that a large evaluation is written in transactions of
// maxChangesPerTxn changes, each later batch checked again against the current state.
func TestGroupEvaluationInBatches(t *testing.T) {
	t.Parallel()
	s, err := NewStore(Options{IDs: NewDeterministicIDs(t.Name()), Clock: NewManualClock(), Processing: ProcessingOptions{Mode: ProcessingManual}})
	if err != nil {
		t.Fatal(err)
	}
	const n = maxChangesPerTxn + 500
	err = s.Update(admin, func(tx *Txn) error {
		if err := tx.SetOrganization(&Organization{ID: "11111111-2222-4333-8444-555555555555", DisplayName: "T",
			CountryLetterCode: "US", VerifiedDomains: []VerifiedDomain{{Name: "t.example", IsDefault: true}}}); err != nil {
			return err
		}
		for i := range n {
			u := testUser(fmt.Sprintf("u%05d", i))
			u.Department = "A"
			if _, err := tx.CreateUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var gid string
	err = s.Update(admin, func(tx *Txn) error {
		g, err := tx.CreateGroup(&Group{DisplayName: "A", MailNickname: "a", SecurityEnabled: true, GroupTypes: []string{"DynamicMembership"},
			MembershipRule: `user.department -eq "A"`})
		if err == nil {
			gid = g.ID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	count := func() (members int, outsider string) {
		t.Helper()
		_ = s.View(func(tx *Txn) error {
			return tx.Users(func(u *User) bool {
				if ok, _ := tx.IsMember(gid, u.ID); ok {
					members++
				} else if u.Department == "A" {
					outsider = u.ID
				}
				return true
			})
		})
		return members, outsider
	}
	if !s.Processing().Step() {
		t.Fatal("no evaluation queued")
	}
	members, outsider := count()
	if members != maxChangesPerTxn || outsider == "" || s.Processing().Status().Pending != 1 {
		t.Fatalf("after one batch: %d members, %d queued", members, s.Processing().Status().Pending)
	}
	// A user still waiting to join stops matching before the next batch.
	err = s.Update(admin, func(tx *Txn) error {
		u, err := tx.UserByID(outsider)
		if err != nil {
			return err
		}
		c := u.Clone()
		c.Department = "B"
		_, err = tx.UpdateUser(c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Processing().Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if errs := s.Processing().Errors(); len(errs) > 0 {
		t.Fatal(errs)
	}
	if members, _ := count(); members != n-1 {
		t.Fatalf("after the rest: %d members, want %d", members, n-1)
	}
	if ok, _ := isMember(s, gid, outsider); ok {
		t.Fatal("the user who stopped matching joined")
	}
}

func isMember(s *Store, gid, uid string) (ok bool, err error) {
	err = s.View(func(tx *Txn) error { ok, err = tx.IsMember(gid, uid); return err })
	return ok, err
}
