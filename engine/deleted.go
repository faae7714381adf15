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

// DeletedUPN is the userPrincipalName Entra gives user id when it is soft-deleted: the object id
// without hyphens followed by the name it had (alice@contoso.com becomes
// 4d2c…9e1falice@contoso.com), which frees the name for another user; a restore gives it back
// (OriginalUPN). A name already renamed is returned as it is.
func DeletedUPN(id, upn string) string {
	if p, renamed := deletedPrefix(id, upn); !renamed {
		return p + upn
	}
	return upn
}

// OriginalUPN is the userPrincipalName soft-deleted user id had before DeletedUPN renamed it;
// upn itself when it isn't renamed.
func OriginalUPN(id, upn string) string {
	if p, renamed := deletedPrefix(id, upn); renamed {
		return upn[len(p):]
	}
	return upn
}

// deletedPrefix returns the prefix a deletion puts before user id's userPrincipalName (the id
// without hyphens) and whether upn already starts with it.
func deletedPrefix(id, upn string) (string, bool) {
	p := strings.ReplaceAll(strings.ToLower(id), "-", "")
	return p, len(upn) > len(p) && strings.EqualFold(upn[:len(p)], p)
}

// renameUser gives u (a copy about to be written) userPrincipalName upn, with the sign-in
// identity that follows it.
func (tx *Txn) renameUser(u *User, upn string) error {
	org, err := tx.Organization()
	if err != nil {
		return err
	}
	u.UserPrincipalName = upn
	syncIdentities(u, identityIssuer(org))
	return nil
}

// RestoreOptions are the optional parameters of POST /directory/deletedItems/{id}/restore
// (directory-deleteditems-restore).
type RestoreOptions struct {
	// NewUserPrincipalName gives a restored user this userPrincipalName instead of the one it
	// had, validated like any user's (verified domain, unique among active users). Graph uses it
	// only for users; a group's restore ignores it.
	NewUserPrincipalName string
}

// RestoreObject is RestoreObjectWith without options.
func (tx *Txn) RestoreObject(id string) (DirectoryObject, error) {
	return tx.RestoreObjectWith(id, RestoreOptions{})
}

// RestoreObjectWith brings a soft-deleted user or group back with its memberships and records
// "Restore user" / "Restore group". A restore whose userPrincipalName, onPremisesImmutableId,
// sign-in identity or mailNickname has been taken meanwhile fails with the duplicate-value 400.
// A user gets its userPrincipalName back (OriginalUPN).
func (tx *Txn) RestoreObjectWith(id string, opts RestoreOptions) (DirectoryObject, error) {
	obj, err := tx.DeletedObject(id)
	if err != nil {
		return DirectoryObject{}, err
	}
	if obj.User != nil {
		old := obj.User
		u := old.Clone()
		u.DeletedDateTime = nil
		if err := tx.renameUser(u, OriginalUPN(u.ID, u.UserPrincipalName)); err != nil {
			return DirectoryObject{}, err
		}
		if opts.NewUserPrincipalName != "" {
			u.UserPrincipalName = opts.NewUserPrincipalName
			if err := tx.validateUser(u, old); err != nil {
				return DirectoryObject{}, err
			}
		}
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
	if err := tx.purgeManagerLinks(u.ID); err != nil {
		return err
	}
	if err := tx.deleteUserRows(u); err != nil {
		return err
	}
	return tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivityHardDeleteUser,
		OperationType: "Delete", TargetResources: []TargetResource{userTarget(u)}})
}
