package engine

import "testing"

func TestValidCountryCode(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"GB": true, "US": true, "DE": true, "XK": false, "ZZ": false, "EU": false, "UK": false, "AN": false, "ZW": true, "AD": true,
		"XA": false, "gb": false, "G": false, "GBR": false, "": false} {
		if got := validCountryCode(s); got != want {
			t.Errorf("validCountryCode(%q) = %v, want %v", s, got, want)
		}
	}
}
