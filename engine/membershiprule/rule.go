package membershiprule

import (
	"slices"
	"strings"
)

// ManagerProperty is the name a Direct Reports rule asks its Subject for: the object id
// (string) of the user's manager, or nil when the user has none.
const ManagerProperty = "manager"

// Rule is a parsed dynamic membership rule. A Rule is immutable and safe for concurrent use.
type Rule struct {
	root    node   // nil for a Direct Reports rule
	manager string // Direct Reports rule: the manager's object id
	props   []string
	usesNow bool
}

// Parse parses and validates a user dynamic membership rule (group.membershipRule).
// It returns a *Error, carrying the position of the problem, when the rule is longer than
// MaxRuleLength characters, empty, malformed, names an unknown property or operator, or applies
// an operator to operands it does not take (groups-dynamic-membership.md; graph-facts.md §3.4).
//
// The special rules are accepted: "all users" (user.objectId -ne null) is an ordinary
// comparison, and `Direct Reports for "<manager object id>"` matches users whose manager (read
// through ManagerProperty) is that object; it cannot be combined with other expressions.
func Parse(rule string) (*Rule, error) {
	r, err := parse(rule)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// String returns the rule in canonical form: canonical property and operator spelling,
// hyphenated lower-camel-case operators, double-quoted strings, minimal parentheses (-not and
// -any/-all conditions are always parenthesised). Parsing the canonical form yields the same
// rule.
func (r *Rule) String() string {
	if r == nil {
		return ""
	}
	if r.root == nil {
		var b strings.Builder
		b.WriteString("Direct Reports for ")
		writeQuoted(&b, r.manager)
		return b.String()
	}
	var b strings.Builder
	r.root.write(&b)
	return b.String()
}

// Properties returns the lowercased canonical names of the user properties the rule reads,
// sorted and without duplicates (ManagerProperty for a Direct Reports rule). A change to other
// properties cannot change whether a user matches.
func (r *Rule) Properties() []string {
	if r == nil {
		return nil
	}
	return slices.Clone(r.props)
}

// DirectReportsFor returns the manager object id of a `Direct Reports for "<id>"` rule.
func (r *Rule) DirectReportsFor() (managerID string, ok bool) {
	if r == nil || r.root != nil {
		return "", false
	}
	return r.manager, true
}

// UsesNow reports whether the rule reads system.now, so its result can change as time passes
// without any property changing.
func (r *Rule) UsesNow() bool { return r != nil && r.usesNow }
