package membershiprule

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		// Examples from groups-dynamic-membership.md (graph-facts.md §7).
		{"single expression", `user.department -eq "Sales"`, `user.department -eq "Sales"`},
		{"parenthesised or", `(user.department -eq "Sales") -or (user.department -eq "Marketing")`,
			`user.department -eq "Sales" -or user.department -eq "Marketing"`},
		{"and not", `(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")`,
			`user.department -eq "Sales" -and -not (user.jobTitle -startsWith "SDE")`},
		{"precedence and before or, documented example", `user.department –eq "Marketing" –and user.country –eq "US"`,
			`user.department -eq "Marketing" -and user.country -eq "US"`},
		{"parentheses override precedence", `user.country –eq "US" –and (user.department –eq "Marketing" –or user.department –eq "Sales")`,
			`user.country -eq "US" -and (user.department -eq "Marketing" -or user.department -eq "Sales")`},
		{"assigned plans any", `user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")`,
			`user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")`},
		{"assigned plans service", `user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")`,
			`user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")`},
		{"assigned plans all null", `user.assignedPlans -all (assignedPlan.servicePlanId -eq null)`,
			`user.assignedPlans -all (assignedPlan.servicePlanId -eq null)`},
		{"underscore any", `(user.proxyAddresses -any (_ -startsWith "contoso"))`,
			`user.proxyAddresses -any (_ -startsWith "contoso")`},
		{"underscore any without parentheses", `user.otherMails -any _ -endsWith "@contoso.com"`,
			`user.otherMails -any (_ -endsWith "@contoso.com")`},
		{"collection direct", `user.otherMails -startsWith "alias@domain"`, `user.otherMails -startsWith "alias@domain"`},
		{"in list", `user.department -in ["50001","50002","50003"]`, `user.department -in ["50001","50002","50003"]`},
		{"in list spaces and numbers", `user.employeeId -notIn [ "a" , 12, 'b' ]`, `user.employeeId -notIn ["a",12,"b"]`},
		{"hire date ge now plus", `user.employeehiredate -ge system.now -plus p1d`, `user.employeeHireDate -ge system.now -plus P1D`},
		{"hire date le literal", `user.employeehiredate -le 2020-06-10T18:13:20Z`, `user.employeeHireDate -le 2020-06-10T18:13:20Z`},
		{"hire date quoted with offset", `user.employeeHireDate -eq "2020-06-10T20:13:20+02:00"`, `user.employeeHireDate -eq 2020-06-10T18:13:20Z`},
		{"hire date minus", `user.employeeHireDate -le system.now -minus P1Y2M`, `user.employeeHireDate -le system.now -minus P1Y2M`},
		{"match", `user.displayName -match "^Da.*"`, `user.displayName -match "^Da.*"`},
		{"null", `user.mail –ne null`, `user.mail -ne null`},
		{"null string", `user.department -eq "null"`, `user.department -eq "null"`},
		{"dollar null", `user.department -eq $null`, `user.department -eq null`},
		{"all users", `user.objectId -ne null`, `user.objectId -ne null`},
		{"members only", `(user.objectId -ne null) -and (user.userType -eq "Member")`, `user.objectId -ne null -and user.userType -eq "Member"`},
		{"booleans", `user.accountEnabled -eq true -and user.dirSyncEnabled -ne FALSE`, `user.accountEnabled -eq true -and user.dirSyncEnabled -ne false`},
		{"quoted boolean", `user.accountEnabled -eq "True"`, `user.accountEnabled -eq true`},
		{"extension attribute", `(user.extensionAttribute15 -eq "Marketing")`, `user.extensionAttribute15 -eq "Marketing"`},
		{"seed scenario", `user.extensionAttribute1 -contains "EMS"`, `user.extensionAttribute1 -contains "EMS"`},
		{"directory extension", `user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber -eq "123"`,
			`user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber -eq "123"`},
		{"escaped quotes bare", "user.department -eq `\"Sales`\"", "user.department -eq \"`\"Sales`\"\""},
		{"escaped quotes in string", "user.department -eq \"`\"Sales`\"\"", "user.department -eq \"`\"Sales`\"\""},
		{"single quote doubled", `user.surname -eq "O''Brien"`, `user.surname -eq "O''Brien"`},
		{"number value", `user.employeeId -eq 12345`, `user.employeeId -eq 12345`},
		{"property case", `USER.MAILNICKNAME -endsWith "-vendor"`, `user.mailNickName -endsWith "-vendor"`},
		{"operators without hyphen", `user.city eq "Paris" or user.city startsWith "Lon"`, `user.city -eq "Paris" -or user.city -startsWith "Lon"`},
		{"and binds tighter than or", `user.city -eq "a" -or user.city -eq "b" -and user.state -eq "c"`,
			`user.city -eq "a" -or user.city -eq "b" -and user.state -eq "c"`},
		{"or inside and", `(user.city -eq "a" -or user.city -eq "b") -and user.state -eq "c"`,
			`(user.city -eq "a" -or user.city -eq "b") -and user.state -eq "c"`},
		{"flattened chains", `((user.city -eq "a" -and user.city -eq "b") -and user.city -eq "c")`,
			`user.city -eq "a" -and user.city -eq "b" -and user.city -eq "c"`},
		{"not binds tighter than and", `-not user.city -eq "a" -and user.state -eq "b"`,
			`-not (user.city -eq "a") -and user.state -eq "b"`},
		{"flattened or chains", `(user.city -eq "a" -or user.city -eq "b") -or (user.city -eq "c" -or user.city -eq "d")`,
			`user.city -eq "a" -or user.city -eq "b" -or user.city -eq "c" -or user.city -eq "d"`},
		{"double not", `-not -not (user.city -eq "a")`, `-not (-not (user.city -eq "a"))`},
		{"not inside any", `user.proxyAddresses -all (-not (_ -startsWith "x:"))`, `user.proxyAddresses -all (-not (_ -startsWith "x:"))`},
		{"direct reports", `Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`, `Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`},
		{"direct reports case", `direct reports FOR 'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'`, `Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			got := r.String()
			if got != tt.want {
				t.Errorf("Parse(%q).String()\n got %s\nwant %s", tt.in, got, tt.want)
			}
			again, err := Parse(got)
			if err != nil {
				t.Fatalf("Parse(canonical %q) error: %v", got, err)
			}
			if again.String() != got {
				t.Errorf("canonical form not stable: %q -> %q", got, again.String())
			}
		})
	}
}

func TestProperties(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{`user.department -eq "Sales"`, []string{"department"}},
		{`user.Department -eq "a" -or user.department -eq "b" -or user.city -eq "c"`, []string{"city", "department"}},
		{`user.assignedPlans -any (assignedPlan.servicePlanId -eq "x")`, []string{"assignedplans"}},
		{`user.proxyAddresses -any (_ -eq "x") -and -not (user.extensionAttribute3 -eq "y")`, []string{"extensionattribute3", "proxyaddresses"}},
		{`Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`, []string{"manager"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Properties(); !slices.Equal(got, tt.want) {
				t.Errorf("Properties() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRuleAccessors(t *testing.T) {
	t.Parallel()
	r, err := Parse(`Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`)
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := r.DirectReportsFor(); !ok || id != "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb" {
		t.Errorf("DirectReportsFor() = %q, %v", id, ok)
	}
	r, err = Parse(`user.employeeHireDate -ge system.now -minus P30D`)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.DirectReportsFor(); ok {
		t.Error("DirectReportsFor() ok for an ordinary rule")
	}
	if !r.UsesNow() {
		t.Error("UsesNow() = false for a system.now rule")
	}
	var nilRule *Rule
	if nilRule.String() != "" || nilRule.Properties() != nil || nilRule.UsesNow() || nilRule.Match(mapSubject{}) {
		t.Error("nil Rule methods")
	}
	props := UserProperties()
	if len(props) != 30+15+3 || props[0] != "accountEnabled" || !slices.Contains(props, "extensionAttribute15") {
		t.Errorf("UserProperties() = %v", props)
	}
}

func TestMaxRuleLength(t *testing.T) {
	t.Parallel()
	clause := `user.city -eq "a"`
	build := func(n int) string {
		// Pad a valid rule with spaces to exactly n characters.
		return clause + strings.Repeat(" ", n-len(clause))
	}
	if _, err := Parse(build(MaxRuleLength)); err != nil {
		t.Errorf("rule of %d characters: %v", MaxRuleLength, err)
	}
	_, err := Parse(build(MaxRuleLength + 1))
	var e *Error
	if !errors.As(err, &e) || e.Pos != MaxRuleLength ||
		err.Error() != "Dynamic membership rule validation error: The rule is longer than the maximum of 3072 characters at position 3072" {
		t.Errorf("rule of %d characters: %v", MaxRuleLength+1, err)
	}
	// Characters, not bytes.
	if _, err := Parse(`user.city -eq "` + strings.Repeat("é", MaxRuleLength-len(clause)) + `a"`); err != nil {
		t.Errorf("multi-byte rule of %d characters: %v", MaxRuleLength, err)
	}
}
