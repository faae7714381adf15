package graphmock

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/graphmock/graphmock/engine"
)

// AuthMode is the access-token policy of Graph routes (docs/auth.md).
type AuthMode string

const (
	// AuthOff accepts requests with any or no Authorization header. A valid graphmock token is
	// still read: its tenant and caller are used.
	AuthOff AuthMode = "off"
	// AuthOn requires a valid graphmock access token holding a permission the operation accepts:
	// 401 InvalidAuthenticationToken otherwise, or 403 Authorization_RequestDenied.
	AuthOn AuthMode = "on"
)

// ParseAuthMode reads "off" or "on" (case-insensitive; "" = off).
func ParseAuthMode(s string) (AuthMode, error) {
	m := AuthMode(strings.ToLower(strings.TrimSpace(s)))
	if m == "" {
		m = AuthOff
	}
	return m, m.validate()
}

func (m AuthMode) validate() error {
	switch m {
	case "", AuthOff, AuthOn:
		return nil
	}
	return fmt.Errorf("graphmock: auth mode %q: use off or on", string(m))
}

func (s *Server) authOn() bool { return s.opts.Auth == AuthOn }

// RequiredPermissionsHeader names, on a 403 for missing permissions, the permissions any one of
// which would have been accepted (comma-separated, least privileged first).
const RequiredPermissionsHeader = "x-graphmock-required-permissions"

// Graph's 401 messages (graph-facts §3.2). [obs] where third parties quote real responses;
// [unc] where graphmock chose the closest documented wording.
const (
	// msgTokenEmpty: no bearer token [obs].
	msgTokenEmpty = "Access token is empty."
	// msgTokenNoDots: a token that is not a compact JWT [obs: IdentityModel's IDX14100].
	msgTokenNoDots = "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'."
	// msgTokenUndecodable: dotted but not decodable [unc: IdentityModel's IDX14102].
	msgTokenUndecodable = "IDX14102: Unable to decode the header '[PII of type 'Microsoft.IdentityModel.Logging.SanitizedString' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]' as Base64Url encoded string."
	// msgTokenSignature: signed by a key graphmock doesn't publish, or not RS256 [unc: IdentityModel's IDX10511/IDX10503].
	msgTokenSignature = "IDX10511: Signature validation failed. Keys tried: '[PII of type 'System.Text.StringBuilder' is hidden. For more details, see https://aka.ms/IdentityModel/PII.]'."
	// msgTokenExpired [obs].
	msgTokenExpired = "Lifetime validation failed, the token is expired."
	// msgTokenNotYetValid [unc].
	msgTokenNotYetValid = "Lifetime validation failed, the token is not yet valid."
	// msgTokenAudience [obs].
	msgTokenAudience = "Access token validation failure. Invalid audience."
	// msgTokenIssuer: an issuer or tenant graphmock doesn't know [unc].
	msgTokenIssuer = "Access token validation failure. Invalid issuer."
	// msgTokenNoPermissionClaims: neither roles nor scp [obs].
	msgTokenNoPermissionClaims = "Either scp or roles claim need to be present in the token."
)

// maxTokenLength bounds the bearer tokens graphmock parses; longer ones are malformed.
const maxTokenLength = 16 << 10

// identity is the caller an access token names.
type identity struct {
	tenantID  string
	appID     string
	appName   string
	spID      string // service principal id (oid of app-only tokens)
	user      *engine.User
	delegated bool
	roles     []string // app-only
	scopes    []string // delegated
}

// permissions are the permissions the token carries.
func (id *identity) permissions() []string {
	if id.delegated {
		return id.scopes
	}
	return id.roles
}

type authCtxKey struct{}

// withIdentity returns r carrying the caller of its validated token; tenantFor and actorFor
// read it (the token's tid selects the tenant, overriding other ways of naming one).
func withIdentity(r *http.Request, id *identity) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), authCtxKey{}, id))
}

func identityOf(r *http.Request) *identity {
	id, _ := r.Context().Value(authCtxKey{}).(*identity)
	return id
}

// tokenTenant is the tenant of the request's validated token, or nil.
func (s *Server) tokenTenant(r *http.Request) *tenant {
	id := identityOf(r)
	if id == nil {
		return nil
	}
	for _, t := range s.tenantList() {
		if strings.EqualFold(t.id, id.tenantID) {
			return t
		}
	}
	return nil
}

// tokenActor is the audit actor of the request's validated token.
func tokenActor(r *http.Request) (engine.Actor, bool) {
	id := identityOf(r)
	if id == nil {
		return engine.Actor{}, false
	}
	if id.delegated && id.user != nil {
		return engine.Actor{User: &engine.UserIdentity{ID: id.user.ID, DisplayName: id.user.DisplayName,
			UserPrincipalName: id.user.UserPrincipalName, IPAddress: clientIP(r)}}, true
	}
	return engine.Actor{App: &engine.AppIdentity{AppID: id.appID, DisplayName: id.appName, ServicePrincipalID: id.spID,
		ServicePrincipalName: id.appName}}, true
}

func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i >= 0 {
		host = host[:i]
	}
	host = strings.Trim(host, "[]")
	if host == "" {
		return "127.0.0.1"
	}
	return host
}

// isGraphPath reports whether a path is under /v1.0 or /beta.
func isGraphPath(p string) bool {
	for _, v := range apiVersions {
		if len(p) >= len(v) && strings.EqualFold(p[:len(v)], v) && (len(p) == len(v) || p[len(v)] == '/') {
			return true
		}
	}
	return false
}

// isMetadataPath reports whether p is /v1.0/$metadata or /beta/$metadata, which Graph serves
// without a token.
func isMetadataPath(p string) bool {
	_, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	return strings.EqualFold(rest, "$metadata")
}

// authenticate reads the bearer token of Graph requests. A valid token's identity goes into
// the request context (tenantFor and actorFor use it). With AuthOn an absent or invalid token
// is refused with 401 InvalidAuthenticationToken and a WWW-Authenticate header; with AuthOff
// it is ignored.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isGraphPath(r.URL.Path) || isMetadataPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		id, msg := s.identityFromHeader(r)
		if id != nil {
			r = withIdentity(r, id)
		} else if s.authOn() {
			s.writeUnauthorized(w, r, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authorize checks, with AuthOn, that the request's token holds one of the permissions the
// route accepts. It writes the 401 or 403 itself and reports whether the request may proceed.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, rt route) bool {
	if !s.authOn() {
		return true
	}
	id := identityOf(r)
	if id == nil {
		// Requests dispatched inside graphmock (e.g. $batch items) may arrive without the
		// context of the outer request; read their header again.
		var msg string
		if id, msg = s.identityFromHeader(r); id == nil {
			s.writeUnauthorized(w, r, msg)
			return false
		}
	}
	need := requiredPermissions(rt.method, rt.path, id.delegated)
	if id.delegated && (isMeRequest(r) || namesSignedInUser(r, id)) {
		need = append(selfPermissions(rt.method, rt.path), need...)
	}
	if holdsAny(id.permissions(), need) {
		return true
	}
	w.Header().Set(RequiredPermissionsHeader, strings.Join(need, ", "))
	s.writeError(w, r, engine.Forbidden())
	return false
}

// writeUnauthorized writes Graph's 401 with the WWW-Authenticate challenge Graph sends
// (graph-facts §9, [unc]), pointing at graphmock's own authority.
func (s *Server) writeUnauthorized(w http.ResponseWriter, r *http.Request, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+authorityBase(r)+`/common/oauth2/authorize", client_id="`+graphAppID+`"`)
	s.writeError(w, r, newHTTPError(http.StatusUnauthorized, "InvalidAuthenticationToken", msg))
}

// identityFromHeader validates the request's bearer token: an RS256 JWT signed with graphmock's
// key, within its lifetime (5 minutes' leeway), for Microsoft Graph, issued for a tenant the
// server holds, carrying roles or scp. It returns the identity, or nil and Graph's message.
func (s *Server) identityFromHeader(r *http.Request) (*identity, string) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, raw, _ := strings.Cut(h, " ")
	raw = strings.TrimSpace(raw)
	if !strings.EqualFold(scheme, "Bearer") || raw == "" {
		return nil, msgTokenEmpty
	}
	if len(raw) > maxTokenLength {
		return nil, msgTokenUndecodable
	}
	if !strings.Contains(raw, ".") {
		return nil, msgTokenNoDots
	}
	return s.validateAccessToken(raw)
}

func (s *Server) validateAccessToken(raw string) (*identity, string) {
	claims, msg := s.verifiedClaims(raw)
	if msg != "" {
		return nil, msg
	}
	now, leeway := s.clock.Now(), 5*time.Minute
	exp, ok := numericClaim(claims["exp"])
	if !ok || now.After(exp.Add(leeway)) {
		return nil, msgTokenExpired
	}
	for _, k := range []string{"nbf", "iat"} {
		if _, present := claims[k]; !present {
			continue
		}
		t, ok := numericClaim(claims[k])
		if !ok || now.Add(leeway).Before(t) {
			return nil, msgTokenNotYetValid
		}
	}
	auds, err := claims.GetAudience()
	if err != nil || !graphAudience(auds) {
		return nil, msgTokenAudience
	}
	str := func(k string) string { v, _ := claims[k].(string); return v }
	tid := str("tid")
	var t *tenant
	for _, c := range s.tenantList() {
		if strings.EqualFold(c.id, tid) {
			t = c
		}
	}
	iss := strings.ToLower(str("iss"))
	if t == nil || !strings.HasPrefix(iss, "https://") || !strings.HasSuffix(iss, "/"+strings.ToLower(t.id)+"/v2.0") {
		return nil, msgTokenIssuer
	}
	id := &identity{tenantID: t.id, appID: str("appid"), appName: str("app_displayname")}
	if id.appID == "" {
		id.appID = str("azp")
	}
	if app, _ := t.application(id.appID); app != nil {
		id.appName, id.spID = app.DisplayName, app.ServicePrincipalID
	}
	if scp := str("scp"); scp != "" {
		id.delegated = true
		id.scopes = strings.Fields(scp)
		oid := str("oid")
		_ = t.store.View(func(tx *engine.Txn) error {
			id.user, _ = tx.UserByID(oid)
			return nil
		})
		if id.user == nil {
			return nil, msgTokenIssuer
		}
		return id, ""
	}
	rs, ok := claims["roles"].([]any)
	if !ok {
		return nil, msgTokenNoPermissionClaims
	}
	for _, v := range rs {
		if s, ok := v.(string); ok {
			id.roles = append(id.roles, s)
		}
	}
	if id.spID == "" {
		id.spID = str("oid")
	}
	return id, ""
}

// maxVerifiedTokens bounds the cache of signature-verified tokens; it is emptied when full.
const maxVerifiedTokens = 4096

// verifiedTokens caches the claims of tokens whose RS256 signature graphmock verified, so a
// token used many times is verified once. Lifetime and every other claim are checked on each use.
type verifiedTokens struct {
	mu sync.Mutex
	m  map[string]jwt.MapClaims
}

// verifiedClaims checks raw's signature (RS256 with graphmock's key; a kid, when present, must
// name it) and returns its claims, or Graph's message for a malformed or wrongly signed token.
// The returned map is shared and must not be modified.
func (s *Server) verifiedClaims(raw string) (jwt.MapClaims, string) {
	s.signer.verified.mu.Lock()
	c, ok := s.signer.verified.m[raw]
	s.signer.verified.mu.Unlock()
	if ok {
		return c, ""
	}
	signer, err := s.signingKey()
	if err != nil {
		return nil, msgTokenSignature
	}
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(raw, claims, func(tok *jwt.Token) (any, error) {
		if kid, _ := tok.Header["kid"].(string); kid != "" && kid != signer.kid {
			return nil, jwt.ErrTokenSignatureInvalid
		}
		return &signer.key.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenMalformed):
		return nil, msgTokenUndecodable
	default: // signature invalid, unverifiable, wrong algorithm
		return nil, msgTokenSignature
	}
	s.signer.verified.mu.Lock()
	if s.signer.verified.m == nil || len(s.signer.verified.m) >= maxVerifiedTokens {
		s.signer.verified.m = make(map[string]jwt.MapClaims)
	}
	s.signer.verified.m[raw] = claims
	s.signer.verified.mu.Unlock()
	return claims, ""
}

// graphAudience reports whether one audience names Microsoft Graph.
func graphAudience(auds []string) bool {
	for _, a := range auds {
		if graphScopeResource(a) {
			return true
		}
	}
	return false
}

// namesSignedInUser reports whether the request's {user-id} is the delegated token's own user,
// by id or userPrincipalName: Graph grants the signed-in user's self permissions (User.Read…)
// on /users/{their id} as on /me.
func namesSignedInUser(r *http.Request, id *identity) bool {
	if id.user == nil {
		return false
	}
	v := pathVar(r, "user-id")
	return v != "" && (strings.EqualFold(v, id.user.ID) || strings.EqualFold(v, id.user.UserPrincipalName))
}
