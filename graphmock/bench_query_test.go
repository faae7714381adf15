package graphmock

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/graphmock/graphmock/engine"
)

// benchServer returns a server whose tenant holds n extra users, each with an E3 license held
// directly by every tenth user, created in one transaction.
func benchServer(b *testing.B, n int) *Server {
	b.Helper()
	s, err := New(Options{Empty: true, ProcessingMode: "immediate"})
	if err != nil {
		b.Fatal(err)
	}
	err = s.Store().Update(fixtureActor, func(tx *engine.Txn) error {
		for i := 0; i < n; i++ {
			nick := fmt.Sprintf("bench%06d", i)
			u := &engine.User{DisplayName: fmt.Sprintf("%c%s", 'a'+rune(i%26), nick), MailNickname: nick,
				UserPrincipalName: nick + "@larkspur.example", AccountEnabled: true, UsageLocation: "US",
				PasswordProfile: &engine.PasswordProfile{Password: "x-Pa55word"}}
			if _, err := tx.CreateUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchGet(b *testing.B, s *Server, path string, headers ...string) {
	b.Helper()
	req := httptest.NewRequest("GET", "http://graph.test"+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

func filterPath(filter string, extra string) string {
	return "/v1.0/users?$filter=" + url.QueryEscape(filter) + extra
}

// BenchmarkUsersStartswithCount100k: $filter=startswith(displayName,'a')&$count=true over 100,000 users.
func BenchmarkUsersStartswithCount100k(b *testing.B) {
	s := benchServer(b, 100_000)
	benchGet(b, s, filterPath("startswith(displayName,'a')", "&$count=true&$select=id"), "ConsistencyLevel", "eventual")
}

// BenchmarkUsersUPNEquals100k: userPrincipalName eq '…' answered from the index.
func BenchmarkUsersUPNEquals100k(b *testing.B) {
	s := benchServer(b, 100_000)
	benchGet(b, s, filterPath("userPrincipalName eq 'bench054321@larkspur.example'", ""))
}

// BenchmarkUsersAssignedLicensesLambda100k: assignedLicenses/any(x:x/skuId eq …) over 100,000 users.
func BenchmarkUsersAssignedLicensesLambda100k(b *testing.B) {
	s := benchServer(b, 100_000)
	benchGet(b, s, filterPath("assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)", "&$select=id"))
}

// BenchmarkDirectoryAuditsFiltered300k: a filtered audit query over 300,000 records.
func BenchmarkDirectoryAuditsFiltered300k(b *testing.B) {
	s := benchServer(b, 0)
	err := s.Store().Update(fixtureActor, func(tx *engine.Txn) error {
		for i := 0; i < 300_000; i++ {
			rec := engine.AuditRecord{Category: engine.CategoryGroupManagement, ActivityDisplayName: engine.ActivityAddMember,
				OperationType: "Assign", TargetResources: []engine.TargetResource{{ID: fmt.Sprintf("t%06d", i), DisplayName: "Group", Type: "Group"}}}
			if i%1000 == 0 {
				rec.ActivityDisplayName = engine.ActivitySetGroupLicense
			}
			if err := tx.Audit(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	benchGet(b, s, "/v1.0/auditLogs/directoryAudits?$filter="+url.QueryEscape("activityDisplayName eq 'Set group license' and category eq 'GroupManagement'")+"&$top=50")
}
