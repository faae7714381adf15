package graphmock

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/graphmock/graphmock/engine"
)

type userProp = prop[engine.User]

func userStr(name string, def bool, f func(*engine.User) *string) userProp {
	return userProp{name: name, def: def,
		get: func(u *engine.User) any { return nullable(*f(u)) },
		set: func(u *engine.User, raw json.RawMessage) error { return str(func(v string) { *f(u) = v })(raw) }}
}

func userStrings(name string, def bool, f func(*engine.User) *[]string) userProp {
	return userProp{name: name, def: def,
		get: func(u *engine.User) any { return list(*f(u)) },
		set: func(u *engine.User, raw json.RawMessage) error {
			v, err := decodeStrings(raw)
			if err == nil {
				*f(u) = v
			}
			return err
		}}
}

func readOnly(name string, def bool, get func(*engine.User) any) userProp {
	return userProp{name: name, def: def, get: get}
}

func userTime(name string, f func(*engine.User) **time.Time) userProp {
	return userProp{name: name,
		get: func(u *engine.User) any { return formatTimePtr(*f(u)) },
		set: func(u *engine.User, raw json.RawMessage) error {
			t, err := decodeDateTime(raw)
			if err == nil {
				*f(u) = t
			}
			return err
		}}
}

// cloudOnlyNull is a read-only property that is null for every user graphmock holds: cloud-only
// members created through the API (no on-premises sync, no invitation).
func cloudOnlyNull(name string) userProp {
	return readOnly(name, false, func(*engine.User) any { return nil })
}

// userType is the wire form of microsoft.graph.user (graph-facts §1.1). The default property set
// (def) is what GET and list return without $select; everything else only on $select.
// passwordProfile is writable and never returned. The read-only properties that are null for every
// cloud-only member (creationType, externalUserState, onPremises…) are written as null; the Graph
// properties graphmock does not keep are in userNotModelled.
var userType = withNotModelled(newEntityType("microsoft.graph.user", "User", []userProp{
	userStrings("businessPhones", true, func(u *engine.User) *[]string { return &u.BusinessPhones }),
	userStr("displayName", true, func(u *engine.User) *string { return &u.DisplayName }),
	userStr("givenName", true, func(u *engine.User) *string { return &u.GivenName }),
	userStr("jobTitle", true, func(u *engine.User) *string { return &u.JobTitle }),
	userStr("mail", true, func(u *engine.User) *string { return &u.Mail }),
	userStr("mobilePhone", true, func(u *engine.User) *string { return &u.MobilePhone }),
	userStr("officeLocation", true, func(u *engine.User) *string { return &u.OfficeLocation }),
	userStr("preferredLanguage", true, func(u *engine.User) *string { return &u.PreferredLanguage }),
	userStr("surname", true, func(u *engine.User) *string { return &u.Surname }),
	userStr("userPrincipalName", true, func(u *engine.User) *string { return &u.UserPrincipalName }),
	{name: "id", def: true, get: func(u *engine.User) any { return u.ID },
		set: func(u *engine.User, raw json.RawMessage) error { return str(func(v string) { u.ID = v })(raw) }},
	{name: "accountEnabled", get: func(u *engine.User) any { return u.AccountEnabled },
		set: func(u *engine.User, raw json.RawMessage) error {
			b, err := decodeBool(raw)
			u.AccountEnabled = b
			return err
		}},
	userStr("ageGroup", false, func(u *engine.User) *string { return &u.AgeGroup }),
	readOnly("assignedLicenses", false, func(u *engine.User) any { return encodeLicenses(u.AssignedLicenses) }),
	readOnly("assignedPlans", false, func(u *engine.User) any { return encodeAssignedPlans(u.AssignedPlans) }),
	userStr("city", false, func(u *engine.User) *string { return &u.City }),
	userStr("companyName", false, func(u *engine.User) *string { return &u.CompanyName }),
	userStr("consentProvidedForMinor", false, func(u *engine.User) *string { return &u.ConsentProvidedForMinor }),
	userStr("country", false, func(u *engine.User) *string { return &u.Country }),
	readOnly("createdDateTime", false, func(u *engine.User) any { return formatTime(u.CreatedDateTime) }),
	cloudOnlyNull("creationType"),
	readOnly("deletedDateTime", false, func(u *engine.User) any { return formatTimePtr(u.DeletedDateTime) }),
	userStr("department", false, func(u *engine.User) *string { return &u.Department }),
	userTime("employeeHireDate", func(u *engine.User) **time.Time { return &u.EmployeeHireDate }),
	userStr("employeeId", false, func(u *engine.User) *string { return &u.EmployeeID }),
	userTime("employeeLeaveDateTime", func(u *engine.User) **time.Time { return &u.EmployeeLeaveDateTime }),
	{name: "employeeOrgData", get: encodeEmployeeOrgData, set: setEmployeeOrgData},
	userStr("employeeType", false, func(u *engine.User) *string { return &u.EmployeeType }),
	cloudOnlyNull("externalUserState"),
	userStr("faxNumber", false, func(u *engine.User) *string { return &u.FaxNumber }),
	{name: "identities", get: encodeIdentities, set: setIdentities},
	readOnly("lastPasswordChangeDateTime", false, func(u *engine.User) any { return formatTime(u.LastPasswordChangeDateTime) }),
	readOnly("licenseAssignmentStates", false, func(u *engine.User) any { return encodeLicenseStates(u.LicenseAssignmentStates) }),
	userStr("mailNickname", false, func(u *engine.User) *string { return &u.MailNickname }),
	{name: "onPremisesExtensionAttributes", get: func(u *engine.User) any { return encodeExtensionAttributes(u) },
		set: setExtensionAttributes},
	userStr("onPremisesImmutableId", false, func(u *engine.User) *string { return &u.OnPremisesImmutableID }),
	cloudOnlyNull("onPremisesSamAccountName"),
	cloudOnlyNull("onPremisesSecurityIdentifier"),
	readOnly("onPremisesSyncEnabled", false, func(*engine.User) any { return nil }),
	userStrings("otherMails", false, func(u *engine.User) *[]string { return &u.OtherMails }),
	userStr("passwordPolicies", false, func(u *engine.User) *string { return &u.PasswordPolicies }),
	{name: "passwordProfile", get: func(*engine.User) any { return nil }, set: setPasswordProfile},
	userStr("postalCode", false, func(u *engine.User) *string { return &u.PostalCode }),
	readOnly("provisionedPlans", false, func(*engine.User) any { return []any{} }),
	readOnly("proxyAddresses", false, func(u *engine.User) any { return list(u.ProxyAddresses) }),
	{name: "showInAddressList", get: func(u *engine.User) any {
		if u.ShowInAddressList == nil {
			return nil
		}
		return *u.ShowInAddressList
	}, set: func(u *engine.User, raw json.RawMessage) error {
		b, err := decodeNullableBool(raw)
		if err == nil {
			u.ShowInAddressList = b
		}
		return err
	}},
	userStr("state", false, func(u *engine.User) *string { return &u.State }),
	userStr("streetAddress", false, func(u *engine.User) *string { return &u.StreetAddress }),
	userStr("usageLocation", false, func(u *engine.User) *string { return &u.UsageLocation }),
	userStr("userType", false, func(u *engine.User) *string { return &u.UserType }),
}), userNotModelled)

// userNotModelled are the properties of microsoft.graph.user in Microsoft's v1.0 OpenAPI
// description (Users.yml) that graphmock does not keep. Writing one answers 501 naming it, or
// the read-only 400 for those Graph computes itself; naming one in $select, $filter, $orderby or
// $search answers 501 on every read that writes users (odata.Users marks them, and the casts,
// deleted items and directoryObject tables inherit the mark). The SharePoint profile properties (aboutMe,
// birthday, hireDate, interests, mySite, pastProjects, preferredName, responsibilities, schools,
// skills) and mailboxSettings (Exchange) are the ones Graph returns only for a single user: on a
// list Graph itself answers 501 (graph-facts §2.1).
var userNotModelled = []notModelledProp{
	{name: "aboutMe"}, {name: "birthday"}, {name: "hireDate"}, {name: "interests"}, {name: "mySite"},
	{name: "pastProjects"}, {name: "preferredName"}, {name: "responsibilities"}, {name: "schools"}, {name: "skills"},
	{name: "mailboxSettings"},
	{name: "authorizationInfo"}, {name: "customSecurityAttributes"}, {name: "deviceEnrollmentLimit"},
	{name: "isResourceAccount"}, {name: "preferredDataLocation"}, {name: "print"},
	{name: "externalUserStateChangeDateTime", readOnly: true}, {name: "imAddresses", readOnly: true},
	{name: "isManagementRestricted", readOnly: true}, {name: "legalAgeGroupClassification", readOnly: true},
	{name: "onPremisesDistinguishedName", readOnly: true}, {name: "onPremisesDomainName", readOnly: true},
	{name: "onPremisesLastSyncDateTime", readOnly: true}, {name: "onPremisesProvisioningErrors", readOnly: true},
	{name: "onPremisesUserPrincipalName", readOnly: true}, {name: "securityIdentifier", readOnly: true},
	{name: "serviceProvisioningErrors", readOnly: true}, {name: "signInActivity", readOnly: true},
	{name: "signInSessionsValidFromDateTime", readOnly: true},
}

func withNotModelled[T any](e *entityType[T], props []notModelledProp) *entityType[T] {
	e.notModelled = make(map[string]notModelledProp, len(props))
	for _, p := range props {
		e.notModelled[strings.ToLower(p.name)] = p
	}
	return e
}

// encodeEmployeeOrgData writes {costCenter, division}, null when neither is set.
func encodeEmployeeOrgData(u *engine.User) any {
	d := u.EmployeeOrgData
	if d == (engine.EmployeeOrgData{}) {
		return nil
	}
	return object{{"costCenter", nullable(d.CostCenter)}, {"division", nullable(d.Division)}}
}

// setEmployeeOrgData replaces employeeOrgData: a member left out becomes null (employeeorgdata.md:
// "Include both property values when updating employeeOrgData; if you omit any, the system sets
// them to null").
func setEmployeeOrgData(u *engine.User, raw json.RawMessage) error {
	u.EmployeeOrgData = engine.EmployeeOrgData{}
	if isNull(raw) {
		return nil
	}
	return decodeComplex(raw, "microsoft.graph.employeeOrgData", map[string]*string{
		"costcenter": &u.EmployeeOrgData.CostCenter, "division": &u.EmployeeOrgData.Division})
}

// encodeIdentities writes the sign-in identities, the userPrincipalName one first.
func encodeIdentities(u *engine.User) any {
	out := make([]object, len(u.Identities))
	for i, id := range u.Identities {
		out[i] = object{{"signInType", nullable(id.SignInType)}, {"issuer", nullable(id.Issuer)},
			{"issuerAssignedId", nullable(id.IssuerAssignedID)}}
	}
	return out
}

// setIdentities replaces the identities; the engine keeps the userPrincipalName identity.
func setIdentities(u *engine.User, raw json.RawMessage) error {
	if isNull(raw) {
		u.Identities = nil
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return errWrongType(raw, "Collection(microsoft.graph.objectIdentity)")
	}
	ids := make([]engine.ObjectIdentity, len(items))
	for i, item := range items {
		id := &ids[i]
		if err := decodeComplex(item, "microsoft.graph.objectIdentity", map[string]*string{
			"signintype": &id.SignInType, "issuer": &id.Issuer, "issuerassignedid": &id.IssuerAssignedID}); err != nil {
			return err
		}
	}
	u.Identities = ids
	return nil
}

// decodeComplex reads a JSON object of string members into fields (keyed by lower-case name);
// "@odata." annotations are skipped; an unknown member is the OData reader's 400.
func decodeComplex(raw json.RawMessage, typ string, fields map[string]*string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return errWrongType(raw, typ)
	}
	for k, v := range m {
		if strings.HasPrefix(k, "@odata.") {
			continue
		}
		f, ok := fields[strings.ToLower(k)]
		if !ok {
			return newHTTPError(400, engine.CodeBadRequest, "The property '"+k+"' does not exist on type '"+typ+"'. Make sure to only use property names that are defined by the type or mark the type as open type.")
		}
		s, err := decodeString(v)
		if err != nil {
			return err
		}
		*f = s
	}
	return nil
}

func encodeAssignedPlans(ps []engine.AssignedPlan) []object {
	out := make([]object, len(ps))
	for i, p := range ps {
		out[i] = object{{"assignedDateTime", formatTime(p.AssignedDateTime)}, {"capabilityStatus", p.CapabilityStatus},
			{"service", p.Service}, {"servicePlanId", p.ServicePlanID}}
	}
	return out
}

// encodeLicenseStates writes licenseAssignmentStates; error is "None" on success (graph-facts §0.3).
func encodeLicenseStates(ss []engine.LicenseAssignmentState) []object {
	out := make([]object, len(ss))
	for i, s := range ss {
		errv := s.Error
		if errv == "" {
			errv = "None"
		}
		out[i] = object{{"assignedByGroup", nullable(s.AssignedByGroup)}, {"disabledPlans", list(s.DisabledPlans)},
			{"error", errv}, {"lastUpdatedDateTime", formatTime(s.LastUpdatedDateTime)}, {"skuId", s.SkuID}, {"state", s.State}}
	}
	return out
}

// encodeExtensionAttributes writes all 15 keys, null when unset (graph-facts §1.1).
func encodeExtensionAttributes(u *engine.User) object {
	out := make(object, engine.ExtensionAttributeCount)
	for i := range u.ExtensionAttributes {
		out[i] = field{"extensionAttribute" + strconv.Itoa(i+1), nullable(u.ExtensionAttributes[i])}
	}
	return out
}

// setExtensionAttributes merges the given keys (others are kept), as PATCH does (graph-facts §1.1).
func setExtensionAttributes(u *engine.User, raw json.RawMessage) error {
	if isNull(raw) {
		u.ExtensionAttributes = [engine.ExtensionAttributeCount]string{}
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return errWrongType(raw, "microsoft.graph.onPremisesExtensionAttributes")
	}
	for k, v := range m {
		if strings.HasPrefix(k, "@odata.") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(k), "extensionattribute"))
		if !strings.HasPrefix(strings.ToLower(k), "extensionattribute") || err != nil || n < 1 || n > engine.ExtensionAttributeCount {
			return newHTTPError(400, engine.CodeBadRequest, "The property '"+k+"' does not exist on type 'microsoft.graph.onPremisesExtensionAttributes'. Make sure to only use property names that are defined by the type or mark the type as open type.")
		}
		s, err := decodeString(v)
		if err != nil {
			return err
		}
		u.ExtensionAttributes[n-1] = s
	}
	return nil
}

func setPasswordProfile(u *engine.User, raw json.RawMessage) error {
	if isNull(raw) {
		return nil
	}
	var p struct {
		Password                             *string `json:"password"`
		ForceChangePasswordNextSignIn        *bool   `json:"forceChangePasswordNextSignIn"`
		ForceChangePasswordNextSignInWithMfa *bool   `json:"forceChangePasswordNextSignInWithMfa"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return errWrongType(raw, "microsoft.graph.passwordProfile")
	}
	pp := engine.PasswordProfile{}
	if u.PasswordProfile != nil {
		pp = *u.PasswordProfile
	}
	if p.Password != nil {
		pp.Password = *p.Password
	}
	if p.ForceChangePasswordNextSignIn != nil {
		pp.ForceChangePasswordNextSignIn = *p.ForceChangePasswordNextSignIn
	}
	if p.ForceChangePasswordNextSignInWithMfa != nil {
		pp.ForceChangePasswordNextSignInWithMfa = *p.ForceChangePasswordNextSignInWithMfa
	}
	u.PasswordProfile = &pp
	return nil
}
