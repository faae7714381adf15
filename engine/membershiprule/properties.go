package membershiprule

import (
	"strconv"
	"strings"
)

// propKind is the type of a user property in the rule language.
type propKind uint8

const (
	kindString  propKind = iota + 1 // string, or nil when unset
	kindBool                        // bool, or nil
	kindDate                        // time.Time, or nil
	kindStrings                     // []string (string collection)
	kindPlans                       // []AssignedPlan
)

// propInfo describes one property: its canonical rule-language spelling and its type.
type propInfo struct {
	name string
	kind propKind
}

// userPropertyList is the table of user properties from groups-dynamic-membership.md
// ("Supported properties", "Multi-value properties", "Extension properties"), in the rule
// language's own names (mobile, not mobilePhone; physicalDeliveryOfficeName, not officeLocation).
// memberOf (preview) is not served by graphmock.
var userPropertyList = func() []propInfo {
	l := []propInfo{
		{"accountEnabled", kindBool},
		{"dirSyncEnabled", kindBool},
		{"employeeHireDate", kindDate},
		{"city", kindString},
		{"country", kindString},
		{"companyName", kindString},
		{"department", kindString},
		{"displayName", kindString},
		{"employeeId", kindString},
		{"facsimileTelephoneNumber", kindString},
		{"givenName", kindString},
		{"jobTitle", kindString},
		{"mail", kindString},
		{"mailNickName", kindString},
		{"mobile", kindString},
		{"objectId", kindString},
		{"onPremisesDistinguishedName", kindString},
		{"onPremisesSecurityIdentifier", kindString},
		{"passwordPolicies", kindString},
		{"physicalDeliveryOfficeName", kindString},
		{"postalCode", kindString},
		{"preferredLanguage", kindString},
		{"sipProxyAddress", kindString},
		{"state", kindString},
		{"streetAddress", kindString},
		{"surname", kindString},
		{"telephoneNumber", kindString},
		{"usageLocation", kindString},
		{"userPrincipalName", kindString},
		{"userType", kindString},
	}
	for i := 1; i <= 15; i++ {
		l = append(l, propInfo{"extensionAttribute" + strconv.Itoa(i), kindString})
	}
	return append(l,
		propInfo{"otherMails", kindStrings},
		propInfo{"proxyAddresses", kindStrings},
		propInfo{"assignedPlans", kindPlans},
	)
}()

// userProperties indexes userPropertyList by lowercased name.
var userProperties = func() map[string]propInfo {
	m := make(map[string]propInfo, len(userPropertyList))
	for _, p := range userPropertyList {
		m[strings.ToLower(p.name)] = p
	}
	return m
}()

// planFields are the string properties of an assignedPlans item, read as assignedPlan.<field>.
var planFields = []string{"servicePlanId", "service", "capabilityStatus"}

// Plan field indexes into planFields.
const (
	planServicePlanID = iota
	planService
	planCapabilityStatus
)

// UserProperties returns the canonical names of the user properties a rule can read, in the
// order of Microsoft's documentation. Directory extension properties
// (extension_<appId without dashes>_<name>, strings) are also accepted by Parse but are not
// listed.
func UserProperties() []string {
	out := make([]string, len(userPropertyList))
	for i, p := range userPropertyList {
		out[i] = p.name
	}
	return out
}

// lookupUserProperty resolves a property name, any case. Directory extension properties
// (extension_<32 hex digits>_<name>) are strings and keep the spelling they were written with.
func lookupUserProperty(name string) (propInfo, bool) {
	if p, ok := userProperties[strings.ToLower(name)]; ok {
		return p, true
	}
	if isDirectoryExtension(name) {
		return propInfo{name: name, kind: kindString}, true
	}
	return propInfo{}, false
}

// isDirectoryExtension reports whether name has the form extension_<32 hex digits>_<name>
// (groups-dynamic-membership.md, "Extension properties and custom extension properties").
func isDirectoryExtension(name string) bool {
	const prefix = "extension_"
	if len(name) < len(prefix)+32+2 || !strings.EqualFold(name[:len(prefix)], prefix) {
		return false
	}
	rest := name[len(prefix):]
	for i := range 32 {
		c := rest[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	if rest[32] != '_' {
		return false
	}
	for _, c := range rest[33:] {
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
