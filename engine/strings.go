package engine

import "strings"

func hasFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// validMailNickname reports whether s is a valid mailNickname: 1..64 ASCII characters 0-127
// excluding @ ( ) \ [ ] " ; : . < > , and space (graph-facts §1.2). The directory also accepts
// dots inside user nicknames, so allowDot relaxes that one rule for users.
func validMailNickname(s string, allowDot bool) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > 127 || c < 32 {
			return false
		}
		switch c {
		case '@', '(', ')', '\\', '[', ']', '"', ';', ':', '<', '>', ',', ' ':
			return false
		case '.':
			if !allowDot {
				return false
			}
		}
	}
	return true
}

// validCountryCode reports whether s is a two-letter upper-case ISO 3166 alpha-2 code.
func validCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
