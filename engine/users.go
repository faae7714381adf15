package engine

import (
	"encoding/json"
	"strings"
	"time"

	memdb "github.com/hashicorp/go-memdb"
)

// UserByID returns the active (not deleted) user with id, or a 404 error.
func (tx *Txn) UserByID(id string) (*User, error) {
	u, err := tx.userAny(id)
	if err != nil {
		return nil, err
	}
	if u == nil || u.Deleted() {
		return nil, NotFound(id)
	}
	return u, nil
}

// UserByRef resolves an id or a userPrincipalName (case-insensitive), as GET /users/{id | userPrincipalName}
// does (graph-facts §2.1); deleted users are not found.
func (tx *Txn) UserByRef(ref string) (*User, error) {
	if IsGUID(ref) {
		return tx.UserByID(ref)
	}
	u, err := tx.activeUserByUPN(ref)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, NotFound(ref)
	}
	return u, nil
}

// userAny returns the user with id whether deleted or not; nil when absent.
func (tx *Txn) userAny(id string) (*User, error) {
	raw, err := tx.first(TableUsers, IndexID, strings.ToLower(id))
	if err != nil || raw == nil {
		return nil, err
	}
	return tx.withLicenses(raw.(*User))
}

func (tx *Txn) activeUserByUPN(upn string) (*User, error) {
	var found *User
	err := tx.each(TableUsers, IndexUPN, func(raw any) bool {
		u := raw.(*User)
		if !u.Deleted() {
			found = u
			return false
		}
		return true
	}, strings.ToLower(upn))
	if err != nil || found == nil {
		return nil, err
	}
	return tx.withLicenses(found)
}

// Users calls fn for each active user in id order until fn returns false.
func (tx *Txn) Users(fn func(*User) bool) error {
	return tx.eachUser(IndexID, func(u *User) bool {
		if u.Deleted() {
			return true
		}
		return fn(u)
	})
}

// DeletedUsers calls fn for each soft-deleted user in id order until fn returns false.
func (tx *Txn) DeletedUsers(fn func(*User) bool) error {
	return tx.eachUser(IndexID, func(u *User) bool {
		if !u.Deleted() {
			return true
		}
		return fn(u)
	})
}

// UsersByUPN returns the active user whose userPrincipalName equals upn (case-insensitive), or nil.
func (tx *Txn) UsersByUPN(upn string) (*User, error) { return tx.activeUserByUPN(upn) }

// validateUser checks the values of a user about to be written: required properties present,
// userPrincipalName on a verified domain and unique among active users, a valid mailNickname and
// usageLocation, the enumerations ageGroup, consentProvidedForMinor and passwordPolicies,
// onPremisesImmutableId (required on create for a federated domain, unique) and identities.
// It writes canonical values: enumeration spellings, the userPrincipalName a userPrincipalName
// identity names, and the identities as syncIdentities keeps them. old is the stored user (nil on
// create). Errors carry Graph's messages (graph-facts §2.1, §3.2).
func (tx *Txn) validateUser(u, old *User) error {
	oldUPN := ""
	if old != nil {
		oldUPN = old.UserPrincipalName
	}
	applyUPNIdentity(u, oldUPN)
	switch {
	case strings.TrimSpace(u.DisplayName) == "":
		return MissingValue("displayName")
	case u.MailNickname == "":
		return MissingValue("mailNickname")
	case u.UserPrincipalName == "":
		return MissingValue("userPrincipalName")
	}
	if len(u.DisplayName) > 256 {
		return InvalidValue("displayName", "User")
	}
	if !validMailNickname(u.MailNickname, true) {
		return InvalidValue("mailNickname", "User")
	}
	if u.UsageLocation != "" && !validCountryCode(u.UsageLocation) {
		return InvalidValue("usageLocation", "User")
	}
	if !validUPN(u.UserPrincipalName) {
		return InvalidValue("userPrincipalName", "User")
	}
	if err := normalizeUserEnums(u); err != nil {
		return err
	}
	if u.PasswordPolicies != "" && !validPasswordPolicies(u.PasswordPolicies) {
		return InvalidValue("passwordPolicies", "User")
	}
	// user.md: "The $ and _ characters can't be used when specifying this property."
	if strings.ContainsAny(u.OnPremisesImmutableID, "$_") {
		return InvalidValue("onPremisesImmutableId", "User")
	}
	if !validIdentities(u.Identities) {
		return InvalidValue("identities", "User")
	}
	for _, f := range userLengthLimits {
		if len(f.get(u)) > f.max {
			return InvalidValue(f.name, "User")
		}
	}
	at := strings.LastIndexByte(u.UserPrincipalName, '@')
	org, err := tx.Organization()
	if err != nil {
		return err
	}
	domain := u.UserPrincipalName[at+1:]
	if !org.HasDomain(domain) {
		// Graph's wording for an unverified domain [unc: quoted from memory of real responses].
		return BadRequest("The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.")
	}
	// user.md: onPremisesImmutableId "must be specified when creating a new user account in the
	// Graph if you're using a federated domain for the user's userPrincipalName".
	if old == nil && u.OnPremisesImmutableID == "" && org.domainType(domain) == "Federated" {
		return MissingValue("onPremisesImmutableId")
	}
	other, err := tx.activeUserByUPN(u.UserPrincipalName)
	if err != nil {
		return err
	}
	if other != nil && !strings.EqualFold(other.ID, u.ID) {
		return DuplicateValue("userPrincipalName")
	}
	if err := tx.checkUniqueUserValues(u, old); err != nil {
		return err
	}
	syncIdentities(u, identityIssuer(org))
	return nil
}

// passwordChanged reports whether an update sets a new password.
func passwordChanged(old, u *User) bool {
	return u.PasswordProfile != nil && (old.PasswordProfile == nil || old.PasswordProfile.Password != u.PasswordProfile.Password)
}

// CreateUser validates and inserts a new user, giving it an id (unless set, as fixtures do) and
// createdDateTime, and records "Add user". The passed user is not retained.
func (tx *Txn) CreateUser(in *User) (*User, error) {
	u := in.Clone()
	if u.PasswordProfile == nil || u.PasswordProfile.Password == "" {
		if err := tx.validateUser(u, nil); err != nil {
			return nil, err
		}
		return nil, MissingValue("passwordProfile")
	}
	if u.ID == "" {
		u.ID = tx.NewID()
	} else if !IsGUID(u.ID) {
		return nil, InvalidValue("id", "User")
	}
	u.ID = strings.ToLower(u.ID)
	if existing, err := tx.userAny(u.ID); err != nil {
		return nil, err
	} else if existing != nil {
		return nil, DuplicateValue("id")
	}
	if err := tx.validateUser(u, nil); err != nil {
		return nil, err
	}
	if err := CheckPassword(u.PasswordProfile.Password, u.PasswordPolicies); err != nil {
		return nil, err
	}
	if u.UserType == "" {
		u.UserType = "Member"
	}
	if u.CreatedDateTime.IsZero() {
		u.CreatedDateTime = tx.now
	}
	u.LastPasswordChangeDateTime = u.CreatedDateTime
	u.DeletedDateTime = nil
	u.AssignedLicenses, u.AssignedPlans, u.LicenseAssignmentStates, u.licRecs = nil, nil, nil, nil
	if err := tx.putUserRow(u); err != nil {
		return nil, err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivityAddUser,
		OperationType: "Add", TargetResources: []TargetResource{userTarget(u)}}); err != nil {
		return nil, err
	}
	return u, tx.notifyUser(nil, u)
}

// UpdateUser writes changed profile properties of an existing active user and records "Update user"
// with the changed property names. License fields, id and createdDateTime are kept from the stored user.
func (tx *Txn) UpdateUser(in *User) (*User, error) {
	old, err := tx.UserByID(in.ID)
	if err != nil {
		return nil, err
	}
	u := in.Clone()
	u.ID, u.CreatedDateTime, u.DeletedDateTime = old.ID, old.CreatedDateTime, nil
	u.AssignedLicenses, u.AssignedPlans, u.LicenseAssignmentStates = old.AssignedLicenses, old.AssignedPlans, old.LicenseAssignmentStates
	u.licRecs = old.licRecs
	u.LastPasswordChangeDateTime = old.LastPasswordChangeDateTime
	if err := tx.validateUser(u, old); err != nil {
		return nil, err
	}
	if passwordChanged(old, u) {
		if err := CheckPassword(u.PasswordProfile.Password, u.PasswordPolicies); err != nil {
			return nil, err
		}
		u.LastPasswordChangeDateTime = tx.now
	}
	changed := changedUserProperties(old, u)
	if err := tx.putUserRow(u); err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		list := strings.Join(changed, ", ")
		if err := tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivityUpdateUser,
			OperationType: "Update", TargetResources: []TargetResource{userTarget(u,
				ModifiedProperty{DisplayName: "Included Updated Properties", OldValue: strPtr(""), NewValue: jsonString(list)})}}); err != nil {
			return nil, err
		}
	}
	return u, tx.notifyUser(old, u)
}

// PutUserLicenses replaces a user's license fields; only the licensing engine calls it.
func (tx *Txn) PutUserLicenses(id string, licenses []AssignedLicense, plans []AssignedPlan, states []LicenseAssignmentState) (*User, error) {
	old, err := tx.userAny(id)
	if err != nil {
		return nil, err
	}
	if old == nil {
		return nil, NotFound(id)
	}
	// A shallow copy: stored objects are never changed in place, so the new version may share
	// the old one's other slices; the license slices passed in are owned by the caller.
	u := *old
	u.AssignedLicenses, u.AssignedPlans, u.LicenseAssignmentStates = licenses, plans, states
	if err := tx.putLicenseRow(&u); err != nil {
		return nil, err
	}
	// Rules can read user.assignedPlans: a change of plans is evaluated like a profile change.
	return &u, tx.s.dyn.licensesChanged(tx, old, &u)
}

// DeleteUser soft-deletes an active user: it moves to /directory/deletedItems for 30 days
// (graph-facts §2.1, §2.7), keeps its memberships for a restore, and records "Delete user".
func (tx *Txn) DeleteUser(id string) error {
	old, err := tx.UserByID(id)
	if err != nil {
		return err
	}
	u := old.Clone()
	t := tx.now
	u.DeletedDateTime = &t
	if err := tx.renameUser(u, DeletedUPN(u.ID, u.UserPrincipalName)); err != nil {
		return err
	}
	if err := tx.putUserRow(u); err != nil {
		return err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivityDeleteUser,
		OperationType: "Delete", TargetResources: []TargetResource{userTarget(u)}}); err != nil {
		return err
	}
	return tx.notifyUser(old, u)
}

func changedUserProperties(a, b *User) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("AccountEnabled", a.AccountEnabled != b.AccountEnabled)
	add("DisplayName", a.DisplayName != b.DisplayName)
	add("GivenName", a.GivenName != b.GivenName)
	add("Surname", a.Surname != b.Surname)
	add("UserPrincipalName", a.UserPrincipalName != b.UserPrincipalName)
	add("Mail", a.Mail != b.Mail)
	add("MailNickname", a.MailNickname != b.MailNickname)
	add("JobTitle", a.JobTitle != b.JobTitle)
	add("Department", a.Department != b.Department)
	add("CompanyName", a.CompanyName != b.CompanyName)
	add("PhysicalDeliveryOfficeName", a.OfficeLocation != b.OfficeLocation)
	add("Mobile", a.MobilePhone != b.MobilePhone)
	add("PreferredLanguage", a.PreferredLanguage != b.PreferredLanguage)
	add("UsageLocation", a.UsageLocation != b.UsageLocation)
	add("City", a.City != b.City)
	add("Country", a.Country != b.Country)
	add("State", a.State != b.State)
	add("StreetAddress", a.StreetAddress != b.StreetAddress)
	add("PostalCode", a.PostalCode != b.PostalCode)
	add("EmployeeId", a.EmployeeID != b.EmployeeID)
	add("EmployeeType", a.EmployeeType != b.EmployeeType)
	add("UserType", a.UserType != b.UserType)
	add("ExtensionAttributes", a.ExtensionAttributes != b.ExtensionAttributes)
	// Directory attribute names for the properties below follow the same pattern [unc: not seen in
	// a real audit record].
	add("PasswordPolicies", a.PasswordPolicies != b.PasswordPolicies)
	add("AgeGroup", a.AgeGroup != b.AgeGroup)
	add("ConsentProvidedForMinor", a.ConsentProvidedForMinor != b.ConsentProvidedForMinor)
	add("ImmutableId", a.OnPremisesImmutableID != b.OnPremisesImmutableID)
	add("EmployeeHireDate", !sameTime(a.EmployeeHireDate, b.EmployeeHireDate))
	add("EmployeeLeaveDateTime", !sameTime(a.EmployeeLeaveDateTime, b.EmployeeLeaveDateTime))
	add("Division", a.EmployeeOrgData.Division != b.EmployeeOrgData.Division)
	add("CostCenter", a.EmployeeOrgData.CostCenter != b.EmployeeOrgData.CostCenter)
	add("ShowInAddressList", !sameBool(a.ShowInAddressList, b.ShowInAddressList))
	add("Identities", !sameIdentities(a.Identities, b.Identities))
	add("OtherMails", strings.Join(a.OtherMails, "\x00") != strings.Join(b.OtherMails, "\x00"))
	add("TelephoneNumber", strings.Join(a.BusinessPhones, "\x00") != strings.Join(b.BusinessPhones, "\x00"))
	add("PasswordProfile", b.PasswordProfile != nil && (a.PasswordProfile == nil || *a.PasswordProfile != *b.PasswordProfile))
	return out
}

func strPtr(s string) *string { return &s }

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func sameBool(a, b *bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// jsonString returns v JSON-encoded, as audit modifiedProperties carry values (graph-facts §1.6).
func jsonString(v any) *string {
	b, _ := json.Marshal(v)
	s := string(b)
	return &s
}

// UsersByIndex calls fn for each active user whose indexed property (IndexDisplayName, IndexMail,
// IndexUPN) equals value, or starts with it when prefix is set; case-insensitive.
func (tx *Txn) UsersByIndex(index, value string, prefix bool, fn func(*User) bool) error {
	if prefix {
		index += "_prefix"
	}
	return tx.eachUser(index, func(u *User) bool {
		if u.Deleted() {
			return true
		}
		return fn(u)
	}, strings.ToLower(value))
}

// userLengthLimits are the documented maximum lengths of user string properties (graph-facts §1.1).
var userLengthLimits = []struct {
	name string
	max  int
	get  func(*User) string
}{
	{"jobTitle", 128, func(u *User) string { return u.JobTitle }},
	{"department", 64, func(u *User) string { return u.Department }},
	{"companyName", 64, func(u *User) string { return u.CompanyName }},
	{"city", 128, func(u *User) string { return u.City }},
	{"country", 128, func(u *User) string { return u.Country }},
	{"givenName", 64, func(u *User) string { return u.GivenName }},
	{"surname", 64, func(u *User) string { return u.Surname }},
	{"userPrincipalName", 113, func(u *User) string { return u.UserPrincipalName }},
}

// validUPN checks a userPrincipalName's shape: alias@domain with one "@", an alias of the
// characters the directory allows (A-Z a-z 0-9 ' . - _ ! # ^ ~), no leading or trailing dot in the
// alias, and a domain part.
func validUPN(upn string) bool {
	alias, domain, ok := strings.Cut(upn, "@")
	if !ok || alias == "" || domain == "" || strings.Contains(domain, "@") ||
		strings.HasPrefix(alias, ".") || strings.HasSuffix(alias, ".") || len(alias) > 64 {
		return false
	}
	for i := 0; i < len(alias); i++ {
		c := alias[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("'.-_!#^~", c) >= 0) {
			return false
		}
	}
	return true
}

// TableUserLicenses holds each licensed user's license fields and records, keyed by user id.
// They are kept out of the users table, whose four indexes make every user write four radix
// tree inserts: a group run rewrites the license fields of every member, and writes one
// single-index row per user instead. The Txn user getters merge the two rows, so a *User read
// through them carries its license fields.
const TableUserLicenses = "userLicenses"

// userLicenses is a user's row in TableUserLicenses. Like other stored objects it is never
// changed once stored.
type userLicenses struct {
	ID       string // the user id, lower-case
	licenses []AssignedLicense
	plans    []AssignedPlan
	states   []LicenseAssignmentState
	recs     []*LicenseAssignment
}

func userLicensesTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableUserLicenses, Indexes: map[string]*memdb.IndexSchema{
		IndexID: {Name: IndexID, Unique: true, Indexer: strIndex{lower: true, get: func(obj any) (string, bool) {
			r, ok := obj.(*userLicenses)
			if !ok {
				return "", false
			}
			return r.ID, true
		}}},
	}}
}

// licenseRow returns the license row of user id (lower-case), or nil.
func (tx *Txn) licenseRow(id string) (*userLicenses, error) {
	raw, err := tx.first(TableUserLicenses, IndexID, id)
	if err != nil || raw == nil {
		return nil, err
	}
	return raw.(*userLicenses), nil
}

// withLicenses returns the stored user row u with its license fields: u itself when the user
// has no license row, else a shallow copy (stored objects are never changed in place).
func (tx *Txn) withLicenses(u *User) (*User, error) {
	r, err := tx.licenseRow(u.ID)
	if err != nil || r == nil {
		return u, err
	}
	return r.merge(u), nil
}

// merge returns a shallow copy of user u with r's license fields.
func (r *userLicenses) merge(u *User) *User {
	c := *u
	c.AssignedLicenses, c.AssignedPlans, c.LicenseAssignmentStates, c.licRecs = r.licenses, r.plans, r.states, r.recs
	return &c
}

// eachUser calls fn with each user of the users index scan, license fields merged, until fn
// returns false.
func (tx *Txn) eachUser(index string, fn func(*User) bool, args ...any) error {
	var err error
	if e := tx.each(TableUsers, index, func(raw any) bool {
		var u *User
		if u, err = tx.withLicenses(raw.(*User)); err != nil {
			return false
		}
		return fn(u)
	}, args...); e != nil {
		return e
	}
	return err
}

// putUserRow writes u's profile to the users table; its license fields are stored apart
// (putLicenseRow) and left out of the row.
func (tx *Txn) putUserRow(u *User) error {
	if u.AssignedLicenses != nil || u.AssignedPlans != nil || u.LicenseAssignmentStates != nil || u.licRecs != nil {
		c := *u
		c.AssignedLicenses, c.AssignedPlans, c.LicenseAssignmentStates, c.licRecs = nil, nil, nil, nil
		u = &c
	}
	return tx.insert(TableUsers, u)
}

// putLicenseRow writes u's license fields and records to the user's license row.
func (tx *Txn) putLicenseRow(u *User) error {
	return tx.insert(TableUserLicenses, &userLicenses{ID: strings.ToLower(u.ID), licenses: u.AssignedLicenses,
		plans: u.AssignedPlans, states: u.LicenseAssignmentStates, recs: u.licRecs})
}

// deleteUserRows removes user u's row and license row.
func (tx *Txn) deleteUserRows(u *User) error {
	if err := tx.delete(TableUsers, u); err != nil {
		return err
	}
	r, err := tx.licenseRow(strings.ToLower(u.ID))
	if err != nil || r == nil {
		return err
	}
	return tx.delete(TableUserLicenses, r)
}
