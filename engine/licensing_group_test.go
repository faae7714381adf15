package engine_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
)

func TestAssignGroupLicenseEligibility(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		security, unified bool
		wantErr           string
	}{
		{name: "security group", security: true},
		{name: "Microsoft 365 group with securityEnabled", security: true, unified: true},
		{name: "Microsoft 365 group", unified: true,
			wantErr: "Group-based licensing can only be used with security groups and Microsoft 365 groups that have securityEnabled=true."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			uid := e.user("Adele Vance", "US")
			gid := e.group("G", tc.security, tc.unified, uid)
			err := e.try(func(tx *engine.Txn) error {
				_, err := tx.AssignGroupLicense(gid, []engine.AssignedLicense{lic(skuE3)}, nil)
				return err
			})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if assigned(e.getUser(uid), skuE3) == nil {
					t.Fatal("member not licensed")
				}
				return
			}
			var ee *engine.Error
			if !errors.As(err, &ee) || ee.Code != "Request_BadRequest" || ee.Message != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if g := e.getGroup(gid); len(g.AssignedLicenses) != 0 {
				t.Fatal("refused group got licenses")
			}
		})
	}
}

// TestAssignGroupLicenseExchangeGroups checks eligibility of the group kinds only fixtures can
// load: a mail-enabled security group is a security group and takes licenses; a distribution
// list is not security enabled and is refused.
func TestAssignGroupLicenseExchangeGroups(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kind    groupKind
		wantErr string
	}{
		{name: "mail-enabled security group", kind: kindMailEnabledSecurity},
		{name: "distribution list", kind: kindDistributionList,
			wantErr: "Group-based licensing can only be used with security groups and Microsoft 365 groups that have securityEnabled=true."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10)
			uid := e.user("Adele Vance", "US")
			gid := e.loadGroup(tc.kind, "Exchange", "exchange", uid)
			err := e.try(func(tx *engine.Txn) error {
				_, err := tx.AssignGroupLicense(gid, []engine.AssignedLicense{lic(skuE3)}, nil)
				return err
			})
			if tc.wantErr != "" {
				wantBadRequest(t, err, tc.wantErr)
				if len(e.getGroup(gid).AssignedLicenses) != 0 || assigned(e.getUser(uid), skuE3) != nil {
					t.Fatal("refused group got licenses")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st := state(e.getUser(uid), skuE3, gid); st == nil || assigned(e.getUser(uid), skuE3) == nil {
				t.Fatal("member not licensed through the group")
			}
		})
	}
}

func TestGroupProcessingStatesAndAudit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10, withMode(engine.ProcessingManual, 0))
	u1, u2 := e.user("Adele Vance", "US"), e.user("Alex Wilber", "")
	nested := e.user("Nested Member", "US")
	inner := e.group("Inner", true, false, nested)
	gid := e.group("E3 users", true, false, u1, u2, inner)
	e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3, planSway)})
	g := e.getGroup(gid)
	if g.LicenseProcessingState != "QueuedForProcessing" || len(g.AssignedLicenses) != 1 {
		t.Fatalf("group right after assignLicense: %q %+v", g.LicenseProcessingState, g.AssignedLicenses)
	}
	if len(e.getUser(u1).AssignedLicenses) != 0 {
		t.Fatal("manual mode applied licenses before a step")
	}
	if st := e.s.Processing().Status(); st.Pending != 1 {
		t.Fatalf("status = %+v", st)
	}
	if !e.s.Processing().Step() {
		t.Fatal("Step found nothing")
	}
	e.check()
	if g := e.getGroup(gid); g.LicenseProcessingState != "ProcessingComplete" {
		t.Fatalf("state after step = %q", g.LicenseProcessingState)
	}
	for _, id := range []string{u1, u2} {
		u := e.getUser(id)
		s := state(u, skuE3, gid)
		if s == nil || s.State != "Active" || s.Error != "None" || len(s.DisabledPlans) != 1 {
			t.Fatalf("user %s state = %+v", u.DisplayName, s)
		}
	}
	// Usage location falls back to the organization's and is never written.
	if u := e.getUser(u2); u.UsageLocation != "" {
		t.Fatalf("usageLocation written: %q", u.UsageLocation)
	}
	// Nested groups' members get nothing.
	if u := e.getUser(nested); len(u.AssignedLicenses) != 0 {
		t.Fatalf("nested member licensed: %+v", u.AssignedLicenses)
	}
	if e.sku(skuE3).ConsumedUnits != 2 {
		t.Fatalf("consumedUnits = %d", e.sku(skuE3).ConsumedUnits)
	}
	var acts []string
	var corr string
	for _, r := range e.audits() {
		switch r.ActivityDisplayName {
		case "Set group license":
			corr = r.CorrelationID
			if r.InitiatedBy.User == nil {
				t.Fatal("Set group license not by the caller")
			}
			acts = append(acts, r.ActivityDisplayName)
		case "Start applying group based license to users", "Change user license", "Finish applying group based license to users":
			if r.CorrelationID != corr {
				t.Fatalf("%s correlation %s, want %s", r.ActivityDisplayName, r.CorrelationID, corr)
			}
			if r.InitiatedBy.App == nil || r.InitiatedBy.App.DisplayName != "Microsoft Azure AD Group-Based Licensing" {
				t.Fatalf("%s actor = %+v", r.ActivityDisplayName, r.InitiatedBy)
			}
			acts = append(acts, r.ActivityDisplayName)
			if r.ActivityDisplayName == "Finish applying group based license to users" {
				mp := r.TargetResources[0].ModifiedProperties[0]
				if mp.DisplayName != "Result" || *mp.OldValue != "[]" || *mp.NewValue != "[Users successfully assigned licenses: 2, Users for whom license assignment failed: 0.];" {
					t.Fatalf("Result = %+v %q", mp, *mp.NewValue)
				}
			}
			if r.ActivityDisplayName == "Change user license" {
				mp := r.TargetResources[0].ModifiedProperties[0]
				want := `["[SkuName=ENTERPRISEPACK, AccountId=11111111-2222-4333-8444-555555555555, SkuId=` + skuE3 + `, DisabledPlans=[` + planSway + `]]"]`
				if r.Category != "UserManagement" || mp.DisplayName != "AssignedLicense" || *mp.OldValue != "[]" || *mp.NewValue != want {
					t.Fatalf("Change user license = %+v: %s", mp, *mp.NewValue)
				}
			}
		}
	}
	want := "Set group license|Start applying group based license to users|Change user license|Change user license|Finish applying group based license to users"
	if got := strings.Join(acts, "|"); got != want {
		t.Fatalf("audit = %s", got)
	}
}

func TestGroupProcessingInProgressWithDelay(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10, withMode(engine.ProcessingAsync, 300*time.Millisecond))
	uid := e.user("Adele Vance", "US")
	gid := e.group("G", true, false, uid)
	e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3)})
	seen := map[string]bool{}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		st := e.getGroup(gid).LicenseProcessingState
		seen[st] = true
		if st == "ProcessingComplete" {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, s := range []string{"QueuedForProcessing", "ProcessingInProgress", "ProcessingComplete"} {
		if !seen[s] {
			t.Fatalf("never saw %s (saw %v)", s, seen)
		}
	}
	e.drain()
}

func TestGroupAllOrNothingAndErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	// EMS has 10 seats: use them all with direct assignments.
	for i := 0; i < 10; i++ {
		if err := e.assign(e.user("Filler "+string(rune('A'+i)), "US"), []engine.AssignedLicense{lic(skuEMS)}); err != nil {
			t.Fatal(err)
		}
	}
	uid := e.user("Adele Vance", "US")
	gid := e.group("E3 and EMS", true, false, uid)
	e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3), lic(skuEMS)})
	u := e.getUser(uid)
	if len(u.AssignedLicenses) != 0 {
		t.Fatalf("partial assignment: %+v", u.AssignedLicenses)
	}
	for _, sku := range []string{skuE3, skuEMS} {
		if s := state(u, sku, gid); s == nil || s.State != "Error" || s.Error != "CountViolation" {
			t.Fatalf("%s state = %+v", sku, s)
		}
	}
	var members []*engine.User
	var has bool
	_ = e.s.View(func(tx *engine.Txn) error {
		members, _ = tx.MembersWithLicenseErrors(gid)
		has, _ = tx.GroupHasMembersWithLicenseErrors(gid)
		return nil
	})
	if len(members) != 1 || members[0].ID != uid || !has {
		t.Fatalf("membersWithLicenseErrors = %v, has = %v", members, has)
	}
	var failure *engine.AuditRecord
	for _, r := range e.audits() {
		if r.ActivityDisplayName == "Change user license" && r.Result == "failure" {
			failure = r
		}
		if r.ActivityDisplayName == "Finish applying group based license to users" {
			if got := *r.TargetResources[0].ModifiedProperties[0].NewValue; got != "[Users successfully assigned licenses: 0, Users for whom license assignment failed: 1.];" {
				t.Fatalf("Result = %s", got)
			}
		}
	}
	if failure == nil || !strings.Contains(failure.ResultReason, "does not have any available licenses") {
		t.Fatalf("failure audit = %+v", failure)
	}
}

func TestActiveWithError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	uid := e.user("Adele Vance", "US")
	// F3 (SHAREPOINTDESKLESS, MCOIMP) directly; the group's E3 has SharePoint and Skype off, so they coexist.
	if err := e.assign(uid, []engine.AssignedLicense{lic(skuF3)}); err != nil {
		t.Fatal(err)
	}
	gid := e.group("E3", true, false, uid)
	e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3, planSharePoint, "0feaeb32-d00e-4d66-bd5a-43b5b83db82c")})
	if s := state(e.getUser(uid), skuE3, gid); s.State != "Active" {
		t.Fatalf("state = %+v", s)
	}
	// The group turns SharePoint on: the change conflicts, the previous assignment stays in effect.
	e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3, "0feaeb32-d00e-4d66-bd5a-43b5b83db82c")})
	u := e.getUser(uid)
	s := state(u, skuE3, gid)
	if s.State != "ActiveWithError" || s.Error != "MutuallyExclusiveViolation" || len(s.DisabledPlans) != 2 {
		t.Fatalf("state = %+v", s)
	}
	if assigned(u, skuE3) == nil || enabledPlan(u, planSharePoint) {
		t.Fatalf("effective license = %+v", u.AssignedLicenses)
	}
}

func TestMembershipDrivesLicenses(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	uid := e.user("Adele Vance", "US")
	g1 := e.group("E3 a", true, false)
	g2 := e.group("E3 b", true, false, uid)
	e.assignGroup(g1, []engine.AssignedLicense{lic(skuE3)})
	e.assignGroup(g2, []engine.AssignedLicense{lic(skuE3)})
	e.addMember(g1, uid)
	u := e.getUser(uid)
	if len(u.LicenseAssignmentStates) != 2 || e.sku(skuE3).ConsumedUnits != 1 {
		t.Fatalf("two paths, one seat: %+v, consumed %d", u.LicenseAssignmentStates, e.sku(skuE3).ConsumedUnits)
	}
	e.removeMember(g1, uid)
	if u := e.getUser(uid); len(u.LicenseAssignmentStates) != 1 || assigned(u, skuE3) == nil {
		t.Fatalf("after leaving one group: %+v", u.LicenseAssignmentStates)
	}
	// Deleting the user frees the seat; restoring takes it back.
	e.update(func(tx *engine.Txn) error { return tx.DeleteUser(uid) })
	if got := e.sku(skuE3).ConsumedUnits; got != 0 {
		t.Fatalf("consumed after delete = %d", got)
	}
	e.update(func(tx *engine.Txn) error { _, err := tx.RestoreObject(uid); return err })
	if got := e.sku(skuE3).ConsumedUnits; got != 1 {
		t.Fatalf("consumed after restore = %d", got)
	}
	// A licensed group can't be deleted; once its license is removed the members lose it.
	err := e.try(func(tx *engine.Txn) error { return tx.DeleteGroup(g2) })
	var ee *engine.Error
	if !errors.As(err, &ee) || ee.Message != engine.MsgDeleteLicensedGroup {
		t.Fatalf("delete licensed group: %v", err)
	}
	e.assignGroup(g2, nil, skuE3)
	if u := e.getUser(uid); len(u.AssignedLicenses) != 0 || len(u.LicenseAssignmentStates) != 0 {
		t.Fatalf("after group license removal: %+v", u.LicenseAssignmentStates)
	}
	if got := e.sku(skuE3).ConsumedUnits; got != 0 {
		t.Fatalf("consumed = %d", got)
	}
	e.update(func(tx *engine.Txn) error { return tx.DeleteGroup(g2) })
}

func TestGroupReprocessRecordsTrigger(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	u1, u2 := e.user("Adele Vance", "US"), e.user("Alex Wilber", "US")
	gid := e.group("E3", true, false, u1, u2)
	e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3)})
	if s := state(e.getUser(u2), skuE3, gid); s.Error != "CountViolation" {
		t.Fatalf("u2 = %+v", s)
	}
	e.update(func(tx *engine.Txn) error {
		_, err := tx.SetPrepaidUnits(skuE3, engine.LicenseUnits{Enabled: 2})
		return err
	})
	if s := state(e.getUser(u2), skuE3, gid); s.Error != "CountViolation" {
		t.Fatal("freeing seats healed the error by itself")
	}
	e.update(func(tx *engine.Txn) error { _, err := tx.ReprocessGroupLicenses(gid); return err })
	if s := state(e.getUser(u2), skuE3, gid); s.State != "Active" {
		t.Fatalf("after group reprocess: %+v", s)
	}
	found := false
	for _, r := range e.audits() {
		found = found || r.ActivityDisplayName == "Trigger group license recalculation"
	}
	if !found {
		t.Fatal("no Trigger group license recalculation record")
	}
}

func TestGroupLicenseRemovalKeepsPrerequisiteAsDirect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	uid := e.user("Adele Vance", "US")
	gid := e.group("E3", true, false, uid)
	e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3)})
	// Workplace Analytics needs Exchange, which only the group's E3 gives.
	if err := e.assign(uid, []engine.AssignedLicense{lic(skuWPA)}); err != nil {
		t.Fatal(err)
	}
	e.assignGroup(gid, nil, skuE3)
	u := e.getUser(uid)
	if s := state(u, skuE3, ""); s == nil || s.State != "Active" {
		t.Fatalf("inherited E3 not converted to direct: %+v", u.LicenseAssignmentStates)
	}
	if state(u, skuE3, gid) != nil || !enabledPlan(u, planWPA) || !enabledPlan(u, planExchange) {
		t.Fatalf("states %+v", u.LicenseAssignmentStates)
	}
}

func TestRestoreWithoutSeats(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	a, b := e.user("Adele Vance", "US"), e.user("Alex Wilber", "US")
	if err := e.assign(a, []engine.AssignedLicense{lic(skuE3)}); err != nil {
		t.Fatal(err)
	}
	e.update(func(tx *engine.Txn) error { return tx.DeleteUser(a) })
	if err := e.assign(b, []engine.AssignedLicense{lic(skuE3)}); err != nil {
		t.Fatalf("the deleted user's seat was not freed: %v", err)
	}
	e.update(func(tx *engine.Txn) error { _, err := tx.RestoreObject(a); return err })
	u := e.getUser(a)
	if s := state(u, skuE3, ""); s == nil || s.State != "Error" || s.Error != "CountViolation" || assigned(u, skuE3) != nil {
		t.Fatalf("restored without a seat: %+v", u.LicenseAssignmentStates)
	}
	// Once a seat is free, reprocessing the user retries its direct license.
	if err := e.assign(b, nil, skuE3); err != nil {
		t.Fatal(err)
	}
	e.update(func(tx *engine.Txn) error { _, err := tx.ReprocessLicenseAssignment(a); return err })
	if s := state(e.getUser(a), skuE3, ""); s.State != "Active" {
		t.Fatalf("after reprocess: %+v", s)
	}
}
