package engine

import (
	"slices"
	"strings"
)

// UserChanged keeps licenses in step with a user's lifecycle: a soft-deleted user frees its
// seats (its records stay, for a restore); a restored user takes seats again where some are free
// (SKUs without a free seat go to Error/CountViolation) and its group paths are queued for
// processing.
func (l *licensing) UserChanged(tx *Txn, old, new *User) error {
	if old == nil || old.Deleted() == new.Deleted() {
		return nil
	}
	recs, err := tx.LicenseAssignments(new.ID)
	if err != nil {
		return err
	}
	if new.Deleted() {
		for _, sku := range heldSkus(recs) {
			si, err := tx.licSku(sku)
			if err != nil {
				return err
			}
			if si != nil {
				tx.addConsumed(si, -1)
			}
		}
		return nil
	}
	after := make([]*LicenseAssignment, len(recs))
	copy(after, recs)
	for _, sku := range heldSkus(recs) {
		si, err := tx.licSku(sku)
		if err != nil {
			return err
		}
		if si != nil && si.sku.ConsumedUnits < si.sku.PrepaidUnits.Enabled {
			continue
		}
		for i, r := range after {
			if r.SkuID == sku && r.Holds() {
				c := r.clone()
				c.State, c.Error, c.LastUpdatedDateTime = LicenseStateError, LicenseErrorCountViolation, tx.now
				after[i] = c
			}
		}
	}
	if len(recs) > 0 {
		if _, err := tx.writeUserLicenses(new, new.AssignedPlans, recs, after, false); err != nil {
			return err
		}
	}
	return l.queueUserGroups(tx, new, after)
}

// queueUserGroups queues processing of a user for every group it holds records from or is a
// direct member of with licenses.
func (l *licensing) queueUserGroups(tx *Txn, u *User, recs []*LicenseAssignment) error {
	groups := map[string]bool{}
	for _, r := range recs {
		if r.GroupID != "" {
			groups[r.GroupID] = true
		}
	}
	memberOf, err := tx.MemberOf(u.ID)
	if err != nil {
		return err
	}
	for _, g := range memberOf {
		if len(g.AssignedLicenses) > 0 {
			groups[g.ID] = true
		}
	}
	for gid := range groups {
		if err := l.queueUser(tx, gid, u.ID); err != nil {
			return err
		}
	}
	return nil
}

// queueUser queues processing of one user for one group and shows the group as queued.
func (l *licensing) queueUser(tx *Txn, gid, uid string) error {
	g, err := tx.groupAny(gid)
	if err != nil {
		return err
	}
	if g != nil && !g.Deleted() && len(g.AssignedLicenses) > 0 && g.LicenseProcessingState != ProcessingQueued {
		if _, err := tx.PutGroupLicenses(g.ID, g.AssignedLicenses, ProcessingQueued); err != nil {
			return err
		}
	}
	tx.Enqueue(Task{Kind: TaskGroupLicense, Key: strings.ToLower(gid), Data: &groupTask{Users: map[string]bool{strings.ToLower(uid): true}},
		CorrelationID: tx.correlationID, Actor: l.systemActor()})
	return nil
}

// GroupChanged needs no work: a licensed group can't be deleted, and a restored group has none.
func (l *licensing) GroupChanged(*Txn, *Group, *Group) error { return nil }

// MembershipChanged queues processing of a user who joined or left a group that has licenses
// (or from which the user holds records). Non-user members get nothing: group-based licensing
// applies to direct user members only (graph-facts §4.1).
func (l *licensing) MembershipChanged(tx *Txn, m Membership, added bool) error {
	if m.MemberKind != ObjectUser {
		return nil
	}
	g, err := tx.groupAny(m.GroupID)
	if err != nil || g == nil {
		return err
	}
	if len(g.AssignedLicenses) == 0 {
		recs, err := tx.LicenseAssignments(m.MemberID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(recs, func(r *LicenseAssignment) bool { return r.Path == g.ID }) {
			return nil
		}
	}
	return l.queueUser(tx, g.ID, m.MemberID)
}
