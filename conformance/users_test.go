package conformance

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// newUser builds a user for POST /users with the properties Graph requires.
func (e *env) newUser(nick string) models.Userable {
	u := models.NewUser()
	u.SetAccountEnabled(ptr(true))
	u.SetDisplayName(ptr(e.name(nick)))
	u.SetMailNickname(ptr(e.nick(nick)))
	u.SetUserPrincipalName(ptr(e.nick(nick) + "@" + e.tenantDomain()))
	pp := models.NewPasswordProfile()
	pp.SetPassword(ptr("Conformance-" + e.suffix + "!"))
	pp.SetForceChangePasswordNextSignIn(ptr(false))
	u.SetPasswordProfile(pp)
	return u
}

// createUser creates a user through the SDK; usageLocation "" leaves it unset.
func (e *env) createUser(nick, usageLocation string) models.Userable {
	e.t.Helper()
	u := e.newUser(nick)
	if usageLocation != "" {
		u.SetUsageLocation(ptr(usageLocation))
	}
	got, err := e.client.Users().Post(e.ctx, u, nil)
	if err != nil {
		e.t.Fatalf("create user %s: %v", nick, err)
	}
	if deref(got.GetId()) == "" {
		e.t.Fatalf("create user %s: no id in the answer", nick)
	}
	return got
}

func eventual() *abstractions.RequestHeaders {
	h := abstractions.NewRequestHeaders()
	h.Add("ConsistencyLevel", "eventual")
	return h
}

// A user's life through the SDK: create, read by id and by userPrincipalName, update, find
// with $filter and $select, delete, and the 404 that follows.
func TestUserLifecycleWithSDK(t *testing.T) {
	e := newEnv(t)
	created := e.createUser("avery", "")
	id := deref(created.GetId())
	upn := deref(created.GetUserPrincipalName())
	if got := deref(created.GetDisplayName()); got != e.name("avery") {
		t.Errorf("created displayName %q, want %q", got, e.name("avery"))
	}
	if created.GetUsageLocation() != nil {
		t.Errorf("usageLocation %q on a user created without one, want null", *created.GetUsageLocation())
	}

	byUPN, err := e.client.Users().ByUserId(upn).Get(e.ctx, nil)
	if err != nil {
		t.Fatalf("get by userPrincipalName: %v", err)
	}
	if deref(byUPN.GetId()) != id {
		t.Errorf("get by userPrincipalName: id %q, want %q", deref(byUPN.GetId()), id)
	}

	patch := models.NewUser()
	patch.SetJobTitle(ptr("Dispatcher"))
	patch.SetUsageLocation(ptr("NO"))
	patch.SetDepartment(ptr("Fleet " + e.suffix))
	if _, err := e.client.Users().ByUserId(id).Patch(e.ctx, patch, nil); err != nil {
		t.Fatalf("update: %v", err)
	}
	got, err := e.client.Users().ByUserId(id).Get(e.ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: []string{"id", "jobTitle", "usageLocation", "department"}},
	})
	if err != nil {
		t.Fatalf("get after update: %v", err)
	}
	if deref(got.GetJobTitle()) != "Dispatcher" || deref(got.GetUsageLocation()) != "NO" {
		t.Errorf("after update jobTitle %q usageLocation %q, want Dispatcher NO", deref(got.GetJobTitle()), deref(got.GetUsageLocation()))
	}

	list, err := e.client.Users().Get(e.ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{
			Filter: ptr("department eq 'Fleet " + e.suffix + "'"),
			Select: []string{"id", "displayName", "department"},
		},
	})
	if err != nil {
		t.Fatalf("list with $filter: %v", err)
	}
	if n := len(list.GetValue()); n != 1 || deref(list.GetValue()[0].GetId()) != id {
		t.Fatalf("list with $filter: %d users, want exactly the one updated", n)
	}

	if err := e.client.Users().ByUserId(id).Delete(e.ctx, nil); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = e.client.Users().ByUserId(id).Get(e.ctx, nil)
	wantODataError(t, err, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
}

// The exact status codes, headers and error bodies of the user operations, over raw HTTP.
func TestUserStatusCodesAndErrors(t *testing.T) {
	e := newEnv(t)
	upn := e.nick("blake") + "@" + e.tenantDomain()
	body := map[string]any{
		"accountEnabled":    true,
		"displayName":       e.name("Blake"),
		"mailNickname":      e.nick("blake"),
		"userPrincipalName": upn,
		"passwordProfile":   map[string]any{"password": "Conformance-" + e.suffix + "!"},
	}

	r := e.do(http.MethodPost, "/users", body, "client-request-id", "7c9d4a1e-5b2f-4c3d-8e9f-0a1b2c3d4e5f")
	r.wantStatus(t, http.StatusCreated)
	if got := r.Header.Get("client-request-id"); got != "7c9d4a1e-5b2f-4c3d-8e9f-0a1b2c3d4e5f" {
		t.Errorf("client-request-id header %q, want the client's echoed", got)
	}
	if r.Header.Get("request-id") == "" {
		t.Errorf("no request-id header")
	}
	var u struct {
		ID              string `json:"id"`
		Context         string `json:"@odata.context"`
		PasswordProfile any    `json:"passwordProfile"`
	}
	r.decode(t, &u)
	if !strings.HasSuffix(u.Context, "$metadata#users/$entity") {
		t.Errorf("@odata.context %q, want …$metadata#users/$entity", u.Context)
	}
	if u.PasswordProfile != nil {
		t.Errorf("passwordProfile echoed: %v", u.PasswordProfile)
	}

	t.Run("duplicate userPrincipalName", func(t *testing.T) {
		e.do(http.MethodPost, "/users", body).wantError(t, http.StatusBadRequest, "Request_BadRequest",
			"Another object with the same value for property userPrincipalName already exists.")
	})
	t.Run("unverified domain", func(t *testing.T) {
		b := map[string]any{}
		for k, v := range body {
			b[k] = v
		}
		b["userPrincipalName"] = e.nick("casey") + "@not-verified.example"
		b["mailNickname"] = e.nick("casey")
		e.do(http.MethodPost, "/users", b).wantError(t, http.StatusBadRequest, "Request_BadRequest",
			"The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.")
	})
	t.Run("missing required property", func(t *testing.T) {
		e.do(http.MethodPost, "/users", map[string]any{"displayName": e.name("Nobody")}).wantError(t, http.StatusBadRequest, "Request_BadRequest",
			"Property accountEnabled value is required but is empty or missing.")
	})
	t.Run("unknown user", func(t *testing.T) {
		const missing = "3f0a2b4c-0000-4000-8000-000000000000"
		e.do(http.MethodGet, "/users/"+missing, nil).wantError(t, http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+missing+"' does not exist or one of its queried reference-property objects are not present.")
	})
	t.Run("malformed JSON", func(t *testing.T) {
		e.do(http.MethodPost, "/users", []byte(`{"displayName":`)).wantError(t, http.StatusBadRequest, "BadRequest",
			"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	})
	t.Run("$top out of range", func(t *testing.T) {
		e.do(http.MethodGet, "/users?$top=1000", nil).wantError(t, http.StatusBadRequest, "Request_BadRequest",
			"Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.")
	})
	t.Run("$count segment without ConsistencyLevel", func(t *testing.T) {
		e.do(http.MethodGet, "/users/$count", nil).wantError(t, http.StatusBadRequest, "Request_BadRequest",
			"$count is not currently supported.")
	})
	t.Run("$count segment", func(t *testing.T) {
		r := e.do(http.MethodGet, "/users/$count?$filter="+url.QueryEscape("userPrincipalName eq '"+upn+"'"), nil, "ConsistencyLevel", "eventual")
		r.wantStatus(t, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("Content-Type %q, want text/plain", ct)
		}
		if string(r.Body) != "1" {
			t.Errorf("count %q, want 1", r.Body)
		}
	})
	t.Run("update answers 204 without a body", func(t *testing.T) {
		r := e.do(http.MethodPatch, "/users/"+u.ID, map[string]any{"city": "Bergen"})
		r.wantStatus(t, http.StatusNoContent)
		if len(r.Body) != 0 {
			t.Errorf("204 with a body: %s", r.Body)
		}
	})
	t.Run("delete answers 204, a second delete 404", func(t *testing.T) {
		e.do(http.MethodDelete, "/users/"+u.ID, nil).wantStatus(t, http.StatusNoContent)
		e.do(http.MethodDelete, "/users/"+u.ID, nil).wantError(t, http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+u.ID+"' does not exist or one of its queried reference-property objects are not present.")
	})
}

// $count=true with ConsistencyLevel: eventual gives @odata.count; the SDK's /$count call reads
// the text/plain count.
func TestUserCountsWithSDK(t *testing.T) {
	e := newEnv(t)
	for i := range 3 {
		u := e.newUser("count" + strconv.Itoa(i))
		u.SetCity(ptr("Tromsø " + e.suffix))
		if _, err := e.client.Users().Post(e.ctx, u, nil); err != nil {
			t.Fatalf("create: %v", err)
		}
	}
	filter := ptr("city eq 'Tromsø " + e.suffix + "'")
	n, err := e.client.Users().Count().Get(e.ctx, &users.CountRequestBuilderGetRequestConfiguration{
		Headers:         eventual(),
		QueryParameters: &users.CountRequestBuilderGetQueryParameters{Filter: filter},
	})
	if err != nil {
		t.Fatalf("/users/$count: %v", err)
	}
	if deref(n) != 3 {
		t.Errorf("/users/$count = %d, want 3", deref(n))
	}
	list, err := e.client.Users().Get(e.ctx, &users.UsersRequestBuilderGetRequestConfiguration{
		Headers:         eventual(),
		QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Filter: filter, Count: ptr(true), Top: ptr(int32(2))},
	})
	if err != nil {
		t.Fatalf("list with $count=true: %v", err)
	}
	if deref(list.GetOdataCount()) != 3 || len(list.GetValue()) != 2 || list.GetOdataNextLink() == nil {
		t.Errorf("@odata.count %d, %d items, nextLink %v; want 3, 2 and a next link", deref(list.GetOdataCount()), len(list.GetValue()), list.GetOdataNextLink() != nil)
	}
}
