package engine_test

import (
	"slices"
	"testing"

	"github.com/graphmock/graphmock/engine"
)

// TestSeedDocumentScenarios replays the examples of Microsoft's "Scenarios, limitations, and known
// issues using groups to manage licensing" article, checking the invariants after every step.
func TestSeedDocumentScenarios(t *testing.T) {
	t.Parallel()

	t.Run("E3 base and E3 extended: one seat, union of plans", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, 10)
		uid := e.user("Adele Vance", "US")
		base := e.group("E3 base services", true, false, uid)
		ext := e.group("E3 extended services", true, false, uid)
		// Base enables the foundation services; extended enables Sway and Planner only.
		e.assignGroup(base, []engine.AssignedLicense{lic(skuE3, planSway, planPlanner, planYammer)})
		e.assignGroup(ext, []engine.AssignedLicense{lic(skuE3, allPlansBut(t, skuE3, planSway, planPlanner)...)})
		u := e.getUser(uid)
		if e.sku(skuE3).ConsumedUnits != 1 || len(u.AssignedLicenses) != 1 || len(u.LicenseAssignmentStates) != 2 {
			t.Fatalf("consumed %d, licenses %+v", e.sku(skuE3).ConsumedUnits, u.AssignedLicenses)
		}
		if got := assigned(u, skuE3).DisabledPlans; !slices.Equal(got, []string{planYammer}) {
			t.Fatalf("effective disabledPlans = %v, want only Yammer", got)
		}
		for _, p := range []string{planSway, planPlanner, planExchange, planSharePoint} {
			if !enabledPlan(u, p) {
				t.Fatalf("plan %s not enabled", p)
			}
		}
	})

	t.Run("inherited E3 plus a direct E3 enabling Yammer, then the direct one removed", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, 10)
		uid := e.user("Adele Vance", "US")
		base := e.group("E3 basic services", true, false, uid)
		e.assignGroup(base, []engine.AssignedLicense{lic(skuE3, allPlansBut(t, skuE3, planExchange, planSharePoint, planTeams, planOffice)...)})
		if enabledPlan(e.getUser(uid), planYammer) {
			t.Fatal("group enables Yammer")
		}
		if err := e.assign(uid, []engine.AssignedLicense{lic(skuE3, allPlansBut(t, skuE3, planYammer)...)}); err != nil {
			t.Fatal(err)
		}
		u := e.getUser(uid)
		if e.sku(skuE3).ConsumedUnits != 1 || !enabledPlan(u, planYammer) || !enabledPlan(u, planExchange) {
			t.Fatalf("consumed %d, plans %+v", e.sku(skuE3).ConsumedUnits, u.AssignedPlans)
		}
		if len(u.LicenseAssignmentStates) != 2 || state(u, skuE3, "") == nil || state(u, skuE3, base) == nil {
			t.Fatalf("states = %+v", u.LicenseAssignmentStates)
		}
		// Yammer can be turned off on the direct assignment.
		if err := e.assign(uid, []engine.AssignedLicense{lic(skuE3, allPlansBut(t, skuE3)...)}); err != nil {
			t.Fatal(err)
		}
		if enabledPlan(e.getUser(uid), planYammer) {
			t.Fatal("Yammer still on")
		}
		if err := e.assign(uid, nil, skuE3); err != nil {
			t.Fatal(err)
		}
		u = e.getUser(uid)
		if len(u.LicenseAssignmentStates) != 1 || enabledPlan(u, planYammer) || !enabledPlan(u, planExchange) || e.sku(skuE3).ConsumedUnits != 1 {
			t.Fatalf("after removing the direct license: %+v", u.LicenseAssignmentStates)
		}
		// The inherited license can't be removed from the user.
		if err := e.assign(uid, nil, skuE3); err == nil || err.Error() != "Request_BadRequest: "+engine.MsgInheritedLicense {
			t.Fatalf("removing the inherited license: %v", err)
		}
	})

	t.Run("a new service added to E5 and disabled in the Exchange only group", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, 10)
		only, both := e.user("Exchange Only", "US"), e.user("Full E5", "US")
		exOnly := e.group("O365 E5 - Exchange only", true, false, only, both)
		full := e.group("O365 E5 - all services", true, false, both)
		e.assignGroup(exOnly, []engine.AssignedLicense{lic(skuE5, allPlansBut(t, skuE5, planExchange)...)})
		e.assignGroup(full, []engine.AssignedLicense{lic(skuE5)})
		const planNew = "0f6c9bd5-4f8a-4f57-9e44-7b5bb52a6a5f"
		e.update(func(tx *engine.Txn) error {
			_, err := tx.AddServicePlan(skuE5, engine.ServicePlanInfo{ServicePlanID: planNew, ServicePlanName: "NEW_STREAM_SERVICE", Service: "MicrosoftStream"})
			return err
		})
		for _, id := range []string{only, both} {
			if !enabledPlan(e.getUser(id), planNew) {
				t.Fatalf("new plan not enabled by default for %s", e.getUser(id).DisplayName)
			}
		}
		// Disable it in the Exchange only group: its members follow, other paths keep it.
		e.assignGroup(exOnly, []engine.AssignedLicense{lic(skuE5, append(allPlansBut(t, skuE5, planExchange), planNew)...)})
		if enabledPlan(e.getUser(only), planNew) || !enabledPlan(e.getUser(only), planExchange) {
			t.Fatal("Exchange only member keeps the new plan")
		}
		if !enabledPlan(e.getUser(both), planNew) {
			t.Fatal("member of the full group lost the new plan")
		}
	})

	t.Run("seats run out, are freed, and errors wait for reprocess", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, 3)
		direct := e.user("Direct Holder", "US")
		if err := e.assign(direct, []engine.AssignedLicense{lic(skuE3)}); err != nil {
			t.Fatal(err)
		}
		a, b, c := e.user("Member A", "US"), e.user("Member B", "US"), e.user("Member C", "US")
		gid := e.group("E3 users", true, false, a, b, c)
		e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3)})
		if got := e.sku(skuE3).ConsumedUnits; got != 3 {
			t.Fatalf("consumed = %d", got)
		}
		// Members are processed in id order: the last one finds no seat.
		ids := []string{a, b, c}
		slices.Sort(ids)
		c = ids[2]
		s := state(e.getUser(c), skuE3, gid)
		if s.State != "Error" || s.Error != "CountViolation" || assigned(e.getUser(c), skuE3) != nil {
			t.Fatalf("member beyond the seats: %+v", s)
		}
		// Free a seat by removing a direct license: the error stays.
		if err := e.assign(direct, nil, skuE3); err != nil {
			t.Fatal(err)
		}
		if state(e.getUser(c), skuE3, gid).Error != "CountViolation" {
			t.Fatal("freed seat healed the error without reprocess")
		}
		e.update(func(tx *engine.Txn) error { _, err := tx.ReprocessLicenseAssignment(c); return err })
		if s := state(e.getUser(c), skuE3, gid); s.State != "Active" || s.Error != "None" {
			t.Fatalf("after reprocess: %+v", s)
		}
		var has bool
		_ = e.s.View(func(tx *engine.Txn) error { has, _ = tx.GroupHasMembersWithLicenseErrors(gid); return nil })
		if has {
			t.Fatal("group still has members with license errors")
		}
	})
}
