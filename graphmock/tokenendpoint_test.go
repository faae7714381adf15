package graphmock

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func ccForm(kv ...string) url.Values {
	v := url.Values{"grant_type": {"client_credentials"}, "client_id": {adminAppID}, "client_secret": {adminSecret}, "scope": {graphScope}}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

func TestTokenEndpointErrors(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	cert := sharedTestCert()
	if err := a.srv.AddApplication(FixtureApplication{AppID: "11111111-2222-4333-8444-555555555555", DisplayName: "cert app",
		KeyCredentials:         []FixtureKeyCredential{{Key: cert.pem}},
		ApplicationPermissions: []string{"User.Read.All"}}); err != nil {
		t.Fatal(err)
	}
	expired := time.Now().Add(-time.Hour)
	if err := a.srv.AddApplication(FixtureApplication{AppID: "22222222-2222-4333-8444-555555555555", DisplayName: "expired secret app",
		PasswordCredentials: []FixturePasswordCredential{{SecretText: "old-secret", EndDateTime: &expired}}}); err != nil {
		t.Fatal(err)
	}
	certApp := "11111111-2222-4333-8444-555555555555"
	aud := a.ts.URL + "/" + testTenantID + "/oauth2/v2.0/token"
	good := assertion(t, certApp, aud, cert.key, map[string]any{"x5t": cert.x5t}, time.Now().Add(10*time.Minute))
	certForm := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}, "client_id": {certApp}, "scope": {graphScope},
			"client_assertion_type": {assertionTypeJWTBearer}, "client_assertion": {good}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name        string
		method      string
		tenant      string
		contentType string
		body        string
		basic       [2]string
		status      int
		oauthErr    string
		code        int
	}{
		{name: "unknown tenant id", tenant: "00000000-1111-4222-8333-444444444444", body: ccForm().Encode(), status: 400, oauthErr: "invalid_request", code: 90002},
		{name: "unknown tenant domain", tenant: "nowhere.example", body: ccForm().Encode(), status: 400, oauthErr: "invalid_request", code: 90002},
		{name: "unknown client", body: ccForm("client_id", "99999999-9999-4999-8999-999999999999").Encode(), status: 400, oauthErr: "unauthorized_client", code: 700016},
		{name: "unknown client via common", tenant: "common", body: ccForm("client_id", "99999999-9999-4999-8999-999999999999").Encode(), status: 400, oauthErr: "unauthorized_client", code: 700016},
		{name: "bad secret", body: ccForm("client_secret", "wrong").Encode(), status: 401, oauthErr: "invalid_client", code: 7000215},
		{name: "other app's secret", body: ccForm("client_secret", readerSecret).Encode(), status: 401, oauthErr: "invalid_client", code: 7000215},
		{name: "bad secret in basic auth", body: ccForm("client_secret", "", "client_id", "").Encode(), basic: [2]string{adminAppID, "wrong"}, status: 401, oauthErr: "invalid_client", code: 7000215},
		{name: "expired secret", body: ccForm("client_id", "22222222-2222-4333-8444-555555555555", "client_secret", "old-secret").Encode(), status: 401, oauthErr: "invalid_client", code: 7000222},
		{name: "no credential", body: ccForm("client_secret", "").Encode(), status: 401, oauthErr: "invalid_client", code: 7000216},
		{name: "missing grant_type", body: ccForm("grant_type", "").Encode(), status: 400, oauthErr: "invalid_request", code: 900144},
		{name: "unsupported grant", body: ccForm("grant_type", "authorization_code").Encode(), status: 400, oauthErr: "unsupported_grant_type", code: 70003},
		{name: "missing client_id", body: ccForm("client_id", "").Encode(), status: 400, oauthErr: "invalid_request", code: 900144},
		{name: "missing scope", body: ccForm("scope", "").Encode(), status: 400, oauthErr: "invalid_request", code: 900144},
		{name: "scope without .default", body: ccForm("scope", "https://graph.microsoft.com/User.Read.All").Encode(), status: 400, oauthErr: "invalid_scope", code: 1002012},
		{name: "two resources", body: ccForm("scope", graphScope+" https://management.azure.com/.default").Encode(), status: 400, oauthErr: "invalid_scope", code: 70011},
		{name: "only openid scopes", body: ccForm("scope", "openid profile offline_access").Encode(), status: 400, oauthErr: "invalid_scope", code: 70011},
		{name: "bare .default", body: ccForm("scope", "/.default").Encode(), status: 400, oauthErr: "invalid_scope", code: 70011},
		{name: "other resource", body: ccForm("scope", "https://management.azure.com/.default").Encode(), status: 400, oauthErr: "invalid_resource", code: 500011},
		{name: "GET", method: http.MethodGet, status: 400, oauthErr: "invalid_request", code: 900561},
		{name: "JSON body", contentType: "application/json", body: `{"grant_type":"client_credentials"}`, status: 400, oauthErr: "invalid_request", code: 900144},
		{name: "malformed form", body: "grant_type=client_credentials&client_id=%zz", status: 400, oauthErr: "invalid_request", code: 90004},
		{name: "huge body", body: "grant_type=client_credentials&x=" + strings.Repeat("a", maxBodyBytes+10), status: 400, oauthErr: "invalid_request", code: 90004},
		{name: "empty body", body: "", status: 400, oauthErr: "invalid_request", code: 900144},
		{name: "binary body", body: "\x00\xff\xfe=\x01&&&==", status: 400, oauthErr: "invalid_request", code: 900144},
		{name: "password grant wrong password", body: url.Values{"grant_type": {"password"}, "client_id": {adminAppID}, "scope": {graphScope},
			"username": {fixtureAdminUPN}, "password": {"nope"}}.Encode(), status: 400, oauthErr: "invalid_grant", code: 50126},
		{name: "password grant unknown user", body: url.Values{"grant_type": {"password"}, "client_id": {adminAppID}, "scope": {graphScope},
			"username": {"nobody@larkspur.example"}, "password": {"nope"}}.Encode(), status: 400, oauthErr: "invalid_grant", code: 50034},
		{name: "password grant without consent", body: url.Values{"grant_type": {"password"}, "client_id": {readerAppID}, "scope": {"User.ReadWrite.All"},
			"username": {fixtureAdminUPN}, "password": {fixtureAdminPass}}.Encode(), status: 400, oauthErr: "invalid_grant", code: 65001},
		{name: "assertion type wrong", body: certForm("client_assertion_type", "urn:x").Encode(), status: 400, oauthErr: "invalid_request", code: 50027},
		{name: "assertion garbage", body: certForm("client_assertion", "not-a-jwt").Encode(), status: 400, oauthErr: "invalid_request", code: 50027},
		{name: "assertion unknown certificate", body: certForm("client_assertion", assertion(t, certApp, aud, otherTestCert().key,
			map[string]any{"x5t": otherTestCert().x5t}, time.Now().Add(time.Hour))).Encode(), status: 401, oauthErr: "invalid_client", code: 700027},
		{name: "assertion wrong signature", body: certForm("client_assertion", assertion(t, certApp, aud, otherTestCert().key,
			map[string]any{"x5t": cert.x5t}, time.Now().Add(time.Hour))).Encode(), status: 401, oauthErr: "invalid_client", code: 700027},
		{name: "assertion expired", body: certForm("client_assertion", assertion(t, certApp, aud, cert.key,
			map[string]any{"x5t": cert.x5t}, time.Now().Add(-time.Hour))).Encode(), status: 401, oauthErr: "invalid_client", code: 700024},
		{name: "assertion for another client", body: certForm("client_assertion", assertion(t, adminAppID, aud, cert.key,
			map[string]any{"x5t": cert.x5t}, time.Now().Add(time.Hour))).Encode(), status: 401, oauthErr: "invalid_client", code: 700021},
		{name: "assertion wrong audience", body: certForm("client_assertion", assertion(t, certApp, "https://example.test/", cert.key,
			map[string]any{"x5t": cert.x5t}, time.Now().Add(time.Hour))).Encode(), status: 401, oauthErr: "invalid_client", code: 700027},
		{name: "HS256 assertion without secrets", body: certForm("client_assertion", assertion(t, certApp, aud, []byte("k"),
			nil, time.Now().Add(time.Hour))).Encode(), status: 401, oauthErr: "invalid_client", code: 700027},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			tenant := tc.tenant
			if tenant == "" {
				tenant = testTenantID
			}
			ct := tc.contentType
			if ct == "" {
				ct = "application/x-www-form-urlencoded"
			}
			req, err := http.NewRequest(method, a.ts.URL+"/"+tenant+"/oauth2/v2.0/token", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ct)
			req.Header.Set("client-request-id", "0d8e1f3a-1111-4222-8333-444455556666")
			if tc.basic[0] != "" {
				req.SetBasicAuth(tc.basic[0], tc.basic[1])
			}
			resp, err := a.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var m map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
				t.Fatalf("body: %v", err)
			}
			if resp.StatusCode != tc.status || m["error"] != tc.oauthErr {
				t.Fatalf("got %d %v, want %d %s: %v", resp.StatusCode, m["error"], tc.status, tc.oauthErr, m["error_description"])
			}
			checkEntraError(t, m, tc.code, "0d8e1f3a-1111-4222-8333-444455556666")
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}

// checkEntraError asserts the AADSTS error shape (graph-facts §8.1).
func checkEntraError(t *testing.T, m map[string]any, code int, correlation string) {
	t.Helper()
	desc, _ := m["error_description"].(string)
	prefix := "AADSTS" + itoa(code) + ": "
	if !strings.HasPrefix(desc, prefix) {
		t.Errorf("error_description %q does not start with %q", desc, prefix)
	}
	for _, line := range []string{"\r\nTrace ID: ", "\r\nCorrelation ID: " + correlation, "\r\nTimestamp: "} {
		if !strings.Contains(desc, line) {
			t.Errorf("error_description lacks %q: %q", line, desc)
		}
	}
	codes, _ := m["error_codes"].([]any)
	if len(codes) != 1 || codes[0] != float64(code) {
		t.Errorf("error_codes = %v, want [%d]", m["error_codes"], code)
	}
	for _, k := range []string{"timestamp", "trace_id", "correlation_id"} {
		if s, _ := m[k].(string); s == "" {
			t.Errorf("%s missing", k)
		}
	}
	if m["correlation_id"] != correlation {
		t.Errorf("correlation_id = %v, want %s", m["correlation_id"], correlation)
	}
	if _, err := time.Parse("2006-01-02 15:04:05Z", m["timestamp"].(string)); err != nil {
		t.Errorf("timestamp: %v", err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestTokenEndpointSuccess(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	cert := sharedTestCert()
	certApp := "33333333-2222-4333-8444-555555555555"
	if err := a.srv.AddApplication(FixtureApplication{AppID: certApp, DisplayName: "cert app",
		KeyCredentials:         []FixtureKeyCredential{{Key: base64.StdEncoding.EncodeToString(cert.der)}},
		PasswordCredentials:    []FixturePasswordCredential{{SecretText: "hmac-secret"}},
		ApplicationPermissions: []string{"User.Read.All"}}); err != nil {
		t.Fatal(err)
	}
	aud := a.ts.URL + "/" + testTenantID + "/oauth2/v2.0/token"
	asForm := func(as string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {certApp}, "scope": {graphScope},
			"client_assertion_type": {assertionTypeJWTBearer}, "client_assertion": {as}}
	}
	tests := []struct {
		name      string
		tenant    string
		form      url.Values
		basic     [2]string
		appID     string
		roles     []string
		scp       string
		acr       string
		delegated bool
	}{
		{name: "secret by tenant id", tenant: testTenantID, form: ccForm(), appID: adminAppID, roles: []string{"User.ReadWrite.All", "AuditLog.Read.All"}, acr: "1"},
		{name: "secret by domain", tenant: testDomain, form: ccForm(), appID: adminAppID, acr: "1"},
		{name: "secret by initial domain, upper case", tenant: "LarkspurLogistics.onmicrosoft.com", form: ccForm(), appID: adminAppID, acr: "1"},
		{name: "organizations", tenant: "organizations", form: ccForm(), appID: adminAppID, acr: "1"},
		{name: "common", tenant: "common", form: ccForm(), appID: adminAppID, acr: "1"},
		{name: "basic auth", tenant: testTenantID, form: ccForm("client_id", "", "client_secret", ""), basic: [2]string{adminAppID, adminSecret}, appID: adminAppID, acr: "1"},
		{name: "scope as MSAL sends it", tenant: testTenantID, form: ccForm("scope", graphScope+" openid offline_access profile"), appID: adminAppID, acr: "1"},
		{name: "assertion without client_id, string times, padded x5t", tenant: testTenantID, form: func() url.Values {
			v := asForm(msalStyleAssertion(t, certApp, aud, cert))
			v.Del("client_id")
			return v
		}(), appID: certApp, acr: "2"},
		{name: "scope by app id", tenant: testTenantID, form: ccForm("scope", graphAppID+"/.default"), appID: adminAppID, acr: "1"},
		{name: "reader", tenant: testTenantID, form: ccForm("client_id", readerAppID, "client_secret", readerSecret), appID: readerAppID, roles: []string{"User.Read.All"}, acr: "1"},
		{name: "certificate with x5t", tenant: testTenantID, form: asForm(assertion(t, certApp, aud, cert.key, map[string]any{"x5t": cert.x5t}, time.Now().Add(time.Hour))), appID: certApp, roles: []string{"User.Read.All"}, acr: "2"},
		{name: "certificate with x5t#S256", tenant: testTenantID, form: asForm(assertion(t, certApp, aud, cert.key, map[string]any{"x5t#S256": sha256Thumb(cert.der)}, time.Now().Add(time.Hour))), appID: certApp, acr: "2"},
		{name: "certificate without thumbprint", tenant: testTenantID, form: asForm(assertion(t, certApp, aud, cert.key, nil, time.Now().Add(time.Hour))), appID: certApp, acr: "2"},
		{name: "secret-signed assertion", tenant: testTenantID, form: asForm(assertion(t, certApp, aud, []byte("hmac-secret"), nil, time.Now().Add(time.Hour))), appID: certApp, acr: "2"},
		{name: "password grant", tenant: testTenantID, form: url.Values{"grant_type": {"password"}, "client_id": {readerAppID}, "scope": {"User.Read.All openid profile offline_access"},
			"username": {fixtureAdminUPN}, "password": {fixtureAdminPass}}, appID: readerAppID, scp: "User.Read.All", delegated: true, acr: "1"},
		{name: "password grant .default", tenant: testTenantID, form: url.Values{"grant_type": {"password"}, "client_id": {readerAppID}, "scope": {graphScope},
			"username": {fixtureAdminUPN}, "password": {fixtureAdminPass}}, appID: readerAppID, scp: "User.Read.All Group.Read.All Directory.Read.All AuditLog.Read.All Organization.Read.All", delegated: true, acr: "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/"+tc.tenant+"/oauth2/v2.0/token", strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			if tc.basic[0] != "" {
				req.SetBasicAuth(tc.basic[0], tc.basic[1])
			}
			resp, err := a.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var m map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&m)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %v", resp.StatusCode, m)
			}
			if m["token_type"] != "Bearer" || m["expires_in"] != float64(3599) || m["ext_expires_in"] != float64(3599) {
				t.Errorf("response %v", m)
			}
			if _, ok := m["refresh_token"]; ok {
				t.Error("refresh_token present")
			}
			tok := m["access_token"].(string)
			c := claimsOf(t, tok)
			want := map[string]any{"aud": graphResource, "tid": testTenantID, "appid": tc.appID, "azp": tc.appID, "ver": "2.0",
				"iss": "https://" + a.ts.Listener.Addr().String() + "/" + testTenantID + "/v2.0", "appidacr": tc.acr}
			for k, v := range want {
				if c[k] != v {
					t.Errorf("claim %s = %v, want %v", k, c[k], v)
				}
			}
			if exp, iat := c["exp"].(float64), c["iat"].(float64); exp-iat != 3600 || c["nbf"] != c["iat"] {
				t.Errorf("iat %v nbf %v exp %v", c["iat"], c["nbf"], c["exp"])
			}
			if tc.delegated {
				if c["scp"] != tc.scp || c["idtyp"] != "user" || c["upn"] != fixtureAdminUPN || c["roles"] != nil {
					t.Errorf("delegated claims %v", c)
				}
			} else {
				roles, _ := c["roles"].([]any)
				for _, r := range tc.roles {
					if !containsAny(roles, r) {
						t.Errorf("roles %v lack %s", roles, r)
					}
				}
				if c["scp"] != nil || c["idtyp"] != "app" || c["oid"] == "" || c["oid"] != c["sub"] {
					t.Errorf("app-only claims %v", c)
				}
			}
			// The token works on Graph with auth on.
			if st, _, body := a.do(t, http.MethodGet, "/v1.0/users?$top=1", nil, bearer(tok)); st != http.StatusOK {
				t.Errorf("GET /users with token: %d %v", st, body)
			}
		})
	}
}

// msalStyleAssertion signs an assertion the way older MSAL Go versions do: exp and nbf as
// decimal strings, x5t as padded standard base64.
func msalStyleAssertion(t *testing.T, appID, aud string, c testCert) string {
	t.Helper()
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"aud": aud, "iss": appID, "sub": appID, "jti": "x",
		"exp": itoa(int(now.Add(10 * time.Minute).Unix())), "nbf": itoa(int(now.Unix()))})
	raw, _ := base64.RawURLEncoding.DecodeString(c.x5t)
	tok.Header["x5t"] = base64.StdEncoding.EncodeToString(raw)
	s, err := tok.SignedString(c.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPasswordGrantClientInfo(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	st, m := a.token(t, testDomain, url.Values{"grant_type": {"password"}, "client_id": {adminAppID}, "client_info": {"1"},
		"scope": {"https://graph.microsoft.com/User.ReadWrite.All openid offline_access profile"}, "username": {fixtureAdminUPN}, "password": {fixtureAdminPass}})
	if st != http.StatusOK {
		t.Fatalf("%d %v", st, m)
	}
	if m["scope"] != "https://graph.microsoft.com/User.ReadWrite.All openid offline_access profile" {
		t.Errorf("scope %v", m["scope"])
	}
	id := claimsOf(t, m["id_token"].(string))
	if id["aud"] != adminAppID || id["preferred_username"] != fixtureAdminUPN || id["tid"] != testTenantID {
		t.Errorf("id_token %v", id)
	}
	ci, err := base64.RawURLEncoding.DecodeString(m["client_info"].(string))
	if err != nil || !strings.Contains(string(ci), `"utid":"`+testTenantID+`"`) || !strings.Contains(string(ci), `"uid":"`+id["oid"].(string)+`"`) {
		t.Errorf("client_info %s %v", ci, err)
	}
}

func containsAny(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func sha256Thumb(der []byte) string { _, s := thumbprints(der); return s }

func TestDiscoveryDocuments(t *testing.T) {
	t.Parallel()
	a := newAuthTestServer(t, AuthOn)
	base := a.ts.URL
	tests := []struct {
		tenant       string
		issuer       string
		endpointPart string
	}{
		{testTenantID, base + "/" + testTenantID + "/v2.0", testTenantID},
		{testDomain, base + "/" + testTenantID + "/v2.0", testTenantID},
		{"common", base + "/{tenantid}/v2.0", "common"},
		{"organizations", base + "/{tenantid}/v2.0", "organizations"},
	}
	for _, tc := range tests {
		t.Run(tc.tenant, func(t *testing.T) {
			t.Parallel()
			st, _, m := a.do(t, http.MethodGet, "/"+tc.tenant+"/v2.0/.well-known/openid-configuration", nil, nil)
			if st != http.StatusOK {
				t.Fatalf("status %d %v", st, m)
			}
			want := map[string]string{
				"issuer":                 tc.issuer,
				"token_endpoint":         base + "/" + tc.endpointPart + "/oauth2/v2.0/token",
				"authorization_endpoint": base + "/" + tc.endpointPart + "/oauth2/v2.0/authorize",
				"jwks_uri":               base + "/" + tc.endpointPart + "/discovery/v2.0/keys",
			}
			for k, v := range want {
				if m[k] != v {
					t.Errorf("%s = %v, want %s", k, m[k], v)
				}
			}
			// Flows graphmock doesn't serve are not advertised.
			for _, k := range []string{"userinfo_endpoint", "device_authorization_endpoint", "end_session_endpoint",
				"kerberos_endpoint", "http_logout_supported", "frontchannel_logout_supported"} {
				if v, ok := m[k]; ok {
					t.Errorf("%s advertised: %v", k, v)
				}
			}
			// Every advertised endpoint but authorization_endpoint (which MSAL requires) answers.
			for k, v := range m {
				u, _ := v.(string)
				if !strings.HasSuffix(k, "_endpoint") && k != "jwks_uri" || k == "authorization_endpoint" || !strings.HasPrefix(u, base) {
					continue
				}
				method := http.MethodGet
				if k == "token_endpoint" {
					method = http.MethodOptions
				}
				if st, _, _ := a.do(t, method, strings.TrimPrefix(u, base), nil, nil); st == http.StatusNotFound {
					t.Errorf("%s %s answers 404", k, u)
				}
			}
			st, _, keys := a.do(t, http.MethodGet, "/"+tc.tenant+"/discovery/v2.0/keys", nil, nil)
			if st != http.StatusOK || len(keys["keys"].([]any)) != 1 {
				t.Fatalf("keys %d %v", st, keys)
			}
		})
	}
	t.Run("unknown tenant", func(t *testing.T) {
		t.Parallel()
		for _, p := range []string{"/nowhere.example/v2.0/.well-known/openid-configuration", "/00000000-1111-4222-8333-444444444444/discovery/v2.0/keys"} {
			st, _, m := a.do(t, http.MethodGet, p, nil, nil)
			if st != http.StatusBadRequest || m["error"] != "invalid_tenant" {
				t.Errorf("%s: %d %v", p, st, m)
			}
			checkEntraError(t, m, 90002, m["correlation_id"].(string))
		}
	})
	t.Run("instance discovery", func(t *testing.T) {
		t.Parallel()
		q := url.Values{"api-version": {"1.1"}, "authorization_endpoint": {base + "/" + testTenantID + "/oauth2/v2.0/authorize"}}
		st, _, m := a.do(t, http.MethodGet, "/common/discovery/instance?"+q.Encode(), nil, nil)
		if st != http.StatusOK || m["tenant_discovery_endpoint"] != base+"/"+testTenantID+"/v2.0/.well-known/openid-configuration" || m["api-version"] != "1.1" {
			t.Fatalf("%d %v", st, m)
		}
		md := m["metadata"].([]any)[0].(map[string]any)
		if md["preferred_network"] != a.ts.Listener.Addr().String() {
			t.Errorf("metadata %v", md)
		}
	})
	t.Run("user realm", func(t *testing.T) {
		t.Parallel()
		for name, want := range map[string]string{fixtureAdminUPN: "Managed", "x@LarkspurLogistics.onmicrosoft.com": "Managed", "x@elsewhere.example": "Unknown", "nodomain": "Unknown"} {
			st, _, m := a.do(t, http.MethodGet, "/common/UserRealm/"+url.PathEscape(name)+"?api-version=1.0", nil, nil)
			if st != http.StatusOK || m["account_type"] != want || m["cloud_instance_name"] == "" || m["cloud_audience_urn"] == "" {
				t.Errorf("%s: %d %v", name, st, m)
			}
		}
	})
	t.Run("JWKS verifies issued tokens", func(t *testing.T) {
		t.Parallel()
		tok := a.appToken(t, adminAppID, adminSecret)
		_, _, keys := a.do(t, http.MethodGet, "/"+testTenantID+"/discovery/v2.0/keys", nil, nil)
		k := keys["keys"].([]any)[0].(map[string]any)
		var jwk bytes.Buffer
		_ = json.NewEncoder(&jwk).Encode(k)
		parsed, err := jwt.Parse(tok, func(tk *jwt.Token) (any, error) {
			if tk.Header["kid"] != k["kid"] {
				t.Errorf("kid %v != %v", tk.Header["kid"], k["kid"])
			}
			return rsaKeyFromJWK(t, k), nil
		}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience(graphResource))
		if err != nil || !parsed.Valid {
			t.Fatalf("verify with JWKS: %v", err)
		}
	})
}
