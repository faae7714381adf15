package graphmock

import (
	"net/url"
	"strings"
	"testing"

	"github.com/graphmock/graphmock/engine"
)

func meServer(t *testing.T, mode AuthMode) *Server {
	t.Helper()
	s, err := New(Options{Auth: mode, TokenSigningKey: sharedSigningKey(), DeterministicIDs: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func issue(t *testing.T, s *Server, req TokenRequest) string {
	t.Helper()
	tok, err := s.IssueToken(req)
	if err != nil {
		t.Fatal(err)
	}
	return "Bearer " + tok
}

// TestMeWithoutSignedInUser: /me needs a delegated token, as in Graph.
func TestMeWithoutSignedInUser(t *testing.T) {
	t.Parallel()
	const msg = "/me request is only valid with delegated authentication flow."
	off := meServer(t, AuthOff)
	on := meServer(t, AuthOn)
	app := issue(t, off, TokenRequest{AppID: adminAppID})
	tests := []struct {
		name          string
		s             *Server
		method, path  string
		auth          string
		status        int
		code, message string
	}{
		{"auth off, no token", off, "GET", "/v1.0/me", "", 400, "BadRequest", msg},
		{"auth off, no token, below /me", off, "GET", "/v1.0/me/memberOf", "", 400, "BadRequest", msg},
		{"auth off, no token, unserved below /me", off, "GET", "/beta/ME/manager", "", 400, "BadRequest", msg},
		{"auth off, app-only token", off, "GET", "/v1.0/me", app, 400, "BadRequest", msg},
		{"auth on, app-only token", on, "GET", "/v1.0/me", issue(t, on, TokenRequest{AppID: adminAppID}), 400, "BadRequest", msg},
		{"auth on, no token", on, "GET", "/v1.0/me", "", 401, "InvalidAuthenticationToken", "Access token is empty."},
		{"not the /me root", off, "GET", "/v1.0/mexico", "", 400, "BadRequest", "Resource not found for the segment 'mexico'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var h []string
			if tt.auth != "" {
				h = []string{"Authorization", tt.auth}
			}
			call(t, tt.s, tt.method, tt.path, nil, h...).wantError(t, tt.status, tt.code, tt.message)
		})
	}
}

// TestMeIsTheSignedInUser: with a delegated token, /me serves as /users/{oid} — every route of
// /users/{user-id}, its 404s and 501s.
func TestMeIsTheSignedInUser(t *testing.T) {
	t.Parallel()
	for _, mode := range []AuthMode{AuthOff, AuthOn} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			s := meServer(t, mode)
			auth := []string{"Authorization", issue(t, s, TokenRequest{AppID: adminAppID, User: "finley.moreau@larkspur.example"})}
			uid := call(t, s, "GET", "/v1.0/users/finley.moreau@larkspur.example", nil, auth...).str("id")
			me := call(t, s, "GET", "/v1.0/me", nil, auth...)
			me.wantStatus(t, 200)
			if me.str("id") != uid || me.str("userPrincipalName") != "finley.moreau@larkspur.example" {
				t.Fatalf("/me = %s", me.raw)
			}
			direct := call(t, s, "GET", "/v1.0/users/"+uid+"/memberOf", nil, auth...)
			if got := call(t, s, "GET", "/v1.0/Me/memberOf", nil, auth...); string(got.raw) != string(direct.raw) {
				t.Fatalf("/me/memberOf = %s, want %s", got.raw, direct.raw)
			}
			call(t, s, "GET", "/v1.0/me/transitiveMemberOf", nil, auth...).wantStatus(t, 200)
			call(t, s, "GET", "/v1.0/me/licenseDetails", nil, auth...).wantStatus(t, 200)
			call(t, s, "PATCH", "/v1.0/me", map[string]any{"city": "Lyon"}, auth...).wantStatus(t, 204)
			if got := call(t, s, "GET", "/v1.0/me?$select=city", nil, auth...).str("city"); got != "Lyon" {
				t.Fatalf("city after PATCH /me = %q", got)
			}
			call(t, s, "GET", "/v1.0/me/manager", nil, auth...).wantError(t, 404, "Request_ResourceNotFound", "Resource 'manager' does not exist or one of its queried reference-property objects are not present.")
			call(t, s, "GET", "/v1.0/me/ownedObjects", nil, auth...).wantError(t, 501, "NotImplemented", want501("GET", "/users/{user-id}/ownedObjects"))
			call(t, s, "GET", "/v1.0/me/noSuchThing", nil, auth...).wantError(t, 400, "BadRequest", "Resource not found for the segment 'noSuchThing'.")
			call(t, s, "GET", "/v1.0/me/licenseDetails/x", nil, auth...).wantError(t, 501, "NotImplemented", want501("GET", "/users/{user-id}/licenseDetails/{licenseDetails-id}"))
			if mode == AuthOff {
				call(t, s, "GET", "/v1.0/users/"+uid+"/memberOf", nil).wantStatus(t, 200)
			}
		})
	}
}

// TestMeNextLinkKeepsMe: a page of a /me collection links to the next page through /me.
func TestMeNextLinkKeepsMe(t *testing.T) {
	t.Parallel()
	s := meServer(t, AuthOff)
	auth := []string{"Authorization", issue(t, s, TokenRequest{AppID: adminAppID, User: "finley.moreau@larkspur.example"})}
	r := call(t, s, "GET", "/v1.0/me/transitiveMemberOf?$top=1", nil, auth...)
	r.wantStatus(t, 200)
	next := r.str("@odata.nextLink")
	if !strings.HasPrefix(next, "http://graph.test/v1.0/me/transitiveMemberOf?$top=1&$skiptoken=") {
		t.Fatalf("nextLink = %q", next)
	}
	call(t, s, "GET", strings.TrimPrefix(next, "http://graph.test"), nil, auth...).wantStatus(t, 200)
}

// TestMePermissions: the signed-in user reads their own profile, memberships and licenses with
// User.Read and updates their profile with User.ReadWrite (Graph's "signed-in user" rows);
// other users still need the operation's own permissions.
func TestMePermissions(t *testing.T) {
	t.Parallel()
	s := meServer(t, AuthOn)
	var other string
	_ = s.Store().View(func(tx *engine.Txn) error {
		u, err := tx.UserByRef("finley.moreau@larkspur.example")
		if err == nil {
			other = u.ID
		}
		return err
	})
	if other == "" {
		t.Fatal("no user finley.moreau")
	}
	read := []string{"Authorization", issue(t, s, TokenRequest{AppID: adminAppID, User: adminUPN, Scopes: []string{"User.Read"}})}
	write := []string{"Authorization", issue(t, s, TokenRequest{AppID: adminAppID, User: adminUPN, Scopes: []string{"User.ReadWrite"}})}
	for _, p := range []string{"/v1.0/me", "/v1.0/me/memberOf", "/v1.0/me/transitiveMemberOf", "/v1.0/me/licenseDetails"} {
		call(t, s, "GET", p, nil, read...).wantStatus(t, 200)
	}
	const denied = "Insufficient privileges to complete the operation."
	call(t, s, "GET", "/v1.0/users/"+other, nil, read...).wantError(t, 403, "Authorization_RequestDenied", denied)
	// The signed-in user named by id or userPrincipalName is "me" too.
	self := call(t, s, "GET", "/v1.0/me", nil, read...).str("id")
	call(t, s, "GET", "/v1.0/users/"+self, nil, read...).wantStatus(t, 200)
	call(t, s, "GET", "/v1.0/users/"+adminUPN+"/memberOf", nil, read...).wantStatus(t, 200)
	call(t, s, "PATCH", "/v1.0/me", map[string]any{"city": "Lyon"}, read...).wantError(t, 403, "Authorization_RequestDenied", denied)
	call(t, s, "PATCH", "/v1.0/me", map[string]any{"city": "Lyon"}, write...).wantStatus(t, 204)
	call(t, s, "PATCH", "/v1.0/users/"+other, map[string]any{"city": "Lyon"}, write...).wantError(t, 403, "Authorization_RequestDenied", denied)
	r := call(t, s, "POST", "/v1.0/me/assignLicense", map[string]any{"addLicenses": []any{}, "removeLicenses": []any{}}, write...)
	r.wantError(t, 403, "Authorization_RequestDenied", denied)
	if got := r.header.Get(RequiredPermissionsHeader); got != "LicenseAssignment.ReadWrite.All, User.ReadWrite.All, Directory.ReadWrite.All" {
		t.Fatalf("required permissions = %q", got)
	}
}

// TestMeWithPasswordGrant: a token from the password grant (a delegated sign-in) reaches /me,
// also inside $batch.
func TestMeWithPasswordGrant(t *testing.T) {
	t.Parallel()
	s := meServer(t, AuthOn)
	form := url.Values{"grant_type": {"password"}, "client_id": {adminAppID}, "scope": {graphScope},
		"username": {fixtureAdminUPN}, "password": {fixtureAdminPass}}
	tr := call(t, s, "POST", "/"+testTenantID+"/oauth2/v2.0/token", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	tr.wantStatus(t, 200)
	auth := []string{"Authorization", "Bearer " + tr.str("access_token")}
	if got := call(t, s, "GET", "/v1.0/me", nil, auth...).str("userPrincipalName"); got != fixtureAdminUPN {
		t.Fatalf("/me upn = %q", got)
	}
	b := call(t, s, "POST", "/v1.0/$batch", map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "GET", "url": "/me?$select=userPrincipalName"}}}, auth...)
	b.wantStatus(t, 200)
	items, _ := b.body["responses"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["status"] != float64(200) ||
		items[0].(map[string]any)["body"].(map[string]any)["userPrincipalName"] != fixtureAdminUPN {
		t.Fatalf("$batch /me = %s", b.raw)
	}
}
