package membershiprule

import (
	"strings"
	"time"
)

// env is the evaluation state of one Match call.
type env struct {
	s    Subject
	ts   TypedSubject // s, when it implements the fast path
	now  time.Time
	item string        // current item of a string collection inside -any/-all
	plan *AssignedPlan // current item of assignedPlans inside -any/-all
}

// Match reports whether the user s satisfies the rule. Rules using system.now read the wall
// clock; use MatchAt to evaluate at a given time. A nil Rule or Subject never matches.
//
// Semantics (groups-dynamic-membership.md): string and regular expression comparisons are
// case-insensitive; -contains is a substring test; -match is an unanchored regular expression
// search (Go RE2 syntax, so .NET-only constructs such as look-around are not available); -in
// tests membership in the list. A negated operator (-ne, -notStartsWith, -notIn…) is the
// negation of its positive form, so it holds for a null property. A string collection compared
// directly (user.otherMails -startsWith "x") matches when any item matches the positive form;
// its negated form holds when no item does; -eq null / -ne null test for an empty collection.
// -all over an empty collection holds.
func (r *Rule) Match(s Subject) bool {
	if r == nil || s == nil {
		return false
	}
	e := env{s: s}
	e.ts, _ = s.(TypedSubject)
	if r.usesNow {
		e.now = time.Now()
	}
	return r.match(&e)
}

// MatchAt is Match with system.now read as now, for graphmock's injectable clock.
func (r *Rule) MatchAt(s Subject, now time.Time) bool {
	if r == nil || s == nil {
		return false
	}
	e := env{s: s, now: now}
	e.ts, _ = s.(TypedSubject)
	return r.match(&e)
}

func (r *Rule) match(e *env) bool {
	if r.root == nil {
		m, ok := e.str(ManagerProperty)
		return ok && strings.EqualFold(m, r.manager)
	}
	return eval(r.root, e)
}

// str reads a string property.
func (e *env) str(name string) (string, bool) {
	if e.ts != nil {
		v, ok := e.ts.RuleString(name)
		return v, ok && v != ""
	}
	return stringValue(e.s.RuleProperty(name))
}

// strs reads a string collection property.
func (e *env) strs(name string) []string {
	if e.ts != nil {
		return e.ts.RuleStrings(name)
	}
	v, _ := e.s.RuleProperty(name).([]string)
	return v
}

// time reads employeeHireDate.
func (e *env) time(name string) (time.Time, bool) {
	if e.ts != nil {
		v, ok := e.ts.RuleTime(name)
		return v, ok && !v.IsZero()
	}
	return timeValue(e.s.RuleProperty(name))
}

// plans reads assignedPlans.
func (e *env) plans(name string) []AssignedPlan {
	if e.ts != nil {
		return e.ts.RuleAssignedPlans(name)
	}
	v, _ := e.s.RuleProperty(name).([]AssignedPlan)
	return v
}

func eval(n node, e *env) bool {
	switch n := n.(type) {
	case *cmpNode:
		return evalCmp(n, e)
	case *andNode:
		for _, t := range n.terms {
			if !eval(t, e) {
				return false
			}
		}
		return true
	case *orNode:
		for _, t := range n.terms {
			if eval(t, e) {
				return true
			}
		}
		return false
	case *notNode:
		return !eval(n.x, e)
	case *lambdaNode:
		return evalLambda(n, e)
	}
	return false
}

// evalLambda evaluates collection -any/-all condition. -any holds when some item satisfies
// the condition, -all when every item does (so -all holds for an empty collection). Conditions
// do not nest, so the current item needs no saving.
func evalLambda(n *lambdaNode, e *env) bool {
	if n.prop.kind == kindPlans {
		plans := e.plans(n.prop.name)
		for i := range plans {
			e.plan = &plans[i]
			if eval(n.body, e) != n.all {
				e.plan = nil
				return !n.all
			}
		}
		e.plan = nil
		return n.all
	}
	for _, it := range e.strs(n.prop.name) {
		e.item = it
		if eval(n.body, e) != n.all {
			e.item = ""
			return !n.all
		}
	}
	e.item = ""
	return n.all
}

func evalCmp(n *cmpNode, e *env) bool {
	switch n.target.kind {
	case targetItem:
		return cmpString(n, e.item, e.item != "")
	case targetPlan:
		f := planField(e.plan, n.target.field)
		return cmpString(n, f, f != "")
	}
	name := n.target.prop.name
	switch n.target.prop.kind {
	case kindString:
		s, ok := e.str(name)
		return cmpString(n, s, ok)
	case kindStrings:
		return cmpCollection(n, e.strs(name))
	case kindDate:
		t, ok := e.time(name)
		return cmpDate(n, t, ok, e.now)
	}
	v := e.s.RuleProperty(name)
	switch n.target.prop.kind {
	case kindBool:
		b, ok := boolValue(v)
		if n.val.kind == valNull {
			return ok == (n.op == opNe)
		}
		return (ok && b == n.val.b) == (n.op == opEq)
	}
	return false
}

// cmpCollection compares a string collection directly: the positive form of the operator holds
// when any item satisfies it; -eq null and -ne null test for an empty collection.
func cmpCollection(n *cmpNode, items []string) bool {
	if n.val.kind == valNull {
		return (len(items) > 0) == (n.op == opNe)
	}
	base, neg := positive(n.op)
	for _, it := range items {
		if matchString(base, n, it) {
			return !neg
		}
	}
	return neg
}

func planField(p *AssignedPlan, field int) string {
	if p == nil {
		return ""
	}
	switch field {
	case planServicePlanID:
		return p.ServicePlanID
	case planService:
		return p.Service
	case planCapabilityStatus:
		return p.CapabilityStatus
	}
	return ""
}

// positive maps a negated operator to its positive form.
func positive(op opKind) (base opKind, negated bool) {
	switch op {
	case opNe:
		return opEq, true
	case opNotStartsWith:
		return opStartsWith, true
	case opNotEndsWith:
		return opEndsWith, true
	case opNotContains:
		return opContains, true
	case opNotMatch:
		return opMatch, true
	case opNotIn:
		return opIn, true
	}
	return op, false
}

// cmpString compares a string property (present is false when it is null).
func cmpString(n *cmpNode, s string, present bool) bool {
	if n.val.kind == valNull {
		return present == (n.op == opNe)
	}
	base, neg := positive(n.op)
	return (present && matchString(base, n, s)) != neg
}

// matchString applies a positive string operator.
func matchString(base opKind, n *cmpNode, s string) bool {
	switch base {
	case opEq:
		return strings.EqualFold(s, n.val.str)
	case opStartsWith:
		return hasPrefixFold(s, n.val.str)
	case opEndsWith:
		return hasSuffixFold(s, n.val.str)
	case opContains:
		return containsFold(s, n.val.str)
	case opMatch:
		return n.re != nil && n.re.MatchString(s)
	case opIn:
		for _, x := range n.val.list {
			if strings.EqualFold(s, x.str) {
				return true
			}
		}
	}
	return false
}

// cmpDate compares employeeHireDate.
func cmpDate(n *cmpNode, t time.Time, present bool, now time.Time) bool {
	if n.val.kind == valNull {
		return present == (n.op == opNe)
	}
	if !present {
		return n.op == opNe
	}
	v := n.val.t
	if n.val.kind == valNow {
		v = now
		switch n.val.shift {
		case opPlus:
			v = n.val.dur.apply(now, 1)
		case opMinus:
			v = n.val.dur.apply(now, -1)
		}
	}
	switch n.op {
	case opEq:
		return t.Equal(v)
	case opNe:
		return !t.Equal(v)
	case opLe:
		return !t.After(v)
	case opGe:
		return !t.Before(v)
	}
	return false
}
