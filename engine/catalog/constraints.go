package catalog

import (
	"slices"
	"strings"
)

// Service plan ids named by the constraints.
const (
	PlanExchangeOnlinePlan1 = "9aaf7827-d63c-4b61-89c3-182f06f82e5c" // EXCHANGE_S_STANDARD
	PlanExchangeOnlinePlan2 = "efb87545-963c-4e0d-99df-69c6916d9eb0" // EXCHANGE_S_ENTERPRISE
	PlanSkypeForBusinessP2  = "0feaeb32-d00e-4d66-bd5a-43b5b83db82c" // MCOSTANDARD
	PlanAudioConferencing   = "3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40" // MCOMEETADV
	PlanWorkplaceAnalytics  = "f477b0f0-3bb1-4890-940c-40fcee6ce05f" // WORKPLACE_ANALYTICS
)

// Constraints are the documented rules between service plans that license
// assignment enforces.
type Constraints struct {
	// MutuallyExclusive lists groups of servicePlanIds: a user may hold at
	// most one distinct plan of each group (holding the same plan through
	// several SKUs is not a conflict). A violation is MutuallyExclusiveViolation.
	MutuallyExclusive [][]string
	// Prerequisites maps a servicePlanId to the servicePlanIds it depends on;
	// holding any one of them satisfies the dependency (the documented
	// example reads "Exchange Online Plan 1 or Plan 2"). The prerequisite may
	// come from another SKU. A violation is DependencyViolation.
	Prerequisites map[string][]string
	// UsageLocationLimits maps a skuId or servicePlanId to the usage
	// locations (ISO 3166-1 alpha-2, upper case) where it may not be
	// assigned. A violation is ProhibitedInUsageLocationViolation. Microsoft
	// publishes no per-country list, so the defaults are empty; tests set
	// their own.
	UsageLocationLimits map[string][]string
}

// mutuallyExclusive is the table "Service plans that cannot be assigned at
// the same time" of MicrosoftDocs/entra-docs
// docs/identity/users/licensing-service-plan-reference.md (commit
// 067a0c7b0bb2091db6379c757c7aca0bc4f89d4a). The page says the table is not
// maintained for newer services. Microsoft Entra ID plans (AAD_*) combine
// freely and form no group. Some ids (CRMPLAN1, EMPLOYEE_SELF_SERVICE,
// INTUNE_B, SHAREPOINTSTANDARD_YAMMERSHADOW) belong to retired plans that no
// current product bundles; they are kept as documented.
var mutuallyExclusive = [][]string{
	{ // Dynamics CRM
		"119cf168-b6cf-41fb-b82e-7fee7bae5814", // CRMPLAN1
		"bf36ca64-95c6-4918-9275-eb9f4ce2c04f", // CRMPLAN2
		"f9646fb2-e3b2-4309-95de-dc4833737456", // CRMSTANDARD
		"056a5f80-b4e0-4983-a8be-7ad254a113c9", // DYN365_ENTERPRISE_P1_IW
		"2da8e897-7791-486b-b08f-cc63c8129df7", // DYN365_ENTERPRISE_SALES
		"6a54b05e-4fab-40e7-9828-428db3b336fa", // DYN365_ENTERPRISE_TEAM_MEMBERS
		"ba5f0cfa-d54a-4ea0-8cf4-a7e1dc4423d8", // EMPLOYEE_SELF_SERVICE
	},
	{ // Exchange Online
		"90927877-dcff-4af6-b346-2332c0b15bb7", // EXCHANGE_B_STANDARD
		"da040e0a-b393-4bea-bb76-928b3fa1cf5a", // EXCHANGE_S_ARCHIVE
		"4a82b400-a79f-41a4-b4e2-e94f5787b113", // EXCHANGE_S_DESKLESS
		"1126bef5-da20-4f07-b45e-ad25d2581aa8", // EXCHANGE_S_ESSENTIALS
		PlanExchangeOnlinePlan1,                // EXCHANGE_S_STANDARD
		"fc52cc4b-ed7d-472d-bbe7-b081c23ecc56", // EXCHANGE_S_STANDARD_MIDMARKET
	},
	{ // Rights Management
		"bea4c11e-220a-4e6d-8eb8-8ea15d019f90", // RMS_S_ENTERPRISE
		"6a76346d-5d6e-4051-9fe3-ed3f312b5597", // RMS_S_ENTERPRISE_GOV
	},
	{ // Intune
		"c1ec4a95-1f05-45b3-a911-aa3fa01094f5", // INTUNE_A
		"3e170737-c728-4eae-bbb9-3f3360f7184c", // INTUNE_A_VL
		"2dc63b8a-df3d-448f-b683-8655877c9360", // INTUNE_B
	},
	{ // SharePoint
		"afcafa6a-d966-4462-918c-ec0b4e0fe642", // ONEDRIVEENTERPRISE
		"a361d6e2-509e-4e25-a8ad-950060064ef4", // SHAREPOINT_S_DEVELOPER
		"902b47e5-dcb2-4fdc-858b-c63a90a2bdb9", // SHAREPOINTDESKLESS
		"5dbe027f-2339-4123-9542-606e4d348a72", // SHAREPOINTENTERPRISE
		"63038b2c-28d0-45f6-bc36-33062963b498", // SHAREPOINTENTERPRISE_EDU
		"6b5b6a67-fc72-4a1f-a2b5-beecf05de761", // SHAREPOINTENTERPRISE_MIDMARKET
		"a1f3d0a8-84c0-4ae0-bae4-685917b8ab48", // SHAREPOINTLITE
		"c7699d2e-19aa-44de-8edf-1736da088ca1", // SHAREPOINTSTANDARD
		"0a4983bb-d3e5-4a09-95d8-b2d0127b3df5", // SHAREPOINTSTANDARD_EDU
		"4c9efd0c-8de7-4c71-8295-9f5fdb0dd048", // SHAREPOINTSTANDARD_YAMMERSHADOW
	},
	{ // Skype for Business
		"afc06cb0-b4f4-4473-8286-d644f70d8faf", // MCOIMP
		"b2669e95-76ef-4e7e-a367-002f60a39f3e", // MCOSTANDARD_MIDMARKET
		PlanSkypeForBusinessP2,                 // MCOSTANDARD
		"70710b6b-3ab4-4a38-9f6d-9f169461650a", // MCOLITE
	},
	{ // Skype for Business PSTN calling
		"4ed3ff63-69d7-4fb7-b984-5aec7f605ca8", // MCOPSTN1
		"5a10155d-f5c1-411a-a8ec-e99aae125390", // MCOPSTN2
		"54a152dc-90de-4996-93d2-bc47e670fc06", // MCOPSTN5
	},
	{ // Yammer
		"7547a3fe-08ee-4ccb-b430-5077c5041653", // YAMMER_ENTERPRISE
		"2078e8df-cff6-4290-98cb-5408261a760a", // YAMMER_EDU
		"41bf139a-4e60-409f-9346-a1361efc6dfb", // YAMMER_MIDSIZE
	},
}

// DefaultConstraints returns the constraints graphmock enforces by default,
// from MicrosoftDocs/entra-docs licensing-service-plan-reference.md (mutually
// exclusive plans) and licensing-groups-resolve-problems.md (dependencies):
//
//   - MutuallyExclusive: the documented table, eight groups.
//   - Exchange Online Plan 1 (EXCHANGE_S_STANDARD) and Plan 2
//     (EXCHANGE_S_ENTERPRISE) may be held together. licensing-service-plan-reference.md
//     gives Office 365 E1 + E3 as a conflict but does not list Plan 2 in its
//     Exchange table; licensing-groups-resolve-problems.md states the two plans
//     can now be held together. [StrictConstraints] adds the pair.
//   - Prerequisites: Workplace Analytics (WORKPLACE_ANALYTICS) requires
//     Exchange Online Plan 1 or Plan 2. The documented dependency of Audio
//     Conferencing (MCOMEETADV) on Skype for Business Online (MCOSTANDARD) is
//     only in [StrictConstraints]: current products such as Microsoft Teams
//     Rooms Basic, Business Voice and Microsoft 365 Copilot bundle MCOMEETADV
//     without MCOSTANDARD and are sold to be assigned on their own.
//   - UsageLocationLimits: empty (no per-country list is published).
//
// Each call returns a fresh copy.
func DefaultConstraints() Constraints {
	groups := make([][]string, len(mutuallyExclusive))
	for i, g := range mutuallyExclusive {
		groups[i] = slices.Clone(g)
	}
	return Constraints{
		MutuallyExclusive: groups,
		Prerequisites: map[string][]string{
			PlanWorkplaceAnalytics: {PlanExchangeOnlinePlan1, PlanExchangeOnlinePlan2},
		},
		UsageLocationLimits: map[string][]string{},
	}
}

// StrictConstraints returns [DefaultConstraints] plus the documented rules that
// current Microsoft guidance relaxes or contradicts: Exchange Online Plan 1
// and Plan 2 are mutually exclusive (the Office 365 E1 + E3 example of
// licensing-service-plan-reference.md), and Audio Conferencing (MCOMEETADV)
// requires Skype for Business Online (MCOSTANDARD), as
// licensing-groups-resolve-problems.md documents.
func StrictConstraints() Constraints {
	c := DefaultConstraints()
	c.MutuallyExclusive = append(c.MutuallyExclusive, []string{PlanExchangeOnlinePlan1, PlanExchangeOnlinePlan2})
	c.Prerequisites[PlanAudioConferencing] = []string{PlanSkypeForBusinessP2}
	return c
}

// Clone returns a deep copy of c.
func (c Constraints) Clone() Constraints {
	out := Constraints{
		MutuallyExclusive:   make([][]string, len(c.MutuallyExclusive)),
		Prerequisites:       make(map[string][]string, len(c.Prerequisites)),
		UsageLocationLimits: make(map[string][]string, len(c.UsageLocationLimits)),
	}
	for i, g := range c.MutuallyExclusive {
		out.MutuallyExclusive[i] = slices.Clone(g)
	}
	for k, v := range c.Prerequisites {
		out.Prerequisites[k] = slices.Clone(v)
	}
	for k, v := range c.UsageLocationLimits {
		out.UsageLocationLimits[k] = slices.Clone(v)
	}
	return out
}

// Conflict reports the first pair of distinct servicePlanIds in plans that
// belong to one MutuallyExclusive group, in group order and then in the order
// of plans. plans should be the plans a user would hold enabled: a plan
// switched off with disabledPlans does not conflict. Ids are compared
// case-insensitively.
func (c Constraints) Conflict(plans []string) (a, b string, ok bool) {
	held := make(map[string]bool, len(plans))
	var order []string
	for _, p := range plans {
		p = normGUID(p)
		if !held[p] {
			held[p] = true
			order = append(order, p)
		}
	}
	for _, g := range c.MutuallyExclusive {
		in := map[string]bool{}
		for _, id := range g {
			in[normGUID(id)] = true
		}
		var first string
		for _, p := range order {
			if !in[p] {
				continue
			}
			if first == "" {
				first = p
				continue
			}
			return first, p, true
		}
	}
	return "", "", false
}

// MissingPrerequisite reports the first servicePlanId in plans (in the order
// given) whose Prerequisites are not met by plans: none of the plans it
// depends on is present. plans should be the plans a user would hold
// enabled. The returned requires is a copy of the plan's prerequisites. Ids
// are compared case-insensitively.
func (c Constraints) MissingPrerequisite(plans []string) (plan string, requires []string, ok bool) {
	held := make(map[string]bool, len(plans))
	for _, p := range plans {
		held[normGUID(p)] = true
	}
	for _, p := range plans {
		p = normGUID(p)
		need, found := c.Prerequisites[p]
		if !found || len(need) == 0 {
			continue
		}
		if !slices.ContainsFunc(need, func(n string) bool { return held[normGUID(n)] }) {
			return p, slices.Clone(need), true
		}
	}
	return "", nil, false
}

// ProhibitedIn reports whether id (a skuId or servicePlanId) may not be
// assigned in usageLocation according to UsageLocationLimits. Ids and
// locations are compared case-insensitively.
func (c Constraints) ProhibitedIn(id, usageLocation string) bool {
	id = normGUID(id)
	for k, locs := range c.UsageLocationLimits {
		if normGUID(k) != id {
			continue
		}
		if slices.ContainsFunc(locs, func(l string) bool { return strings.EqualFold(l, usageLocation) }) {
			return true
		}
	}
	return false
}
