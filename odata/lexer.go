package odata

import (
	"strconv"
	"strings"
	"time"
)

// TokenKind classifies a $filter token.
type TokenKind uint8

// Token kinds of the $filter lexer.
const (
	TokEOF      TokenKind = iota
	TokIdent              // displayName, eq, and, true, null, $count
	TokString             // 'it''s' (Value holds the unescaped text)
	TokInt                // 42, -7
	TokFloat              // 1.5
	TokGUID               // 6fd2c87f-b296-42f0-b197-1e91e994b900 (unquoted)
	TokDateTime           // 2024-01-01T00:00:00Z (unquoted DateTimeOffset) or 2024-01-01
	TokLParen
	TokRParen
	TokComma
	TokColon
	TokSlash
)

var tokenNames = [...]string{"EOF", "Ident", "String", "Int", "Float", "GUID", "DateTime", "(", ")", ",", ":", "/"}

func (k TokenKind) String() string {
	if int(k) < len(tokenNames) {
		return tokenNames[k]
	}
	return "?"
}

// Token is one lexeme of a $filter value. Pos is its byte offset, Text the raw
// source text, Value the decoded literal (string, int64, float64, time.Time or the
// lower-case GUID text) for literal kinds.
type Token struct {
	Kind  TokenKind
	Pos   int
	Text  string
	Value any
}

// Lex splits a $filter value into tokens ending with TokEOF. Errors are *Error
// 400 "Invalid filter clause: …" in the OData library's wording ([unc]: Graph
// passes these messages through from its OData parser).
func Lex(src string) ([]Token, error) {
	var toks []Token
	i := 0
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			toks = append(toks, Token{Kind: TokEOF, Pos: i})
			return toks, nil
		}
		t, n, err := lexOne(src, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		i += n
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || c == '@' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}
func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '.' }

func lexOne(src string, i int) (Token, int, error) {
	c := src[i]
	switch c {
	case '(':
		return Token{Kind: TokLParen, Pos: i, Text: "("}, 1, nil
	case ')':
		return Token{Kind: TokRParen, Pos: i, Text: ")"}, 1, nil
	case ',':
		return Token{Kind: TokComma, Pos: i, Text: ","}, 1, nil
	case ':':
		return Token{Kind: TokColon, Pos: i, Text: ":"}, 1, nil
	case '/':
		return Token{Kind: TokSlash, Pos: i, Text: "/"}, 1, nil
	case '\'':
		return lexString(src, i)
	}
	if n := guidLen(src, i); n > 0 {
		text := src[i : i+n]
		return Token{Kind: TokGUID, Pos: i, Text: text, Value: strings.ToLower(text)}, n, nil
	}
	if isDigit(c) || (c == '-' && i+1 < len(src) && isDigit(src[i+1])) {
		if t, n, ok := lexDateTime(src, i); ok {
			return t, n, nil
		}
		return lexNumber(src, i)
	}
	if isIdentStart(c) {
		j := i + 1
		for j < len(src) && isIdentPart(src[j]) {
			j++
		}
		return Token{Kind: TokIdent, Pos: i, Text: src[i:j]}, j - i, nil
	}
	return Token{}, 0, filterError(i, "Syntax error: character '%c' is not valid at position %d in '%s'.", rune(c), i, src)
}

func lexString(src string, i int) (Token, int, error) {
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		if src[j] == '\'' {
			if j+1 < len(src) && src[j+1] == '\'' {
				b.WriteByte('\'')
				j += 2
				continue
			}
			return Token{Kind: TokString, Pos: i, Text: src[i : j+1], Value: b.String()}, j + 1 - i, nil
		}
		b.WriteByte(src[j])
		j++
	}
	return Token{}, 0, filterError(i, "There is an unterminated string literal at position %d in '%s'.", i, src)
}

// guidLen reports the length of an unquoted GUID (8-4-4-4-12 hex digits) at i,
// or 0. A GUID must not run on into identifier characters.
func guidLen(src string, i int) int {
	groups := [...]int{8, 4, 4, 4, 12}
	j := i
	for g, n := range groups {
		for k := 0; k < n; k++ {
			if j >= len(src) || !isHex(src[j]) {
				return 0
			}
			j++
		}
		if g < len(groups)-1 {
			if j >= len(src) || src[j] != '-' {
				return 0
			}
			j++
		}
	}
	if j < len(src) && (isIdentPart(src[j]) || src[j] == '-') {
		return 0
	}
	return j - i
}

// lexDateTime recognises an unquoted DateTimeOffset (RFC 3339) or a Date
// (yyyy-mm-dd, read as midnight UTC).
func lexDateTime(src string, i int) (Token, int, bool) {
	if len(src)-i < 10 || !isDigit(src[i]) {
		return Token{}, 0, false
	}
	for k, c := range []byte(src[i : i+10]) {
		if k == 4 || k == 7 {
			if c != '-' {
				return Token{}, 0, false
			}
		} else if !isDigit(c) {
			return Token{}, 0, false
		}
	}
	j := i + 10
	if j < len(src) && (src[j] == 'T' || src[j] == 't') {
		j++
		for j < len(src) && (isDigit(src[j]) || strings.IndexByte(":.+-Zz", src[j]) >= 0) {
			j++
		}
		text := src[i:j]
		tm, err := time.Parse(time.RFC3339Nano, strings.ToUpper(text))
		if err != nil {
			// Allow a missing seconds field (yyyy-mm-ddThh:mmZ) as OData does.
			tm, err = time.Parse("2006-01-02T15:04Z07:00", strings.ToUpper(text))
			if err != nil {
				return Token{}, 0, false
			}
		}
		return Token{Kind: TokDateTime, Pos: i, Text: text, Value: tm.UTC()}, j - i, true
	}
	if j < len(src) && (isIdentPart(src[j]) || src[j] == '-') {
		return Token{}, 0, false
	}
	tm, err := time.Parse("2006-01-02", src[i:j])
	if err != nil {
		return Token{}, 0, false
	}
	return Token{Kind: TokDateTime, Pos: i, Text: src[i:j], Value: tm}, j - i, true
}

func lexNumber(src string, i int) (Token, int, error) {
	j := i
	if src[j] == '-' {
		j++
	}
	for j < len(src) && isDigit(src[j]) {
		j++
	}
	isFloat := false
	if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
		isFloat = true
		j++
		for j < len(src) && isDigit(src[j]) {
			j++
		}
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			isFloat = true
			j = k
			for j < len(src) && isDigit(src[j]) {
				j++
			}
		}
	}
	if j < len(src) && isIdentPart(src[j]) {
		return Token{}, 0, filterError(j, "Syntax error: character '%c' is not valid at position %d in '%s'.", rune(src[j]), j, src)
	}
	text := src[i:j]
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return Token{}, 0, filterError(i, "Syntax error at position %d in '%s'.", i, src)
		}
		return Token{Kind: TokFloat, Pos: i, Text: text, Value: f}, j - i, nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return Token{}, 0, filterError(i, "Syntax error at position %d in '%s'.", i, src)
	}
	return Token{Kind: TokInt, Pos: i, Text: text, Value: n}, j - i, nil
}
