package membershiprule

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantPos int
		wantMsg string
	}{
		{"empty", ``, 0, "The rule is empty"},
		{"blank", "  \t ", 0, "The rule is empty"},
		{"missing user prefix", `(accountEnabled -eq true)`, 1,
			"No object type specified for property 'accountEnabled'; write user.accountEnabled"},
		{"not a property", `"Sales" -eq user.department`, 0, "Unexpected '\"Sales\"'; expected an expression"},
		{"bare word", `department1 -eq "x"`, 0, "Expected a property such as user.department but found 'department1'"},
		{"unknown property", `user.departmentName -eq "x"`, 0,
			"Wrong property applied. 'departmentName' is not a supported user property"},
		{"graph name instead of rule name", `user.mobilePhone -eq "x"`, 0,
			"Wrong property applied. 'mobilePhone' is not a supported user property"},
		{"memberOf", `user.memberOf -any (group.objectId -in ['aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'])`, 0,
			"The memberOf property (preview) is not supported by graphmock"},
		{"group object", `group.objectId -eq "x"`, 0, "Property 'objectid' cannot be applied to object 'Group'"},
		{"device object", `device.deviceOSType -eq "iPad"`, 0, "Property 'deviceostype' cannot be applied to object 'Device'"},
		{"unknown object", `person.city -eq "x"`, 0, "Unknown object 'person'; user rules read user.<property>"},
		{"unknown operator", `user.city -equals "x"`, 10, "Unknown operator '-equals'"},
		{"unknown bare operator", `user.city equals "x"`, 10, "Unknown operator 'equals'"},
		{"missing operator", `user.city`, 9, "Missing operator after 'user.city'"},
		{"missing value", `user.city -eq`, 13, "Missing value after operator -eq"},
		{"operator as value", `user.city -eq -and`, 14, "Invalid value '-and' after operator -eq"},
		{"unquoted string", `user.city -eq Paris`, 14, "Invalid value 'Paris'; string values must be in double quotes"},
		{"logical operator as comparison", `user.city -and "x"`, 10,
			"Unexpected operator -and; expected a comparison operator such as -eq"},
		{"not as comparison", `user.mail -not null`, 10, "The -not operator can't be used as a comparison operator"},
		{"not applied to null comparison", `(user.department -eq "Sales") -and -not (user.mail -eq null)`, 35,
			"The -not operator can't be applied to a comparison with null; use -eq null or -ne null"},
		{"null with startsWith", `user.city -startsWith null`, 22, "null can only be compared with -eq or -ne"},
		{"unclosed parenthesis", `(user.city -eq "a" -and (user.state -eq "b")`, 0, "Unbalanced parentheses: '(' is not closed"},
		{"extra closing parenthesis", `(user.city -eq "a"))`, 19, "Unbalanced parentheses: unexpected ')'"},
		{"empty parentheses", `()`, 1, "Unexpected ')'; expected an expression"},
		{"missing logical operator", `user.city -eq "a" user.state -eq "b"`, 18, "Unexpected 'user.state'; expected -and or -or"},
		{"missing logical operator in parentheses", `(user.city -eq "a" user.state -eq "b")`, 19,
			"Unexpected 'user.state'; expected ')', -and or -or"},
		{"dangling and", `user.city -eq "a" -and`, 22, "Unexpected end of rule; expected an expression"},
		{"leading or", `-or user.city -eq "a"`, 0, "Unexpected '-or'; expected an expression"},
		{"all on a string", `user.accountEnabled -all (_ -eq "x")`, 20, "Invalid operands found for operator -all"},
		{"any on a string", `user.department -any (_ -eq "x")`, 16, "Invalid operands found for operator -any"},
		{"contains on a boolean", `user.accountEnabled -contains "t"`, 20, "Invalid operands found for operator -contains"},
		{"string for a boolean", `user.accountEnabled -eq "yes"`, 20, "Invalid operands found for operator -eq"},
		{"le on a string", `user.city -le "b"`, 10, "Invalid operands found for operator -le"},
		{"boolean for a string", `user.city -eq true`, 10, "Invalid operands found for operator -eq"},
		{"assignedPlans compared directly", `user.assignedPlans -eq "x"`, 19, "Invalid operands found for operator -eq"},
		{"list with eq", `user.city -eq ["a"]`, 10, "Invalid operands found for operator -eq"},
		{"in without list", `user.city -in "a"`, 14, "The -in operator needs a list of values such as [\"a\",\"b\"]"},
		{"empty list", `user.city -in []`, 14, "The list is empty"},
		{"unclosed list", `user.city -in ["a"`, 14, "Unbalanced brackets: '[' is not closed"},
		{"bad list item", `user.city -in ["a", null]`, 20, "Invalid list item 'null'; expected a string or a number"},
		{"missing comma", `user.city -in ["a" "b"]`, 19, "Unexpected '\"b\"'; expected ',' or ']'"},
		{"underscore outside any", `_ -eq "x"`, 0,
			"Wrong property applied. '_' can only be used inside -any or -all on user.proxyAddresses or user.otherMails"},
		{"user property inside any", `user.proxyAddresses -any (user.city -eq "x")`, 26,
			"Wrong property applied. Only _ can be used inside -any"},
		{"underscore inside assignedPlans", `user.assignedPlans -all (_ -eq "x")`, 25,
			"Wrong property applied. Only assignedPlan.<property> can be used inside -all"},
		{"assignedPlan outside any", `assignedPlan.service -eq "SCO"`, 0,
			"Wrong property applied. assignedPlan properties can only be used inside -any or -all on user.assignedPlans"},
		{"unknown assignedPlan property", `user.assignedPlans -any (assignedPlan.skuId -eq "x")`, 25,
			"Wrong property applied. 'skuId' is not a property of assignedPlan; use servicePlanId, service or capabilityStatus"},
		{"nested any", `user.proxyAddresses -any (_ -any (_ -eq "x"))`, 28, "Invalid operands found for operator -any"},
		{"missing any condition", `user.proxyAddresses -any`, 24, "Missing condition after -any"},
		{"invalid regex", `user.city -match "(a"`, 17, "Invalid regular expression '(a'"},
		{"regex too complex", `user.city -match "` + strings.Repeat("[a-z]{0,99}", 30) + `"`, 17,
			"Regular expression '" + strings.Repeat("[a-z]{0,99}", 30) + "' is too complex"},
		{"invalid date", `user.employeeHireDate -le "yesterday"`, 26, "Invalid dateTime value 'yesterday'"},
		{"contains on a date", `user.employeeHireDate -contains "2020"`, 22, "Invalid operands found for operator -contains"},
		{"invalid duration", `user.employeeHireDate -ge system.now -plus 1d`, 43,
			"Invalid duration '1d'; expected an ISO 8601 duration such as P1D"},
		{"missing duration", `user.employeeHireDate -ge system.now -plus`, 42,
			"Unexpected end of rule; expected an ISO 8601 duration such as P1D"},
		{"direct reports combined", `Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb" -and user.city -eq "x"`, 58,
			"A Direct Reports rule can't be combined with other expressions"},
		{"direct reports bad id", `Direct Reports for "bob"`, 19, "Invalid manager object id 'bob'; expected a GUID"},
		{"direct reports malformed", `Direct Reports "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb"`, 15,
			"Unexpected '\"aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb\"'; expected a Direct Reports rule: Direct Reports for \"<manager object id>\""},
		{"lexer error position", `user.city -eq "a" -and user.state ~ "b"`, 34, "Unexpected character '~'"},
		{"unterminated string", `user.city -eq "a`, 14, "Unterminated string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want an error", tt.in, r)
			}
			if r != nil {
				t.Errorf("Parse(%q) returned a rule with an error", tt.in)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T, want *Error", tt.in, err)
			}
			if e.Pos != tt.wantPos || e.Message != tt.wantMsg {
				t.Errorf("Parse(%q)\n got %d %q\nwant %d %q", tt.in, e.Pos, e.Message, tt.wantPos, tt.wantMsg)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	_, err := Parse(`user.accountEnabled -all (_ -eq "x")`)
	want := "Dynamic membership rule validation error: Invalid operands found for operator -all at position 20"
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %q", err, want)
	}
	_, err = Parse(`user.foo -eq "x"`)
	want = "Dynamic membership rule validation error: Wrong property applied. 'foo' is not a supported user property at position 0"
	if err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %q", err, want)
	}
}
