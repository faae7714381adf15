package engine

import "strings"

// GroupByID returns the active group with id, or a 404 error.
func (tx *Txn) GroupByID(id string) (*Group, error) {
	g, err := tx.groupAny(id)
	if err != nil {
		return nil, err
	}
	if g == nil || g.Deleted() {
		return nil, NotFound(id)
	}
	return g, nil
}

func (tx *Txn) groupAny(id string) (*Group, error) {
	raw, err := tx.first(TableGroups, IndexID, strings.ToLower(id))
	if err != nil || raw == nil {
		return nil, err
	}
	return raw.(*Group), nil
}

// Groups calls fn for each active group in id order until fn returns false.
func (tx *Txn) Groups(fn func(*Group) bool) error {
	return tx.each(TableGroups, IndexID, func(raw any) bool {
		g := raw.(*Group)
		if g.Deleted() {
			return true
		}
		return fn(g)
	})
}

// DeletedGroups calls fn for each soft-deleted group until fn returns false.
func (tx *Txn) DeletedGroups(fn func(*Group) bool) error {
	return tx.each(TableGroups, IndexID, func(raw any) bool {
		g := raw.(*Group)
		if !g.Deleted() {
			return true
		}
		return fn(g)
	})
}

// validateGroup checks a group about to be written (graph-facts §1.2, §2.2).
func (tx *Txn) validateGroup(g *Group) error {
	switch {
	case strings.TrimSpace(g.DisplayName) == "":
		return MissingValue("displayName")
	case g.MailNickname == "":
		return MissingValue("mailNickname")
	}
	if len(g.DisplayName) > 256 {
		return InvalidValue("displayName", "Group")
	}
	if !validMailNickname(g.MailNickname, false) {
		return InvalidValue("mailNickname", "Group")
	}
	for _, t := range g.GroupTypes {
		if !strings.EqualFold(t, "Unified") && !strings.EqualFold(t, "DynamicMembership") {
			return InvalidValue("groupTypes", "Group")
		}
	}
	if g.MembershipRuleProcessingState != "" && g.MembershipRuleProcessingState != RuleProcessingOn && g.MembershipRuleProcessingState != RuleProcessingPaused {
		return InvalidValue("membershipRuleProcessingState", "Group")
	}
	if g.Visibility != "" && g.Visibility != "Private" && g.Visibility != "Public" && g.Visibility != "HiddenMembership" {
		return InvalidValue("visibility", "Group")
	}
	if !g.MailEnabled && !g.SecurityEnabled && !g.IsUnified() {
		// A group must be a security group, a Microsoft 365 group or mail-enabled [unc: wording].
		return InvalidValue("securityEnabled", "Group")
	}
	if err := tx.checkUniqueNameUnique(g); err != nil {
		return err
	}
	return tx.checkMailNicknameUnique(g)
}

// checkUniqueNameUnique refuses a uniqueName another active group holds, compared
// case-insensitively like the other directory keys [unc: Graph documents uniqueness, not case].
func (tx *Txn) checkUniqueNameUnique(g *Group) error {
	if g.UniqueName == "" {
		return nil
	}
	var dup bool
	err := tx.each(TableGroups, IndexUniqueName, func(raw any) bool {
		o := raw.(*Group)
		dup = !o.Deleted() && !strings.EqualFold(o.ID, g.ID)
		return !dup
	}, strings.ToLower(g.UniqueName))
	if err != nil {
		return err
	}
	if dup {
		// The duplicate-value wording Graph uses for userPrincipalName (graph-facts §3.2) [unc for this property].
		return DuplicateValue("uniqueName")
	}
	return nil
}

// checkMailNicknameUnique refuses a group with a mail address (a Microsoft 365 group, or a
// mail-enabled security group or distribution list from Exchange) whose mailNickname another
// active group with a mail address has: the nickname is the address's local part, and Exchange
// keeps addresses unique. Graph's group resource documents mailNickname as "unique for Microsoft
// 365 groups in the organization" (microsoft-graph-docs api-reference/v1.0/resources/group.md);
// security groups without mail may share one (scripts commonly give every security group
// "NotSet"). Create, update, restore and fixtures all come through validateGroup, so they agree.
func (tx *Txn) checkMailNicknameUnique(g *Group) error {
	if !g.hasMailAddress() {
		return nil
	}
	var dup bool
	err := tx.each(TableGroups, IndexMailNickname, func(raw any) bool {
		o := raw.(*Group)
		if !o.Deleted() && o.hasMailAddress() && !strings.EqualFold(o.ID, g.ID) {
			dup = true
			return false
		}
		return true
	}, strings.ToLower(g.MailNickname))
	if err != nil {
		return err
	}
	if dup {
		return DuplicateValue("mailNickname")
	}
	return nil
}

// Refusals of writes Graph does not allow on groups of the kinds Exchange Online manages
// (mail-enabled security groups and distribution lists; see Group.IsMailEnabledNonUnified).
const (
	// MsgMailEnabledGroupWrite answers POST /groups with mailEnabled true and no "Unified" in
	// groupTypes, whatever securityEnabled is, and PATCH /groups/{id} setting mailEnabled true on a
	// group that is not a Microsoft 365 group. Observed verbatim on create
	// (microsoftgraph/microsoft-graph-docs-contrib#8276); the PATCH report
	// (microsoftgraph/microsoft-graph-docs-contrib#3748) quotes its first sentence.
	MsgMailEnabledGroupWrite = "The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset and the security-enablement property is set."
	// MsgMailEnabledGroupUpdate answers adding or removing a member of a mail-enabled security
	// group or distribution list, observed verbatim (microsoftgraph/microsoft-graph-docs#14827).
	// PATCH of such a group is refused too (microsoftgraph/microsoft-graph-docs-contrib#3748);
	// that PATCH answers with this same text is [unc].
	MsgMailEnabledGroupUpdate = "Cannot Update a mail-enabled security groups and or distribution list."
	// MsgUnifiedGroupTypeChange answers PATCH /groups/{id} adding "Unified" to groupTypes or
	// removing it: Graph does not convert groups to or from Microsoft 365 groups (groupTypes
	// updates are for toggling "DynamicMembership"). [unc] wording: Graph's text is not documented.
	MsgUnifiedGroupTypeChange = "The 'Unified' group type can't be added or removed after a group is created: a group can't be converted to or from a Microsoft 365 group."
	// MsgUniqueNameImmutable answers PATCH /groups/{id} changing or clearing a uniqueName that is
	// set: group-update documents uniqueName as "Can updated only if null and is immutable once
	// set". [unc] wording: Graph's text is not documented.
	MsgUniqueNameImmutable = "Property 'uniqueName' can't be changed once it is set."
)

// checkGroupCreatable applies the rules Graph adds for API creates: a mail-enabled group must be
// a Microsoft 365 group (MsgMailEnabledGroupWrite).
func checkGroupCreatable(g *Group) error {
	if g.MailEnabled && !g.IsUnified() {
		return BadRequest(MsgMailEnabledGroupWrite)
	}
	return nil
}

// checkGroupUpdatable applies the rules Graph adds for an update of old into g: "Unified" can't be
// added or removed (MsgUnifiedGroupTypeChange), a uniqueName once set can't change
// (MsgUniqueNameImmutable), and a group can't become mail-enabled unless it is
// a Microsoft 365 group (MsgMailEnabledGroupWrite). UpdateGroup refuses changes of mail-enabled
// security groups and distribution lists before it gets here.
func checkGroupUpdatable(old, g *Group) error {
	if old.IsUnified() != g.IsUnified() {
		return BadRequest(MsgUnifiedGroupTypeChange)
	}
	if old.UniqueName != "" && g.UniqueName != old.UniqueName {
		return BadRequest(MsgUniqueNameImmutable)
	}
	return checkGroupCreatable(g)
}

// CreateGroup validates and inserts a group and records "Add group", as POST /groups does: on top
// of the property checks, a mail-enabled group must be a Microsoft 365 group
// (MsgMailEnabledGroupWrite). Microsoft 365 groups get a mail address on the default domain.
func (tx *Txn) CreateGroup(in *Group) (*Group, error) {
	return tx.createGroup(in, true)
}

// LoadGroup creates a group as a tenant fixture describes it: CreateGroup without the rules Graph
// applies only to API writes, so fixtures can hold the mail-enabled security groups and
// distribution lists a real tenant gets from Exchange Online or directory sync, which POST /groups
// refuses. Only the fixture loader calls it.
func (tx *Txn) LoadGroup(in *Group) (*Group, error) {
	return tx.createGroup(in, false)
}

// createGroup inserts a group; apiWrite adds the rules of POST /groups (checkGroupCreatable).
// Mail-enabled groups get a mail address on the default domain.
func (tx *Txn) createGroup(in *Group, apiWrite bool) (*Group, error) {
	g := in.Clone()
	if g.ID == "" {
		g.ID = tx.NewID()
	} else if !IsGUID(g.ID) {
		return nil, InvalidValue("id", "Group")
	}
	g.ID = strings.ToLower(g.ID)
	if existing, err := tx.groupAny(g.ID); err != nil {
		return nil, err
	} else if existing != nil {
		return nil, DuplicateValue("id")
	}
	if err := tx.validateGroup(g); err != nil {
		return nil, err
	}
	if apiWrite {
		if err := checkGroupCreatable(g); err != nil {
			return nil, err
		}
	}
	if err := tx.validateMembershipRule(nil, g); err != nil {
		return nil, err
	}
	if g.CreatedDateTime.IsZero() {
		g.CreatedDateTime = tx.now
	}
	if g.IsDynamic() && g.MembershipRuleProcessingState == "" {
		g.MembershipRuleProcessingState = RuleProcessingOn
	}
	if g.IsUnified() && g.Visibility == "" {
		g.Visibility = "Public"
	}
	if g.hasMailAddress() {
		if org, err := tx.Organization(); err == nil && g.Mail == "" {
			g.Mail = g.MailNickname + "@" + org.DefaultDomain()
			g.ProxyAddresses = []string{"SMTP:" + g.Mail}
		}
	}
	g.DeletedDateTime = nil
	g.AssignedLicenses, g.LicenseProcessingState = nil, ""
	if err := tx.insert(TableGroups, g); err != nil {
		return nil, err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityAddGroup,
		OperationType: "Add", TargetResources: []TargetResource{groupTarget(g)}}); err != nil {
		return nil, err
	}
	return g, tx.notifyGroup(nil, g)
}

// UpdateGroup writes changed properties of an active group and records "Update group", as
// PATCH /groups/{id} does. License fields are kept from the stored group. Refused with a 400: any
// change of a mail-enabled security group or distribution list (MsgMailEnabledGroupUpdate), adding
// or removing "Unified" in groupTypes (MsgUnifiedGroupTypeChange), changing a uniqueName once set
// (MsgUniqueNameImmutable), and setting mailEnabled on a group that is not a Microsoft 365 group
// (MsgMailEnabledGroupWrite).
func (tx *Txn) UpdateGroup(in *Group) (*Group, error) {
	old, err := tx.GroupByID(in.ID)
	if err != nil {
		return nil, err
	}
	g := in.Clone()
	g.ID, g.CreatedDateTime, g.DeletedDateTime = old.ID, old.CreatedDateTime, nil
	g.AssignedLicenses, g.LicenseProcessingState = old.AssignedLicenses, old.LicenseProcessingState
	if old.IsMailEnabledNonUnified() {
		return nil, BadRequest(MsgMailEnabledGroupUpdate)
	}
	if err := tx.validateGroup(g); err != nil {
		return nil, err
	}
	if err := checkGroupUpdatable(old, g); err != nil {
		return nil, err
	}
	if err := tx.validateMembershipRule(old, g); err != nil {
		return nil, err
	}
	if g.IsDynamic() && g.MembershipRuleProcessingState == "" {
		g.MembershipRuleProcessingState = RuleProcessingOn
	}
	if err := tx.insert(TableGroups, g); err != nil {
		return nil, err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityUpdateGroup,
		OperationType: "Update", TargetResources: []TargetResource{groupTarget(g)}}); err != nil {
		return nil, err
	}
	return g, tx.notifyGroup(old, g)
}

// PutGroupLicenses replaces a group's license fields; only the licensing engine calls it.
func (tx *Txn) PutGroupLicenses(id string, licenses []AssignedLicense, processingState string) (*Group, error) {
	old, err := tx.GroupByID(id)
	if err != nil {
		return nil, err
	}
	g := old.Clone()
	g.AssignedLicenses, g.LicenseProcessingState = cloneLicenses(licenses), processingState
	return g, tx.insert(TableGroups, g)
}

// DeleteGroup deletes an active group and records "Delete group". A group that still has licenses
// assigned can't be deleted (graph-facts §4.4). Microsoft 365 and security groups are soft-deleted
// (kept 30 days in deletedItems) unless Options.HardDeleteSecurityGroups; mail-enabled distribution
// groups are always removed for good.
func (tx *Txn) DeleteGroup(id string) error {
	old, err := tx.GroupByID(id)
	if err != nil {
		return err
	}
	if len(old.AssignedLicenses) > 0 {
		return BadRequest(MsgDeleteLicensedGroup)
	}
	soft := old.IsUnified() || (old.SecurityEnabled && !tx.s.opts.HardDeleteSecurityGroups)
	if !soft {
		return tx.purgeGroup(old, ActivityDeleteGroup)
	}
	g := old.Clone()
	t := tx.now
	g.DeletedDateTime = &t
	if err := tx.insert(TableGroups, g); err != nil {
		return err
	}
	if err := tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: ActivityDeleteGroup,
		OperationType: "Delete", TargetResources: []TargetResource{groupTarget(g)}}); err != nil {
		return err
	}
	return tx.notifyGroup(old, g)
}

// MsgDeleteLicensedGroup is the refusal to delete a group with licenses. Graph's exact text is not
// documented (graph-facts §3.3 [unc]); this follows the licensing documentation's wording.
const MsgDeleteLicensedGroup = "It isn't possible to delete a group with an active license assigned. Remove all licenses from the group before deleting it."

// purgeGroup removes a group and its links for good.
func (tx *Txn) purgeGroup(g *Group, activity string) error {
	var links []any
	for _, table := range []string{TableMembers, TableOwners} {
		if err := tx.each(table, IndexGroup, func(raw any) bool { links = append(links, raw); return true }, strings.ToLower(g.ID)); err != nil {
			return err
		}
	}
	if err := tx.each(TableMembers, IndexMember, func(raw any) bool { links = append(links, raw); return true }, strings.ToLower(g.ID)); err != nil {
		return err
	}
	for _, l := range links {
		table := TableMembers
		if _, ok := l.(*Ownership); ok {
			table = TableOwners
		}
		if err := tx.delete(table, l); err != nil {
			return err
		}
	}
	if err := tx.delete(TableGroups, g); err != nil {
		return err
	}
	tx.s.dyn.forget(g.ID)
	return tx.Audit(AuditRecord{Category: CategoryGroupManagement, ActivityDisplayName: activity,
		OperationType: "Delete", TargetResources: []TargetResource{groupTarget(g)}})
}

// GroupsByIndex calls fn for each active group whose indexed property (IndexDisplayName,
// IndexMailNickname) equals value, or starts with it when prefix is set; case-insensitive.
func (tx *Txn) GroupsByIndex(index, value string, prefix bool, fn func(*Group) bool) error {
	if prefix {
		index += "_prefix"
	}
	return tx.each(TableGroups, index, func(raw any) bool {
		g := raw.(*Group)
		if g.Deleted() {
			return true
		}
		return fn(g)
	}, strings.ToLower(value))
}

// hasMailAddress reports whether the group gets a mail address: Microsoft 365 groups and
// mail-enabled groups.
func (g *Group) hasMailAddress() bool { return g.IsUnified() || g.MailEnabled }
