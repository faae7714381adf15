package engine

import (
	memdb "github.com/hashicorp/go-memdb"
)

// Table names.
const (
	TableOrganization = "organization"
	TableUsers        = "users"
	TableGroups       = "groups"
	TableMembers      = "members"
	TableOwners       = "owners"
	TableManagers     = "managers"
	TableSkus         = "subscribedSkus"
	TableAudits       = "directoryAudits"
)

// Index names.
const (
	IndexID           = "id"
	IndexUPN          = "userPrincipalName"
	IndexMailNickname = "mailNickname"
	IndexGroup        = "group"
	IndexMember       = "member"
	// IndexManager indexes manager links by the manager's id (a user's direct reports).
	IndexManager = "manager"
	// IndexSeq orders audit blocks by the Seq of their first record: it is the audits table's
	// id index.
	IndexSeq         = IndexID
	IndexPartNumber  = "skuPartNumber"
	IndexDisplayName = "displayName"
	IndexMail        = "mail"
	IndexImmutableID = "onPremisesImmutableId"
	IndexUniqueName  = "uniqueName"
	// IndexDynamic indexes groups by whether they are dynamic (query it with true).
	IndexDynamic = "dynamic"
)

func organizationTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableOrganization, Indexes: map[string]*memdb.IndexSchema{
		IndexID: {Name: IndexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID", Lowercase: true}},
	}}
}

func usersTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableUsers, Indexes: map[string]*memdb.IndexSchema{
		IndexID: {Name: IndexID, Unique: true, Indexer: userField(func(u *User) string { return u.ID })},
		// Not unique: a soft-deleted user keeps its userPrincipalName; uniqueness among
		// active users is checked by the engine.
		IndexUPN: {Name: IndexUPN, Indexer: userField(func(u *User) string { return u.UserPrincipalName })},
		// Lower-cased, for eq and startswith filters on displayName and mail (prefix queries).
		IndexDisplayName: {Name: IndexDisplayName, AllowMissing: true, Indexer: userField(func(u *User) string { return u.DisplayName })},
		IndexMail:        {Name: IndexMail, AllowMissing: true, Indexer: userField(func(u *User) string { return u.Mail })},
		// Users synced from on-premises directories; its uniqueness is checked by the engine.
		IndexImmutableID: {Name: IndexImmutableID, AllowMissing: true, Indexer: userField(func(u *User) string { return u.OnPremisesImmutableID })},
	}}
}

// userField indexes a user's string field lower-cased, like a lower-casing memdb.StringFieldIndex.
func userField(get func(*User) string) strIndex {
	return strIndex{lower: true, get: func(obj any) (string, bool) {
		u, ok := obj.(*User)
		if !ok {
			return "", false
		}
		return get(u), true
	}}
}

func groupsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableGroups, Indexes: map[string]*memdb.IndexSchema{
		IndexID:           {Name: IndexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID", Lowercase: true}},
		IndexMailNickname: {Name: IndexMailNickname, Indexer: &memdb.StringFieldIndex{Field: "MailNickname", Lowercase: true}},
		IndexDisplayName:  {Name: IndexDisplayName, AllowMissing: true, Indexer: &memdb.StringFieldIndex{Field: "DisplayName", Lowercase: true}},
		// Not unique: a soft-deleted group keeps its uniqueName; uniqueness among active groups
		// is checked by the engine.
		IndexUniqueName: {Name: IndexUniqueName, AllowMissing: true, Indexer: &memdb.StringFieldIndex{Field: "UniqueName", Lowercase: true}},
		IndexDynamic: {Name: IndexDynamic, Indexer: &memdb.ConditionalIndex{Conditional: func(obj any) (bool, error) {
			return obj.(*Group).IsDynamic(), nil
		}}},
	}}
}

func linkTable(name, memberField string) *memdb.TableSchema {
	return &memdb.TableSchema{Name: name, Indexes: map[string]*memdb.IndexSchema{
		IndexID: {Name: IndexID, Unique: true, Indexer: &memdb.CompoundIndex{Indexes: []memdb.Indexer{
			&memdb.StringFieldIndex{Field: "GroupID", Lowercase: true},
			&memdb.StringFieldIndex{Field: memberField, Lowercase: true},
		}}},
		IndexGroup:  {Name: IndexGroup, Indexer: &memdb.StringFieldIndex{Field: "GroupID", Lowercase: true}},
		IndexMember: {Name: IndexMember, Indexer: &memdb.StringFieldIndex{Field: memberField, Lowercase: true}},
	}}
}

func skusTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableSkus, Indexes: map[string]*memdb.IndexSchema{
		IndexID:         {Name: IndexID, Unique: true, Indexer: &memdb.StringFieldIndex{Field: "SkuID", Lowercase: true}},
		IndexPartNumber: {Name: IndexPartNumber, Indexer: &memdb.StringFieldIndex{Field: "SkuPartNumber", Lowercase: true}},
	}}
}

// Schema returns the go-memdb schema of one tenant.
func Schema() *memdb.DBSchema {
	tables := []*memdb.TableSchema{
		organizationTable(), usersTable(), groupsTable(),
		linkTable(TableMembers, "MemberID"), linkTable(TableOwners, "OwnerID"), managersTable(),
		skusTable(), auditsTable(), userLicensesTable(), applicationsTable(),
	}
	s := &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{}}
	for _, t := range tables {
		s.Tables[t.Name] = t
	}
	return s
}
