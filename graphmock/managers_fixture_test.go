package graphmock_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/graphmock/graphmock/graphmock"
)

// A fixture names a user's manager by userPrincipalName or id; export writes it by id and seeding
// the export reproduces it, links of soft-deleted users included.
func TestExportRoundTripManagers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, graphmock.Options{})
	fixture := strings.Replace(smallFixture, `"users": [`, `"users": [{"accountEnabled": true, "displayName": "Bo", "mailNickname": "bo",
    "userPrincipalName": "bo@small.example", "passwordProfile": {"password": "x-Pa55word"}, "manager": "ada@small.example"},
    {"accountEnabled": true, "displayName": "Cy", "mailNickname": "cy",
    "userPrincipalName": "cy@small.example", "passwordProfile": {"password": "x-Pa55word"}, "manager": "bo@small.example"},`, 1)
	e.json(http.StatusOK, "POST", "/_graphmock/seed", fixture)
	m := e.json(http.StatusOK, "GET", "/v1.0/users/bo@small.example/manager", "")
	if m["userPrincipalName"] != "ada@small.example" {
		t.Fatalf("bo's manager after seed: %v", m)
	}
	cy := e.json(http.StatusOK, "GET", "/v1.0/users/cy@small.example", "")["id"].(string)
	e.json(http.StatusNoContent, "DELETE", "/v1.0/users/"+cy, "")

	_, first := e.do("GET", "/_graphmock/export", "")
	if bytes.Count(first, []byte(`"manager":`)) != 2 {
		t.Fatalf("export does not carry both manager links: %s", first)
	}
	e.json(http.StatusOK, "POST", "/_graphmock/seed", string(first))
	_, second := e.do("GET", "/_graphmock/export", "")
	if !bytes.Equal(first, second) {
		t.Fatalf("export → seed → export differs:\n%s\n%s", first, second)
	}
	e.json(http.StatusOK, "POST", "/v1.0/directory/deletedItems/"+cy+"/restore", "")
	if m := e.json(http.StatusOK, "GET", "/v1.0/users/"+cy+"/manager", ""); m["userPrincipalName"] != "bo@small.example" {
		t.Fatalf("restored cy's manager: %v", m)
	}

	bad := strings.Replace(smallFixture, `"passwordProfile"`, `"manager": "nobody@small.example", "passwordProfile"`, 1)
	status, body := e.do("POST", "/_graphmock/seed", bad)
	if status != http.StatusBadRequest || !strings.Contains(string(body), `manager \"nobody@small.example\": no user`) {
		t.Fatalf("seed with an unknown manager: %d %s", status, body)
	}
}
