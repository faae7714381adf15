package graphmock

import (
	"encoding/json"
	"strconv"
	"strings"

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

// userType is the wire form of microsoft.graph.user (graph-facts §1.1). The default property set
// (def) is what GET and list return without $select; everything else only on $select.
// passwordProfile is writable and never returned.
var userType = newEntityType("microsoft.graph.user", "User", []userProp{
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
	readOnly("assignedLicenses", false, func(u *engine.User) any { return encodeLicenses(u.AssignedLicenses) }),
	readOnly("assignedPlans", false, func(u *engine.User) any { return encodeAssignedPlans(u.AssignedPlans) }),
	userStr("city", false, func(u *engine.User) *string { return &u.City }),
	userStr("companyName", false, func(u *engine.User) *string { return &u.CompanyName }),
	userStr("country", false, func(u *engine.User) *string { return &u.Country }),
	readOnly("createdDateTime", false, func(u *engine.User) any { return formatTime(u.CreatedDateTime) }),
	readOnly("deletedDateTime", false, func(u *engine.User) any { return formatTimePtr(u.DeletedDateTime) }),
	userStr("department", false, func(u *engine.User) *string { return &u.Department }),
	userStr("employeeId", false, func(u *engine.User) *string { return &u.EmployeeID }),
	userStr("employeeType", false, func(u *engine.User) *string { return &u.EmployeeType }),
	userStr("faxNumber", false, func(u *engine.User) *string { return &u.FaxNumber }),
	readOnly("licenseAssignmentStates", false, func(u *engine.User) any { return encodeLicenseStates(u.LicenseAssignmentStates) }),
	userStr("mailNickname", false, func(u *engine.User) *string { return &u.MailNickname }),
	{name: "onPremisesExtensionAttributes", get: func(u *engine.User) any { return encodeExtensionAttributes(u) },
		set: setExtensionAttributes},
	readOnly("onPremisesSyncEnabled", false, func(*engine.User) any { return nil }),
	userStrings("otherMails", false, func(u *engine.User) *[]string { return &u.OtherMails }),
	{name: "passwordProfile", get: func(*engine.User) any { return nil }, set: setPasswordProfile},
	userStr("postalCode", false, func(u *engine.User) *string { return &u.PostalCode }),
	readOnly("provisionedPlans", false, func(*engine.User) any { return []any{} }),
	readOnly("proxyAddresses", false, func(u *engine.User) any { return list(u.ProxyAddresses) }),
	userStr("state", false, func(u *engine.User) *string { return &u.State }),
	userStr("streetAddress", false, func(u *engine.User) *string { return &u.StreetAddress }),
	userStr("usageLocation", false, func(u *engine.User) *string { return &u.UsageLocation }),
	userStr("userType", false, func(u *engine.User) *string { return &u.UserType }),
})

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
