package odata

import (
	"sort"
	"strings"
)

// Search messages. [unc] Graph's wording for malformed $search values and
// non-searchable properties was not found; these follow its other messages.
const (
	msgSearchSyntax      = "Syntax error at position %d in '%s'."
	msgSearchUnsupported = "Unsupported or invalid query search clause specified for property '%s' of resource '%s'."
)

// ParseSearch parses a $search value: double-quoted clauses `"property:value"`
// combined with AND / OR (AND binds tighter; parentheses group), e.g.
// `"displayName:wa" OR "displayName:ad"` (graph-facts §6.4). Inside a clause `\"`
// and `\\` escape. A clause without `property:` searches every searchable
// property [unc]. Errors are *Error 400 Request_BadRequest with the offset of the
// offending character.
func ParseSearch(src string) (Expr, error) {
	p := &searchParser{src: src}
	e, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i < len(src) {
		return nil, p.fail()
	}
	return e, nil
}

type searchParser struct {
	src string
	i   int
}

func (p *searchParser) fail() *Error {
	return badRequest(p.i, msgSearchSyntax, p.i, p.src)
}

func (p *searchParser) skipSpace() {
	for p.i < len(p.src) && isSpace(p.src[p.i]) {
		p.i++
	}
}

// keyword consumes AND / OR (case-insensitive) followed by a space, quote or '('.
func (p *searchParser) keyword(kw string) bool {
	p.skipSpace()
	end := p.i + len(kw)
	if end > len(p.src) || !strings.EqualFold(p.src[p.i:end], kw) {
		return false
	}
	if end < len(p.src) && !isSpace(p.src[end]) && p.src[end] != '"' && p.src[end] != '(' {
		return false
	}
	p.i = end
	return true
}

func (p *searchParser) parseOr(depth int) (Expr, error) {
	left, err := p.parseAnd(depth)
	if err != nil {
		return nil, err
	}
	for {
		pos := p.i
		if !p.keyword("OR") {
			return left, nil
		}
		right, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		left = &Logical{Search: true, Left: left, Right: right, Pos: pos}
	}
}

func (p *searchParser) parseAnd(depth int) (Expr, error) {
	left, err := p.parsePrimary(depth)
	if err != nil {
		return nil, err
	}
	for {
		pos := p.i
		if !p.keyword("AND") {
			return left, nil
		}
		right, err := p.parsePrimary(depth)
		if err != nil {
			return nil, err
		}
		left = &Logical{And: true, Search: true, Left: left, Right: right, Pos: pos}
	}
}

func (p *searchParser) parsePrimary(depth int) (Expr, error) {
	p.skipSpace()
	if p.i >= len(p.src) {
		return nil, p.fail()
	}
	switch p.src[p.i] {
	case '(':
		if depth >= maxDepth {
			return nil, p.fail()
		}
		p.i++
		e, err := p.parseOr(depth + 1)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.i >= len(p.src) || p.src[p.i] != ')' {
			return nil, p.fail()
		}
		p.i++
		return e, nil
	case '"':
		return p.parseTerm()
	}
	return nil, p.fail()
}

func (p *searchParser) parseTerm() (Expr, error) {
	start := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.src):
			b.WriteByte(p.src[p.i+1])
			p.i += 2
			continue
		case c == '"':
			p.i++
			text := b.String()
			t := &SearchTerm{Value: text, Pos: start}
			if k := strings.IndexByte(text, ':'); k >= 0 {
				t.Property, t.Value = strings.TrimSpace(text[:k]), text[k+1:]
				if t.Property == "" {
					return nil, badRequest(start, msgSearchSyntax, start, p.src)
				}
			}
			if strings.TrimSpace(t.Value) == "" {
				return nil, badRequest(start, msgSearchSyntax, start, p.src)
			}
			return t, nil
		}
		b.WriteByte(c)
		p.i++
	}
	return nil, badRequest(start, msgSearchSyntax, start, p.src)
}

// CheckSearch resolves the properties of every clause against res (canonical
// names, case-insensitive). Unknown properties are 400 Request_BadRequest "Could
// not find a property named …"; properties that are not searchable are 400
// Request_UnsupportedQuery.
func CheckSearch(e Expr, res *Resource) error {
	switch e := e.(type) {
	case *Logical:
		if err := CheckSearch(e.Left, res); err != nil {
			return err
		}
		return CheckSearch(e.Right, res)
	case *SearchTerm:
		e.words = strings.Fields(strings.ToLower(e.Value))
		if e.Property == "" {
			e.props = searchable(res)
			if len(e.props) == 0 {
				return unsupported(e.Pos, msgSearchUnsupported, "", res.Name)
			}
			return nil
		}
		p, ok := res.Property(e.Property)
		if !ok {
			return badRequest(e.Pos, msgNoProperty, e.Property, res.Type)
		}
		if p.NotModelled != "" {
			return NotModelledError(e.Pos, p)
		}
		if p.Search == NoSearch {
			return unsupported(e.Pos, msgSearchUnsupported, p.Name, res.Name)
		}
		e.Property = p.Name
		e.props = []*Prop{p}
		return nil
	}
	return badRequest(e.Position(), msgSearchSyntax, e.Position(), e.String())
}

func searchable(res *Resource) []*Prop {
	var out []*Prop
	for _, p := range res.Props {
		if p.Search != NoSearch {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
