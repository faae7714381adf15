package graphmock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/graphmock/graphmock/engine"
)

// Default tenant ids used by the licensing tests.
const (
	jordanID   = "22a3b5b0-5a80-511c-a921-2508b82f24e8" // E3 base + E3 extended + EMS
	quinnID    = "80dd7dcc-ec1e-5e42-9650-f05d33738611" // E3 base, no usageLocation
	finleyUPN  = "finley.moreau@larkspur.example"       // nested in Contractors only, no usageLocation
	skylerID   = "d5c082e9-67b2-5ea2-8b20-a8c0007d6f52" // no group licenses, usageLocation US
	e3BaseID   = "605841a7-1a72-5aa7-9474-e4ee28ea681e"
	emsGroupID = "f4650d21-f6a7-51d5-bd33-ca7dfd17228e"
	marketing  = "bede1a67-a849-5fa2-8790-50a4c45ac540"
	httpSkuE3  = "6fd2c87f-b296-42f0-b197-1e91e994b900"
	httpSkuE5  = "c7df2760-2c81-4ef7-b578-5b5392b571df"
	httpSkuEMS = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e"
	httpSkuF3  = "4b585984-651b-448a-9e53-3b10f069cf7f" // DESKLESSPACK, not subscribed
	yammerPlan = "7547a3fe-08ee-4ccb-b430-5077c5041653"
	unknownID  = "0b5d4c3e-0000-4000-8000-000000000001"
)

func newLicensingServer(t *testing.T, mode string) *Server {
	t.Helper()
	s, err := New(Options{ProcessingMode: mode})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func lcall(t *testing.T, s *Server, method, path, body string) reply {
	t.Helper()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	} else {
		rd = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	out := reply{status: rec.Code, header: rec.Header(), raw: rec.Body.String()}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out.body); err != nil {
			t.Fatalf("%s %s: body is not JSON: %s", method, path, rec.Body.String())
		}
	}
	return out
}

// wantError checks a Graph error envelope.
func wantError(t *testing.T, r reply, status int, code, message string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d: %s", r.status, status, r.raw)
	}
	e, _ := r.body["error"].(map[string]any)
	if e == nil || e["code"] != code || e["message"] != message {
		t.Fatalf("error = %v\nwant code %q message %q", e, code, message)
	}
}

func TestAssignUserLicenseHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, user, body string
		status           int
		code, message    string
	}{
		{name: "adds E5 directly", user: skylerID, body: `{"addLicenses":[{"skuId":"` + httpSkuE5 + `","disabledPlans":[]}],"removeLicenses":[]}`, status: 200},
		{name: "by userPrincipalName", user: "skyler.oduya@larkspur.example", body: `{"addLicenses":[{"skuId":"` + httpSkuEMS + `"}],"removeLicenses":[]}`, status: 200},
		{name: "missing removeLicenses", user: skylerID, body: `{"addLicenses":[]}`, status: 400, code: "Request_BadRequest",
			message: "One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: removeLicenses."},
		{name: "missing both", user: skylerID, body: `{}`, status: 400, code: "Request_BadRequest",
			message: "One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: addLicenses, removeLicenses."},
		{name: "null removeLicenses", user: skylerID, body: `{"addLicenses":[],"removeLicenses":null}`, status: 400, code: "Request_BadRequest",
			message: "A null value was found for the property named 'removeLicenses', which has the expected type 'Collection(Edm.Guid)[Nullable=False]'. The expected type 'Collection(Edm.Guid)[Nullable=False]' does not allow null values."},
		{name: "skuId not a GUID", user: skylerID, body: `{"addLicenses":[{"skuId":"E5"}],"removeLicenses":[]}`, status: 400, code: "BadRequest",
			message: "Cannot convert the literal 'E5' to the expected type 'Edm.Guid'."},
		{name: "removeLicenses entry not a GUID", user: skylerID, body: `{"addLicenses":[],"removeLicenses":["x"]}`, status: 400, code: "BadRequest",
			message: "Cannot convert the literal 'x' to the expected type 'Edm.Guid'."},
		{name: "malformed JSON", user: skylerID, body: `{"addLicenses":[`, status: 400, code: "BadRequest",
			message: "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."},
		{name: "unknown parameter", user: skylerID, body: `{"addLicenses":[],"removeLicenses":[],"extra":1}`, status: 400, code: "Request_BadRequest",
			message: "The parameter 'extra' in the request payload is not a valid parameter for the operation 'assignLicense'."},
		{name: "no change", user: skylerID, body: `{"addLicenses":[],"removeLicenses":[]}`, status: 400, code: "Request_BadRequest",
			message: "One or more property values specified are invalid."},
		{name: "sku not subscribed", user: skylerID, body: `{"addLicenses":[{"skuId":"` + httpSkuF3 + `"}],"removeLicenses":[]}`, status: 400, code: "Request_BadRequest",
			message: "License " + httpSkuF3 + " does not correspond to a valid company License."},
		{name: "no usage location", user: finleyUPN, body: `{"addLicenses":[{"skuId":"` + httpSkuE3 + `"}],"removeLicenses":[]}`, status: 400, code: "Request_BadRequest",
			message: "License assignment cannot be done for user with invalid usage location."},
		{name: "remove a license not held", user: skylerID, body: `{"addLicenses":[],"removeLicenses":["` + httpSkuE3 + `"]}`, status: 400, code: "Request_BadRequest",
			message: "User does not have a corresponding license."},
		{name: "remove an inherited license", user: jordanID, body: `{"addLicenses":[],"removeLicenses":["` + httpSkuE3 + `"]}`, status: 400, code: "Request_BadRequest",
			message: "User license is inherited from a group membership and it cannot be removed directly from the user."},
		{name: "unknown user", user: unknownID, body: `{"addLicenses":[],"removeLicenses":[]}`, status: 404, code: "Request_ResourceNotFound",
			message: "Resource '" + unknownID + "' does not exist or one of its queried reference-property objects are not present."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newLicensingServer(t, "immediate")
			r := lcall(t, s, http.MethodPost, "/v1.0/users/"+tc.user+"/assignLicense", tc.body)
			if tc.status != 200 {
				wantError(t, r, tc.status, tc.code, tc.message)
				return
			}
			if r.status != 200 || r.body["id"] != skylerID || !strings.HasSuffix(r.body["@odata.context"].(string), "$metadata#users/$entity") {
				t.Fatalf("reply = %d %s", r.status, r.raw)
			}
			got := lcall(t, s, http.MethodGet, "/v1.0/users/"+skylerID+"?$select=assignedLicenses,licenseAssignmentStates", "")
			states := got.body["licenseAssignmentStates"].([]any)
			st := states[0].(map[string]any)
			if len(states) != 1 || st["assignedByGroup"] != nil || st["state"] != "Active" || st["error"] != "None" {
				t.Fatalf("licenseAssignmentStates = %v", states)
			}
		})
	}
}

func TestAssignUserLicenseSpecForm(t *testing.T) {
	t.Parallel()
	s := newLicensingServer(t, "immediate")
	r := lcall(t, s, http.MethodPost, "/v1.0/users/"+skylerID+"/microsoft.graph.assignLicense",
		`{"addLicenses":[{"skuId":"`+httpSkuE3+`","disabledPlans":["`+yammerPlan+`"]}],"removeLicenses":[]}`)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	skus := lcall(t, s, http.MethodGet, "/v1.0/subscribedSkus", "")
	for _, v := range skus.body["value"].([]any) {
		sku := v.(map[string]any)
		if sku["skuId"] == httpSkuE3 && sku["consumedUnits"].(float64) != 10 {
			t.Fatalf("E3 consumedUnits = %v, want 9 from the groups + 1", sku["consumedUnits"])
		}
	}
}

func TestAssignGroupLicenseHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, group, body string
		status            int
		code, message     string
	}{
		{name: "accepted", group: e3BaseID, body: `{"addLicenses":[{"skuId":"` + httpSkuEMS + `","disabledPlans":[]}],"removeLicenses":[]}`, status: 202},
		{name: "not security enabled", group: marketing, body: `{"addLicenses":[{"skuId":"` + httpSkuEMS + `"}],"removeLicenses":[]}`, status: 400,
			code: "Request_BadRequest", message: "Group-based licensing can only be used with security groups and Microsoft 365 groups that have securityEnabled=true."},
		{name: "plan outside the sku", group: e3BaseID, body: `{"addLicenses":[{"skuId":"` + httpSkuEMS + `","disabledPlans":["` + yammerPlan + `"]}],"removeLicenses":[]}`, status: 400,
			code: "Request_BadRequest", message: "Service plan " + yammerPlan + " does not belong to subscription " + httpSkuEMS + "."},
		{name: "remove a license the group lacks", group: e3BaseID, body: `{"addLicenses":[],"removeLicenses":["` + httpSkuE5 + `"]}`, status: 400,
			code: "Request_BadRequest", message: "Group does not have a corresponding license."},
		{name: "missing addLicenses", group: e3BaseID, body: `{"removeLicenses":[]}`, status: 400, code: "Request_BadRequest",
			message: "One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: addLicenses."},
		{name: "unknown group", group: unknownID, body: `{"addLicenses":[],"removeLicenses":[]}`, status: 404, code: "Request_ResourceNotFound",
			message: "Resource '" + unknownID + "' does not exist or one of its queried reference-property objects are not present."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newLicensingServer(t, "manual")
			r := lcall(t, s, http.MethodPost, "/v1.0/groups/"+tc.group+"/assignLicense", tc.body)
			if tc.status != 202 {
				wantError(t, r, tc.status, tc.code, tc.message)
				return
			}
			want := "https://graph.microsoft.com/v2/" + tenantID + "/directoryObjects/" + tc.group + "/Microsoft.DirectoryServices.Group"
			if r.status != 202 || r.header.Get("Location") != want || r.body["id"] != tc.group {
				t.Fatalf("reply = %d Location %q %s", r.status, r.header.Get("Location"), r.raw)
			}
			g := lcall(t, s, http.MethodGet, "/v1.0/groups/"+tc.group+"?$select=assignedLicenses,licenseProcessingState", "")
			if st := g.body["licenseProcessingState"].(map[string]any)["state"]; st != "QueuedForProcessing" || len(g.body["assignedLicenses"].([]any)) != 2 {
				t.Fatalf("group before processing: %s", g.raw)
			}
			if r := lcall(t, s, http.MethodPost, "/_graphmock/processing/drain", ""); r.status != 200 || r.body["pending"].(float64) != 0 {
				t.Fatalf("drain: %d %s", r.status, r.raw)
			}
			g = lcall(t, s, http.MethodGet, "/v1.0/groups/"+tc.group+"?$select=licenseProcessingState", "")
			if st := g.body["licenseProcessingState"].(map[string]any)["state"]; st != "ProcessingComplete" {
				t.Fatalf("group after processing: %s", g.raw)
			}
			// Quinn has no usageLocation: licensed with the tenant's, and it stays unset.
			u := lcall(t, s, http.MethodGet, "/v1.0/users/"+quinnID+"?$select=usageLocation,assignedLicenses", "")
			if u.body["usageLocation"] != nil || len(u.body["assignedLicenses"].([]any)) != 2 {
				t.Fatalf("quinn = %s", u.raw)
			}
		})
	}
}

func TestLicenseDetailsHTTP(t *testing.T) {
	t.Parallel()
	s := newLicensingServer(t, "immediate")
	r := lcall(t, s, http.MethodGet, "/v1.0/users/"+jordanID+"/licenseDetails", "")
	if r.status != 200 || r.body["@odata.context"] != "http://example.com/v1.0/$metadata#users('"+jordanID+"')/licenseDetails" {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	values := r.body["value"].([]any)
	if len(values) != 2 {
		t.Fatalf("licenseDetails = %s", r.raw)
	}
	var e3 map[string]any
	for _, v := range values {
		if v.(map[string]any)["skuId"] == httpSkuE3 {
			e3 = v.(map[string]any)
		}
	}
	if e3 == nil || e3["skuPartNumber"] != "ENTERPRISEPACK" || e3["id"] == "" {
		t.Fatalf("E3 entry = %v", e3)
	}
	status := map[string]string{}
	for _, p := range e3["servicePlans"].([]any) {
		pm := p.(map[string]any)
		status[pm["servicePlanName"].(string)] = pm["provisioningStatus"].(string)
	}
	// Base disables Sway, Planner and Yammer; extended enables Sway and Planner: only Yammer stays off.
	if status["YAMMER_ENTERPRISE"] != "Disabled" || status["SWAY"] != "Success" || status["EXCHANGE_S_ENTERPRISE"] != "Success" {
		t.Fatalf("plan statuses = %v", status)
	}
	again := lcall(t, s, http.MethodGet, "/v1.0/users/"+jordanID+"/licenseDetails?$select=id", "")
	if again.body["value"].([]any)[0].(map[string]any)["id"] != values[0].(map[string]any)["id"] {
		t.Fatal("licenseDetails ids are not stable")
	}
	wantError(t, lcall(t, s, http.MethodGet, "/v1.0/users/"+unknownID+"/licenseDetails", ""), 404, "Request_ResourceNotFound",
		"Resource '"+unknownID+"' does not exist or one of its queried reference-property objects are not present.")
}

func TestMembersWithLicenseErrorsAndReprocessHTTP(t *testing.T) {
	t.Parallel()
	s := newLicensingServer(t, "immediate")
	// E5: 10 seats, 3 used by "O365 E5 - Exchange only". Leave no free seat, then license the 6 EMS users.
	if r := lcall(t, s, http.MethodPatch, "/_graphmock/subscribedSkus/"+httpSkuE5, `{"prepaidUnits":{"enabled":3}}`); r.status != 200 {
		t.Fatalf("patch sku: %d %s", r.status, r.raw)
	}
	if r := lcall(t, s, http.MethodPost, "/v1.0/groups/"+emsGroupID+"/assignLicense", `{"addLicenses":[{"skuId":"`+httpSkuE5+`"}],"removeLicenses":[]}`); r.status != 202 {
		t.Fatalf("assign: %d %s", r.status, r.raw)
	}
	r := lcall(t, s, http.MethodGet, "/v1.0/groups/"+emsGroupID+"/membersWithLicenseErrors", "")
	values := r.body["value"].([]any)
	if r.status != 200 || len(values) != 6 || values[0].(map[string]any)["@odata.type"] != "#microsoft.graph.user" {
		t.Fatalf("membersWithLicenseErrors = %d %s", r.status, r.raw)
	}
	u := lcall(t, s, http.MethodGet, "/v1.0/users/"+jordanID+"?$select=licenseAssignmentStates", "")
	found := false
	for _, v := range u.body["licenseAssignmentStates"].([]any) {
		st := v.(map[string]any)
		if st["skuId"] == httpSkuE5 {
			found = st["state"] == "Error" && st["error"] == "CountViolation" && st["assignedByGroup"] == emsGroupID
		}
	}
	if !found {
		t.Fatalf("no CountViolation state: %s", u.raw)
	}
	// More seats don't heal anyone; a user reprocess heals that user; a group reprocess the rest.
	lcall(t, s, http.MethodPatch, "/_graphmock/subscribedSkus/"+httpSkuE5, `{"prepaidUnits":{"enabled":10}}`)
	if n := len(lcall(t, s, http.MethodGet, "/v1.0/groups/"+emsGroupID+"/membersWithLicenseErrors", "").body["value"].([]any)); n != 6 {
		t.Fatalf("%d members in error after adding seats, want 6", n)
	}
	rp := lcall(t, s, http.MethodPost, "/v1.0/users/"+jordanID+"/reprocessLicenseAssignment", "")
	if rp.status != 200 || rp.body["id"] != jordanID {
		t.Fatalf("reprocess: %d %s", rp.status, rp.raw)
	}
	if n := len(lcall(t, s, http.MethodGet, "/v1.0/groups/"+emsGroupID+"/membersWithLicenseErrors", "").body["value"].([]any)); n != 5 {
		t.Fatalf("%d members in error after a user reprocess, want 5", n)
	}
	if r := lcall(t, s, http.MethodPost, "/_graphmock/groups/"+emsGroupID+"/reprocess", ""); r.status != 202 {
		t.Fatalf("group reprocess: %d %s", r.status, r.raw)
	}
	if n := len(lcall(t, s, http.MethodGet, "/v1.0/groups/"+emsGroupID+"/membersWithLicenseErrors", "").body["value"].([]any)); n != 0 {
		t.Fatalf("%d members in error after a group reprocess", n)
	}
	wantError(t, lcall(t, s, http.MethodPost, "/v1.0/users/"+unknownID+"/reprocessLicenseAssignment", ""), 404, "Request_ResourceNotFound",
		"Resource '"+unknownID+"' does not exist or one of its queried reference-property objects are not present.")
	wantError(t, lcall(t, s, http.MethodGet, "/v1.0/groups/"+unknownID+"/membersWithLicenseErrors", ""), 404, "Request_ResourceNotFound",
		"Resource '"+unknownID+"' does not exist or one of its queried reference-property objects are not present.")
}

func TestProcessingControlPlane(t *testing.T) {
	t.Parallel()
	s := newLicensingServer(t, "")
	if r := lcall(t, s, http.MethodGet, "/_graphmock/processing", ""); r.body["mode"] != "async" {
		t.Fatalf("default mode: %s", r.raw)
	}
	if r := lcall(t, s, http.MethodPut, "/_graphmock/processing", `{"mode":"manual","delay":"50ms"}`); r.status != 200 || r.body["mode"] != "manual" || r.body["delay"] != "50ms" {
		t.Fatalf("put: %d %s", r.status, r.raw)
	}
	wantError(t, lcall(t, s, http.MethodPut, "/_graphmock/processing", `{"mode":"later"}`), 400, "BadRequest",
		`processing mode "later": use async, manual or immediate.`)
	lcall(t, s, http.MethodPost, "/v1.0/groups/"+e3BaseID+"/assignLicense", `{"addLicenses":[],"removeLicenses":["`+httpSkuE3+`"]}`)
	if r := lcall(t, s, http.MethodGet, "/_graphmock/processing", ""); r.body["pending"].(float64) != 1 {
		t.Fatalf("pending: %s", r.raw)
	}
	if r := lcall(t, s, http.MethodPost, "/_graphmock/processing/step", ""); r.body["stepped"] != true || r.body["pending"].(float64) != 0 {
		t.Fatalf("step: %s", r.raw)
	}
	u := lcall(t, s, http.MethodGet, "/v1.0/users/"+quinnID+"?$select=assignedLicenses", "")
	if len(u.body["assignedLicenses"].([]any)) != 0 {
		t.Fatalf("quinn kept E3 after the group's removal: %s", u.raw)
	}
	// A new plan added to E3 is enabled for every holder.
	r := lcall(t, s, http.MethodPost, "/_graphmock/subscribedSkus/"+httpSkuE3+"/servicePlans",
		`{"servicePlanId":"0f6c9bd5-4f8a-4f57-9e44-7b5bb52a6a5f","servicePlanName":"NEW_SERVICE","service":"NewService"}`)
	if r.status != 201 {
		t.Fatalf("add plan: %d %s", r.status, r.raw)
	}
	d := lcall(t, s, http.MethodGet, "/v1.0/users/"+jordanID+"/licenseDetails", "")
	if !strings.Contains(d.raw, `"servicePlanName":"NEW_SERVICE"`) {
		t.Fatalf("new plan missing: %s", d.raw)
	}
	wantError(t, lcall(t, s, http.MethodPost, "/_graphmock/subscribedSkus/"+httpSkuE3+"/servicePlans",
		`{"servicePlanId":"1f6c9bd5-4f8a-4f57-9e44-7b5bb52a6a5f","servicePlanName":"MARTIAN","appliesTo":"Martian"}`),
		400, "BadRequest", `appliesTo 'Martian' is not valid: use "User" or "Company".`)
	if r := lcall(t, s, http.MethodPost, "/_graphmock/subscribedSkus/"+httpSkuE3+"/servicePlans",
		`{"servicePlanId":"1f6c9bd5-4f8a-4f57-9e44-7b5bb52a6a5f","servicePlanName":"TENANT_PLAN","appliesTo":"Company"}`); r.status != 201 ||
		!strings.Contains(r.raw, `"appliesTo":"Company"`) {
		t.Fatalf("add Company plan: %d %s", r.status, r.raw)
	}
	wantError(t, lcall(t, s, http.MethodPost, "/_graphmock/subscribedSkus/"+httpSkuF3+"/servicePlans", `{"servicePlanId":"0f6c9bd5-4f8a-4f57-9e44-7b5bb52a6a5f","servicePlanName":"X"}`),
		404, "Request_ResourceNotFound", "Resource '"+httpSkuF3+"' does not exist or one of its queried reference-property objects are not present.")
}

func TestDefaultTenantLicenses(t *testing.T) {
	t.Parallel()
	s := newLicensingServer(t, "")
	var invErr error
	_ = s.Store().View(func(tx *txnAlias) error { invErr = tx.CheckLicenseInvariants(); return nil })
	if invErr != nil {
		t.Fatal(invErr)
	}
	// Nested Contractors get nothing; the Microsoft 365 group has no license.
	u := lcall(t, s, http.MethodGet, "/v1.0/users/"+finleyUPN+"?$select=assignedLicenses", "")
	if len(u.body["assignedLicenses"].([]any)) != 0 {
		t.Fatalf("nested member licensed: %s", u.raw)
	}
	g := lcall(t, s, http.MethodGet, "/v1.0/groups/"+e3BaseID+"?$select=assignedLicenses,licenseProcessingState", "")
	if g.body["licenseProcessingState"].(map[string]any)["state"] != "ProcessingComplete" {
		t.Fatalf("E3 base: %s", g.raw)
	}
	wantError(t, lcall(t, s, http.MethodDelete, "/v1.0/groups/"+e3BaseID, ""), 400, "Request_BadRequest",
		"It isn't possible to delete a group with an active license assigned. Remove all licenses from the group before deleting it.")
}

type txnAlias = engine.Txn
