package odata

import "testing"

func TestParseFilterString(t *testing.T) {
	t.Parallel()
	tests := []struct{ src, want string }{
		{"displayName eq 'a'", "displayName eq 'a'"},
		{"displayName EQ 'O''Neil'", "displayName eq 'O''Neil'"},
		{"startsWith(displayName,'a')", "startswith(displayName, 'a')"},
		{"ENDSWITH(mail, '@contoso.com')", "endswith(mail, '@contoso.com')"},
		{"a eq 1 or b eq 2 and c eq 3", "(a eq 1 or (b eq 2 and c eq 3))"},
		{"(a eq 1 or b eq 2) and c eq 3", "((a eq 1 or b eq 2) and c eq 3)"},
		{"a eq 1 and b eq 2 and c eq 3", "((a eq 1 and b eq 2) and c eq 3)"},
		{"not a eq 1 and b eq 2", "(not(a eq 1) and b eq 2)"},
		{"not(a eq 1 or b eq 2)", "not(a eq 1 or b eq 2)"},
		{"NOT startswith(a,'x')", "not(startswith(a, 'x'))"},
		{"department in ('Retail', 'Sales')", "department in ('Retail', 'Sales')"},
		{"companyName in (null, 'Microsoft')", "companyName in (null, 'Microsoft')"},
		{"proxyAddresses/any(p:startswith(p,'smtp:'))", "proxyAddresses/any(p:startswith(p, 'smtp:'))"},
		{"assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)", "assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)"},
		{"assignedPlans/any(a:a/servicePlanId eq 6FD2C87F-B296-42F0-B197-1E91E994B900 and a/capabilityStatus eq 'Suspended')", "assignedPlans/any(a:(a/servicePlanId eq 6fd2c87f-b296-42f0-b197-1e91e994b900 and a/capabilityStatus eq 'Suspended'))"},
		{"targetResources/any(t: t/displayName eq 'x')", "targetResources/any(t:t/displayName eq 'x')"},
		{"groupTypes/all(c:c eq 'Unified')", "groupTypes/all(c:c eq 'Unified')"},
		{"assignedLicenses/any()", "assignedLicenses/any()"},
		{"assignedLicenses/$count eq 0", "assignedLicenses/$count eq 0"},
		{"initiatedBy/user/id eq '0000'", "initiatedBy/user/id eq '0000'"},
		{"onPremisesExtensionAttributes/extensionAttribute1 eq 'x'", "onPremisesExtensionAttributes/extensionAttribute1 eq 'x'"},
		{"activityDateTime ge 2024-01-01T00:00:00Z", "activityDateTime ge 2024-01-01T00:00:00Z"},
		{"activityDateTime le 2024-01-01T02:00:00+02:00", "activityDateTime le 2024-01-01T00:00:00Z"},
		{"accountEnabled eq true", "accountEnabled eq true"},
		{"hasMembersWithLicenseErrors eq null", "hasMembersWithLicenseErrors eq null"},
		{"'x' eq displayName", "'x' eq displayName"},
		{"count ge -3", "count ge -3"},
		{"((a eq 1))", "a eq 1"},
		{"(a eq 1) eq true", "(a eq 1) eq true"},
		{"(not a eq 1) ne (b in (1))", "(not(a eq 1)) ne (b in (1))"},
		{"startswith((a eq 1),'x')", "startswith((a eq 1), 'x')"},
		{"startswith(a,'x') eq false", "startswith(a, 'x') eq false"},
		{"not(a) eq true", "not(a eq true)"},
		{"x/any(a:a/y/any(b:b eq a/z))", "x/any(a:a/y/any(b:b eq a/z))"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			e, err := ParseFilter(tt.src)
			if err != nil {
				t.Fatalf("ParseFilter(%q): %v", tt.src, err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			// The canonical form parses back to itself.
			again, err := ParseFilter(e.String())
			if err != nil {
				t.Fatalf("reparse %q: %v", e.String(), err)
			}
			if again.String() != e.String() {
				t.Errorf("reparse = %q, want %q", again.String(), e.String())
			}
		})
	}
}

func TestParseFilterLambdaVariables(t *testing.T) {
	t.Parallel()
	e, err := ParseFilter("assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900) and x eq 1")
	if err != nil {
		t.Fatal(err)
	}
	and := e.(*Logical)
	inner := and.Left.(*Lambda).Body.(*Compare).Left.(*Property)
	if inner.Var != "x" || len(inner.Path) != 1 || inner.Path[0] != "skuId" {
		t.Errorf("lambda body property = %+v, want Var x Path [skuId]", inner)
	}
	outer := and.Right.(*Compare).Left.(*Property)
	if outer.Var != "" || outer.Path[0] != "x" {
		t.Errorf("property after the lambda = %+v, want a plain path x", outer)
	}
}

func TestParseFilterErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src string
		pos int
		msg string
	}{
		{"", 0, "Expression expected at position 0 in ''."},
		{"displayName eq", 14, "Expression expected at position 14 in 'displayName eq'."},
		{"displayName eq 'a' foo", 19, "')' or operator expected at position 19 in 'displayName eq 'a' foo'."},
		{"(displayName eq 'a'", 19, "')' or operator expected at position 19 in '(displayName eq 'a''."},
		{"startswith(displayName 'a')", 23, "')' or ',' expected at position 23 in 'startswith(displayName 'a')'."},
		{"department in 'Sales'", 14, "'(' expected at position 14 in 'department in 'Sales''."},
		{"department in ('a' 'b')", 19, "')' or ',' expected at position 19 in 'department in ('a' 'b')'."},
		{"department in ('a', city)", 20, "Syntax error at position 20 in 'department in ('a', city)'."},
		{"displayName", 0, "The $filter expression must evaluate to a single boolean value."},
		{"'a'", 0, "The $filter expression must evaluate to a single boolean value."},
		{"a eq 1 and b", 11, "The $filter expression must evaluate to a single boolean value."},
		{"not displayName", 4, "The $filter expression must evaluate to a single boolean value."},
		{"proxyAddresses/any(p:p)", 21, "The $filter expression must evaluate to a single boolean value."},
		{"proxyAddresses/any(p startswith(p,'a'))", 21, "Syntax error at position 21 in 'proxyAddresses/any(p startswith(p,'a'))'."},
		{"proxyAddresses/any(p:p eq 'a'", 29, "')' or operator expected at position 29 in 'proxyAddresses/any(p:p eq 'a''."},
		{"a/'x' eq 1", 2, "Syntax error at position 2 in 'a/'x' eq 1'."},
		{"a eq 'x", 5, "There is an unterminated string literal at position 5 in 'a eq 'x'."},
		{"a eq )", 5, "Expression expected at position 5 in 'a eq )'."},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			_, err := ParseFilter(tt.src)
			assertError(t, err, 400, CodeRequestBadRequest, "Invalid filter clause: "+tt.msg, tt.pos)
		})
	}
}

func TestParseFilterDepthLimit(t *testing.T) {
	t.Parallel()
	src := ""
	for i := 0; i < 200; i++ {
		src += "("
	}
	src += "a eq 1"
	for i := 0; i < 200; i++ {
		src += ")"
	}
	_, err := ParseFilter(src)
	assertError(t, err, 400, CodeRequestBadRequest, "Invalid filter clause: Recursion depth exceeded allowed limit.", 64)
}
