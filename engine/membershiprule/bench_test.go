package membershiprule

import (
	"fmt"
	"testing"
	"time"
)

// benchUsers builds n users with varied departments, proxy addresses and plans.
func benchUsers(n int) []Subject {
	depts := []string{"Sales", "Marketing", "Engineering", "Support", "Finance"}
	out := make([]Subject, n)
	for i := range out {
		out[i] = mapSubject{
			"objectId":            fmt.Sprintf("%08d-0000-0000-0000-000000000000", i),
			"accountEnabled":      i%10 != 0,
			"department":          depts[i%len(depts)],
			"displayName":         fmt.Sprintf("User %d", i),
			"userType":            "Member",
			"usageLocation":       "US",
			"extensionAttribute1": []string{"EMS", "none", "EMS-E5"}[i%3],
			"proxyAddresses":      []string{fmt.Sprintf("SMTP:user%d@contoso.com", i), fmt.Sprintf("smtp:u%d@fabrikam.com", i)},
			"assignedPlans": []AssignedPlan{
				{ServicePlanID: "efb87545-963c-4e0d-99df-69c6916d9eb0", Service: "exchange", CapabilityStatus: []string{"Enabled", "Suspended"}[i%2]},
			},
			"employeeHireDate": time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
		}
	}
	return out
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

// BenchmarkMatch evaluates each rule over 100,000 users per iteration; users/s is the
// evaluation rate and ns/op the time for the whole population.
func BenchmarkMatch(b *testing.B) {
	users := benchUsers(100_000)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, br := range benchRules {
		r, err := Parse(br.rule)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(br.name, func(b *testing.B) {
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
			b.ReportMetric(float64(len(users))*float64(b.N)/b.Elapsed().Seconds(), "users/s")
			b.ReportMetric(float64(matched), "matched")
		})
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
