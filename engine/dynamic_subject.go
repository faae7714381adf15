package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/graphmock/graphmock/engine/membershiprule"
)

// ruleSubject presents one User to the dynamic membership rule evaluator under the rule
// language's property names (graph-facts §7.2). It implements membershiprule.TypedSubject, so a
// Match allocates nothing. One ruleSubject is reused across the users of an evaluation: set u
// before each Match; plans is scratch space for user.assignedPlans.
//
// Mapping from rule names to User fields (the rule language names some properties differently
// from Graph): mobile = MobilePhone, physicalDeliveryOfficeName = OfficeLocation,
// telephoneNumber = BusinessPhones[0], facsimileTelephoneNumber = FaxNumber,
// extensionAttributeN = ExtensionAttributes[N-1] (onPremisesExtensionAttributes), objectId = ID,
// mailNickName = MailNickname, assignedPlans = AssignedPlans, passwordPolicies = PasswordPolicies,
// employeeHireDate = EmployeeHireDate.
//
// Properties graphmock does not model read as null: dirSyncEnabled (graphmock's users are
// cloud-only), onPremisesDistinguishedName, onPremisesSecurityIdentifier, sipProxyAddress,
// directory extensions (extension_<appId>_<name>) and the manager a Direct Reports rule reads, so
// a Direct Reports rule matches nobody.
type ruleSubject struct {
	u     *User
	plans []membershiprule.AssignedPlan
	// plansFor is the user plans was filled for (nil = not filled).
	plansFor *User
}

var _ membershiprule.TypedSubject = (*ruleSubject)(nil)

// RuleProperty implements membershiprule.Subject. Match reads booleans through it; the other
// kinds are served for callers that use the generic interface.
func (s *ruleSubject) RuleProperty(name string) any {
	switch name {
	case "accountEnabled":
		return s.u.AccountEnabled
	case "dirSyncEnabled":
		return nil
	case "employeeHireDate":
		if t, ok := s.RuleTime(name); ok {
			return t
		}
		return nil
	case "otherMails", "proxyAddresses":
		return s.RuleStrings(name)
	case "assignedPlans":
		return s.RuleAssignedPlans(name)
	}
	if v, ok := s.RuleString(name); ok {
		return v
	}
	return nil
}

// RuleString implements membershiprule.TypedSubject: string properties; ok is false for null ("").
func (s *ruleSubject) RuleString(name string) (string, bool) {
	v := userRuleString(s.u, name)
	return v, v != ""
}

// userRuleString returns the string property with the rule-language name (canonical spelling),
// "" for null or an unknown name.
func userRuleString(u *User, name string) string {
	switch name {
	case "city":
		return u.City
	case "country":
		return u.Country
	case "companyName":
		return u.CompanyName
	case "department":
		return u.Department
	case "displayName":
		return u.DisplayName
	case "employeeId":
		return u.EmployeeID
	case "facsimileTelephoneNumber":
		return u.FaxNumber
	case "givenName":
		return u.GivenName
	case "jobTitle":
		return u.JobTitle
	case "mail":
		return u.Mail
	case "mailNickName":
		return u.MailNickname
	case "mobile":
		return u.MobilePhone
	case "passwordPolicies":
		return u.PasswordPolicies
	case "objectId":
		return u.ID
	case "physicalDeliveryOfficeName":
		return u.OfficeLocation
	case "postalCode":
		return u.PostalCode
	case "preferredLanguage":
		return u.PreferredLanguage
	case "state":
		return u.State
	case "streetAddress":
		return u.StreetAddress
	case "surname":
		return u.Surname
	case "telephoneNumber":
		if len(u.BusinessPhones) > 0 {
			return u.BusinessPhones[0]
		}
		return ""
	case "usageLocation":
		return u.UsageLocation
	case "userPrincipalName":
		return u.UserPrincipalName
	case "userType":
		return u.UserType
	}
	if n := extensionAttributeIndex(name); n >= 0 {
		return u.ExtensionAttributes[n]
	}
	return ""
}

// extensionAttributeIndex returns N-1 for "extensionAttributeN" (N = 1..15), else -1.
func extensionAttributeIndex(name string) int {
	const prefix = "extensionAttribute"
	if len(name) <= len(prefix) || len(name) > len(prefix)+2 || name[:len(prefix)] != prefix {
		return -1
	}
	n := 0
	for _, c := range name[len(prefix):] {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > ExtensionAttributeCount {
		return -1
	}
	return n - 1
}

// RuleStrings implements membershiprule.TypedSubject: otherMails and proxyAddresses.
func (s *ruleSubject) RuleStrings(name string) []string {
	switch name {
	case "otherMails":
		return s.u.OtherMails
	case "proxyAddresses":
		return s.u.ProxyAddresses
	}
	return nil
}

// RuleTime implements membershiprule.TypedSubject: employeeHireDate.
func (s *ruleSubject) RuleTime(name string) (time.Time, bool) {
	if name == "employeeHireDate" && s.u.EmployeeHireDate != nil {
		return *s.u.EmployeeHireDate, true
	}
	return time.Time{}, false
}

// RuleAssignedPlans implements membershiprule.TypedSubject: the user's assignedPlans, converted
// into the scratch slice once per user.
func (s *ruleSubject) RuleAssignedPlans(name string) []membershiprule.AssignedPlan {
	if name != "assignedPlans" {
		return nil
	}
	if s.plansFor != s.u {
		s.plans = s.plans[:0]
		for _, p := range s.u.AssignedPlans {
			s.plans = append(s.plans, membershiprule.AssignedPlan{ServicePlanID: p.ServicePlanID, Service: p.Service, CapabilityStatus: p.CapabilityStatus})
		}
		s.plansFor = s.u
	}
	return s.plans
}

// set points the subject at u.
func (s *ruleSubject) set(u *User) { s.u = u }

// Rule property bits: each user property a rule can read has one bit, so the properties a rule
// reads and the properties a user change touched are compared with one AND.
const (
	propBitAccountEnabled = iota
	propBitOtherMails
	propBitProxyAddresses
	propBitAssignedPlans
	propBitEmployeeHireDate
	propBitUnmodelled // properties graphmock keeps null: they never change
	propBitFirstString
)

// ruleStringProps are the string properties read through userRuleString, in bit order after
// propBitFirstString.
var ruleStringProps = func() []string {
	l := []string{"city", "country", "companyName", "department", "displayName", "employeeId",
		"facsimileTelephoneNumber", "givenName", "jobTitle", "mail", "mailNickName", "mobile", "objectId",
		"physicalDeliveryOfficeName", "postalCode", "preferredLanguage", "state", "streetAddress", "surname",
		"telephoneNumber", "usageLocation", "userPrincipalName", "userType", "passwordPolicies"}
	for i := 1; i <= ExtensionAttributeCount; i++ {
		l = append(l, "extensionAttribute"+itoa(i))
	}
	return l
}()

// allRuleProps has every property bit set: a created or restored user is evaluated against
// every rule.
const allRuleProps = ^uint64(0)

// propBits maps the lowercased rule property names (as Rule.Properties returns them) to bits.
var propBits = func() map[string]uint64 {
	m := map[string]uint64{
		"accountenabled":   1 << propBitAccountEnabled,
		"othermails":       1 << propBitOtherMails,
		"proxyaddresses":   1 << propBitProxyAddresses,
		"assignedplans":    1 << propBitAssignedPlans,
		"employeehiredate": 1 << propBitEmployeeHireDate,
	}
	for i, name := range ruleStringProps {
		m[strings.ToLower(name)] = 1 << (propBitFirstString + i)
	}
	return m
}()

// ruleMask returns the bits of the properties a rule reads; unknown names (directory
// extensions, the manager of a Direct Reports rule, unmodelled properties) map to
// propBitUnmodelled.
func ruleMask(props []string) uint64 {
	var m uint64
	for _, p := range props {
		if b, ok := propBits[p]; ok {
			m |= b
		} else {
			m |= 1 << propBitUnmodelled
		}
	}
	return m
}

// userRuleDiff returns the bits of the rule-readable properties whose values differ between a
// and b.
func userRuleDiff(a, b *User) uint64 {
	var m uint64
	if a.AccountEnabled != b.AccountEnabled {
		m |= 1 << propBitAccountEnabled
	}
	if !slices.Equal(a.OtherMails, b.OtherMails) {
		m |= 1 << propBitOtherMails
	}
	if !slices.Equal(a.ProxyAddresses, b.ProxyAddresses) {
		m |= 1 << propBitProxyAddresses
	}
	if !sameRulePlans(a.AssignedPlans, b.AssignedPlans) {
		m |= 1 << propBitAssignedPlans
	}
	if !sameTime(a.EmployeeHireDate, b.EmployeeHireDate) {
		m |= 1 << propBitEmployeeHireDate
	}
	for i, name := range ruleStringProps {
		if userRuleString(a, name) != userRuleString(b, name) {
			m |= 1 << (propBitFirstString + i)
		}
	}
	return m
}

// sameRulePlans reports whether two assignedPlans lists look the same to a rule (servicePlanId,
// service, capabilityStatus; assignment times are not readable). Lists are compared in order: a
// reordering counts as a change and only costs one more evaluation.
func sameRulePlans(a, b []AssignedPlan) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ServicePlanID != b[i].ServicePlanID || a[i].Service != b[i].Service || a[i].CapabilityStatus != b[i].CapabilityStatus {
			return false
		}
	}
	return true
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return string(rune('0'+i/10)) + string(rune('0'+i%10))
}
