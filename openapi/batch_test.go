package openapi

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestValidateBatch(t *testing.T) {
	t.Parallel()
	v := mustLoad(t)
	request := `{"requests":[
		{"id":"1","method":"GET","url":"/users/` + userID + `?$select=id,accountEnabled"},
		{"id":"2","dependsOn":["1"],"method":"POST","url":"/groups/` + groupID + `/assignLicense",
		 "headers":{"Content-Type":"application/json"},"body":{"addLicenses":[],"removeLicenses":[]}},
		{"id":"3","method":"GET","url":"/users/$count","headers":{"ConsistencyLevel":"eventual"},"body":null},
		{"id":"4","method":"DELETE","url":"/groups/` + groupID + `/members/` + userID + `/$ref"}
	]}`
	user := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(id,accountEnabled)/$entity","id":"` + userID + `","accountEnabled":true}`
	group := `{"id":"` + groupID + `","displayName":"Finance","securityEnabled":true,"mailEnabled":false}`
	response := `{"responses":[
		{"id":"1","status":200,"headers":{"Content-Type":"application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8","OData-Version":"4.0"},"body":` + user + `},
		{"id":"3","status":200,"headers":{"Content-Type":"text/plain"},"body":"MTI="},
		{"id":"2","status":202,"headers":{"Content-Type":"application/json","Location":"https://graph.microsoft.com/v2/t/directoryObjects/` + groupID + `/Microsoft.DirectoryServices.Group"},"body":` + group + `},
		{"id":"4","status":204,"body":null}
	]}`
	h := http.Header{"Content-Type": {"application/json"}}
	if err := v.ValidateBatch([]byte(request), 200, h, []byte(response)); err != nil {
		t.Fatalf("ValidateBatch: %v", err)
	}
	malformed := `{"error":{"code":"BadRequest","message":"Invalid batch payload format.","innerError":{"date":"2021-05-18T19:03:10"}}}`
	if err := v.ValidateBatch([]byte(`{"requests":{}}`), 400, h, []byte(malformed)); err != nil {
		t.Fatalf("ValidateBatch(400): %v", err)
	}

	bad := []struct {
		name, request, response string
		status                  int
		pointer, want           string
	}{
		{"inner wrong type", request, strings.Replace(response, `"accountEnabled":true`, `"accountEnabled":"yes"`, 1), 200,
			"/responses/0/body/accountEnabled", "GET /users/{user-id}: value must be a boolean"},
		{"inner unknown property", request, strings.Replace(response, `"displayName":"Finance"`, `"displayName":"Finance","colour":"red"`, 1), 200,
			"/responses/2/body/colour", "unknown property"},
		{"inner wrong status", request, strings.Replace(response, `"status":202`, `"status":200`, 1), 200,
			"/responses/2/status", "expected 202"},
		{"missing response", request, strings.Replace(response, `{"id":"4","status":204,"body":null}`, `{"id":"3","status":204}`, 1), 200,
			"/responses/3/id", "a second response"},
		{"unknown response id", request, strings.Replace(response, `"id":"4"`, `"id":"9"`, 1), 200,
			"/responses/3/id", `id "9" answers no request`},
		{"inner request without Content-Type", strings.Replace(request, `"headers":{"Content-Type":"application/json"},`, ``, 1), response, 200,
			"/requests/1/headers", "Content-Type"},
		{"url with /v1.0", strings.Replace(request, `"url":"/users/$count"`, `"url":"/v1.0/users/$count"`, 1), response, 200,
			"/requests/2/url", "relative"},
		{"duplicate id", strings.Replace(request, `"id":"4"`, `"id":"1"`, 1), response, 200,
			"/requests/3/id", "repeats"},
		{"no responses array", request, `{"value":[]}`, 200, "/responses", "expected"},
		{"wrong batch status", request, response, 207, "status", "expected 200"},
		{"inner request not served", strings.Replace(request, `/users/$count`, `/users/`+userID+`/ownedObjects`, 1), response, 200,
			"/requests/2", "operation not in the served subset"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := v.ValidateBatch([]byte(tc.request), tc.status, h, []byte(tc.response))
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("ValidateBatch = %v, want a *ValidationError", err)
			}
			for _, vi := range verr.Violations {
				if vi.Pointer == tc.pointer && strings.Contains(vi.Message, tc.want) {
					return
				}
			}
			t.Fatalf("no violation at %q containing %q in: %v", tc.pointer, tc.want, err)
		})
	}
}
