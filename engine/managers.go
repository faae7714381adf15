package engine

import (
	"strings"

	memdb "github.com/hashicorp/go-memdb"
)

// Manager links: a user's manager (a user; graphmock doesn't model orgContacts) and, read the
// other way, the manager's direct reports. A link survives the soft delete of either side, hidden
// while that side is deleted and back when it is restored (as member links are); a hard delete
// removes it.

// Messages for manager changes.
const (
	// MsgOwnManager refuses a user as their own manager. Graph refuses it; its exact wording is
	// not documented [unc].
	MsgOwnManager = "A user cannot be assigned as their own manager."
)

// ManagerLink is one user → manager link; a user has at most one.
type ManagerLink struct {
	UserID    string
	ManagerID string
}

func managersTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableManagers, Indexes: map[string]*memdb.IndexSchema{
		IndexID:      {Name: IndexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "UserID", Lowercase: true}},
		IndexManager: {Name: IndexManager, Indexer: &memdb.StringFieldIndex{Field: "ManagerID", Lowercase: true}},
	}}
}

// ErrNoManager is the 404 of a user without a manager (or whose manager is soft-deleted): Graph
// answers GET /users/{id}/manager with "Resource 'manager' does not exist or one of its queried
// reference-property objects are not present." [obs].
func ErrNoManager() *Error { return NotFound("manager") }

func (tx *Txn) managerLink(userID string) (*ManagerLink, error) {
	raw, err := tx.first(TableManagers, IndexID, strings.ToLower(userID))
	if err != nil || raw == nil {
		return nil, err
	}
	return raw.(*ManagerLink), nil
}

// ManagerID returns the id of userID's manager link, the manager deleted or not; "" when none.
func (tx *Txn) ManagerID(userID string) (string, error) {
	l, err := tx.managerLink(userID)
	if err != nil || l == nil {
		return "", err
	}
	return l.ManagerID, nil
}

// ManagerOf returns the active manager of the user with userID, or nil when there is none (or the
// manager is soft-deleted).
func (tx *Txn) ManagerOf(userID string) (*User, error) {
	l, err := tx.managerLink(userID)
	if err != nil || l == nil {
		return nil, err
	}
	m, err := tx.userAny(l.ManagerID)
	if err != nil || m == nil || m.Deleted() {
		return nil, err
	}
	return m, nil
}

// Manager returns the manager of the active user userRef (id or userPrincipalName), as GET
// /users/{id}/manager does. Errors: 404 for an unknown user; 404 ErrNoManager when the user has
// no active manager.
func (tx *Txn) Manager(userRef string) (*User, error) {
	u, err := tx.UserByRef(userRef)
	if err != nil {
		return nil, err
	}
	m, err := tx.ManagerOf(u.ID)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, ErrNoManager()
	}
	return m, nil
}

// SetManager makes managerID the manager of the active user userRef, replacing any manager, and
// records "Set user manager", as PUT /users/{id}/manager/$ref does. Errors: 404 for an unknown
// user or manager (the manager must be an active user: a group is not found); 400 MsgOwnManager
// for a user as their own manager. Setting the manager a user already has changes nothing.
func (tx *Txn) SetManager(userRef, managerID string) error {
	u, err := tx.UserByRef(userRef)
	if err != nil {
		return err
	}
	m, err := tx.UserByID(managerID)
	if err != nil {
		return err
	}
	if strings.EqualFold(u.ID, m.ID) {
		return BadRequest(MsgOwnManager)
	}
	old, err := tx.managerLink(u.ID)
	if err != nil {
		return err
	}
	if old != nil && strings.EqualFold(old.ManagerID, m.ID) {
		return nil
	}
	var prev *User
	if old != nil {
		if prev, err = tx.userAny(old.ManagerID); err != nil {
			return err
		}
	}
	if err := tx.insert(TableManagers, &ManagerLink{UserID: u.ID, ManagerID: m.ID}); err != nil {
		return err
	}
	return tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivitySetUserManager,
		OperationType: "Assign", TargetResources: managerTargets(u, prev, m)})
}

// RemoveManager removes the manager of the active user userRef and records "Update user" with a
// Manager modified property [unc: Entra's activity name for a manager removal is not confirmed],
// as DELETE /users/{id}/manager/$ref does. Errors: 404 for an unknown user; 404 ErrNoManager when
// the user has no active manager.
func (tx *Txn) RemoveManager(userRef string) error {
	u, err := tx.UserByRef(userRef)
	if err != nil {
		return err
	}
	m, err := tx.ManagerOf(u.ID)
	if err != nil {
		return err
	}
	if m == nil {
		return ErrNoManager()
	}
	l, err := tx.managerLink(u.ID)
	if err != nil {
		return err
	}
	if err := tx.delete(TableManagers, l); err != nil {
		return err
	}
	return tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: ActivityUpdateUser,
		OperationType: "Update", TargetResources: managerTargets(u, m, nil)})
}

// managerTargets builds the targets of a manager change: the user with Manager.ObjectID and
// Manager.DisplayName as modified properties (old and new values), then the new manager if any
// [unc: property names modelled on member records, graph-facts §5.3].
func managerTargets(u, old, manager *User) []TargetResource {
	props := []ModifiedProperty{{DisplayName: "Manager.ObjectID"}, {DisplayName: "Manager.DisplayName"}}
	if old != nil {
		props[0].OldValue, props[1].OldValue = jsonString(old.ID), jsonString(old.DisplayName)
	}
	if manager != nil {
		props[0].NewValue, props[1].NewValue = jsonString(manager.ID), jsonString(manager.DisplayName)
	}
	out := []TargetResource{userTarget(u, props...)}
	if manager != nil {
		out = append(out, userTarget(manager))
	}
	return out
}

// LoadManager writes a manager link as it is, without checks on deleted state or audit records:
// fixtures use it to reproduce exported links (a deleted user keeps its links for a restore).
// Both users must exist; a user can't be their own manager.
func (tx *Txn) LoadManager(userID, managerID string) error {
	u, err := tx.userAny(userID)
	if err != nil {
		return err
	}
	if u == nil {
		return NotFound(userID)
	}
	m, err := tx.userAny(managerID)
	if err != nil {
		return err
	}
	if m == nil {
		return NotFound(managerID)
	}
	if strings.EqualFold(u.ID, m.ID) {
		return BadRequest(MsgOwnManager)
	}
	return tx.insert(TableManagers, &ManagerLink{UserID: u.ID, ManagerID: m.ID})
}

// DirectReports returns the active users whose manager is managerID, in user id order.
func (tx *Txn) DirectReports(managerID string) ([]DirectoryObject, error) {
	var ids []string
	if err := tx.each(TableManagers, IndexManager, func(raw any) bool { ids = append(ids, raw.(*ManagerLink).UserID); return true }, strings.ToLower(managerID)); err != nil {
		return nil, err
	}
	out := make([]DirectoryObject, 0, len(ids))
	for _, id := range ids {
		u, err := tx.userAny(id)
		if err != nil {
			return nil, err
		}
		if u != nil && !u.Deleted() {
			out = append(out, DirectoryObject{Kind: ObjectUser, User: u})
		}
	}
	return out, nil
}

// purgeManagerLinks removes the links where userID is the user or the manager (hard delete).
func (tx *Txn) purgeManagerLinks(userID string) error {
	var links []any
	if l, err := tx.managerLink(userID); err != nil {
		return err
	} else if l != nil {
		links = append(links, l)
	}
	if err := tx.each(TableManagers, IndexManager, func(raw any) bool { links = append(links, raw); return true }, strings.ToLower(userID)); err != nil {
		return err
	}
	for _, l := range links {
		if err := tx.delete(TableManagers, l); err != nil {
			return err
		}
	}
	return nil
}
