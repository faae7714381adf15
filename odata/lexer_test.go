package odata

import (
	"testing"
	"time"
)

func TestLex(t *testing.T) {
	t.Parallel()
	type tok struct {
		kind TokenKind
		pos  int
		val  any
	}
	tests := []struct {
		name string
		src  string
		want []tok
	}{
		{"comparison", "displayName eq 'a'", []tok{{TokIdent, 0, nil}, {TokIdent, 12, nil}, {TokString, 15, "a"}, {TokEOF, 18, nil}}},
		{"escaped quote", "'it''s'", []tok{{TokString, 0, "it's"}, {TokEOF, 7, nil}}},
		{"empty string", "''", []tok{{TokString, 0, ""}, {TokEOF, 2, nil}}},
		{"guid", "6FD2C87F-b296-42f0-b197-1e91e994b900", []tok{{TokGUID, 0, "6fd2c87f-b296-42f0-b197-1e91e994b900"}, {TokEOF, 36, nil}}},
		{"datetime", "2024-01-01T10:00:00Z", []tok{{TokDateTime, 0, time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)}, {TokEOF, 20, nil}}},
		{"datetime offset", "2024-01-01T10:00:00.5+02:00", []tok{{TokDateTime, 0, time.Date(2024, 1, 1, 8, 0, 0, 5e8, time.UTC)}, {TokEOF, 27, nil}}},
		{"date", "2024-03-04", []tok{{TokDateTime, 0, time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)}, {TokEOF, 10, nil}}},
		{"int", "42", []tok{{TokInt, 0, int64(42)}, {TokEOF, 2, nil}}},
		{"negative int", "-7", []tok{{TokInt, 0, int64(-7)}, {TokEOF, 2, nil}}},
		{"float", "1.5", []tok{{TokFloat, 0, 1.5}, {TokEOF, 3, nil}}},
		{"punctuation", "a/any(p:p)", []tok{{TokIdent, 0, nil}, {TokSlash, 1, nil}, {TokIdent, 2, nil}, {TokLParen, 5, nil}, {TokIdent, 6, nil}, {TokColon, 7, nil}, {TokIdent, 8, nil}, {TokRParen, 9, nil}, {TokEOF, 10, nil}}},
		{"count segment", "x/$count", []tok{{TokIdent, 0, nil}, {TokSlash, 1, nil}, {TokIdent, 2, nil}, {TokEOF, 8, nil}}},
		{"comma and spaces", " ( 'a' , 'b' ) ", []tok{{TokLParen, 1, nil}, {TokString, 3, "a"}, {TokComma, 7, nil}, {TokString, 9, "b"}, {TokRParen, 13, nil}, {TokEOF, 15, nil}}},
		{"hex word is ident", "deadbeef", []tok{{TokIdent, 0, nil}, {TokEOF, 8, nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Lex(tt.src)
			if err != nil {
				t.Fatalf("Lex(%q): %v", tt.src, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Lex(%q) = %d tokens %v, want %d", tt.src, len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Kind != w.kind || g.Pos != w.pos {
					t.Errorf("token %d = %v@%d, want %v@%d", i, g.Kind, g.Pos, w.kind, w.pos)
				}
				if w.val != nil {
					if wt, ok := w.val.(time.Time); ok {
						if gt, _ := g.Value.(time.Time); !gt.Equal(wt) {
							t.Errorf("token %d value = %v, want %v", i, g.Value, wt)
						}
					} else if g.Value != w.val {
						t.Errorf("token %d value = %#v, want %#v", i, g.Value, w.val)
					}
				}
			}
		})
	}
}

func TestLexErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src string
		pos int
		msg string
	}{
		{"displayName eq 'abc", 15, "Invalid filter clause: There is an unterminated string literal at position 15 in 'displayName eq 'abc'."},
		{"a eq #", 5, "Invalid filter clause: Syntax error: character '#' is not valid at position 5 in 'a eq #'."},
		{"a eq 12ab", 7, "Invalid filter clause: Syntax error: character 'a' is not valid at position 7 in 'a eq 12ab'."},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			_, err := Lex(tt.src)
			assertError(t, err, 400, CodeRequestBadRequest, tt.msg, tt.pos)
		})
	}
}

// assertError checks every field of a *Error.
func assertError(t *testing.T, err error, status int, code, msg string, pos int) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error = %v (%T), want *Error", err, err)
	}
	if e.Status != status || e.Code != code || e.Message != msg || e.Pos != pos {
		t.Errorf("error =\n  %d %s %q @%d\nwant\n  %d %s %q @%d", e.Status, e.Code, e.Message, e.Pos, status, code, msg, pos)
	}
}
