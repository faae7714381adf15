package graphmock

import (
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/mux"
	"github.com/graphmock/graphmock/engine"
)

// identityRoutes registers the Entra-shaped endpoints MSAL and azidentity call (graph-facts §8)
// (GET /_graphmock/ca.pem is in the control-plane table). They live outside /v1.0 and answer in Entra's shapes, not Graph's.
func (s *Server) identityRoutes(r *mux.Router) {
	r.Methods(http.MethodGet).Path("/common/discovery/instance").HandlerFunc(s.instanceDiscovery)
	r.Methods(http.MethodGet).Path("/common/userrealm/{username}").HandlerFunc(s.userRealm)
	r.Methods(http.MethodPost).Path("/{tenant}/oauth2/v2.0/token").HandlerFunc(s.token)
	r.Methods(http.MethodOptions).Path("/{tenant}/oauth2/v2.0/token").HandlerFunc(tokenPreflight)
	r.Path("/{tenant}/oauth2/v2.0/token").HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		s.writeEntraError(w, req, errTokenMethod(req.Method))
	})
	r.Methods(http.MethodGet).Path("/{tenant}/v2.0/.well-known/openid-configuration").HandlerFunc(s.openIDConfiguration)
	r.Methods(http.MethodGet).Path("/{tenant}/discovery/v2.0/keys").HandlerFunc(s.jwks)
}

// tokenPreflight answers OPTIONS of the token endpoint (a browser's CORS preflight) as Entra
// does: no body, the methods the endpoint takes, any origin and the headers asked for.
func tokenPreflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Allow", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Origin", "*")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(http.StatusNoContent)
}

// entraError is an AADSTS error of the token service (graph-facts §8.1).
type entraError struct {
	status int
	err    string // OAuth error: invalid_request, invalid_client, unauthorized_client, invalid_scope…
	code   int    // AADSTS number
	desc   string // description without the "AADSTSnnn: " prefix
}

func (e *entraError) Error() string { return fmt.Sprintf("AADSTS%d: %s", e.code, e.desc) }

func newEntraError(status int, oauthErr string, code int, format string, args ...any) *entraError {
	return &entraError{status: status, err: oauthErr, code: code, desc: fmt.Sprintf(format, args...)}
}

// Token service errors. Codes and wording as Entra answers them (graph-facts §8.1 [obs]) unless
// marked [unc]: those are graphmock's closest reading of Entra's error-code reference.
func errMissingParam(name string) *entraError {
	return newEntraError(http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: '%s'.", name)
}

// errTokenMethod: a GET (or other non-POST) of the token endpoint [obs].
func errTokenMethod(method string) *entraError {
	return newEntraError(http.StatusBadRequest, "invalid_request", 900561, "The endpoint only accepts POST, OPTIONS requests. Received a %s request.", method)
}

// errMalformedBody: a body that is not a readable form [unc: AADSTS90004 InvalidRequestFormat].
var errMalformedBody = newEntraError(http.StatusBadRequest, "invalid_request", 90004, "The request is not properly formatted.")

// errEntraTenantNotFound [obs].
func errEntraTenantNotFound(ref string) *entraError {
	return newEntraError(http.StatusBadRequest, "invalid_request", 90002, "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", ref)
}

// errUnknownClient [obs].
func errUnknownClient(appID, tenantName string) *entraError {
	return newEntraError(http.StatusBadRequest, "unauthorized_client", 700016, "Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", appID, tenantName)
}

// errBadSecret [obs].
func errBadSecret(appID string) *entraError {
	return newEntraError(http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", appID)
}

// errExpiredSecret [obs].
func errExpiredSecret(appID string) *entraError {
	return newEntraError(http.StatusUnauthorized, "invalid_client", 7000222, "The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.", appID)
}

// errNoCredential: a client_credentials request with neither secret nor assertion [obs:
// MicrosoftDocs/azure-docs#30777; 7000218 is the answer for grants that take a user].
var errNoCredential = newEntraError(http.StatusUnauthorized, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.")

// errUnsupportedGrant [obs].
func errUnsupportedGrant(grant string) *entraError {
	return newEntraError(http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'.", grant)
}

// errScopeInvalid: a scope value that names no single resource's /.default [doc: AADSTS70011].
func errScopeInvalid(scope string) *entraError {
	return newEntraError(http.StatusBadRequest, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid. The scope %s is not valid.", scope)
}

// errScopeNotDefault: client credentials with a scope lacking /.default [obs].
func errScopeNotDefault(scope string) *entraError {
	return newEntraError(http.StatusBadRequest, "invalid_scope", 1002012, "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)
}

// errUnknownResource: a /.default scope of a resource other than Microsoft Graph [obs].
func errUnknownResource(resource, tenantName string) *entraError {
	return newEntraError(http.StatusBadRequest, "invalid_resource", 500011, "The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", resource, tenantName)
}

// Client assertion errors.
var (
	// errAssertionType [unc].
	errAssertionType = newEntraError(http.StatusBadRequest, "invalid_request", 50027, "Invalid client_assertion_type: it must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.")
	// errAssertionMalformed [obs].
	errAssertionMalformed = newEntraError(http.StatusBadRequest, "invalid_request", 50027, "JWT token is invalid or malformed.")
	// errAssertionKeyNotFound [obs].
	errAssertionKeyNotFound = newEntraError(http.StatusUnauthorized, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - The key was not found.]")
	// errAssertionSignature [obs].
	errAssertionSignature = newEntraError(http.StatusUnauthorized, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value.]")
	// errAssertionLifetime [obs, wording shortened].
	errAssertionLifetime = newEntraError(http.StatusUnauthorized, "invalid_client", 700024, "Client assertion is not within its valid time range.")
	// errAssertionSubject [obs].
	errAssertionSubject = newEntraError(http.StatusUnauthorized, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .")
	// errAssertionAudience [unc].
	errAssertionAudience = newEntraError(http.StatusUnauthorized, "invalid_client", 700027, "Client assertion audience claim does not match the token endpoint.")
)

// errConsentRequired: a delegated scope the app holds no consent for [obs].
func errConsentRequired(app *engine.Application) *entraError {
	return newEntraError(http.StatusBadRequest, "invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '%s' named '%s'. Send an interactive authorization request for this user and resource.", app.AppID, app.DisplayName)
}

// errBadUserCredentials: password grant with a wrong user name or password [obs].
var errBadUserCredentials = newEntraError(http.StatusBadRequest, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.")

// writeEntraError writes Entra's token-service error JSON: error, error_description (with the
// AADSTS code and Trace ID / Correlation ID / Timestamp lines), error_codes, timestamp,
// trace_id, correlation_id, error_uri (graph-facts §8.1).
func (s *Server) writeEntraError(w http.ResponseWriter, r *http.Request, e *entraError) {
	now := s.clock.Now().UTC()
	traceID := requestID(r)
	corr := r.Header.Get("client-request-id")
	if !engine.IsGUID(corr) {
		corr = clientRequestID(r)
	}
	desc := fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
		e.code, e.desc, traceID, corr, now.Format("2006-01-02 15:04:05Z"))
	body := object{
		{"error", e.err},
		{"error_description", desc},
		{"error_codes", []int{e.code}},
		{"timestamp", now.Format("2006-01-02 15:04:05Z")},
		{"trace_id", traceID},
		{"correlation_id", corr},
		{"error_uri", authorityBase(r) + "/error?code=" + strconv.Itoa(e.code)},
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	if e.status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Basic realm="`+authorityBase(r)+`"`)
	}
	writeJSONStatus(w, e.status, body)
}

// token serves POST /{tenant}/oauth2/v2.0/token: client_credentials (client_secret in the form
// or HTTP Basic, or a client_assertion JWT signed with a registered certificate or secret) and
// password (resource owner) grants. Success: {"token_type":"Bearer","expires_in",
// "ext_expires_in","access_token"}; failures: writeEntraError.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*") // readable after a CORS preflight
	body, e := s.tokenGrant(r)
	if e != nil {
		s.writeEntraError(w, r, e)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	writeJSONStatus(w, http.StatusOK, body)
}

const assertionTypeJWTBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// tokenGrant checks a token request and returns the success body: token_type, expires_in,
// ext_expires_in, access_token, and for the password grant also scope, and id_token and
// client_info when the client asked for client_info=1 (as MSAL does).
func (s *Server) tokenGrant(r *http.Request) (object, *entraError) {
	form, e := readTokenForm(r)
	if e != nil {
		return nil, e
	}
	grantType := form.Get("grant_type")
	if grantType == "" {
		return nil, errMissingParam("grant_type")
	}
	if grantType != "client_credentials" && grantType != "password" {
		return nil, errUnsupportedGrant(grantType)
	}
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: both parts are form-urlencoded inside the Basic credentials.
		if v, err := url.QueryUnescape(u); err == nil && clientID == "" {
			clientID = v
		}
		if v, err := url.QueryUnescape(p); err == nil && secret == "" {
			secret = v
		}
	}
	if clientID == "" {
		// A client assertion names its client in iss and sub; some clients send no client_id.
		clientID = assertionSubject(form.Get("client_assertion"))
	}
	if clientID == "" {
		return nil, errMissingParam("client_id")
	}
	scope := strings.TrimSpace(form.Get("scope"))
	if scope == "" {
		return nil, errMissingParam("scope")
	}
	tenantRef := pathVar(r, "tenant")
	t, app, e := s.tenantAndApp(tenantRef, clientID)
	if e != nil {
		return nil, e
	}
	g := grant{tenant: t, app: app, host: r.Host, credentialType: "1"}
	if grantType == "client_credentials" {
		if e := checkClientCredentialsScope(scope, t.displayName()); e != nil {
			return nil, e
		}
		switch {
		case form.Get("client_assertion") != "" || form.Get("client_assertion_type") != "":
			if e := s.checkAssertion(r, form, app); e != nil {
				return nil, e
			}
			g.credentialType = "2"
		case secret != "":
			if e := s.checkSecret(app, secret); e != nil {
				return nil, e
			}
		default:
			return nil, errNoCredential
		}
		g.roles = app.ApplicationPermissions
	} else {
		scopes, granted, e := delegatedScopes(scope, app, t.displayName())
		if e != nil {
			return nil, e
		}
		if secret != "" {
			if e := s.checkSecret(app, secret); e != nil {
				return nil, e
			}
		}
		user, e := s.checkUserPassword(t, form.Get("username"), form.Get("password"))
		if e != nil {
			return nil, e
		}
		g.user, g.scopes, g.grantedScope = user, scopes, strings.Join(granted, " ")
	}
	tok, expires, err := s.sign(g)
	if err != nil {
		s.log.Error("token signing failed", "error", err)
		return nil, newEntraError(http.StatusInternalServerError, "server_error", 90033, "A transient error has occurred. Please try again.")
	}
	body := object{{"token_type", "Bearer"}}
	if g.user != nil {
		body = append(body, field{"scope", g.grantedScope})
	}
	body = append(body, field{"expires_in", expires}, field{"ext_expires_in", expires}, field{"access_token", tok})
	if g.user != nil && form.Get("client_info") == "1" {
		idt, err := s.idToken(g)
		if err != nil {
			return nil, newEntraError(http.StatusInternalServerError, "server_error", 90033, "A transient error has occurred. Please try again.")
		}
		ci, _ := json.Marshal(map[string]string{"uid": g.user.ID, "utid": g.tenant.id})
		body = append(body, field{"id_token", idt}, field{"client_info", base64.RawURLEncoding.EncodeToString(ci)})
	}
	return body, nil
}

// readTokenForm reads the form-encoded token request body. Query parameters are ignored, as
// Entra ignores them for the token endpoint.
func readTokenForm(r *http.Request) (url.Values, *entraError) {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(r.Header.Get("Content-Type"), ";", 2)[0]))
	if ct != "application/x-www-form-urlencoded" {
		// Entra reads no parameters from other bodies, so grant_type is the first it misses.
		return nil, errMissingParam("grant_type")
	}
	if r.Body == nil {
		return nil, errMissingParam("grant_type")
	}
	if err := r.ParseForm(); err != nil {
		return nil, errMalformedBody
	}
	return r.PostForm, nil
}

// tenantAndApp resolves the tenant segment and the client. "common" and "organizations" resolve
// to the tenant that registers the client.
func (s *Server) tenantAndApp(ref, clientID string) (*tenant, *engine.Application, *entraError) {
	if isMultiTenantRef(ref) {
		for _, t := range s.tenantList() {
			if app, _ := t.application(clientID); app != nil {
				return t, app, nil
			}
		}
		return nil, nil, errUnknownClient(clientID, ref)
	}
	t := s.tenantByRef(ref)
	if t == nil {
		return nil, nil, errEntraTenantNotFound(ref)
	}
	app, err := t.application(clientID)
	if err != nil || app == nil {
		return nil, nil, errUnknownClient(clientID, t.displayName())
	}
	return t, app, nil
}

func isMultiTenantRef(ref string) bool {
	return strings.EqualFold(ref, "common") || strings.EqualFold(ref, "organizations")
}

// graphScopeResource reports whether resource names Microsoft Graph (by URI or app id).
func graphScopeResource(resource string) bool {
	r := strings.TrimRight(strings.ToLower(resource), "/")
	return r == graphResource || r == graphAppID
}

// checkClientCredentialsScope accepts exactly one "{Graph resource}/.default" scope.
func checkClientCredentialsScope(scope, tenantName string) *entraError {
	var parts []string
	for _, p := range strings.Fields(scope) {
		if !oidcScope(p) { // MSAL adds openid, offline_access and profile to every request
			parts = append(parts, p)
		}
	}
	if len(parts) != 1 {
		return errScopeInvalid(scope)
	}
	resource, ok := strings.CutSuffix(parts[0], "/.default")
	if !ok {
		return errScopeNotDefault(scope)
	}
	if resource == "" || strings.ContainsAny(resource, " \t") {
		return errScopeInvalid(scope)
	}
	if !graphScopeResource(resource) {
		return errUnknownResource(resource, tenantName)
	}
	return nil
}

// delegatedScopes turns a password-grant scope into the scp of the token: "/.default" of Graph
// means every delegated permission the app holds; otherwise the named Graph permissions
// (bare or prefixed with the Graph resource URI), each of which the app must hold.
// openid, profile, email and offline_access are accepted and not issued. granted is the
// response's scope: every requested value as the client spelled it (MSAL reports requested
// scopes missing from it as declined) plus the permissions a "/.default" stands for.
func delegatedScopes(scope string, app *engine.Application, tenantName string) (scp, granted []string, e *entraError) {
	var out []string
	for _, p := range strings.Fields(scope) {
		granted = append(granted, p)
		if oidcScope(p) {
			continue
		}
		if res, ok := strings.CutSuffix(p, "/.default"); ok {
			if !graphScopeResource(res) {
				return nil, nil, errUnknownResource(res, tenantName)
			}
			out = append(out, app.DelegatedPermissions...)
			granted = append(granted, app.DelegatedPermissions...)
			continue
		}
		name := p
		if i := strings.LastIndex(p, "/"); i >= 0 {
			if !graphScopeResource(p[:i]) {
				return nil, nil, errUnknownResource(p[:i], tenantName)
			}
			name = p[i+1:]
		}
		held := false
		for _, d := range app.DelegatedPermissions {
			if strings.EqualFold(d, name) {
				held, name = true, d
			}
		}
		if !held {
			return nil, nil, errConsentRequired(app)
		}
		out = append(out, name)
	}
	if len(out) == 0 {
		return nil, nil, errScopeInvalid(scope)
	}
	return dedupe(out), dedupe(granted), nil
}

// oidcScope reports whether p is one of the OpenID Connect scopes Entra accepts beside a
// resource's scopes (openid, profile, email, offline_access).
func oidcScope(p string) bool {
	switch strings.ToLower(p) {
	case "openid", "profile", "email", "offline_access":
		return true
	}
	return false
}

// assertionSubject reads (without verifying) the sub, else iss, of a client assertion.
func assertionSubject(assertion string) string {
	if assertion == "" || len(assertion) > maxTokenLength {
		return ""
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(assertion, claims); err != nil {
		return ""
	}
	if sub, _ := claims["sub"].(string); sub != "" {
		return sub
	}
	iss, _ := claims["iss"].(string)
	return iss
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		if !seen[strings.ToLower(s)] {
			seen[strings.ToLower(s)] = true
			out = append(out, s)
		}
	}
	return out
}

// checkSecret compares secret with the app's current secrets in constant time.
func (s *Server) checkSecret(app *engine.Application, secret string) *entraError {
	now := s.clock.Now()
	expired := false
	for _, pc := range app.PasswordCredentials {
		if subtle.ConstantTimeCompare([]byte(pc.SecretText), []byte(secret)) != 1 {
			continue
		}
		if (!pc.EndDateTime.IsZero() && now.After(pc.EndDateTime)) || (!pc.StartDateTime.IsZero() && now.Before(pc.StartDateTime)) {
			expired = true
			continue
		}
		return nil
	}
	if expired {
		return errExpiredSecret(app.AppID)
	}
	return errBadSecret(app.AppID)
}

// checkUserPassword finds the user of a password grant and compares its fixture password.
func (s *Server) checkUserPassword(t *tenant, username, password string) (*engine.User, *entraError) {
	if username == "" {
		return nil, errMissingParam("username")
	}
	if password == "" {
		return nil, errMissingParam("password")
	}
	var u *engine.User
	_ = t.store.View(func(tx *engine.Txn) error {
		u, _ = tx.UsersByUPN(username)
		return nil
	})
	if u == nil {
		// The directory has no such user [obs: AADSTS50034 UserAccountNotFound].
		return nil, newEntraError(http.StatusBadRequest, "invalid_grant", 50034,
			"The user account %s does not exist in the %s directory. To sign into this application, the account must be added to the directory.", username, t.id)
	}
	if u.PasswordProfile == nil || subtle.ConstantTimeCompare([]byte(u.PasswordProfile.Password), []byte(password)) != 1 {
		return nil, errBadUserCredentials
	}
	if !u.AccountEnabled {
		return nil, newEntraError(http.StatusBadRequest, "invalid_grant", 50057, "The user account is disabled.")
	}
	return u, nil
}

// checkAssertion validates a client assertion (RFC 7523): a JWT whose iss and sub are the
// client id, whose aud is a token endpoint URL, within its lifetime, signed with one of the
// app's certificates (RS256/PS256/ES256…, chosen by x5t or x5t#S256 when given) or, with HS256,
// one of its secrets.
func (s *Server) checkAssertion(r *http.Request, form url.Values, app *engine.Application) *entraError {
	if form.Get("client_assertion_type") != assertionTypeJWTBearer {
		return errAssertionType
	}
	assertion := form.Get("client_assertion")
	if assertion == "" {
		return errMissingParam("client_assertion")
	}
	keyNotFound := false
	keyfunc := func(tok *jwt.Token) (any, error) {
		switch tok.Method.(type) {
		case *jwt.SigningMethodHMAC:
			var keys []jwt.VerificationKey
			for _, pc := range app.PasswordCredentials {
				keys = append(keys, []byte(pc.SecretText))
			}
			if len(keys) == 0 {
				keyNotFound = true
				return nil, errNoSuchApp
			}
			return jwt.VerificationKeySet{Keys: keys}, nil
		case *jwt.SigningMethodRSA, *jwt.SigningMethodRSAPSS, *jwt.SigningMethodECDSA:
			x5t, _ := tok.Header["x5t"].(string)
			x5t256, _ := tok.Header["x5t#S256"].(string)
			var keys []jwt.VerificationKey
			for _, kc := range app.KeyCredentials {
				cert, err := x509.ParseCertificate(kc.Key)
				if err != nil {
					continue
				}
				t1, t256 := thumbprints(kc.Key)
				if (x5t != "" || x5t256 != "") && !sameThumbprint(x5t, t1) && !sameThumbprint(x5t256, t256) {
					continue
				}
				keys = append(keys, cert.PublicKey)
			}
			if len(keys) == 0 {
				keyNotFound = true
				return nil, errNoSuchApp
			}
			return jwt.VerificationKeySet{Keys: keys}, nil
		}
		return nil, jwt.ErrTokenUnverifiable
	}
	if len(assertion) > maxTokenLength {
		return errAssertionMalformed
	}
	// Entra checks which application the assertion names before its signature: an assertion
	// for another app (or signed with another app's credential) is 700021, not 700027.
	unverified := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(assertion, unverified); err != nil {
		return errAssertionMalformed
	}
	iss, _ := unverified["iss"].(string)
	sub, _ := unverified["sub"].(string)
	if !strings.EqualFold(iss, app.AppID) || !strings.EqualFold(sub, app.AppID) {
		return errAssertionSubject
	}
	claims := jwt.MapClaims{}
	// Lifetime is checked below: some clients write exp and nbf as strings.
	_, err := jwt.ParseWithClaims(assertion, claims, keyfunc, jwt.WithoutClaimsValidation(),
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"}))
	switch {
	case err == nil:
	case keyNotFound:
		return errAssertionKeyNotFound
	case errors.Is(err, jwt.ErrTokenMalformed):
		return errAssertionMalformed
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return errAssertionSignature
	default:
		return errAssertionMalformed
	}
	now, leeway := s.clock.Now(), 5*time.Minute
	exp, ok := numericClaim(claims["exp"])
	if !ok || now.After(exp.Add(leeway)) {
		return errAssertionLifetime
	}
	if nbf, ok := numericClaim(claims["nbf"]); ok && now.Add(leeway).Before(nbf) {
		return errAssertionLifetime
	}
	auds, err := claims.GetAudience()
	if err != nil || !anyTokenEndpoint(auds) {
		return errAssertionAudience
	}
	return nil
}

// numericClaim reads a NumericDate claim written as a JSON number or a decimal string.
func numericClaim(v any) (time.Time, bool) {
	switch n := v.(type) {
	case float64:
		return unixSeconds(n)
	case json.Number:
		return numericString(string(n))
	case string:
		return numericString(n)
	}
	return time.Time{}, false
}

// numericString reads seconds since the epoch written as an integer ("1796000600") or a
// decimal ("1796000600.5", "1.7960006e9").
func numericString(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(i, 0), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, false
	}
	return unixSeconds(f)
}

// unixSeconds turns fractional seconds since the epoch into a time; NaN, infinities and values
// beyond int64 seconds are refused.
func unixSeconds(f float64) (time.Time, bool) {
	if math.IsNaN(f) || f >= math.MaxInt64 || f <= math.MinInt64 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// sameThumbprint compares a header thumbprint (base64url, or hex as some clients send) with want.
func sameThumbprint(got, want string) bool {
	if got == "" {
		return false
	}
	if strings.TrimRight(got, "=") == want {
		return true
	}
	if b, err := base64.StdEncoding.DecodeString(got); err == nil && base64.RawURLEncoding.EncodeToString(b) == want {
		return true
	}
	if n, ok := new(big.Int).SetString(got, 16); ok {
		w, err := base64.RawURLEncoding.DecodeString(want)
		return err == nil && n.Cmp(new(big.Int).SetBytes(w)) == 0
	}
	return false
}

// anyTokenEndpoint reports whether one audience is a token endpoint URL
// (https://{host}/{tenant}/oauth2/v2.0/token or the v1 …/oauth2/token).
func anyTokenEndpoint(auds []string) bool {
	for _, a := range auds {
		u, err := url.Parse(a)
		if err != nil || u.Host == "" {
			continue
		}
		p := strings.ToLower(strings.TrimRight(u.Path, "/"))
		segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
		if len(segs) >= 3 && segs[1] == "oauth2" && (strings.HasSuffix(p, "/oauth2/v2.0/token") || strings.HasSuffix(p, "/oauth2/token")) {
			return true
		}
	}
	return false
}

// openIDConfiguration serves GET /{tenant}/v2.0/.well-known/openid-configuration: the endpoints
// MSAL requires (authorization_endpoint, token_endpoint, issuer — graph-facts §8.2) on the
// request's own scheme and host. For "common" and "organizations" the issuer keeps Entra's
// "{tenantid}" placeholder; for a tenant id or domain the endpoints and issuer name the id.
// Endpoints of flows graphmock doesn't serve (userinfo, device code, logout, Kerberos) are left
// out rather than advertised; authorization_endpoint stays because MSAL requires it.
func (s *Server) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	ref := pathVar(r, "tenant")
	base := authorityBase(r)
	issuerTenant, endpointTenant := "{tenantid}", strings.ToLower(ref)
	region := "NA"
	if !isMultiTenantRef(ref) {
		t := s.tenantByRef(ref)
		if t == nil {
			s.writeEntraError(w, r, &entraError{status: http.StatusBadRequest, err: "invalid_tenant", code: 90002, desc: errEntraTenantNotFound(ref).desc})
			return
		}
		issuerTenant, endpointTenant = t.id, t.id
	}
	host := r.Host
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSONStatus(w, http.StatusOK, object{
		{"token_endpoint", base + "/" + endpointTenant + "/oauth2/v2.0/token"},
		{"token_endpoint_auth_methods_supported", []string{"client_secret_post", "private_key_jwt", "client_secret_basic"}},
		{"jwks_uri", base + "/" + endpointTenant + "/discovery/v2.0/keys"},
		{"response_modes_supported", []string{"query", "fragment", "form_post"}},
		{"subject_types_supported", []string{"pairwise"}},
		{"id_token_signing_alg_values_supported", []string{"RS256"}},
		{"response_types_supported", []string{"code", "id_token", "code id_token", "id_token token"}},
		{"scopes_supported", []string{"openid", "profile", "email", "offline_access"}},
		{"issuer", base + "/" + issuerTenant + "/v2.0"},
		{"request_uri_parameter_supported", false},
		{"authorization_endpoint", base + "/" + endpointTenant + "/oauth2/v2.0/authorize"},
		{"claims_supported", []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "tid", "oid", "azp", "roles", "scp", "ver"}},
		{"tenant_region_scope", region},
		{"cloud_instance_name", host},
		{"cloud_graph_host_name", host},
		{"msgraph_host", host},
		{"rbac_url", base},
	})
}

// jwks serves GET /{tenant}/discovery/v2.0/keys: the RSA key access tokens are signed with, as
// Entra publishes keys (kty, use, kid, x5t, n, e, x5c, issuer).
func (s *Server) jwks(w http.ResponseWriter, r *http.Request) {
	ref := pathVar(r, "tenant")
	issuer := authorityBase(r) + "/{tenantid}/v2.0"
	if !isMultiTenantRef(ref) {
		t := s.tenantByRef(ref)
		if t == nil {
			s.writeEntraError(w, r, &entraError{status: http.StatusBadRequest, err: "invalid_tenant", code: 90002, desc: errEntraTenantNotFound(ref).desc})
			return
		}
		issuer = authorityBase(r) + "/" + t.id + "/v2.0"
	}
	signer, err := s.signingKey()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	pub := signer.key.PublicKey
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSONStatus(w, http.StatusOK, object{{"keys", []object{{
		{"kty", "RSA"},
		{"use", "sig"},
		{"kid", signer.kid},
		{"x5t", signer.kid},
		{"n", base64.RawURLEncoding.EncodeToString(pub.N.Bytes())},
		{"e", base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())},
		{"x5c", []string{base64.StdEncoding.EncodeToString(signer.cert)}},
		{"issuer", issuer},
	}}}})
}

// instanceDiscovery serves GET /common/discovery/instance (graph-facts §8.2): the tenant
// discovery endpoint for the authorization_endpoint asked about, on graphmock's own host, and
// metadata naming only that host.
func (s *Server) instanceDiscovery(w http.ResponseWriter, r *http.Request) {
	tenantRef := "common"
	if ae := r.URL.Query().Get("authorization_endpoint"); ae != "" {
		if u, err := url.Parse(ae); err == nil {
			if segs := strings.Split(strings.Trim(u.Path, "/"), "/"); len(segs) > 0 && segs[0] != "" {
				tenantRef = segs[0]
			}
		}
	}
	host := r.Host
	writeJSONStatus(w, http.StatusOK, object{
		{"tenant_discovery_endpoint", authorityBase(r) + "/" + url.PathEscape(tenantRef) + "/v2.0/.well-known/openid-configuration"},
		{"api-version", "1.1"},
		{"metadata", []object{{
			{"preferred_network", host},
			{"preferred_cache", host},
			{"aliases", []string{host}},
		}}},
	})
}

// userRealm serves GET /common/UserRealm/{username}, which MSAL asks before a password grant:
// account_type "Managed" when the user name's domain is verified in a tenant, else "Unknown"
// (as Entra answers domains it doesn't know).
func (s *Server) userRealm(w http.ResponseWriter, r *http.Request) {
	name := pathVar(r, "username")
	_, domain, _ := strings.Cut(name, "@")
	accountType := "Unknown"
	if domain != "" && s.tenantByRef(domain) != nil {
		accountType = "Managed"
	}
	writeJSONStatus(w, http.StatusOK, object{
		{"ver", "1.0"},
		{"account_type", accountType},
		{"domain_name", strings.ToLower(domain)},
		{"cloud_instance_name", "microsoftonline.com"},
		{"cloud_audience_urn", "urn:federation:MicrosoftOnline"},
	})
}
