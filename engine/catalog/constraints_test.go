package catalog

import (
	"slices"
	"sort"
	"testing"
)

// documentedExclusive is the table of licensing-service-plan-reference.md:
// plan id → documented plan name.
var documentedExclusive = map[string]string{
	"119cf168-b6cf-41fb-b82e-7fee7bae5814": "CRMPLAN1",
	"bf36ca64-95c6-4918-9275-eb9f4ce2c04f": "CRMPLAN2",
	"f9646fb2-e3b2-4309-95de-dc4833737456": "CRMSTANDARD",
	"056a5f80-b4e0-4983-a8be-7ad254a113c9": "DYN365_ENTERPRISE_P1_IW",
	"2da8e897-7791-486b-b08f-cc63c8129df7": "DYN365_ENTERPRISE_SALES",
	"6a54b05e-4fab-40e7-9828-428db3b336fa": "DYN365_ENTERPRISE_TEAM_MEMBERS",
	"ba5f0cfa-d54a-4ea0-8cf4-a7e1dc4423d8": "EMPLOYEE_SELF_SERVICE",
	"90927877-dcff-4af6-b346-2332c0b15bb7": "EXCHANGE_B_STANDARD",
	"da040e0a-b393-4bea-bb76-928b3fa1cf5a": "EXCHANGE_S_ARCHIVE",
	"4a82b400-a79f-41a4-b4e2-e94f5787b113": "EXCHANGE_S_DESKLESS",
	"1126bef5-da20-4f07-b45e-ad25d2581aa8": "EXCHANGE_S_ESSENTIALS",
	"9aaf7827-d63c-4b61-89c3-182f06f82e5c": "EXCHANGE_S_STANDARD",
	"fc52cc4b-ed7d-472d-bbe7-b081c23ecc56": "EXCHANGE_S_STANDARD_MIDMARKET",
	"bea4c11e-220a-4e6d-8eb8-8ea15d019f90": "RMS_S_ENTERPRISE",
	"6a76346d-5d6e-4051-9fe3-ed3f312b5597": "RMS_S_ENTERPRISE_GOV",
	"c1ec4a95-1f05-45b3-a911-aa3fa01094f5": "INTUNE_A",
	"3e170737-c728-4eae-bbb9-3f3360f7184c": "INTUNE_A_VL",
	"2dc63b8a-df3d-448f-b683-8655877c9360": "INTUNE_B",
	"afcafa6a-d966-4462-918c-ec0b4e0fe642": "ONEDRIVEENTERPRISE",
	"a361d6e2-509e-4e25-a8ad-950060064ef4": "SHAREPOINT_S_DEVELOPER",
	"902b47e5-dcb2-4fdc-858b-c63a90a2bdb9": "SHAREPOINTDESKLESS",
	"5dbe027f-2339-4123-9542-606e4d348a72": "SHAREPOINTENTERPRISE",
	"63038b2c-28d0-45f6-bc36-33062963b498": "SHAREPOINTENTERPRISE_EDU",
	"6b5b6a67-fc72-4a1f-a2b5-beecf05de761": "SHAREPOINTENTERPRISE_MIDMARKET",
	"a1f3d0a8-84c0-4ae0-bae4-685917b8ab48": "SHAREPOINTLITE",
	"c7699d2e-19aa-44de-8edf-1736da088ca1": "SHAREPOINTSTANDARD",
	"0a4983bb-d3e5-4a09-95d8-b2d0127b3df5": "SHAREPOINTSTANDARD_EDU",
	"4c9efd0c-8de7-4c71-8295-9f5fdb0dd048": "SHAREPOINTSTANDARD_YAMMERSHADOW",
	"afc06cb0-b4f4-4473-8286-d644f70d8faf": "MCOIMP",
	"b2669e95-76ef-4e7e-a367-002f60a39f3e": "MCOSTANDARD_MIDMARKET",
	"0feaeb32-d00e-4d66-bd5a-43b5b83db82c": "MCOSTANDARD",
	"70710b6b-3ab4-4a38-9f6d-9f169461650a": "MCOLITE",
	"4ed3ff63-69d7-4fb7-b984-5aec7f605ca8": "MCOPSTN1",
	"5a10155d-f5c1-411a-a8ec-e99aae125390": "MCOPSTN2",
	"54a152dc-90de-4996-93d2-bc47e670fc06": "MCOPSTN5",
	"7547a3fe-08ee-4ccb-b430-5077c5041653": "YAMMER_ENTERPRISE",
	"2078e8df-cff6-4290-98cb-5408261a760a": "YAMMER_EDU",
	"41bf139a-4e60-409f-9346-a1361efc6dfb": "YAMMER_MIDSIZE",
}

// retiredExclusive are documented plans no product of the catalogue bundles.
var retiredExclusive = []string{
	"119cf168-b6cf-41fb-b82e-7fee7bae5814", // CRMPLAN1
	"2dc63b8a-df3d-448f-b683-8655877c9360", // INTUNE_B
	"4c9efd0c-8de7-4c71-8295-9f5fdb0dd048", // SHAREPOINTSTANDARD_YAMMERSHADOW
	"ba5f0cfa-d54a-4ea0-8cf4-a7e1dc4423d8", // EMPLOYEE_SELF_SERVICE
}

func TestDefaultConstraintsMatchDocumentation(t *testing.T) {
	t.Parallel()
	c := DefaultConstraints()
	if len(c.MutuallyExclusive) != 8 {
		t.Fatalf("%d groups, want 8", len(c.MutuallyExclusive))
	}
	var absent []string
	seen := map[string]bool{}
	for _, g := range c.MutuallyExclusive {
		if len(g) < 2 {
			t.Errorf("group %v has fewer than two plans", g)
		}
		for _, id := range g {
			name, documented := documentedExclusive[id]
			if !documented {
				t.Errorf("plan %s is not in the documented table", id)
			}
			if seen[id] {
				t.Errorf("plan %s in two groups", id)
			}
			seen[id] = true
			if !guidRE.MatchString(id) {
				t.Errorf("plan id %q is not a lower-case GUID", id)
			}
			sp, ok := PlanByID(id)
			if !ok {
				absent = append(absent, id)
				continue
			}
			if sp.ServicePlanName != name {
				t.Errorf("plan %s is %s in the catalogue, %s in the table", id, sp.ServicePlanName, name)
			}
		}
	}
	if len(seen) != len(documentedExclusive) {
		t.Errorf("%d plans in groups, %d documented", len(seen), len(documentedExclusive))
	}
	sort.Strings(absent)
	want := slices.Sorted(slices.Values(retiredExclusive))
	if !slices.Equal(absent, want) {
		t.Errorf("plans missing from the catalogue = %v, want %v", absent, want)
	}
	for _, id := range []string{PlanExchangeOnlinePlan2, PlanWorkplaceAnalytics, PlanAudioConferencing} {
		if _, ok := PlanByID(id); !ok {
			t.Errorf("plan %s not in the catalogue", id)
		}
	}
	if len(c.UsageLocationLimits) != 0 || c.UsageLocationLimits == nil {
		t.Errorf("UsageLocationLimits = %#v, want an empty map", c.UsageLocationLimits)
	}
}

func plansOf(t *testing.T, parts ...string) []string {
	t.Helper()
	var ids []string
	for _, part := range parts {
		p, ok := ByPartNumber(part)
		if !ok {
			t.Fatalf("no product %s", part)
		}
		ids = append(ids, planIDs(p)...)
	}
	return ids
}

func TestConflict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		strict   bool
		plans    []string
		skus     []string
		a, b     string
		conflict bool
	}{
		{name: "Exchange Plan 1 and Plan 2 allowed by default",
			plans: []string{PlanExchangeOnlinePlan1, PlanExchangeOnlinePlan2}},
		{name: "Exchange Plan 1 and Plan 2 conflict when strict", strict: true,
			plans: []string{PlanExchangeOnlinePlan1, PlanExchangeOnlinePlan2},
			a:     PlanExchangeOnlinePlan1, b: PlanExchangeOnlinePlan2, conflict: true},
		{name: "Exchange Plan 1 and Kiosk",
			plans: []string{"4a82b400-a79f-41a4-b4e2-e94f5787b113", PlanExchangeOnlinePlan1},
			a:     "4a82b400-a79f-41a4-b4e2-e94f5787b113", b: PlanExchangeOnlinePlan1, conflict: true},
		{name: "SharePoint Plan 1 and Plan 2",
			plans: []string{"c7699d2e-19aa-44de-8edf-1736da088ca1", "5dbe027f-2339-4123-9542-606e4d348a72"},
			a:     "c7699d2e-19aa-44de-8edf-1736da088ca1", b: "5dbe027f-2339-4123-9542-606e4d348a72", conflict: true},
		{name: "same plan twice is no conflict",
			plans: []string{"5dbe027f-2339-4123-9542-606e4d348a72", "5DBE027F-2339-4123-9542-606E4D348A72"}},
		{name: "Entra ID plans combine",
			skus: []string{"AAD_PREMIUM", "AAD_PREMIUM_P2", "EMS", "EMSPREMIUM"}},
		{name: "Office 365 E3 with Microsoft 365 E3", skus: []string{"ENTERPRISEPACK", "SPE_E3"}},
		{name: "Office 365 E3 with E5", skus: []string{"ENTERPRISEPACK", "ENTERPRISEPREMIUM"}},
		{name: "whole default tenant", skus: []string{"ENTERPRISEPACK", "ENTERPRISEPREMIUM", "EMS", "EMSPREMIUM",
			"SPE_E3", "AAD_PREMIUM", "AAD_PREMIUM_P2", "POWER_BI_PRO", "FLOW_FREE"}},
		{name: "Office 365 E1 with E3 (SharePoint Plan 1 vs 2)", skus: []string{"STANDARDPACK", "ENTERPRISEPACK"},
			a: "c7699d2e-19aa-44de-8edf-1736da088ca1", b: "5dbe027f-2339-4123-9542-606e4d348a72", conflict: true},
		{name: "Office 365 E1 with E3 when strict (documented groups come first)", strict: true, skus: []string{"STANDARDPACK", "ENTERPRISEPACK"},
			a: "c7699d2e-19aa-44de-8edf-1736da088ca1", b: "5dbe027f-2339-4123-9542-606e4d348a72", conflict: true},
		{name: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := DefaultConstraints()
			if tt.strict {
				c = StrictConstraints()
			}
			plans := append(slices.Clone(tt.plans), plansOf(t, tt.skus...)...)
			a, b, ok := c.Conflict(plans)
			if ok != tt.conflict || a != tt.a || b != tt.b {
				t.Fatalf("Conflict = %s, %s, %v; want %s, %s, %v", a, b, ok, tt.a, tt.b, tt.conflict)
			}
		})
	}
}

func TestNoProductConflictsWithItself(t *testing.T) {
	t.Parallel()
	for _, c := range []Constraints{DefaultConstraints(), StrictConstraints()} {
		for _, p := range Products() {
			if a, b, ok := c.Conflict(planIDs(p)); ok {
				t.Errorf("%s (%s) holds exclusive plans %s and %s", p.SkuPartNumber, p.SkuID, a, b)
			}
		}
	}
}

func TestPrerequisites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		strict  bool
		plans   []string
		skus    []string
		missing string
	}{
		{name: "Workplace Analytics alone", skus: []string{"WORKPLACE_ANALYTICS"}, missing: PlanWorkplaceAnalytics},
		{name: "Workplace Analytics with Office 365 E3 (Plan 2)", skus: []string{"WORKPLACE_ANALYTICS", "ENTERPRISEPACK"}},
		{name: "Workplace Analytics with Office 365 E1 (Plan 1)", skus: []string{"WORKPLACE_ANALYTICS", "STANDARDPACK"}},
		{name: "Workplace Analytics with Exchange Online Plan 1 id",
			plans: []string{PlanWorkplaceAnalytics, PlanExchangeOnlinePlan1}},
		{name: "Audio Conferencing alone by default", skus: []string{"MCOMEETADV"}},
		{name: "Audio Conferencing alone when strict", strict: true, skus: []string{"MCOMEETADV"}, missing: PlanAudioConferencing},
		{name: "Audio Conferencing with Office 365 E3 when strict", strict: true, skus: []string{"MCOMEETADV", "ENTERPRISEPACK"}},
		{name: "upper-case ids", plans: []string{"F477B0F0-3BB1-4890-940C-40FCEE6CE05F", "EFB87545-963C-4E0D-99DF-69C6916D9EB0"}},
		{name: "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := DefaultConstraints()
			if tt.strict {
				c = StrictConstraints()
			}
			plans := append(slices.Clone(tt.plans), plansOf(t, tt.skus...)...)
			got, requires, ok := c.MissingPrerequisite(plans)
			if ok != (tt.missing != "") || got != tt.missing {
				t.Fatalf("MissingPrerequisite = %s, %v, %v; want %s", got, requires, ok, tt.missing)
			}
			if ok && !slices.Equal(requires, c.Prerequisites[got]) {
				t.Errorf("requires = %v, want %v", requires, c.Prerequisites[got])
			}
		})
	}
}

// TestProductsAloneMeetDefaultPrerequisites: with the default constraints only
// add-ons whose prerequisite is sold separately fail on their own.
func TestProductsAloneMeetDefaultPrerequisites(t *testing.T) {
	t.Parallel()
	var failing []string
	for _, p := range Products() {
		if _, _, ok := DefaultConstraints().MissingPrerequisite(planIDs(p)); ok {
			failing = append(failing, p.SkuPartNumber)
		}
	}
	if want := []string{"WORKPLACE_ANALYTICS"}; !slices.Equal(failing, want) {
		t.Fatalf("products failing alone = %v, want %v", failing, want)
	}
}

func TestProhibitedIn(t *testing.T) {
	t.Parallel()
	c := DefaultConstraints()
	if c.ProhibitedIn("6fd2c87f-b296-42f0-b197-1e91e994b900", "US") {
		t.Error("default constraints prohibit a location")
	}
	c.UsageLocationLimits["6FD2C87F-B296-42F0-B197-1E91E994B900"] = []string{"CU", "kp"}
	tests := []struct {
		id, loc string
		want    bool
	}{
		{"6fd2c87f-b296-42f0-b197-1e91e994b900", "CU", true},
		{"6fd2c87f-b296-42f0-b197-1e91e994b900", "KP", true},
		{"6fd2c87f-b296-42f0-b197-1e91e994b900", "cu", true},
		{"6fd2c87f-b296-42f0-b197-1e91e994b900", "US", false},
		{"c7df2760-2c81-4ef7-b578-5b5392b571df", "CU", false},
	}
	for _, tt := range tests {
		if got := c.ProhibitedIn(tt.id, tt.loc); got != tt.want {
			t.Errorf("ProhibitedIn(%s, %s) = %v, want %v", tt.id, tt.loc, got, tt.want)
		}
	}
}

func TestConstraintsAreCopies(t *testing.T) {
	t.Parallel()
	c := DefaultConstraints()
	c.MutuallyExclusive[0][0] = "changed"
	c.MutuallyExclusive = c.MutuallyExclusive[:1]
	c.Prerequisites[PlanWorkplaceAnalytics][0] = "changed"
	c.UsageLocationLimits["x"] = []string{"US"}
	d := DefaultConstraints()
	if d.MutuallyExclusive[0][0] == "changed" || len(d.MutuallyExclusive) != 8 ||
		d.Prerequisites[PlanWorkplaceAnalytics][0] == "changed" || len(d.UsageLocationLimits) != 0 {
		t.Fatalf("DefaultConstraints changed through a returned value: %+v", d)
	}
	s := StrictConstraints()
	if len(s.MutuallyExclusive) != 9 || len(s.Prerequisites) != 2 {
		t.Fatalf("StrictConstraints = %d groups, %d prerequisites; want 9, 2", len(s.MutuallyExclusive), len(s.Prerequisites))
	}
	cl := s.Clone()
	cl.MutuallyExclusive[8][0] = "changed"
	cl.Prerequisites[PlanAudioConferencing][0] = "changed"
	if s.MutuallyExclusive[8][0] == "changed" || s.Prerequisites[PlanAudioConferencing][0] == "changed" {
		t.Fatal("Clone shares storage")
	}
}
