package membershiprule_test

import (
	"errors"
	"fmt"

	"github.com/graphmock/graphmock/engine/membershiprule"
)

// user is a Subject backed by a map of rule-language property names.
type user map[string]any

func (u user) RuleProperty(name string) any { return u[name] }

func Example() {
	rule, err := membershiprule.Parse(`(user.extensionAttribute1 -contains "ems") -and (user.proxyAddresses -any (_ -startsWith "SMTP:"))`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rule)
	fmt.Println(rule.Properties())
	fmt.Println(rule.Match(user{"extensionAttribute1": "EMS-E5", "proxyAddresses": []string{"smtp:a@contoso.com"}}))
	fmt.Println(rule.Match(user{"extensionAttribute1": "none"}))
	// Output:
	// user.extensionAttribute1 -contains "ems" -and user.proxyAddresses -any (_ -startsWith "SMTP:")
	// [extensionattribute1 proxyaddresses]
	// true
	// false
}

func ExampleParse_error() {
	_, err := membershiprule.Parse(`user.accountEnabled -all (_ -eq "x")`)
	fmt.Println(err)
	var e *membershiprule.Error
	if errors.As(err, &e) {
		fmt.Println(e.Pos, e.Message)
	}
	// Output:
	// Dynamic membership rule validation error: Invalid operands found for operator -all at position 20
	// 20 Invalid operands found for operator -all
}
