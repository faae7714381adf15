package graphmock

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/graphmock/graphmock/engine"
)

type groupProp = prop[engine.Group]

func groupStr(name string, def bool, f func(*engine.Group) *string) groupProp {
	return groupProp{name: name, def: def,
		get: func(g *engine.Group) any { return nullable(*f(g)) },
		set: func(g *engine.Group, raw json.RawMessage) error { return str(func(v string) { *f(g) = v })(raw) }}
}

func groupBool(name string, def bool, f func(*engine.Group) *bool) groupProp {
	return groupProp{name: name, def: def,
		get: func(g *engine.Group) any { return *f(g) },
		set: func(g *engine.Group, raw json.RawMessage) error {
			b, err := decodeBool(raw)
			if err == nil {
				*f(g) = b
			}
			return err
		}}
}

func groupRO(name string, def bool, get func(*engine.Group) any) groupProp {
	return groupProp{name: name, def: def, get: get}
}

func null(*engine.Group) any { return nil }

func emptyList(*engine.Group) any { return []string{} }

// groupType is the wire form of microsoft.graph.group (graph-facts §1.2): the default property set
// of GET/list, then the properties returned only on $select (assignedLicenses, licenseProcessingState).
// hasMembersWithLicenseErrors is never returned (graph-facts §0.5).
var groupType = newEntityType("microsoft.graph.group", "Group", []groupProp{
	{name: "id", def: true, get: func(g *engine.Group) any { return g.ID },
		set: func(g *engine.Group, raw json.RawMessage) error { return str(func(v string) { g.ID = v })(raw) }},
	groupRO("deletedDateTime", true, func(g *engine.Group) any { return formatTimePtr(g.DeletedDateTime) }),
	groupStr("classification", true, func(g *engine.Group) *string { return &g.Classification }),
	groupRO("createdDateTime", true, func(g *engine.Group) any { return formatTime(g.CreatedDateTime) }),
	groupStr("description", true, func(g *engine.Group) *string { return &g.Description }),
	groupStr("displayName", true, func(g *engine.Group) *string { return &g.DisplayName }),
	groupRO("expirationDateTime", true, null),
	{name: "groupTypes", def: true, get: func(g *engine.Group) any { return list(g.GroupTypes) },
		set: func(g *engine.Group, raw json.RawMessage) error {
			v, err := decodeStrings(raw)
			if err == nil {
				g.GroupTypes = v
			}
			return err
		}},
	{name: "isAssignableToRole", def: true, get: func(g *engine.Group) any {
		if g.IsAssignableToRole == nil {
			return nil
		}
		return *g.IsAssignableToRole
	}, set: func(g *engine.Group, raw json.RawMessage) error {
		if isNull(raw) {
			g.IsAssignableToRole = nil
			return nil
		}
		b, err := decodeBool(raw)
		if err == nil {
			g.IsAssignableToRole = &b
		}
		return err
	}},
	groupRO("mail", true, func(g *engine.Group) any { return nullable(g.Mail) }),
	groupBool("mailEnabled", true, func(g *engine.Group) *bool { return &g.MailEnabled }),
	groupStr("mailNickname", true, func(g *engine.Group) *string { return &g.MailNickname }),
	groupStr("membershipRule", true, func(g *engine.Group) *string { return &g.MembershipRule }),
	groupStr("membershipRuleProcessingState", true, func(g *engine.Group) *string { return &g.MembershipRuleProcessingState }),
	groupRO("onPremisesDomainName", true, null),
	groupRO("onPremisesLastSyncDateTime", true, null),
	groupRO("onPremisesNetBiosName", true, null),
	groupRO("onPremisesSamAccountName", true, null),
	groupRO("onPremisesSecurityIdentifier", true, null),
	groupRO("onPremisesSyncEnabled", true, null),
	groupRO("preferredDataLocation", true, null),
	groupRO("preferredLanguage", true, null),
	groupRO("proxyAddresses", true, func(g *engine.Group) any { return list(g.ProxyAddresses) }),
	groupRO("renewedDateTime", true, func(g *engine.Group) any { return formatTime(g.CreatedDateTime) }),
	groupRO("resourceBehaviorOptions", true, emptyList),
	groupRO("resourceProvisioningOptions", true, emptyList),
	groupBool("securityEnabled", true, func(g *engine.Group) *bool { return &g.SecurityEnabled }),
	groupRO("securityIdentifier", true, func(g *engine.Group) any { return securityIdentifier(g.ID) }),
	groupRO("theme", true, null),
	groupStr("visibility", true, func(g *engine.Group) *string { return &g.Visibility }),
	groupRO("onPremisesProvisioningErrors", true, emptyList),
	groupRO("assignedLicenses", false, func(g *engine.Group) any { return encodeLicenses(g.AssignedLicenses) }),
	groupRO("licenseProcessingState", false, func(g *engine.Group) any {
		if g.LicenseProcessingState == "" {
			return nil
		}
		// An object on the wire, not the documented string (graph-facts §0.2).
		return object{{"state", g.LicenseProcessingState}}
	}),
})

// securityIdentifier derives a stable S-1-12-1 SID from a group id, the form Entra gives cloud
// groups: the 16 id bytes read as four little-endian 32-bit numbers.
func securityIdentifier(id string) string {
	b, err := hex.DecodeString(strings.ReplaceAll(id, "-", ""))
	if err != nil || len(b) != 16 {
		return ""
	}
	sid := "S-1-12-1"
	for i := 0; i < 16; i += 4 {
		sid += "-" + strconv.FormatUint(uint64(binary.LittleEndian.Uint32(b[i:i+4])), 10)
	}
	return sid
}
