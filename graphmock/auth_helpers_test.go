package graphmock

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The default tenant's applications (fixtures/default-tenant.json, docs/auth.md).
const (
	testTenantID     = "7d3f4a8e-2c1b-4e5f-9a6d-3b8c0e1f2a4d"
	testDomain       = "larkspur.example"
	adminAppID       = "6a1e4f0c-2b7d-4c59-8e3a-9d0b5f7c1a23"
	adminSecret      = "graphmock-admin-secret"
	adminSPID        = "c2d7e9a1-4b3f-4e60-a8d5-7f1b0c9e3a45"
	readerAppID      = "b8f3c6d2-9e1a-4a7b-8c05-4d2e6f8a0b39"
	readerSecret     = "graphmock-reader-secret"
	graphScope       = "https://graph.microsoft.com/.default"
	fixtureAdminUPN  = "morgan.reyes@larkspur.example"
	fixtureAdminPass = "Fixture-Only-Pa55!"
)

// sharedSigningKey keeps tests fast: RSA key generation once per test binary.
var sharedSigningKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// authTestServer is a graphmock Server behind an https test listener.
type authTestServer struct {
	srv    *Server
	ts     *httptest.Server
	client *http.Client
}

// newAuthTestServer starts srv over TLS (trusting only its CA) with the given auth mode.
func newAuthTestServer(t *testing.T, mode AuthMode) *authTestServer {
	t.Helper()
	return newAuthTestServerOpts(t, Options{Auth: mode})
}

func newAuthTestServerOpts(t *testing.T, opts Options) *authTestServer {
	t.Helper()
	if opts.TLS == nil {
		opts.TLS = &TLSOptions{}
	}
	if opts.TokenSigningKey == nil {
		opts.TokenSigningKey = sharedSigningKey()
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewUnstartedServer(srv)
	ts.TLS = srv.TLSConfig()
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes of deliberately untrusting clients
	ts.StartTLS()
	t.Cleanup(ts.Close)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: srv.ClientTLSConfig()}, Timeout: 30 * time.Second}
	t.Cleanup(client.CloseIdleConnections)
	return &authTestServer{srv: srv, ts: ts, client: client}
}

// do sends a request and returns the status, headers and decoded JSON body (nil if not JSON).
func (a *authTestServer) do(t *testing.T, method, path string, body io.Reader, header http.Header) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, a.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, resp.Header, m
}

// token posts a token request form to /{tenant}/oauth2/v2.0/token.
func (a *authTestServer) token(t *testing.T, tenant string, form url.Values) (int, map[string]any) {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	st, _, m := a.do(t, http.MethodPost, "/"+tenant+"/oauth2/v2.0/token", strings.NewReader(form.Encode()), h)
	return st, m
}

// appToken gets an app-only token with a client secret through the token endpoint.
func (a *authTestServer) appToken(t *testing.T, appID, secret string) string {
	t.Helper()
	st, m := a.token(t, testTenantID, url.Values{"grant_type": {"client_credentials"}, "client_id": {appID},
		"client_secret": {secret}, "scope": {graphScope}})
	if st != http.StatusOK {
		t.Fatalf("token: %d %v", st, m)
	}
	return m["access_token"].(string)
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

// claimsOf decodes a JWT's payload without verifying it.
func claimsOf(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// testCert is a self-signed certificate and key for client assertions.
type testCert struct {
	key *rsa.PrivateKey
	der []byte
	pem string
	x5t string
}

var sharedTestCert = sync.OnceValue(func() testCert { return newTestCert("graphmock test client") })
var otherTestCert = sync.OnceValue(func() testCert { return newTestCert("unregistered client") })

func newTestCert(cn string) testCert {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	x5t, _ := thumbprints(der)
	return testCert{key: key, der: der, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), x5t: x5t}
}

// assertion builds a client assertion for appID signed with key (RS256) or secret (HS256).
func assertion(t *testing.T, appID, aud string, key any, header map[string]any, exp time.Time) string {
	t.Helper()
	claims := jwt.MapClaims{"iss": appID, "sub": appID, "aud": aud, "jti": "j1",
		"nbf": time.Now().Add(-time.Minute).Unix(), "exp": exp.Unix()}
	var tok *jwt.Token
	switch key.(type) {
	case []byte:
		tok = jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	default:
		tok = jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	}
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// graphError returns error.code and error.message of a Graph error body.
func graphError(m map[string]any) (string, string) {
	e, _ := m["error"].(map[string]any)
	code, _ := e["code"].(string)
	msg, _ := e["message"].(string)
	return code, msg
}

// rsaKeyFromJWK decodes the n and e of a JWKS entry.
func rsaKeyFromJWK(t *testing.T, k map[string]any) *rsa.PublicKey {
	t.Helper()
	n, err := base64.RawURLEncoding.DecodeString(k["n"].(string))
	if err != nil {
		t.Fatal(err)
	}
	e, err := base64.RawURLEncoding.DecodeString(k["e"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }
