package graphmock

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"strings"
	"testing"
)

func TestResponseHeaders(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "GET", "/v1.0/users", nil)
	if r.header.Get("OData-Version") != "4.0" || r.header.Get("Content-Type") != jsonContentType {
		t.Fatalf("headers = %v", r.header)
	}
	rid := r.header.Get("request-id")
	if len(rid) != 36 || r.header.Get("client-request-id") != rid {
		t.Fatalf("request-id %q client-request-id %q", rid, r.header.Get("client-request-id"))
	}
	e := call(t, s, "GET", "/v1.0/users/"+notFoundID, nil, "client-request-id", "my-own-id")
	if e.header.Get("client-request-id") != "my-own-id" {
		t.Fatalf("client-request-id not echoed: %v", e.header)
	}
	inner := e.body["error"].(map[string]any)["innerError"].(map[string]any)
	if inner["client-request-id"] != "my-own-id" || strings.ContainsAny(inner["date"].(string), "Z.") || len(inner["date"].(string)) != 19 {
		t.Fatalf("innerError = %v", inner)
	}
}

func TestPathsAreCaseInsensitive(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, p := range []string{"/V1.0/USERS", "/v1.0/Users/" + strings.ToUpper(adminUPN), "/beta/users", "/v1.0/Directory/DeletedItems/Microsoft.Graph.User",
		"/v1.0/directory/deletedItems/graph.user", "/v1.0/directory/deletedItems/Graph.Group"} {
		call(t, s, "GET", p, nil).wantStatus(t, 200)
	}
	r := call(t, s, "GET", "/beta/users?$top=1", nil)
	if !strings.HasPrefix(r.str("@odata.context"), "http://graph.test/beta/$metadata#") {
		t.Fatalf("beta context = %q", r.str("@odata.context"))
	}
	// A path variable keeps the client's spelling in messages.
	call(t, s, "GET", "/v1.0/users/Nobody@Larkspur.example", nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg("Nobody@Larkspur.example"))
}

func TestRoutingErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	call(t, s, "PUT", "/v1.0/users", nil).wantError(t, 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
	call(t, s, "GET", "/v1.0/widgets", nil).wantError(t, 400, "BadRequest", "Resource not found for the segment 'widgets'.")
	call(t, s, "GET", "/nowhere", nil).wantError(t, 404, "NotFound", "No Microsoft Graph route matches GET /nowhere.")
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	big := `{"displayName":"` + strings.Repeat("a", maxBodyBytes) + `"}`
	call(t, s, "POST", "/v1.0/users", big).wantError(t, 413, "RequestEntityTooLarge", "The request body is larger than the 4 MB Microsoft Graph accepts.")
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "GET", "/_graphmock/healthz", nil)
	if r.status != 200 || !strings.Contains(string(r.raw), `"ok"`) {
		t.Fatalf("healthz = %d %s", r.status, r.raw)
	}
}

func TestSeedOptions(t *testing.T) {
	t.Parallel()
	empty, err := New(Options{Empty: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(call(t, empty, "GET", "/v1.0/users", nil).values(t)); n != 0 {
		t.Fatalf("empty tenant has %d users", n)
	}
	if n := len(call(t, empty, "GET", "/v1.0/subscribedSkus", nil).values(t)); n != 9 {
		t.Fatalf("empty tenant has %d SKUs, want its subscriptions", n)
	}
	fx := `{"organization":{"id":"11111111-2222-4333-8444-555555555555","displayName":"Tiny","countryLetterCode":"NZ",
	  "verifiedDomains":[{"name":"tiny.example","isDefault":true,"isInitial":true}]},
	  "subscribedSkus":[{"skuPartNumber":"ENTERPRISEPACK","prepaidUnits":{"enabled":2}}],
	  "users":[{"displayName":"Solo","mailNickname":"solo","userPrincipalName":"solo@tiny.example","accountEnabled":true,
	            "passwordProfile":{"password":"x-Pa55word"}}],
	  "groups":[{"displayName":"Only","mailNickname":"only","mailEnabled":false,"securityEnabled":true,"members":["solo@tiny.example"]}]}`
	tiny, err := New(Options{Seed: []byte(fx)})
	if err != nil {
		t.Fatal(err)
	}
	if tiny.TenantID() != "11111111-2222-4333-8444-555555555555" {
		t.Fatalf("tenant = %s", tiny.TenantID())
	}
	gid := call(t, tiny, "GET", "/v1.0/groups", nil).values(t)[0]["id"].(string)
	if n := len(call(t, tiny, "GET", "/v1.0/groups/"+gid+"/members", nil).values(t)); n != 1 {
		t.Fatalf("members = %d", n)
	}
	for _, bad := range []string{
		`{"organization":{"id":"nope","verifiedDomains":[{"name":"a.example"}]}}`,
		`{"organization":{"id":"11111111-2222-4333-8444-555555555555"}}`,
		`{"organization":{"id":"11111111-2222-4333-8444-555555555555","verifiedDomains":[{"name":"a.example"}]},"users":[{"displayName":"x"}]}`,
		`{"organization":{"id":"11111111-2222-4333-8444-555555555555","verifiedDomains":[{"name":"a.example"}]},"subscribedSkus":[{"skuPartNumber":"NOPE"}]}`,
		`{"bogus":1}`,
	} {
		if _, err := New(Options{Seed: []byte(bad)}); err == nil {
			t.Fatalf("fixture %s was accepted", bad)
		}
	}
}

func TestUnservedGraphOperationsAnswer501(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	uid := userID(t, s, adminUPN)
	call(t, s, "GET", "/v1.0/users/"+uid+"/ownedObjects", nil).wantError(t, 501, "NotImplemented",
		"graphmock does not implement the Microsoft Graph operation GET /users/{user-id}/ownedObjects.")
	call(t, s, "POST", "/v1.0/users/"+uid+"/checkMemberGroups", map[string]any{}).wantError(t, 501, "NotImplemented",
		"graphmock does not implement the Microsoft Graph operation POST /users/{user-id}/microsoft.graph.checkMemberGroups.")
	// A method the path doesn't have in Graph is a 405, not a 501.
	call(t, s, "PUT", "/v1.0/users/"+uid+"/manager", nil).wantError(t, 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
}

func TestServesOpenAPISubset(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := call(t, s, "GET", "/_graphmock/openapi.yaml", nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/yaml" || !strings.Contains(string(r.raw), `"/users/{user-id}":`) {
		t.Fatalf("openapi.yaml = %d %q", r.status, r.header.Get("Content-Type"))
	}
}

// Request bodies compressed with gzip (as the Graph SDKs' default middleware sends them) are
// read as plain JSON; other encodings are refused with 415.
func TestGzipRequestBodies(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gz := func(v any) string {
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(j)
		_ = zw.Close()
		return b.String()
	}
	r := call(t, s, "POST", "/v1.0/users", gz(newUserBody("gzipped")), "Content-Encoding", "gzip")
	r.wantStatus(t, 201)
	if r.str("userPrincipalName") != "gzipped@larkspur.example" {
		t.Fatalf("created %s", r.raw)
	}
	call(t, s, "PATCH", "/v1.0/users/gzipped@larkspur.example", gz(map[string]any{"city": "Oslo"}), "Content-Encoding", "GZIP").wantStatus(t, 204)
	if got := call(t, s, "GET", "/v1.0/users/gzipped@larkspur.example?$select=city", nil).str("city"); got != "Oslo" {
		t.Fatalf("city = %q after a gzipped PATCH", got)
	}
	call(t, s, "PATCH", "/v1.0/users/gzipped@larkspur.example", `{"city":"Bergen"}`, "Content-Encoding", "gzip").wantError(t, 400, "BadRequest",
		"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	call(t, s, "PATCH", "/v1.0/users/gzipped@larkspur.example", `{"city":"Bergen"}`, "Content-Encoding", "br").wantError(t, 415, "UnsupportedMediaType",
		"The Content-Encoding 'br' of the request body is not supported; send it uncompressed or gzip-compressed.")
}
