package graphmock

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzAuthorizationHeader: any Authorization header gets a 401 in Graph's envelope with auth on,
// never a panic or a 5xx.
func FuzzAuthorizationHeader(f *testing.F) {
	for _, seed := range []string{"", "Bearer", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.eyJ9.", "Basic x", "bearer ..", "Bearer " + strings.Repeat(".", 100)} {
		f.Add(seed)
	}
	s, err := New(Options{Auth: AuthOn, TokenSigningKey: sharedSigningKey()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, h string) {
		req := httptest.NewRequest(http.MethodGet, "/v1.0/users", nil)
		req.Header.Set("Authorization", h)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("%q: status %d", h, rec.Code)
		}
	})
}

// FuzzTokenRequest: any form body gets an Entra-shaped 4xx (or a token), never a panic or a 5xx.
func FuzzTokenRequest(f *testing.F) {
	for _, seed := range []string{"", "grant_type=client_credentials", "grant_type=client_credentials&client_id=6a1e4f0c-2b7d-4c59-8e3a-9d0b5f7c1a23&client_secret=x&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
		"grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c&scope=x/.default",
		"grant_type=password&username=a&password=b&client_id=c&scope=d", "%zz", "a=%"} {
		f.Add("7d3f4a8e-2c1b-4e5f-9a6d-3b8c0e1f2a4d", seed)
	}
	f.Add("common", "grant_type=client_credentials&client_assertion=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
	s, err := New(Options{TokenSigningKey: sharedSigningKey()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tenant, body string) {
		if tenant == "" || tenant == "." || tenant == ".." {
			return
		}
		req := httptest.NewRequest(http.MethodPost, "/"+url.PathEscape(tenant)+"/oauth2/v2.0/token", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%q %q: status %d %s", tenant, body, rec.Code, rec.Body.String())
		}
	})
}
