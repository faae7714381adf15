package graphmock

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/graphmock/graphmock/engine"
)

// signWithServerKey signs arbitrary claims with the server's token key.
func signWithServerKey(t *testing.T, s *Server, claims jwt.MapClaims) string {
	t.Helper()
	signer, err := s.signingKey()
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = signer.kid
	out, err := tok.SignedString(signer.key)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func baseClaims(tid string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{"aud": graphResource, "iss": issuerFor("localhost", tid), "tid": tid, "appid": adminAppID,
		"oid": adminSPID, "roles": []string{"User.Read.All"}, "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(), "ver": "2.0"}
}

func TestAuthOnUnauthorized(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	issue := func(req TokenRequest) string {
		t.Helper()
		if req.AppID == "" {
			req.AppID = adminAppID
		}
		tok, err := a.srv.IssueToken(req)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	signer, err := a.srv.signingKey()
	if err != nil {
		t.Fatal(err)
	}
	wrongKey := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, baseClaims(testTenantID))
		tok.Header["kid"] = signer.kid
		s, err := tok.SignedString(otherTestCert().key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}()
	unknownKid := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, baseClaims(testTenantID))
		tok.Header["kid"] = "someone-else"
		s, _ := tok.SignedString(signer.key)
		return s
	}()
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, baseClaims(testTenantID)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, baseClaims(testTenantID)).SignedString([]byte("secret"))
	otherTenant := baseClaims("00000000-1111-4222-8333-444444444444")
	wrongIssuer := baseClaims(testTenantID)
	wrongIssuer["iss"] = "https://sts.windows.net/" + testTenantID + "/"
	noExp := baseClaims(testTenantID)
	delete(noExp, "exp")
	ghostUser := baseClaims(testTenantID)
	delete(ghostUser, "roles")
	ghostUser["scp"] = "User.Read.All"
	ghostUser["oid"] = "00000000-1111-4222-8333-444444444444"
	tests := []struct {
		name   string
		header string
		msg    string
	}{
		{"no header", "", msgTokenEmpty},
		{"empty bearer", "Bearer ", msgTokenEmpty},
		{"bearer only", "Bearer", msgTokenEmpty},
		{"basic scheme", "Basic YWJjOmRlZg==", msgTokenEmpty},
		{"no dots", "Bearer garbage", msgTokenNoDots},
		{"dotted garbage", "Bearer a.b.c", msgTokenUndecodable},
		{"two dots of base64 junk", "Bearer eyJhbGciOi.eyJ.sig", msgTokenUndecodable},
		{"binary junk", "Bearer \xff\xfe.\x80.\x81", msgTokenUndecodable},
		{"huge token", "Bearer " + strings.Repeat("a.", 60<<10), msgTokenUndecodable},
		{"wrong key", "Bearer " + wrongKey, msgTokenSignature},
		{"unknown kid", "Bearer " + unknownKid, msgTokenSignature},
		{"alg none", "Bearer " + none, msgTokenSignature},
		{"HS256", "Bearer " + hs, msgTokenSignature},
		{"tampered payload", "Bearer " + tamper(issue(TokenRequest{})), msgTokenSignature},
		{"expired", "Bearer " + issue(TokenRequest{IssuedAt: time.Now().Add(-3 * time.Hour), Lifetime: time.Hour}), msgTokenExpired},
		{"not yet valid", "Bearer " + issue(TokenRequest{IssuedAt: time.Now().Add(time.Hour)}), msgTokenNotYetValid},
		{"no exp", "Bearer " + signWithServerKey(t, a.srv, noExp), msgTokenExpired},
		{"wrong audience", "Bearer " + issue(TokenRequest{Audience: "https://management.azure.com"}), msgTokenAudience},
		{"unknown tenant", "Bearer " + signWithServerKey(t, a.srv, otherTenant), msgTokenIssuer},
		{"wrong issuer", "Bearer " + signWithServerKey(t, a.srv, wrongIssuer), msgTokenIssuer},
		{"unknown user", "Bearer " + signWithServerKey(t, a.srv, ghostUser), msgTokenIssuer},
		{"no roles or scp", "Bearer " + issue(TokenRequest{Roles: []string{}}), msgTokenNoPermissionClaims},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tc.header != "" {
				h.Set("Authorization", tc.header)
			}
			for _, path := range []string{"/v1.0/users", "/beta/groups", "/v1.0/no-such-thing"} {
				st, hdr, m := a.do(t, http.MethodGet, path, nil, h)
				code, msg := graphError(m)
				if st != http.StatusUnauthorized || code != "InvalidAuthenticationToken" || msg != tc.msg {
					t.Fatalf("%s: got %d %s %q, want 401 InvalidAuthenticationToken %q", path, st, code, msg, tc.msg)
				}
				if w := hdr.Get("WWW-Authenticate"); !strings.HasPrefix(w, `Bearer realm="", authorization_uri="https://`) || !strings.Contains(w, `client_id="00000003-0000-0000-c000-000000000000"`) {
					t.Errorf("WWW-Authenticate %q", w)
				}
				if hdr.Get("request-id") == "" {
					t.Error("request-id missing")
				}
			}
		})
	}
	t.Run("control plane and identity endpoints need no token", func(t *testing.T) {
		t.Parallel()
		for _, p := range []string{"/_graphmock/healthz", "/_graphmock/ca.pem", "/common/v2.0/.well-known/openid-configuration"} {
			if st, _, _ := a.do(t, http.MethodGet, p, nil, nil); st != http.StatusOK {
				t.Errorf("%s: %d", p, st)
			}
		}
		// $metadata is anonymous on Graph: whatever graphmock answers there, it is not a 401.
		if st, _, _ := a.do(t, http.MethodGet, "/v1.0/$metadata", nil, nil); st == http.StatusUnauthorized {
			t.Errorf("$metadata: 401")
		}
	})
}

// tamper flips the payload of a token so its signature no longer matches.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	c := map[string]any{}
	b, _ := jwtDecode(parts[1])
	_ = json.Unmarshal(b, &c)
	c["roles"] = []string{"Directory.ReadWrite.All"}
	nb, _ := json.Marshal(c)
	parts[1] = jwtEncode(nb)
	return strings.Join(parts, ".")
}

func jwtDecode(s string) ([]byte, error) { return jwt.NewParser().DecodeSegment(s) }
func jwtEncode(b []byte) string          { return strings.TrimRight(jwtB64(b), "=") }

func TestAuthOnForbidden(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	if err := a.srv.AddApplication(FixtureApplication{AppID: "44444444-2222-4333-8444-555555555555", DisplayName: "org reader",
		PasswordCredentials: []FixturePasswordCredential{{SecretText: "s"}}, ApplicationPermissions: []string{"Organization.Read.All"}}); err != nil {
		t.Fatal(err)
	}
	admin := a.appToken(t, adminAppID, adminSecret)
	reader := a.appToken(t, readerAppID, readerSecret)
	orgOnly := a.appToken(t, "44444444-2222-4333-8444-555555555555", "s")
	delegatedReader, err := a.srv.IssueToken(TokenRequest{AppID: readerAppID, User: fixtureAdminUPN, Scopes: []string{"User.ReadBasic.All"}})
	if err != nil {
		t.Fatal(err)
	}
	newUser := func(nick string) string {
		return `{"accountEnabled":true,"displayName":"` + nick + `","mailNickname":"` + nick + `","userPrincipalName":"` + nick + `@larkspur.example","passwordProfile":{"password":"P@ssw0rd-123!"}}`
	}
	tests := []struct {
		name, token, method, path, body string
		status                          int
		required                        string
	}{
		{"reader lists users", reader, http.MethodGet, "/v1.0/users", "", 200, ""},
		{"reader reads organization", reader, http.MethodGet, "/v1.0/organization", "", 200, ""},
		{"reader creates user", reader, http.MethodPost, "/v1.0/users", newUser("r1"), 403, "User.ReadWrite.All, Directory.ReadWrite.All"},
		{"reader creates group", reader, http.MethodPost, "/v1.0/groups", `{"displayName":"x","mailNickname":"x","mailEnabled":false,"securityEnabled":true}`, 403, "Group.Create, Group.ReadWrite.All, Directory.ReadWrite.All"},
		{"reader deletes user", reader, http.MethodDelete, "/v1.0/users/" + fixtureAdminUPN, "", 403, "User.DeleteRestore.All, User.ReadWrite.All"},
		{"org-only lists users", orgOnly, http.MethodGet, "/v1.0/users", "", 403, "User.Read.All, User.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All"},
		{"org-only lists groups", orgOnly, http.MethodGet, "/beta/groups", "", 403, "GroupMember.Read.All, Group.Read.All, Directory.Read.All, Group.ReadWrite.All, Directory.ReadWrite.All"},
		{"org-only lists SKUs", orgOnly, http.MethodGet, "/v1.0/subscribedSkus", "", 200, ""},
		{"org-only reads organization", orgOnly, http.MethodGet, "/v1.0/organization", "", 200, ""},
		{"delegated basic lists users", delegatedReader, http.MethodGet, "/v1.0/users", "", 200, ""},
		{"delegated basic lists groups", delegatedReader, http.MethodGet, "/v1.0/groups", "", 403, "GroupMember.Read.All, Group.Read.All, Directory.Read.All, Group.ReadWrite.All, Directory.ReadWrite.All"},
		{"delegated basic creates user", delegatedReader, http.MethodPost, "/v1.0/users", newUser("d1"), 403, "User.ReadWrite.All, Directory.ReadWrite.All"},
		{"admin creates user", admin, http.MethodPost, "/v1.0/users", newUser("a1"), 201, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := bearer(tc.token)
			h.Set("Content-Type", "application/json")
			st, hdr, m := a.do(t, tc.method, tc.path, strings.NewReader(tc.body), h)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %v", st, tc.status, m)
			}
			if tc.status != http.StatusForbidden {
				if hdr.Get(RequiredPermissionsHeader) != "" {
					t.Errorf("%s set on success", RequiredPermissionsHeader)
				}
				return
			}
			code, msg := graphError(m)
			if code != "Authorization_RequestDenied" || msg != "Insufficient privileges to complete the operation." {
				t.Errorf("error %s %q", code, msg)
			}
			if got := hdr.Get(RequiredPermissionsHeader); got != tc.required {
				t.Errorf("%s = %q, want %q", RequiredPermissionsHeader, got, tc.required)
			}
		})
	}
}

func TestAuthOffUsesValidTokens(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOff)
	reader := a.appToken(t, readerAppID, readerSecret)
	for _, h := range []string{"", "Bearer garbage", "Basic abc", "Bearer " + reader, "Bearer a.b.c"} {
		hdr := http.Header{}
		if h != "" {
			hdr.Set("Authorization", h)
		}
		if st, _, m := a.do(t, http.MethodGet, "/v1.0/users", nil, hdr); st != http.StatusOK {
			t.Errorf("%q: %d %v", h, st, m)
		}
	}
	// Auth off enforces no permissions, but a valid token's caller is the audit actor.
	h := bearer(reader)
	h.Set("Content-Type", "application/json")
	st, _, m := a.do(t, http.MethodPost, "/v1.0/users", strings.NewReader(`{"accountEnabled":true,"displayName":"Off Mode","mailNickname":"offmode","userPrincipalName":"offmode@larkspur.example","passwordProfile":{"password":"P@ssw0rd-123!"}}`), h)
	if st != http.StatusCreated {
		t.Fatalf("create: %d %v", st, m)
	}
	rec := auditFor(t, a.srv.Store(), engine.ActivityAddUser, m["id"].(string))
	if rec.InitiatedBy.App == nil || rec.InitiatedBy.App.AppID != readerAppID || rec.InitiatedBy.App.DisplayName != "graphmock reader" {
		t.Errorf("initiatedBy %+v", rec.InitiatedBy)
	}
	// Without a token the tenant's default actor (the fixture's administrator) acts.
	h = http.Header{"Content-Type": {"application/json"}}
	_, _, m = a.do(t, http.MethodPost, "/v1.0/users", strings.NewReader(`{"accountEnabled":true,"displayName":"Anon","mailNickname":"anon","userPrincipalName":"anon@larkspur.example","passwordProfile":{"password":"P@ssw0rd-123!"}}`), h)
	rec = auditFor(t, a.srv.Store(), engine.ActivityAddUser, m["id"].(string))
	if rec.InitiatedBy.User == nil || rec.InitiatedBy.App != nil {
		t.Errorf("initiatedBy %+v", rec.InitiatedBy)
	}
}

// auditFor returns the audit record of activity on target.
func auditFor(t *testing.T, store *engine.Store, activity, target string) *engine.AuditRecord {
	t.Helper()
	var found *engine.AuditRecord
	_ = store.View(func(tx *engine.Txn) error {
		return tx.AuditRecords(func(r *engine.AuditRecord) bool {
			if r.ActivityDisplayName == activity {
				for _, tr := range r.TargetResources {
					if tr.ID == target {
						found = r
					}
				}
			}
			return true
		})
	})
	if found == nil {
		t.Fatalf("no %q audit record for %s", activity, target)
	}
	return found
}

// TestFullFlowOverTLS is the path a real client takes: discovery, a client-credentials token,
// then Graph calls over https trusting graphmock's CA, with the app as the audit actor.
func TestFullFlowOverTLS(t *testing.T) {
	t.Parallel()
	srv, err := New(Options{Auth: AuthOn, TLS: &TLSOptions{}, TokenSigningKey: sharedSigningKey()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = srv.TLSConfig()
	ts.StartTLS()
	defer ts.Close()
	// Trust comes from the PEM, as a client in another process would get it.
	pool, err := poolFromPEM(srv.CACertPEM())
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer client.CloseIdleConnections()
	base := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)

	// 1. OpenID configuration, as MSAL reads it.
	var oidc struct {
		TokenEndpoint string `json:"token_endpoint"`
		Issuer        string `json:"issuer"`
	}
	getJSON(t, client, base+"/"+testDomain+"/v2.0/.well-known/openid-configuration", &oidc)
	if !strings.HasPrefix(oidc.TokenEndpoint, "https://localhost:") {
		t.Fatalf("token_endpoint %q", oidc.TokenEndpoint)
	}
	// 2. Token.
	resp, err := client.PostForm(oidc.TokenEndpoint, url.Values{"grant_type": {"client_credentials"}, "client_id": {adminAppID},
		"client_secret": {adminSecret}, "scope": {graphScope}})
	if err != nil {
		t.Fatal(err)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tr)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || tr.AccessToken == "" {
		t.Fatalf("token: %d", resp.StatusCode)
	}
	if iss := claimsOf(t, tr.AccessToken)["iss"]; iss != oidc.Issuer {
		t.Errorf("iss %v != discovery issuer %s", iss, oidc.Issuer)
	}
	call := func(method, path, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tr.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	// 3. List users.
	st, m := call(http.MethodGet, "/v1.0/users", "")
	if st != http.StatusOK || len(m["value"].([]any)) == 0 {
		t.Fatalf("list users: %d %v", st, m)
	}
	// 4. Create a user.
	st, m = call(http.MethodPost, "/v1.0/users", `{"accountEnabled":true,"displayName":"Flow User","mailNickname":"flow.user","userPrincipalName":"flow.user@larkspur.example","passwordProfile":{"password":"P@ssw0rd-123!"}}`)
	if st != http.StatusCreated {
		t.Fatalf("create user: %d %v", st, m)
	}
	// 5. The audit record names the app.
	rec := auditFor(t, srv.Store(), engine.ActivityAddUser, m["id"].(string))
	want := engine.AppIdentity{AppID: adminAppID, DisplayName: "graphmock admin", ServicePrincipalID: adminSPID, ServicePrincipalName: "graphmock admin"}
	if rec.InitiatedBy.User != nil || rec.InitiatedBy.App == nil || *rec.InitiatedBy.App != want {
		t.Errorf("initiatedBy = %+v, want app %+v", rec.InitiatedBy, want)
	}

	// Delegated: a password-grant token makes the user the actor.
	resp, err = client.PostForm(oidc.TokenEndpoint, url.Values{"grant_type": {"password"}, "client_id": {adminAppID},
		"scope": {graphScope}, "username": {"avery.chen@larkspur.example"}, "password": {"Fixture-Only-Pa55!"}})
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&tr)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("password grant: %d", resp.StatusCode)
	}
	st, m = call(http.MethodPost, "/v1.0/users", `{"accountEnabled":true,"displayName":"Flow User 2","mailNickname":"flow.user2","userPrincipalName":"flow.user2@larkspur.example","passwordProfile":{"password":"P@ssw0rd-123!"}}`)
	if st != http.StatusCreated {
		t.Fatalf("create user (delegated): %d %v", st, m)
	}
	rec = auditFor(t, srv.Store(), engine.ActivityAddUser, m["id"].(string))
	if rec.InitiatedBy.User == nil || rec.InitiatedBy.User.UserPrincipalName != "avery.chen@larkspur.example" || rec.InitiatedBy.App != nil {
		t.Errorf("delegated initiatedBy = %+v", rec.InitiatedBy)
	}
}

func getJSON(t *testing.T, c *http.Client, u string, v any) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestTLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	caOut := filepath.Join(dir, "ca.pem")
	a := newAuthTestServerOpts(t, Options{TLS: &TLSOptions{CAOut: caOut, Hosts: []string{"graphmock.test", "10.1.2.3"}}})
	t.Run("CA written and served", func(t *testing.T) {
		t.Parallel()
		written, err := os.ReadFile(caOut)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := a.client.Get(a.ts.URL + "/_graphmock/ca.pem")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var served bytes.Buffer
		_, _ = served.ReadFrom(resp.Body)
		if !bytes.Equal(written, a.srv.CACertPEM()) || !bytes.Equal(served.Bytes(), written) || !bytes.HasPrefix(written, []byte("-----BEGIN CERTIFICATE-----")) {
			t.Error("CA PEM differs between file, endpoint and CACertPEM")
		}
		if resp.Header.Get("Content-Type") != "application/x-pem-file" {
			t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
		}
	})
	t.Run("leaf names", func(t *testing.T) {
		t.Parallel()
		leaf := a.srv.tls.cert.Leaf
		for _, h := range []string{"localhost", "127.0.0.1", "::1", "graphmock.test", "10.1.2.3"} {
			if err := leaf.VerifyHostname(h); err != nil {
				t.Errorf("%s: %v", h, err)
			}
		}
	})
	t.Run("untrusted client fails", func(t *testing.T) {
		t.Parallel()
		c := &http.Client{Transport: &http.Transport{}}
		defer c.CloseIdleConnections()
		_, err := c.Get(a.ts.URL + "/_graphmock/healthz")
		if err == nil {
			t.Fatal("a client without graphmock's CA connected")
		}
	})
	t.Run("trusted client over localhost", func(t *testing.T) {
		t.Parallel()
		resp, err := a.client.Get(strings.Replace(a.ts.URL, "127.0.0.1", "localhost", 1) + "/v1.0/organization")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("user certificate", func(t *testing.T) {
		t.Parallel()
		m, err := generateTLSMaterial(nil, 0, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		certFile, keyFile := filepath.Join(t.TempDir(), "c.pem"), filepath.Join(t.TempDir(), "k.pem")
		writePEMs(t, m, certFile, keyFile)
		s, err := New(Options{TLS: &TLSOptions{CertFile: certFile, KeyFile: keyFile}})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(s.CACertPEM(), m.caPEM) {
			t.Error("published CA is not the chain's last certificate")
		}
		if _, err := New(Options{TLS: &TLSOptions{CertFile: certFile}}); err == nil {
			t.Error("certificate without key accepted")
		}
		if _, err := New(Options{TLS: &TLSOptions{CertFile: keyFile, KeyFile: certFile}}); err == nil {
			t.Error("swapped files accepted")
		}
	})
	t.Run("no TLS", func(t *testing.T) {
		t.Parallel()
		s, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.TLSConfig() != nil || s.CACertPool() != nil || s.CACertPEM() != nil || s.ClientTLSConfig() != nil {
			t.Error("TLS helpers return material without Options.TLS")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_graphmock/ca.pem", nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("ca.pem without TLS: %d", rec.Code)
		}
	})
}

func TestAuthModeAndFixtureErrors(t *testing.T) {
	t.Parallel()
	if _, err := New(Options{Auth: "maybe"}); err == nil {
		t.Error("unknown auth mode accepted")
	}
	for _, s := range []string{"", "off", "ON", " on "} {
		if _, err := ParseAuthMode(s); err != nil {
			t.Errorf("ParseAuthMode(%q): %v", s, err)
		}
	}
	base := map[string]any{}
	_ = json.Unmarshal(DefaultTenantFixture(), &base)
	tests := []struct {
		name string
		app  map[string]any
	}{
		{"bad appId", map[string]any{"appId": "nope", "displayName": "x"}},
		{"no displayName", map[string]any{"appId": "55555555-2222-4333-8444-555555555555"}},
		{"empty secret", map[string]any{"appId": "55555555-2222-4333-8444-555555555555", "displayName": "x", "passwordCredentials": []any{map[string]any{}}}},
		{"bad key", map[string]any{"appId": "55555555-2222-4333-8444-555555555555", "displayName": "x", "keyCredentials": []any{map[string]any{"key": "!!"}}}},
		{"spaced permission", map[string]any{"appId": "55555555-2222-4333-8444-555555555555", "displayName": "x", "applicationPermissions": []any{"User Read"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fx := map[string]any{}
			for k, v := range base {
				fx[k] = v
			}
			fx["applications"] = []any{tc.app}
			b, _ := json.Marshal(fx)
			if _, err := New(Options{Seed: b}); err == nil {
				t.Error("fixture accepted")
			}
		})
	}
	t.Run("empty tenant keeps applications", func(t *testing.T) {
		t.Parallel()
		s, err := New(Options{Empty: true, TokenSigningKey: sharedSigningKey()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.IssueToken(TokenRequest{AppID: adminAppID}); err != nil {
			t.Error(err)
		}
		if _, err := s.IssueToken(TokenRequest{AppID: "nope"}); err == nil {
			t.Error("token for unknown app")
		}
		if _, err := s.IssueToken(TokenRequest{AppID: adminAppID, TenantID: "nowhere"}); err == nil {
			t.Error("token for unknown tenant")
		}
		if _, err := s.IssueToken(TokenRequest{AppID: adminAppID, User: "ghost@larkspur.example"}); err == nil {
			t.Error("token for unknown user")
		}
	})
}

// TestPermissionTable checks the table against the route table and the default apps.
func TestPermissionTable(t *testing.T) {
	t.Parallel()
	admin := []string{"User.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All", "LicenseAssignment.ReadWrite.All", "AuditLog.Read.All", "GroupMember.ReadWrite.All", "Organization.Read.All"}
	reader := []string{"User.Read.All", "Group.Read.All", "Directory.Read.All", "AuditLog.Read.All", "Organization.Read.All"}
	for _, rt := range graphRoutes {
		key := rt.method + " " + rt.path
		p, ok := routePermissions[key]
		if !ok {
			t.Errorf("%s has no entry in routePermissions", key)
			continue
		}
		if len(p.app) == 0 || len(p.delegated) == 0 {
			t.Errorf("%s: empty permission list", key)
		}
		if !holdsAny(admin, p.app) {
			t.Errorf("%s: the admin app may not call it", key)
		}
		read := rt.method == http.MethodGet || strings.HasSuffix(rt.path, ".getByIds")
		if read != holdsAny(reader, p.app) {
			t.Errorf("%s: reader allowed = %v, want %v", key, !read, read)
		}
	}
	tests := []struct {
		method, path string
		want         string
	}{
		{"POST", "/users/{user-id}/microsoft.graph.assignLicense", "LicenseAssignment.ReadWrite.All"},
		{"POST", "/groups/{group-id}/microsoft.graph.assignLicense", "LicenseAssignment.ReadWrite.All"},
		{"GET", "/auditLogs/directoryAudits", "AuditLog.Read.All"},
		{"GET", "/auditLogs/directoryAudits/{directoryAudit-id}", "AuditLog.Read.All"},
		{"GET", "/users/{user-id}/someFutureThing", "User.Read.All"},
		{"PATCH", "/groups/{group-id}/someFutureThing", "Group.ReadWrite.All"},
		{"GET", "/devices", "Directory.Read.All"},
		{"POST", "/devices", "Directory.ReadWrite.All"},
	}
	for _, tc := range tests {
		if got := requiredPermissions(tc.method, tc.path, false); len(got) == 0 || got[0] != tc.want {
			t.Errorf("%s %s: %v, want %s first", tc.method, tc.path, got, tc.want)
		}
	}
	if got := requiredPermissions("POST", "/users/{user-id}/microsoft.graph.assignLicense", false); strings.Join(got, ",") != "LicenseAssignment.ReadWrite.All,User.ReadWrite.All,Directory.ReadWrite.All" {
		t.Errorf("assignLicense: %v", got)
	}
	if got := requiredPermissions("POST", "/$batch", false); got != nil {
		t.Errorf("$batch: %v", got)
	}
}

func TestHugeHeadersAndBodies(t *testing.T) {
	t.Parallel()
	for _, mode := range []AuthMode{AuthOff, AuthOn} {
		s, err := New(Options{Auth: mode, TokenSigningKey: sharedSigningKey()})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			req  *http.Request
		}{
			{"huge authorization", withHeader(httptest.NewRequest(http.MethodGet, "/v1.0/users", nil), "Authorization", "Bearer "+strings.Repeat("x", 1<<20))},
			{"huge dotted authorization", withHeader(httptest.NewRequest(http.MethodGet, "/v1.0/users", nil), "Authorization", "Bearer "+strings.Repeat("x.", 1<<19))},
			{"many headers", manyHeaders(httptest.NewRequest(http.MethodGet, "/v1.0/users", nil))},
			{"huge token form", withHeader(httptest.NewRequest(http.MethodPost, "/"+testTenantID+"/oauth2/v2.0/token", strings.NewReader("grant_type="+strings.Repeat("y", 5<<20))), "Content-Type", "application/x-www-form-urlencoded")},
			{"token form with bad content type", withHeader(httptest.NewRequest(http.MethodPost, "/"+testTenantID+"/oauth2/v2.0/token", strings.NewReader("grant_type=client_credentials")), "Content-Type", "multipart/form-data; boundary=x")},
			{"token path with odd tenant", httptest.NewRequest(http.MethodPost, "/%2e%2e/oauth2/v2.0/token", nil)},
			{"discovery for odd tenant", httptest.NewRequest(http.MethodGet, "/%00/v2.0/.well-known/openid-configuration", nil)},
		}
		for _, tc := range tests {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, tc.req)
			graph := strings.HasPrefix(tc.req.URL.Path, "/v1.0")
			if rec.Code >= 500 || (rec.Code < 400 && !(graph && mode == AuthOff)) || (graph && mode == AuthOn && rec.Code != http.StatusUnauthorized) {
				t.Errorf("%s / auth %s: status %d: %s", tc.name, mode, rec.Code, truncate(rec.Body.String(), 300))
			}
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Errorf("%s: body is not JSON: %v", tc.name, err)
			}
		}
	}
}

func withHeader(r *http.Request, k, v string) *http.Request { r.Header.Set(k, v); return r }

func manyHeaders(r *http.Request) *http.Request {
	for i := 0; i < 2000; i++ {
		r.Header.Add("X-Filler", strings.Repeat("z", 100))
	}
	r.Header.Set("Authorization", "Bearer a.b.c")
	return r
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func jwtB64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func poolFromPEM(b []byte) (*x509.CertPool, error) {
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(b) {
		return nil, errors.New("no certificate in PEM")
	}
	return p, nil
}

// writePEMs writes m's leaf chain and key as PEM files.
func writePEMs(t *testing.T, m *tlsMaterial, certFile, keyFile string) {
	t.Helper()
	var certs []byte
	for _, der := range m.cert.Certificate {
		certs = append(certs, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(m.cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, certs, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestExportApplicationsRoundTrip: exported applications load back into an equal tenant.
func TestExportApplicationsRoundTrip(t *testing.T) {
	t.Parallel()
	s, err := New(Options{TokenSigningKey: sharedSigningKey()})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := s.AddApplication(FixtureApplication{AppID: "66666666-2222-4333-8444-555555555555", DisplayName: "exported",
		PasswordCredentials: []FixturePasswordCredential{{SecretText: "s1", EndDateTime: &end}},
		KeyCredentials:      []FixtureKeyCredential{{Key: sharedTestCert().pem}}, DelegatedPermissions: []string{"User.Read.All"}}); err != nil {
		t.Fatal(err)
	}
	var apps []FixtureApplication
	_ = s.Store().View(func(tx *engine.Txn) error {
		apps, err = exportApplications(tx)
		return err
	})
	if err != nil || len(apps) != 3 {
		t.Fatalf("%d apps, %v", len(apps), err)
	}
	fx := map[string]any{}
	_ = json.Unmarshal(DefaultTenantFixture(), &fx)
	fx["applications"] = apps
	b, _ := json.Marshal(fx)
	s2, err := New(Options{Seed: b, TokenSigningKey: sharedSigningKey()})
	if err != nil {
		t.Fatal(err)
	}
	var again []FixtureApplication
	_ = s2.Store().View(func(tx *engine.Txn) error {
		again, err = exportApplications(tx)
		return err
	})
	a1, _ := json.Marshal(apps)
	a2, _ := json.Marshal(again)
	if err != nil || !bytes.Equal(a1, a2) {
		t.Errorf("round trip differs:\n%s\n%s", a1, a2)
	}
}
