package graphmock

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkTokenValidation measures reading and validating a bearer token (RS256 verify,
// claims, tenant and app lookups): the per-request cost auth adds.
func BenchmarkTokenValidation(b *testing.B) {
	s, err := New(Options{Auth: AuthOn, TokenSigningKey: sharedSigningKey()})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := s.IssueToken(TokenRequest{AppID: adminAppID})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/v1.0/users", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	b.ReportAllocs()
	for b.Loop() {
		if id, msg := s.identityFromHeader(req); id == nil {
			b.Fatal(msg)
		}
	}
}

// BenchmarkTokenEndpoint measures a client-credentials token request end to end (form parsing,
// secret check, signing).
func BenchmarkTokenEndpoint(b *testing.B) {
	s, err := New(Options{TokenSigningKey: sharedSigningKey()})
	if err != nil {
		b.Fatal(err)
	}
	body := ccForm().Encode()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/"+testTenantID+"/oauth2/v2.0/token", stringsReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}
