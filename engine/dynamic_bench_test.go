package engine_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
)

// benchStore makes a tenant with n users whose department is "D<i mod departments>".
func benchStore(b *testing.B, mode engine.ProcessingMode, n, departments int) (*engine.Store, []string) {
	b.Helper()
	s, err := engine.NewStore(engine.Options{IDs: engine.NewDeterministicIDs(b.Name()), Processing: engine.ProcessingOptions{Mode: mode}})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, 0, n)
	err = s.Update(admin, func(tx *engine.Txn) error {
		if err := tx.SetOrganization(&engine.Organization{ID: "11111111-2222-4333-8444-555555555555", DisplayName: "Contoso", CountryLetterCode: "US",
			VerifiedDomains: []engine.VerifiedDomain{{Name: "contoso.example", IsDefault: true}}}); err != nil {
			return err
		}
		for i := range n {
			nick := fmt.Sprintf("user%06d", i)
			u, err := tx.CreateUser(&engine.User{DisplayName: nick, MailNickname: nick, UserPrincipalName: nick + "@contoso.example", AccountEnabled: true,
				Department: fmt.Sprintf("D%d", i%departments), PasswordProfile: &engine.PasswordProfile{Password: "x-Pa55word"}})
			if err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s, ids
}

func benchDynGroup(b *testing.B, s *engine.Store, nick, rule string) string {
	b.Helper()
	var id string
	err := s.Update(admin, func(tx *engine.Txn) error {
		g, err := tx.CreateGroup(&engine.Group{DisplayName: nick, MailNickname: nick, SecurityEnabled: true,
			GroupTypes: []string{"DynamicMembership"}, MembershipRule: rule})
		if err == nil {
			id = g.ID
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return id
}

func benchSetRule(b *testing.B, s *engine.Store, gid, rule string) {
	err := s.Update(admin, func(tx *engine.Txn) error {
		g, err := tx.GroupByID(gid)
		if err != nil {
			return err
		}
		c := g.Clone()
		c.MembershipRule = rule
		_, err = tx.UpdateGroup(c)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRuleChange100k changes the rule of a dynamic group over 100,000 users and evaluates it
// (processing immediate: the PATCH's transaction plus the evaluation task). "swap" moves the group
// from one department to another (10,000 users leave and 10,000 join, each with an audit record);
// "same members" rewrites the rule into an equivalent one (all 100,000 users evaluated, nobody moves).
func BenchmarkRuleChange100k(b *testing.B) {
	const users = 100_000
	s, _ := benchStore(b, engine.ProcessingImmediate, users, 10)
	gid := benchDynGroup(b, s, "dyn", `user.department -eq "D1"`)
	for _, bc := range []struct {
		name         string
		rules        [2]string
		changesPerOp float64
	}{
		{"swap", [2]string{`user.department -eq "D2"`, `user.department -eq "D1"`}, 20_000},
		{"same members", [2]string{`user.department -in ["D1"]`, `user.department -eq "D1"`}, 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			cpu := cpuTime()
			for b.Loop() {
				benchSetRule(b, s, gid, bc.rules[i%2])
				i++
			}
			reportCPU(b, cpu, i)
			if i%2 == 1 {
				benchSetRule(b, s, gid, bc.rules[1])
			}
			if errs := s.Processing().Errors(); len(errs) > 0 {
				b.Fatal(errs)
			}
			b.ReportMetric(bc.changesPerOp, "changes/op")
			b.ReportMetric(users, "users")
		})
	}
}

// BenchmarkUserPatchWith100DynamicGroups measures one user update (engine UpdateUser, as PATCH
// /users/{id} makes it) in a tenant of 1,000 users, without dynamic groups and with 100 (rules on
// department and extensionAttribute1). The difference is the cost dynamic membership adds:
// "unread property" changes jobTitle, which no rule reads; "department" changes a property 50
// rules read, moving the user between two groups (two audit records), evaluated immediately or
// only queued (manual mode: the cost to the request itself).
func BenchmarkUserPatchWith100DynamicGroups(b *testing.B) {
	for _, bc := range []struct {
		name   string
		groups int
		mode   engine.ProcessingMode
		change func(u *engine.User, i int)
	}{
		{"no groups/department", 0, engine.ProcessingImmediate, setDepartment},
		{"100 groups/unread property", 100, engine.ProcessingImmediate, func(u *engine.User, i int) { u.JobTitle = fmt.Sprintf("T%d", i%2) }},
		{"100 groups/department", 100, engine.ProcessingImmediate, setDepartment},
		{"100 groups/department queued", 100, engine.ProcessingManual, setDepartment},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s, ids := benchStore(b, bc.mode, 1000, 50)
			for g := range bc.groups {
				rule := fmt.Sprintf(`user.department -eq "D%d"`, g)
				if g%2 == 1 {
					rule = fmt.Sprintf(`user.extensionAttribute1 -contains "X%d;"`, g)
				}
				benchDynGroup(b, s, fmt.Sprintf("dyn%03d", g), rule)
			}
			if err := s.Processing().Drain(b.Context()); err != nil {
				b.Fatal(err)
			}
			uid := ids[1]
			i := 0
			cpu := cpuTime()
			for b.Loop() {
				err := s.Update(admin, func(tx *engine.Txn) error {
					u, err := tx.UserByID(uid)
					if err != nil {
						return err
					}
					c := u.Clone()
					bc.change(c, i)
					_, err = tx.UpdateUser(c)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
			reportCPU(b, cpu, i)
			if errs := s.Processing().Errors(); len(errs) > 0 {
				b.Fatal(errs)
			}
		})
	}
}

func setDepartment(u *engine.User, i int) { u.Department = fmt.Sprintf("D%d", 2+2*(i%2)) }

func reportCPU(b *testing.B, start time.Duration, ops int) {
	if ops > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(ops)/1e6, "cpu-ms/op")
	}
}
