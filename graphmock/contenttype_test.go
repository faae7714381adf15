package graphmock

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWritesNeedJSONContentType: bodies labelled other than JSON are refused as Graph refuses
// them, and nothing is written.
func TestWritesNeedJSONContentType(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	user := `{"accountEnabled":true,"displayName":"Ct","mailNickname":"ct","userPrincipalName":"ct@larkspur.example","passwordProfile":{"password":"Pa55-word!"}}`
	license := `{"addLicenses":[],"removeLicenses":[]}`
	gid := groupID(t, s, "O365 E5 - Exchange only")
	send := func(method, path, body, ct string) response {
		t.Helper()
		req := httptest.NewRequest(method, "http://graph.test"+path, strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return decodeRecorded(t, rec)
	}
	const entityMsg = "Entity only allows writes with a JSON Content-Type header."
	const readMsg = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."
	for _, c := range []struct {
		name, method, path, body, ct string
		status                       int
		code, msg                    string
	}{
		{"create as form", "POST", "/v1.0/users", user, "application/x-www-form-urlencoded", 400, "BadRequest", entityMsg},
		{"create as text", "POST", "/v1.0/users", user, "text/plain", 400, "BadRequest", entityMsg},
		{"create unlabelled", "POST", "/v1.0/users", user, "", 400, "BadRequest", readMsg},
		{"update as xml", "PATCH", "/v1.0/users/" + adminUPN, `{"jobTitle":"x"}`, "application/xml", 400, "BadRequest", entityMsg},
		{"group update as text", "PATCH", "/v1.0/groups/" + gid, `{"description":"x"}`, "text/plain", 400, "BadRequest", entityMsg},
		{"action as form", "POST", "/v1.0/users/" + adminUPN + "/assignLicense", license, "application/x-www-form-urlencoded", 415, "UnsupportedMediaType",
			"The request body's Content-Type is not supported. Send application/json."},
		{"bodiless action with a text body", "POST", "/v1.0/users/" + adminUPN + "/reprocessLicenseAssignment", "x", "text/plain", 415, "UnsupportedMediaType",
			"The request body's Content-Type is not supported. Send application/json."},
		{"ref as text", "POST", "/v1.0/groups/" + gid + "/members/$ref", `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/x"}`, "text/plain", 415, "UnsupportedMediaType",
			"The request body's Content-Type is not supported. Send application/json."},
	} {
		t.Run(c.name, func(t *testing.T) {
			send(c.method, c.path, c.body, c.ct).wantError(t, c.status, c.code, c.msg)
		})
	}
	call(t, s, "GET", "/v1.0/users/ct@larkspur.example", nil).wantStatus(t, 404)
	if got := call(t, s, "GET", "/v1.0/users/"+adminUPN+"?$select=jobTitle", nil).str("jobTitle"); got == "x" {
		t.Fatal("a refused PATCH was applied")
	}
	// JSON with parameters is JSON.
	send("POST", "/v1.0/users", user, "application/json; charset=utf-8; odata.metadata=minimal").wantStatus(t, 201)
}

// TestObjectIDsMustBeGUIDs: group and directory-object ids that aren't GUIDs are refused as
// Graph refuses them; a user may still be named by userPrincipalName.
func TestObjectIDsMustBeGUIDs(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gid := groupID(t, s, "O365 E5 - Exchange only")
	for _, c := range []struct{ method, path, id string }{
		{"GET", "/v1.0/groups/not-a-guid", "not-a-guid"},
		{"GET", "/v1.0/groups/Sales%20Team/members", "Sales Team"},
		{"GET", "/v1.0/directoryObjects/abc", "abc"},
		{"DELETE", "/v1.0/groups/" + gid + "/members/" + adminUPN + "/$ref", adminUPN},
		{"POST", "/v1.0/directory/deletedItems/x/restore", "x"},
	} {
		call(t, s, c.method, c.path, nil).wantError(t, 400, "Request_BadRequest", "Invalid object identifier '"+c.id+"'.")
	}
	// References name objects by id too: a userPrincipalName there is refused the same way.
	for _, ref := range []string{"notguid", adminUPN} {
		call(t, s, "POST", "/v1.0/groups/"+gid+"/members/$ref", `{"@odata.id":"https://graph.microsoft.com/v1.0/users/`+ref+`"}`).
			wantError(t, 400, "Request_BadRequest", "Invalid object identifier '"+ref+"'.")
	}
	call(t, s, "POST", "/v1.0/groups", `{"displayName":"B","mailNickname":"b","mailEnabled":false,"securityEnabled":true,`+
		`"members@odata.bind":["https://graph.microsoft.com/v1.0/users/`+adminUPN+`"]}`).
		wantError(t, 400, "Request_BadRequest", "Invalid object identifier '"+adminUPN+"'.")
	call(t, s, "GET", "/v1.0/users/"+adminUPN, nil).wantStatus(t, 200)
	call(t, s, "GET", "/v1.0/groups/00000000-0000-4000-8000-000000000000", nil).wantStatus(t, 404)
}
