package graphmock

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// signedAssertion signs claims with key: HS256 for a []byte secret, RS256 otherwise.
func signedAssertion(t *testing.T, claims jwt.MapClaims, key any) string {
	t.Helper()
	method := jwt.SigningMethod(jwt.SigningMethodRS256)
	if _, ok := key.([]byte); ok {
		method = jwt.SigningMethodHS256
	}
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func assertionForm(clientID, as string) url.Values {
	v := url.Values{"grant_type": {"client_credentials"}, "scope": {graphScope},
		"client_assertion_type": {assertionTypeJWTBearer}, "client_assertion": {as}}
	if clientID != "" {
		v.Set("client_id", clientID)
	}
	return v
}

// TestClientAssertionSubjectBeforeSignature: an assertion naming another application than the
// client answers 700021 even when its signature doesn't verify with the client's credentials.
func TestClientAssertionSubjectBeforeSignature(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	cert := sharedTestCert()
	certApp := "44444444-2222-4333-8444-555555555555"
	if err := a.srv.AddApplication(FixtureApplication{AppID: certApp, DisplayName: "cert app",
		KeyCredentials: []FixtureKeyCredential{{Key: cert.pem}}, ApplicationPermissions: []string{"User.Read.All"}}); err != nil {
		t.Fatal(err)
	}
	aud := a.ts.URL + "/" + testTenantID + "/oauth2/v2.0/token"
	exp := time.Now().Add(10 * time.Minute).Unix()
	claims := func(iss, sub string) jwt.MapClaims {
		return jwt.MapClaims{"iss": iss, "sub": sub, "aud": aud, "jti": "j", "exp": exp}
	}
	tests := []struct {
		name     string
		clientID string
		as       string
		status   int
		code     int
	}{
		{"HS256 iss admin sub reader", readerAppID, signedAssertion(t, claims(adminAppID, readerAppID), []byte(adminSecret)), 401, 700021},
		{"HS256 iss admin sub reader signed by reader", readerAppID, signedAssertion(t, claims(adminAppID, readerAppID), []byte(readerSecret)), 401, 700021},
		{"HS256 iss reader sub admin", readerAppID, signedAssertion(t, claims(readerAppID, adminAppID), []byte(readerSecret)), 401, 700021},
		{"HS256 client reader assertion of admin", readerAppID, signedAssertion(t, claims(adminAppID, adminAppID), []byte(adminSecret)), 401, 700021},
		{"HS256 no client_id iss differs from sub", "", signedAssertion(t, claims(adminAppID, readerAppID), []byte(readerSecret)), 401, 700021},
		{"HS256 missing iss", readerAppID, signedAssertion(t, jwt.MapClaims{"sub": readerAppID, "aud": aud, "exp": exp}, []byte(readerSecret)), 401, 700021},
		{"RS256 assertion of admin with unregistered key", certApp, signedAssertion(t, claims(adminAppID, adminAppID), otherTestCert().key), 401, 700021},
		{"RS256 iss admin sub cert app", certApp, signedAssertion(t, claims(adminAppID, certApp), cert.key), 401, 700021},
		{"HS256 own claims wrong secret", readerAppID, signedAssertion(t, claims(readerAppID, readerAppID), []byte(adminSecret)), 401, 700027},
		{"RS256 own claims unregistered key", certApp, signedAssertion(t, claims(certApp, certApp), otherTestCert().key), 401, 700027},
		{"HS256 own claims", readerAppID, signedAssertion(t, claims(readerAppID, readerAppID), []byte(readerSecret)), 200, 0},
		{"RS256 own claims", certApp, signedAssertion(t, claims(certApp, certApp), cert.key), 200, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, m := a.token(t, testTenantID, assertionForm(tc.clientID, tc.as))
			if st != tc.status {
				t.Fatalf("status %d, want %d: %v", st, tc.status, m["error_description"])
			}
			if tc.code == 0 {
				if tok, _ := m["access_token"].(string); tok == "" {
					t.Fatalf("no access_token: %v", m)
				}
				return
			}
			if m["error"] != "invalid_client" {
				t.Errorf("error = %v", m["error"])
			}
			checkEntraError(t, m, tc.code, m["correlation_id"].(string))
		})
	}
}

// TestClientAssertionLifetimeForms: exp and nbf as JSON numbers (integer or not) and as integer
// or decimal strings (docs/auth.md).
func TestClientAssertionLifetimeForms(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	aud := a.ts.URL + "/" + testTenantID + "/oauth2/v2.0/token"
	future := time.Now().Add(10 * time.Minute).Unix()
	past := time.Now().Add(-time.Hour).Unix()
	itoa64 := func(n int64) string { return itoa(int(n)) }
	tests := []struct {
		name string
		exp  any
		nbf  any
		ok   bool
	}{
		{"integer number", future, nil, true},
		{"decimal number", float64(future) + 0.5, nil, true},
		{"integer string", itoa64(future), nil, true},
		{"decimal string", itoa64(future) + ".5", nil, true},
		{"decimal string with spaces", " " + itoa64(future) + ".25 ", nil, true},
		{"exponent string", "1.7e10", nil, true},
		{"decimal string nbf", itoa64(future) + ".5", itoa64(past) + ".5", true},
		{"expired decimal string", itoa64(past) + ".5", nil, false},
		{"expired decimal number", float64(past) + 0.5, nil, false},
		{"nbf in the future as decimal string", itoa64(future) + ".5", itoa64(future) + ".5", false},
		{"word", "soon", nil, false},
		{"empty string", "", nil, false},
		{"NaN string", "NaN", nil, false},
		{"infinite string", "Inf", nil, false},
		{"huge string", "1e300", nil, false},
		{"missing", nil, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := jwt.MapClaims{"iss": readerAppID, "sub": readerAppID, "aud": aud, "jti": "j"}
			if tc.exp != nil {
				c["exp"] = tc.exp
			}
			if tc.nbf != nil {
				c["nbf"] = tc.nbf
			}
			st, m := a.token(t, testTenantID, assertionForm(readerAppID, signedAssertion(t, c, []byte(readerSecret))))
			if tc.ok {
				if st != http.StatusOK {
					t.Fatalf("status %d: %v", st, m["error_description"])
				}
				return
			}
			if st != http.StatusUnauthorized || m["error"] != "invalid_client" {
				t.Fatalf("got %d %v, want 401 invalid_client", st, m["error"])
			}
			checkEntraError(t, m, 700024, m["correlation_id"].(string))
		})
	}
}

// TestTokenEndpointPreflight: OPTIONS is a CORS preflight (204 with the allowed methods); other
// methods than POST and OPTIONS stay AADSTS900561.
func TestTokenEndpointPreflight(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	for _, tenant := range []string{testTenantID, testDomain, "common", "organizations"} {
		t.Run("OPTIONS "+tenant, func(t *testing.T) {
			t.Parallel()
			st, h, m := a.do(t, http.MethodOptions, "/"+tenant+"/oauth2/v2.0/token", nil, http.Header{
				"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"POST"},
				"Access-Control-Request-Headers": {"content-type,client-request-id"}})
			if st != http.StatusNoContent || m != nil {
				t.Fatalf("status %d body %v, want 204 without body", st, m)
			}
			for k, want := range map[string]string{"Allow": "POST, OPTIONS", "Access-Control-Allow-Methods": "POST, OPTIONS",
				"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "content-type,client-request-id"} {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			st, _, m := a.do(t, method, "/"+testTenantID+"/oauth2/v2.0/token", nil, nil)
			if st != http.StatusBadRequest || m["error"] != "invalid_request" {
				t.Fatalf("got %d %v", st, m)
			}
			checkEntraError(t, m, 900561, m["correlation_id"].(string))
			if desc, _ := m["error_description"].(string); !strings.Contains(desc, "Received a "+method+" request.") {
				t.Errorf("description %q", desc)
			}
		})
	}
	t.Run("POST answer allows any origin", func(t *testing.T) {
		t.Parallel()
		st, h, _ := a.do(t, http.MethodPost, "/"+testTenantID+"/oauth2/v2.0/token", strings.NewReader(ccForm().Encode()),
			http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {"https://app.example"}})
		if st != http.StatusOK || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("%d Access-Control-Allow-Origin %q", st, h.Get("Access-Control-Allow-Origin"))
		}
	})
}
