package membershiprule

import (
	"fmt"
	"strings"
	"testing"
)

// describeToken renders a token as KIND(pos:value) for compact tables.
func describeToken(t token) string {
	switch t.kind {
	case tokOp:
		return fmt.Sprintf("OP(%d:%s)", t.pos, t.op)
	case tokString:
		return fmt.Sprintf("STRING(%d:%s)", t.pos, t.val)
	case tokWord:
		if t.escaped {
			return fmt.Sprintf("WORD(%d:%s,escaped)", t.pos, t.val)
		}
		return fmt.Sprintf("WORD(%d:%s)", t.pos, t.val)
	}
	return fmt.Sprintf("%s(%d)", t.kind, t.pos)
}

func TestLexerTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"simple comparison", `user.department -eq "Sales"`,
			`WORD(0:user.department) OP(16:-eq) STRING(20:Sales) EOF(27)`},
		{"operator without hyphen", `user.department eq "Sales"`,
			`WORD(0:user.department) OP(16:-eq) STRING(19:Sales) EOF(26)`},
		{"operator case-insensitive", `user.mail -NOTENDSWITH "@x" -AnD -Not`,
			`WORD(0:user.mail) OP(10:-notEndsWith) STRING(23:@x) OP(28:-and) OP(33:-not) EOF(37)`},
		{"en dash operator", "user.mail \u2013ne null",
			`WORD(0:user.mail) OP(10:-ne) WORD(14:null) EOF(18)`},
		{"parentheses and underscore", `(user.proxyAddresses -any (_ -startsWith "smtp:"))`,
			`((0) WORD(1:user.proxyAddresses) OP(21:-any) ((26) WORD(27:_) OP(29:-startsWith) STRING(41:smtp:) )(48) )(49) EOF(50)`},
		{"list", `user.department -in ["a", "b",3]`,
			`WORD(0:user.department) OP(16:-in) [(20) STRING(21:a) ,(24) STRING(26:b) ,(29) WORD(30:3) ](31) EOF(32)`},
		{"backtick escapes in string", "\"a`\"b``c\"",
			"STRING(0:a\"b`c) EOF(9)"},
		{"doubled single quotes in double quotes", `"O''Brien"`,
			`STRING(0:O'Brien) EOF(10)`},
		{"single-quoted string", `'O''Brien'`,
			`STRING(0:O'Brien) EOF(10)`},
		{"lone single quote in double quotes", `"O'Brien"`,
			`STRING(0:O'Brien) EOF(9)`},
		{"bare escaped word", "`\"Sales`\"",
			`WORD(0:"Sales",escaped) EOF(9)`},
		{"negative number", `-12 -1.5`,
			`WORD(0:-12) WORD(4:-1.5) EOF(8)`},
		{"date and system.now", `2020-06-10T18:13:20Z system.now -plus p1d`,
			`WORD(0:2020-06-10T18:13:20Z) WORD(21:system.now) OP(32:-plus) WORD(38:p1d) EOF(41)`},
		{"direct reports", `Direct Reports for "x"`,
			`WORD(0:Direct) WORD(7:Reports) WORD(15:for) STRING(19:x) EOF(22)`},
		{"positions count characters", `"é" -eq`,
			`STRING(0:é) OP(4:-eq) EOF(7)`},
		{"whitespace", "\t user.city\n-eq\u00a0null ",
			`WORD(2:user.city) OP(12:-eq) WORD(16:null) EOF(21)`},
		{"empty", ``, `EOF(0)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			toks, err := tokenize(tt.in)
			if err != nil {
				t.Fatalf("tokenize(%q) error: %v", tt.in, err)
			}
			parts := make([]string, len(toks))
			for i, tok := range toks {
				parts[i] = describeToken(tok)
			}
			if got := strings.Join(parts, " "); got != tt.want {
				t.Errorf("tokenize(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestLexerErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantPos int
		wantMsg string
	}{
		{"unknown operator", `user.city -equals "x"`, 10, "Unknown operator '-equals'"},
		{"lone hyphen", `user.city - "x"`, 10, "Unexpected character '-'"},
		{"unterminated string", `user.city -eq "abc`, 14, "Unterminated string"},
		{"unterminated after backtick", "user.city -eq \"abc`", 14, "Unterminated string"},
		{"unexpected character", `user.city == "x"`, 10, "Unexpected character '='"},
		{"trailing backtick in word", "user.city -eq abc`", 17, "Unexpected character '`'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tokenize(tt.in)
			if err == nil {
				t.Fatalf("tokenize(%q): no error", tt.in)
			}
			if err.Pos != tt.wantPos || err.Message != tt.wantMsg {
				t.Errorf("tokenize(%q) = %d %q, want %d %q", tt.in, err.Pos, err.Message, tt.wantPos, tt.wantMsg)
			}
		})
	}
}
