package odata

import (
	"strings"
	"time"
	"unicode"
)

// scope binds lambda variables to the current element; one scope is reused for
// every record of a Page.
type scope struct {
	vars []binding
}

type binding struct {
	name string
	val  any
}

// value reads a property path from the record or a lambda variable.
func value(p *Property, r Record, s *scope) any {
	var cur any
	if p.Var != "" {
		for i := len(s.vars) - 1; i >= 0; i-- {
			if s.vars[i].name == p.Var {
				cur = s.vars[i].val
				break
			}
		}
	} else {
		cur = r
	}
	for _, seg := range p.Path {
		rec, ok := asRecord(cur)
		if !ok {
			return nil
		}
		v, ok := rec.Property(seg)
		if !ok {
			return nil
		}
		cur = normalize(v)
	}
	return cur
}

// evalBool evaluates a checked $filter node. Absent and null values compare as
// OData null: `eq null` is true, `ne 'x'` is true, everything else false.
func evalBool(e Expr, r Record, s *scope) bool {
	switch e := e.(type) {
	case *Logical:
		if e.And {
			return evalBool(e.Left, r, s) && evalBool(e.Right, r, s)
		}
		return evalBool(e.Left, r, s) || evalBool(e.Right, r, s)
	case *Not:
		return !evalBool(e.X, r, s)
	case *Compare:
		lit, _ := e.Right.(*Literal)
		if lit == nil {
			return false
		}
		switch left := e.Left.(type) {
		case *Count:
			return compareNumber(e.Op, float64(collectionLen(value(left.Collection, r, s))), lit.Value)
		case *Property:
			return compareValue(e.Op, kindOf(left), value(left, r, s), lit)
		}
		return false
	case *In:
		left, ok := e.Left.(*Property)
		if !ok {
			return false
		}
		v := value(left, r, s)
		k := kindOf(left)
		for _, l := range e.List {
			if compareValue("eq", k, v, l) {
				return true
			}
		}
		return false
	case *Call:
		if len(e.Args) != 2 {
			return false
		}
		p, ok1 := e.Args[0].(*Property)
		lit, ok2 := e.Args[1].(*Literal)
		if !ok1 || !ok2 {
			return false
		}
		v, ok := value(p, r, s).(string)
		arg, ok3 := lit.Value.(string)
		if !ok || !ok3 {
			return false
		}
		switch e.Name {
		case "startswith":
			return hasPrefixFold(v, arg)
		case "endswith":
			return len(v) >= len(arg) && strings.EqualFold(v[len(v)-len(arg):], arg)
		case "contains":
			return strings.Contains(strings.ToLower(v), strings.ToLower(arg))
		}
		return false
	case *Lambda:
		return evalAny(e, r, s)
	}
	return false
}

func kindOf(p *Property) Kind {
	if p.prop != nil {
		return p.prop.Kind
	}
	return KindString
}

func evalAny(e *Lambda, r Record, s *scope) bool {
	coll := value(e.Collection, r, s)
	if e.Body == nil {
		return collectionLen(coll) > 0
	}
	s.vars = append(s.vars, binding{name: e.Var})
	defer func() { s.vars = s.vars[:len(s.vars)-1] }()
	slot := len(s.vars) - 1
	test := func(v any) bool {
		s.vars[slot].val = v
		return evalBool(e.Body, r, s)
	}
	switch c := coll.(type) {
	case []string:
		for _, v := range c {
			if test(v) {
				return true
			}
		}
	case []Record:
		for _, v := range c {
			if test(v) {
				return true
			}
		}
	case []any:
		for _, v := range c {
			if test(v) {
				return true
			}
		}
	case []map[string]any:
		for _, v := range c {
			if test(Map(v)) {
				return true
			}
		}
	}
	return false
}

func collectionLen(v any) int {
	switch c := v.(type) {
	case []string:
		return len(c)
	case []Record:
		return len(c)
	case []any:
		return len(c)
	case []map[string]any:
		return len(c)
	}
	return 0
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// compareValue compares a record value with a literal; strings compare
// case-insensitively as the directory does.
func compareValue(op string, k Kind, v any, lit *Literal) bool {
	if lit.Kind == LitNull {
		isNil := v == nil
		switch op {
		case "eq":
			return isNil
		case "ne":
			return !isNil
		}
		return false
	}
	if v == nil {
		return op == "ne"
	}
	switch l := lit.Value.(type) {
	case string:
		s, ok := v.(string)
		if !ok {
			return op == "ne"
		}
		if op == "eq" {
			return strings.EqualFold(s, l)
		}
		if op == "ne" {
			return !strings.EqualFold(s, l)
		}
		return ordered(op, compareFold(s, l))
	case bool:
		b, ok := v.(bool)
		switch op {
		case "eq":
			return ok && b == l
		case "ne":
			return !ok || b != l
		}
		return false
	case int64, float64:
		return compareNumber(op, toFloat(v), l)
	case time.Time:
		t, ok := toTime(v)
		if !ok {
			return op == "ne"
		}
		return ordered(op, t.Compare(l))
	}
	return false
}

func ordered(op string, c int) bool {
	switch op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "lt":
		return c < 0
	case "gt":
		return c > 0
	case "le":
		return c <= 0
	case "ge":
		return c >= 0
	}
	return false
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case int:
		return float64(n)
	case int32:
		return float64(n)
	case float64:
		return n
	}
	return 0
}

func compareNumber(op string, a float64, lit any) bool {
	b := toFloat(lit)
	c := 0
	if a < b {
		c = -1
	} else if a > b {
		c = 1
	}
	return ordered(op, c)
}

func toTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case string:
		tm, err := time.Parse(time.RFC3339Nano, t)
		return tm, err == nil
	}
	return time.Time{}, false
}

// compareFold orders strings case-insensitively.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca >= 0x80 || cb >= 0x80 {
			return strings.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
		}
		ca, cb = lowerASCII(ca), lowerASCII(cb)
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// searchMatch evaluates a checked $search expression.
func searchMatch(e Expr, r Record) bool {
	switch e := e.(type) {
	case *Logical:
		if e.And {
			return searchMatch(e.Left, r) && searchMatch(e.Right, r)
		}
		return searchMatch(e.Left, r) || searchMatch(e.Right, r)
	case *SearchTerm:
		for _, p := range e.props {
			v, _ := r.Property(p.Name)
			switch v := normalize(v).(type) {
			case string:
				if termMatches(p.Search, v, e.Value, e.words) {
					return true
				}
			case []string:
				for _, s := range v {
					if termMatches(p.Search, s, e.Value, e.words) {
						return true
					}
				}
			case []any:
				for _, s := range v {
					if s, ok := s.(string); ok && termMatches(p.Search, s, e.Value, e.words) {
						return true
					}
				}
			}
		}
	}
	return false
}

// termMatches: prefix search matches values starting with the term; tokenized
// search also matches when every word of the term starts some word of the value
// (graph-facts §6.4).
func termMatches(m SearchMode, v, term string, words []string) bool {
	if hasPrefixFold(v, term) {
		return true
	}
	if m != SearchTokenized || len(words) == 0 {
		return false
	}
	tokens := strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		found := false
		for _, t := range tokens {
			if hasPrefixFold(t, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
