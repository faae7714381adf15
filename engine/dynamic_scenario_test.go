package engine_test

import (
	"testing"

	"github.com/graphmock/graphmock/engine"
)

// TestSeedDocumentDynamicGroups replays "Use group-based licensing with dynamic groups" from
// Microsoft's group-based licensing guidance: two dynamic groups with rules on extensionAttribute1,
// "EMS" licensed with Enterprise Mobility + Security E3 and "E5_baseservices" licensed with Office 365
// E5 base services. Invariants are checked after every step; it runs in immediate and manual mode.
func TestSeedDocumentDynamicGroups(t *testing.T) {
	t.Parallel()
	for _, mode := range []engine.ProcessingMode{engine.ProcessingImmediate, engine.ProcessingManual, engine.ProcessingAsync} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, 10, withMode(mode, 0))
			settle := func() {
				t.Helper()
				if mode != engine.ProcessingImmediate {
					e.drain()
				}
			}
			ems := dynGroup(e, "EMS", `user.extensionAttribute1 -contains "EMS"`, "")
			e5 := dynGroup(e, "E5_baseservices", `user.extensionAttribute1 -contains "E5_baseservices"`, "")
			e.assignGroup(ems, []engine.AssignedLicense{lic(skuEMS)})
			e.assignGroup(e5, []engine.AssignedLicense{lic(skuE5, allPlansBut(t, skuE5, planExchange, planSharePoint, planTeams, planOffice)...)})
			settle()
			uid := dynUser(e, "Adele Vance", nil)
			other := dynUser(e, "Alex Wilber", func(u *engine.User) { u.ExtensionAttributes[0] = "EMS;" })
			settle()

			type want struct {
				ems, e5 bool // member of the group and licensed through it
			}
			check := func(step string, w want) {
				t.Helper()
				u := e.getUser(uid)
				for _, g := range []struct {
					id, sku, name string
					in            bool
				}{{ems, skuEMS, "EMS", w.ems}, {e5, skuE5, "E5_baseservices", w.e5}} {
					member := false
					for _, m := range dynMembers(e, g.id) {
						member = member || m == "Adele Vance"
					}
					licensed := assigned(u, g.sku) != nil && state(u, g.sku, g.id) != nil
					if member != g.in || licensed != g.in {
						t.Fatalf("%s: %s member %v licensed %v, want %v (states %+v)", step, g.name, member, licensed, g.in, u.LicenseAssignmentStates)
					}
				}
				if w.e5 && (!enabledPlan(u, planExchange) || enabledPlan(u, planYammer)) {
					t.Fatalf("%s: E5 base services only, plans %+v", step, u.AssignedPlans)
				}
				// Alex (EMS;) stays in EMS throughout.
				if a := e.getUser(other); assigned(a, skuEMS) == nil || assigned(a, skuE5) != nil {
					t.Fatalf("%s: Alex's licenses %+v", step, a.AssignedLicenses)
				}
				wantEMS, wantE5 := 1, 0
				if w.ems {
					wantEMS++
				}
				if w.e5 {
					wantE5++
				}
				if got := e.sku(skuEMS).ConsumedUnits; got != wantEMS {
					t.Fatalf("%s: EMS consumedUnits %d, want %d", step, got, wantEMS)
				}
				if got := e.sku(skuE5).ConsumedUnits; got != wantE5 {
					t.Fatalf("%s: E5 consumedUnits %d, want %d", step, got, wantE5)
				}
			}
			setAttr := func(v string) {
				t.Helper()
				dynSetUser(e, uid, func(u *engine.User) { u.ExtensionAttributes[0] = v })
			}
			check("before", want{})

			// "set their extensionAttribute1 to the value of EMS;E5_baseservices; … the user is
			// automatically added to both groups, and licenses are assigned."
			setAttr("EMS;E5_baseservices;")
			if mode == engine.ProcessingManual {
				check("queued, not yet applied", want{})
			}
			settle()
			check("both", want{ems: true, e5: true})

			// "When the attribute is changed, the user leaves the groups and the licenses are removed."
			setAttr("EMS;")
			settle()
			check("EMS only", want{ems: true})
			if u := e.getUser(uid); enabledPlan(u, planExchange) {
				t.Fatalf("E5's Exchange still enabled: %+v", u.AssignedPlans)
			}

			// "When a rule is changed … users who no longer match the new rule will be removed …
			// Those users will have their licenses removed."
			setAttr("EMS;E5_baseservices;")
			settle()
			check("both again", want{ems: true, e5: true})
			dynSetGroup(e, e5, func(g *engine.Group) {
				g.MembershipRule = `user.extensionAttribute1 -contains "E5_baseservices" -and user.department -eq "Sales"`
			})
			settle()
			check("E5 rule narrowed", want{ems: true})
			// Users who still match are not affected: Alex and Adele keep EMS, untouched.
			dynSetGroup(e, ems, func(g *engine.Group) { g.MembershipRule = `user.extensionAttribute1 -startsWith "EMS"` })
			settle()
			check("EMS rule rewritten, both still match", want{ems: true})

			// Paused stops all of it: attribute and rule changes move nothing until processing is On.
			dynSetGroup(e, ems, func(g *engine.Group) { g.MembershipRuleProcessingState = engine.RuleProcessingPaused })
			dynSetGroup(e, e5, func(g *engine.Group) { g.MembershipRuleProcessingState = engine.RuleProcessingPaused })
			setAttr("E5_baseservices;")
			dynSetUser(e, uid, func(u *engine.User) { u.Department = "Sales" })
			dynSetGroup(e, ems, func(g *engine.Group) { g.MembershipRule = `user.extensionAttribute1 -eq "nobody"` })
			settle()
			check("paused", want{ems: true})
			dynSetGroup(e, ems, func(g *engine.Group) { g.MembershipRule = `user.extensionAttribute1 -contains "EMS"` })
			dynSetGroup(e, ems, func(g *engine.Group) { g.MembershipRuleProcessingState = engine.RuleProcessingOn })
			dynSetGroup(e, e5, func(g *engine.Group) { g.MembershipRuleProcessingState = engine.RuleProcessingOn })
			settle()
			check("resumed", want{e5: true})
		})
	}
}
