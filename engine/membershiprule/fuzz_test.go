package membershiprule

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that any input gives either an error or a rule, never a panic; that errors
// are *Error with a position inside the rule; that the canonical form parses to itself; and that
// evaluating the rule does not panic.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`user.extensionAttribute1 -contains "EMS"`,
		`user.department -eq "Sales"`,
		`(user.department -eq "Sales") -or (user.department -eq "Marketing")`,
		`(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")`,
		`user.department –eq "Marketing" –and user.country –eq "US"`,
		`user.country –eq "US" –and (user.department –eq "Marketing" –or user.department –eq "Sales")`,
		`user.department -in ["50001","50002","50003","50005","50006","50007","50008","50016","50020","50024","50038","50039","51100"]`,
		`user.employeehiredate -ge system.now -plus p1d`,
		`user.employeehiredate -le 2020-06-10T18:13:20Z`,
		`user.displayName -match "^Da.*"`,
		`user.displayName -match ".*vid"`,
		"user.department -eq `\"Sales`\"",
		`user.department -eq null`,
		`user.mail –ne null`,
		`user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")`,
		`user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "Enabled")`,
		`user.assignedPlans -all (assignedPlan.servicePlanId -eq null)`,
		`(user.proxyAddresses -any (_ -startsWith "contoso"))`,
		`user.otherMails -startsWith "alias@domain"`,
		`user.proxyAddresses -notEndsWith "@outlook.com"`,
		`Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`,
		`user.objectId -ne null`,
		`(user.objectId -ne null) -and (user.userType -eq "Member")`,
		`(user.extensionAttribute15 -eq "Marketing")`,
		`user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber -eq "123"`,
		`user.mailNickname -endsWith "-vendor"`,
		`user.surname -eq 'O''Brien'`,
		`-not -not (user.accountEnabled -eq true)`,
		`(accountEnabled -eq true)`,
		`user.mail -not null`,
		`user.memberOf -any (group.objectId -in ['aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'])`,
		`((user.city -eq "a"`,
		``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := Parse(in)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q): error %T, want *Error", in, err)
			}
			if e.Pos < 0 || e.Pos > utf8.RuneCountInString(in) {
				t.Fatalf("Parse(%q): position %d outside the rule", in, e.Pos)
			}
			if r != nil {
				t.Fatalf("Parse(%q): rule and error", in)
			}
			if !strings.HasPrefix(err.Error(), ErrorPrefix) {
				t.Fatalf("Parse(%q): error %q lacks the prefix", in, err)
			}
			return
		}
		canon := r.String()
		_ = r.Properties()
		r.MatchAt(alice, evalNow)
		r.MatchAt(bob, evalNow)
		if utf8.RuneCountInString(canon) > MaxRuleLength {
			return // escaping can lengthen a rule past the limit
		}
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q) = %q, which does not parse: %v", in, canon, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form not stable: %q -> %q -> %q", in, canon, again.String())
		}
	})
}
