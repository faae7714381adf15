package odata

import "strings"

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

// ParseFilter parses a $filter value into an AST without checking it against a
// resource. Syntax errors are *Error 400 Request_BadRequest "Invalid filter
// clause: …" with Pos at the offending token; the wording follows the OData
// library Graph runs on ([unc] for the exact positions Graph reports).
//
// Grammar (precedence high → low: comparison, not, and, or):
//
//	or   := and ('or' and)*
//	and  := not ('and' not)*
//	not  := 'not' not | cmp
//	cmp  := operand (('eq'|'ne'|'lt'|'gt'|'le'|'ge'|'has') operand | 'in' '(' literal (',' literal)* ')')?
//	operand := '(' or ')' | literal | name '(' operand (',' operand)* ')' | path
//	path := segment ('/' segment)* ('/' ('any'|'all') '(' [var ':' or] ')' | '/' '$count')?
//
// `not` binds a whole comparison, so `not displayName eq 'x'` means
// `not(displayName eq 'x')` (Graph examples always write `not(...)`).
// Keywords and function names are matched case-insensitively, as Graph does.
func ParseFilter(src string) (Expr, error) {
	toks, err := Lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if err := p.requireBool(e); err != nil {
		return nil, err
	}
	if t := p.peek(); t.Kind != TokEOF {
		return nil, p.errAt(t.Pos, "')' or operator expected at position %d in '%s'.")
	}
	return e, nil
}

type parser struct {
	src   string
	toks  []Token
	i     int
	depth int
	vars  []string
}

func (p *parser) peek() Token { return p.toks[p.i] }

func (p *parser) next() Token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) errAt(pos int, format string) *Error {
	return filterError(pos, format, pos, p.src)
}

func (p *parser) isKeyword(t Token, kw string) bool {
	return t.Kind == TokIdent && strings.EqualFold(t.Text, kw)
}

func (p *parser) requireBool(e Expr) error {
	switch e.(type) {
	case *Compare, *In, *Logical, *Not, *Call, *Lambda:
		return nil
	}
	return filterError(e.Position(), "The $filter expression must evaluate to a single boolean value.")
}

func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > maxDepth {
		return filterError(pos, "Recursion depth exceeded allowed limit.")
	}
	return nil
}

func (p *parser) parseOr() (Expr, error) {
	return p.parseBinary(false)
}

func (p *parser) parseBinary(and bool) (Expr, error) {
	sub := func() (Expr, error) {
		if and {
			return p.parseNot()
		}
		return p.parseBinary(true)
	}
	kw := "or"
	if and {
		kw = "and"
	}
	left, err := sub()
	if err != nil {
		return nil, err
	}
	for p.isKeyword(p.peek(), kw) {
		op := p.next()
		if err := p.requireBool(left); err != nil {
			return nil, err
		}
		right, err := sub()
		if err != nil {
			return nil, err
		}
		if err := p.requireBool(right); err != nil {
			return nil, err
		}
		left = &Logical{And: and, Left: left, Right: right, Pos: op.Pos}
	}
	return left, nil
}

func (p *parser) parseNot() (Expr, error) {
	t := p.peek()
	if p.isKeyword(t, "not") {
		if err := p.enter(t.Pos); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		p.next()
		x, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		if err := p.requireBool(x); err != nil {
			return nil, err
		}
		return &Not{X: x, Pos: t.Pos}, nil
	}
	return p.parseComparison()
}

var compareOps = map[string]string{"eq": "eq", "ne": "ne", "lt": "lt", "gt": "gt", "le": "le", "ge": "ge", "has": "has"}

func (p *parser) parseComparison() (Expr, error) {
	left, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.Kind != TokIdent {
		return left, nil
	}
	lower := strings.ToLower(t.Text)
	if op, ok := compareOps[lower]; ok {
		p.next()
		right, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		return &Compare{Op: op, Left: left, Right: right, Pos: t.Pos}, nil
	}
	if lower == "in" {
		p.next()
		return p.parseInList(left, t.Pos)
	}
	return left, nil
}

func (p *parser) parseInList(left Expr, pos int) (Expr, error) {
	if t := p.next(); t.Kind != TokLParen {
		return nil, p.errAt(t.Pos, "'(' expected at position %d in '%s'.")
	}
	in := &In{Left: left, Pos: pos}
	for {
		t := p.peek()
		e, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		lit, ok := e.(*Literal)
		if !ok {
			return nil, p.errAt(t.Pos, "Syntax error at position %d in '%s'.")
		}
		in.List = append(in.List, lit)
		switch t := p.next(); t.Kind {
		case TokComma:
			continue
		case TokRParen:
			return in, nil
		default:
			return nil, p.errAt(t.Pos, "')' or ',' expected at position %d in '%s'.")
		}
	}
}

func (p *parser) parseOperand() (Expr, error) {
	t := p.peek()
	if err := p.enter(t.Pos); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	switch t.Kind {
	case TokLParen:
		p.next()
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.Kind != TokRParen {
			return nil, p.errAt(c.Pos, "')' or operator expected at position %d in '%s'.")
		}
		return e, nil
	case TokString:
		p.next()
		return &Literal{Kind: LitString, Value: t.Value, Pos: t.Pos}, nil
	case TokInt:
		p.next()
		return &Literal{Kind: LitInt, Value: t.Value, Pos: t.Pos}, nil
	case TokFloat:
		p.next()
		return &Literal{Kind: LitFloat, Value: t.Value, Pos: t.Pos}, nil
	case TokGUID:
		p.next()
		return &Literal{Kind: LitGUID, Value: t.Value, Pos: t.Pos}, nil
	case TokDateTime:
		p.next()
		return &Literal{Kind: LitDateTime, Value: t.Value, Pos: t.Pos}, nil
	case TokIdent:
		switch strings.ToLower(t.Text) {
		case "null":
			p.next()
			return &Literal{Kind: LitNull, Pos: t.Pos}, nil
		case "true", "false":
			p.next()
			return &Literal{Kind: LitBool, Value: strings.EqualFold(t.Text, "true"), Pos: t.Pos}, nil
		}
		if p.toks[p.i+1].Kind == TokLParen {
			return p.parseCall()
		}
		return p.parsePath()
	}
	return nil, p.errAt(t.Pos, "Expression expected at position %d in '%s'.")
}

func (p *parser) parseCall() (Expr, error) {
	name := p.next()
	p.next() // (
	call := &Call{Name: strings.ToLower(name.Text), Pos: name.Pos}
	if p.peek().Kind == TokRParen {
		p.next()
		return call, nil
	}
	for {
		arg, err := p.parseOperand()
		if err != nil {
			return nil, err
		}
		call.Args = append(call.Args, arg)
		switch t := p.next(); t.Kind {
		case TokComma:
			continue
		case TokRParen:
			return call, nil
		default:
			return nil, p.errAt(t.Pos, "')' or ',' expected at position %d in '%s'.")
		}
	}
}

func (p *parser) isVar(name string) bool {
	for _, v := range p.vars {
		if v == name {
			return true
		}
	}
	return false
}

func (p *parser) parsePath() (Expr, error) {
	first := p.next()
	prop := &Property{Pos: first.Pos}
	if p.isVar(first.Text) {
		prop.Var = first.Text
	} else {
		prop.Path = append(prop.Path, first.Text)
	}
	for p.peek().Kind == TokSlash {
		p.next()
		seg := p.next()
		if seg.Kind != TokIdent {
			return nil, p.errAt(seg.Pos, "Syntax error at position %d in '%s'.")
		}
		lower := strings.ToLower(seg.Text)
		if (lower == "any" || lower == "all") && p.peek().Kind == TokLParen {
			return p.parseLambda(prop, lower == "all", seg.Pos)
		}
		if lower == "$count" {
			return &Count{Collection: prop, Pos: seg.Pos}, nil
		}
		prop.Path = append(prop.Path, seg.Text)
	}
	return prop, nil
}

func (p *parser) parseLambda(coll *Property, all bool, pos int) (Expr, error) {
	p.next() // (
	l := &Lambda{Collection: coll, All: all, Pos: pos}
	if p.peek().Kind == TokRParen {
		p.next()
		return l, nil
	}
	v := p.next()
	if v.Kind != TokIdent {
		return nil, p.errAt(v.Pos, "Syntax error at position %d in '%s'.")
	}
	if c := p.next(); c.Kind != TokColon {
		return nil, p.errAt(c.Pos, "Syntax error at position %d in '%s'.")
	}
	l.Var = v.Text
	p.vars = append(p.vars, v.Text)
	body, err := p.parseOr()
	p.vars = p.vars[:len(p.vars)-1]
	if err != nil {
		return nil, err
	}
	if err := p.requireBool(body); err != nil {
		return nil, err
	}
	if c := p.next(); c.Kind != TokRParen {
		return nil, p.errAt(c.Pos, "')' or operator expected at position %d in '%s'.")
	}
	l.Body = body
	return l, nil
}
