package graphmock

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/graphmock/graphmock/engine"
)

// Microsoft Graph's identifiers as a token audience (graph-facts §8.3).
const (
	graphResource      = "https://graph.microsoft.com"
	graphAppID         = "00000003-0000-0000-c000-000000000000"
	defaultTokenExpiry = time.Hour
)

// tokenSigner holds the RSA key access tokens are signed with and the self-signed certificate
// published for it in the JWKS (x5c). The key is generated on first use unless Options gave one.
type tokenSigner struct {
	once sync.Once
	key  *rsa.PrivateKey
	cert []byte // DER
	kid  string // base64url SHA-1 thumbprint of cert, also x5t, as Entra names its keys
	err  error

	verified verifiedTokens // tokens whose signature this key was checked against
}

func (ts *tokenSigner) init(now time.Time) error {
	ts.once.Do(func() {
		if ts.key == nil {
			if ts.key, ts.err = rsa.GenerateKey(rand.Reader, 2048); ts.err != nil {
				return
			}
		}
		tpl := &x509.Certificate{
			SerialNumber: big.NewInt(now.UnixNano()),
			Subject:      pkix.Name{CommonName: "graphmock token signing"},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(5 * 365 * 24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
		}
		if ts.cert, ts.err = x509.CreateCertificate(rand.Reader, tpl, tpl, &ts.key.PublicKey, ts.key); ts.err != nil {
			return
		}
		sum := sha1.Sum(ts.cert)
		ts.kid = base64.RawURLEncoding.EncodeToString(sum[:])
	})
	return ts.err
}

// signingKey returns the token signing key, generating it on first use.
func (s *Server) signingKey() (*tokenSigner, error) {
	if err := s.signer.init(s.clock.Now()); err != nil {
		return nil, fmt.Errorf("graphmock: token signing key: %w", err)
	}
	return &s.signer, nil
}

// TokenRequest describes an access token for Server.IssueToken: app-only by default, delegated
// (acting for User) when User is set.
type TokenRequest struct {
	// TenantID is the token's tenant (tid); default the default tenant.
	TenantID string
	// AppID is the client id of an application registered in the tenant (required).
	AppID string
	// User is the id or userPrincipalName of the signed-in user of a delegated token; "" issues
	// an app-only token.
	User string
	// Roles replaces the app's granted application permissions in an app-only token (nil = the
	// granted ones; an empty non-nil slice = none).
	Roles []string
	// Scopes replaces the app's delegated permissions in a delegated token (nil = all of them).
	Scopes []string
	// Audience replaces "https://graph.microsoft.com" (tests of wrong-audience tokens).
	Audience string
	// IssuedAt is iat and nbf; default the server clock's now.
	IssuedAt time.Time
	// Lifetime is exp - iat; default Options.TokenLifetime (1 hour).
	Lifetime time.Duration
	// Host is the authority host named in iss; default "localhost".
	Host string
}

// IssueToken signs an access token as the token endpoint would, without a token request: for
// tests that need a token quickly or one the endpoint doesn't hand out (delegated, expired,
// wrong audience, no roles). Errors: unknown tenant, app or user.
func (s *Server) IssueToken(req TokenRequest) (string, error) {
	t := s.tenantByRef(req.TenantID)
	if req.TenantID == "" {
		t = s.defaultTenantRef()
	}
	if t == nil {
		return "", fmt.Errorf("graphmock: no tenant %q", req.TenantID)
	}
	app, err := t.application(req.AppID)
	if err != nil {
		return "", err
	}
	if app == nil {
		return "", fmt.Errorf("graphmock: tenant %s has no application %q", t.id, req.AppID)
	}
	host := req.Host
	if host == "" {
		host = "localhost"
	}
	g := grant{tenant: t, app: app, host: host, audience: req.Audience, issuedAt: req.IssuedAt, lifetime: req.Lifetime, credentialType: "1"}
	if req.User == "" {
		g.roles = app.ApplicationPermissions
		if req.Roles != nil {
			g.roles = req.Roles
		}
	} else {
		var u *engine.User
		err := t.store.View(func(tx *engine.Txn) error {
			var err error
			u, err = tx.UserByRef(req.User)
			return err
		})
		if err != nil {
			return "", fmt.Errorf("graphmock: user %q: %w", req.User, err)
		}
		g.user = u
		g.scopes = app.DelegatedPermissions
		if req.Scopes != nil {
			g.scopes = req.Scopes
		}
	}
	tok, _, err := s.sign(g)
	return tok, err
}

// grant is what a token says: who, for which tenant, with which permissions.
type grant struct {
	tenant         *tenant
	app            *engine.Application
	user           *engine.User // nil for app-only tokens
	roles, scopes  []string
	host           string
	audience       string
	issuedAt       time.Time
	lifetime       time.Duration
	credentialType string // appidacr: "1" secret, "2" certificate
	grantedScope   string // the token response's scope (delegated grants)
}

// sign builds and signs the Entra v2-shaped access token of g; it returns the token and its
// lifetime in seconds.
func (s *Server) sign(g grant) (string, int, error) {
	signer, err := s.signingKey()
	if err != nil {
		return "", 0, err
	}
	iat := g.issuedAt
	if iat.IsZero() {
		iat = s.clock.Now()
	}
	life := g.lifetime
	if life == 0 {
		life = s.opts.TokenLifetime
	}
	if life == 0 {
		life = defaultTokenExpiry
	}
	aud := g.audience
	if aud == "" {
		aud = graphResource
	}
	claims := jwt.MapClaims{
		"aud":             aud,
		"iss":             issuerFor(g.host, g.tenant.id),
		"iat":             iat.Unix(),
		"nbf":             iat.Unix(),
		"exp":             iat.Add(life).Unix(),
		"tid":             g.tenant.id,
		"appid":           g.app.AppID,
		"azp":             g.app.AppID,
		"app_displayname": g.app.DisplayName,
		"appidacr":        g.credentialType,
		"azpacr":          g.credentialType,
		"uti":             base64.RawURLEncoding.EncodeToString(randomBytes(16)),
		"ver":             "2.0",
	}
	if g.user == nil {
		claims["oid"] = g.app.ServicePrincipalID
		claims["sub"] = g.app.ServicePrincipalID
		claims["idtyp"] = "app"
		if len(g.roles) > 0 { // Entra leaves roles out when the app holds none
			claims["roles"] = g.roles
		}
	} else {
		claims["oid"] = g.user.ID
		claims["sub"] = g.user.ID
		claims["idtyp"] = "user"
		claims["upn"] = g.user.UserPrincipalName
		claims["preferred_username"] = g.user.UserPrincipalName
		claims["name"] = g.user.DisplayName
		claims["scp"] = strings.Join(g.scopes, " ")
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = signer.kid
	tok.Header["x5t"] = signer.kid
	out, err := tok.SignedString(signer.key)
	if err != nil {
		return "", 0, fmt.Errorf("graphmock: sign token: %w", err)
	}
	return out, int(life/time.Second) - 1, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// issuerFor is the iss of tokens and the issuer of discovery documents: graphmock's own
// authority in the v2 form, https://{host}/{tenantId}/v2.0 (real Graph access tokens are v1
// tokens issued by https://sts.windows.net/{tenantId}/; graphmock keeps its tokens consistent
// with the metadata it serves, so clients that validate tokens against it succeed).
func issuerFor(host, tenantID string) string { return "https://" + host + "/" + tenantID + "/v2.0" }

// authorityBase is the scheme and host the request reached graphmock on.
func authorityBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// thumbprints returns the base64url SHA-1 and SHA-256 thumbprints of a DER certificate (the
// x5t and x5t#S256 a client assertion names its key with).
func thumbprints(der []byte) (sha1t, sha256t string) {
	a := sha1.Sum(der)
	b := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(a[:]), base64.RawURLEncoding.EncodeToString(b[:])
}

var errNoSuchApp = errors.New("no such application")

// idToken signs the OpenID Connect id token of a delegated grant: aud is the client id.
func (s *Server) idToken(g grant) (string, error) {
	signer, err := s.signingKey()
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	claims := jwt.MapClaims{
		"aud": g.app.AppID, "iss": issuerFor(g.host, g.tenant.id), "iat": now.Unix(), "nbf": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "sub": g.user.ID, "oid": g.user.ID, "tid": g.tenant.id,
		"preferred_username": g.user.UserPrincipalName, "name": g.user.DisplayName, "ver": "2.0",
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = signer.kid
	return tok.SignedString(signer.key)
}
