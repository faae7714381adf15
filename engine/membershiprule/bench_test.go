package membershiprule

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// benchUser is a struct-backed user, the way a store keeps users, answering by property name.
type benchUser struct {
	objectID, department, displayName, userType, ext1 string
	accountEnabled                                    bool
	proxyAddresses                                    []string
	plans                                             []AssignedPlan
	hired                                             time.Time
}

func (u *benchUser) RuleProperty(name string) any {
	switch name {
	case "objectId":
		return u.objectID
	case "department":
		return u.department
	case "displayName":
		return u.displayName
	case "userType":
		return u.userType
	case "extensionAttribute1":
		return u.ext1
	case "accountEnabled":
		return u.accountEnabled
	case "proxyAddresses":
		return u.proxyAddresses
	case "assignedPlans":
		return u.plans
	case "employeeHireDate":
		return u.hired
	}
	return nil
}

// fastBenchUser adds the TypedSubject fast path.
type fastBenchUser struct{ *benchUser }

func (u fastBenchUser) RuleString(name string) (string, bool) {
	switch name {
	case "objectId":
		return u.objectID, true
	case "department":
		return u.department, true
	case "displayName":
		return u.displayName, true
	case "userType":
		return u.userType, true
	case "extensionAttribute1":
		return u.ext1, true
	}
	return "", false
}

func (u fastBenchUser) RuleStrings(name string) []string {
	if name == "proxyAddresses" {
		return u.proxyAddresses
	}
	return nil
}

func (u fastBenchUser) RuleTime(name string) (time.Time, bool) {
	return u.hired, name == "employeeHireDate"
}

func (u fastBenchUser) RuleAssignedPlans(name string) []AssignedPlan {
	if name == "assignedPlans" {
		return u.plans
	}
	return nil
}

func newBenchUser(i int) *benchUser {
	depts := []string{"Sales", "Marketing", "Engineering", "Support", "Finance"}
	return &benchUser{
		objectID:       fmt.Sprintf("%08d-0000-0000-0000-000000000000", i),
		department:     depts[i%len(depts)],
		displayName:    "User " + strconv.Itoa(i),
		userType:       "Member",
		ext1:           []string{"EMS", "none", "EMS-E5"}[i%3],
		accountEnabled: i%10 != 0,
		proxyAddresses: []string{fmt.Sprintf("SMTP:user%d@contoso.com", i), fmt.Sprintf("smtp:u%d@fabrikam.com", i)},
		plans: []AssignedPlan{{ServicePlanID: "efb87545-963c-4e0d-99df-69c6916d9eb0", Service: "exchange",
			CapabilityStatus: []string{"Enabled", "Suspended"}[i%2]}},
		hired: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
	}
}

// benchPopulations builds 100,000 users three ways: map-backed, struct-backed through
// RuleProperty only, and struct-backed with the TypedSubject fast path.
func benchPopulations(n int) map[string][]Subject {
	pops := map[string][]Subject{"map": make([]Subject, n), "struct": make([]Subject, n), "fast": make([]Subject, n)}
	for i := range n {
		u := newBenchUser(i)
		pops["struct"][i] = u
		pops["fast"][i] = fastBenchUser{u}
		pops["map"][i] = mapSubject{
			"objectId": u.objectID, "department": u.department, "displayName": u.displayName,
			"userType": u.userType, "extensionAttribute1": u.ext1, "accountEnabled": u.accountEnabled,
			"proxyAddresses": u.proxyAddresses, "assignedPlans": u.plans, "employeeHireDate": u.hired,
		}
	}
	return pops
}

var benchRules = []struct{ name, rule string }{
	{"seed", `user.extensionAttribute1 -contains "EMS"`},
	{"allUsers", `user.objectId -ne null`},
	{"compound", `(user.accountEnabled -eq true) -and (user.department -in ["Sales","Marketing"]) -and -not (user.displayName -startsWith "admin")`},
	{"proxyAny", `user.proxyAddresses -any (_ -endsWith "@fabrikam.com")`},
	{"plansAny", `user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")`},
	{"match", `user.displayName -match "^user 9+$"`},
	{"hireDate", `user.employeeHireDate -ge system.now -minus P1000D`},
}

// BenchmarkMatch evaluates each rule over 100,000 users per iteration: ns/op is the time for
// the whole population, users/s the evaluation rate.
func BenchmarkMatch(b *testing.B) {
	const n = 100_000
	pops := benchPopulations(n)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, kind := range []string{"fast", "struct", "map"} {
		users := pops[kind]
		for _, br := range benchRules {
			r, err := Parse(br.rule)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(kind+"/"+br.name, func(b *testing.B) {
				b.ReportAllocs()
				matched := 0
				for b.Loop() {
					matched = 0
					for _, u := range users {
						if r.MatchAt(u, now) {
							matched++
						}
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
				b.ReportMetric(float64(matched), "matched")
			})
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchRules[2].rule); err != nil {
			b.Fatal(err)
		}
	}
}
