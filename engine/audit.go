package engine

import (
	"strconv"
	"time"
)

// Audit categories and services (graph-facts §1.6, §5.1).
const (
	CategoryUserManagement  = "UserManagement"
	CategoryGroupManagement = "GroupManagement"
	ServiceCoreDirectory    = "Core Directory"
)

// Audit activity display names (graph-facts §5.1).
const (
	ActivityAddUser               = "Add user"
	ActivityUpdateUser            = "Update user"
	ActivityDeleteUser            = "Delete user"
	ActivityHardDeleteUser        = "Hard Delete user"
	ActivityRestoreUser           = "Restore user"
	ActivityChangeUserLicense     = "Change user license"
	ActivitySetUserManager        = "Set user manager"
	ActivityAddGroup              = "Add group"
	ActivityUpdateGroup           = "Update group"
	ActivityDeleteGroup           = "Delete group"
	ActivityHardDeleteGroup       = "Hard Delete group"
	ActivityRestoreGroup          = "Restore group"
	ActivityAddMember             = "Add member to group"
	ActivityRemoveMember          = "Remove member from group"
	ActivityAddOwner              = "Add owner to group"
	ActivityRemoveOwner           = "Remove owner from group"
	ActivitySetGroupLicense       = "Set group license"
	ActivityStartGroupLicense     = "Start applying group based license to users"
	ActivityFinishGroupLicense    = "Finish applying group based license to users"
	ActivityTriggerGroupLicensing = "Trigger group license recalculation"
)

// Actor is who performs an operation: a user (delegated call) or an app (app-only call or a
// system service such as group-based licensing). Exactly one side is set.
type Actor struct {
	User *UserIdentity
	App  *AppIdentity
}

// UserIdentity is initiatedBy.user of a directory audit (graph-facts §1.6).
type UserIdentity struct {
	ID                string
	DisplayName       string
	UserPrincipalName string
	IPAddress         string
}

// AppIdentity is initiatedBy.app of a directory audit (graph-facts §1.6).
type AppIdentity struct {
	AppID                string
	DisplayName          string
	ServicePrincipalID   string
	ServicePrincipalName string
}

// AuditRecord is a directoryAudit (graph-facts §1.6).
type AuditRecord struct {
	ID                  string
	Seq                 uint64 // insertion order, for stable sorting of records with equal times
	Category            string
	CorrelationID       string
	Result              string // success, failure
	ResultReason        string
	ActivityDisplayName string
	ActivityDateTime    time.Time
	LoggedByService     string
	OperationType       string // Add, Update, Delete, Assign, Unassign
	InitiatedBy         Actor
	TargetResources     []TargetResource
	AdditionalDetails   []KeyValue
}

// TargetResource is one object an audited activity touched (graph-facts §1.6).
type TargetResource struct {
	ID                 string
	DisplayName        string
	Type               string // User, Group, Other
	UserPrincipalName  string // users only
	GroupType          string // groups only: unifiedGroups, azureAD
	ModifiedProperties []ModifiedProperty
}

// ModifiedProperty is {displayName, oldValue, newValue}; values are JSON-encoded strings, nil = null.
type ModifiedProperty struct {
	DisplayName string
	OldValue    *string
	NewValue    *string
}

// KeyValue is an additionalDetails entry.
type KeyValue struct {
	Key   string
	Value string
}

// auditID builds an id in the shape real Core Directory records use: Directory_<correlation>_<n>.
func auditID(correlationID string, seq uint64) string {
	return "Directory_" + correlationID + "_" + strconv.FormatUint(seq, 10)
}

func userTarget(u *User, props ...ModifiedProperty) TargetResource {
	return TargetResource{ID: u.ID, DisplayName: u.DisplayName, Type: "User", UserPrincipalName: u.UserPrincipalName, ModifiedProperties: props}
}

func groupTarget(g *Group, props ...ModifiedProperty) TargetResource {
	gt := "azureAD"
	if g.IsUnified() {
		gt = "unifiedGroups"
	}
	return TargetResource{ID: g.ID, DisplayName: g.DisplayName, Type: "Group", GroupType: gt, ModifiedProperties: props}
}
