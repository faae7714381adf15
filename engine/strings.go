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

// validCountryCode reports whether s is an ISO 3166-1 alpha-2 code in upper case, as Graph's
// usageLocation takes. Entra's own list isn't published [unc]: the 249 officially assigned codes
// are accepted; user-assigned (ZZ, XK…), reserved (UK, EU) and retired (AN, YU…) codes are not.
func validCountryCode(s string) bool {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return false
	}
	return strings.Contains(iso3166, s+" ")
}

// iso3166 lists the ISO 3166-1 alpha-2 codes, each followed by a space.
const iso3166 = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR " +
	"BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW " +
	"GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY " +
	"KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV " +
	"MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG " +
	"TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM " +
	"ZW "
