package graphmock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/graphmock"
)

// defaultTenantID is the organization id of the embedded default tenant.
const defaultTenantID = "7d3f4a8e-2c1b-4e5f-9a6d-3b8c0e1f2a4d"

// otherTenantID is the id of the second tenant tests create.
const otherTenantID = "11111111-2222-4333-8444-555555555555"

// env is a server reached in-process through NewRoundTripper.
type env struct {
	t *testing.T
	s *graphmock.Server
	c *http.Client
}

func newEnv(t *testing.T, opts graphmock.Options) *env {
	t.Helper()
	s, err := graphmock.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &env{t: t, s: s, c: &http.Client{Transport: graphmock.NewRoundTripper(s)}}
}

// do sends a request; headers come in name, value pairs.
func (e *env) do(method, path, body string, headers ...string) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://graphmock.test"+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// json sends a request and decodes the JSON answer (nil for an empty body), requiring status want.
func (e *env) json(want int, method, path, body string, headers ...string) map[string]any {
	e.t.Helper()
	status, b := e.do(method, path, body, headers...)
	if status != want {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, status, want, b)
	}
	if len(b) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		e.t.Fatalf("%s %s: %v in %s", method, path, err, b)
	}
	return m
}

func values(m map[string]any) []any {
	v, _ := m["value"].([]any)
	return v
}

// createUser posts a user with the given mailNickname on the default tenant's domain.
func (e *env) createUser(nick string, headers ...string) map[string]any {
	e.t.Helper()
	body := `{"accountEnabled":true,"displayName":"` + nick + `","mailNickname":"` + nick +
		`","userPrincipalName":"` + nick + `@larkspur.example","passwordProfile":{"password":"Pa55-word!"}}`
	return e.json(http.StatusCreated, http.MethodPost, "/v1.0/users", body, headers...)
}

func (e *env) userCount(headers ...string) int {
	e.t.Helper()
	return len(values(e.json(http.StatusOK, http.MethodGet, "/v1.0/users?$top=999", "", headers...)))
}

// otherTenantFixture is the default fixture under another organization id and name.
func otherTenantFixture(t *testing.T) string {
	t.Helper()
	var fx map[string]any
	if err := json.Unmarshal(graphmock.DefaultTenantFixture(), &fx); err != nil {
		t.Fatal(err)
	}
	org := fx["organization"].(map[string]any)
	org["id"] = otherTenantID
	org["displayName"] = "Other Org"
	fx["users"] = fx["users"].([]any)[:3]
	fx["groups"] = []any{}
	b, _ := json.Marshal(fx)
	return string(b)
}

const smallFixture = `{
  "organization": {"id": "` + otherTenantID + `", "displayName": "Small", "countryLetterCode": "GB",
    "verifiedDomains": [{"name": "small.example", "isDefault": true, "isInitial": true}]},
  "subscribedSkus": [{"skuPartNumber": "ENTERPRISEPACK", "prepaidUnits": {"enabled": 3}}],
  "users": [{"accountEnabled": true, "displayName": "Ada", "mailNickname": "ada",
    "userPrincipalName": "ada@small.example", "passwordProfile": {"password": "Pa55-word!"}}]
}`

// fixedClock is a clock the control plane can't steer.
type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }

func wantError(t *testing.T, status int, body []byte, wantStatus int, code, message string) {
	t.Helper()
	if status != wantStatus {
		t.Fatalf("status %d, want %d; body %s", status, wantStatus, body)
	}
	var env struct {
		Error struct {
			Code       string         `json:"code"`
			Message    string         `json:"message"`
			InnerError map[string]any `json:"innerError"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("not a Graph error: %s", body)
	}
	if env.Error.Code != code || env.Error.Message != message {
		t.Fatalf("error %q %q, want %q %q", env.Error.Code, env.Error.Message, code, message)
	}
	if env.Error.InnerError["request-id"] == "" || env.Error.InnerError["date"] == nil {
		t.Fatalf("innerError incomplete: %s", body)
	}
}

func TestControlPlaneErrors(t *testing.T) {
	t.Parallel()
	tenantHdr := graphmock.TenantHeader
	tests := []struct {
		name         string
		method, path string
		body         string
		headers      []string
		status       int
		code, msg    string
	}{
		{"seed malformed", "POST", "/_graphmock/seed", `{`, nil, 400, "BadRequest", "The fixture is invalid: fixture: unexpected EOF"},
		{"seed bad organization id", "POST", "/_graphmock/seed", `{"organization":{"id":"x","verifiedDomains":[]}}`, nil, 400, "BadRequest",
			`The fixture is invalid: fixture: organization.id must be a GUID, got "x"`},
		{"seed unknown member", "POST", "/_graphmock/seed", `{"organisation":{}}`, nil, 400, "BadRequest",
			`The fixture is invalid: fixture: json: unknown field "organisation"`},
		{"seed invalid user", "POST", "/_graphmock/seed", strings.Replace(smallFixture, "ada@small.example", "ada@elsewhere.example", 1), nil, 400, "BadRequest",
			"The fixture is invalid: users[0]: Request_BadRequest: The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization."},
		{"seed ambiguous group reference", "POST", "/_graphmock/seed", strings.Replace(smallFixture, `}]
}`, `}],
  "groups": [{"id": "aaaaaaaa-0000-4000-8000-0000000000a1", "displayName": "One", "mailNickname": "NotSet", "mailEnabled": false, "securityEnabled": true},
    {"id": "aaaaaaaa-0000-4000-8000-0000000000a2", "displayName": "Two", "mailNickname": "NotSet", "mailEnabled": false, "securityEnabled": true},
    {"id": "aaaaaaaa-0000-4000-8000-0000000000a3", "displayName": "Outer", "mailNickname": "outer", "mailEnabled": false, "securityEnabled": true, "members": ["notset"]}]
}`, 1), nil, 400, "BadRequest",
			`The fixture is invalid: group aaaaaaaa-0000-4000-8000-0000000000a3 member "notset": more than one group has mailNickname "notset"; refer to the group by id`},
		{"seed licensed distribution list", "POST", "/_graphmock/seed", strings.Replace(smallFixture, `}]
}`, `}],
  "groups": [{"id": "aaaaaaaa-0000-4000-8000-0000000000a1", "displayName": "DL", "mailNickname": "dl", "mailEnabled": true, "securityEnabled": false,
    "members": ["ada@small.example"], "assignedLicenses": [{"skuPartNumber": "ENTERPRISEPACK"}]}]
}`, 1), nil, 400, "BadRequest",
			"The fixture is invalid: group aaaaaaaa-0000-4000-8000-0000000000a1 assignedLicenses: Request_BadRequest: Group-based licensing can only be used with security groups and Microsoft 365 groups that have securityEnabled=true."},
		{"snapshot without name", "POST", "/_graphmock/snapshots", `{}`, nil, 400, "BadRequest",
			"A snapshot needs a name of 1 to 64 letters, digits, '.', '_' or '-'."},
		{"snapshot bad name", "POST", "/_graphmock/snapshots", `{"name":"a b"}`, nil, 400, "BadRequest",
			"A snapshot needs a name of 1 to 64 letters, digits, '.', '_' or '-'."},
		{"snapshot unknown member", "POST", "/_graphmock/snapshots", `{"name":"a","label":"x"}`, nil, 400, "BadRequest",
			`The property "label" is not accepted here.`},
		{"snapshot malformed", "POST", "/_graphmock/snapshots", `{"name":`, nil, 400, "BadRequest",
			"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."},
		{"restore unknown snapshot", "POST", "/_graphmock/snapshots/nope/restore", ``, nil, 404, "Request_ResourceNotFound", "Snapshot 'nope' does not exist."},
		{"delete unknown snapshot", "DELETE", "/_graphmock/snapshots/nope", ``, nil, 404, "Request_ResourceNotFound", "Snapshot 'nope' does not exist."},
		{"clock without frozen", "PUT", "/_graphmock/clock", `{"time":"2030-01-01T00:00:00Z"}`, nil, 400, "BadRequest",
			"The property 'frozen' (true or false) is required."},
		{"clock bad time", "PUT", "/_graphmock/clock", `{"frozen":true,"time":"tomorrow"}`, nil, 400, "BadRequest",
			"The time 'tomorrow' is not an RFC 3339 date-time such as 2026-01-02T15:04:05Z."},
		{"advance without duration", "POST", "/_graphmock/clock/advance", `{}`, nil, 400, "BadRequest",
			`The property 'duration' (such as "1h30m") is required.`},
		{"advance negative", "POST", "/_graphmock/clock/advance", `{"duration":"-1h"}`, nil, 400, "BadRequest",
			`The duration '-1h' is not a positive duration such as "90s" or "1h30m".`},
		{"advance unparsable", "POST", "/_graphmock/clock/advance", `{"duration":"soon"}`, nil, 400, "BadRequest",
			`The duration 'soon' is not a positive duration such as "90s" or "1h30m".`},
		{"journal unknown parameter", "GET", "/_graphmock/journal?verb=GET", ``, nil, 400, "BadRequest",
			"The query parameter 'verb' is not supported; filter with 'method' and 'path'."},
		{"create existing tenant", "POST", "/_graphmock/tenants", string(graphmock.DefaultTenantFixture()), nil, 409, "Conflict",
			"Tenant '" + defaultTenantID + "' already exists."},
		{"create tenant malformed", "POST", "/_graphmock/tenants", `[]`, nil, 400, "BadRequest",
			"The fixture is invalid: fixture: json: cannot unmarshal array into Go value of type graphmock.Fixture"},
		{"delete default tenant", "DELETE", "/_graphmock/tenants/" + defaultTenantID, ``, nil, 400, "BadRequest",
			"The default tenant can't be deleted; reset or seed it instead."},
		{"delete unknown tenant", "DELETE", "/_graphmock/tenants/" + otherTenantID, ``, nil, 404, "Request_ResourceNotFound",
			"Tenant '" + otherTenantID + "' not found."},
		{"get unknown tenant", "GET", "/_graphmock/tenants/" + otherTenantID, ``, nil, 404, "Request_ResourceNotFound",
			"Tenant '" + otherTenantID + "' not found."},
		{"graph with malformed tenant header", "GET", "/v1.0/users", ``, []string{tenantHdr, "contoso"}, 400, "BadRequest",
			"The X-Graphmock-Tenant header must be a tenant id (a GUID); got 'contoso'."},
		{"graph with unknown tenant", "GET", "/v1.0/users", ``, []string{tenantHdr, otherTenantID}, 404, "Request_ResourceNotFound",
			"Tenant '" + otherTenantID + "' not found."},
		{"control plane with unknown tenant", "POST", "/_graphmock/reset", ``, []string{tenantHdr, otherTenantID}, 404, "Request_ResourceNotFound",
			"Tenant '" + otherTenantID + "' not found."},
		{"wrong method", "GET", "/_graphmock/reset", ``, nil, 405, "Request_BadRequest",
			"Specified HTTP method is not allowed for the request target."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, graphmock.Options{})
			before := e.userCount()
			status, body := e.do(tc.method, tc.path, tc.body, tc.headers...)
			wantError(t, status, body, tc.status, tc.code, tc.msg)
			if after := e.userCount(); after != before {
				t.Fatalf("a refused request changed state: %d users, want %d", after, before)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	got := e.json(http.StatusOK, "GET", "/_graphmock/healthz", "", graphmock.TenantHeader, "not-even-a-guid")
	if got["status"] != "ok" {
		t.Fatalf("healthz = %v", got)
	}
	resp, err := e.c.Get("http://graphmock.test/_graphmock/tenants")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" || resp.Header.Get("request-id") == "" {
		t.Fatalf("control-plane headers %v", resp.Header)
	}
}

func TestControlPlaneAnswersAreLabelledJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	for _, c := range []struct{ method, path string }{
		{"GET", "/_graphmock/processing"}, {"POST", "/_graphmock/processing/drain"}, {"POST", "/_graphmock/processing/step"},
		{"GET", "/_graphmock/throttle"}, {"GET", "/_graphmock/faults"}, {"GET", "/_graphmock/consistency"},
		{"GET", "/_graphmock/clock"}, {"GET", "/_graphmock/journal"}, {"GET", "/_graphmock/tenants"},
	} {
		req, _ := http.NewRequest(c.method, "http://graphmock.test"+c.path, nil)
		resp, err := e.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode >= 300 || ct != "application/json" {
			t.Errorf("%s %s: %d, Content-Type %q", c.method, c.path, resp.StatusCode, ct)
		}
	}
}

func TestReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	before := e.userCount()
	u := e.createUser("temp.user")
	e.json(http.StatusNoContent, "DELETE", "/v1.0/users/"+u["id"].(string), "")
	e.createUser("other.user")
	got := e.json(http.StatusOK, "POST", "/_graphmock/reset", "")
	if got["id"] != defaultTenantID || got["users"] != float64(before) || got["default"] != true {
		t.Fatalf("reset answered %v", got)
	}
	if n := e.userCount(); n != before {
		t.Fatalf("after reset %d users, want %d", n, before)
	}
	status, _ := e.do("GET", "/v1.0/directory/deletedItems/"+u["id"].(string), "")
	if status != http.StatusNotFound {
		t.Fatalf("deleted item survived reset: %d", status)
	}
	// A user created after reset can take a name used before it.
	e.createUser("temp.user")
}

func TestSeed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fixture string
		users   int
		id      string
	}{
		{"another organization", smallFixture, 1, otherTenantID},
		{"the same organization", string(graphmock.DefaultTenantFixture()), 20, defaultTenantID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, graphmock.Options{})
			e.createUser("before.seed")
			got := e.json(http.StatusOK, "POST", "/_graphmock/seed", tc.fixture)
			if got["id"] != tc.id || got["users"] != float64(tc.users) {
				t.Fatalf("seed answered %v", got)
			}
			if n := e.userCount(); n != tc.users {
				t.Fatalf("%d users after seed, want %d", n, tc.users)
			}
			if e.s.TenantID() != tc.id {
				t.Fatalf("default tenant id %s, want %s", e.s.TenantID(), tc.id)
			}
			org := values(e.json(http.StatusOK, "GET", "/v1.0/organization", ""))
			if len(org) != 1 || org[0].(map[string]any)["id"] != tc.id {
				t.Fatalf("organization after seed: %v", org)
			}
			// The server's reset target is still its own seed.
			e.json(http.StatusOK, "POST", "/_graphmock/reset", "")
			if e.s.TenantID() != defaultTenantID || e.userCount() != 20 {
				t.Fatalf("reset after seed: tenant %s, %d users", e.s.TenantID(), e.userCount())
			}
		})
	}
}

func TestSeedIsAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	_, before := e.do("GET", "/_graphmock/export", "")
	// The first user is valid, the second is not: nothing of the fixture may be applied.
	bad := strings.Replace(smallFixture, `"users": [`, `"users": [{"accountEnabled": true, "displayName": "Bo", "mailNickname": "bo",
    "userPrincipalName": "bo@small.example", "passwordProfile": {"password": "x-Pa55word"}}, {"displayName": "no nickname"},`, 1)
	status, body := e.do("POST", "/_graphmock/seed", bad)
	wantError(t, status, body, 400, "BadRequest",
		"The fixture is invalid: users[1]: Request_BadRequest: Property mailNickname value is required but is empty or missing.")
	_, after := e.do("GET", "/_graphmock/export", "")
	if !bytes.Equal(before, after) || e.s.TenantID() != defaultTenantID {
		t.Fatal("a refused seed changed the tenant")
	}
}

func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	// Change the state in every way a fixture can carry.
	u := e.createUser("round.trip")
	uid := u["id"].(string)
	e.json(http.StatusNoContent, "PATCH", "/v1.0/users/"+uid, `{"jobTitle":"Tester","usageLocation":"FR","onPremisesExtensionAttributes":{"extensionAttribute3":"x"}}`)
	g := e.json(http.StatusCreated, "POST", "/v1.0/groups", `{"displayName":"RT","mailNickname":"rt","mailEnabled":false,"securityEnabled":true}`)
	gid := g["id"].(string)
	e.json(http.StatusNoContent, "POST", "/v1.0/groups/"+gid+"/members/$ref", `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/`+uid+`"}`)
	e.json(http.StatusNoContent, "POST", "/v1.0/groups/"+gid+"/owners/$ref", `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/`+uid+`"}`)
	e.json(http.StatusNoContent, "DELETE", "/v1.0/users/8267774c-a6bd-5979-9094-4f03f60356ea", "")
	e.json(http.StatusOK, "POST", "/v1.0/users/"+uid+"/assignLicense",
		`{"addLicenses":[{"skuId":"efccb6f7-5641-4e0e-bd10-b4976e1bf68e","disabledPlans":[]}],"removeLicenses":[]}`)
	e.json(http.StatusOK, "POST", "/_graphmock/processing/drain", "")
	licensing := func() (string, string) {
		_, users := e.do("GET", "/v1.0/users?$select=id,assignedLicenses&$top=999", "")
		_, skus := e.do("GET", "/v1.0/subscribedSkus?$select=skuId,consumedUnits", "")
		return string(users), string(skus)
	}
	usersBefore, skusBefore := licensing()

	status, first := e.do("GET", "/_graphmock/export", "")
	if status != http.StatusOK {
		t.Fatalf("export: %d %s", status, first)
	}
	var doc struct {
		Organization   map[string]any   `json:"organization"`
		SubscribedSkus []map[string]any `json:"subscribedSkus"`
		Users          []map[string]any `json:"users"`
		Groups         []map[string]any `json:"groups"`
	}
	if err := json.Unmarshal(first, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Organization["id"] != defaultTenantID || len(doc.SubscribedSkus) == 0 || len(doc.Users) != 21 || len(doc.Groups) != 7 {
		t.Fatalf("export shape: org %v, %d skus, %d users, %d groups", doc.Organization["id"], len(doc.SubscribedSkus), len(doc.Users), len(doc.Groups))
	}
	if _, ok := doc.SubscribedSkus[0]["prepaidUnits"].(map[string]any)["enabled"]; !ok {
		t.Fatalf("sku without seats: %v", doc.SubscribedSkus[0])
	}
	var sawDeleted, sawLinks bool
	for _, u := range doc.Users {
		if u["id"] == "8267774c-a6bd-5979-9094-4f03f60356ea" {
			sawDeleted = u["deletedDateTime"] != nil
		}
		if u["passwordProfile"] == nil || u["createdDateTime"] == nil {
			t.Fatalf("user without password or createdDateTime: %v", u)
		}
	}
	for _, g := range doc.Groups {
		if g["id"] == gid {
			sawLinks = len(g["members"].([]any)) == 1 && len(g["owners"].([]any)) == 1
		}
	}
	if !sawDeleted || !sawLinks {
		t.Fatalf("export lost the deleted user (%v) or the links (%v)", sawDeleted, sawLinks)
	}

	e.json(http.StatusOK, "POST", "/_graphmock/seed", string(first))
	_, second := e.do("GET", "/_graphmock/export", "")
	if !bytes.Equal(first, second) {
		t.Fatalf("export → seed → export differs:\n%s\n%s", first, second)
	}
	// Direct and group licenses, and so seats, are recomputed to what they were.
	if usersAfter, skusAfter := licensing(); usersAfter != usersBefore || skusAfter != skusBefore {
		t.Fatalf("licensing differs after reload:\n%s\n%s\n%s\n%s", usersBefore, usersAfter, skusBefore, skusAfter)
	}
	// The reloaded state serves Graph as before.
	e.json(http.StatusOK, "GET", "/v1.0/directory/deletedItems/8267774c-a6bd-5979-9094-4f03f60356ea", "")
	if n := len(values(e.json(http.StatusOK, "GET", "/v1.0/groups/"+gid+"/members", ""))); n != 1 {
		t.Fatalf("%d members after reload", n)
	}
	// Group licenses survive the round trip and are applied to the members again.
	var licensed int
	for _, g := range values(e.json(http.StatusOK, "GET", "/v1.0/groups?$select=displayName,assignedLicenses", "")) {
		if len(g.(map[string]any)["assignedLicenses"].([]any)) > 0 {
			licensed++
		}
	}
	jordan := e.json(http.StatusOK, "GET", "/v1.0/users/jordan.okafor@larkspur.example?$select=assignedLicenses", "")
	if licensed == 0 || len(jordan["assignedLicenses"].([]any)) == 0 {
		t.Fatalf("licenses lost in the round trip: %d licensed groups, jordan %v", licensed, jordan)
	}
	// The export is also a fixture the server starts from.
	e2 := newEnv(t, graphmock.Options{Seed: first})
	_, third := e2.do("GET", "/_graphmock/export", "")
	if !bytes.Equal(first, third) {
		t.Fatal("a server seeded with an export exports something else")
	}
}

func TestSnapshots(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{DeterministicIDs: "snapshots"})
	got := e.json(http.StatusCreated, "POST", "/_graphmock/snapshots", `{"name":"baseline"}`)
	if got["name"] != "baseline" || got["createdDateTime"] == nil {
		t.Fatalf("snapshot answered %v", got)
	}
	first := e.createUser("after.snapshot")["id"]
	e.json(http.StatusCreated, "POST", "/_graphmock/snapshots", `{"name":"with-user"}`)
	list := values(e.json(http.StatusOK, "GET", "/_graphmock/snapshots", ""))
	if len(list) != 2 || list[0].(map[string]any)["name"] != "baseline" || list[1].(map[string]any)["name"] != "with-user" {
		t.Fatalf("snapshots = %v", list)
	}

	got = e.json(http.StatusOK, "POST", "/_graphmock/snapshots/baseline/restore", "")
	if got["name"] != "baseline" || e.userCount() != 20 {
		t.Fatalf("restore answered %v with %d users", got, e.userCount())
	}
	// Restoring rewinds deterministic ids: the same request makes the same id again.
	if again := e.createUser("after.snapshot")["id"]; again != first {
		t.Fatalf("id after restore %v, want %v", again, first)
	}
	e.createUser("second.user")
	e.json(http.StatusOK, "POST", "/_graphmock/snapshots/with-user/restore", "")
	if e.userCount() != 21 {
		t.Fatalf("%d users after restoring with-user", e.userCount())
	}
	// A snapshot can be restored any number of times.
	e.json(http.StatusOK, "POST", "/_graphmock/snapshots/baseline/restore", "")
	e.json(http.StatusOK, "POST", "/_graphmock/snapshots/baseline/restore", "")
	if e.userCount() != 20 {
		t.Fatalf("%d users after restoring baseline twice", e.userCount())
	}
	e.json(http.StatusNoContent, "DELETE", "/_graphmock/snapshots/baseline", "")
	if n := len(values(e.json(http.StatusOK, "GET", "/_graphmock/snapshots", ""))); n != 1 {
		t.Fatalf("%d snapshots after delete", n)
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		freeze      string
		advance     string
		wantCreated string
	}{
		{"frozen", "2030-01-02T03:04:05Z", "", "2030-01-02T03:04:05Z"},
		{"frozen and advanced", "2030-01-02T03:04:05Z", "1h30m", "2030-01-02T04:34:05Z"},
		{"fraction kept, shown to the second", "2031-06-30T23:59:59.75Z", "", "2031-06-30T23:59:59Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, graphmock.Options{})
			got := e.json(http.StatusOK, "PUT", "/_graphmock/clock", `{"frozen":true,"time":"`+tc.freeze+`"}`)
			if got["frozen"] != true || got["time"] != tc.freeze {
				t.Fatalf("PUT clock answered %v", got)
			}
			if tc.advance != "" {
				got = e.json(http.StatusOK, "POST", "/_graphmock/clock/advance", `{"duration":"`+tc.advance+`"}`)
				if got["frozen"] != true {
					t.Fatalf("advance answered %v", got)
				}
			}
			u := e.createUser("clock.user")
			full := e.json(http.StatusOK, "GET", "/v1.0/users/"+u["id"].(string)+"?$select=createdDateTime", "")
			if full["createdDateTime"] != tc.wantCreated {
				t.Fatalf("createdDateTime %v, want %s", full["createdDateTime"], tc.wantCreated)
			}
			got = e.json(http.StatusOK, "GET", "/_graphmock/clock", "")
			if got["frozen"] != true {
				t.Fatalf("GET clock answered %v", got)
			}
			got = e.json(http.StatusOK, "PUT", "/_graphmock/clock", `{"frozen":false}`)
			if got["frozen"] != false {
				t.Fatalf("unfreeze answered %v", got)
			}
		})
	}
}

func TestClockRunsFromGivenTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	got := e.json(http.StatusOK, "PUT", "/_graphmock/clock", `{"frozen":false,"time":"2040-01-01T00:00:00Z"}`)
	if got["frozen"] != false || !strings.HasPrefix(got["time"].(string), "2040-01-01T00:00:0") {
		t.Fatalf("PUT clock answered %v", got)
	}
}

func TestClockNotSteerable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{Clock: fixedClock{}})
	status, body := e.do("POST", "/_graphmock/clock/advance", `{"duration":"1h"}`)
	wantError(t, status, body, 409, "Conflict", "The server's clock is not an engine.ManualClock; it can't be frozen or advanced.")
	if got := e.json(http.StatusOK, "GET", "/_graphmock/clock", ""); got["frozen"] != false {
		t.Fatalf("GET clock answered %v", got)
	}
}

func TestJournal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	e.json(http.StatusOK, "GET", "/v1.0/users?$select=id", "", "client-request-id", "c-1")
	e.createUser("journal.user")
	e.json(http.StatusOK, "GET", "/v1.0/groups", "")
	e.do("GET", "/v1.0/nothing", "")
	e.json(http.StatusOK, "GET", "/_graphmock/clock", "") // control plane: not journaled

	tests := []struct {
		query string
		paths []string
	}{
		{"", []string{"/v1.0/users", "/v1.0/users", "/v1.0/groups", "/v1.0/nothing"}},
		{"?method=post", []string{"/v1.0/users"}},
		{"?method=GET&path=/v1.0/users", []string{"/v1.0/users"}},
		{"?path=GROUPS", []string{"/v1.0/groups"}},
		{"?path=/v1.0/", []string{"/v1.0/users", "/v1.0/users", "/v1.0/groups", "/v1.0/nothing"}},
		{"?method=DELETE", nil},
	}
	for _, tc := range tests {
		got := values(e.json(http.StatusOK, "GET", "/_graphmock/journal"+tc.query, ""))
		if len(got) != len(tc.paths) {
			t.Fatalf("journal%s: %d entries, want %d: %v", tc.query, len(got), len(tc.paths), got)
		}
		for i, p := range tc.paths {
			if got[i].(map[string]any)["path"] != p {
				t.Fatalf("journal%s[%d] = %v, want path %s", tc.query, i, got[i], p)
			}
		}
	}
	all := values(e.json(http.StatusOK, "GET", "/_graphmock/journal", ""))
	get := all[0].(map[string]any)
	if get["method"] != "GET" || get["query"] != "$select=id" || get["status"] != float64(200) || get["clientRequestId"] != "c-1" ||
		get["requestId"] == "" || get["dateTime"] == nil || get["sequence"] != float64(1) || get["body"] != nil {
		t.Fatalf("GET entry = %v", get)
	}
	post := all[1].(map[string]any)
	if post["status"] != float64(201) || post["body"].(map[string]any)["mailNickname"] != "journal.user" {
		t.Fatalf("POST entry = %v", post)
	}
	if all[3].(map[string]any)["status"] != float64(400) {
		t.Fatalf("unknown path entry = %v", all[3])
	}

	e.json(http.StatusNoContent, "DELETE", "/_graphmock/journal", "")
	if got := values(e.json(http.StatusOK, "GET", "/_graphmock/journal", "")); len(got) != 0 {
		t.Fatalf("journal after clear: %v", got)
	}
}

func TestJournalIsBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{JournalLimit: 3})
	for _, p := range []string{"/v1.0/users", "/v1.0/groups", "/v1.0/organization", "/v1.0/subscribedSkus", "/v1.0/users/$count"} {
		e.do("GET", p, "")
	}
	got := e.json(http.StatusOK, "GET", "/_graphmock/journal", "")
	v := values(got)
	if len(v) != 3 || got["dropped"] != float64(2) || v[0].(map[string]any)["path"] != "/v1.0/organization" || v[2].(map[string]any)["sequence"] != float64(5) {
		t.Fatalf("bounded journal = %v", got)
	}
	off := newEnv(t, graphmock.Options{JournalLimit: -1})
	off.do("GET", "/v1.0/users", "")
	if n := len(values(off.json(http.StatusOK, "GET", "/_graphmock/journal", ""))); n != 0 {
		t.Fatalf("disabled journal kept %d entries", n)
	}
}

func TestTenants(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	got := e.json(http.StatusCreated, "POST", "/_graphmock/tenants", smallFixture)
	if got["id"] != otherTenantID || got["displayName"] != "Small" || got["default"] != false || got["users"] != float64(1) || got["subscribedSkus"] != float64(1) {
		t.Fatalf("create tenant answered %v", got)
	}
	list := values(e.json(http.StatusOK, "GET", "/_graphmock/tenants", ""))
	if len(list) != 2 || list[0].(map[string]any)["id"] != otherTenantID || list[1].(map[string]any)["default"] != true {
		t.Fatalf("tenants = %v", list)
	}
	got = e.json(http.StatusOK, "GET", "/_graphmock/tenants/"+strings.ToUpper(otherTenantID), "")
	if got["id"] != otherTenantID {
		t.Fatalf("get tenant answered %v", got)
	}
	if _, ok := e.s.TenantStore(otherTenantID); !ok {
		t.Fatal("TenantStore does not find the new tenant")
	}
	e.json(http.StatusNoContent, "DELETE", "/_graphmock/tenants/"+otherTenantID, "")
	status, body := e.do("GET", "/v1.0/users", "", graphmock.TenantHeader, otherTenantID)
	wantError(t, status, body, 404, "Request_ResourceNotFound", "Tenant '"+otherTenantID+"' not found.")
}

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	e.json(http.StatusCreated, "POST", "/_graphmock/tenants", otherTenantFixture(t))
	other := []string{graphmock.TenantHeader, otherTenantID}

	// Same user principal name in both tenants: no clash.
	e.createUser("isolated", other...)
	e.createUser("isolated")
	e.createUser("only.other", other...)
	if a, b := e.userCount(), e.userCount(other...); a != 21 || b != 5 {
		t.Fatalf("users: default %d, other %d", a, b)
	}
	org := values(e.json(http.StatusOK, "GET", "/v1.0/organization", "", other...))
	if org[0].(map[string]any)["displayName"] != "Other Org" {
		t.Fatalf("organization of other tenant: %v", org)
	}
	status, body := e.do("GET", "/v1.0/users/only.other@larkspur.example", "")
	if status != http.StatusNotFound {
		t.Fatalf("default tenant sees the other tenant's user: %d %s", status, body)
	}

	// Control-plane operations act on the addressed tenant only.
	e.json(http.StatusOK, "PUT", "/_graphmock/clock", `{"frozen":true,"time":"2035-05-05T05:05:05Z"}`, other...)
	if got := e.json(http.StatusOK, "GET", "/_graphmock/clock", ""); got["frozen"] != false {
		t.Fatalf("freezing one tenant's clock froze the default's: %v", got)
	}
	e.json(http.StatusCreated, "POST", "/_graphmock/snapshots", `{"name":"mine"}`, other...)
	if n := len(values(e.json(http.StatusOK, "GET", "/_graphmock/snapshots", ""))); n != 0 {
		t.Fatalf("default tenant lists %d snapshots of another", n)
	}
	if n := len(values(e.json(http.StatusOK, "GET", "/_graphmock/journal", "", other...))); n != 4 {
		t.Fatalf("other tenant journal has %d entries, want 4", n)
	}
	e.json(http.StatusOK, "POST", "/_graphmock/reset", "", other...)
	if a, b := e.userCount(), e.userCount(other...); a != 21 || b != 3 {
		t.Fatalf("after resetting other: default %d, other %d", a, b)
	}
	status, _ = e.do("GET", "/_graphmock/export", "", other...)
	if status != http.StatusOK {
		t.Fatalf("export of other tenant: %d", status)
	}
	// Seeding a tenant with an organization that another tenant has is refused and changes nothing.
	status, body = e.do("POST", "/_graphmock/seed", string(graphmock.DefaultTenantFixture()), other...)
	wantError(t, status, body, 409, "Conflict", "Tenant '"+defaultTenantID+"' already exists.")
	if b := e.userCount(other...); b != 3 {
		t.Fatalf("refused seed changed the tenant: %d users", b)
	}
}

func TestExportRoundTripFixtures(t *testing.T) {
	t.Parallel()
	org := `"organization": {"id": "` + otherTenantID + `", "displayName": "RT", "countryLetterCode": "GB",
    "verifiedDomains": [{"name": "rt.example", "isDefault": true, "isInitial": true}]}`
	user := func(id, nick, extra string) string {
		return `{"id": "` + id + `", "accountEnabled": true, "displayName": "` + nick + `", "mailNickname": "` + nick +
			`", "userPrincipalName": "` + nick + `@rt.example", "passwordProfile": {"password": "x-Pa55word"}` + extra + `}`
	}
	tests := []struct {
		name, fixture string
		users         int
	}{
		{"no subscriptions", `{` + org + `, "subscribedSkus": []}`, 0},
		{"custom product and replaced plans", `{` + org + `, "subscribedSkus": [
			{"skuPartNumber": "CUSTOM_PACK", "skuId": "aaaaaaaa-0000-4000-8000-000000000001", "capabilityStatus": "Warning",
			 "prepaidUnits": {"enabled": 5, "warning": 2}, "subscriptionIds": ["aaaaaaaa-0000-4000-8000-0000000000ff"],
			 "servicePlans": [{"servicePlanId": "AAAAAAAA-0000-4000-8000-000000000002", "servicePlanName": "CUSTOM_PLAN", "service": "custom", "provisioningStatus": "PendingActivation"},
			                  {"servicePlanId": "aaaaaaaa-0000-4000-8000-000000000003", "servicePlanName": "COMPANY_PLAN", "appliesTo": "Company"}]},
			{"skuPartNumber": "ENTERPRISEPACK", "prepaidUnits": {"enabled": 1},
			 "servicePlans": [{"servicePlanId": "aaaaaaaa-0000-4000-8000-000000000004", "servicePlanName": "ONLY_PLAN"}]}]}`, 0},
		{"deleted user sharing a name with an active one", `{` + org + `, "users": [
			` + user("aaaaaaaa-0000-4000-8000-00000000000a", "sam", `, "deletedDateTime": "2030-01-01T00:00:00.123Z"`) + `,
			` + user("aaaaaaaa-0000-4000-8000-00000000000b", "sam", `, "createdDateTime": "2029-01-01T00:00:00Z"`) + `],
			"groups": [{"id": "aaaaaaaa-0000-4000-8000-00000000000c", "displayName": "G", "mailNickname": "g", "mailEnabled": false, "securityEnabled": true,
			  "members": ["aaaaaaaa-0000-4000-8000-00000000000a", "aaaaaaaa-0000-4000-8000-00000000000b"], "owners": ["sam@rt.example"]},
			  {"id": "aaaaaaaa-0000-4000-8000-00000000000d", "displayName": "Gone", "mailNickname": "g", "mailEnabled": false, "securityEnabled": true,
			  "deletedDateTime": "2030-02-01T00:00:00Z", "members": ["aaaaaaaa-0000-4000-8000-00000000000b"]}]}`, 1},
		{"lifecycle and identity properties", `{` + org + `, "users": [` + user("aaaaaaaa-0000-4000-8000-00000000000a", "lee",
			`, "passwordPolicies": "DisableStrongPassword", "employeeHireDate": "2024-03-01T09:00:00Z", "employeeLeaveDateTime": "2030-01-01T00:00:00Z",
			  "ageGroup": "Adult", "consentProvidedForMinor": "NotRequired", "onPremisesImmutableId": "bGVl", "showInAddressList": false,
			  "employeeOrgData": {"division": "Retail"}, "identities": [{"signInType": "federated", "issuer": "idp.example", "issuerAssignedId": "lee"}]`) + `]}`, 1},
		{"dynamic and nested groups", `{` + org + `, "users": [` + user("aaaaaaaa-0000-4000-8000-00000000000a", "kim", "") + `],
			"groups": [{"displayName": "Dyn", "mailNickname": "dyn", "mailEnabled": false, "securityEnabled": true,
			  "groupTypes": ["DynamicMembership"], "membershipRule": "user.department -eq \"X\"", "members": ["kim@rt.example"]},
			  {"displayName": "Outer", "mailNickname": "outer", "mailEnabled": false, "securityEnabled": true, "members": ["dyn"]},
			  {"displayName": "Team", "mailNickname": "team", "mailEnabled": true, "securityEnabled": false, "groupTypes": ["Unified"], "members": ["kim@rt.example"]}]}`, 1},
		{"mail-enabled groups and shared mailNicknames", `{` + org + `, "users": [` + user("aaaaaaaa-0000-4000-8000-00000000000a", "kim", "") + `],
			"groups": [{"displayName": "Mail security", "mailNickname": "mailsec", "mailEnabled": true, "securityEnabled": true,
			  "members": ["kim@rt.example"], "assignedLicenses": [{"skuPartNumber": "ENTERPRISEPACK"}]},
			  {"displayName": "Distribution", "mailNickname": "dl", "mailEnabled": true, "securityEnabled": false, "members": ["kim@rt.example", "mailsec"]},
			  {"displayName": "One", "mailNickname": "NotSet", "mailEnabled": false, "securityEnabled": true},
			  {"displayName": "Two", "mailNickname": "NotSet", "mailEnabled": false, "securityEnabled": true, "members": ["kim@rt.example"]}]}`, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, graphmock.Options{Seed: []byte(tc.fixture), DeterministicIDs: tc.name})
			if n := e.userCount(); n != tc.users {
				t.Fatalf("%d users, want %d", n, tc.users)
			}
			_, first := e.do("GET", "/_graphmock/export", "")
			e.json(http.StatusOK, "POST", "/_graphmock/seed", string(first))
			_, second := e.do("GET", "/_graphmock/export", "")
			if !bytes.Equal(first, second) {
				t.Fatalf("export → seed → export differs:\n%s\n%s", first, second)
			}
			skus := values(e.json(http.StatusOK, "GET", "/v1.0/subscribedSkus", ""))
			var fx struct {
				SubscribedSkus []json.RawMessage `json:"subscribedSkus"`
			}
			_ = json.Unmarshal([]byte(tc.fixture), &fx)
			if fx.SubscribedSkus != nil && len(skus) != len(fx.SubscribedSkus) {
				t.Fatalf("%d subscribed SKUs, want %d", len(skus), len(fx.SubscribedSkus))
			}
		})
	}
}

func TestRestoreRekeysTenant(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	e.json(http.StatusCreated, "POST", "/_graphmock/snapshots", `{"name":"larkspur"}`)
	e.json(http.StatusOK, "POST", "/_graphmock/seed", smallFixture)
	if e.s.TenantID() != otherTenantID {
		t.Fatalf("tenant %s after seeding another organization", e.s.TenantID())
	}
	// Snapshots and the journal follow the tenant to its new id.
	e.json(http.StatusOK, "POST", "/_graphmock/snapshots/larkspur/restore", "", graphmock.TenantHeader, otherTenantID)
	if e.s.TenantID() != defaultTenantID || e.userCount() != 20 {
		t.Fatalf("tenant %s with %d users after restore", e.s.TenantID(), e.userCount())
	}
	status, body := e.do("GET", "/v1.0/users", "", graphmock.TenantHeader, otherTenantID)
	wantError(t, status, body, 404, "Request_ResourceNotFound", "Tenant '"+otherTenantID+"' not found.")
}

// TestConcurrentTenants runs Graph and control-plane traffic on several tenants at once (for -race).
func TestConcurrentTenants(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	ids := []string{"aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000003"}
	for _, id := range ids {
		e.json(http.StatusCreated, "POST", "/_graphmock/tenants", strings.Replace(smallFixture, otherTenantID, id, 1))
	}
	done := make(chan error, len(ids))
	for _, id := range ids {
		go func(id string) {
			h := []string{graphmock.TenantHeader, id}
			for i := 0; i < 20; i++ {
				nick := "u" + string(rune('a'+i))
				req := `{"accountEnabled":true,"displayName":"x","mailNickname":"` + nick + `","userPrincipalName":"` + nick + `@small.example","passwordProfile":{"password":"x-Pa55word"}}`
				if st, b := e.doNoFatal("POST", "/v1.0/users", req, h...); st != http.StatusCreated {
					done <- &testErr{id + ": create: " + string(b)}
					return
				}
				if i == 5 {
					e.doNoFatal("POST", "/_graphmock/snapshots", `{"name":"s"}`, h...)
				}
				if i%7 == 0 {
					e.doNoFatal("GET", "/_graphmock/export", "", h...)
					e.doNoFatal("GET", "/_graphmock/journal", "", h...)
				}
			}
			if st, b := e.doNoFatal("POST", "/_graphmock/snapshots/s/restore", "", h...); st != http.StatusOK {
				done <- &testErr{id + ": restore: " + string(b)}
				return
			}
			done <- nil
		}(id)
	}
	for range ids {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if n := e.userCount(graphmock.TenantHeader, id); n != 7 {
			t.Fatalf("tenant %s has %d users after restore, want 7", id, n)
		}
	}
	if n := e.userCount(); n != 20 {
		t.Fatalf("default tenant has %d users", n)
	}
}

type testErr struct{ s string }

func (e *testErr) Error() string { return e.s }

// doNoFatal is do for goroutines other than the test's: failures come back as status 0.
func (e *env) doNoFatal(method, path, body string, headers ...string) (int, []byte) {
	req, err := http.NewRequest(method, "http://graphmock.test"+path, strings.NewReader(body))
	if err != nil {
		return 0, []byte(err.Error())
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.c.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// TestSnapshotKeepsQueuedProcessing: a snapshot taken while group license processing waits in the
// queue (manual mode) brings the waiting work back on restore.
func TestSnapshotKeepsQueuedProcessing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{ProcessingMode: "manual"})
	const group = "e8b06ed2-0d9a-5824-af71-776391a1ec60" // Contractors
	e.json(http.StatusAccepted, "POST", "/v1.0/groups/"+group+"/assignLicense",
		`{"addLicenses":[{"skuId":"efccb6f7-5641-4e0e-bd10-b4976e1bf68e","disabledPlans":[]}],"removeLicenses":[]}`)
	pending := func() any { return e.json(http.StatusOK, "GET", "/_graphmock/processing", "")["pending"] }
	state := func() any {
		g := e.json(http.StatusOK, "GET", "/v1.0/groups/"+group+"?$select=licenseProcessingState", "")
		return g["licenseProcessingState"].(map[string]any)["state"]
	}
	if pending() != float64(1) || state() != "QueuedForProcessing" {
		t.Fatalf("before snapshot: pending %v, state %v", pending(), state())
	}
	e.json(http.StatusCreated, "POST", "/_graphmock/snapshots", `{"name":"queued"}`)
	e.json(http.StatusOK, "POST", "/_graphmock/processing/drain", "")
	if pending() != float64(0) || state() != "ProcessingComplete" {
		t.Fatalf("after drain: pending %v, state %v", pending(), state())
	}
	e.json(http.StatusOK, "POST", "/_graphmock/snapshots/queued/restore", "")
	if pending() != float64(1) || state() != "QueuedForProcessing" {
		t.Fatalf("after restore: pending %v, state %v", pending(), state())
	}
	e.json(http.StatusOK, "POST", "/_graphmock/processing/drain", "")
	if pending() != float64(0) || state() != "ProcessingComplete" {
		t.Fatalf("after the second drain: pending %v, state %v", pending(), state())
	}
	// Reset empties the queue: the seed's state has nothing waiting.
	e.json(http.StatusAccepted, "POST", "/v1.0/groups/"+group+"/assignLicense",
		`{"addLicenses":[],"removeLicenses":["efccb6f7-5641-4e0e-bd10-b4976e1bf68e"]}`)
	e.json(http.StatusOK, "POST", "/_graphmock/reset", "")
	if pending() != float64(0) {
		t.Fatalf("after reset: pending %v", pending())
	}
}

// TestBatchItemsAddressTheBatchTenant: items of a $batch sent with X-Graphmock-Tenant act on that
// tenant, and the journal records the batch and each item.
func TestBatchItemsAddressTheBatchTenant(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	e.json(http.StatusCreated, "POST", "/_graphmock/tenants", smallFixture)
	other := []string{graphmock.TenantHeader, otherTenantID}
	batch := `{"requests":[{"id":"1","method":"POST","url":"/users","headers":{"Content-Type":"application/json"},
	  "body":{"accountEnabled":true,"displayName":"Bo","mailNickname":"bo","userPrincipalName":"bo@small.example","passwordProfile":{"password":"Pa55-word!"}}}]}`
	got := e.json(http.StatusOK, "POST", "/v1.0/$batch", batch, other...)
	item := got["responses"].([]any)[0].(map[string]any)
	if item["status"] != float64(201) {
		t.Fatalf("batch item answered %v", item)
	}
	if a, b := e.userCount(), e.userCount(other...); a != 20 || b != 2 {
		t.Fatalf("users: default %d, other %d", a, b)
	}
	posts := values(e.json(http.StatusOK, "GET", "/_graphmock/journal?method=POST", "", other...))
	if len(posts) != 2 || posts[0].(map[string]any)["path"] != "/v1.0/users" || posts[1].(map[string]any)["path"] != "/v1.0/$batch" {
		t.Fatalf("journal of the batch tenant: %v", posts)
	}
}

// TestClockSteersReplicationLag: replication lag is measured on the addressed tenant's clock, so
// advancing it makes a new object visible.
func TestClockSteersReplicationLag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		headers []string
	}{
		{"default tenant", nil},
		{"another tenant", []string{graphmock.TenantHeader, otherTenantID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, graphmock.Options{ReplicationDelay: time.Hour})
			e.json(http.StatusCreated, "POST", "/_graphmock/tenants", otherTenantFixture(t))
			id := e.createUser("lagging", tc.headers...)["id"].(string)
			status, body := e.do("GET", "/v1.0/users/"+id, "", tc.headers...)
			if status != http.StatusNotFound {
				t.Fatalf("new user visible at once: %d %s", status, body)
			}
			e.json(http.StatusOK, "POST", "/_graphmock/clock/advance", `{"duration":"61m"}`, tc.headers...)
			e.json(http.StatusOK, "GET", "/v1.0/users/"+id, "", tc.headers...)
		})
	}
}

func TestResetOfDefaultTenantClearsTraffic(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	e.json(http.StatusCreated, "POST", "/_graphmock/tenants", smallFixture)
	if _, err := e.s.AddFault(graphmock.FaultRule{Path: "/organization", Status: 503}); err != nil {
		t.Fatal(err)
	}
	e.json(http.StatusOK, "POST", "/_graphmock/reset", "", graphmock.TenantHeader, otherTenantID)
	if n := len(e.s.Faults()); n != 1 {
		t.Fatalf("resetting another tenant removed fault rules: %d left", n)
	}
	e.json(http.StatusOK, "POST", "/_graphmock/reset", "")
	if n := len(e.s.Faults()); n != 0 {
		t.Fatalf("resetting the default tenant kept %d fault rules", n)
	}
	e.json(http.StatusOK, "GET", "/v1.0/organization", "")
}

// TestExportKeepsApplications: app registrations survive export → seed, so tokens keep working.
func TestExportKeepsApplications(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	err := e.s.AddApplication(graphmock.FixtureApplication{AppID: "aaaaaaaa-0000-4000-8000-0000000000a1", DisplayName: "Sync job",
		PasswordCredentials:    []graphmock.FixturePasswordCredential{{SecretText: "s3cret"}},
		ApplicationPermissions: []string{"User.Read.All"}})
	if err != nil {
		t.Fatal(err)
	}
	_, first := e.do("GET", "/_graphmock/export", "")
	if !bytes.Contains(first, []byte(`"appId": "aaaaaaaa-0000-4000-8000-0000000000a1"`)) || !bytes.Contains(first, []byte(`"secretText": "s3cret"`)) {
		t.Fatalf("export lacks the application:\n%s", first)
	}
	e.json(http.StatusOK, "POST", "/_graphmock/seed", string(first))
	_, second := e.do("GET", "/_graphmock/export", "")
	if !bytes.Equal(first, second) {
		t.Fatalf("export → seed → export differs:\n%s\n%s", first, second)
	}
}
