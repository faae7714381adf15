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
	var dup bool
	err := tx.each(TableGroups, IndexMailNickname, func(raw any) bool {
		o := raw.(*Group)
		if !o.Deleted() && !strings.EqualFold(o.ID, g.ID) {
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

// CreateGroup validates and inserts a group and records "Add group". Microsoft 365 groups get a
// mail address on the default domain.
func (tx *Txn) CreateGroup(in *Group) (*Group, error) {
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
	if err := tx.validateMembershipRule(nil, g); err != nil {
		return nil, err
	}
	if g.CreatedDateTime.IsZero() {
		g.CreatedDateTime = tx.now
	}
	if g.IsDynamic() && g.MembershipRuleProcessingState == "" {
		g.MembershipRuleProcessingState = RuleProcessingOn
	}
	if g.IsUnified() {
		if g.Visibility == "" {
			g.Visibility = "Public"
		}
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

// UpdateGroup writes changed properties of an active group and records "Update group".
// License fields are kept from the stored group.
func (tx *Txn) UpdateGroup(in *Group) (*Group, error) {
	old, err := tx.GroupByID(in.ID)
	if err != nil {
		return nil, err
	}
	g := in.Clone()
	g.ID, g.CreatedDateTime, g.DeletedDateTime = old.ID, old.CreatedDateTime, nil
	g.AssignedLicenses, g.LicenseProcessingState = old.AssignedLicenses, old.LicenseProcessingState
	if err := tx.validateGroup(g); err != nil {
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
