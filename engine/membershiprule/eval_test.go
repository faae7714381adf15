package membershiprule

import (
	"testing"
	"time"
)

// mapSubject is a Subject backed by a map of rule-language property names.
type mapSubject map[string]any

func (m mapSubject) RuleProperty(name string) any { return m[name] }

// fastMapSubject is a mapSubject that also implements TypedSubject.
type fastMapSubject struct{ mapSubject }

func (m fastMapSubject) RuleString(name string) (string, bool) {
	s, ok := m.mapSubject[name].(string)
	return s, ok
}

func (m fastMapSubject) RuleStrings(name string) []string {
	s, _ := m.mapSubject[name].([]string)
	return s
}

func (m fastMapSubject) RuleTime(name string) (time.Time, bool) {
	t, ok := m.mapSubject[name].(time.Time)
	return t, ok
}

func (m fastMapSubject) RuleAssignedPlans(name string) []AssignedPlan {
	p, _ := m.mapSubject[name].([]AssignedPlan)
	return p
}

var (
	hireDate = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	evalNow  = time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)

	alice = mapSubject{
		"objectId":            "11111111-1111-1111-1111-111111111111",
		"accountEnabled":      true,
		"department":          "Sales",
		"displayName":         "David Smith",
		"jobTitle":            "SDE II",
		"country":             "US",
		"userType":            "Member",
		"mail":                "david@contoso.com",
		"extensionAttribute1": "EMS-E5",
		"proxyAddresses":      []string{"SMTP:david@contoso.com", "smtp:dave@fabrikam.com"},
		"otherMails":          []string{"d@outlook.com"},
		"assignedPlans": []AssignedPlan{
			{ServicePlanID: "efb87545-963c-4e0d-99df-69c6916d9eb0", Service: "exchange", CapabilityStatus: "Enabled"},
			{ServicePlanID: "c1ec4a95-1f05-45b3-a911-aa3fa01094f5", Service: "SCO", CapabilityStatus: "Suspended"},
		},
		"employeeHireDate": hireDate,
		ManagerProperty:    "AAAAAAAA-0000-1111-2222-BBBBBBBBBBBB",
	}
	bob = mapSubject{
		"objectId":       "22222222-2222-2222-2222-222222222222",
		"accountEnabled": false,
		"userType":       "Guest",
		"department":     "",
	}
)

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rule       string
		alice, bob bool
	}{
		{`user.objectId -ne null`, true, true},
		{`(user.objectId -ne null) -and (user.userType -eq "Member")`, true, false},
		{`user.department -eq "sales"`, true, false},
		{`user.department -eq null`, false, true},
		{`user.department -ne "Sales"`, false, true},
		{`user.department -ne null`, true, false},
		{`user.displayName -startsWith "DAV"`, true, false},
		{`user.displayName -notStartsWith "dav"`, false, true},
		{`user.displayName -endsWith "SMITH"`, true, false},
		{`user.displayName -notEndsWith "x"`, true, true},
		{`user.displayName -contains "id sm"`, true, false},
		{`user.displayName -notContains "id sm"`, false, true},
		{`user.displayName -match "^Da.*"`, true, false},
		{`user.displayName -match ".*vid"`, true, false},
		{`user.displayName -match "^smith"`, false, false},
		{`user.displayName -notMatch "^da"`, false, true},
		{`user.department -in ["Marketing","SALES"]`, true, false},
		{`user.department -notIn ["Marketing","SALES"]`, false, true},
		{`user.accountEnabled -eq true`, true, false},
		{`user.accountEnabled -ne true`, false, true},
		{`user.dirSyncEnabled -eq null`, true, true},
		{`user.dirSyncEnabled -eq false`, false, false},
		{`user.dirSyncEnabled -ne false`, true, true},
		{`user.extensionAttribute1 -contains "EMS"`, true, false},
		{`user.extensionAttribute1 -contains "ems"`, true, false},
		{`(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")`, false, false},
		{`(user.department -eq "Sales") -or (user.userType -eq "Guest")`, true, true},
		{`user.country -eq "US" -and (user.department -eq "Marketing" -or user.department -eq "Sales")`, true, false},
		{`user.country -eq "FR" -and user.department -eq "Marketing" -or user.department -eq "Sales"`, true, false},
		{`-not user.accountEnabled -eq true`, false, true},
		{`(user.proxyAddresses -any (_ -startsWith "smtp:"))`, true, false},
		{`user.proxyAddresses -any (_ -endsWith "@fabrikam.com")`, true, false},
		{`user.proxyAddresses -all (_ -startsWith "smtp:")`, true, true},
		{`user.proxyAddresses -all (_ -contains "contoso")`, false, true},
		{`user.proxyAddresses -startsWith "SMTP:DAVE"`, true, false},
		{`user.proxyAddresses -notEndsWith "@outlook.com"`, true, true},
		{`user.otherMails -endsWith "@outlook.com"`, true, false},
		{`user.otherMails -notEndsWith "@outlook.com"`, false, true},
		{`user.otherMails -eq null`, false, true},
		{`user.otherMails -ne null`, true, false},
		{`user.otherMails -in ["D@OUTLOOK.COM"]`, true, false},
		{`user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")`, true, false},
		{`user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")`, false, false},
		{`user.assignedPlans -any (assignedPlan.service -eq "sco")`, true, false},
		{`user.assignedPlans -all (assignedPlan.servicePlanId -eq null)`, false, true},
		{`user.assignedPlans -all (assignedPlan.servicePlanId -ne null)`, true, true},
		{`user.employeeHireDate -le 2024-03-01T09:00:00Z`, true, false},
		{`user.employeeHireDate -ge "2024-03-02"`, false, false},
		{`user.employeeHireDate -eq 2024-03-01T10:00:00+01:00`, true, false},
		{`user.employeeHireDate -ne 2024-03-01T10:00:00+01:00`, false, true},
		{`user.employeeHireDate -eq null`, false, true},
		{`user.employeeHireDate -ge system.now -minus P10D`, true, false},
		{`user.employeeHireDate -ge system.now -minus P9D`, false, false},
		{`user.employeeHireDate -le system.now`, true, false},
		{`user.employeeHireDate -ge system.now -plus PT1H`, false, false},
		{`Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`, true, false},
		{`user.city -eq null -and user.mobile -ne "x"`, true, true},
		{`user.employeeId -eq 12345`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.rule)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := r.MatchAt(alice, evalNow); got != tt.alice {
				t.Errorf("alice: got %v, want %v", got, tt.alice)
			}
			if got := r.MatchAt(bob, evalNow); got != tt.bob {
				t.Errorf("bob: got %v, want %v", got, tt.bob)
			}
			canon, err := Parse(r.String())
			if err != nil {
				t.Fatalf("Parse(canonical %q): %v", r.String(), err)
			}
			if canon.MatchAt(alice, evalNow) != tt.alice || canon.MatchAt(bob, evalNow) != tt.bob {
				t.Errorf("canonical form %q evaluates differently", r.String())
			}
			if got := r.MatchAt(fastMapSubject{alice}, evalNow); got != tt.alice {
				t.Errorf("alice through TypedSubject: got %v, want %v", got, tt.alice)
			}
			if got := r.MatchAt(fastMapSubject{bob}, evalNow); got != tt.bob {
				t.Errorf("bob through TypedSubject: got %v, want %v", got, tt.bob)
			}
		})
	}
}

func TestMatchValueShapes(t *testing.T) {
	t.Parallel()
	dept := "Sales"
	enabled := true
	hired := hireDate
	tests := []struct {
		name string
		rule string
		s    mapSubject
		want bool
	}{
		{"*string", `user.department -eq "sales"`, mapSubject{"department": &dept}, true},
		{"nil *string", `user.department -eq null`, mapSubject{"department": (*string)(nil)}, true},
		{"*bool", `user.accountEnabled -eq true`, mapSubject{"accountEnabled": &enabled}, true},
		{"*time.Time", `user.employeeHireDate -eq 2024-03-01T09:00:00Z`, mapSubject{"employeeHireDate": &hired}, true},
		{"RFC 3339 string", `user.employeeHireDate -eq 2024-03-01T09:00:00Z`, mapSubject{"employeeHireDate": "2024-03-01T09:00:00Z"}, true},
		{"zero time is null", `user.employeeHireDate -eq null`, mapSubject{"employeeHireDate": time.Time{}}, true},
		{"wrong type is null", `user.department -eq null`, mapSubject{"department": 42}, true},
		{"wrong type for bool", `user.accountEnabled -ne true`, mapSubject{"accountEnabled": "yes"}, true},
		{"wrong type for collection", `user.proxyAddresses -eq null`, mapSubject{"proxyAddresses": "smtp:x"}, true},
		{"empty item is null", `user.otherMails -any (_ -eq null)`, mapSubject{"otherMails": []string{""}}, true},
		{"capital sharp s prefix", `user.city -startsWith "STRAẞE"`, mapSubject{"city": "straße 1"}, true},
		{"unicode fold equal", `user.city -eq "ÉCOLE"`, mapSubject{"city": "école"}, true},
		{"unicode fold contains", `user.city -contains "ÉC"`, mapSubject{"city": "l'école"}, true},
		{"unicode fold suffix", `user.city -endsWith "ÉCOLE"`, mapSubject{"city": "l'école"}, true},
		{"kelvin sign", "user.city -eq \"\u212a\"", mapSubject{"city": "k"}, true},
		{"kelvin sign prefix", "user.city -startsWith \"\u212aa\"", mapSubject{"city": "KAB"}, true},
		{"empty contains", `user.city -contains ""`, mapSubject{"city": "x"}, true},
		{"directory extension", `user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber -eq "123"`,
			mapSubject{"extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber": "123"}, true},
		{"no manager", `Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`, mapSubject{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.rule)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := r.Match(tt.s); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchNilSubject(t *testing.T) {
	t.Parallel()
	r, err := Parse(`user.objectId -ne null`)
	if err != nil {
		t.Fatal(err)
	}
	if r.Match(nil) || r.MatchAt(nil, evalNow) {
		t.Error("nil Subject matched")
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	r, err := Parse(`(user.objectId -ne null) -and user.displayName -contains "smith" -and user.proxyAddresses -any (_ -startsWith "smtp:") -and user.assignedPlans -any (assignedPlan.capabilityStatus -eq "Enabled") -and user.department -in ["x","sales"] -and user.employeeHireDate -le system.now`)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Match(alice) {
		t.Fatal("alice does not match")
	}
	for name, s := range map[string]Subject{"map": alice, "typed": fastMapSubject{alice}} {
		if n := testing.AllocsPerRun(100, func() { r.Match(s) }); n != 0 {
			t.Errorf("%s: Match allocates %v times per call", name, n)
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	t.Parallel()
	r, err := Parse(`user.displayName -match "^da" -and user.proxyAddresses -any (_ -contains "contoso") -and user.assignedPlans -all (assignedPlan.servicePlanId -ne null)`)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 200 {
				ok = ok && r.Match(alice) && !r.Match(bob) && r.Match(fastMapSubject{alice})
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("concurrent Match gave a wrong result")
		}
	}
}
