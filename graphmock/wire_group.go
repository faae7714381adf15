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
// of GET/list, then the properties returned only on $select (assignedLicenses, licenseProcessingState,
// uniqueName). hasMembersWithLicenseErrors is read-only and never returned (graph-facts §0.5): odata
// drops it from $select. The Graph properties graphmock does not keep are in groupNotModelled.
var groupType = withNotModelled(newEntityType("microsoft.graph.group", "Group", []groupProp{
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
	groupRO("hasMembersWithLicenseErrors", false, null),
	// Settable on create, and by PATCH while null; the engine keeps it unique and immutable once set.
	groupStr("uniqueName", false, func(g *engine.Group) *string { return &g.UniqueName }),
}), groupNotModelled)

// groupNotModelled are the properties of microsoft.graph.group in Microsoft's v1.0 OpenAPI
// description (Groups.yml) that graphmock does not keep: writing one answers 501 naming it, or
// the read-only 400 for those Graph computes or changes through other APIs (isArchived through
// a team's archive and unarchive); naming one in a query option answers 501 (odata.Groups lists
// them). The Exchange properties (allowExternalSenders, autoSubscribeNewMembers,
// hideFromAddressLists, hideFromOutlookClients, isSubscribedByMail, unseenCount) are ones Graph
// returns only for a single group (GET /groups/{id}) and takes in a PATCH of their own
// (group-update).
var groupNotModelled = []notModelledProp{
	{name: "allowExternalSenders"}, {name: "assignedLabels"}, {name: "autoSubscribeNewMembers"},
	{name: "hideFromAddressLists"}, {name: "hideFromOutlookClients"}, {name: "isSubscribedByMail"},
	{name: "unseenCount"},
	{name: "isArchived", readOnly: true}, {name: "isManagementRestricted", readOnly: true},
	{name: "serviceProvisioningErrors", readOnly: true},
}

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
