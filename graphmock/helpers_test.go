package graphmock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// response is a recorded response with its JSON body decoded (nil when not JSON).
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func newServer(t testing.TB) *Server {
	t.Helper()
	s, err := New(Options{DeterministicIDs: t.Name()})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// call sends one request to s; body is marshalled unless it is a string (sent verbatim).
func call(t testing.TB, s *Server, method, path string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, "http://graph.test"+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return decodeRecorded(t, rec)
}

// decodeRecorded turns a recorded answer into a response, its JSON body decoded.
func decodeRecorded(t testing.TB, rec *httptest.ResponseRecorder) response {
	t.Helper()
	res := response{status: rec.Code, header: rec.Header(), raw: rec.Body.Bytes()}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && len(res.raw) > 0 {
		if err := json.Unmarshal(res.raw, &res.body); err != nil {
			t.Fatalf("invalid JSON %q: %v", res.raw, err)
		}
	}
	return res
}

// wantError asserts a Graph error envelope with status, code and message.
func (r response) wantError(t testing.TB, status int, code, message string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
	e, _ := r.body["error"].(map[string]any)
	if e == nil {
		t.Fatalf("no error envelope: %s", r.raw)
	}
	if e["code"] != code || e["message"] != message {
		t.Fatalf("error = %q %q, want %q %q", e["code"], e["message"], code, message)
	}
	inner, _ := e["innerError"].(map[string]any)
	if inner == nil || inner["request-id"] != r.header.Get("request-id") || inner["date"] == nil {
		t.Fatalf("innerError = %v", e["innerError"])
	}
}

func (r response) wantStatus(t testing.TB, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
}

func (r response) values(t testing.TB) []map[string]any {
	t.Helper()
	vs, ok := r.body["value"].([]any)
	if !ok {
		t.Fatalf("no value array: %s", r.raw)
	}
	out := make([]map[string]any, len(vs))
	for i, v := range vs {
		out[i] = v.(map[string]any)
	}
	return out
}

func (r response) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

const (
	adminUPN   = "morgan.reyes@larkspur.example"
	tenantID   = "7d3f4a8e-2c1b-4e5f-9a6d-3b8c0e1f2a4d"
	e3SkuID    = "6fd2c87f-b296-42f0-b197-1e91e994b900"
	notFoundID = "00000000-0000-4000-8000-000000000001"
)

func notFoundMsg(id string) string {
	return "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present."
}

// newUserBody is a valid POST /users body.
func newUserBody(nick string) map[string]any {
	return map[string]any{
		"accountEnabled": true, "displayName": "Test " + nick, "mailNickname": nick,
		"userPrincipalName": nick + "@larkspur.example",
		"passwordProfile":   map[string]any{"password": "P@ssw0rd-1234", "forceChangePasswordNextSignIn": true},
	}
}

// groupID finds a default-tenant group's id by displayName.
func groupID(t testing.TB, s *Server, name string) string {
	t.Helper()
	for _, g := range call(t, s, "GET", "/v1.0/groups?$top=999", nil).values(t) {
		if g["displayName"] == name {
			return g["id"].(string)
		}
	}
	t.Fatalf("no group %q", name)
	return ""
}

func userID(t testing.TB, s *Server, upn string) string {
	t.Helper()
	r := call(t, s, "GET", "/v1.0/users/"+upn, nil)
	r.wantStatus(t, 200)
	return r.str("id")
}
