package engine_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/engine/catalog"
)

// BenchmarkGroupAssign100k measures a group assignLicense on a 100,000-member group through
// ProcessingComplete, with every license record, user update and audit record written
// (immediate mode: the write returns once processing is done). Metrics: ms per assignment,
// ns and allocated bytes per licensed user, and heap retained per licensed user.
func BenchmarkGroupAssign100k(b *testing.B) {
	benchGroupAssign(b, benchMembers, benchMembers)
}

// BenchmarkGroupAssign1kIn100k is BenchmarkGroupAssign100k for a 1,000-member group in a tenant
// of 100,000 licensed-capable users: the cost of a small group in a large directory.
func BenchmarkGroupAssign1kIn100k(b *testing.B) {
	benchGroupAssign(b, benchMembers, 1_000)
}

// benchGroupAssign measures assignLicense on a group of members of a tenant of users users.
func benchGroupAssign(b *testing.B, users, members int) {
	s, err := engine.NewStore(engine.Options{Processing: engine.ProcessingOptions{Mode: engine.ProcessingImmediate}, IDs: engine.NewDeterministicIDs("bench")})
	if err != nil {
		b.Fatal(err)
	}
	var gid string
	err = s.Update(admin, func(tx *engine.Txn) error {
		org := &engine.Organization{ID: "11111111-2222-4333-8444-555555555555", DisplayName: "Contoso", CountryLetterCode: "US",
			VerifiedDomains: []engine.VerifiedDomain{{Name: "contoso.example", IsDefault: true}}}
		if err := tx.SetOrganization(org); err != nil {
			return err
		}
		p, _ := catalog.ByPartNumber("ENTERPRISEPACK")
		sku := &engine.SubscribedSku{SkuID: p.SkuID, SkuPartNumber: p.SkuPartNumber, AccountID: org.ID, CapabilityStatus: "Enabled",
			PrepaidUnits: engine.LicenseUnits{Enabled: users}}
		for _, sp := range p.ServicePlans {
			sku.ServicePlans = append(sku.ServicePlans, engine.ServicePlanInfo{ServicePlanID: sp.ServicePlanID, ServicePlanName: sp.ServicePlanName, Service: sp.Service})
		}
		if err := tx.PutSubscribedSku(sku); err != nil {
			return err
		}
		g, err := tx.CreateGroup(&engine.Group{DisplayName: "All staff", MailNickname: "all-staff", SecurityEnabled: true})
		if err != nil {
			return err
		}
		gid = g.ID
		for i := 0; i < users; i++ {
			u, err := tx.CreateUser(&engine.User{DisplayName: fmt.Sprintf("User %d", i), MailNickname: fmt.Sprintf("u%d", i),
				UserPrincipalName: fmt.Sprintf("u%d@contoso.example", i), AccountEnabled: true, PasswordProfile: &engine.PasswordProfile{Password: "x-Pa55word"}})
			if err != nil {
				return err
			}
			if i%(users/members) != 0 {
				continue
			}
			if err := tx.AddMember(gid, u.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	add := []engine.AssignedLicense{{SkuID: skuE3, DisabledPlans: []string{planYammer}}}
	var ms0, ms1 runtime.MemStats
	var total, cpu time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&ms0)
		b.StartTimer()
		start, cpuStart := time.Now(), cpuTime()
		if err := s.Update(admin, func(tx *engine.Txn) error { _, err := tx.AssignGroupLicense(gid, add, nil); return err }); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		cpu += cpuTime() - cpuStart
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&ms1)
		var state string
		var consumed int
		_ = s.View(func(tx *engine.Txn) error {
			g, _ := tx.GroupByID(gid)
			state = g.LicenseProcessingState
			sk, _ := tx.SubscribedSkuByID(skuE3)
			consumed = sk.ConsumedUnits
			return nil
		})
		if state != engine.ProcessingComplete || consumed != members {
			b.Fatalf("state %s, consumed %d", state, consumed)
		}
		if err := s.Update(admin, func(tx *engine.Txn) error { _, err := tx.AssignGroupLicense(gid, nil, []string{skuE3}); return err }); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	per := total / time.Duration(b.N)
	b.ReportMetric(float64(per.Milliseconds()), "ms/assign")
	// CPU time of the process (GC included): the cost on a shared machine, where wall time
	// also counts other processes.
	b.ReportMetric(float64((cpu / time.Duration(b.N)).Milliseconds()), "cpu-ms/assign")
	b.ReportMetric(float64(per.Nanoseconds())/float64(members), "ns/user")
	b.ReportMetric(float64(int64(ms1.HeapAlloc)-int64(ms0.HeapAlloc))/float64(members), "retained-B/user")
}

// benchMembers is the group size of BenchmarkGroupAssign100k.
var benchMembers = 100_000
