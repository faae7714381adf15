package engine

import (
	"slices"
	"sort"
	"strings"
)

// AddServicePlan adds a service plan to a subscribed SKU, as Microsoft does when it extends a
// product (Graph has no API for it; the control plane offers one). The new plan is enabled by
// default in every group and direct assignment of the SKU, because assignments store disabled
// plans (graph-facts §4.4): every holder's assignedPlans gain it at once.
// Errors: 404 for a SKU the tenant lacks; 400 for a non-GUID id, an empty name, an appliesTo other
// than "User" or "Company" (empty means "User") or a plan the SKU has.
func (tx *Txn) AddServicePlan(skuID string, plan ServicePlanInfo) (*SubscribedSku, error) {
	skuID = strings.ToLower(skuID)
	cur, err := tx.SubscribedSkuByID(skuID)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		return nil, NotFound(skuID)
	}
	if !IsGUID(plan.ServicePlanID) {
		return nil, InvalidValue("servicePlanId", "ServicePlanInfo")
	}
	if strings.TrimSpace(plan.ServicePlanName) == "" {
		return nil, MissingValue("servicePlanName")
	}
	plan.ServicePlanID = strings.ToLower(plan.ServicePlanID)
	if cur.HasPlan(plan.ServicePlanID) {
		return nil, BadRequest("Service plan %s is already part of subscription %s.", plan.ServicePlanID, skuID)
	}
	if plan.ProvisioningStatus == "" {
		plan.ProvisioningStatus = "Success"
	}
	applies, ok := NormalizeAppliesTo(plan.AppliesTo)
	if !ok {
		return nil, BadRequest("appliesTo '%s' is not valid: use \"User\" or \"Company\".", plan.AppliesTo)
	}
	plan.AppliesTo = applies
	if err := tx.flushLicensing(); err != nil {
		return nil, err
	}
	if cur, err = tx.SubscribedSkuByID(skuID); err != nil {
		return nil, err
	}
	s := cur.Clone()
	s.ServicePlans = append(s.ServicePlans, plan)
	if err := tx.PutSubscribedSku(s); err != nil {
		return nil, err
	}
	tx.forgetSku(skuID)
	return s, tx.refreshHolders(skuID)
}

// refreshHolders recomputes the license fields of every user holding a record of skuID.
func (tx *Txn) refreshHolders(skuID string) error {
	var users []string
	if err := tx.eachLicenseRecord(func(r *LicenseAssignment) bool {
		if r.SkuID == skuID && !slices.Contains(users, r.UserID) {
			users = append(users, r.UserID)
		}
		return true
	}); err != nil {
		return err
	}
	sort.Strings(users)
	for _, id := range users {
		u, err := tx.userAny(id)
		if err != nil || u == nil {
			return err
		}
		recs, err := tx.LicenseAssignments(id)
		if err != nil {
			return err
		}
		ls, ps, ss, err := tx.userLicenseFields(u.AssignedPlans, recs)
		if err != nil {
			return err
		}
		if _, err := tx.PutUserLicenses(id, ls, ps, ss); err != nil {
			return err
		}
	}
	return nil
}

// SetPrepaidUnits changes a SKU's seats (prepaidUnits), as buying or cancelling licenses does.
// Users in CountViolation are not fixed by it: they wait for a reprocess (graph-facts §4.5).
// Errors: 404 for a SKU the tenant lacks; 400 when enabled is negative or below consumedUnits.
func (tx *Txn) SetPrepaidUnits(skuID string, units LicenseUnits) (*SubscribedSku, error) {
	skuID = strings.ToLower(skuID)
	if err := tx.flushLicensing(); err != nil {
		return nil, err
	}
	cur, err := tx.SubscribedSkuByID(skuID)
	if err != nil {
		return nil, err
	}
	if cur == nil {
		return nil, NotFound(skuID)
	}
	if units.Enabled < 0 || units.Suspended < 0 || units.Warning < 0 || units.LockedOut < 0 {
		return nil, InvalidValue("prepaidUnits", "SubscribedSku")
	}
	if units.Enabled < cur.ConsumedUnits {
		return nil, BadRequest("prepaidUnits.enabled (%d) can't be lower than consumedUnits (%d): remove licenses first.", units.Enabled, cur.ConsumedUnits)
	}
	s := cur.Clone()
	s.PrepaidUnits = units
	if err := tx.PutSubscribedSku(s); err != nil {
		return nil, err
	}
	tx.forgetSku(skuID)
	return s, nil
}

// NormalizeAppliesTo returns the servicePlanInfo.appliesTo value Graph uses for v ("User" or
// "Company", any case; "" means "User"); false for any other value.
func NormalizeAppliesTo(v string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "user":
		return "User", true
	case "company":
		return "Company", true
	}
	return "", false
}
