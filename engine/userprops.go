package engine

import "strings"

// Password policies a user's passwordPolicies can name (user.md: "DisablePasswordExpiration,
// DisableStrongPassword"; "None" is what the directory writes for none).
const (
	PasswordPolicyNone                      = "None"
	PasswordPolicyDisablePasswordExpiration = "DisablePasswordExpiration"
	// PasswordPolicyDisableStrongPassword "allows weaker passwords than the default policy to be
	// specified" (user.md): graphmock lifts the three-of-four character classes rule for it.
	PasswordPolicyDisableStrongPassword = "DisableStrongPassword"
)

// msgPasswordComplexity is Graph's answer to a password the policy refuses: 400
// Request_BadRequest [obs: quoted verbatim by many client libraries and scripts that match on it].
const msgPasswordComplexity = "The specified password does not comply with password complexity requirements. Please provide a different password."

// PasswordComplexity builds the 400 for a password that breaks the password policy.
func PasswordComplexity() *Error { return BadRequest(msgPasswordComplexity) }

// Password length limits of Microsoft Entra's password policy for cloud accounts.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// CheckPassword applies Microsoft Entra's password policy for cloud accounts
// (entra-docs concept-password-ban-bad-combined-policy, "Microsoft Entra password policies"):
//
//   - 8 to 256 characters;
//   - only A–Z, a–z, 0–9, the symbols @ # $ % ^ & * - _ ! + = [ ] { } | \ : ' , . ? / ` ~ " ( ) ; < >
//     and blank space — that is, printable ASCII; other Unicode characters are refused;
//   - at least three of the four classes: upper-case, lower-case, digits, symbols.
//
// A user whose passwordPolicies include DisableStrongPassword may have a weaker password: Entra
// lifts the complexity rule for it. graphmock drops the three-of-four rule and keeps length and
// characters [unc: Microsoft documents only "allows weaker passwords"]. Not modelled: the banned
// password list (global and custom), and "not recently used" on change.
func CheckPassword(pw, policies string) error {
	if len(pw) < MinPasswordLength || len(pw) > MaxPasswordLength {
		return PasswordComplexity()
	}
	var lower, upper, digit, symbol bool
	for i := 0; i < len(pw); i++ {
		switch c := pw[i]; {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		case c >= ' ' && c <= '~':
			symbol = true
		default: // control characters and any byte of a non-ASCII character
			return PasswordComplexity()
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, symbol} {
		if b {
			classes++
		}
	}
	if classes < 3 && !HasPasswordPolicy(policies, PasswordPolicyDisableStrongPassword) {
		return PasswordComplexity()
	}
	return nil
}

// HasPasswordPolicy reports whether a passwordPolicies value names policy (case-insensitive).
func HasPasswordPolicy(policies, policy string) bool {
	for p := range strings.SplitSeq(policies, ",") {
		if strings.EqualFold(strings.TrimSpace(p), policy) {
			return true
		}
	}
	return false
}

// validPasswordPolicies reports whether every comma-separated item of a passwordPolicies value
// is None, DisablePasswordExpiration or DisableStrongPassword [unc: the directory's exact rule is
// not documented; client code writes "A, B" and "A,B"].
func validPasswordPolicies(s string) bool {
	for p := range strings.SplitSeq(s, ",") {
		p = strings.TrimSpace(p)
		if !strings.EqualFold(p, PasswordPolicyNone) && !strings.EqualFold(p, PasswordPolicyDisablePasswordExpiration) &&
			!strings.EqualFold(p, PasswordPolicyDisableStrongPassword) {
			return false
		}
	}
	return true
}

// Allowed values of ageGroup and consentProvidedForMinor (user.md; null is "").
var (
	ageGroups               = []string{"Minor", "NotAdult", "Adult"}
	consentsProvidedByMinor = []string{"Granted", "Denied", "NotRequired"}
)

// canonicalEnum returns the allowed value equal to v ignoring case, or false. "" (null) is allowed.
func canonicalEnum(v string, allowed []string) (string, bool) {
	if v == "" {
		return "", true
	}
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return a, true
		}
	}
	return "", false
}

// normalizeUserEnums checks ageGroup and consentProvidedForMinor and writes their canonical
// spelling; an unknown value is the directory's InvalidValue 400 [unc: the directory is assumed
// to read the values case-insensitively, as it does other enumerations].
func normalizeUserEnums(u *User) error {
	var ok bool
	if u.AgeGroup, ok = canonicalEnum(u.AgeGroup, ageGroups); !ok {
		return InvalidValue("ageGroup", "User")
	}
	if u.ConsentProvidedForMinor, ok = canonicalEnum(u.ConsentProvidedForMinor, consentsProvidedByMinor); !ok {
		return InvalidValue("consentProvidedForMinor", "User")
	}
	return nil
}

// Identity sign-in types with their own rules (objectIdentity.md).
const (
	SignInTypeUserPrincipalName = "userPrincipalName"
	SignInTypeFederated         = "federated"
)

// applyUPNIdentity makes a userPrincipalName identity written by the caller set
// userPrincipalName, as objectIdentity.md says ("Setting or updating a userPrincipalName
// identity updates the value of the userPrincipalName property"): when the identity names
// another value than oldUPN and userPrincipalName itself was not changed.
func applyUPNIdentity(u *User, oldUPN string) {
	if !strings.EqualFold(u.UserPrincipalName, oldUPN) {
		return
	}
	for _, id := range u.Identities {
		if strings.EqualFold(id.SignInType, SignInTypeUserPrincipalName) && id.IssuerAssignedID != "" &&
			!strings.EqualFold(id.IssuerAssignedID, oldUPN) {
			u.UserPrincipalName = id.IssuerAssignedID
			return
		}
	}
}

// validIdentities checks the identities other than userPrincipalName ones (which the engine
// rebuilds): a signInType and an issuer (at most 512 characters); an issuerAssignedId (at most
// 64 characters) except for federated identities, which B2B guests hold without one; an email
// address for emailAddress types; letters, digits, - and _ starting with a letter or digit for
// userName; no pair (issuer, issuerAssignedId) twice (objectIdentity.md).
func validIdentities(ids []ObjectIdentity) bool {
	seen := map[[2]string]bool{}
	for _, id := range ids {
		if strings.EqualFold(id.SignInType, SignInTypeUserPrincipalName) {
			continue
		}
		if id.SignInType == "" || id.Issuer == "" || len(id.Issuer) > 512 || len(id.IssuerAssignedID) > 64 {
			return false
		}
		switch t := strings.ToLower(id.SignInType); {
		case t == "federated":
		case id.IssuerAssignedID == "":
			return false
		case strings.HasPrefix(t, "emailaddress"):
			local, domain, ok := strings.Cut(id.IssuerAssignedID, "@")
			if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
				return false
			}
		case t == "username":
			for i := 0; i < len(id.IssuerAssignedID); i++ {
				c := id.IssuerAssignedID[i]
				alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
				if !alnum && (i == 0 || c != '-' && c != '_') {
					return false
				}
			}
		}
		if id.IssuerAssignedID != "" {
			k := [2]string{strings.ToLower(id.Issuer), strings.ToLower(id.IssuerAssignedID)}
			if seen[k] {
				return false
			}
			seen[k] = true
		}
	}
	return true
}

// identityIssuer is the issuer of the users' userPrincipalName identities: the tenant's initial
// domain (its onmicrosoft.com domain), else its default domain. objectIdentity.md calls it "the
// local default domain name for the tenant"; responses quoted by third parties show the
// onmicrosoft.com domain for users of custom domains [unc].
func identityIssuer(org *Organization) string {
	for _, d := range org.VerifiedDomains {
		if d.IsInitial {
			return d.Name
		}
	}
	return org.DefaultDomain()
}

// syncIdentities keeps u's identities as the directory shows them: one userPrincipalName
// identity first, {userPrincipalName, issuer, the user's userPrincipalName}, then the others as
// written. A user's identities are never empty.
func syncIdentities(u *User, issuer string) {
	upn := ObjectIdentity{SignInType: SignInTypeUserPrincipalName, Issuer: issuer, IssuerAssignedID: u.UserPrincipalName}
	if len(u.Identities) > 0 && u.Identities[0] == upn {
		clean := true
		for _, id := range u.Identities[1:] {
			if strings.EqualFold(id.SignInType, SignInTypeUserPrincipalName) {
				clean = false
				break
			}
		}
		if clean {
			return
		}
	}
	out := make([]ObjectIdentity, 1, len(u.Identities)+1)
	out[0] = upn
	for _, id := range u.Identities {
		if !strings.EqualFold(id.SignInType, SignInTypeUserPrincipalName) {
			out = append(out, id)
		}
	}
	u.Identities = out
}

// sameIdentities reports whether two identity lists are equal.
func sameIdentities(a, b []ObjectIdentity) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkUniqueUserValues refuses values another active user already holds:
// onPremisesImmutableId, and a sign-in identity (issuer, issuerAssignedId) other than
// userPrincipalName (user.md, objectIdentity.md: "The combination of issuer and issuerAssignedId
// must be unique within the organization"). old is the stored user (nil on create): values it
// already held are not checked again. onPremisesImmutableId is looked up in its index; new
// identities (rare outside B2C tenants) scan the users.
func (tx *Txn) checkUniqueUserValues(u, old *User) error {
	checkImmutable := u.OnPremisesImmutableID != "" && (old == nil || old.OnPremisesImmutableID != u.OnPremisesImmutableID)
	var ids [][2]string
	for _, id := range u.Identities {
		if strings.EqualFold(id.SignInType, SignInTypeUserPrincipalName) || id.IssuerAssignedID == "" {
			continue
		}
		if old != nil && hasIdentity(old.Identities, id) {
			continue
		}
		ids = append(ids, [2]string{id.Issuer, id.IssuerAssignedID})
	}
	if !checkImmutable && len(ids) == 0 {
		return nil
	}
	if checkImmutable {
		taken := false
		err := tx.each(TableUsers, IndexImmutableID, func(raw any) bool {
			o := raw.(*User)
			// The index is case-insensitive; the property's values are compared as written.
			taken = !o.Deleted() && !strings.EqualFold(o.ID, u.ID) && o.OnPremisesImmutableID == u.OnPremisesImmutableID
			return !taken
		}, u.OnPremisesImmutableID)
		if err != nil {
			return err
		}
		if taken {
			// The duplicate-value wording Graph uses for userPrincipalName (graph-facts §3.2) [unc for this property].
			return DuplicateValue("onPremisesImmutableId")
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var dup string
	err := tx.each(TableUsers, IndexID, func(raw any) bool {
		o := raw.(*User)
		if o.Deleted() || strings.EqualFold(o.ID, u.ID) {
			return true
		}
		for _, k := range ids {
			if hasIdentity(o.Identities, ObjectIdentity{Issuer: k[0], IssuerAssignedID: k[1]}) {
				dup = "identities"
				return false
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	if dup != "" {
		// The duplicate-value wording Graph uses for userPrincipalName (graph-facts §3.2) [unc for these properties].
		return DuplicateValue(dup)
	}
	return nil
}

// hasIdentity reports whether list holds an identity with id's issuer and issuerAssignedId
// (case-insensitive) and a type other than userPrincipalName.
func hasIdentity(list []ObjectIdentity, id ObjectIdentity) bool {
	for _, o := range list {
		if !strings.EqualFold(o.SignInType, SignInTypeUserPrincipalName) &&
			strings.EqualFold(o.Issuer, id.Issuer) && strings.EqualFold(o.IssuerAssignedID, id.IssuerAssignedID) {
			return true
		}
	}
	return false
}
