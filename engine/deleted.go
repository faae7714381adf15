package engine

import "strings"

// DeletedObject returns a soft-deleted user or group by id, or a 404 error (graph-facts §2.7).
func (tx *Txn) DeletedObject(id string) (DirectoryObject, error) {
	if u, err := tx.userAny(id); err != nil {
		return DirectoryObject{}, err
	} else if u != nil && u.Deleted() {
		return DirectoryObject{Kind: ObjectUser, User: u}, nil
	}
	if g, err := tx.groupAny(id); err != nil {
		return DirectoryObject{}, err
	} else if g != nil && g.Deleted() {
		return DirectoryObject{Kind: ObjectGroup, Group: g}, nil
	}
	return DirectoryObject{}, NotFound(id)
}

// RestoreObject brings a soft-deleted user or group back with its memberships and records
// "Restore user" / "Restore group". A restore whose userPrincipalName, onPremisesImmutableId,
// sign-in identity or mailNickname has been taken meanwhile fails with the duplicate-value 400.
func (tx *Txn) RestoreObject(id string) (DirectoryObject, error) {
	obj, err := tx.DeletedObject(id)
	if err != nil {
		return DirectoryObject{}, err
	}
	if obj.User != nil {
		old := obj.User
		u := old.Clone()
		u.DeletedDateTime = nil
		if other, err := tx.activeUserByUPN(u.UserPrincipalName); err != nil {
			return DirectoryObject{}, err
		} else if other != nil {
			return DirectoryObject{}, DuplicateValue("userPrincipalName")
		}
		if err := tx.checkUniqueUserValues(u, nil); err != nil {
			return DirectoryObject{}, err
		}
		if err := tx.putUserRow(u); err != nil {
			return DirectoryObject{}, err
		}
		if err := tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivityRestoreUser,
			OperationType: "Update", TargetResources: []TargetResource{userTarget(u)}}); err != nil {
			return DirectoryObject{}, err
		}
		if err := tx.notifyUser(old, u); err != nil {
			return DirectoryObject{}, err
		}
		return DirectoryObject{Kind: ObjectUser, User: u}, nil
	}
	old := obj.Group
	g := old.Clone()
	g.DeletedDateTime = nil
	if err := tx.validateGroup(g); err != nil {
		return DirectoryObject{}, err
	}
	if err := tx.insert(TableGroups, g); err != nil {
		return DirectoryObject{}, err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityRestoreGroup,
		OperationType: "Update", TargetResources: []TargetResource{groupTarget(g)}}); err != nil {
		return DirectoryObject{}, err
	}
	if err := tx.notifyGroup(old, g); err != nil {
		return DirectoryObject{}, err
	}
	return DirectoryObject{Kind: ObjectGroup, Group: g}, nil
}

// PurgeObject permanently deletes a soft-deleted user or group with its links and records
// "Hard Delete user" / "Hard Delete group".
func (tx *Txn) PurgeObject(id string) error {
	obj, err := tx.DeletedObject(id)
	if err != nil {
		return err
	}
	if obj.Group != nil {
		return tx.purgeGroup(obj.Group, ActivityHardDeleteGroup)
	}
	u := obj.User
	var links []*Membership
	if err := tx.each(TableMembers, IndexMember, func(raw any) bool { links = append(links, raw.(*Membership)); return true }, strings.ToLower(u.ID)); err != nil {
		return err
	}
	for _, l := range links {
		if err := tx.delete(TableMembers, l); err != nil {
			return err
		}
	}
	var owned []any
	if err := tx.each(TableOwners, IndexMember, func(raw any) bool { owned = append(owned, raw); return true }, strings.ToLower(u.ID)); err != nil {
		return err
	}
	for _, o := range owned {
		if err := tx.delete(TableOwners, o); err != nil {
			return err
		}
	}
	if err := tx.deleteUserRows(u); err != nil {
		return err
	}
	return tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivityHardDeleteUser,
		OperationType: "Delete", TargetResources: []TargetResource{userTarget(u)}})
}
