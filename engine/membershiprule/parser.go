package membershiprule

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// scope says which operands a comparison may read: user properties at the top level, or the
// items of the collection an -any/-all condition ranges over.
type scope struct {
	kind     targetKind
	lambdaOp opKind // inside a condition: -any or -all
}

type parser struct {
	lx      lexer
	tok     token
	props   []string
	usesNow bool
}

func parse(rule string) (*Rule, *Error) {
	src := []rune(rule)
	if len(src) > MaxRuleLength {
		return nil, errorf(MaxRuleLength, "The rule is longer than the maximum of %d characters", MaxRuleLength)
	}
	p := &parser{lx: lexer{src: src}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, errorf(0, "The rule is empty")
	}
	if p.tok.kind == tokWord && !p.tok.escaped && strings.EqualFold(p.tok.val, "Direct") {
		return p.parseDirectReports()
	}
	root, err := p.parseOr(scope{kind: targetUser})
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		if p.tok.kind == tokRParen {
			return nil, errorf(p.tok.pos, "Unbalanced parentheses: unexpected ')'")
		}
		return nil, p.unexpected("-and or -or")
	}
	slices.Sort(p.props)
	return &Rule{root: root, props: slices.Compact(p.props), usesNow: p.usesNow}, nil
}

func (p *parser) advance() *Error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

// unexpected reports the current token where something else was expected.
func (p *parser) unexpected(expected string) *Error {
	if p.tok.kind == tokEOF {
		return errorf(p.tok.pos, "Unexpected end of rule; expected %s", expected)
	}
	return errorf(p.tok.pos, "Unexpected '%s'; expected %s", p.tok.text, expected)
}

// parseDirectReports parses `Direct Reports for "<guid>"` (groups-dynamic-membership.md,
// "Create a Direct reports rule"), which cannot be combined with other expressions.
func (p *parser) parseDirectReports() (*Rule, *Error) {
	const shape = `a Direct Reports rule: Direct Reports for "<manager object id>"`
	for _, w := range []string{"Direct", "Reports", "for"} {
		if p.tok.kind != tokWord || p.tok.escaped || !strings.EqualFold(p.tok.val, w) {
			return nil, p.unexpected(shape)
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	if p.tok.kind != tokString {
		return nil, p.unexpected(shape)
	}
	id := p.tok
	if !isGUID(id.val) {
		return nil, errorf(id.pos, "Invalid manager object id '%s'; expected a GUID", id.val)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, errorf(p.tok.pos, "A Direct Reports rule can't be combined with other expressions")
	}
	return &Rule{manager: id.val, props: []string{ManagerProperty}}, nil
}

func (p *parser) isOp(op opKind) bool { return p.tok.kind == tokOp && p.tok.op == op }

func (p *parser) parseOr(sc scope) (node, *Error) {
	first, err := p.parseAnd(sc)
	if err != nil || !p.isOp(opOr) {
		return first, err
	}
	or := &orNode{}
	or.add(first)
	for p.isOp(opOr) {
		if err := p.advance(); err != nil {
			return nil, err
		}
		t, err := p.parseAnd(sc)
		if err != nil {
			return nil, err
		}
		or.add(t)
	}
	return or, nil
}

func (n *orNode) add(t node) {
	if o, ok := t.(*orNode); ok {
		n.terms = append(n.terms, o.terms...)
		return
	}
	n.terms = append(n.terms, t)
}

func (p *parser) parseAnd(sc scope) (node, *Error) {
	first, err := p.parseNot(sc)
	if err != nil || !p.isOp(opAnd) {
		return first, err
	}
	and := &andNode{}
	and.add(first)
	for p.isOp(opAnd) {
		if err := p.advance(); err != nil {
			return nil, err
		}
		t, err := p.parseNot(sc)
		if err != nil {
			return nil, err
		}
		and.add(t)
	}
	return and, nil
}

func (n *andNode) add(t node) {
	if a, ok := t.(*andNode); ok {
		n.terms = append(n.terms, a.terms...)
		return
	}
	n.terms = append(n.terms, t)
}

// parseNot parses -not x. The documentation forbids -not with null ("The -not operator can't
// be used as a comparative operator for null"), so -not applied to a null comparison is an error.
func (p *parser) parseNot(sc scope) (node, *Error) {
	if !p.isOp(opNot) {
		return p.parsePrimary(sc)
	}
	pos := p.tok.pos
	if err := p.advance(); err != nil {
		return nil, err
	}
	x, err := p.parseNot(sc)
	if err != nil {
		return nil, err
	}
	if c, ok := x.(*cmpNode); ok && c.val.kind == valNull {
		return nil, errorf(pos, "The -not operator can't be applied to a comparison with null; use -eq null or -ne null")
	}
	return &notNode{x: x}, nil
}

func (p *parser) parsePrimary(sc scope) (node, *Error) {
	switch p.tok.kind {
	case tokLParen:
		pos := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		x, err := p.parseOr(sc)
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokRParen {
			if p.tok.kind == tokEOF {
				return nil, errorf(pos, "Unbalanced parentheses: '(' is not closed")
			}
			return nil, p.unexpected("')', -and or -or")
		}
		return x, p.advance()
	case tokWord:
		return p.parseComparison(sc)
	}
	return nil, p.unexpected("an expression")
}

// parseComparison parses property op value, or collection -any/-all condition.
func (p *parser) parseComparison(sc scope) (node, *Error) {
	prop := p.tok
	tgt, err := p.resolveTarget(sc)
	if err != nil {
		return nil, err
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	opTok := p.tok
	switch {
	case opTok.kind == tokEOF:
		return nil, errorf(opTok.pos, "Missing operator after '%s'", prop.text)
	case opTok.kind == tokWord:
		return nil, errorf(opTok.pos, "Unknown operator '%s'", opTok.text)
	case opTok.kind != tokOp:
		return nil, p.unexpected("an operator")
	case opTok.op == opAny || opTok.op == opAll:
		return p.parseLambda(tgt, opTok)
	case opTok.op == opNot:
		return nil, errorf(opTok.pos, "The -not operator can't be used as a comparison operator")
	case !opTok.op.isComparison():
		return nil, errorf(opTok.pos, "Unexpected operator %s; expected a comparison operator such as -eq", opTok.op)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	val, err := p.parseValue(opTok.op)
	if err != nil {
		return nil, err
	}
	return p.check(tgt, opTok, val)
}

// resolveTarget resolves the property token at p.tok in scope sc.
func (p *parser) resolveTarget(sc scope) (target, *Error) {
	t := p.tok
	if t.escaped {
		return target{}, errorf(t.pos, "Expected a property such as user.department but found '%s'", t.text)
	}
	obj, name, dotted := strings.Cut(t.val, ".")
	if !dotted {
		switch {
		case obj == "_" && sc.kind == targetItem:
			return target{kind: targetItem}, nil
		case obj == "_" && sc.kind == targetPlan:
			return target{}, errWrongProperty(t.pos, "Only %s can be used inside %s", itemName(sc.kind), sc.lambdaOp)
		case obj == "_":
			return target{}, errWrongProperty(t.pos, "'_' can only be used inside -any or -all on user.proxyAddresses or user.otherMails")
		}
		if info, ok := lookupUserProperty(obj); ok {
			return target{}, errorf(t.pos, "No object type specified for property '%s'; write user.%s", obj, info.name)
		}
		return target{}, errorf(t.pos, "Expected a property such as user.department but found '%s'", t.text)
	}
	switch strings.ToLower(obj) {
	case "user":
		if sc.kind != targetUser {
			return target{}, errWrongProperty(t.pos, "Only %s can be used inside %s", itemName(sc.kind), sc.lambdaOp)
		}
		if strings.EqualFold(name, "memberOf") {
			return target{}, errorf(t.pos, "The memberOf property (preview) is not supported by graphmock")
		}
		info, ok := lookupUserProperty(name)
		if !ok {
			return target{}, errWrongProperty(t.pos, "'%s' is not a supported user property", name)
		}
		p.props = append(p.props, strings.ToLower(info.name))
		return target{kind: targetUser, prop: info}, nil
	case "assignedplan":
		if sc.kind != targetPlan {
			return target{}, errWrongProperty(t.pos, "assignedPlan properties can only be used inside -any or -all on user.assignedPlans")
		}
		for i, f := range planFields {
			if strings.EqualFold(f, name) {
				return target{kind: targetPlan, field: i}, nil
			}
		}
		return target{}, errWrongProperty(t.pos, "'%s' is not a property of assignedPlan; use servicePlanId, service or capabilityStatus", name)
	case "device", "group":
		// Graph's wording, seen as "Property 'objectid' cannot be applied to object 'Group'"
		// (graph-facts.md §3.4).
		return target{}, errorf(t.pos, "Property '%s' cannot be applied to object '%s'",
			strings.ToLower(name), strings.ToUpper(obj[:1])+strings.ToLower(obj[1:]))
	}
	return target{}, errorf(t.pos, "Unknown object '%s'; user rules read user.<property>", obj)
}

func itemName(k targetKind) string {
	if k == targetPlan {
		return "assignedPlan.<property>"
	}
	return "_"
}

// parseLambda parses the condition of collection -any/-all; opTok is the -any/-all token.
func (p *parser) parseLambda(tgt target, opTok token) (node, *Error) {
	var body scope
	switch {
	case tgt.kind == targetUser && tgt.prop.kind == kindStrings:
		body = scope{kind: targetItem, lambdaOp: opTok.op}
	case tgt.kind == targetUser && tgt.prop.kind == kindPlans:
		body = scope{kind: targetPlan, lambdaOp: opTok.op}
	default:
		return nil, errInvalidOperands(opTok.pos, opTok.op.String())
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, errorf(p.tok.pos, "Missing condition after %s", opTok.op)
	}
	x, err := p.parsePrimary(body)
	if err != nil {
		return nil, err
	}
	return &lambdaNode{prop: tgt.prop, all: opTok.op == opAll, body: x}, nil
}

// parseValue parses the value after comparison operator op.
func (p *parser) parseValue(op opKind) (value, *Error) {
	t := p.tok
	switch t.kind {
	case tokString:
		return value{kind: valString, pos: t.pos, str: t.val}, p.advance()
	case tokLBracket:
		return p.parseList()
	case tokWord:
	case tokEOF:
		return value{}, errorf(t.pos, "Missing value after operator %s", op)
	default:
		return value{}, errorf(t.pos, "Invalid value '%s' after operator %s", t.text, op)
	}
	if t.escaped {
		return value{kind: valString, pos: t.pos, str: t.val}, p.advance()
	}
	v := value{pos: t.pos}
	switch lower := strings.ToLower(t.val); {
	case lower == "null" || lower == "$null":
		v.kind = valNull
	case lower == "true" || lower == "false":
		v.kind, v.b = valBool, lower == "true"
	case lower == "system.now":
		return p.parseNow()
	case isNumber(t.val):
		v.kind, v.str = valNumber, t.val
	default:
		d, ok := parseDate(t.val)
		if !ok {
			return value{}, errorf(t.pos, "Invalid value '%s'; string values must be in double quotes", t.text)
		}
		v.kind, v.t = valDate, d
	}
	return v, p.advance()
}

// parseNow parses system.now [-plus|-minus duration]; p.tok is system.now.
func (p *parser) parseNow() (value, *Error) {
	v := value{kind: valNow, pos: p.tok.pos}
	p.usesNow = true
	if err := p.advance(); err != nil {
		return value{}, err
	}
	if !p.isOp(opPlus) && !p.isOp(opMinus) {
		return v, nil
	}
	v.shift = p.tok.op
	if err := p.advance(); err != nil {
		return value{}, err
	}
	t := p.tok
	if t.kind != tokWord && t.kind != tokString {
		return value{}, p.unexpected("an ISO 8601 duration such as P1D")
	}
	d, ok := parseISODuration(t.val)
	if !ok {
		return value{}, errorf(t.pos, "Invalid duration '%s'; expected an ISO 8601 duration such as P1D", t.text)
	}
	v.dur = d
	return v, p.advance()
}

// parseList parses ["a","b",…] for -in and -notIn; items are strings or numbers.
func (p *parser) parseList() (value, *Error) {
	v := value{kind: valList, pos: p.tok.pos}
	if err := p.advance(); err != nil {
		return value{}, err
	}
	if p.tok.kind == tokRBracket {
		return value{}, errorf(v.pos, "The list is empty")
	}
	for {
		t := p.tok
		switch {
		case t.kind == tokString || t.kind == tokWord && t.escaped:
			v.list = append(v.list, value{kind: valString, pos: t.pos, str: t.val})
		case t.kind == tokWord && isNumber(t.val):
			v.list = append(v.list, value{kind: valNumber, pos: t.pos, str: t.val})
		case t.kind == tokEOF:
			return value{}, errorf(v.pos, "Unbalanced brackets: '[' is not closed")
		default:
			return value{}, errorf(t.pos, "Invalid list item '%s'; expected a string or a number", t.text)
		}
		if err := p.advance(); err != nil {
			return value{}, err
		}
		switch p.tok.kind {
		case tokComma:
			if err := p.advance(); err != nil {
				return value{}, err
			}
		case tokRBracket:
			return v, p.advance()
		case tokEOF:
			return value{}, errorf(v.pos, "Unbalanced brackets: '[' is not closed")
		default:
			return value{}, p.unexpected("',' or ']'")
		}
	}
}

// check validates that operator opTok takes target tgt and value val, and builds the
// comparison. Operand mismatches give Graph's "Invalid operands found for operator …".
func (p *parser) check(tgt target, opTok token, val value) (node, *Error) {
	op := opTok.op
	kind := kindString
	if tgt.kind == targetUser {
		kind = tgt.prop.kind
	}
	invalid := errInvalidOperands(opTok.pos, op.String())
	switch {
	case val.kind == valList && op != opIn && op != opNotIn:
		return nil, invalid
	case val.kind != valList && (op == opIn || op == opNotIn):
		return nil, errorf(val.pos, "The %s operator needs a list of values such as [\"a\",\"b\"]", op)
	case val.kind == valNull && op != opEq && op != opNe:
		return nil, errorf(val.pos, "null can only be compared with -eq or -ne")
	}
	n := &cmpNode{target: tgt, op: op, val: val}
	switch kind {
	case kindPlans:
		return nil, invalid
	case kindBool:
		if op != opEq && op != opNe {
			return nil, invalid
		}
		switch {
		case val.kind == valString && (strings.EqualFold(val.str, "true") || strings.EqualFold(val.str, "false")):
			n.val = value{kind: valBool, pos: val.pos, b: strings.EqualFold(val.str, "true")}
		case val.kind != valBool && val.kind != valNull:
			return nil, invalid
		}
	case kindDate:
		if op != opEq && op != opNe && op != opLe && op != opGe {
			return nil, invalid
		}
		switch val.kind {
		case valDate, valNow, valNull:
		case valString:
			d, ok := parseDate(val.str)
			if !ok {
				return nil, errorf(val.pos, "Invalid dateTime value '%s'", val.str)
			}
			n.val = value{kind: valDate, pos: val.pos, t: d}
		default:
			return nil, invalid
		}
	default: // strings, string collections, collection items
		if op == opLe || op == opGe {
			return nil, invalid
		}
		switch val.kind {
		case valString, valNumber, valNull, valList:
		default:
			return nil, invalid
		}
		if op == opMatch || op == opNotMatch {
			re, err := compileRegex(val.str)
			if err != nil {
				return nil, err.at(val.pos)
			}
			n.re = re
		}
	}
	return n, nil
}

// maxRegexInsts bounds the size of a compiled -match pattern. It is graphmock's own guard, not
// an Entra limit: a pattern such as "[a-z]{0,99}" repeated many times compiles to tens of
// thousands of instructions and would make evaluating a rule over a large tenant take minutes.
const maxRegexInsts = 2000

// compileRegex compiles a -match pattern case-insensitively (the documentation says regex
// comparisons aren't case sensitive), in Go RE2 syntax.
func compileRegex(pattern string) (*regexp.Regexp, *Error) {
	full := "(?i)" + pattern
	parsed, err := syntax.Parse(full, syntax.Perl)
	if err != nil {
		return nil, errorf(0, "Invalid regular expression '%s'", pattern)
	}
	prog, err := syntax.Compile(parsed.Simplify())
	if err != nil || len(prog.Inst) > maxRegexInsts {
		return nil, errorf(0, "Regular expression '%s' is too complex", pattern)
	}
	re, err := regexp.Compile(full)
	if err != nil {
		return nil, errorf(0, "Invalid regular expression '%s'", pattern)
	}
	return re, nil
}
