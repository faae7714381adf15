package engine

import "strings"

// Messages for membership changes (graph-facts §2.3, §3.2).
const (
	MsgMemberExists   = "One or more added object references already exist for the following modified properties: 'members'."
	MsgMemberAbsent   = "One or more removed object references do not exist for the following modified properties: 'members'."
	MsgOwnerExists    = "One or more added object references already exist for the following modified properties: 'owners'."
	MsgOwnerAbsent    = "One or more removed object references do not exist for the following modified properties: 'owners'."
	MsgUnifiedMembers = "Microsoft 365 groups can only contain users as members." // [unc] wording; the rule is documented (graph-facts §7.3)
)

// DirectoryObject is a user or a group resolved by id.
type DirectoryObject struct {
	Kind  ObjectKind
	User  *User
	Group *Group
}

// ID returns the object's id.
func (o DirectoryObject) ID() string {
	if o.User != nil {
		return o.User.ID
	}
	return o.Group.ID
}

// ObjectByID resolves an active user or group by id, or returns a 404 error.
func (tx *Txn) ObjectByID(id string) (DirectoryObject, error) {
	if u, err := tx.userAny(id); err != nil {
		return DirectoryObject{}, err
	} else if u != nil && !u.Deleted() {
		return DirectoryObject{Kind: ObjectUser, User: u}, nil
	}
	if g, err := tx.groupAny(id); err != nil {
		return DirectoryObject{}, err
	} else if g != nil && !g.Deleted() {
		return DirectoryObject{Kind: ObjectGroup, Group: g}, nil
	}
	return DirectoryObject{}, NotFound(id)
}

func (tx *Txn) membership(groupID, memberID string) (*Membership, error) {
	raw, err := tx.first(TableMembers, IndexID, strings.ToLower(groupID), strings.ToLower(memberID))
	if err != nil || raw == nil {
		return nil, err
	}
	return raw.(*Membership), nil
}

// IsMember reports whether memberID is a direct member of groupID.
func (tx *Txn) IsMember(groupID, memberID string) (bool, error) {
	m, err := tx.membership(groupID, memberID)
	return m != nil, err
}

// groupAndObject resolves a group and a directory object for a membership change; 404 for either.
func (tx *Txn) groupAndObject(groupID, objectID string) (*Group, DirectoryObject, error) {
	g, err := tx.GroupByID(groupID)
	if err != nil {
		return nil, DirectoryObject{}, err
	}
	obj, err := tx.ObjectByID(objectID)
	return g, obj, err
}

// AddMember adds a direct member to a static group and records "Add member to group", as
// POST /groups/{id}/members/$ref does. Errors: 404 for an unknown group or member; 400
// MsgMailEnabledGroupUpdate on a mail-enabled security group or distribution list; 403 on a
// dynamic group; 400 when already a member.
func (tx *Txn) AddMember(groupID, memberID string) error {
	g, obj, err := tx.groupAndObject(groupID, memberID)
	if err != nil {
		return err
	}
	if err := checkMembersWritable(g); err != nil {
		return err
	}
	return tx.addMemberLink(g, obj, tx.actor)
}

// checkMembersWritable refuses API member changes Graph doesn't allow: on mail-enabled security
// groups and distribution lists, whose membership Exchange Online manages
// (MsgMailEnabledGroupUpdate), and on dynamic groups (403, graph-facts §2.3).
func checkMembersWritable(g *Group) error {
	if g.IsMailEnabledNonUnified() {
		return BadRequest(MsgMailEnabledGroupUpdate)
	}
	if g.IsDynamic() {
		return Forbidden()
	}
	return nil
}

// AddMemberAs adds a member on behalf of a system actor (dynamic membership evaluation, fixture
// loading); unlike AddMember it is allowed on dynamic groups, mail-enabled security groups and
// distribution lists.
func (tx *Txn) AddMemberAs(actor Actor, groupID, memberID string) error {
	g, obj, err := tx.groupAndObject(groupID, memberID)
	if err != nil {
		return err
	}
	return tx.addMemberLink(g, obj, actor)
}

func (tx *Txn) addMemberLink(g *Group, obj DirectoryObject, actor Actor) error {
	if m, err := tx.membership(g.ID, obj.ID()); err != nil {
		return err
	} else if m != nil {
		return BadRequest(MsgMemberExists)
	}
	if obj.Kind == ObjectGroup {
		if g.IsUnified() {
			return BadRequest(MsgUnifiedMembers)
		}
		if strings.EqualFold(obj.ID(), g.ID) {
			return BadRequest("One or more property values specified are invalid.")
		}
	}
	return tx.insertMemberLink(g, obj, actor)
}

// insertMemberLink writes a member link known to be new, its audit record and the observers' reactions.
func (tx *Txn) insertMemberLink(g *Group, obj DirectoryObject, actor Actor) error {
	m := &Membership{GroupID: g.ID, MemberID: obj.ID(), MemberKind: obj.Kind}
	if err := tx.insert(TableMembers, m); err != nil {
		return err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityAddMember,
		OperationType: "Assign", InitiatedBy: actor, TargetResources: memberTargets(g, obj, true)}); err != nil {
		return err
	}
	return tx.notifyMembership(*m, true)
}

// RemoveMember removes a direct member from a static group and records "Remove member from
// group", as DELETE /groups/{id}/members/{memberId}/$ref does. Errors: 404 for an unknown group or
// object; 400 MsgMailEnabledGroupUpdate on a mail-enabled security group or distribution list; 403
// on a dynamic group; 400 when not a member.
func (tx *Txn) RemoveMember(groupID, memberID string) error {
	g, obj, err := tx.groupAndObject(groupID, memberID)
	if err != nil {
		return err
	}
	if err := checkMembersWritable(g); err != nil {
		return err
	}
	return tx.removeMemberLink(g, obj, tx.actor)
}

// RemoveMemberAs removes a member on behalf of a system actor; allowed on dynamic groups,
// mail-enabled security groups and distribution lists.
func (tx *Txn) RemoveMemberAs(actor Actor, groupID, memberID string) error {
	g, obj, err := tx.groupAndObject(groupID, memberID)
	if err != nil {
		return err
	}
	return tx.removeMemberLink(g, obj, actor)
}

func (tx *Txn) removeMemberLink(g *Group, obj DirectoryObject, actor Actor) error {
	m, err := tx.membership(g.ID, obj.ID())
	if err != nil {
		return err
	}
	if m == nil {
		return BadRequest(MsgMemberAbsent)
	}
	return tx.deleteMemberLink(g, obj, m, actor)
}

// deleteMemberLink removes an existing member link m, writes its audit record and the observers' reactions.
func (tx *Txn) deleteMemberLink(g *Group, obj DirectoryObject, m *Membership, actor Actor) error {
	if err := tx.delete(TableMembers, m); err != nil {
		return err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityRemoveMember,
		OperationType: "Unassign", InitiatedBy: actor, TargetResources: memberTargets(g, obj, false)}); err != nil {
		return err
	}
	return tx.notifyMembership(*m, false)
}

// memberTargets builds the targets of a member audit: the member with Group.ObjectID and
// Group.DisplayName as modified properties (new values on add, old on remove), then the group
// (graph-facts §5.3).
func memberTargets(g *Group, obj DirectoryObject, added bool) []TargetResource {
	idv, namev := jsonString(g.ID), jsonString(g.DisplayName)
	props := []ModifiedProperty{{DisplayName: "Group.ObjectID"}, {DisplayName: "Group.DisplayName"}}
	if added {
		props[0].NewValue, props[1].NewValue = idv, namev
	} else {
		props[0].OldValue, props[1].OldValue = idv, namev
	}
	var member TargetResource
	if obj.User != nil {
		member = userTarget(obj.User, props...)
	} else {
		member = groupTarget(obj.Group, props...)
	}
	return []TargetResource{member, groupTarget(g)}
}

// Members returns the direct members of a group that are active objects, in membership order.
func (tx *Txn) Members(groupID string) ([]DirectoryObject, error) {
	var links []*Membership
	if err := tx.each(TableMembers, IndexGroup, func(raw any) bool { links = append(links, raw.(*Membership)); return true }, strings.ToLower(groupID)); err != nil {
		return nil, err
	}
	out := make([]DirectoryObject, 0, len(links))
	for _, l := range links {
		obj, err := tx.ObjectByID(l.MemberID)
		if err != nil {
			if _, nf := err.(*Error); nf {
				continue // a soft-deleted member: hidden until restored
			}
			return nil, err
		}
		out = append(out, obj)
	}
	return out, nil
}

// MemberIDs calls fn with the id and kind of each direct member link of a group (deleted members included).
func (tx *Txn) MemberIDs(groupID string, fn func(memberID string, kind ObjectKind) bool) error {
	return tx.each(TableMembers, IndexGroup, func(raw any) bool {
		m := raw.(*Membership)
		return fn(m.MemberID, m.MemberKind)
	}, strings.ToLower(groupID))
}

// TransitiveMembers returns the members of a group and of its nested groups, each object once.
func (tx *Txn) TransitiveMembers(groupID string) ([]DirectoryObject, error) {
	seen := map[string]bool{strings.ToLower(groupID): true}
	var out []DirectoryObject
	queue := []string{groupID}
	for len(queue) > 0 {
		gid := queue[0]
		queue = queue[1:]
		members, err := tx.Members(gid)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if seen[m.ID()] {
				continue
			}
			seen[m.ID()] = true
			out = append(out, m)
			if m.Kind == ObjectGroup {
				queue = append(queue, m.ID())
			}
		}
	}
	return out, nil
}

// MemberOf returns the active groups objectID is a direct member of.
func (tx *Txn) MemberOf(objectID string) ([]*Group, error) {
	var ids []string
	if err := tx.each(TableMembers, IndexMember, func(raw any) bool { ids = append(ids, raw.(*Membership).GroupID); return true }, strings.ToLower(objectID)); err != nil {
		return nil, err
	}
	var out []*Group
	for _, id := range ids {
		g, err := tx.groupAny(id)
		if err != nil {
			return nil, err
		}
		if g != nil && !g.Deleted() {
			out = append(out, g)
		}
	}
	return out, nil
}

// TransitiveMemberOf returns the groups objectID belongs to directly or through nesting, each once.
func (tx *Txn) TransitiveMemberOf(objectID string) ([]*Group, error) {
	// A group in a membership cycle isn't listed among its own (as TransitiveMembers leaves it out).
	seen := map[string]bool{strings.ToLower(objectID): true}
	var out []*Group
	queue := []string{objectID}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		groups, err := tx.MemberOf(id)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if seen[g.ID] {
				continue
			}
			seen[g.ID] = true
			out = append(out, g)
			queue = append(queue, g.ID)
		}
	}
	return out, nil
}

// AddOwner adds an owner (a user) to a group and records "Add owner to group".
func (tx *Txn) AddOwner(groupID, ownerID string) error {
	g, obj, err := tx.groupAndObject(groupID, ownerID)
	if err != nil {
		return err
	}
	raw, err := tx.first(TableOwners, IndexID, strings.ToLower(g.ID), strings.ToLower(obj.ID()))
	if err != nil {
		return err
	}
	if raw != nil {
		return BadRequest(MsgOwnerExists)
	}
	if err := tx.insert(TableOwners, &Ownership{GroupID: g.ID, OwnerID: obj.ID(), OwnerKind: obj.Kind}); err != nil {
		return err
	}
	return tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityAddOwner,
		OperationType: "Assign", TargetResources: memberTargets(g, obj, true)})
}

// RemoveOwner removes an owner from a group and records "Remove owner from group".
func (tx *Txn) RemoveOwner(groupID, ownerID string) error {
	g, obj, err := tx.groupAndObject(groupID, ownerID)
	if err != nil {
		return err
	}
	raw, err := tx.first(TableOwners, IndexID, strings.ToLower(g.ID), strings.ToLower(obj.ID()))
	if err != nil {
		return err
	}
	if raw == nil {
		return BadRequest(MsgOwnerAbsent)
	}
	if err := tx.delete(TableOwners, raw); err != nil {
		return err
	}
	return tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityRemoveOwner,
		OperationType: "Unassign", TargetResources: memberTargets(g, obj, false)})
}

// Owners returns a group's active owners.
func (tx *Txn) Owners(groupID string) ([]DirectoryObject, error) {
	var ids []string
	if err := tx.each(TableOwners, IndexGroup, func(raw any) bool { ids = append(ids, raw.(*Ownership).OwnerID); return true }, strings.ToLower(groupID)); err != nil {
		return nil, err
	}
	var out []DirectoryObject
	for _, id := range ids {
		if obj, err := tx.ObjectByID(id); err == nil {
			out = append(out, obj)
		}
	}
	return out, nil
}
