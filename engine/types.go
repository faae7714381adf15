package engine

import "time"

// Organization is the tenant (Graph resource organization, graph-facts §1.5).
type Organization struct {
	ID                         string // tenant id (GUID)
	DisplayName                string
	CountryLetterCode          string // ISO 3166 alpha-2
	DefaultUsageLocation       string // location group-based licensing uses for users without one (graph-facts §4.4)
	PreferredLanguage          string
	TenantType                 string // "AAD"
	City, Country, State       string
	Street, PostalCode         string
	BusinessPhones             []string
	TechnicalNotificationMails []string
	VerifiedDomains            []VerifiedDomain
	CreatedDateTime            time.Time
}

// VerifiedDomain is one of the organization's domains (graph-facts §1.5).
type VerifiedDomain struct {
	Name         string
	Type         string // "Managed" or "Federated"
	Capabilities string // e.g. "Email, OfficeCommunicationsOnline"
	IsDefault    bool
	IsInitial    bool
}

// PasswordProfile is accepted on create and update and never returned (graph-facts §1.1).
type PasswordProfile struct {
	Password                             string
	ForceChangePasswordNextSignIn        bool
	ForceChangePasswordNextSignInWithMfa bool
}

// EmployeeOrgData is the user's employeeOrgData: division and cost center ("" = null).
type EmployeeOrgData struct {
	Division   string
	CostCenter string
}

// ObjectIdentity is one of a user's sign-in identities (Graph objectIdentity).
type ObjectIdentity struct {
	SignInType       string // userPrincipalName, emailAddress, userName, federated, or a custom type
	Issuer           string
	IssuerAssignedID string
}

// ExtensionAttributeCount is the number of onPremisesExtensionAttributes (extensionAttribute1..15).
const ExtensionAttributeCount = 15

// User is a directory user (Graph resource user, graph-facts §1.1). Empty strings stand for null.
// License fields are maintained by the licensing engine, never by callers.
type User struct {
	ID                string
	UserPrincipalName string
	DisplayName       string
	GivenName         string
	Surname           string
	Mail              string
	MailNickname      string
	JobTitle          string
	Department        string
	CompanyName       string
	OfficeLocation    string
	MobilePhone       string
	PreferredLanguage string
	UsageLocation     string // ISO 3166 alpha-2; empty = not set
	City              string
	Country           string
	State             string
	StreetAddress     string
	PostalCode        string
	EmployeeID        string
	EmployeeType      string
	FaxNumber         string
	UserType          string // "Member" or "Guest"
	AccountEnabled    bool
	BusinessPhones    []string
	OtherMails        []string
	ProxyAddresses    []string
	// ExtensionAttributes holds extensionAttribute1..15 at index 0..14; "" = null.
	ExtensionAttributes [ExtensionAttributeCount]string
	PasswordProfile     *PasswordProfile
	// PasswordPolicies is "", "None", or a comma-separated list of DisablePasswordExpiration and
	// DisableStrongPassword, kept as written (see PasswordPolicyDisableStrongPassword).
	PasswordPolicies string
	// AgeGroup is "", "Minor", "NotAdult" or "Adult"; ConsentProvidedForMinor is "", "Granted",
	// "Denied" or "NotRequired" (user.md, legal age group properties).
	AgeGroup                string
	ConsentProvidedForMinor string
	OnPremisesImmutableID   string
	EmployeeHireDate        *time.Time
	EmployeeLeaveDateTime   *time.Time
	EmployeeOrgData         EmployeeOrgData
	ShowInAddressList       *bool // nil = null
	// Identities are the user's sign-in identities. The engine keeps one userPrincipalName
	// identity first, mirroring UserPrincipalName (see syncIdentities).
	Identities                 []ObjectIdentity
	LastPasswordChangeDateTime time.Time
	CreatedDateTime            time.Time
	DeletedDateTime            *time.Time

	AssignedLicenses        []AssignedLicense
	AssignedPlans           []AssignedPlan
	LicenseAssignmentStates []LicenseAssignmentState

	// licRecs are the user's license records, sorted (see LicenseAssignments). The license
	// fields and licRecs are stored in the user's license row (TableUserLicenses), not the users table.
	licRecs []*LicenseAssignment
}

// Deleted reports whether the user is soft-deleted (in /directory/deletedItems).
func (u *User) Deleted() bool { return u.DeletedDateTime != nil }

// Clone returns a deep copy, so an object read from the store is never mutated in place.
func (u *User) Clone() *User {
	c := *u
	c.BusinessPhones = cloneStrings(u.BusinessPhones)
	c.OtherMails = cloneStrings(u.OtherMails)
	c.ProxyAddresses = cloneStrings(u.ProxyAddresses)
	if u.PasswordProfile != nil {
		p := *u.PasswordProfile
		c.PasswordProfile = &p
	}
	c.DeletedDateTime = cloneTime(u.DeletedDateTime)
	c.EmployeeHireDate = cloneTime(u.EmployeeHireDate)
	c.EmployeeLeaveDateTime = cloneTime(u.EmployeeLeaveDateTime)
	if u.ShowInAddressList != nil {
		b := *u.ShowInAddressList
		c.ShowInAddressList = &b
	}
	if u.Identities != nil {
		c.Identities = append([]ObjectIdentity(nil), u.Identities...)
	}
	c.AssignedLicenses = cloneLicenses(u.AssignedLicenses)
	c.AssignedPlans = append([]AssignedPlan(nil), u.AssignedPlans...)
	c.licRecs = append([]*LicenseAssignment(nil), u.licRecs...)
	c.LicenseAssignmentStates = make([]LicenseAssignmentState, len(u.LicenseAssignmentStates))
	for i, s := range u.LicenseAssignmentStates {
		s.DisabledPlans = cloneStrings(s.DisabledPlans)
		c.LicenseAssignmentStates[i] = s
	}
	if u.LicenseAssignmentStates == nil {
		c.LicenseAssignmentStates = nil
	}
	return &c
}

// Group is a directory group (Graph resource group, graph-facts §1.2). Empty strings stand for null.
type Group struct {
	ID                            string
	DisplayName                   string
	Description                   string
	MailNickname                  string
	Mail                          string
	MailEnabled                   bool
	SecurityEnabled               bool
	GroupTypes                    []string // "Unified", "DynamicMembership"
	MembershipRule                string
	MembershipRuleProcessingState string // "On" or "Paused" for dynamic groups
	Visibility                    string
	Classification                string
	IsAssignableToRole            *bool
	ProxyAddresses                []string
	CreatedDateTime               time.Time
	DeletedDateTime               *time.Time

	// AssignedLicenses are the group's license assignments (disabled plans per SKU).
	AssignedLicenses []AssignedLicense
	// LicenseProcessingState is "", "QueuedForProcessing", "ProcessingInProgress" or "ProcessingComplete".
	LicenseProcessingState string

	// UniqueName is an alternate key: unique among active groups (case-insensitive), settable
	// while empty and immutable once set (group-update: "Can updated only if null and is
	// immutable once set").
	UniqueName string
}

// Deleted reports whether the group is soft-deleted.
func (g *Group) Deleted() bool { return g.DeletedDateTime != nil }

// IsUnified reports whether the group is a Microsoft 365 group.
func (g *Group) IsUnified() bool { return hasFold(g.GroupTypes, "Unified") }

// IsMailEnabledNonUnified reports whether the group is a mail-enabled security group or a
// distribution list: mail-enabled but not a Microsoft 365 group. Exchange Online manages these;
// Graph can't create them or change them or their members.
func (g *Group) IsMailEnabledNonUnified() bool { return g.MailEnabled && !g.IsUnified() }

// IsDynamic reports whether membership is rule-driven.
func (g *Group) IsDynamic() bool { return hasFold(g.GroupTypes, "DynamicMembership") }

// Clone returns a deep copy.
func (g *Group) Clone() *Group {
	c := *g
	c.GroupTypes = cloneStrings(g.GroupTypes)
	c.ProxyAddresses = cloneStrings(g.ProxyAddresses)
	c.DeletedDateTime = cloneTime(g.DeletedDateTime)
	c.AssignedLicenses = cloneLicenses(g.AssignedLicenses)
	if g.IsAssignableToRole != nil {
		b := *g.IsAssignableToRole
		c.IsAssignableToRole = &b
	}
	return &c
}

// ObjectKind names a directory object type as Graph's @odata.type does, without the namespace.
type ObjectKind string

// Directory object kinds held in membership relations.
const (
	ObjectUser  ObjectKind = "user"
	ObjectGroup ObjectKind = "group"
)

// Membership is one direct member link: member MemberID (of kind MemberKind) in group GroupID.
type Membership struct {
	GroupID    string
	MemberID   string
	MemberKind ObjectKind
}

// Ownership is one owner link of a group.
type Ownership struct {
	GroupID   string
	OwnerID   string
	OwnerKind ObjectKind
}

// AssignedLicense is {skuId, disabledPlans} (graph-facts §1.1).
type AssignedLicense struct {
	SkuID         string
	DisabledPlans []string
}

// AssignedPlan is one service plan a user holds (graph-facts §1.1).
type AssignedPlan struct {
	AssignedDateTime time.Time
	CapabilityStatus string // Enabled, Warning, Suspended, Deleted, LockedOut
	Service          string
	ServicePlanID    string
}

// LicenseAssignmentState is one (skuId, path) license state of a user (graph-facts §1.1, §4.2).
type LicenseAssignmentState struct {
	SkuID               string
	AssignedByGroup     string // "" for a direct assignment
	DisabledPlans       []string
	State               string // Active, ActiveWithError, Disabled, Error
	Error               string // None, CountViolation, MutuallyExclusiveViolation, DependencyViolation, ProhibitedInUsageLocationViolation, UniquenessViolation, Other
	LastUpdatedDateTime time.Time
}

// SubscribedSku is a product the tenant subscribes to (graph-facts §1.3).
type SubscribedSku struct {
	SkuID            string
	SkuPartNumber    string
	DisplayName      string
	AccountID        string
	AccountName      string
	AppliesTo        string // "User"
	CapabilityStatus string // Enabled, Warning, Suspended, Deleted, LockedOut
	ConsumedUnits    int
	PrepaidUnits     LicenseUnits
	ServicePlans     []ServicePlanInfo
	SubscriptionIDs  []string
}

// LicenseUnits is licenseUnitsDetail: seats by subscription state (graph-facts §1.3).
type LicenseUnits struct {
	Enabled   int
	Suspended int
	Warning   int
	LockedOut int
}

// ServicePlanInfo is one plan of a SKU (graph-facts §1.3).
type ServicePlanInfo struct {
	ServicePlanID      string
	ServicePlanName    string
	ProvisioningStatus string // Success, Disabled, Error, PendingInput, PendingActivation, PendingProvisioning
	AppliesTo          string // User or Company
	Service            string // workload name shown in assignedPlan.service
}

// Clone returns a deep copy.
func (s *SubscribedSku) Clone() *SubscribedSku {
	c := *s
	c.ServicePlans = append([]ServicePlanInfo(nil), s.ServicePlans...)
	c.SubscriptionIDs = cloneStrings(s.SubscriptionIDs)
	return &c
}

// HasPlan reports whether the SKU contains the service plan id.
func (s *SubscribedSku) HasPlan(planID string) bool {
	for _, p := range s.ServicePlans {
		if p.ServicePlanID == planID {
			return true
		}
	}
	return false
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

func cloneLicenses(in []AssignedLicense) []AssignedLicense {
	if in == nil {
		return nil
	}
	out := make([]AssignedLicense, len(in))
	for i, l := range in {
		out[i] = AssignedLicense{SkuID: l.SkuID, DisabledPlans: cloneStrings(l.DisabledPlans)}
	}
	return out
}
