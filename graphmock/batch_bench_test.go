package graphmock

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// trBenchIDs are the fixture users the benchmarks read, 20 GETs per operation.
var trBenchIDs = func() []string {
	ids := []string{trMorganID, trAveryID}
	out := make([]string, 20)
	for i := range out {
		out[i] = ids[i%len(ids)]
	}
	return out
}()

func trBenchBatchBody(b *testing.B) []byte {
	items := make([]map[string]any, len(trBenchIDs))
	for i, id := range trBenchIDs {
		items[i] = trReq(fmt.Sprint(i+1), "GET", "/users/"+id)
	}
	return []byte(trJSON(b, trEnvelope(items...)))
}

// BenchmarkBatch20Gets is one POST /v1.0/$batch of 20 GET /users/{id} over loopback HTTP.
func BenchmarkBatch20Gets(b *testing.B) {
	s, _ := trServer(b, Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	body := trBenchBatchBody(b)
	client := ts.Client()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := client.Post(ts.URL+"/v1.0/$batch", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/20, "ns/get")
}

// BenchmarkDirect20Gets is 20 direct GET /v1.0/users/{id} over loopback HTTP (keep-alive).
func BenchmarkDirect20Gets(b *testing.B) {
	s, _ := trServer(b, Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := ts.Client()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, id := range trBenchIDs {
			resp, err := client.Get(ts.URL + "/v1.0/users/" + id)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/20, "ns/get")
}

// BenchmarkBatch20GetsInProcess is the $batch without the network: the server's own cost.
func BenchmarkBatch20GetsInProcess(b *testing.B) {
	s, _ := trServer(b, Options{})
	body := trBenchBatchBody(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/v1.0/$batch", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkDirect20GetsInProcess is 20 GETs without the network.
func BenchmarkDirect20GetsInProcess(b *testing.B) {
	s, _ := trServer(b, Options{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, id := range trBenchIDs {
			r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/v1.0/users/"+id, nil)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	}
}
