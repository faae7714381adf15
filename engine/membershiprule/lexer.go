package membershiprule

import (
	"strings"
	"unicode"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tokEOF      tokKind = iota
	tokLParen           // (
	tokRParen           // )
	tokLBracket         // [
	tokRBracket         // ]
	tokComma            // ,
	tokString           // "…" or '…'; val holds the decoded text
	tokWord             // bare word: property path, _, null, true, false, number, dateTime, system.now, Direct…
	tokOp               // operator, with or without the leading hyphen
)

var tokKindNames = [...]string{"EOF", "(", ")", "[", "]", ",", "STRING", "WORD", "OP"}

func (k tokKind) String() string {
	if int(k) < len(tokKindNames) {
		return tokKindNames[k]
	}
	return "?"
}

// opKind identifies an operator.
type opKind uint8

const (
	opNone opKind = iota
	opEq
	opNe
	opStartsWith
	opNotStartsWith
	opEndsWith
	opNotEndsWith
	opContains
	opNotContains
	opMatch
	opNotMatch
	opIn
	opNotIn
	opLe
	opGe
	opAnd
	opOr
	opNot
	opAny
	opAll
	opPlus
	opMinus
)

// opNames holds the canonical spelling of each operator.
var opNames = [...]string{
	opNone:          "",
	opEq:            "-eq",
	opNe:            "-ne",
	opStartsWith:    "-startsWith",
	opNotStartsWith: "-notStartsWith",
	opEndsWith:      "-endsWith",
	opNotEndsWith:   "-notEndsWith",
	opContains:      "-contains",
	opNotContains:   "-notContains",
	opMatch:         "-match",
	opNotMatch:      "-notMatch",
	opIn:            "-in",
	opNotIn:         "-notIn",
	opLe:            "-le",
	opGe:            "-ge",
	opAnd:           "-and",
	opOr:            "-or",
	opNot:           "-not",
	opAny:           "-any",
	opAll:           "-all",
	opPlus:          "-plus",
	opMinus:         "-minus",
}

func (o opKind) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "?"
}

// isComparison reports whether o compares a property with a value.
func (o opKind) isComparison() bool { return o >= opEq && o <= opGe }

// opByName indexes operators by lowercased name without the hyphen.
var opByName = func() map[string]opKind {
	m := make(map[string]opKind, len(opNames))
	for i, n := range opNames {
		if n != "" {
			m[strings.ToLower(n[1:])] = opKind(i)
		}
	}
	return m
}()

// token is one lexeme. pos and end are character offsets into the rule.
type token struct {
	kind    tokKind
	pos     int
	end     int
	text    string // source text
	val     string // decoded value of tokString and tokWord (escapes applied)
	op      opKind // tokOp
	escaped bool   // tokWord contained a backtick escape
}

// lexer turns a rule into tokens on demand, so errors are reported in source order.
type lexer struct {
	src []rune
	pos int
}

// isDash reports whether r introduces an operator: a hyphen, or an en dash (U+2013), which
// appears in Microsoft's own examples ("user.mail –ne null").
func isDash(r rune) bool { return r == '-' || r == '\u2013' }

func isWordStart(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '$' || r == '`'
}

func isWordChar(r rune) bool {
	return isWordStart(r) || r == '.' || r == ':' || r == '+' || r == '-'
}

func isLetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// next returns the next token, or a *Error for a malformed one.
func (l *lexer) next() (token, *Error) {
	for l.pos < len(l.src) && unicode.IsSpace(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: start, end: start}, nil
	}
	c := l.src[start]
	single := func(k tokKind) (token, *Error) {
		l.pos++
		return token{kind: k, pos: start, end: l.pos, text: string(c)}, nil
	}
	switch {
	case c == '(':
		return single(tokLParen)
	case c == ')':
		return single(tokRParen)
	case c == '[':
		return single(tokLBracket)
	case c == ']':
		return single(tokRBracket)
	case c == ',':
		return single(tokComma)
	case c == '"' || c == '\'':
		return l.lexString()
	case isDash(c):
		return l.lexOperator()
	case isWordStart(c):
		return l.lexWord()
	}
	return token{}, errorf(start, "Unexpected character '%c'", c)
}

// lexString reads a quoted string. A backtick escapes the next character; two single quotes
// stand for one single quote (in either kind of quotes); the opening quote character closes.
func (l *lexer) lexString() (token, *Error) {
	start := l.pos
	quote := l.src[start]
	var b strings.Builder
	i := start + 1
	for {
		if i >= len(l.src) {
			return token{}, errorf(start, "Unterminated string")
		}
		r := l.src[i]
		switch {
		case r == '`':
			if i+1 >= len(l.src) {
				return token{}, errorf(start, "Unterminated string")
			}
			b.WriteRune(l.src[i+1])
			i += 2
			continue
		case r == '\'' && i+1 < len(l.src) && l.src[i+1] == '\'':
			b.WriteByte('\'')
			i += 2
			continue
		case r == quote:
			l.pos = i + 1
			return token{kind: tokString, pos: start, end: l.pos, text: string(l.src[start:l.pos]), val: b.String()}, nil
		}
		b.WriteRune(r)
		i++
	}
}

// lexOperator reads "-name" (or a negative number, which is a word).
func (l *lexer) lexOperator() (token, *Error) {
	start := l.pos
	i := start + 1
	for i < len(l.src) && isLetter(l.src[i]) {
		i++
	}
	if i == start+1 {
		if l.src[start] == '-' && i < len(l.src) && '0' <= l.src[i] && l.src[i] <= '9' {
			return l.lexWord()
		}
		return token{}, errorf(start, "Unexpected character '%c'", l.src[start])
	}
	name := string(l.src[start+1 : i])
	op, ok := opByName[strings.ToLower(name)]
	if !ok {
		return token{}, errorf(start, "Unknown operator '-%s'", name)
	}
	l.pos = i
	return token{kind: tokOp, pos: start, end: i, text: string(l.src[start:i]), op: op}, nil
}

// lexWord reads a bare word. A backtick escapes the next character. A word that names an
// operator (eq, and, any…) is an operator written without its hyphen.
func (l *lexer) lexWord() (token, *Error) {
	start := l.pos
	var b strings.Builder
	escaped := false
	i := start
	if l.src[i] == '-' {
		b.WriteByte('-')
		i++
	}
	for i < len(l.src) && isWordChar(l.src[i]) {
		r := l.src[i]
		if r == '`' {
			if i+1 >= len(l.src) {
				return token{}, errorf(i, "Unexpected character '`'")
			}
			b.WriteRune(l.src[i+1])
			escaped = true
			i += 2
			continue
		}
		b.WriteRune(r)
		i++
	}
	l.pos = i
	t := token{kind: tokWord, pos: start, end: i, text: string(l.src[start:i]), val: b.String(), escaped: escaped}
	if !escaped {
		if op, ok := opByName[strings.ToLower(t.val)]; ok {
			t.kind, t.op = tokOp, op
		}
	}
	return t, nil
}

// tokenize lexes a whole rule; used by tests.
func tokenize(rule string) ([]token, *Error) {
	l := lexer{src: []rune(rule)}
	var out []token
	for {
		t, err := l.next()
		if err != nil {
			return out, err
		}
		out = append(out, t)
		if t.kind == tokEOF {
			return out, nil
		}
	}
}
