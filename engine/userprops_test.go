package engine

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// wantEngineError asserts an *Error of kind with message.
func wantEngineError(t *testing.T, err error, kind Kind, message string) {
	t.Helper()
	var ee *Error
	if !errors.As(err, &ee) {
		t.Fatalf("err = %v, want %q", err, message)
	}
	if ee.Kind != kind || ee.Message != message {
		t.Fatalf("err = %d %q, want %d %q", ee.Kind, ee.Message, kind, message)
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, password, policies string
		ok                       bool
	}{
		{"7 characters, 4 classes", "Aa1!Aa1", "", false},
		{"8 characters, 4 classes", "Aa1!Aa1!", "", true},
		{"8 characters, 3 classes: lower upper digit", "Abcdefg1", "", true},
		{"3 classes: lower upper symbol", "Abcdefg!", "", true},
		{"3 classes: lower digit symbol", "abcdef1!", "", true},
		{"3 classes: upper digit symbol", "ABCDEF1!", "", true},
		{"2 classes: lower upper", "Abcdefgh", "", false},
		{"2 classes: lower digit", "abcdefg1", "", false},
		{"2 classes: digit symbol", "1234567!", "", false},
		{"1 class", "abcdefghijkl", "", false},
		{"blank space is a symbol", "Abcdefg h", "", true},
		{"256 characters", "Aa1" + strings.Repeat("x", 253), "", true},
		{"257 characters", "Aa1" + strings.Repeat("x", 254), "", false},
		{"empty", "", "", false},
		{"non-ASCII letter", "Pässword1!", "", false},
		{"control character", "Pass\tword1", "", false},
		{"DisableStrongPassword lifts the classes rule", "password", "DisableStrongPassword", true},
		{"DisableStrongPassword in a list, any case", "password", "DisablePasswordExpiration,disablestrongpassword", true},
		{"DisableStrongPassword keeps the minimum length", "passwd", "DisableStrongPassword", false},
		{"DisableStrongPassword keeps the maximum length", strings.Repeat("p", 257), "DisableStrongPassword", false},
		{"DisablePasswordExpiration alone keeps the rule", "password", "DisablePasswordExpiration", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := CheckPassword(tc.password, tc.policies)
			if tc.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantEngineError(t, err, KindBadRequest, msgPasswordComplexity)
		})
	}
}

func TestPasswordRuleOnCreateAndUpdate(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	clock := s.Clock().(*ManualClock)
	t0 := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	clock.Freeze(t0)

	weak := testUser("weak")
	weak.PasswordProfile.Password = "password"
	err := s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(weak); return err })
	wantEngineError(t, err, KindBadRequest, "The specified password does not comply with password complexity requirements. Please provide a different password.")
	if n := countUsers(t, s); n != 0 {
		t.Fatalf("a refused create left %d users", n)
	}
	weak.PasswordPolicies = "DisableStrongPassword"
	var u *User
	if err := s.Update(admin, func(tx *Txn) (err error) { u, err = tx.CreateUser(weak); return }); err != nil {
		t.Fatalf("DisableStrongPassword: %v", err)
	}
	if !u.LastPasswordChangeDateTime.Equal(t0) {
		t.Fatalf("lastPasswordChangeDateTime = %v, want the creation time %v", u.LastPasswordChangeDateTime, t0)
	}

	other := mustCreateUser(t, s, "strong")
	update := func(change func(*User)) error {
		return s.Update(admin, func(tx *Txn) error {
			cur, err := tx.UserByID(other.ID)
			if err != nil {
				return err
			}
			c := cur.Clone()
			change(c)
			_, err = tx.UpdateUser(c)
			return err
		})
	}
	clock.Advance(time.Hour)
	err = update(func(c *User) { c.PasswordProfile = &PasswordProfile{Password: "Short1!"} })
	wantEngineError(t, err, KindBadRequest, msgPasswordComplexity)
	// A change of something else leaves the stored password alone, weak or not.
	if err := update(func(c *User) { c.JobTitle = "Clerk" }); err != nil {
		t.Fatal(err)
	}
	if err := update(func(c *User) { c.PasswordProfile = &PasswordProfile{Password: "Longer-Pa55"} }); err != nil {
		t.Fatal(err)
	}
	var got *User
	_ = s.View(func(tx *Txn) (err error) { got, err = tx.UserByID(other.ID); return })
	if !got.LastPasswordChangeDateTime.Equal(t0.Add(time.Hour)) {
		t.Fatalf("lastPasswordChangeDateTime = %v, want the change time", got.LastPasswordChangeDateTime)
	}
	// Setting DisableStrongPassword in the same update lets a weak password through.
	if err := update(func(c *User) {
		c.PasswordPolicies = "DisableStrongPassword"
		c.PasswordProfile = &PasswordProfile{Password: "weakweak"}
	}); err != nil {
		t.Fatal(err)
	}
}

func TestUserPropertyValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(*User)
		message string
	}{
		{"ageGroup", func(u *User) { u.AgeGroup = "Child" }, "Invalid value specified for property 'ageGroup' of resource 'User'."},
		{"consentProvidedForMinor", func(u *User) { u.ConsentProvidedForMinor = "Yes" }, "Invalid value specified for property 'consentProvidedForMinor' of resource 'User'."},
		{"passwordPolicies", func(u *User) { u.PasswordPolicies = "DisableStrongPassword, NeverExpire" }, "Invalid value specified for property 'passwordPolicies' of resource 'User'."},
		{"onPremisesImmutableId with $", func(u *User) { u.OnPremisesImmutableID = "abc$def" }, "Invalid value specified for property 'onPremisesImmutableId' of resource 'User'."},
		{"identity without issuer", func(u *User) { u.Identities = []ObjectIdentity{{SignInType: "federated"}} }, "Invalid value specified for property 'identities' of resource 'User'."},
		{"emailAddress identity that is no address", func(u *User) {
			u.Identities = []ObjectIdentity{{SignInType: "emailAddress", Issuer: "t.example", IssuerAssignedID: "nobody"}}
		}, "Invalid value specified for property 'identities' of resource 'User'."},
		{"userName identity with a dot", func(u *User) {
			u.Identities = []ObjectIdentity{{SignInType: "userName", Issuer: "t.example", IssuerAssignedID: "a.b"}}
		}, "Invalid value specified for property 'identities' of resource 'User'."},
		{"identity given twice", func(u *User) {
			id := ObjectIdentity{SignInType: "federated", Issuer: "idp.example", IssuerAssignedID: "x"}
			u.Identities = []ObjectIdentity{id, id}
		}, "Invalid value specified for property 'identities' of resource 'User'."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestStore(t)
			u := testUser("v")
			tc.change(u)
			err := s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(u); return err })
			wantEngineError(t, err, KindBadRequest, tc.message)
			e := new(Error)
			if errors.As(err, &e); len(e.Details) != 1 || e.Details[0].Code != CodeInvalidValue {
				t.Fatalf("details = %+v", e.Details)
			}
		})
	}
}

func TestUserPropertiesStored(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	hired := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	yes := true
	u := testUser("kept")
	u.AgeGroup, u.ConsentProvidedForMinor = "notadult", "GRANTED"
	u.PasswordPolicies = "DisablePasswordExpiration, DisableStrongPassword"
	u.OnPremisesImmutableID = "k2n3Yb0eS0uLqv7Jx1y3dA=="
	u.EmployeeHireDate = &hired
	u.EmployeeOrgData = EmployeeOrgData{Division: "Retail", CostCenter: "CC-7"}
	u.ShowInAddressList = &yes
	u.Identities = []ObjectIdentity{{SignInType: "federated", Issuer: "idp.example", IssuerAssignedID: "kept-1"}}
	var got *User
	if err := s.Update(admin, func(tx *Txn) (err error) { got, err = tx.CreateUser(u); return }); err != nil {
		t.Fatal(err)
	}
	if got.AgeGroup != "NotAdult" || got.ConsentProvidedForMinor != "Granted" {
		t.Fatalf("enumerations not canonical: %q %q", got.AgeGroup, got.ConsentProvidedForMinor)
	}
	want := []ObjectIdentity{{SignInType: "userPrincipalName", Issuer: "t.example", IssuerAssignedID: "kept@t.example"}, u.Identities[0]}
	if !sameIdentities(got.Identities, want) {
		t.Fatalf("identities = %+v, want %+v", got.Identities, want)
	}
	// The caller's values are copied, not retained.
	hired2 := hired.Add(time.Hour)
	u.EmployeeHireDate, *u.ShowInAddressList = &hired2, false
	_ = s.View(func(tx *Txn) (err error) { got, err = tx.UserByID(got.ID); return })
	if !got.EmployeeHireDate.Equal(hired) || !*got.ShowInAddressList || got.EmployeeOrgData.CostCenter != "CC-7" ||
		got.OnPremisesImmutableID != "k2n3Yb0eS0uLqv7Jx1y3dA==" || got.PasswordPolicies != "DisablePasswordExpiration, DisableStrongPassword" {
		t.Fatalf("stored user = %+v", got)
	}
	// Clone copies the pointer and slice fields.
	c := got.Clone()
	*c.EmployeeHireDate = hired2
	*c.ShowInAddressList = false
	c.Identities[0].Issuer = "changed"
	if !got.EmployeeHireDate.Equal(hired) || !*got.ShowInAddressList || got.Identities[0].Issuer != "t.example" {
		t.Fatal("Clone shares pointer or slice fields")
	}
}

// The userPrincipalName identity follows userPrincipalName, and writing one changes it.
func TestUserPrincipalNameIdentity(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	_ = s.Update(admin, func(tx *Txn) error {
		org, _ := tx.Organization()
		o := *org
		o.VerifiedDomains = []VerifiedDomain{{Name: "t.example", IsDefault: true}, {Name: "t.onmicrosoft.example", IsInitial: true}}
		return tx.SetOrganization(&o)
	})
	u := mustCreateUser(t, s, "ana")
	if want := (ObjectIdentity{"userPrincipalName", "t.onmicrosoft.example", "ana@t.example"}); len(u.Identities) != 1 || u.Identities[0] != want {
		t.Fatalf("identities = %+v, want the initial domain's %+v", u.Identities, want)
	}
	update := func(change func(*User)) (*User, error) {
		var got *User
		err := s.Update(admin, func(tx *Txn) error {
			cur, err := tx.UserByID(u.ID)
			if err != nil {
				return err
			}
			c := cur.Clone()
			change(c)
			got, err = tx.UpdateUser(c)
			return err
		})
		return got, err
	}
	got, err := update(func(c *User) { c.UserPrincipalName = "ana.b@t.example" })
	if err != nil || got.Identities[0].IssuerAssignedID != "ana.b@t.example" {
		t.Fatalf("after a userPrincipalName change: %+v, %v", got.Identities, err)
	}
	got, err = update(func(c *User) {
		c.Identities = []ObjectIdentity{{SignInType: "userPrincipalName", Issuer: "t.example", IssuerAssignedID: "ana.c@t.example"},
			{SignInType: "federated", Issuer: "idp.example", IssuerAssignedID: "ana"}}
	})
	if err != nil || got.UserPrincipalName != "ana.c@t.example" || len(got.Identities) != 2 ||
		got.Identities[0] != (ObjectIdentity{"userPrincipalName", "t.onmicrosoft.example", "ana.c@t.example"}) {
		t.Fatalf("after writing a userPrincipalName identity: %q %+v, %v", got.UserPrincipalName, got.Identities, err)
	}
	// Clearing the identities keeps the userPrincipalName one.
	got, err = update(func(c *User) { c.Identities = nil })
	if err != nil || len(got.Identities) != 1 || got.Identities[0].SignInType != "userPrincipalName" {
		t.Fatalf("after clearing: %+v, %v", got.Identities, err)
	}
}

func TestUniqueImmutableIDAndIdentities(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	first := testUser("first")
	first.OnPremisesImmutableID = "aW1tdXRhYmxl"
	first.Identities = []ObjectIdentity{{SignInType: "federated", Issuer: "idp.example", IssuerAssignedID: "Same"}}
	if err := s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(first); return err }); err != nil {
		t.Fatal(err)
	}
	second := testUser("second")
	second.OnPremisesImmutableID = "aW1tdXRhYmxl"
	err := s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(second); return err })
	wantEngineError(t, err, KindBadRequest, "Another object with the same value for property onPremisesImmutableId already exists.")
	second.OnPremisesImmutableID = ""
	second.Identities = []ObjectIdentity{{SignInType: "federated", Issuer: "IDP.example", IssuerAssignedID: "same"}}
	err = s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(second); return err })
	wantEngineError(t, err, KindBadRequest, "Another object with the same value for property identities already exists.")

	// A soft-deleted user's values can be reused; restoring it then conflicts.
	var firstID string
	_ = s.View(func(tx *Txn) error {
		u, err := tx.UsersByUPN("first@t.example")
		firstID = u.ID
		return err
	})
	if err := s.Update(admin, func(tx *Txn) error { return tx.DeleteUser(firstID) }); err != nil {
		t.Fatal(err)
	}
	second.OnPremisesImmutableID = "aW1tdXRhYmxl"
	if err := s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(second); return err }); err != nil {
		t.Fatalf("reusing a deleted user's values: %v", err)
	}
	err = s.Update(admin, func(tx *Txn) error { _, err := tx.RestoreObject(firstID); return err })
	wantEngineError(t, err, KindBadRequest, "Another object with the same value for property onPremisesImmutableId already exists.")
}

func TestFederatedDomainNeedsImmutableID(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	_ = s.Update(admin, func(tx *Txn) error {
		org, _ := tx.Organization()
		o := *org
		o.VerifiedDomains = append([]VerifiedDomain{{Name: "fed.example", Type: "Federated"}}, o.VerifiedDomains...)
		return tx.SetOrganization(&o)
	})
	u := testUser("fed")
	u.UserPrincipalName = "fed@fed.example"
	err := s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(u); return err })
	wantEngineError(t, err, KindBadRequest, "Property onPremisesImmutableId value is required but is empty or missing.")
	u.OnPremisesImmutableID = "ZmVk"
	if err := s.Update(admin, func(tx *Txn) error { _, err := tx.CreateUser(u); return err }); err != nil {
		t.Fatal(err)
	}
}
