package engine_test

import (
	"errors"
	"testing"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/engine/catalog"
)

func TestAssignLicenseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		seats   int
		noLoc   bool
		prepare func(e *env, uid, gid string)
		add     []engine.AssignedLicense
		remove  []string
		cons    *catalog.Constraints
		want    string
	}{
		{name: "sku not subscribed (add)", add: []engine.AssignedLicense{lic(skuP1)},
			want: "License " + skuP1 + " does not correspond to a valid company License."},
		{name: "sku not subscribed (remove)", remove: []string{skuP1},
			want: "License " + skuP1 + " does not correspond to a valid company License."},
		{name: "no usage location", noLoc: true, add: []engine.AssignedLicense{lic(skuE3)},
			want: "License assignment cannot be done for user with invalid usage location."},
		{name: "disabled plan outside the sku", add: []engine.AssignedLicense{lic(skuEMS, planSway)},
			want: "Service plan " + planSway + " does not belong to subscription " + skuEMS + "."},
		{name: "no free seat", seats: 1, prepare: func(e *env, _, _ string) {
			other := e.user("Other", "US")
			if err := e.assign(other, []engine.AssignedLicense{lic(skuE3)}); err != nil {
				e.t.Fatal(err)
			}
		}, add: []engine.AssignedLicense{lic(skuE3)}, want: "Subscription with SKU " + skuE3 + " does not have any available licenses."},
		{name: "remove a license not held", remove: []string{skuE3}, want: "User does not have a corresponding license."},
		{name: "remove an inherited license", prepare: func(e *env, _, gid string) {
			e.assignGroup(gid, []engine.AssignedLicense{lic(skuE3)})
		}, remove: []string{skuE3}, want: "User license is inherited from a group membership and it cannot be removed directly from the user."},
		{name: "mutually exclusive plans", prepare: func(e *env, uid, _ string) {
			if err := e.assign(uid, []engine.AssignedLicense{lic(skuE3)}); err != nil {
				e.t.Fatal(err)
			}
		}, add: []engine.AssignedLicense{lic(skuF3)},
			want: "The license can't be assigned because the user has licensed service plans that conflict with plans in the new license. Resolve these conflicting service plan pairs to solve this problem: [MCOIMP, MCOSTANDARD]. Licenses being added: [" + skuF3 + "]"},
		{name: "missing prerequisite", add: []engine.AssignedLicense{lic(skuWPA)},
			want: "License operation failed. Make sure that the user has necessary services before adding or removing a dependent service. The service WORKPLACE_ANALYTICS requires EXCHANGE_S_STANDARD or EXCHANGE_S_ENTERPRISE to be enabled as well."},
		{name: "removing a prerequisite", prepare: func(e *env, uid, _ string) {
			if err := e.assign(uid, []engine.AssignedLicense{lic(skuE3), lic(skuWPA)}); err != nil {
				e.t.Fatal(err)
			}
		}, remove: []string{skuE3},
			want: "License operation failed. Make sure that the user has necessary services before adding or removing a dependent service. The service WORKPLACE_ANALYTICS requires EXCHANGE_S_STANDARD or EXCHANGE_S_ENTERPRISE to be enabled as well."},
		{name: "prohibited in usage location", cons: &catalog.Constraints{UsageLocationLimits: map[string][]string{skuE5: {"US"}}},
			add: []engine.AssignedLicense{lic(skuE5)}, want: "License assignment failed because ENTERPRISEPREMIUM is not available in usage location US."},
		{name: "no change", want: "One or more property values specified are invalid."},
		{name: "sku added twice", add: []engine.AssignedLicense{lic(skuE3), lic(skuE3)}, want: "One or more property values specified are invalid."},
		{name: "sku added and removed", add: []engine.AssignedLicense{lic(skuE3)}, remove: []string{skuE3}, want: "One or more property values specified are invalid."},
		{name: "all or nothing", add: []engine.AssignedLicense{lic(skuEMS), lic(skuP1)},
			want: "License " + skuP1 + " does not correspond to a valid company License."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seats := tc.seats
			if seats == 0 {
				seats = 10
			}
			var opts []envOpt
			if tc.cons != nil {
				opts = append(opts, withConstraints(*tc.cons))
			}
			e := newEnv(t, seats, opts...)
			loc := "US"
			if tc.noLoc {
				loc = ""
			}
			uid := e.user("Adele Vance", loc)
			gid := e.group("Licensed", true, false, uid)
			if tc.prepare != nil {
				tc.prepare(e, uid, gid)
			}
			before := e.getUser(uid)
			err := e.assign(uid, tc.add, tc.remove...)
			var ee *engine.Error
			if !errors.As(err, &ee) {
				t.Fatalf("err = %v, want an engine error", err)
			}
			if ee.Kind != engine.KindBadRequest || ee.Code != "Request_BadRequest" || ee.Message != tc.want {
				t.Fatalf("err = %d %s %q\nwant 400 Request_BadRequest %q", ee.Kind, ee.Code, ee.Message, tc.want)
			}
			after := e.getUser(uid)
			if len(after.AssignedLicenses) != len(before.AssignedLicenses) || len(after.LicenseAssignmentStates) != len(before.LicenseAssignmentStates) {
				t.Fatalf("a failed call changed the user: %+v → %+v", before.AssignedLicenses, after.AssignedLicenses)
			}
		})
	}
}

func TestAssignLicenseDirect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 10)
	uid := e.user("Adele Vance", "US")
	if err := e.assign(uid, []engine.AssignedLicense{lic(skuE3, planSway), lic(skuEMS)}); err != nil {
		t.Fatal(err)
	}
	u := e.getUser(uid)
	if l := assigned(u, skuE3); l == nil || len(l.DisabledPlans) != 1 || l.DisabledPlans[0] != planSway {
		t.Fatalf("E3 = %+v", l)
	}
	if s := state(u, skuE3, ""); s == nil || s.State != "Active" || s.Error != "None" {
		t.Fatalf("direct state = %+v", s)
	}
	if enabledPlan(u, planSway) || !enabledPlan(u, planExchange) {
		t.Fatalf("assignedPlans = %+v", u.AssignedPlans)
	}
	if got := e.sku(skuE3).ConsumedUnits; got != 1 {
		t.Fatalf("consumedUnits = %d", got)
	}
	// Adding a SKU the user holds replaces its disabled plans.
	if err := e.assign(uid, []engine.AssignedLicense{lic(skuE3, planYammer)}); err != nil {
		t.Fatal(err)
	}
	u = e.getUser(uid)
	if l := assigned(u, skuE3); len(l.DisabledPlans) != 1 || l.DisabledPlans[0] != planYammer {
		t.Fatalf("E3 after replace = %+v", l)
	}
	if !enabledPlan(u, planSway) || enabledPlan(u, planYammer) {
		t.Fatal("plans did not follow the new disabledPlans")
	}
	// The plan turned off keeps an entry with the removed status.
	var yammer *engine.AssignedPlan
	for i, p := range u.AssignedPlans {
		if p.ServicePlanID == planYammer {
			yammer = &u.AssignedPlans[i]
		}
	}
	if yammer == nil || yammer.CapabilityStatus != "Deleted" {
		t.Fatalf("lost plan = %+v", yammer)
	}
	if err := e.assign(uid, nil, skuE3, skuEMS); err != nil {
		t.Fatal(err)
	}
	u = e.getUser(uid)
	if len(u.AssignedLicenses) != 0 || len(u.LicenseAssignmentStates) != 0 || e.sku(skuE3).ConsumedUnits != 0 {
		t.Fatalf("after removal: %+v %+v", u.AssignedLicenses, u.LicenseAssignmentStates)
	}
	var changes int
	for _, r := range e.audits() {
		if r.ActivityDisplayName == "Change user license" {
			changes++
			if r.InitiatedBy.User == nil || r.InitiatedBy.User.ID != admin.User.ID {
				t.Fatalf("actor = %+v", r.InitiatedBy)
			}
		}
	}
	if changes != 3 {
		t.Fatalf("%d Change user license records, want 3", changes)
	}
}
