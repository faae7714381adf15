package conformance

// Scenarios of Microsoft's "Scenarios, limitations, and known issues using groups to manage
// licensing in Azure Active Directory", section by section, as an application would run them
// against Graph. Every scenario creates its own users and groups.

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/groups"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// Usage location: direct assignment needs one; group assignment lets a user without one inherit
// the directory's location and never writes a usage location onto the user.
func TestSeedUsageLocation(t *testing.T) {
	e := newEnv(t)
	e3 := e.skuByPart("ENTERPRISEPACK")
	sku := skuID(e3)
	nowhere := deref(e.createUser("nowhere", "").GetId())
	oslo := deref(e.createUser("oslo", "NO").GetId())

	_, err := e.assignUserLicense(nowhere, []license{{sku, nil}})
	wantODataError(t, err, http.StatusBadRequest, "Request_BadRequest", "License assignment cannot be done for user with invalid usage location.")

	gid := deref(e.createSecurityGroup("e3 by group").GetId())
	e.mustAddMember(gid, nowhere)
	e.mustAddMember(gid, oslo)
	e.mustAssignGroupLicense(gid, []license{{sku, nil}})
	e.drain()

	for uid, wantLocation := range map[string]string{nowhere: "", oslo: "NO"} {
		u := e.licensing(uid)
		if assigned(u, sku) == nil {
			t.Errorf("%s: no E3 from the group", deref(u.GetUserPrincipalName()))
		}
		if p := paths(u, sku)[gid]; p.state != "Active" {
			t.Errorf("%s: group path state %q error %q, want Active", deref(u.GetUserPrincipalName()), p.state, p.err)
		}
		if got := deref(u.GetUsageLocation()); got != wantLocation {
			t.Errorf("%s: usageLocation %q after group licensing, want %q (never modified)", deref(u.GetUserPrincipalName()), got, wantLocation)
		}
	}
}

// Dynamic groups with extensionAttribute1: users join the E5 and EMS groups by attribute, get
// the groups' licenses shortly after, and lose them when the attribute or the rule changes.
func TestSeedDynamicGroupsWithExtensionAttribute1(t *testing.T) {
	e := newEnv(t)
	e5 := skuID(e.skuByPart("ENTERPRISEPREMIUM"))
	ems := skuID(e.skuByPart("EMS"))
	dept := "Dyn " + e.suffix

	dynamic := func(nick, token string) string {
		g := models.NewGroup()
		g.SetDisplayName(ptr(e.name(nick)))
		g.SetMailNickname(ptr(e.nick(nick)))
		g.SetMailEnabled(ptr(false))
		g.SetSecurityEnabled(ptr(true))
		g.SetGroupTypes([]string{"DynamicMembership"})
		g.SetMembershipRule(ptr(`(user.extensionAttribute1 -contains "` + token + `") -and (user.department -eq "` + dept + `")`))
		g.SetMembershipRuleProcessingState(ptr("On"))
		got, err := e.client.Groups().Post(e.ctx, g, nil)
		if err != nil {
			t.Fatalf("create dynamic group %s: %v", nick, err)
		}
		return deref(got.GetId())
	}
	e5Group := dynamic("e5 base services", "E5_baseservices")
	emsGroup := dynamic("ems licensed users", "EMS")
	e.mustAssignGroupLicense(e5Group, []license{{e5, nil}})
	e.mustAssignGroupLicense(emsGroup, []license{{ems, nil}})

	setAttribute := func(uid, value string) {
		t.Helper()
		attrs := models.NewOnPremisesExtensionAttributes()
		attrs.SetExtensionAttribute1(ptr(value))
		patch := models.NewUser()
		patch.SetOnPremisesExtensionAttributes(attrs)
		if _, err := e.client.Users().ByUserId(uid).Patch(e.ctx, patch, nil); err != nil {
			t.Fatalf("set extensionAttribute1: %v", err)
		}
	}
	newUser := func(nick string) string {
		u := e.newUser(nick)
		u.SetUsageLocation(ptr("US"))
		u.SetDepartment(ptr(dept))
		got, err := e.client.Users().Post(e.ctx, u, nil)
		if err != nil {
			t.Fatalf("create user: %v", err)
		}
		return deref(got.GetId())
	}
	both := newUser("both")
	emsOnly := newUser("emsonly")
	setAttribute(both, "EMS;E5_baseservices;")
	setAttribute(emsOnly, "EMS;")
	e.drain()

	memberOf := func(uid string) []string {
		t.Helper()
		res, err := e.client.Users().ByUserId(uid).MemberOf().Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("memberOf: %v", err)
		}
		return ids(res.GetValue())
	}
	if got, want := memberOf(both), sorted(e5Group, emsGroup); !slices.Equal(got, want) {
		t.Errorf("user with EMS;E5_baseservices; is in %v, want both groups %v", got, want)
	}
	if got := memberOf(emsOnly); !slices.Equal(got, []string{emsGroup}) {
		t.Errorf("user with EMS; is in %v, want only the EMS group", got)
	}
	u := e.licensing(both)
	if assigned(u, e5) == nil || assigned(u, ems) == nil || paths(u, e5)[e5Group].state != "Active" || paths(u, ems)[emsGroup].state != "Active" {
		t.Errorf("user in both groups: assignedLicenses %d, want E5 and EMS from the groups", len(u.GetAssignedLicenses()))
	}

	t.Run("adding members by hand is refused", func(t *testing.T) {
		outsider := newUser("outsider")
		wantODataError(t, e.addMember(emsGroup, outsider), http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	})

	t.Run("changing the attribute removes the user and the license", func(t *testing.T) {
		setAttribute(both, "EMS;")
		e.drain()
		if got := memberOf(both); !slices.Equal(got, []string{emsGroup}) {
			t.Errorf("after the change the user is in %v, want only the EMS group", got)
		}
		u := e.licensing(both)
		if assigned(u, e5) != nil || len(paths(u, e5)) != 0 {
			t.Errorf("E5 still assigned after leaving the E5 group")
		}
		if assigned(u, ems) == nil {
			t.Errorf("EMS lost though the user is still in the EMS group")
		}
	})

	t.Run("changing the rule re-evaluates the membership", func(t *testing.T) {
		patch := models.NewGroup()
		patch.SetMembershipRule(ptr(`(user.extensionAttribute1 -contains "EMS") -and (user.department -eq "` + dept + `") -and (user.userPrincipalName -startsWith "both")`))
		if _, err := e.client.Groups().ByGroupId(emsGroup).Patch(e.ctx, patch, nil); err != nil {
			t.Fatalf("update rule: %v", err)
		}
		e.drain()
		members, err := e.client.Groups().ByGroupId(emsGroup).Members().Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("members: %v", err)
		}
		if got := ids(members.GetValue()); !slices.Equal(got, []string{both}) {
			t.Errorf("members after the rule change %v, want only the user who still matches", got)
		}
		if assigned(e.licensing(emsOnly), ems) != nil {
			t.Errorf("user dropped by the new rule still has EMS")
		}
		if p := paths(e.licensing(both), ems)[emsGroup]; p.state != "Active" {
			t.Errorf("user who still matches: EMS path %+v, want Active", p)
		}
	})
}

// Multiple groups and multiple licenses: E3 base services and E3 extended services overlap; a
// user in both gets the union of the enabled services and uses one E3 seat.
func TestSeedMultipleGroupsAndLicenses(t *testing.T) {
	e := newEnv(t)
	e3 := e.skuByPart("ENTERPRISEPACK")
	sku := skuID(e3)
	baseDisabled := plans(t, e3, "SWAY", "PROJECTWORKMANAGEMENT", "YAMMER_ENTERPRISE")
	extendedDisabled := plansExcept(t, e3, "SWAY", "PROJECTWORKMANAGEMENT")
	base := deref(e.createSecurityGroup("E3 base services").GetId())
	extended := deref(e.createSecurityGroup("E3 extended services").GetId())
	e.mustAssignGroupLicense(base, []license{{sku, baseDisabled}})
	e.mustAssignGroupLicense(extended, []license{{sku, extendedDisabled}})
	e.drain()
	before := e.consumed(sku)

	uid := e.newGroupMember(base, "overlap", "US")
	e.mustAddMember(extended, uid)
	e.drain()

	if got := e.consumed(sku); got != before+1 {
		t.Errorf("consumedUnits %d, want %d: one seat for the user in both groups", got, before+1)
	}
	u := e.licensing(uid)
	if n := len(u.GetAssignedLicenses()); n != 1 {
		t.Errorf("%d assignedLicenses entries, want one E3 entry", n)
	}
	l := assigned(u, sku)
	if l == nil || !sameSet(l.GetDisabledPlans(), plans(t, e3, "YAMMER_ENTERPRISE")) {
		t.Fatalf("effective disabledPlans %v, want only YAMMER_ENTERPRISE (the intersection)", l)
	}
	p := paths(u, sku)
	if len(p) != 2 || !sameSet(p[base].disabled, baseDisabled) || !sameSet(p[extended].disabled, extendedDisabled) {
		t.Errorf("licenseAssignmentStates %+v, want one path per group with the group's disabled plans", p)
	}
	enabled := e.enabledPlanNames(uid, sku)
	if len(enabled) != len(e3.GetServicePlans())-1 || slices.Contains(enabled, "YAMMER_ENTERPRISE") || !slices.Contains(enabled, "SWAY") {
		t.Errorf("licenseDetails enabled %v, want every plan but YAMMER_ENTERPRISE", enabled)
	}
}

// Direct licenses coexist with group licenses: an inherited license can't be removed on the
// user; a direct E3 adds Yammer for that user without a second seat, can be changed, and
// removing it leaves the inherited license as it was.
func TestSeedDirectLicensesCoexistWithGroupLicenses(t *testing.T) {
	e := newEnv(t)
	e3 := e.skuByPart("ENTERPRISEPACK")
	sku := skuID(e3)
	baseDisabled := plans(t, e3, "SWAY", "PROJECTWORKMANAGEMENT", "YAMMER_ENTERPRISE")
	base := deref(e.createSecurityGroup("E3 basic services").GetId())
	e.mustAssignGroupLicense(base, []license{{sku, baseDisabled}})
	uid := e.newGroupMember(base, "inherits", "US")
	e.drain()
	before := e.consumed(sku)
	inheritedOnly := e.enabledPlanNames(uid, sku)

	_, err := e.assignUserLicense(uid, nil, sku)
	wantODataError(t, err, http.StatusBadRequest, "Request_BadRequest",
		"User license is inherited from a group membership and it cannot be removed directly from the user.")

	onlyYammer := plansExcept(t, e3, "YAMMER_ENTERPRISE")
	e.mustAssignUserLicense(uid, []license{{sku, onlyYammer}})
	if got := e.consumed(sku); got != before {
		t.Errorf("consumedUnits %d after the direct E3, want %d (still one seat)", got, before)
	}
	u := e.licensing(uid)
	p := paths(u, sku)
	if len(p) != 2 || p[""].state != "Active" || p[base].state != "Active" {
		t.Errorf("licenseAssignmentStates %+v, want a direct and a group path", p)
	}
	if l := assigned(u, sku); l == nil || !sameSet(l.GetDisabledPlans(), plans(t, e3, "SWAY", "PROJECTWORKMANAGEMENT")) {
		t.Errorf("effective disabledPlans %v, want SWAY and PROJECTWORKMANAGEMENT (Yammer on through the direct path)", l)
	}

	// Yammer turned off again for this user, Sway turned on instead.
	e.mustAssignUserLicense(uid, []license{{sku, plansExcept(t, e3, "SWAY")}})
	if l := assigned(e.licensing(uid), sku); l == nil || !sameSet(l.GetDisabledPlans(), plans(t, e3, "PROJECTWORKMANAGEMENT", "YAMMER_ENTERPRISE")) {
		t.Errorf("effective disabledPlans %v after changing the direct path", l)
	}

	e.mustAssignUserLicense(uid, nil, sku)
	u = e.licensing(uid)
	if p := paths(u, sku); len(p) != 1 || p[base].state != "Active" {
		t.Errorf("after removing the direct license: paths %+v, want only the group's", p)
	}
	if got := e.enabledPlanNames(uid, sku); !slices.Equal(got, inheritedOnly) {
		t.Errorf("enabled plans %v after removing the direct license, want the inherited %v", got, inheritedOnly)
	}
	if got := e.consumed(sku); got != before {
		t.Errorf("consumedUnits %d, want %d", got, before)
	}
}

// New services added to products are enabled in every group holding the product; the
// administrator finds the groups with the product, disables the new service on the one meant for
// Exchange only, and users keep it only through other assignments.
func TestSeedNewServicesAddedToProducts(t *testing.T) {
	e := newEnv(t)
	e5 := e.skuByPart("ENTERPRISEPREMIUM")
	sku := skuID(e5)
	exchangeOnly := plansExcept(t, e5, "EXCHANGE_S_ENTERPRISE")
	gid := deref(e.createSecurityGroup("O365 E5 - Exchange only").GetId())
	e.mustAssignGroupLicense(gid, []license{{sku, exchangeOnly}})
	member := e.newGroupMember(gid, "exchange", "US")
	direct := e.newGroupMember(gid, "directe5", "US")
	e.mustAssignUserLicense(direct, []license{{sku, nil}})
	e.drain()

	newPlan := uuid.New()
	newName := "STREAM_NEXT_" + strings.ToUpper(e.suffix)
	r := e.do(http.MethodPost, "/_graphmock/subscribedSkus/"+sku.String()+"/servicePlans",
		map[string]any{"servicePlanId": newPlan.String(), "servicePlanName": newName, "appliesTo": "User"})
	r.wantStatus(t, http.StatusCreated)
	e.drain()

	sub, err := e.client.SubscribedSkus().BySubscribedSkuId(deref(e5.GetId())).Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("subscribedSkus/{id}: %v", err)
	}
	if len(sub.GetServicePlans()) != len(e5.GetServicePlans())+1 {
		t.Fatalf("E5 has %d plans after the addition, want %d", len(sub.GetServicePlans()), len(e5.GetServicePlans())+1)
	}

	// Licensed Groups of the product.
	licensed, err := e.client.Groups().Get(e.ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
		QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{
			Filter: ptr("assignedLicenses/any(x:x/skuId eq " + sku.String() + ")"),
			Select: []string{"id", "displayName", "assignedLicenses"},
		},
	})
	if err != nil {
		t.Fatalf("groups with E5: %v", err)
	}
	if !slices.Contains(ids(licensed.GetValue()), gid) {
		t.Fatalf("the Exchange-only group is not among the groups with E5")
	}
	if got := e.enabledPlanNames(member, sku); !slices.Equal(got, sorted("EXCHANGE_S_ENTERPRISE", newName)) {
		t.Errorf("member's enabled E5 plans %v, want Exchange and the new service", got)
	}

	// Disable the new service in the group.
	e.mustAssignGroupLicense(gid, []license{{sku, append(slices.Clone(exchangeOnly), newPlan)}})
	e.drain()
	if got := e.enabledPlanNames(member, sku); !slices.Equal(got, []string{"EXCHANGE_S_ENTERPRISE"}) {
		t.Errorf("member's enabled E5 plans %v after disabling the new service, want Exchange only", got)
	}
	late := e.newGroupMember(gid, "latecomer", "US")
	e.drain()
	if got := e.enabledPlanNames(late, sku); !slices.Equal(got, []string{"EXCHANGE_S_ENTERPRISE"}) {
		t.Errorf("new member's enabled E5 plans %v, want Exchange only", got)
	}
	if got := e.enabledPlanNames(direct, sku); !slices.Contains(got, newName) {
		t.Errorf("user with a direct E5 lost the new service: %v", got)
	}
}

// Who has inherited and who has direct licenses: the PowerShell script's question asked through
// the SDK — every user holding the SKU, paged, with licenseAssignmentStates.
func TestSeedWhoHasInheritedAndDirectLicenses(t *testing.T) {
	e := newEnv(t)
	sku := skuID(e.skuByPart("EMS"))
	gid := deref(e.createSecurityGroup("ems for some").GetId())
	e.mustAssignGroupLicense(gid, []license{{sku, nil}})
	directOnly := deref(e.createUser("directonly", "US").GetId())
	e.mustAssignUserLicense(directOnly, []license{{sku, nil}})
	groupOnly := e.newGroupMember(gid, "grouponly", "US")
	both := e.newGroupMember(gid, "bothpaths", "US")
	e.mustAssignUserLicense(both, []license{{sku, nil}})
	e.drain()

	first, err := e.client.Users().Get(e.ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{
			Filter: ptr("assignedLicenses/any(x:x/skuId eq " + sku.String() + ")"),
			Select: []string{"id", "userPrincipalName", "licenseAssignmentStates"},
			Top:    ptr(int32(2)),
		},
	})
	if err != nil {
		t.Fatalf("users with EMS: %v", err)
	}
	it, err := msgraphgocore.NewPageIterator[models.Userable](first, e.adapter, models.CreateUserCollectionResponseFromDiscriminatorValue)
	if err != nil {
		t.Fatalf("page iterator: %v", err)
	}
	type how struct{ direct, inherited bool }
	got := map[string]how{}
	if err := it.Iterate(e.ctx, func(u models.Userable) bool {
		var h how
		for _, p := range paths(u, sku) {
			if p.group == "" {
				h.direct = true
			} else {
				h.inherited = true
			}
		}
		got[deref(u.GetId())] = h
		return true
	}); err != nil {
		t.Fatalf("iterate: %v", err)
	}
	want := map[string]how{directOnly: {true, false}, groupOnly: {false, true}, both: {true, true}}
	for uid, w := range want {
		if g, ok := got[uid]; !ok || g != w {
			t.Errorf("user %s: found %v (listed %v), want direct=%v inherited=%v", uid, g, ok, w.direct, w.inherited)
		}
	}
}

// The three audit-log questions: who changed licenses on a group, when processing started and
// finished, and what the system changed for each user.
func TestSeedAuditLogQuestions(t *testing.T) {
	e := newEnv(t)
	sku := skuID(e.skuByPart("EMS"))
	gid := deref(e.createSecurityGroup("audited licenses").GetId())
	u1 := e.newGroupMember(gid, "audit1", "US")
	u2 := e.newGroupMember(gid, "audit2", "US")
	e.mustAssignGroupLicense(gid, []license{{sku, nil}})
	e.drain()

	t.Run("who modified a group license", func(t *testing.T) {
		got := e.audits("activityDisplayName eq 'Set group license' and targetResources/any(t:t/id eq '"+gid+"')", 0)
		if len(got) != 1 {
			t.Fatalf("%d 'Set group license' records, want 1", len(got))
		}
		a := got[0]
		if deref(a.GetCategory()) != "GroupManagement" || a.GetInitiatedBy().GetUser() == nil {
			t.Errorf("'Set group license' category %q, initiated by a user: %v", deref(a.GetCategory()), a.GetInitiatedBy().GetUser() != nil)
		}
		var changed bool
		for _, tr := range a.GetTargetResources() {
			for _, mp := range tr.GetModifiedProperties() {
				if strings.Contains(deref(mp.GetNewValue()), sku.String()) {
					changed = true
				}
			}
		}
		if !changed {
			t.Errorf("'Set group license' modified properties do not name the new SKU")
		}
	})

	var started, finished models.DirectoryAuditable
	t.Run("when processing started and finished", func(t *testing.T) {
		for _, name := range []string{"Start applying group based license to users", "Finish applying group based license to users"} {
			got := e.audits("activityDisplayName eq '"+name+"' and targetResources/any(t:t/id eq '"+gid+"')", 0)
			if len(got) != 1 {
				t.Fatalf("%d %q records, want 1", len(got), name)
			}
			app := got[0].GetInitiatedBy().GetApp()
			if app == nil || deref(app.GetDisplayName()) != "Microsoft Azure AD Group-Based Licensing" {
				t.Errorf("%q not initiated by the group-based licensing system account", name)
			}
			if strings.HasPrefix(name, "Start") {
				started = got[0]
			} else {
				finished = got[0]
			}
		}
		var result string
		for _, tr := range finished.GetTargetResources() {
			for _, mp := range tr.GetModifiedProperties() {
				if deref(mp.GetDisplayName()) == "Result" {
					result = deref(mp.GetNewValue())
				}
			}
		}
		if want := "[Users successfully assigned licenses: 2, Users for whom license assignment failed: 0.];"; result != want {
			t.Errorf("Result %q, want %q", result, want)
		}
	})

	t.Run("the complete log of the group's processing", func(t *testing.T) {
		if started == nil || finished == nil {
			t.Skip("start or finish record missing (reported above)")
		}
		from := started.GetActivityDateTime().UTC().Format(time.RFC3339Nano)
		to := finished.GetActivityDateTime().UTC().Format(time.RFC3339Nano)
		got := e.audits("initiatedBy/app/displayName eq 'Microsoft Azure AD Group-Based Licensing' and activityDateTime ge "+from+" and activityDateTime le "+to, 0)
		names := activityNames(got)
		if len(names) < 4 || names[0] != "Finish applying group based license to users" || names[len(names)-1] != "Start applying group based license to users" {
			t.Fatalf("records %q, want Finish … Change user license … Start", names)
		}
		changed := map[string]bool{}
		for _, a := range got {
			if deref(a.GetActivityDisplayName()) != "Change user license" {
				continue
			}
			for _, tr := range a.GetTargetResources() {
				changed[deref(tr.GetId())] = true
			}
		}
		if !changed[u1] || !changed[u2] {
			t.Errorf("'Change user license' records cover %v, want both members", changed)
		}
	})
}

// Deleting a group with an assigned license is refused until its licenses are removed.
func TestSeedDeletingLicensedGroup(t *testing.T) {
	e := newEnv(t)
	sku := skuID(e.skuByPart("EMS"))
	gid := deref(e.createSecurityGroup("licensed, to delete").GetId())
	uid := e.newGroupMember(gid, "leaver", "US")
	e.mustAssignGroupLicense(gid, []license{{sku, nil}})
	e.drain()

	err := e.client.Groups().ByGroupId(gid).Delete(e.ctx, nil)
	wantODataError(t, err, http.StatusBadRequest, "Request_BadRequest",
		"It isn't possible to delete a group with an active license assigned. Remove all licenses from the group before deleting it.")
	if _, err := e.client.Groups().ByGroupId(gid).Get(e.ctx, nil); err != nil {
		t.Fatalf("group gone after a refused delete: %v", err)
	}

	e.mustAssignGroupLicense(gid, nil, sku)
	e.drain()
	if len(e.groupLicensing(gid).GetAssignedLicenses()) != 0 {
		t.Fatalf("group still has licenses after removing them")
	}
	if err := e.client.Groups().ByGroupId(gid).Delete(e.ctx, nil); err != nil {
		t.Fatalf("delete after removing the licenses: %v", err)
	}
	if assigned(e.licensing(uid), sku) != nil {
		t.Errorf("member kept the license of the deleted group")
	}
}

// Limitations: nested groups get nothing, only security-enabled groups take licenses, and users
// left in an error state when seats ran out stay there until reprocessed.
func TestSeedLimitations(t *testing.T) {
	e := newEnv(t)

	t.Run("nested groups", func(t *testing.T) {
		sku := skuID(e.skuByPart("EMS"))
		outer := deref(e.createSecurityGroup("licensed outer").GetId())
		inner := deref(e.createSecurityGroup("nested inner").GetId())
		direct := e.newGroupMember(outer, "firstlevel", "US")
		nested := e.newGroupMember(inner, "nested", "US")
		e.mustAddMember(outer, inner)
		e.mustAssignGroupLicense(outer, []license{{sku, nil}})
		e.drain()
		if assigned(e.licensing(direct), sku) == nil {
			t.Errorf("first-level member has no license")
		}
		if u := e.licensing(nested); assigned(u, sku) != nil || len(paths(u, sku)) != 0 {
			t.Errorf("member of the nested group got the license")
		}
	})

	t.Run("security groups only", func(t *testing.T) {
		sku := skuID(e.skuByPart("EMS"))
		m365 := func(nick string, security bool) string {
			g := models.NewGroup()
			g.SetDisplayName(ptr(e.name(nick)))
			g.SetMailNickname(ptr(e.nick(nick)))
			g.SetMailEnabled(ptr(true))
			g.SetSecurityEnabled(ptr(security))
			g.SetGroupTypes([]string{"Unified"})
			got, err := e.client.Groups().Post(e.ctx, g, nil)
			if err != nil {
				t.Fatalf("create Microsoft 365 group: %v", err)
			}
			return deref(got.GetId())
		}
		_, err := e.assignGroupLicense(m365("m365 plain", false), []license{{sku, nil}})
		wantODataError(t, err, http.StatusBadRequest, "Request_BadRequest",
			"Group-based licensing can only be used with security groups and Microsoft 365 groups that have securityEnabled=true.")
		secured := m365("m365 secured", true)
		member := e.newGroupMember(secured, "m365member", "US")
		e.mustAssignGroupLicense(secured, []license{{sku, nil}})
		e.drain()
		if assigned(e.licensing(member), sku) == nil {
			t.Errorf("member of a security-enabled Microsoft 365 group has no license")
		}
	})

	t.Run("error states need reprocess", func(t *testing.T) {
		p2 := e.skuByPart("AAD_PREMIUM_P2")
		sku := skuID(p2)
		original := deref(p2.GetPrepaidUnits().GetEnabled())
		holder := deref(e.createUser("seatholder", "US").GetId())
		e.mustAssignUserLicense(holder, []license{{sku, nil}})
		// Leave exactly one free seat.
		setSeats := func(n int32) {
			t.Helper()
			e.do(http.MethodPatch, "/_graphmock/subscribedSkus/"+sku.String(), map[string]any{"prepaidUnits": map[string]any{"enabled": n}}).wantStatus(t, http.StatusOK)
		}
		setSeats(e.consumed(sku) + 1)
		t.Cleanup(func() { setSeats(original) })

		gid := deref(e.createSecurityGroup("p2 short of seats").GetId())
		first := e.newGroupMember(gid, "seated", "US")
		e.mustAssignGroupLicense(gid, []license{{sku, nil}})
		e.drain()
		second := e.newGroupMember(gid, "unseated", "US")
		e.drain()

		if assigned(e.licensing(first), sku) == nil {
			t.Fatalf("first member has no license though a seat was free")
		}
		if p := paths(e.licensing(second), sku)[gid]; p.state != "Error" || p.err != "CountViolation" {
			t.Fatalf("second member's path %+v, want Error/CountViolation", p)
		}
		errs, err := e.client.Groups().ByGroupId(gid).MembersWithLicenseErrors().Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("membersWithLicenseErrors: %v", err)
		}
		if got := ids(errs.GetValue()); !slices.Equal(got, []string{second}) {
			t.Errorf("membersWithLicenseErrors %v, want [%s]", got, second)
		}
		errUsers, err := e.client.Groups().ByGroupId(gid).MembersWithLicenseErrors().GraphUser().Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("membersWithLicenseErrors/graph.user: %v", err)
		}
		if got := ids(errUsers.GetValue()); !slices.Equal(got, []string{second}) {
			t.Errorf("membersWithLicenseErrors/graph.user %v, want [%s]", got, second)
		}
		for name, count := range map[string]func() (*int32, error){
			"$count": func() (*int32, error) {
				return e.client.Groups().ByGroupId(gid).MembersWithLicenseErrors().Count().Get(e.ctx,
					&groups.ItemMembersWithLicenseErrorsCountRequestBuilderGetRequestConfiguration{Headers: eventual()})
			},
			"graph.user/$count": func() (*int32, error) {
				return e.client.Groups().ByGroupId(gid).MembersWithLicenseErrors().GraphUser().Count().Get(e.ctx,
					&groups.ItemMembersWithLicenseErrorsGraphUserCountRequestBuilderGetRequestConfiguration{Headers: eventual()})
			},
		} {
			if n, err := count(); err != nil || deref(n) != 1 {
				t.Errorf("membersWithLicenseErrors/%s = %d, %v; want 1", name, deref(n), err)
			}
		}
		withErrors, err := e.client.Groups().Get(e.ctx, &groups.GroupsRequestBuilderGetRequestConfiguration{
			QueryParameters: &groups.GroupsRequestBuilderGetQueryParameters{Filter: ptr("hasMembersWithLicenseErrors eq true")},
		})
		if err != nil {
			t.Fatalf("groups with license errors: %v", err)
		}
		if !slices.Contains(ids(withErrors.GetValue()), gid) {
			t.Errorf("hasMembersWithLicenseErrors eq true does not find the group")
		}
		_, err = e.assignUserLicense(deref(e.createUser("toomany", "US").GetId()), []license{{sku, nil}})
		wantODataError(t, err, http.StatusBadRequest, "Request_BadRequest",
			"Subscription with SKU "+sku.String()+" does not have any available licenses.")

		// Free a seat: the system does not react on its own.
		e.mustAssignUserLicense(holder, nil, sku)
		e.drain()
		if p := paths(e.licensing(second), sku)[gid]; p.state != "Error" {
			t.Errorf("second member's path %+v after a seat was freed, want still Error until reprocessed", p)
		}
		u, err := e.client.Users().ByUserId(second).ReprocessLicenseAssignment().Post(e.ctx, nil)
		if err != nil {
			t.Fatalf("reprocessLicenseAssignment: %v", err)
		}
		e.drain()
		if p := paths(e.licensing(second), sku)[gid]; p.state != "Active" || p.err != "None" || deref(u.GetId()) != second {
			t.Errorf("second member's path %+v after reprocess, want Active/None", p)
		}
		errs, err = e.client.Groups().ByGroupId(gid).MembersWithLicenseErrors().Get(e.ctx, nil)
		if err != nil {
			t.Fatalf("membersWithLicenseErrors: %v", err)
		}
		if n := len(errs.GetValue()); n != 0 {
			t.Errorf("%d members with license errors after reprocess, want 0", n)
		}
	})
}
