package graphmock

import (
	"encoding/json"
	"strings"
	"testing"
)

// trJournal returns the default tenant's journal entries.
func trJournal(t *testing.T, s *Server) []map[string]any {
	t.Helper()
	res := trCall(t, s, "GET", "/_graphmock/journal", "")
	var out struct{ Value []map[string]any }
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatalf("journal: %v %s", err, res.body)
	}
	return out.Value
}

func TestJournalRecordsBodyRefusedForContentType(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	res := trCall(t, s, "PATCH", "/v1.0/users/"+trMorganID, "hello", "Content-Type", "text/plain")
	if res.status < 400 {
		t.Fatalf("PATCH text/plain: %d %s, want a refusal", res.status, res.body)
	}
	res = trCall(t, s, "PATCH", "/v1.0/users/"+trMorganID, `{"jobTitle":"Pilot"}`, "Content-Type", "text/plain")
	if res.status < 400 {
		t.Fatalf("PATCH JSON as text/plain: %d %s, want a refusal", res.status, res.body)
	}
	got := trJournal(t, s)
	if len(got) != 2 {
		t.Fatalf("journal: %v", got)
	}
	if got[0]["body"] != "hello" {
		t.Errorf("text body recorded as %#v, want \"hello\"", got[0]["body"])
	}
	if b, _ := got[1]["body"].(map[string]any); b["jobTitle"] != "Pilot" {
		t.Errorf("JSON body recorded as %#v", got[1]["body"])
	}
	// The handler still reads the whole body after the journal did.
	res = trCall(t, s, "PATCH", "/v1.0/users/"+trMorganID, `{"jobTitle":"Pilot"}`)
	if res.status != 204 {
		t.Fatalf("PATCH: %d %s", res.status, res.body)
	}
	big := `{"jobTitle":"` + strings.Repeat("x", maxJournalBody) + `"}`
	trCall(t, s, "PATCH", "/v1.0/users/"+trMorganID, big, "Content-Type", "text/plain")
	got = trJournal(t, s)
	if b, _ := got[len(got)-1]["body"].(string); len(b) != maxJournalBody || !strings.HasPrefix(b, `{"jobTitle":"xxx`) {
		t.Errorf("long body recorded as %d bytes, want %d", len(b), maxJournalBody)
	}
}

func TestJournalSkipsIdentityEndpoints(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	form := "grant_type=client_credentials&client_id=11111111-2222-4333-8444-555555555555&client_secret=s3cret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
	for _, p := range []string{"/" + testTenantID + "/oauth2/v2.0/token", "/common/oauth2/v2.0/token", "/" + testTenantID + "/v2.0/.well-known/openid-configuration"} {
		method, body := "POST", form
		if strings.Contains(p, ".well-known") {
			method, body = "GET", ""
		}
		trCall(t, s, method, p, body, "Content-Type", "application/x-www-form-urlencoded")
	}
	trCall(t, s, "GET", "/v1.0/organization", "")
	got := trJournal(t, s)
	if len(got) != 1 || got[0]["path"] != "/v1.0/organization" {
		t.Fatalf("journal = %v, want only the Graph call", got)
	}
	raw, _ := json.Marshal(got)
	if strings.Contains(string(raw), "s3cret") {
		t.Errorf("journal holds the client secret: %s", raw)
	}
}
