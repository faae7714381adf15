package graphmock

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkGetUserByID measures GET /v1.0/users/{id} through the full handler chain.
func BenchmarkGetUserByID(b *testing.B) {
	s := newServer(b)
	id := userID(b, s, adminUPN)
	req := httptest.NewRequest("GET", "http://graph.test/v1.0/users/"+id, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
