package engine

import (
	"slices"
	"strings"
)

// AssignLicense applies POST /users/{id | userPrincipalName}/assignLicense (graph-facts §2.4):
// add (or, for a SKU the user already holds directly, replace the disabledPlans of) direct
// licenses and remove direct ones, all or nothing, and records "Change user license".
// It returns the updated user.
//
// Errors (400 Request_BadRequest, graph-facts §3.3): a skuId the tenant doesn't subscribe to
// (MsgInvalidCompanyLicense, for adds and removes), a disabled plan outside its SKU
// (MsgPlanNotInSku), no usageLocation while adding (MsgInvalidUsageLocation), no free seat
// (MsgNoAvailableLicenses), removing a SKU the user doesn't hold (MsgNoCorrespondingLicense) or
// holds only through groups (MsgInheritedLicense), mutually exclusive plans (MsgConflictingPlans),
// missing prerequisites (MsgDependency), a usage location limit (MsgProhibitedLocation), a SKU
// named twice or no change at all (MsgInvalidLicenseChange); 404 for an unknown user.
func (tx *Txn) AssignLicense(userRef string, add []AssignedLicense, remove []string) (*User, error) {
	u, err := tx.UserByRef(userRef)
	if err != nil {
		return nil, err
	}
	if len(add) == 0 && len(remove) == 0 {
		return nil, BadRequest(MsgInvalidLicenseChange)
	}
	named := map[string]bool{}
	for _, l := range add {
		if _, err := tx.checkLicenseInput(l); err != nil {
			return nil, err
		}
		k := strings.ToLower(l.SkuID)
		if named[k] {
			return nil, BadRequest(MsgInvalidLicenseChange)
		}
		named[k] = true
	}
	for _, id := range remove {
		if si, err := tx.licSku(strings.ToLower(id)); err != nil {
			return nil, err
		} else if si == nil {
			return nil, BadRequest(MsgInvalidCompanyLicense, id)
		}
		k := strings.ToLower(id)
		if named[k] {
			return nil, BadRequest(MsgInvalidLicenseChange)
		}
		named[k] = true
	}
	if len(add) > 0 && u.UsageLocation == "" {
		return nil, BadRequest(MsgInvalidUsageLocation)
	}
	before, err := tx.LicenseAssignments(u.ID)
	if err != nil {
		return nil, err
	}
	after := slices.Clone(before)
	for _, id := range remove {
		id = strings.ToLower(id)
		i := slices.IndexFunc(after, func(r *LicenseAssignment) bool { return r.SkuID == id && r.Path == DirectPath })
		if i < 0 {
			if slices.ContainsFunc(after, func(r *LicenseAssignment) bool { return r.SkuID == id }) {
				return nil, BadRequest(MsgInheritedLicense)
			}
			return nil, BadRequest(MsgNoCorrespondingLicense)
		}
		after = slices.Delete(after, i, i+1)
	}
	var adding []string
	for _, l := range add {
		id := strings.ToLower(l.SkuID)
		adding = append(adding, id)
		rec := &LicenseAssignment{UserID: u.ID, SkuID: id, Path: DirectPath, DisabledPlans: normalizePlans(l.DisabledPlans),
			State: LicenseStateActive, Error: LicenseErrorNone, LastUpdatedDateTime: tx.now}
		if i := slices.IndexFunc(after, func(r *LicenseAssignment) bool { return r.SkuID == id && r.Path == DirectPath }); i >= 0 {
			after[i] = rec
		} else {
			after = append(after, rec)
		}
	}
	v, err := tx.validateLicenses(before, after, u.UsageLocation, adding)
	if err != nil {
		return nil, err
	}
	if v != nil {
		return nil, BadRequest("%s", v.message)
	}
	r, err := tx.writeUserLicenses(u, u.AssignedPlans, before, after, true)
	if err != nil {
		return nil, err
	}
	if err := tx.auditUserLicense(tx.actor, u, u.AssignedLicenses, r.licenses, ""); err != nil {
		return nil, err
	}
	return r.merge(u), nil
}
