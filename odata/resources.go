package odata

import "strconv"

// Capability tables. Sources: graph-facts §1.1 (user), §1.2 (group), §1.3
// (subscribedSku), §1.6 and §6.3 (directoryAudit), §6.1–6.2 (advanced queries).
// Operators named in the first list work by default, the second list only in
// advanced queries; `in`, `ne` and `eq null` are derived (see derive).

const directoryOptions = OptFilter | OptSelect | OptOrderBy | OptTop | OptSkipToken | OptCount | OptSearch | OptExpand

func assignedLicense() *Prop {
	return complexOf("", "microsoft.graph.assignedLicense",
		guid("skuId", "eq", ""),
		collOf("disabledPlans", guid("", "eq", ""), "", "any"))
}

func assignedPlan() *Prop {
	return complexOf("", "microsoft.graph.assignedPlan",
		dt("assignedDateTime", "", ""),
		str("capabilityStatus", "eq", ""),
		str("service", "eq", ""),
		guid("servicePlanId", "eq", ""))
}

func licenseAssignmentState() *Prop {
	return complexOf("", "microsoft.graph.licenseAssignmentState",
		str("assignedByGroup", "", ""), collOf("disabledPlans", guid("", "", ""), "", ""),
		str("error", "", ""), dt("lastUpdatedDateTime", "", ""), guid("skuId", "", ""), str("state", "", ""))
}

func extensionAttributes() *Prop {
	attrs := make([]*Prop, 15)
	for i := range attrs {
		// eq, ne, eq null only, all advanced; startsWith unsupported (graph-facts §6.2).
		attrs[i] = str("extensionAttribute"+strconv.Itoa(i+1), "", "eq")
	}
	return complexOf("onPremisesExtensionAttributes", "microsoft.graph.onPremisesExtensionAttributes", attrs...)
}

func userProps() []*Prop {
	props := []*Prop{
		str("id", "eq", ""),
		str("userPrincipalName", "eq startsWith", "endsWith").order(Default).search(SearchPrefix),
		str("displayName", "eq startsWith", "").order(Default).search(SearchTokenized),
		str("mail", "eq startsWith", "endsWith").search(SearchPrefix),
		str("mailNickname", "eq startsWith", "").search(SearchPrefix),
		str("givenName", "eq startsWith", "").search(SearchPrefix),
		str("surname", "eq startsWith", "").search(SearchPrefix),
		boolean("accountEnabled", "eq", ""),
		str("usageLocation", "eq startsWith ge le", ""),
		str("department", "eq startsWith", "").search(SearchPrefix),
		str("jobTitle", "eq startsWith", "").search(SearchPrefix),
		str("country", "eq startsWith", ""),
		str("city", "eq startsWith", ""),
		str("state", "eq startsWith", ""),
		str("companyName", "", "eq startsWith ge le"),
		str("userType", "eq", ""),
		str("employeeId", "eq startsWith", "").search(SearchPrefix),
		str("employeeType", "", "eq startsWith"),
		dt("employeeHireDate", "", "eq ge le"),
		str("mobilePhone", "", "eq startsWith"),
		str("officeLocation", "", "eq startsWith"),
		str("postalCode", "", "eq startsWith"),
		str("preferredLanguage", "", "eq startsWith"),
		str("streetAddress", "", "eq startsWith"),
		str("faxNumber", "", "eq startsWith"),
		boolean("showInAddressList", "", "eq"),
		str("ageGroup", "eq", ""),
		str("consentProvidedForMinor", "eq", ""),
		// employeeLeaveDateTime and employeeOrgData are filterable per user.md and
		// employeeorgdata.md, which do not say at which level [unc: advanced, like employeeHireDate].
		dt("employeeLeaveDateTime", "", "eq ge le"),
		complexOf("employeeOrgData", "microsoft.graph.employeeOrgData",
			str("division", "", "eq"), str("costCenter", "", "eq")),
		str("creationType", "eq", ""),
		str("externalUserState", "eq", ""),
		str("onPremisesImmutableId", "", "eq ge le"),
		str("onPremisesSamAccountName", "", "eq startsWith"),
		str("onPremisesSecurityIdentifier", "eq", ""),
		boolean("onPremisesSyncEnabled", "eq", ""),
		dt("createdDateTime", "eq ge le", "in").order(Advanced),
		dt("deletedDateTime", "", "eq ge le").order(Advanced),
		dt("lastPasswordChangeDateTime", "", "eq ge le"),
		str("passwordPolicies", "", "eq"),
		complexOf("passwordProfile", "microsoft.graph.passwordProfile",
			str("password", "", ""), boolean("forceChangePasswordNextSignIn", "", ""),
			boolean("forceChangePasswordNextSignInWithMfa", "", "")),
		collOf("assignedLicenses", assignedLicense(), "any", "count"),
		collOf("assignedPlans", assignedPlan(), "", "any count"),
		collOf("licenseAssignmentStates", licenseAssignmentState(), "", ""),
		collOf("provisionedPlans", complexOf("", "microsoft.graph.provisionedPlan",
			str("capabilityStatus", "", ""), str("provisioningStatus", "", ""), str("service", "", "")), "", ""),
		extensionAttributes(),
		collOf("otherMails", str("", "eq startsWith", "endsWith"), "any", "count").search(SearchPrefix),
		collOf("proxyAddresses", str("", "eq startsWith", "endsWith"), "any", "count").search(SearchPrefix),
		collOf("businessPhones", str("", "eq", ""), "any", "count"),
		collOf("identities", complexOf("", "microsoft.graph.objectIdentity",
			str("signInType", "eq", ""), str("issuer", "eq", ""), str("issuerAssignedId", "eq", "")), "any", ""),
		complexOf("manager", "microsoft.graph.directoryObject", str("id", "eq", "")),
	}
	// Properties graphmock does not keep (graphmock's userNotModelled): declared so that naming
	// one answers 501, never "Could not find a property".
	return append(props, notModelled("microsoft.graph.user",
		str("aboutMe", "", ""), dt("birthday", "", ""), dt("hireDate", "", ""),
		collOf("interests", str("", "", ""), "", ""), str("mySite", "", ""),
		collOf("pastProjects", str("", "", ""), "", ""), str("preferredName", "", ""),
		collOf("responsibilities", str("", "", ""), "", ""), collOf("schools", str("", "", ""), "", ""),
		collOf("skills", str("", "", ""), "", ""),
		complexOf("mailboxSettings", "microsoft.graph.mailboxSettings"),
		complexOf("authorizationInfo", "microsoft.graph.authorizationInfo"),
		complexOf("customSecurityAttributes", "microsoft.graph.customSecurityAttributeValue"),
		integer("deviceEnrollmentLimit", "", ""), boolean("isResourceAccount", "", ""),
		str("preferredDataLocation", "", ""), complexOf("print", "microsoft.graph.userPrint"),
		dt("externalUserStateChangeDateTime", "", ""), boolean("isManagementRestricted", "", ""),
		str("legalAgeGroupClassification", "", ""), str("onPremisesDistinguishedName", "", ""),
		str("onPremisesDomainName", "", ""), dt("onPremisesLastSyncDateTime", "", ""),
		collOf("onPremisesProvisioningErrors", complexOf("", "microsoft.graph.onPremisesProvisioningError"), "", ""),
		str("onPremisesUserPrincipalName", "", ""),
		collOf("serviceProvisioningErrors", complexOf("", "microsoft.graph.serviceProvisioningError"), "", ""),
		complexOf("signInActivity", "microsoft.graph.signInActivity"),
		dt("signInSessionsValidFromDateTime", "", ""),
		collOf("imAddresses", str("", "", ""), "", ""), str("securityIdentifier", "", ""),
	)...)
}

func groupProps() []*Prop {
	props := []*Prop{
		str("id", "eq", ""),
		str("displayName", "eq startsWith", "").order(Default).search(SearchTokenized),
		str("description", "", "eq startsWith").search(SearchTokenized),
		str("mail", "eq startsWith", "endsWith").search(SearchPrefix),
		str("mailNickname", "eq startsWith", "").search(SearchPrefix),
		boolean("mailEnabled", "eq", ""),
		boolean("securityEnabled", "eq", ""),
		boolean("isAssignableToRole", "eq", ""),
		collOf("groupTypes", str("", "eq", ""), "any", "count"),
		str("membershipRule", "eq startsWith", ""),
		str("membershipRuleProcessingState", "eq", ""),
		str("classification", "eq startsWith", ""),
		str("visibility", "", ""),
		str("preferredLanguage", "", "eq startsWith"),
		str("preferredDataLocation", "", ""),
		str("theme", "", ""),
		str("securityIdentifier", "eq startsWith", ""),
		str("onPremisesSamAccountName", "", "eq startsWith"),
		str("onPremisesSecurityIdentifier", "eq", ""),
		boolean("onPremisesSyncEnabled", "eq", ""),
		str("onPremisesDomainName", "", ""),
		str("onPremisesNetBiosName", "", ""),
		dt("onPremisesLastSyncDateTime", "", "eq ge le"),
		dt("createdDateTime", "eq ge le", "in").order(Advanced),
		dt("deletedDateTime", "", "eq ge le").order(Advanced),
		dt("expirationDateTime", "", "eq ge le"),
		dt("renewedDateTime", "", "eq ge le"),
		collOf("proxyAddresses", str("", "eq startsWith", "endsWith"), "any", "count").search(SearchPrefix),
		collOf("resourceBehaviorOptions", str("", "", ""), "", ""),
		collOf("resourceProvisioningOptions", str("", "eq", ""), "any", ""),
		collOf("onPremisesProvisioningErrors", complexOf("", "microsoft.graph.onPremisesProvisioningError",
			str("category", "", ""), str("propertyCausingError", "", ""), str("value", "", "")), "", ""),
		collOf("assignedLicenses", assignedLicense(), "any", "count"),
		complexOf("licenseProcessingState", "microsoft.graph.licenseProcessingState", str("state", "", "")),
		// Filter-only: `eq true` (and eq null) by default, never returned (graph-facts §0.5).
		boolean("hasMembersWithLicenseErrors", "eq null", "").noSelect(),
		complexOf("createdOnBehalfOf", "microsoft.graph.directoryObject", str("id", "eq", "")),
		// group.md documents no $filter support for uniqueName.
		str("uniqueName", "", ""),
	}
	// Properties graphmock does not keep (graphmock's groupNotModelled): declared so that naming
	// one answers 501, never "Could not find a property".
	return append(props, notModelled("microsoft.graph.group",
		boolean("allowExternalSenders", "", ""),
		collOf("assignedLabels", complexOf("", "microsoft.graph.assignedLabel",
			str("labelId", "", ""), str("displayName", "", "")), "", ""),
		boolean("autoSubscribeNewMembers", "", ""), boolean("hideFromAddressLists", "", ""),
		boolean("hideFromOutlookClients", "", ""), boolean("isArchived", "", ""),
		boolean("isManagementRestricted", "", ""), boolean("isSubscribedByMail", "", ""),
		collOf("serviceProvisioningErrors", complexOf("", "microsoft.graph.serviceProvisioningError"), "", ""),
		integer("unseenCount", "", ""),
	)...)
}

// Users is GET /users (graph-facts §1.1, §6.1, §6.2).
var Users = newResource("User", "microsoft.graph.user", true, directoryOptions,
	[]string{"manager", "memberOf", "transitiveMemberOf", "directReports", "ownedObjects", "registeredDevices"},
	userProps()...)

// Groups is GET /groups (graph-facts §1.2, §6.1, §6.2).
var Groups = newResource("Group", "microsoft.graph.group", true, directoryOptions,
	[]string{"members", "memberOf", "owners", "transitiveMembers", "transitiveMemberOf", "createdOnBehalfOf", "membersWithLicenseErrors"},
	groupProps()...)

// DirectoryObjects is a directoryObject relationship list (members,
// transitiveMembers, memberOf, transitiveMemberOf, owners,
// membersWithLicenseErrors). Its properties are the union of user and group
// properties. Graph's relationship docs (group-list-memberof) require
// ConsistencyLevel: eventual and $count=true for $search, $filter and $orderby,
// so every operator and ordering is Advanced here.
var DirectoryObjects = directoryObjects()

func directoryObjects() *Resource {
	r := newResource("DirectoryObject", "microsoft.graph.directoryObject", true, directoryOptions, nil)
	for _, src := range []*Resource{Users, Groups} {
		for k, p := range src.Props {
			// A name both types have is the user's, unless graphmock keeps it only on groups
			// (onPremisesDomainName, securityIdentifier…): then it is selectable, and users
			// in the list are written without it.
			if have, ok := r.Props[k]; !ok || (have.NotModelled != "" && p.NotModelled == "") {
				r.Props[k] = allAdvanced(p)
			}
		}
	}
	for _, src := range []*Resource{Users, Groups} {
		for k, v := range src.Expand {
			r.Expand[k] = v
		}
	}
	return r
}

// CastUsers is a directoryObject relationship list cast to microsoft.graph.user
// (GET /groups/{id}/members/microsoft.graph.user, …/transitiveMembers/…,
// …/owners/…, …/membersWithLicenseErrors/…): the user properties, with every
// operator and ordering Advanced as on DirectoryObjects (group-list-members,
// concepts/aad-advanced-queries: relationship queries need ConsistencyLevel:
// eventual and $count=true).
var CastUsers = relationshipCast(Users)

// CastGroups is a directoryObject relationship list cast to microsoft.graph.group
// (GET /users/{id}/memberOf/microsoft.graph.group, /groups/{id}/members/…,
// …/transitiveMemberOf/… and the like), with the same advanced rules as CastUsers.
var CastGroups = relationshipCast(Groups)

func relationshipCast(src *Resource) *Resource {
	r := src.clone()
	for k, p := range src.Props {
		r.Props[k] = allAdvanced(p)
	}
	return r
}

// DeletedUsers is GET /directory/deletedItems/microsoft.graph.user: user rules,
// $orderby on deletedDateTime advanced, displayName/userPrincipalName default
// (graph-facts §2.7).
var DeletedUsers = deleted(Users)

// DeletedGroups is GET /directory/deletedItems/microsoft.graph.group (graph-facts §2.7).
var DeletedGroups = deleted(Groups)

func deleted(src *Resource) *Resource {
	r := src.clone()
	r.Options &^= OptExpand
	r.Expand = map[string]string{}
	if p, ok := r.Props["deleteddatetime"]; ok {
		p.Order = Advanced
	}
	return r
}

// DeletedObject is GET /directory/deletedItems/{id}: a deleted user or group, with the
// properties of DirectoryObjects and no $expand, as on the deleted-items casts.
var DeletedObject = deleted(DirectoryObjects)

// ObjectsByIDs is POST /directoryObjects/getByIds: $select only (Graph added $select to the
// action, microsoftgraph/microsoft-graph-docs#6783), over the properties of DirectoryObjects.
var ObjectsByIDs = selectOnly(DirectoryObjects)

func selectOnly(src *Resource) *Resource {
	r := src.clone()
	r.Options = OptSelect
	r.Expand = map[string]string{}
	return r
}

// DirectoryAudits is GET /auditLogs/directoryAudits (graph-facts §1.6, §6.3):
// $filter (eq, ge, le, startswith), $orderby activityDateTime, $top, $skiptoken.
// No advanced-query rules, no $count or $search. Beyond the documented table,
// category, result, operationType and targetResources/userPrincipalName are
// filterable ([obs]); lt/gt on activityDateTime are accepted [unc]. The largest
// $top is not documented for audits [unc: 999 or 1000]; graphmock uses 999 like
// the directory lists.
var DirectoryAudits = newResource("DirectoryAudit", "microsoft.graph.directoryAudit", false,
	OptFilter|OptSelect|OptOrderBy|OptTop|OptSkipToken, nil,
	str("id", "eq", ""),
	dt("activityDateTime", "eq ge le lt gt", "").order(Default),
	str("activityDisplayName", "eq startsWith", ""),
	str("category", "eq", ""),
	guid("correlationId", "eq", ""),
	str("loggedByService", "eq", ""),
	str("operationType", "eq", ""),
	str("result", "eq", ""),
	str("resultReason", "eq startsWith", ""),
	collOf("additionalDetails", complexOf("", "microsoft.graph.keyValue", str("key", "eq", ""), str("value", "eq", "")), "any", ""),
	complexOf("initiatedBy", "microsoft.graph.auditActivityInitiator",
		complexOf("user", "microsoft.graph.userIdentity",
			str("id", "eq", ""), str("displayName", "eq", ""), str("userPrincipalName", "eq startsWith", ""),
			str("ipAddress", "", ""), str("userType", "", ""), str("homeTenantId", "", ""), str("homeTenantName", "", "")),
		complexOf("app", "microsoft.graph.appIdentity",
			str("appId", "eq", ""), str("displayName", "eq", ""), str("servicePrincipalId", "", ""), str("servicePrincipalName", "", ""))),
	collOf("targetResources", complexOf("", "microsoft.graph.targetResource",
		str("id", "eq", ""), str("displayName", "eq startsWith", ""), str("type", "eq", ""),
		str("userPrincipalName", "eq", ""), str("groupType", "", ""),
		collOf("modifiedProperties", complexOf("", "microsoft.graph.modifiedProperty",
			str("displayName", "", ""), str("oldValue", "", ""), str("newValue", "", "")), "", "")), "any", ""),
)

// SubscribedSkus is GET /subscribedSkus: $select only (graph-facts §1.3).
var SubscribedSkus = newResource("SubscribedSku", "microsoft.graph.subscribedSku", false, OptSelect, nil,
	str("id", "", ""), str("accountName", "", ""), str("accountId", "", ""), str("appliesTo", "", ""),
	str("capabilityStatus", "", ""), integer("consumedUnits", "", ""),
	complexOf("prepaidUnits", "microsoft.graph.licenseUnitsDetail",
		integer("enabled", "", ""), integer("lockedOut", "", ""), integer("suspended", "", ""), integer("warning", "", "")),
	collOf("servicePlans", complexOf("", "microsoft.graph.servicePlanInfo",
		guid("servicePlanId", "", ""), str("servicePlanName", "", ""), str("provisioningStatus", "", ""), str("appliesTo", "", "")), "", ""),
	guid("skuId", "", ""), str("skuPartNumber", "", ""),
	collOf("subscriptionIds", str("", "", ""), "", ""),
)
