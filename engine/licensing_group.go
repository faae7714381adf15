package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// groupTask is the payload of a TaskGroupLicense task.
type groupTask struct {
	// Users limits processing to these user ids; nil means every direct user member of the group
	// and every user holding a record from it.
	Users map[string]bool
}

func mergeGroupTasks(queued, next *Task) {
	a, _ := queued.Data.(*groupTask)
	b, _ := next.Data.(*groupTask)
	switch {
	case a == nil || b == nil || a.Users == nil || b.Users == nil:
		queued.Data = &groupTask{}
	default:
		for id := range b.Users {
			a.Users[id] = true
		}
	}
	queued.CorrelationID, queued.Actor = next.CorrelationID, next.Actor
}

// AssignGroupLicense applies POST /groups/{id}/assignLicense (graph-facts §2.4): the group's
// assignedLicenses change at once (adding a SKU it has replaces its disabledPlans), its
// licenseProcessingState becomes QueuedForProcessing, "Set group license" is recorded with the
// caller as actor, and processing of the members is queued under the same correlation id.
//
// Errors (400 Request_BadRequest): a group that is not security enabled
// (MsgGroupNotSecurityEnabled), a skuId the tenant doesn't subscribe to (MsgInvalidCompanyLicense),
// a disabled plan outside its SKU (MsgPlanNotInSku), removing a SKU the group doesn't have
// (MsgGroupNoCorrespondingLicense), a SKU named twice or no change (MsgInvalidLicenseChange);
// 404 for an unknown group.
func (tx *Txn) AssignGroupLicense(groupID string, add []AssignedLicense, remove []string) (*Group, error) {
	g, err := tx.GroupByID(groupID)
	if err != nil {
		return nil, err
	}
	if !g.SecurityEnabled {
		return nil, BadRequest(MsgGroupNotSecurityEnabled)
	}
	if len(add) == 0 && len(remove) == 0 {
		return nil, BadRequest(MsgInvalidLicenseChange)
	}
	named := map[string]bool{}
	licenses := cloneLicenses(g.AssignedLicenses)
	for _, id := range remove {
		k := strings.ToLower(id)
		if si, err := tx.licSku(k); err != nil {
			return nil, err
		} else if si == nil {
			return nil, BadRequest(MsgInvalidCompanyLicense, id)
		}
		if named[k] {
			return nil, BadRequest(MsgInvalidLicenseChange)
		}
		named[k] = true
		i := slices.IndexFunc(licenses, func(l AssignedLicense) bool { return l.SkuID == k })
		if i < 0 {
			return nil, BadRequest(MsgGroupNoCorrespondingLicense)
		}
		licenses = slices.Delete(licenses, i, i+1)
	}
	for _, l := range add {
		if _, err := tx.checkLicenseInput(l); err != nil {
			return nil, err
		}
		k := strings.ToLower(l.SkuID)
		if named[k] {
			return nil, BadRequest(MsgInvalidLicenseChange)
		}
		named[k] = true
		nl := AssignedLicense{SkuID: k, DisabledPlans: normalizePlans(l.DisabledPlans)}
		if i := slices.IndexFunc(licenses, func(x AssignedLicense) bool { return x.SkuID == k }); i >= 0 {
			licenses[i] = nl
		} else {
			licenses = append(licenses, nl)
		}
	}
	if len(licenses) == 0 {
		licenses = nil
	}
	ng, err := tx.PutGroupLicenses(g.ID, licenses, ProcessingQueued)
	if err != nil {
		return nil, err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivitySetGroupLicense, OperationType: "Update",
		TargetResources: []TargetResource{groupTarget(ng, ModifiedProperty{DisplayName: "AssignedLicense",
			OldValue: tx.licenseAuditValue(g.AssignedLicenses), NewValue: tx.licenseAuditValue(ng.AssignedLicenses)})}}); err != nil {
		return nil, err
	}
	tx.Enqueue(Task{Kind: TaskGroupLicense, Key: ng.ID, Data: &groupTask{}, CorrelationID: tx.correlationID, Actor: tx.s.lic.systemActor()})
	return ng, nil
}

// ReprocessGroupLicenses is the portal's group "Reprocess" (Graph has no API for it, graph-facts
// §4.5): it records "Trigger group license recalculation" with the caller as actor and queues
// processing of every member, which retries records in error. Errors: 404 for an unknown group.
func (tx *Txn) ReprocessGroupLicenses(groupID string) (*Group, error) {
	g, err := tx.GroupByID(groupID)
	if err != nil {
		return nil, err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityTriggerGroupLicensing,
		OperationType: "Update", TargetResources: []TargetResource{groupTarget(g)}}); err != nil {
		return nil, err
	}
	if len(g.AssignedLicenses) > 0 && g.LicenseProcessingState != ProcessingQueued {
		if g, err = tx.PutGroupLicenses(g.ID, g.AssignedLicenses, ProcessingQueued); err != nil {
			return nil, err
		}
	}
	tx.Enqueue(Task{Kind: TaskGroupLicense, Key: g.ID, Data: &groupTask{}, CorrelationID: tx.correlationID, Actor: tx.s.lic.systemActor()})
	return g, nil
}

// ReprocessLicenseAssignment applies POST /users/{id}/reprocessLicenseAssignment (graph-facts
// §4.5): every group path of the user is evaluated again at once (records in error are retried,
// e.g. after seats were freed) and direct records in error are retried. Each change or failure is
// recorded as "Change user license". Returns the updated user; 404 for an unknown user.
func (tx *Txn) ReprocessLicenseAssignment(userRef string) (*User, error) {
	u, err := tx.UserByRef(userRef)
	if err != nil {
		return nil, err
	}
	groups := map[string]bool{}
	recs, err := tx.LicenseAssignments(u.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if r.GroupID != "" {
			groups[r.GroupID] = true
		}
	}
	memberOf, err := tx.MemberOf(u.ID)
	if err != nil {
		return nil, err
	}
	for _, g := range memberOf {
		if len(g.AssignedLicenses) > 0 {
			groups[g.ID] = true
		}
	}
	ids := make([]string, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if err := tx.retryDirect(u.ID); err != nil {
		return nil, err
	}
	for _, gid := range ids {
		g, err := tx.groupAny(gid)
		if err != nil {
			return nil, err
		}
		if _, err := tx.processUserGroup(tx.actor, u.ID, gid, g); err != nil {
			return nil, err
		}
	}
	return tx.UserByID(u.ID)
}

// retryDirect re-validates a user's direct records in error (left so by a restore without seats).
func (tx *Txn) retryDirect(userID string) error {
	u, err := tx.UserByID(userID)
	if err != nil {
		return err
	}
	before, err := tx.LicenseAssignments(u.ID)
	if err != nil {
		return err
	}
	changed := false
	after := slices.Clone(before)
	for i, r := range after {
		if r.Path != DirectPath || r.Holds() {
			continue
		}
		try := slices.Clone(after)
		c := r.clone()
		c.State, c.Error, c.LastUpdatedDateTime = LicenseStateActive, LicenseErrorNone, tx.now
		try[i] = c
		v, err := tx.validateLicenses(after, try, u.UsageLocation, []string{r.SkuID})
		if err != nil {
			return err
		}
		if v == nil {
			after, changed = try, true
		}
	}
	if !changed {
		return nil
	}
	r, err := tx.writeUserLicenses(u, u.AssignedPlans, before, after, true)
	if err != nil {
		return err
	}
	return tx.auditUserLicense(tx.actor, u, u.AssignedLicenses, r.licenses, "")
}

// userOutcome is how processing one user for one group went.
type userOutcome struct {
	member  bool       // the user is a direct member of a group that has licenses
	failure *violation // the group's licenses could not be applied
}

// userSnap is what processing one user for one group reads from the store. Group runs read every
// member first and then write: reads of an index the transaction has written reset go-memdb's
// cache of writable nodes.
type userSnap struct {
	u      *User         // the stored row, license fields left out; nil: no such active user
	lic    *userLicenses // the user's license row; nil: none
	recs   []*LicenseAssignment
	member bool
}

// licenses returns the user's assignedLicenses.
func (sn *userSnap) licenses() []AssignedLicense {
	if sn.lic == nil {
		return nil
	}
	return sn.lic.licenses
}

// plans returns the user's assignedPlans.
func (sn *userSnap) plans() []AssignedPlan {
	if sn.lic == nil {
		return nil
	}
	return sn.lic.plans
}

// Membership of a user as snapUser is told it.
const (
	memberUnknown = iota // look the link up
	memberNo             // not a direct member
	memberYes            // a direct user member
)

// userReader reads the users of a group run, asked in ascending id order, with one cursor on
// the users table and one on the license rows.
type userReader struct {
	users, licenses seekCursor
}

func (tx *Txn) newUserReader() *userReader {
	return &userReader{
		users:    seekCursor{tx: tx, table: TableUsers, index: IndexID, key: func(row any) string { return row.(*User).ID }},
		licenses: seekCursor{tx: tx, table: TableUserLicenses, index: IndexID, key: func(row any) string { return row.(*userLicenses).ID }},
	}
}

// snapUser reads user userID's current state for processing group gid with rd (cheapest when
// ids are asked in ascending order); member says what is known of its membership.
func (tx *Txn) snapUser(userID, gid string, g *Group, member int, rd *userReader) (userSnap, error) {
	var sn userSnap
	id := strings.ToLower(userID) // stored ids are lower-case
	// The rows apart, not merged: a group run reads every member.
	raw, err := rd.users.find(id)
	if err != nil || raw == nil || raw.(*User).Deleted() {
		return sn, err
	}
	u := raw.(*User)
	if raw, err = rd.licenses.find(id); err != nil {
		return sn, err
	} else if raw != nil {
		sn.lic = raw.(*userLicenses)
	}
	sn.u = u
	if g != nil && !g.Deleted() && g.SecurityEnabled && len(g.AssignedLicenses) > 0 {
		switch member {
		case memberUnknown:
			m, err := tx.membership(gid, userID)
			if err != nil {
				return sn, err
			}
			sn.member = m != nil
		default:
			sn.member = member == memberYes
		}
	}
	if sn.lic != nil && len(sn.lic.recs) > 0 {
		sn.recs = slices.Clone(sn.lic.recs)
	}
	return sn, nil
}

// processUserGroup brings user userID's records from group gid in line with the group (g nil or
// deleted = the group gives nothing); see applyUserGroup.
func (tx *Txn) processUserGroup(actor Actor, userID, gid string, g *Group) (userOutcome, error) {
	sn, err := tx.snapUser(userID, gid, g, memberUnknown, tx.newUserReader())
	if err != nil {
		return userOutcome{}, err
	}
	return tx.applyUserGroup(actor, sn, gid, g)
}

// applyUserGroup applies group gid's licenses to a user read by snapUser: all of the group's
// SKUs or none (graph-facts §4.4). A user who is not a direct member loses the group's records.
// Missing usageLocation falls back to the organization's (never written to the user). Failures
// are recorded on the records, not returned. A change or a failure is audited as
// "Change user license" by actor. It doesn't read the store (see userSnap).
func (tx *Txn) applyUserGroup(actor Actor, sn userSnap, gid string, g *Group) (userOutcome, error) {
	out := userOutcome{member: sn.member}
	u := sn.u
	if u == nil {
		return out, nil
	}
	userID := u.ID
	var desired []AssignedLicense
	if sn.member {
		desired = g.AssignedLicenses
	}
	before := sn.recs
	after := make([]*LicenseAssignment, 0, len(before)+len(desired))
	var priorBuf [4]*LicenseAssignment
	prior := priorBuf[:0] // before's records from gid
	for _, r := range before {
		if r.Path == gid {
			prior = append(prior, r)
		} else {
			after = append(after, r)
		}
	}
	if len(desired) > 0 {
		proposed := slices.Clone(after)
		adding := make([]string, 0, len(desired))
		for _, l := range desired {
			adding = append(adding, l.SkuID)
			if p := recordFor(prior, l.SkuID); p != nil && p.State == LicenseStateActive && slices.Equal(p.DisabledPlans, l.DisabledPlans) {
				proposed = append(proposed, p)
				continue
			}
			// Records are never changed once stored, so they may share the group's slice.
			proposed = append(proposed, &LicenseAssignment{UserID: userID, SkuID: l.SkuID, Path: gid, GroupID: gid,
				DisabledPlans: l.DisabledPlans, State: LicenseStateActive, Error: LicenseErrorNone, LastUpdatedDateTime: tx.now})
		}
		loc := u.UsageLocation
		if loc == "" {
			org, err := tx.licOrg()
			if err != nil {
				return out, err
			}
			loc = org.LicensingUsageLocation()
		}
		var v *violation
		var err error
		if loc == "" {
			// Neither the user nor the organization has a location [unc: the service's code].
			v = &violation{LicenseErrorOther, MsgInvalidUsageLocation}
		} else if v, err = tx.validateLicenses(before, proposed, loc, adding); err != nil {
			return out, err
		}
		if v == nil {
			after = proposed
		} else {
			out.failure = v
			for _, l := range desired {
				p := recordFor(prior, l.SkuID)
				switch {
				case p != nil && p.Holds():
					if p.State == LicenseStateActiveWithError && p.Error == v.code {
						after = append(after, p)
						continue
					}
					c := p.clone()
					c.State, c.Error, c.LastUpdatedDateTime = LicenseStateActiveWithError, v.code, tx.now
					after = append(after, c)
				case p != nil && p.Error == v.code && slices.Equal(p.DisabledPlans, l.DisabledPlans):
					after = append(after, p)
				default:
					after = append(after, &LicenseAssignment{UserID: userID, SkuID: l.SkuID, Path: gid, GroupID: gid,
						DisabledPlans: cloneStrings(l.DisabledPlans), State: LicenseStateError, Error: v.code, LastUpdatedDateTime: tx.now})
				}
			}
		}
	} else if out.member || (g != nil && !g.Deleted()) {
		// The group no longer assigns these SKUs to a member: when dropping them would leave a
		// direct add-on without its prerequisite, the inherited license becomes a direct one
		// (graph-facts §4.4).
		var err error
		if after, err = tx.convertOrphans(userID, before, after, prior); err != nil {
			return out, err
		}
	}
	if sameRecords(before, after) {
		if out.failure != nil {
			return out, tx.auditUserLicense(actor, u, sn.licenses(), sn.licenses(), out.failure.message)
		}
		return out, nil
	}
	r, err := tx.writeUserLicenses(u, sn.plans(), before, after, true)
	if err != nil {
		return out, err
	}
	reason := ""
	if out.failure != nil {
		reason = out.failure.message
	}
	return out, tx.auditUserLicense(actor, u, sn.licenses(), r.licenses, reason)
}

// convertOrphans turns dropped group records into direct ones when dropping them would leave a
// held plan without its prerequisite.
func (tx *Txn) convertOrphans(userID string, before, after []*LicenseAssignment, dropped []*LicenseAssignment) ([]*LicenseAssignment, error) {
	if len(dropped) == 0 || len(tx.s.lic.cons.Prerequisites) == 0 {
		return after, nil
	}
	plans, err := tx.enabledPlans(after)
	if err != nil {
		return nil, err
	}
	if _, _, missing := tx.s.lic.cons.MissingPrerequisite(plans); !missing {
		return after, nil
	}
	skus := make([]string, 0, len(dropped))
	for _, r := range dropped {
		if r.Holds() && !slices.Contains(skus, r.SkuID) {
			skus = append(skus, r.SkuID)
		}
	}
	sort.Strings(skus)
	for _, sku := range skus {
		if slices.ContainsFunc(after, func(r *LicenseAssignment) bool { return r.SkuID == sku && r.Path == DirectPath }) {
			continue
		}
		r := recordFor(dropped, sku)
		after = append(after, &LicenseAssignment{UserID: userID, SkuID: sku, Path: DirectPath, DisabledPlans: cloneStrings(r.DisabledPlans),
			State: LicenseStateActive, Error: LicenseErrorNone, LastUpdatedDateTime: tx.now})
	}
	return after, nil
}

// recordFor returns the last of recs for sku, or nil.
func recordFor(recs []*LicenseAssignment, sku string) *LicenseAssignment {
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].SkuID == sku {
			return recs[i]
		}
	}
	return nil
}

func sameRecords(a, b []*LicenseAssignment) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// beginGroupTask shows the group as ProcessingInProgress.
func (l *licensing) beginGroupTask(tx *Txn, t *Task) error {
	g, err := tx.groupAny(t.Key)
	if err != nil || g == nil || g.Deleted() || g.LicenseProcessingState == "" || g.LicenseProcessingState == ProcessingInProgress {
		return err
	}
	_, err = tx.PutGroupLicenses(g.ID, g.AssignedLicenses, ProcessingInProgress)
	return err
}

// runGroupTask applies a group's licenses to its direct user members in one transaction:
// "Start applying group based license to users", "Change user license" per changed or failed
// user, "Finish applying group based license to users" with the Result summary, all acted by the
// licensing system app under the task's correlation id; then the group is ProcessingComplete.
func (l *licensing) runGroupTask(tx *Txn, t *Task) error {
	gid := t.Key
	g, err := tx.groupAny(gid)
	if err != nil {
		return err
	}
	data, _ := t.Data.(*groupTask)
	var users []string
	members := -1 // users[:members] are direct members and the rest are not; -1: not known
	if data != nil && data.Users != nil {
		for id := range data.Users {
			users = append(users, id)
		}
		sort.Strings(users)
	} else {
		// A group's links are unique by member id: the members need no de-duplication.
		if err := tx.MemberIDs(gid, func(id string, kind ObjectKind) bool {
			if kind == ObjectUser {
				users = append(users, id)
			}
			return true
		}); err != nil {
			return err
		}
		members = len(users)
		var holders []string
		var seen map[string]bool // built at the first record: most runs find none
		if err := tx.GroupLicenseAssignments(gid, func(r *LicenseAssignment) bool {
			if seen == nil {
				seen = make(map[string]bool, len(users))
				for _, id := range users {
					seen[id] = true
				}
			}
			if !seen[r.UserID] {
				seen[r.UserID] = true
				holders = append(holders, r.UserID)
			}
			return true
		}); err != nil {
			return err
		}
		users = append(users, holders...)
	}
	actor := l.systemActor()
	if g != nil {
		if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityStartGroupLicense, OperationType: "Update",
			InitiatedBy: actor, TargetResources: []TargetResource{groupTarget(g, ModifiedProperty{DisplayName: "AssignedLicense",
				OldValue: strPtr("[]"), NewValue: tx.licenseAuditValue(g.AssignedLicenses)})}}); err != nil {
			return err
		}
	}
	snaps := make([]userSnap, len(users))
	rd := tx.newUserReader()
	for i, uid := range users {
		member := memberUnknown
		switch {
		case members < 0:
		case i < members:
			member = memberYes
		default:
			member = memberNo
		}
		if snaps[i], err = tx.snapUser(uid, gid, g, member, rd); err != nil {
			return err
		}
	}
	var ok, failed int
	for _, sn := range snaps {
		out, err := tx.applyUserGroup(actor, sn, gid, g)
		if err != nil {
			return err
		}
		switch {
		case out.failure != nil:
			failed++
		case out.member:
			ok++
		}
	}
	if g == nil {
		return nil
	}
	result := fmt.Sprintf("[Users successfully assigned licenses: %d, Users for whom license assignment failed: %d.];", ok, failed)
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: l.finish, OperationType: "Update",
		InitiatedBy: actor, TargetResources: []TargetResource{groupTarget(g, ModifiedProperty{DisplayName: "Result",
			OldValue: strPtr("[]"), NewValue: strPtr(result)})}}); err != nil {
		return err
	}
	if g.Deleted() || g.LicenseProcessingState == "" || tx.s.queue.queuedKey(TaskGroupLicense, gid) {
		return nil
	}
	_, err = tx.PutGroupLicenses(gid, g.AssignedLicenses, ProcessingComplete)
	return err
}

// MembersWithLicenseErrors returns the active users whose records from group groupID are in
// error (Error or ActiveWithError), as GET /groups/{id}/membersWithLicenseErrors lists them.
// Errors: 404 for an unknown group.
func (tx *Txn) MembersWithLicenseErrors(groupID string) ([]*User, error) {
	g, err := tx.GroupByID(groupID)
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := tx.GroupLicenseAssignments(g.ID, func(r *LicenseAssignment) bool {
		if r.Error != LicenseErrorNone && !slices.Contains(ids, r.UserID) {
			ids = append(ids, r.UserID)
		}
		return true
	}); err != nil {
		return nil, err
	}
	out := make([]*User, 0, len(ids))
	for _, id := range ids {
		u, err := tx.userAny(id)
		if err != nil {
			return nil, err
		}
		if u != nil && !u.Deleted() {
			out = append(out, u)
		}
	}
	return out, nil
}

// GroupHasMembersWithLicenseErrors is the value of the filter-only group property
// hasMembersWithLicenseErrors (graph-facts §0.5): whether any active user's record from the group
// is in error. Errors: 404 for an unknown group.
func (tx *Txn) GroupHasMembersWithLicenseErrors(groupID string) (bool, error) {
	users, err := tx.MembersWithLicenseErrors(groupID)
	return len(users) > 0, err
}
