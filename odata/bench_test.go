package odata

import (
	"fmt"
	"net/url"
	"testing"
	"time"
)

// benchUser is a struct record, the way the store hands objects to Page.
type benchUser struct {
	id, displayName, upn string
	licenses             []Record
}

type benchLicense struct{ skuID string }

func (l benchLicense) Property(name string) (any, bool) {
	if name == "skuId" {
		return l.skuID, true
	}
	return nil, false
}

func (u *benchUser) Property(name string) (any, bool) {
	switch name {
	case "id":
		return u.id, true
	case "displayName":
		return u.displayName, true
	case "userPrincipalName":
		return u.upn, true
	case "assignedLicenses":
		return u.licenses, true
	}
	return nil, false
}

func benchUsers(n int) []*benchUser {
	letters := "abcdefghijklmnopqrstuvwxyz"
	skus := []string{e3, p1, "c7df2760-2c81-4ef7-b578-5b5392b571df"}
	out := make([]*benchUser, n)
	for i := range out {
		u := &benchUser{id: fmt.Sprintf("%08d", i), displayName: fmt.Sprintf("%c user %d", letters[i%26], i), upn: fmt.Sprintf("u%d@contoso.com", i)}
		for j := 0; j < i%3; j++ {
			u.licenses = append(u.licenses, benchLicense{skus[(i+j)%3]})
		}
		out[i] = u
	}
	return out
}

func benchPage(b *testing.B, values url.Values, wantCount int) {
	items := benchUsers(100_000)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		q, err := Parse(Request{Values: values, ConsistencyLevel: "eventual"}, Users)
		if err != nil {
			b.Fatal(err)
		}
		page, count, _, err := Page(q, items, 100)
		if err != nil || len(page) != 100 || count != wantCount {
			b.Fatalf("page=%d count=%d err=%v, want count %d", len(page), count, err, wantCount)
		}
	}
	reportQuery(b, cpu)
}

func BenchmarkStartswithCount100k(b *testing.B) {
	benchPage(b, url.Values{"$filter": {"startswith(displayName,'a')"}, "$count": {"true"}}, 3847)
}

func BenchmarkLambdaAssignedLicenses100k(b *testing.B) {
	benchPage(b, url.Values{"$filter": {"assignedLicenses/any(x:x/skuId eq " + e3 + ")"}, "$count": {"true"}}, 33333)
}

func BenchmarkOrderByDisplayName100k(b *testing.B) {
	benchPage(b, url.Values{"$orderby": {"displayName desc"}, "$count": {"true"}}, 100_000)
}

func BenchmarkJSONStartswith100k(b *testing.B) {
	items := make([]Record, 100_000)
	for i := range items {
		items[i] = JSONRecord(fmt.Appendf(nil, `{"id":"%08d","displayName":"%c user %d","userPrincipalName":"u%d@contoso.com"}`, i, 'a'+i%26, i, i))
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		q, _ := Parse(Request{Values: url.Values{"$filter": {"startswith(displayName,'a')"}, "$count": {"true"}}, ConsistencyLevel: "eventual"}, Users)
		if _, count, _, _ := Page(q, items, 100); count != 3847 {
			b.Fatalf("count = %d", count)
		}
	}
	reportQuery(b, cpu)
}

// reportQuery reports wall-clock and CPU milliseconds per query; the target is
// 50 ms for a 100,000-record scan.
func reportQuery(b *testing.B, cpuStart time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/query")
	if cpu := cpuTime() - cpuStart; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/query")
	}
}
