package membershiprule

import "time"

// Subject is one user as a rule sees it. RuleProperty returns the value of the property with
// the given rule-language name, in the canonical spelling of UserProperties (for example
// "mobile", "physicalDeliveryOfficeName", "extensionAttribute1"), a directory extension name
// as written in the rule, or ManagerProperty for Direct Reports rules. Values:
//
//   - string properties: string (or *string); nil or "" is null;
//   - accountEnabled, dirSyncEnabled: bool (or *bool); nil is null;
//   - employeeHireDate: time.Time (or *time.Time, or an RFC 3339 string); nil or zero is null;
//   - otherMails, proxyAddresses: []string; nil or empty is null;
//   - assignedPlans: []AssignedPlan.
//
// A value of another type is treated as null. Directory extension names are passed as the rule
// spells them, so a Subject should look them up case-insensitively.
type Subject interface {
	RuleProperty(name string) any
}

// TypedSubject is an optional fast path a Subject can implement. Returning a string, a slice or
// a time.Time through RuleProperty's interface result allocates on every call; when the Subject
// implements TypedSubject, Match reads string properties (including directory extensions and
// ManagerProperty), string collections, employeeHireDate and assignedPlans through these typed
// methods instead and does not allocate. RuleProperty is then used for booleans only. ok is
// false when the property is null; "" and the zero time also count as null.
type TypedSubject interface {
	Subject
	RuleString(name string) (value string, ok bool)
	RuleStrings(name string) []string
	RuleTime(name string) (value time.Time, ok bool)
	RuleAssignedPlans(name string) []AssignedPlan
}

// AssignedPlan is one item of user.assignedPlans as the rule language reads it
// (assignedPlan.servicePlanId, assignedPlan.service, assignedPlan.capabilityStatus).
type AssignedPlan struct {
	ServicePlanID, Service, CapabilityStatus string
}

func stringValue(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, x != ""
	case *string:
		if x != nil {
			return *x, *x != ""
		}
	}
	return "", false
}

func boolValue(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case *bool:
		if x != nil {
			return *x, true
		}
	}
	return false, false
}

func timeValue(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, !x.IsZero()
	case *time.Time:
		if x != nil {
			return *x, !x.IsZero()
		}
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
