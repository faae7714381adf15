package membershiprule

import (
	"strings"
	"time"
)

// isoDuration is an ISO 8601 duration such as P1D, PT12H or P1Y2M10DT2H30M, as used by
// "system.now -plus p1d" (groups-dynamic-membership.md, "Using the -le and -ge operators").
type isoDuration struct {
	text                string // canonical (upper-case) spelling
	years, months, days int
	clock               time.Duration
}

// parseISODuration parses P[nY][nM][nW][nD][T[nH][nM][nS]] (integers), any case.
func parseISODuration(s string) (isoDuration, bool) {
	u := strings.ToUpper(s)
	if len(u) < 3 || u[0] != 'P' {
		return isoDuration{}, false
	}
	d := isoDuration{text: u}
	inTime, any, timeAny := false, false, false
	num := -1
	for i := 1; i < len(u); i++ {
		c := u[i]
		switch {
		case '0' <= c && c <= '9':
			if num < 0 {
				num = 0
			}
			if num > 1_000_000 {
				return isoDuration{}, false
			}
			num = num*10 + int(c-'0')
			continue
		case c == 'T':
			if inTime || num >= 0 {
				return isoDuration{}, false
			}
			inTime = true
			continue
		}
		if num < 0 {
			return isoDuration{}, false
		}
		switch {
		case !inTime && c == 'Y':
			d.years += num
		case !inTime && c == 'M':
			d.months += num
		case !inTime && c == 'W':
			d.days += 7 * num
		case !inTime && c == 'D':
			d.days += num
		case inTime && c == 'H':
			d.clock += time.Duration(num) * time.Hour
		case inTime && c == 'M':
			d.clock += time.Duration(num) * time.Minute
		case inTime && c == 'S':
			d.clock += time.Duration(num) * time.Second
		default:
			return isoDuration{}, false
		}
		num, any, timeAny = -1, true, inTime
	}
	if num >= 0 || !any || inTime && !timeAny {
		return isoDuration{}, false
	}
	return d, true
}

// apply shifts t by the duration, forwards (sign 1) or backwards (sign -1).
func (d isoDuration) apply(t time.Time, sign int) time.Time {
	return t.AddDate(sign*d.years, sign*d.months, sign*d.days).Add(time.Duration(sign) * d.clock)
}

// isNumber reports whether s is an optionally negative decimal number: 12, -3, 4.5.
func isNumber(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == '.' && !dot && digits > 0 && i+1 < len(s):
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// dateLayouts are the dateTime spellings accepted for employeeHireDate values.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"}

// parseDate parses a dateTime value; without a zone it is UTC.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// isGUID reports whether s is a GUID in 8-4-4-4-12 hexadecimal form.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
