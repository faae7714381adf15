package engine

// Licensing model (graph-facts §4): a user's licenses are records of (user, skuId, path), the path
// being "direct" or a group id. The user's license row alone holds its records (the
// records a group gives are found by scanning the license rows). A record holds its path's
// disabled plans, its state and error. The user's assignedLicenses are one entry per SKU held by
// an Active or ActiveWithError record, with disabledPlans the intersection over those records;
// assignedPlans and licenseAssignmentStates follow; a user holding a SKU uses one seat of it
// however many paths give it, and errored records hold none. Direct assignLicense validates and
// applies at once (400 on any problem); group licenses are applied by the processing queue to the
// group's direct user members, all of a group's SKUs or none per user, failures recorded on the
// records. Nothing heals by itself: freed seats help only when a user or group is reprocessed.

import (
	"fmt"
	"slices"
	"strings"
	"time"

	memdb "github.com/hashicorp/go-memdb"

	"github.com/graphmock/graphmock/engine/catalog"
)

// License assignment states of licenseAssignmentState.state (graph-facts §4.2).
const (
	LicenseStateActive          = "Active"
	LicenseStateActiveWithError = "ActiveWithError"
	LicenseStateDisabled        = "Disabled"
	LicenseStateError           = "Error"
)

// License assignment errors of licenseAssignmentState.error (graph-facts §0.3, §4.2). Success is
// "None" on the wire; the catch-all is "Other" (older docs said "Others"; the API returns "Other").
const (
	LicenseErrorNone                      = "None"
	LicenseErrorCountViolation            = "CountViolation"
	LicenseErrorMutuallyExclusive         = "MutuallyExclusiveViolation"
	LicenseErrorDependency                = "DependencyViolation"
	LicenseErrorProhibitedInUsageLocation = "ProhibitedInUsageLocationViolation"
	LicenseErrorUniqueness                = "UniquenessViolation"
	LicenseErrorOther                     = "Other"
)

// Group licenseProcessingState.state values (graph-facts §1.2, §4.4).
const (
	ProcessingQueued     = "QueuedForProcessing"
	ProcessingInProgress = "ProcessingInProgress"
	ProcessingComplete   = "ProcessingComplete"
)

// DirectPath is the Path of a direct (not group-inherited) license assignment.
const DirectPath = "direct"

// TaskGroupLicense is the processing-queue kind that applies a group's licenses to its members.
const TaskGroupLicense = "groupLicense"

// Licensing messages. Each names where its wording comes from (graph-facts §3.3).
const (
	// MsgInvalidUsageLocation answers a direct assignment to a user without usageLocation [obs].
	MsgInvalidUsageLocation = "License assignment cannot be done for user with invalid usage location."
	// MsgInvalidCompanyLicense (format: skuId) answers a skuId the tenant doesn't subscribe to [obs].
	MsgInvalidCompanyLicense = "License %s does not correspond to a valid company License."
	// MsgNoAvailableLicenses (format: skuId) answers a direct assignment without a free seat; Graph's
	// message is only known to contain "does not have any available licenses" [obs substring].
	MsgNoAvailableLicenses = "Subscription with SKU %s does not have any available licenses."
	// MsgNoCorrespondingLicense answers removing a SKU the user doesn't hold [obs].
	MsgNoCorrespondingLicense = "User does not have a corresponding license."
	// MsgInheritedLicense answers removing a SKU the user holds only through a group [obs].
	MsgInheritedLicense = "User license is inherited from a group membership and it cannot be removed directly from the user."
	// MsgConflictingPlans (format: plan name, plan name, skuIds) is the audit-log wording of a
	// MutuallyExclusiveViolation seen on reprocess; Graph's 400 text for direct assignment is not
	// documented [unc], so graphmock uses this wording for both.
	MsgConflictingPlans = "The license can't be assigned because the user has licensed service plans that conflict with plans in the new license. Resolve these conflicting service plan pairs to solve this problem: [%s, %s]. Licenses being added: [%s]"
	// MsgDependency (format: plan name, required plan names) follows the portal's wording of a
	// DependencyViolation; Graph's text is not documented [unc].
	MsgDependency = "License operation failed. Make sure that the user has necessary services before adding or removing a dependent service. The service %s requires %s to be enabled as well."
	// MsgProhibitedLocation (format: name, usage location): the service's text is not documented [unc].
	MsgProhibitedLocation = "License assignment failed because %s is not available in usage location %s."
	// MsgPlanNotInSku (format: servicePlanId, skuId): Graph's text is only paraphrased as "the
	// service plan does not belong to the subscription" [unc].
	MsgPlanNotInSku = "Service plan %s does not belong to subscription %s."
	// MsgGroupNotSecurityEnabled answers group assignLicense on a group that is not security
	// enabled; the rule is documented, the text is not [unc].
	MsgGroupNotSecurityEnabled = "Group-based licensing can only be used with security groups and Microsoft 365 groups that have securityEnabled=true."
	// MsgGroupNoCorrespondingLicense answers removing a SKU a group doesn't have; it mirrors the
	// user message [unc].
	MsgGroupNoCorrespondingLicense = "Group does not have a corresponding license."
	// MsgInvalidLicenseChange answers an assignLicense body that changes nothing or names a SKU
	// twice; Graph's generic invalid-value text [unc].
	MsgInvalidLicenseChange = "One or more property values specified are invalid."
)

// DefaultLicensingActor is the system app group license processing acts as (graph-facts §5.2).
// Microsoft's 2025 docs spell it "Microsoft Entra group-Based Licensing"; older docs and the audit
// records scripts match on use this name, so it is the default [unc].
var DefaultLicensingActor = AppIdentity{AppID: "00000000-0000-0000-0000-000000000000", DisplayName: "Microsoft Azure AD Group-Based Licensing"}

// LicensingOptions configure the licensing engine.
type LicensingOptions struct {
	// Constraints are the plan rules enforced; nil = catalog.DefaultConstraints().
	Constraints *catalog.Constraints
	// Actor is the system app that group license processing acts as; nil = DefaultLicensingActor.
	Actor *AppIdentity
	// FinishActivity is the display name of the processing-finished audit record: default
	// "Finish applying group based license to users" (the licensing article); the audit reference
	// table writes "…to user" (graph-facts §0.9).
	FinishActivity string
	// RemovedPlanStatus is the assignedPlan.capabilityStatus a plan keeps once the user loses it;
	// default "Deleted". "-" drops lost plans from assignedPlans instead. An older Microsoft article
	// says lost group plans become suspended (graph-facts §4.3 [unc]).
	RemovedPlanStatus string
}

// LicenseAssignment is one (user, skuId, path) license record: a user's license from one source,
// direct (Path "direct", GroupID "") or a group (Path = GroupID). It is what licenseAssignmentStates
// shows (graph-facts §4.2, §4.7).
type LicenseAssignment struct {
	UserID  string
	SkuID   string
	Path    string // DirectPath or the group id
	GroupID string // "" for direct
	// DisabledPlans are the path's disabled servicePlanIds: the applied ones while Active or
	// ActiveWithError, the wanted ones while Error.
	DisabledPlans       []string
	State               string // Active, ActiveWithError, Disabled, Error
	Error               string // None or a violation
	LastUpdatedDateTime time.Time
}

// Holds reports whether the record gives the user the license (and so a seat).
func (a *LicenseAssignment) Holds() bool {
	return a.State == LicenseStateActive || a.State == LicenseStateActiveWithError
}

func (a *LicenseAssignment) clone() *LicenseAssignment {
	c := *a
	c.DisabledPlans = cloneStrings(a.DisabledPlans)
	return &c
}

// Table and indexes of license assignment records.
const (
	TableLicenseAssignments = "licenseAssignments"
	// indexPathPrefix scans the records of one path: the id index is (Path, UserID, SkuID).
	indexPathPrefix = IndexID + "_prefix"
)

// licenseAssignmentsTable is the layout of a table of records keyed by (Path, UserID, SkuID).
// The store keeps no such table: a user's records live only in the user's license row
// (TableUserLicenses), so writing a user's licenses is one radix tree insert, and the records
// of a path or a SKU are found by scanning the license rows.
func licenseAssignmentsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableLicenseAssignments, Indexes: map[string]*memdb.IndexSchema{
		IndexID: {Name: IndexID, Unique: true, Indexer: strsIndex{get: []func(any) (string, bool){
			recordField(func(r *LicenseAssignment) string { return r.Path }),
			recordField(func(r *LicenseAssignment) string { return r.UserID }),
			recordField(func(r *LicenseAssignment) string { return r.SkuID }),
		}}},
	}}
}

func recordField(get func(*LicenseAssignment) string) func(any) (string, bool) {
	return func(obj any) (string, bool) {
		r, ok := obj.(*LicenseAssignment)
		if !ok {
			return "", false
		}
		return get(r), true
	}
}

// licensing is a store's licensing engine: options plus the constraint tables in lookup form.
type licensing struct {
	s           *Store
	actor       AppIdentity
	finish      string
	removedPlan string
	cons        catalog.Constraints
	exclusive   map[string][]int // servicePlanId → indexes of its MutuallyExclusive groups
}

func newLicensing(s *Store, o LicensingOptions) *licensing {
	l := &licensing{s: s, actor: DefaultLicensingActor, finish: o.FinishActivity, removedPlan: o.RemovedPlanStatus}
	if o.Actor != nil {
		l.actor = *o.Actor
	}
	if l.finish == "" {
		l.finish = ActivityFinishGroupLicense
	}
	if l.removedPlan == "" {
		l.removedPlan = "Deleted"
	}
	cons := catalog.DefaultConstraints()
	if o.Constraints != nil {
		cons = o.Constraints.Clone()
	}
	l.setConstraints(cons)
	s.observers = append(s.observers, l)
	s.queue.Handle(TaskGroupLicense, TaskHandler{Begin: l.beginGroupTask, Run: l.runGroupTask, Merge: mergeGroupTasks})
	return l
}

func (l *licensing) setConstraints(c catalog.Constraints) {
	l.cons = c
	l.exclusive = map[string][]int{}
	for i, g := range c.MutuallyExclusive {
		for _, id := range g {
			id = strings.ToLower(id)
			l.exclusive[id] = append(l.exclusive[id], i)
		}
	}
}

// licCtx is one write transaction's licensing scratch state: SKUs whose consumedUnits changed
// (written back once, before commit) and the organization.
type licCtx struct {
	skus  map[string]*skuInfo
	dirty []*skuInfo
	org   *Organization
	// Caches keyed by a user's effective licenses (licenseKey): many users of a group share them,
	// and the values are immutable once made, so users may share the slices.
	plans    map[string]*planSet
	assigned map[plansKey][]AssignedPlan // assignedPlans by the user's previous ones and licenses
	audit    map[string]*string          // audit values of assignedLicenses
	// auditOf are audit values by stored assignedLicenses slice: users with the same license
	// fields share the slice, and stored slices are never changed.
	auditOf map[licSlice]*string
	single  map[recKey]*singleFields // license fields of users with one record
}

// plansKey identifies the assignedPlans derived from a user's previous assignedPlans (by slice
// identity: users processed together share them) and effective licenses (licenseKey).
type plansKey struct {
	prev *AssignedPlan // first element of the previous assignedPlans; nil when there were none
	n    int
	key  string
}

// recKey identifies the license fields derived from one record, whatever its user: records a
// group gives its members share the group's disabledPlans slice.
type recKey struct {
	sku, group, state, err string
	dis                    *string // first disabled plan; nil when none
	ndis                   int
	disNil                 bool
	at                     time.Time
}

// singleFields are the license fields derived from one record.
type singleFields struct {
	licenses []AssignedLicense
	states   []LicenseAssignmentState
	held     []string
	key      string
}

// planSet is what a user's effective licenses enable and the constraints' verdict on it.
type planSet struct {
	plans    []string          // enabled servicePlanIds, each once
	names    map[string]string // servicePlanId → servicePlanName
	conflict [2]string         // names of a mutually exclusive pair ("" when none)
	missing  string            // name of a plan without its prerequisite ("" when none)
	requires string            // the prerequisites' names, "A or B"
}

// skuInfo is a SKU as the licensing engine reads it: a private copy and its plans by id.
type skuInfo struct {
	sku   *SubscribedSku
	plans map[string]int // servicePlanId → index in sku.ServicePlans
	dirty bool
}

func (tx *Txn) licCtx() *licCtx {
	if tx.lc == nil {
		tx.lc = &licCtx{skus: map[string]*skuInfo{}, plans: map[string]*planSet{}, assigned: map[plansKey][]AssignedPlan{},
			audit: map[string]*string{}, auditOf: map[licSlice]*string{}, single: map[recKey]*singleFields{}}
	}
	return tx.lc
}

// sku returns the SKU skuID (lower-case) for licensing, or nil when the tenant lacks it.
func (tx *Txn) licSku(skuID string) (*skuInfo, error) {
	lc := tx.licCtx()
	if si, ok := lc.skus[skuID]; ok {
		return si, nil
	}
	s, err := tx.SubscribedSkuByID(skuID)
	if err != nil {
		return nil, err
	}
	if s == nil {
		lc.skus[skuID] = nil
		return nil, nil
	}
	si := &skuInfo{sku: s.Clone(), plans: make(map[string]int, len(s.ServicePlans))}
	for i, p := range si.sku.ServicePlans {
		si.plans[strings.ToLower(p.ServicePlanID)] = i
	}
	lc.skus[skuID] = si
	return si, nil
}

// forgetSku drops a cached SKU after it was written directly.
func (tx *Txn) forgetSku(skuID string) {
	if tx.lc != nil {
		delete(tx.lc.skus, skuID)
		clear(tx.lc.plans)
		clear(tx.lc.assigned)
		clear(tx.lc.audit)
		clear(tx.lc.single)
	}
}

func (tx *Txn) addConsumed(si *skuInfo, n int) {
	si.sku.ConsumedUnits += n
	if !si.dirty {
		si.dirty = true
		lc := tx.licCtx()
		lc.dirty = append(lc.dirty, si)
	}
}

// flushLicensing writes SKUs whose consumedUnits changed; Store.Update calls it before commit.
func (tx *Txn) flushLicensing() error {
	if tx.lc == nil {
		return nil
	}
	for _, si := range tx.lc.dirty {
		if si.dirty {
			si.dirty = false
			if err := tx.insert(TableSkus, si.sku.Clone()); err != nil {
				return err
			}
		}
	}
	tx.lc.dirty = nil
	return nil
}

func (tx *Txn) licOrg() (*Organization, error) {
	lc := tx.licCtx()
	if lc.org == nil {
		org, err := tx.Organization()
		if err != nil {
			return nil, err
		}
		lc.org = org
	}
	return lc.org, nil
}

// LicenseAssignments returns a user's license records, ordered by skuId with the direct path
// first and then group ids.
// The caller owns the returned slice (not the records).
func (tx *Txn) LicenseAssignments(userID string) ([]*LicenseAssignment, error) {
	r, err := tx.licenseRow(strings.ToLower(userID))
	if err != nil || r == nil || len(r.recs) == 0 {
		return nil, err
	}
	return slices.Clone(r.recs), nil
}

// GroupLicenseAssignments calls fn for each license record that comes from group groupID, in
// user id order.
func (tx *Txn) GroupLicenseAssignments(groupID string, fn func(*LicenseAssignment) bool) error {
	path := strings.ToLower(groupID)
	var out []*LicenseAssignment
	if err := tx.eachLicenseRecord(func(r *LicenseAssignment) bool {
		if r.Path == path {
			out = append(out, r)
		}
		return true
	}); err != nil {
		return err
	}
	// Rows are in lower-case user id order and a row's records in skuId order; ids that are
	// not lower-case may order differently.
	cmp := func(a, b *LicenseAssignment) int {
		if c := strings.Compare(a.UserID, b.UserID); c != 0 {
			return c
		}
		return strings.Compare(a.SkuID, b.SkuID)
	}
	if !slices.IsSortedFunc(out, cmp) {
		slices.SortStableFunc(out, cmp)
	}
	for _, r := range out {
		if !fn(r) {
			return nil
		}
	}
	return nil
}

// eachLicenseRecord calls fn for every stored license record, row by row.
func (tx *Txn) eachLicenseRecord(fn func(*LicenseAssignment) bool) error {
	stop := false
	return tx.each(TableUserLicenses, IndexID, func(raw any) bool {
		for _, r := range raw.(*userLicenses).recs {
			if !fn(r) {
				stop = true
				return false
			}
		}
		return !stop
	})
}

func sortAssignments(as []*LicenseAssignment) {
	if len(as) < 2 {
		return
	}
	slices.SortFunc(as, func(a, b *LicenseAssignment) int {
		if c := strings.Compare(a.SkuID, b.SkuID); c != 0 {
			return c
		}
		if a.Path == b.Path {
			return 0
		}
		if pathLess(a.Path, b.Path) {
			return -1
		}
		return 1
	})
}

func pathLess(a, b string) bool {
	if a == DirectPath || b == DirectPath {
		return a == DirectPath && b != DirectPath
	}
	return a < b
}

// violation is why a license change can't be applied: the licenseAssignmentState error code and
// the message a direct assignment answers with.
type violation struct {
	code    string
	message string
}

// heldSkus returns the skuIds (sorted) the records give the user.
func heldSkus(recs []*LicenseAssignment) []string { return appendHeldSkus(nil, recs) }

// appendHeldSkus appends the sorted SKUs recs hold to out, which must hold none.
func appendHeldSkus(out []string, recs []*LicenseAssignment) []string {
	n := len(out)
	for _, r := range recs {
		if r.Holds() && !slices.Contains(out[n:], r.SkuID) {
			out = append(out, r.SkuID)
		}
	}
	slices.Sort(out[n:])
	return out
}

// effectiveDisabled returns, for sku, the intersection of the disabled plans of the records that
// hold it (nil when none holds it), in the order of the first holding record.
// The result may share the record's slice: callers must not change it.
func effectiveDisabled(recs []*LicenseAssignment, sku string) (disabled []string, held bool) {
	first, copied := true, false
	for _, r := range recs {
		if r.SkuID != sku || !r.Holds() {
			continue
		}
		if first {
			disabled, held, first = r.DisabledPlans, true, false
			continue
		}
		if !copied {
			disabled, copied = cloneStrings(disabled), true
		}
		disabled = slices.DeleteFunc(disabled, func(p string) bool { return !slices.Contains(r.DisabledPlans, p) })
	}
	if held && disabled == nil {
		disabled = []string{}
	}
	return disabled, held
}

// licenseKey identifies a user's effective licenses: held SKUs with their effective disabled plans.
func licenseKey(recs []*LicenseAssignment, held []string) string {
	var buf [128]byte
	return string(appendLicenseKey(buf[:0], recs, held))
}

// appendLicenseKey appends licenseKey(recs, held) to b.
func appendLicenseKey(b []byte, recs []*LicenseAssignment, held []string) []byte {
	for _, sku := range held {
		dis, _ := effectiveDisabled(recs, sku)
		b = append(b, sku...)
		b = append(b, ':')
		for _, d := range dis {
			b = append(append(b, d...), ',')
		}
		b = append(b, ';')
	}
	return b
}

// planSetFor returns the plans the records enable and the constraints' verdict, cached per key.
func (tx *Txn) planSetFor(recs []*LicenseAssignment, held []string, key string) (*planSet, error) {
	lc := tx.licCtx()
	if ps, ok := lc.plans[key]; ok {
		return ps, nil
	}
	return tx.newPlanSet(recs, held, key)
}

// planSetForKey is planSetFor with the key in a byte slice, which a cache hit doesn't copy.
func (tx *Txn) planSetForKey(recs []*LicenseAssignment, held []string, key []byte) (*planSet, error) {
	if ps, ok := tx.licCtx().plans[string(key)]; ok {
		return ps, nil
	}
	return tx.newPlanSet(recs, held, string(key))
}

// newPlanSet computes and caches the plan set of planSetFor.
func (tx *Txn) newPlanSet(recs []*LicenseAssignment, held []string, key string) (*planSet, error) {
	lc := tx.licCtx()
	ps := &planSet{names: map[string]string{}}
	for _, sku := range held {
		si, err := tx.licSku(sku)
		if err != nil {
			return nil, err
		}
		if si == nil {
			continue
		}
		dis, _ := effectiveDisabled(recs, sku)
		for _, p := range si.sku.ServicePlans {
			id := strings.ToLower(p.ServicePlanID)
			if _, seen := ps.names[id]; seen || slices.Contains(dis, id) {
				continue
			}
			ps.names[id] = p.ServicePlanName
			ps.plans = append(ps.plans, id)
		}
	}
	l := tx.s.lic
	if len(l.exclusive) > 0 {
		first := map[int]string{}
	scan:
		for _, p := range ps.plans {
			for _, g := range l.exclusive[p] {
				if f, ok := first[g]; ok && f != p {
					ps.conflict = [2]string{ps.names[f], ps.names[p]}
					break scan
				}
				first[g] = p
			}
		}
	}
	if len(l.cons.Prerequisites) > 0 {
		if p, need, ok := l.cons.MissingPrerequisite(ps.plans); ok {
			var needNames []string
			for _, n := range need {
				if pl, ok := catalog.PlanByID(n); ok {
					needNames = append(needNames, pl.ServicePlanName)
				} else {
					needNames = append(needNames, n)
				}
			}
			ps.missing, ps.requires = ps.names[p], strings.Join(needNames, " or ")
		}
	}
	lc.plans[key] = ps
	return ps, nil
}

// enabledPlans lists the servicePlanIds the records enable, each once.
func (tx *Txn) enabledPlans(recs []*LicenseAssignment) ([]string, error) {
	held := heldSkus(recs)
	ps, err := tx.planSetFor(recs, held, licenseKey(recs, held))
	if err != nil {
		return nil, err
	}
	return ps.plans, nil
}

// validate checks the records a user would have after a change: usage location limits, free
// seats for SKUs the user doesn't hold yet, mutually exclusive plans and prerequisites.
// before are the current records; location is the usage location to check against.
func (tx *Txn) validateLicenses(before, after []*LicenseAssignment, location string, adding []string) (*violation, error) {
	l := tx.s.lic
	var bufB, bufA [4]string // no allocation for users holding a few SKUs
	var kb [128]byte
	heldBefore := appendHeldSkus(bufB[:0], before)
	heldAfter := appendHeldSkus(bufA[:0], after)
	ps, err := tx.planSetForKey(after, heldAfter, appendLicenseKey(kb[:0], after, heldAfter))
	if err != nil {
		return nil, err
	}
	if len(l.cons.UsageLocationLimits) > 0 {
		for _, sku := range heldAfter {
			si, _ := tx.licSku(sku)
			if si != nil && l.cons.ProhibitedIn(sku, location) {
				return &violation{LicenseErrorProhibitedInUsageLocation, fmt.Sprintf(MsgProhibitedLocation, si.sku.SkuPartNumber, location)}, nil
			}
		}
		for _, p := range ps.plans {
			if l.cons.ProhibitedIn(p, location) {
				return &violation{LicenseErrorProhibitedInUsageLocation, fmt.Sprintf(MsgProhibitedLocation, ps.names[p], location)}, nil
			}
		}
	}
	for _, sku := range heldAfter {
		if slices.Contains(heldBefore, sku) {
			continue
		}
		si, err := tx.licSku(sku)
		if err != nil {
			return nil, err
		}
		if si == nil || si.sku.ConsumedUnits >= si.sku.PrepaidUnits.Enabled {
			return &violation{LicenseErrorCountViolation, fmt.Sprintf(MsgNoAvailableLicenses, sku)}, nil
		}
	}
	if ps.conflict[0] != "" {
		return &violation{LicenseErrorMutuallyExclusive, fmt.Sprintf(MsgConflictingPlans, ps.conflict[0], ps.conflict[1], strings.Join(adding, ", "))}, nil
	}
	if ps.missing != "" {
		return &violation{LicenseErrorDependency, fmt.Sprintf(MsgDependency, ps.missing, ps.requires)}, nil
	}
	return nil, nil
}

// writeUserLicenses stores a user's new records (replacing before), updates seats and the user's
// assignedLicenses, assignedPlans and licenseAssignmentStates. u is the user's stored row (its
// license fields aren't read) and prevPlans its assignedPlans until now. seatsBefore says whether
// before's SKUs hold seats now (false for a user being restored); u's Deleted state says whether
// after's will. The user's new license row is returned; its merge gives the updated user.
func (tx *Txn) writeUserLicenses(u *User, prevPlans []AssignedPlan, before, after []*LicenseAssignment, seatsBefore bool) (*userLicenses, error) {
	{
		var bufB, bufA [4]string // no allocation for users holding a few SKUs
		var hb, ha []string
		if seatsBefore {
			hb = appendHeldSkus(bufB[:0], before)
		}
		if !u.Deleted() {
			ha = appendHeldSkus(bufA[:0], after)
		}
		for _, s := range hb {
			if !slices.Contains(ha, s) {
				if si, err := tx.licSku(s); err != nil {
					return nil, err
				} else if si != nil {
					tx.addConsumed(si, -1)
				}
			}
		}
		for _, s := range ha {
			if !slices.Contains(hb, s) {
				if si, err := tx.licSku(s); err != nil {
					return nil, err
				} else if si != nil {
					tx.addConsumed(si, 1)
				}
			}
		}
	}
	sortAssignments(after)
	licenses, plans, states, err := tx.userLicenseFields(prevPlans, after)
	if err != nil {
		return nil, err
	}
	if len(after) == 0 {
		after = nil
	}
	return tx.putUserLicenses(u, prevPlans, after, licenses, plans, states)
}

// putUserLicenses writes the license row of u (the current stored user: its id is lower-case,
// as CreateUser stores every id) with new records (sorted,
// owned by the store from now on) and license fields, without reading the store: reads of an
// index the transaction has written reset go-memdb's cache of writable nodes, which makes large
// group runs many times slower.
func (tx *Txn) putUserLicenses(u *User, prevPlans []AssignedPlan, recs []*LicenseAssignment, licenses []AssignedLicense, plans []AssignedPlan, states []LicenseAssignmentState) (*userLicenses, error) {
	r := &userLicenses{ID: u.ID, licenses: licenses, plans: plans, states: states, recs: recs}
	if err := tx.insert(TableUserLicenses, r); err != nil {
		return nil, err
	}
	// Rules can read user.assignedPlans: a change of plans is evaluated like a profile change.
	return r, tx.s.dyn.plansChanged(tx, u.ID, u.Deleted(), prevPlans, plans)
}

// userLicenseFields derives assignedLicenses (one per held SKU, disabledPlans = intersection over
// its holding paths), assignedPlans and licenseAssignmentStates from a user's sorted records
// (graph-facts §4.3, §4.7); prev is the user's assignedPlans until now (plans kept keep their
// assignedDateTime). The slices returned may be shared with other users' (stored objects are
// never changed).
func (tx *Txn) userLicenseFields(prev []AssignedPlan, recs []*LicenseAssignment) ([]AssignedLicense, []AssignedPlan, []LicenseAssignmentState, error) {
	lc := tx.licCtx()
	var sf *singleFields
	if len(recs) == 1 {
		r := recs[0]
		rk := recKey{sku: r.SkuID, group: r.GroupID, state: r.State, err: r.Error, ndis: len(r.DisabledPlans), disNil: r.DisabledPlans == nil, at: r.LastUpdatedDateTime}
		if len(r.DisabledPlans) > 0 {
			rk.dis = &r.DisabledPlans[0]
		}
		if sf = lc.single[rk]; sf == nil {
			sf = licenseFields(recs)
			lc.single[rk] = sf
		}
	} else {
		sf = licenseFields(recs)
	}
	licenses, states, held, key := sf.licenses, sf.states, sf.held, sf.key
	pk := plansKey{n: len(prev), key: key}
	if len(prev) > 0 {
		pk.prev = &prev[0]
	}
	if plans, ok := lc.assigned[pk]; ok {
		return licenses, plans, states, nil
	}
	var plans []AssignedPlan
	for _, sku := range held {
		dis, _ := effectiveDisabled(recs, sku)
		si, err := tx.licSku(sku)
		if err != nil {
			return nil, nil, nil, err
		}
		if si == nil {
			continue
		}
		status := si.sku.CapabilityStatus
		if status == "" {
			status = "Enabled"
		}
		for _, p := range si.sku.ServicePlans {
			id := strings.ToLower(p.ServicePlanID)
			if slices.Contains(dis, id) || slices.ContainsFunc(plans, func(x AssignedPlan) bool { return x.ServicePlanID == id }) {
				continue
			}
			at := tx.now
			if i := slices.IndexFunc(prev, func(x AssignedPlan) bool { return x.ServicePlanID == id }); i >= 0 && prev[i].CapabilityStatus == status {
				at = prev[i].AssignedDateTime
			}
			plans = append(plans, AssignedPlan{AssignedDateTime: at, CapabilityStatus: status, Service: p.Service, ServicePlanID: id})
		}
	}
	if rm := tx.s.lic.removedPlan; rm != "-" {
		for _, p := range prev {
			if slices.ContainsFunc(plans, func(x AssignedPlan) bool { return x.ServicePlanID == p.ServicePlanID }) {
				continue
			}
			if p.CapabilityStatus != rm {
				p.CapabilityStatus, p.AssignedDateTime = rm, tx.now
			}
			plans = append(plans, p)
		}
	}
	lc.assigned[pk] = plans
	return licenses, plans, states, nil
}

// licenseFields derives assignedLicenses and licenseAssignmentStates from sorted records.
func licenseFields(recs []*LicenseAssignment) *singleFields {
	states := make([]LicenseAssignmentState, 0, len(recs))
	for _, r := range recs {
		states = append(states, LicenseAssignmentState{SkuID: r.SkuID, AssignedByGroup: r.GroupID, DisabledPlans: r.DisabledPlans,
			State: r.State, Error: r.Error, LastUpdatedDateTime: r.LastUpdatedDateTime})
	}
	held := heldSkus(recs)
	licenses := make([]AssignedLicense, 0, len(held))
	for _, sku := range held {
		dis, _ := effectiveDisabled(recs, sku)
		licenses = append(licenses, AssignedLicense{SkuID: sku, DisabledPlans: dis})
	}
	if len(licenses) == 0 {
		licenses = nil
	}
	return &singleFields{licenses: licenses, states: states, held: held, key: licenseKey(recs, held)}
}

// licenseAuditValue renders licenses the way audit modifiedProperties show them:
// a JSON array of "[SkuName=…, AccountId=…, SkuId=…, DisabledPlans=[…]]" strings (graph-facts §5.3).
// ls must be a stored slice (never changed).
func (tx *Txn) licenseAuditValue(ls []AssignedLicense) *string {
	lc := tx.licCtx()
	var sk licSlice
	if len(ls) > 0 {
		sk = licSlice{&ls[0], len(ls)}
		if v, ok := lc.auditOf[sk]; ok {
			return v
		}
	}
	v := tx.licenseAuditString(ls)
	if len(ls) > 0 {
		lc.auditOf[sk] = v
	}
	return v
}

// licSlice identifies a slice of assignedLicenses.
type licSlice struct {
	first *AssignedLicense
	n     int
}

func (tx *Txn) licenseAuditString(ls []AssignedLicense) *string {
	var kb strings.Builder
	for _, l := range ls {
		kb.WriteString(l.SkuID)
		kb.WriteByte(':')
		kb.WriteString(strings.Join(l.DisabledPlans, ","))
		kb.WriteByte(';')
	}
	key := kb.String()
	lc := tx.licCtx()
	if v, ok := lc.audit[key]; ok {
		return v
	}
	items := make([]string, 0, len(ls))
	for _, l := range ls {
		name, account := "", ""
		if si, _ := tx.licSku(l.SkuID); si != nil {
			name, account = si.sku.SkuPartNumber, si.sku.AccountID
		}
		items = append(items, "[SkuName="+name+", AccountId="+account+", SkuId="+l.SkuID+", DisabledPlans=["+strings.Join(l.DisabledPlans, ",")+"]]")
	}
	v := jsonString(items)
	lc.audit[key] = v
	return v
}

// Audit values shared by every "Change user license" record (records are never changed).
var (
	emptyAuditValue          = strPtr("")
	licenseUpdatedProperties = jsonString("AssignedLicense, AssignedPlan")
)

// auditUserLicense records "Change user license" for user u (its license fields aren't read)
// whose assignedLicenses went from old to licenses, or failed to change for reason.
func (tx *Txn) auditUserLicense(actor Actor, u *User, old, licenses []AssignedLicense, reason string) error {
	// One allocation for the record, its target and modified properties: group runs write one
	// record per member.
	a := &licenseAudit{props: [2]ModifiedProperty{
		{DisplayName: "AssignedLicense", OldValue: tx.licenseAuditValue(old), NewValue: tx.licenseAuditValue(licenses)},
		{DisplayName: "Included Updated Properties", OldValue: emptyAuditValue, NewValue: licenseUpdatedProperties},
	}}
	a.target[0] = userTarget(u)
	a.target[0].ModifiedProperties = a.props[:]
	a.rec = AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivityChangeUserLicense, OperationType: "Update",
		InitiatedBy: actor, TargetResources: a.target[:]}
	if reason != "" {
		a.rec.Result, a.rec.ResultReason = "failure", reason
	}
	return tx.putAudit(&a.rec)
}

// licenseAudit holds a "Change user license" record with its target and modified properties.
type licenseAudit struct {
	rec    AuditRecord
	target [1]TargetResource
	props  [2]ModifiedProperty
}

func (l *licensing) systemActor() Actor {
	a := l.actor
	return Actor{App: &a}
}

// normalizePlans lower-cases and de-duplicates servicePlanIds, keeping their order.
func normalizePlans(ps []string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		p = strings.ToLower(p)
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// checkLicenseInput validates one addLicenses entry against the tenant: the SKU is subscribed and
// each disabled plan belongs to it.
func (tx *Txn) checkLicenseInput(l AssignedLicense) (*skuInfo, error) {
	si, err := tx.licSku(strings.ToLower(l.SkuID))
	if err != nil {
		return nil, err
	}
	if si == nil {
		return nil, BadRequest(MsgInvalidCompanyLicense, l.SkuID)
	}
	for _, p := range l.DisabledPlans {
		if _, ok := si.plans[strings.ToLower(p)]; !ok {
			return nil, BadRequest(MsgPlanNotInSku, p, l.SkuID)
		}
	}
	return si, nil
}

// CheckLicenseInvariants verifies the licensing invariants over the whole tenant and returns the
// first broken one: every SKU's consumedUnits equals the number of active users holding it and is
// at most prepaidUnits.enabled; every active user's assignedLicenses is the union of their holding
// records with disabledPlans the intersection; licenseAssignmentStates mirror the records; no
// errored record holds a seat.
func (tx *Txn) CheckLicenseInvariants() error {
	holders := map[string]int{}
	var firstErr error
	fail := func(format string, args ...any) {
		if firstErr == nil {
			firstErr = fmt.Errorf(format, args...)
		}
	}
	err := tx.eachUser(IndexID, func(u *User) bool {
		recs, err := tx.LicenseAssignments(u.ID)
		if err != nil {
			fail("%v", err)
			return false
		}
		if len(recs) != len(u.LicenseAssignmentStates) {
			fail("user %s: %d records, %d licenseAssignmentStates", u.ID, len(recs), len(u.LicenseAssignmentStates))
			return false
		}
		for i, r := range recs {
			s := u.LicenseAssignmentStates[i]
			if s.SkuID != r.SkuID || s.AssignedByGroup != r.GroupID || s.State != r.State || s.Error != r.Error {
				fail("user %s: licenseAssignmentStates[%d] = %+v, record %+v", u.ID, i, s, *r)
			}
			if (r.State == LicenseStateActive) != (r.Error == LicenseErrorNone) {
				fail("user %s: record %+v: state and error disagree", u.ID, *r)
			}
		}
		held := heldSkus(recs)
		if len(held) != len(u.AssignedLicenses) {
			fail("user %s: holds %v, assignedLicenses %+v", u.ID, held, u.AssignedLicenses)
			return false
		}
		for i, sku := range held {
			dis, _ := effectiveDisabled(recs, sku)
			al := u.AssignedLicenses[i]
			if al.SkuID != sku || !sameSet(al.DisabledPlans, dis) {
				fail("user %s: assignedLicenses[%d] = %+v, want %s disabled %v", u.ID, i, al, sku, dis)
			}
			if !u.Deleted() {
				holders[sku]++
			}
		}
		return firstErr == nil
	})
	if err != nil {
		return err
	}
	if firstErr != nil {
		return firstErr
	}
	skus, err := tx.SubscribedSkus()
	if err != nil {
		return err
	}
	for _, s := range skus {
		if s.ConsumedUnits != holders[s.SkuID] {
			return fmt.Errorf("sku %s: consumedUnits %d, %d users hold it", s.SkuPartNumber, s.ConsumedUnits, holders[s.SkuID])
		}
		if s.ConsumedUnits > s.PrepaidUnits.Enabled {
			return fmt.Errorf("sku %s: consumedUnits %d above prepaidUnits.enabled %d", s.SkuPartNumber, s.ConsumedUnits, s.PrepaidUnits.Enabled)
		}
	}
	return nil
}

func sameSet(a, b []string) bool {
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
