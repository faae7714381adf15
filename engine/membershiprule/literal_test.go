package membershiprule

import (
	"testing"
	"time"
)

func TestParseISODuration(t *testing.T) {
	t.Parallel()
	base := time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		ok   bool
		text string
		plus time.Time
	}{
		{"P1D", true, "P1D", base.AddDate(0, 0, 1)},
		{"p1d", true, "P1D", base.AddDate(0, 0, 1)},
		{"P2W", true, "P2W", base.AddDate(0, 0, 14)},
		{"P1Y2M3D", true, "P1Y2M3D", base.AddDate(1, 2, 3)},
		{"PT12H30M15S", true, "PT12H30M15S", base.Add(12*time.Hour + 30*time.Minute + 15*time.Second)},
		{"P1DT1H", true, "P1DT1H", base.AddDate(0, 0, 1).Add(time.Hour)},
		{"P", false, "", time.Time{}},
		{"PT", false, "", time.Time{}},
		{"P1", false, "", time.Time{}},
		{"1D", false, "", time.Time{}},
		{"P1H", false, "", time.Time{}},
		{"PT1D", false, "", time.Time{}},
		{"PD", false, "", time.Time{}},
		{"P1DT", false, "", time.Time{}},
		{"P1TT1H", false, "", time.Time{}},
		{"P99999999D", false, "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			d, ok := parseISODuration(tt.in)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if d.text != tt.text {
				t.Errorf("text = %q, want %q", d.text, tt.text)
			}
			if got := d.apply(base, 1); !got.Equal(tt.plus) {
				t.Errorf("apply(+1) = %v, want %v", got, tt.plus)
			}
			if got := d.apply(d.apply(base, 1), -1); tt.in == "PT12H30M15S" && !got.Equal(base) {
				t.Errorf("apply(-1) does not undo apply(+1): %v", got)
			}
		})
	}
}

func TestLiteralPredicates(t *testing.T) {
	t.Parallel()
	numbers := map[string]bool{"1": true, "-12": true, "4.5": true, "-0.25": true, "": false, "-": false,
		"1.": false, ".5": false, "1.2.3": false, "1e5": false, "Inf": false, "NaN": false, "12a": false}
	for in, want := range numbers {
		if got := isNumber(in); got != want {
			t.Errorf("isNumber(%q) = %v, want %v", in, got, want)
		}
	}
	guids := map[string]bool{"aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb": true, "AAAAAAAA-0000-1111-2222-BBBBBBBBBBBB": true,
		"aaaaaaaa-0000-1111-2222-bbbbbbbbbbb": false, "aaaaaaaa00000-1111-2222-bbbbbbbbbbbb": false,
		"gaaaaaaa-0000-1111-2222-bbbbbbbbbbbb": false, "": false}
	for in, want := range guids {
		if got := isGUID(in); got != want {
			t.Errorf("isGUID(%q) = %v, want %v", in, got, want)
		}
	}
	exts := map[string]bool{"extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber": true,
		"Extension_C272A57B722D4EB29BFE327874AE79CB_a_1":           true,
		"extension_c272a57b722d4eb29bfe327874ae79c_OfficeNumber":   false,
		"extension_g272a57b722d4eb29bfe327874ae79cb_OfficeNumber":  false,
		"extension_c272a57b722d4eb29bfe327874ae79cbXOfficeNumber":  false,
		"extension_c272a57b722d4eb29bfe327874ae79cb_Office-Number": false,
		"extension_c272a57b722d4eb29bfe327874ae79cb_":              false,
		"extensionAttribute1": false}
	for in, want := range exts {
		if got := isDirectoryExtension(in); got != want {
			t.Errorf("isDirectoryExtension(%q) = %v, want %v", in, got, want)
		}
	}
	dates := map[string]bool{"2020-06-10T18:13:20Z": true, "2020-06-10T18:13:20.5+02:00": true, "2020-06-10T18:13:20": true,
		"2020-06-10T18:13": true, "2020-06-10": true, "2020-13-10": false, "10/06/2020": false, "yesterday": false}
	for in, want := range dates {
		if _, got := parseDate(in); got != want {
			t.Errorf("parseDate(%q) ok = %v, want %v", in, got, want)
		}
	}
}
