package engine

import (
	"slices"
	"strings"
	"sync"

	"github.com/graphmock/graphmock/engine/membershiprule"
)

// Dynamic membership: groups whose groupTypes contain "DynamicMembership" get their members from
// a rule over user properties (group.membershipRule, graph-facts §7). graphmock evaluates the
// rules on the store's processing queue (DESIGN.md §4) as tasks of kind TaskDynamicMembership,
// so tests can observe a user arriving in a group and then receiving its licenses, in the
// queue's async, manual or immediate mode:
//
//   - a user created or restored is evaluated against every dynamic group; a user updated is
//     evaluated against the groups whose rule reads a property the update changed; a user whose
//     licenses change is evaluated against the rules reading user.assignedPlans;
//   - a group created or restored as dynamic, a rule changed, processing switched from Paused to
//     On, or a static group converted to dynamic is evaluated over every active user: users who
//     no longer match leave (and the licensing observer takes the group's licenses away), users
//     who newly match join, users who still match are untouched (seed document, "Use caution
//     when modifying an existing group's membership rule");
//   - nothing is evaluated for a group whose membershipRuleProcessingState is Paused;
//   - converting a static group to dynamic discards its manual members (graph-facts §7.3): members
//     the rule does not match leave and non-user members leave; while processing is Paused every
//     member leaves. Converting back to static keeps the current members.
//
// A group evaluation writes at most maxChangesPerTxn changes per transaction and queues the rest.
// Each change is a "Add member to group" / "Remove member from group" audit record initiated by
// the dynamic membership system app (DynamicOptions.Actor). A soft-deleted user keeps its
// membership links, hidden like all of its memberships, and is evaluated again when restored.
// Rules using system.now are evaluated at the engine clock's time when an evaluation runs; the
// passing of time alone does not start one.

// TaskDynamicMembership is the processing-queue kind that evaluates dynamic membership rules.
// Keys are "user:<id>" (one user against the dynamic groups) and "group:<id>" (one group over all
// users).
const TaskDynamicMembership = "dynamicMembership"

// Values of group.membershipRuleProcessingState (graph-facts §7.3).
const (
	RuleProcessingOn     = "On"
	RuleProcessingPaused = "Paused"
)

// DefaultDynamicMembershipActor is the system app dynamic membership changes are initiated by in
// audit records. Microsoft does not document which app the service acts as [unc]; the name says
// what it is, and DynamicOptions.Actor replaces it.
var DefaultDynamicMembershipActor = AppIdentity{AppID: "00000000-0000-0000-0000-000000000002", DisplayName: "Microsoft Entra dynamic membership"}

// DynamicOptions configure dynamic membership evaluation.
type DynamicOptions struct {
	// Actor is the system app membership changes are audited as; nil = DefaultDynamicMembershipActor.
	Actor *AppIdentity
}

// dynamic is a store's dynamic membership engine: an observer that queues evaluations, the task
// handler that runs them, and a cache of parsed rules.
type dynamic struct {
	s     *Store
	actor AppIdentity

	mu    sync.RWMutex
	rules map[string]*parsedRule // by lowercased group id; an entry is valid while its text matches
	// flips counts, per user id, the consecutive evaluations started by license changes alone
	// that changed the user's membership (see maxLicenseFlips).
	flips map[string]int
}

// maxLicenseFlips bounds a feedback loop: a rule reading user.assignedPlans on a group whose own
// licenses change the rule's result (for example "-not" a plan the group assigns) would move the
// user in and out forever, as license processing and evaluation keep undoing each other. After
// this many consecutive membership changes caused by license changes alone, graphmock stops
// re-evaluating that user on license changes until another change of the user is evaluated; the
// user keeps the state of the last evaluation.
const maxLicenseFlips = 16

// parsedRule is a group's rule parsed once: the rule and the bits of the properties it reads.
type parsedRule struct {
	text string
	rule *membershiprule.Rule
	mask uint64
}

// dynamicTask is the payload of a TaskDynamicMembership task.
type dynamicTask struct {
	// Props are the property bits a user change touched (user tasks).
	Props uint64
	// Convert marks a static group converted to dynamic: its manual members are discarded (group tasks).
	Convert bool
	// Licenses marks a user task started by license (assignedPlans) changes alone.
	Licenses bool
	// Rest are the membership changes a group evaluation left for following transactions
	// (group tasks; see maxChangesPerTxn). nil = evaluate the group.
	Rest *groupChanges
}

// maxChangesPerTxn bounds the membership changes one evaluation transaction writes. A rule change
// over a large tenant moves many users; the store has one writer at a time, so writing them in
// transactions of this size lets requests write in between, as the service applies large changes
// progressively. The changes left over are queued as a continuation of the same task, so manual
// mode's Step applies one batch and Drain all.
const maxChangesPerTxn = 2000

// groupChanges are membership changes computed by a group evaluation and not yet written. Each
// is checked again when written: a change that no longer holds (the user changed meanwhile, left,
// was deleted) is skipped.
type groupChanges struct {
	rule   string      // the rule text they were computed from
	paused bool        // computed for a conversion while processing was Paused: removals only
	remove []memberRef // sorted by id
	add    []string    // user ids, sorted
}

type memberRef struct {
	id   string
	kind ObjectKind
}

func newDynamic(s *Store, o DynamicOptions) *dynamic {
	d := &dynamic{s: s, actor: DefaultDynamicMembershipActor, rules: map[string]*parsedRule{}, flips: map[string]int{}}
	if o.Actor != nil {
		d.actor = *o.Actor
	}
	s.observers = append(s.observers, d)
	s.queue.Handle(TaskDynamicMembership, TaskHandler{Run: d.run, Merge: mergeDynamicTasks})
	return d
}

func (d *dynamic) systemActor() Actor {
	a := d.actor
	return Actor{App: &a}
}

// mergeDynamicTasks folds a newer task for the same user or group into a queued one.
func mergeDynamicTasks(queued, next *Task) {
	q, _ := queued.Data.(*dynamicTask)
	n, _ := next.Data.(*dynamicTask)
	switch {
	case q == nil:
		queued.Data = n
	case n != nil:
		q.Props |= n.Props
		q.Convert = q.Convert || n.Convert
		q.Licenses = q.Licenses && n.Licenses
		// A full evaluation supersedes leftover changes; leftovers never replace an evaluation.
		if q.Rest == nil || n.Rest == nil {
			q.Rest = nil
		}
	}
}

// parse returns the parsed rule text of group id, from the cache when the group's rule text is
// unchanged. Errors: the rule's *membershiprule.Error.
func (d *dynamic) parse(id, text string) (*parsedRule, error) {
	key := strings.ToLower(id)
	d.mu.RLock()
	p := d.rules[key]
	d.mu.RUnlock()
	if p != nil && p.text == text {
		return p, nil
	}
	r, err := membershiprule.Parse(text)
	if err != nil {
		return nil, err
	}
	p = &parsedRule{text: text, rule: r, mask: ruleMask(r.Properties())}
	d.mu.Lock()
	d.rules[key] = p
	d.mu.Unlock()
	return p, nil
}

// forget drops the cached rule of a deleted group.
func (d *dynamic) forget(id string) {
	d.mu.Lock()
	delete(d.rules, strings.ToLower(id))
	d.mu.Unlock()
}

// validateMembershipRule checks the dynamic membership properties of a group about to be
// written; old is the stored group on update, nil on create (graph-facts §2.2, §3.4, §7):
//
//   - a dynamic group needs a membershipRule: 400 "Property membershipRule value is required but
//     is empty or missing." (Graph refuses it [obs]; the wording is the directory's usual one
//     for a missing property [unc]);
//   - the rule must parse: 400 Request_BadRequest with the rule language's message,
//     "Dynamic membership rule validation error: …" [obs prefix];
//   - a static group can't be given a rule: 400 "Invalid value specified for property
//     'membershipRule' of resource 'Group'." [unc wording]. A rule kept unchanged by an update is
//     allowed, because Microsoft's documented way to convert a dynamic group back to static
//     removes DynamicMembership from groupTypes and pauses processing, leaving the rule in place;
//   - a role-assignable group can't be dynamic (group resource docs): 400 "Invalid value
//     specified for property 'isAssignableToRole' of resource 'Group'." [unc wording].
//
// membershipRuleProcessingState is checked by validateGroup (On or Paused).
func (tx *Txn) validateMembershipRule(old, g *Group) error {
	if !g.IsDynamic() {
		if g.MembershipRule != "" && (old == nil || old.MembershipRule != g.MembershipRule) {
			return InvalidValue("membershipRule", "Group")
		}
		return nil
	}
	if g.IsAssignableToRole != nil && *g.IsAssignableToRole {
		return InvalidValue("isAssignableToRole", "Group")
	}
	if strings.TrimSpace(g.MembershipRule) == "" {
		return MissingValue("membershipRule")
	}
	if _, err := tx.s.dyn.parse(g.ID, g.MembershipRule); err != nil {
		return BadRequest("%s", err.Error())
	}
	return nil
}

// UserChanged queues the evaluation of a created, restored or updated user (when the update
// touched a property some active rule reads). A soft-deleted user keeps its links for a restore.
func (d *dynamic) UserChanged(tx *Txn, old, new *User) error {
	if new.Deleted() {
		return nil
	}
	props := allRuleProps
	if old != nil && !old.Deleted() {
		props = userRuleDiff(old, new)
	}
	return d.queueUser(tx, new.ID, props)
}

// licensesChanged queues the evaluation of a user whose assignedPlans changed, for the rules
// reading user.assignedPlans. The licensing engine calls it whenever it writes a user's plans.
func (d *dynamic) licensesChanged(tx *Txn, old, new *User) error {
	return d.plansChanged(tx, new.ID, new.Deleted(), old.AssignedPlans, new.AssignedPlans)
}

// plansChanged is licensesChanged for user id (deleted or not) whose assignedPlans change from
// old to new.
func (d *dynamic) plansChanged(tx *Txn, id string, deleted bool, old, new []AssignedPlan) error {
	if deleted || sameRulePlans(old, new) {
		return nil
	}
	d.mu.RLock()
	looping := d.flips[strings.ToLower(id)] >= maxLicenseFlips
	d.mu.RUnlock()
	if looping {
		return nil
	}
	return d.queueUserTask(tx, id, &dynamicTask{Props: 1 << propBitAssignedPlans, Licenses: true})
}

// queueUser queues a user task when some dynamic group with processing On reads one of props.
func (d *dynamic) queueUser(tx *Txn, userID string, props uint64) error {
	return d.queueUserTask(tx, userID, &dynamicTask{Props: props})
}

func (d *dynamic) queueUserTask(tx *Txn, userID string, data *dynamicTask) error {
	if data.Props == 0 {
		return nil
	}
	groups, err := d.activeGroups(tx, data.Props)
	if err != nil || len(groups) == 0 {
		return err
	}
	tx.Enqueue(Task{Kind: TaskDynamicMembership, Key: "user:" + strings.ToLower(userID), Data: data,
		CorrelationID: tx.correlationID, Actor: d.systemActor()})
	return nil
}

// GroupChanged queues the evaluation of a group that became dynamic, was created or restored as
// dynamic, had its rule changed or its processing switched from Paused to On.
func (d *dynamic) GroupChanged(tx *Txn, old, new *Group) error {
	if new.Deleted() {
		d.forget(new.ID)
		return nil
	}
	if !new.IsDynamic() {
		return nil
	}
	convert := old != nil && !old.Deleted() && !old.IsDynamic()
	on := new.MembershipRuleProcessingState != RuleProcessingPaused
	var need bool
	switch {
	case convert:
		need = true
	case !on:
		need = false
	case old == nil || old.Deleted():
		need = true
	default:
		need = old.MembershipRule != new.MembershipRule || old.MembershipRuleProcessingState == RuleProcessingPaused
	}
	if !need {
		return nil
	}
	tx.Enqueue(Task{Kind: TaskDynamicMembership, Key: "group:" + strings.ToLower(new.ID), Data: &dynamicTask{Convert: convert},
		CorrelationID: tx.correlationID, Actor: d.systemActor()})
	return nil
}

// MembershipChanged needs no work: dynamic membership reads user properties only.
func (d *dynamic) MembershipChanged(*Txn, Membership, bool) error { return nil }

// dynamicGroup is an active dynamic group with processing On and its parsed rule.
type dynamicGroup struct {
	g *Group
	r *parsedRule
}

// activeGroups returns the dynamic groups with processing On whose rule reads one of props.
// A stored rule that no longer parses (it was validated when written) matches nobody and is
// skipped.
func (d *dynamic) activeGroups(tx *Txn, props uint64) ([]dynamicGroup, error) {
	if tx.noDynamic == tx.groupWrites+1 {
		return nil, nil // the tenant has no dynamic group: a group run asks once per member
	}
	var out []dynamicGroup
	seen := false
	err := tx.each(TableGroups, IndexDynamic, func(raw any) bool {
		seen = true
		g := raw.(*Group)
		if g.Deleted() || g.MembershipRuleProcessingState == RuleProcessingPaused {
			return true
		}
		p, err := d.parse(g.ID, g.MembershipRule)
		if err == nil && p.mask&props != 0 {
			out = append(out, dynamicGroup{g, p})
		}
		return true
	}, true)
	if err == nil && !seen {
		tx.noDynamic = tx.groupWrites + 1
	}
	return out, err
}

// run applies one TaskDynamicMembership task.
func (d *dynamic) run(tx *Txn, t *Task) error {
	data, _ := t.Data.(*dynamicTask)
	if data == nil {
		data = &dynamicTask{Props: allRuleProps}
	}
	if id, ok := strings.CutPrefix(t.Key, "user:"); ok {
		changed, err := d.evaluateUser(tx, id, data.Props)
		if err == nil {
			d.countFlips(id, data.Licenses, changed)
		}
		return err
	}
	if id, ok := strings.CutPrefix(t.Key, "group:"); ok {
		if data.Rest != nil {
			return d.continueGroup(tx, id, data.Rest)
		}
		return d.evaluateGroup(tx, id, data.Convert, maxChangesPerTxn)
	}
	return nil
}

// countFlips keeps the count behind maxLicenseFlips.
func (d *dynamic) countFlips(userID string, licensesOnly, changed bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if licensesOnly && changed {
		d.flips[userID]++
	} else {
		delete(d.flips, userID)
	}
}

// evaluateUser puts one active user into the dynamic groups (processing On, rule reading one of
// props) whose rule it matches and out of those whose rule it does not, and reports whether it
// changed a membership.
func (d *dynamic) evaluateUser(tx *Txn, userID string, props uint64) (changed bool, err error) {
	u, err := tx.userAny(userID)
	if err != nil || u == nil || u.Deleted() {
		return false, err
	}
	groups, err := d.activeGroups(tx, props)
	if err != nil {
		return false, err
	}
	obj := DirectoryObject{Kind: ObjectUser, User: u}
	subject := &ruleSubject{}
	subject.set(u)
	// Decide everything before the first write (see continueGroup).
	type change struct {
		g *Group
		m *Membership // the link to remove; nil = add
	}
	var changes []change
	for _, dg := range groups {
		want := dg.r.rule.MatchAt(subject, tx.now)
		m, err := tx.membership(dg.g.ID, u.ID)
		if err != nil {
			return false, err
		}
		switch {
		case want && m == nil:
			changes = append(changes, change{dg.g, nil})
		case !want && m != nil:
			changes = append(changes, change{dg.g, m})
		}
	}
	actor := d.systemActor()
	for _, c := range changes {
		if c.m == nil {
			err = tx.insertMemberLink(c.g, obj, actor)
		} else {
			err = tx.deleteMemberLink(c.g, obj, c.m, actor)
		}
		if err != nil {
			return false, err
		}
	}
	return len(changes) > 0, nil
}

// EvaluateDynamicGroup evaluates a dynamic group's rule over every active user now, in the
// caller's transaction, as the processing queue does (see TaskDynamicMembership): users who no
// longer match leave, users who newly match join, with audit records initiated by the dynamic
// membership app. A group that is not dynamic, or whose processing is Paused, is left alone.
// Errors: 404 for an unknown group.
func (tx *Txn) EvaluateDynamicGroup(groupID string) error {
	g, err := tx.GroupByID(groupID)
	if err != nil {
		return err
	}
	return tx.s.dyn.evaluateGroup(tx, g.ID, false, 0)
}

// evaluateGroup evaluates a dynamic group over every active user. convert discards manual
// members of a group just converted from static: every member when processing is Paused. At most
// limit changes are written (0 = all); the rest are queued as a continuation.
func (d *dynamic) evaluateGroup(tx *Txn, groupID string, convert bool, limit int) error {
	g, err := tx.groupAny(groupID)
	if err != nil || g == nil || g.Deleted() || !g.IsDynamic() {
		return err
	}
	paused := g.MembershipRuleProcessingState == RuleProcessingPaused
	if paused && !convert {
		return nil
	}
	members := map[string]ObjectKind{}
	if err := tx.MemberIDs(g.ID, func(id string, kind ObjectKind) bool { members[id] = kind; return true }); err != nil {
		return err
	}
	var add, remove []DirectoryObject
	if !paused {
		p, err := d.parse(g.ID, g.MembershipRule)
		if err != nil {
			return nil // a stored rule that no longer parses matches nobody; leave the group as it is
		}
		subject := &ruleSubject{}
		err = tx.Users(func(u *User) bool {
			subject.set(u)
			want := p.rule.MatchAt(subject, tx.now)
			kind, member := members[u.ID]
			delete(members, u.ID)
			switch {
			case want && !member:
				add = append(add, DirectoryObject{Kind: ObjectUser, User: u})
			case !want && member && kind == ObjectUser:
				remove = append(remove, DirectoryObject{Kind: ObjectUser, User: u})
			}
			return true
		})
		if err != nil {
			return err
		}
	}
	// What is left: soft-deleted users (kept for a restore), non-user members, and — while
	// Paused — every member of a converted group.
	for id, kind := range members {
		switch kind {
		case ObjectUser:
			if !paused {
				continue
			}
			u, err := tx.userAny(id)
			if err != nil {
				return err
			}
			if u != nil && !u.Deleted() {
				remove = append(remove, DirectoryObject{Kind: ObjectUser, User: u})
			}
		case ObjectGroup:
			mg, err := tx.groupAny(id)
			if err != nil {
				return err
			}
			if mg != nil && !mg.Deleted() {
				remove = append(remove, DirectoryObject{Kind: ObjectGroup, Group: mg})
			}
		}
	}
	sortObjects(remove)
	actor := d.systemActor()
	budget := limit
	if limit <= 0 {
		budget = len(remove) + len(add)
	}
	for len(remove) > 0 && budget > 0 {
		obj := remove[0]
		remove, budget = remove[1:], budget-1
		m := &Membership{GroupID: g.ID, MemberID: obj.ID(), MemberKind: obj.Kind}
		if err := tx.deleteMemberLink(g, obj, m, actor); err != nil {
			return err
		}
	}
	for len(add) > 0 && budget > 0 {
		obj := add[0]
		add, budget = add[1:], budget-1
		if err := tx.insertMemberLink(g, obj, actor); err != nil {
			return err
		}
	}
	if len(remove)+len(add) == 0 {
		return nil
	}
	rest := &groupChanges{rule: g.MembershipRule, paused: paused}
	for _, obj := range remove {
		rest.remove = append(rest.remove, memberRef{obj.ID(), obj.Kind})
	}
	for _, obj := range add {
		rest.add = append(rest.add, obj.ID())
	}
	d.queueRest(tx, g.ID, rest)
	return nil
}

func (d *dynamic) queueRest(tx *Txn, groupID string, rest *groupChanges) {
	tx.Enqueue(Task{Kind: TaskDynamicMembership, Key: "group:" + strings.ToLower(groupID), Data: &dynamicTask{Rest: rest},
		CorrelationID: tx.correlationID, Actor: d.systemActor()})
}

// continueGroup writes up to maxChangesPerTxn of the changes an evaluation of group groupID
// left, checking each again, and queues what remains. A group whose rule changed meanwhile is
// evaluated afresh; one paused meanwhile is left alone. Every check reads the store before the
// first write: go-memdb resets a transaction's cache of writable nodes whenever an index the
// transaction has written is read, which makes interleaved reads and writes slow.
func (d *dynamic) continueGroup(tx *Txn, groupID string, rest *groupChanges) error {
	g, err := tx.groupAny(groupID)
	if err != nil || g == nil || g.Deleted() || !g.IsDynamic() {
		return err
	}
	paused := g.MembershipRuleProcessingState == RuleProcessingPaused
	if paused && !rest.paused {
		return nil
	}
	if g.MembershipRule != rest.rule || (!paused && rest.paused) {
		return d.evaluateGroup(tx, g.ID, false, maxChangesPerTxn)
	}
	var p *parsedRule
	if !paused {
		if p, err = d.parse(g.ID, g.MembershipRule); err != nil {
			return nil
		}
	}
	subject := &ruleSubject{}
	matches := func(u *User) bool {
		subject.set(u)
		return p.rule.MatchAt(subject, tx.now)
	}
	type removal struct {
		obj DirectoryObject
		m   *Membership
	}
	var removals []removal
	var adds []DirectoryObject
	budget := maxChangesPerTxn
	removeRefs, addIDs := rest.remove, rest.add
	for len(removeRefs) > 0 && budget > 0 {
		ref := removeRefs[0]
		removeRefs = removeRefs[1:]
		m, err := tx.membership(g.ID, ref.id)
		if err != nil {
			return err
		}
		if m == nil {
			continue
		}
		var obj DirectoryObject
		if ref.kind == ObjectUser {
			u, err := tx.userAny(ref.id)
			if err != nil {
				return err
			}
			if u == nil || u.Deleted() || p != nil && matches(u) {
				continue // kept for a restore, or matching again
			}
			obj = DirectoryObject{Kind: ObjectUser, User: u}
		} else {
			mg, err := tx.groupAny(ref.id)
			if err != nil {
				return err
			}
			if mg == nil || mg.Deleted() {
				continue
			}
			obj = DirectoryObject{Kind: ObjectGroup, Group: mg}
		}
		removals = append(removals, removal{obj, m})
		budget--
	}
	for len(addIDs) > 0 && budget > 0 && p != nil {
		id := addIDs[0]
		addIDs = addIDs[1:]
		u, err := tx.userAny(id)
		if err != nil {
			return err
		}
		if u == nil || u.Deleted() || !matches(u) {
			continue
		}
		if m, err := tx.membership(g.ID, id); err != nil {
			return err
		} else if m != nil {
			continue
		}
		adds = append(adds, DirectoryObject{Kind: ObjectUser, User: u})
		budget--
	}
	actor := d.systemActor()
	for _, r := range removals {
		if err := tx.deleteMemberLink(g, r.obj, r.m, actor); err != nil {
			return err
		}
	}
	for _, obj := range adds {
		if err := tx.insertMemberLink(g, obj, actor); err != nil {
			return err
		}
	}
	if len(removeRefs)+len(addIDs) > 0 {
		d.queueRest(tx, g.ID, &groupChanges{rule: rest.rule, paused: rest.paused, remove: removeRefs, add: addIDs})
	}
	return nil
}

// sortObjects orders objects by id, so the audit records of one evaluation come in a stable order.
func sortObjects(objs []DirectoryObject) {
	if len(objs) < 2 {
		return
	}
	slices.SortFunc(objs, func(a, b DirectoryObject) int { return strings.Compare(a.ID(), b.ID()) })
}
