package openapi

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

const (
	userID  = "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
	groupID = "02bd9fd6-8f93-4758-87c3-1fb73740a315"
	skuE5   = "c7df2760-2c81-4ef7-b578-5b5392b571df"
	skuE3   = "6fd2c87f-b296-42f0-b197-1e91e994b900"
)

// jsonHeader is Graph's real JSON content type (QUIRKS Q9).
func jsonHeader() http.Header {
	return http.Header{
		"Content-Type":      {"application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"},
		"Request-Id":        {"d9bbd4d8-5a6c-4bbe-8f1d-4f3e1f2c9a11"},
		"Client-Request-Id": {"539da3bd-1d7f-4d3c-9a6d-0d3b6b1f1c22"},
	}
}

func textHeader() http.Header { return http.Header{"Content-Type": {"text/plain"}} }

// Shapes from graph-facts §1–§3.
var (
	userBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,usageLocation,assignedLicenses,licenseAssignmentStates)/$entity",
  "id": "` + userID + `",
  "businessPhones": [],
  "displayName": "Adele Vance",
  "givenName": "Adele",
  "jobTitle": null,
  "mail": "adele@contoso.com",
  "mobilePhone": null,
  "officeLocation": null,
  "preferredLanguage": "en-US",
  "surname": "Vance",
  "userPrincipalName": "adele@contoso.com",
  "accountEnabled": true,
  "usageLocation": "US",
  "createdDateTime": "2024-01-10T10:00:00Z",
  "passwordProfile": null,
  "assignedLicenses": [ { "disabledPlans": [], "skuId": "` + skuE3 + `" } ],
  "assignedPlans": [ { "assignedDateTime": "2024-01-10T10:00:00Z", "capabilityStatus": "Enabled", "service": "exchange", "servicePlanId": "efb87545-963c-4e0d-99df-69c6916d9eb0" } ],
  "licenseAssignmentStates": [
    { "assignedByGroup": null, "disabledPlans": [], "error": "None", "lastUpdatedDateTime": "2024-01-10T10:00:00Z",
      "skuId": "` + skuE3 + `", "state": "Active" },
    { "assignedByGroup": "` + groupID + `", "disabledPlans": ["efb87545-963c-4e0d-99df-69c6916d9eb0"], "error": "None",
      "lastUpdatedDateTime": "2024-01-10T10:00:00Z", "skuId": "` + skuE3 + `", "state": "Active" }
  ],
  "onPremisesExtensionAttributes": { "extensionAttribute1": "Finance", "extensionAttribute2": null, "extensionAttribute15": null }
}`
	userListBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
  "@odata.count": 2,
  "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=RFNwdAIAAQAAAA",
  "value": [
    { "businessPhones": ["+1 425 555 0109"], "displayName": "Adele Vance", "givenName": "Adele", "jobTitle": "Retail Manager",
      "mail": "adele@contoso.com", "mobilePhone": null, "officeLocation": "18/2111", "preferredLanguage": "en-US",
      "surname": "Vance", "userPrincipalName": "adele@contoso.com", "id": "` + userID + `" },
    { "businessPhones": [], "displayName": "Alex Wilber", "givenName": "Alex", "jobTitle": null, "mail": null,
      "mobilePhone": null, "officeLocation": null, "preferredLanguage": null, "surname": "Wilber",
      "userPrincipalName": "alex@contoso.com", "id": "1d4b9e4f-8c56-4b2a-8f0e-5a5c8a6a1d11" }
  ]
}`
	groupBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups/$entity",
  "id": "` + groupID + `",
  "deletedDateTime": null,
  "classification": null,
  "createdDateTime": "2024-01-10T10:00:00Z",
  "description": "Finance dynamic group",
  "displayName": "Finance dyn",
  "expirationDateTime": null,
  "groupTypes": ["DynamicMembership"],
  "isAssignableToRole": null,
  "mail": null,
  "mailEnabled": false,
  "mailNickname": "financedyn",
  "membershipRule": "(user.department -eq \"Finance\")",
  "membershipRuleProcessingState": "On",
  "onPremisesSyncEnabled": null,
  "preferredDataLocation": null,
  "proxyAddresses": [],
  "renewedDateTime": "2024-01-10T10:00:00Z",
  "resourceBehaviorOptions": [],
  "resourceProvisioningOptions": [],
  "securityEnabled": true,
  "securityIdentifier": "S-1-12-1-45981654-1196986259-3072312199-363989775",
  "theme": null,
  "visibility": "Private",
  "onPremisesProvisioningErrors": [],
  "assignedLicenses": [ { "disabledPlans": [], "skuId": "` + skuE5 + `" } ],
  "licenseProcessingState": { "@odata.type": "microsoft.graph.licenseProcessingState", "state": "ProcessingComplete" }
}`
	membersBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
  "value": [
    { "@odata.type": "#microsoft.graph.user", "id": "` + userID + `", "displayName": "Adele Vance",
      "userPrincipalName": "adele@contoso.com", "accountEnabled": true, "businessPhones": [] },
    { "@odata.type": "#microsoft.graph.group", "id": "` + groupID + `", "displayName": "Finance dyn",
      "securityEnabled": true, "mailEnabled": false, "groupTypes": [] }
  ]
}`
	licenseDetailsBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('` + userID + `')/licenseDetails",
  "value": [ { "id": "f-hZwtVKhUKF8Qz47OYzYOqDpwBLJM9Ml5j8tjhpXMo", "skuId": "` + skuE5 + `", "skuPartNumber": "ENTERPRISEPREMIUM",
    "servicePlans": [ { "servicePlanId": "8c098270-9dd4-4350-9b30-ba4703f3b36b", "servicePlanName": "ADALLOM_S_O365",
      "provisioningStatus": "Success", "appliesTo": "User" } ] } ]
}`
	skusBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscribedSkus",
  "value": [ {
    "accountName": "Sample account One", "accountId": "f97aeefc-af85-414d-8ae4-b457f90efc40", "appliesTo": "User",
    "capabilityStatus": "Enabled", "consumedUnits": 14, "id": "48a80680-7326-48cd-9935-b556b81d3a4e_` + skuE5 + `",
    "prepaidUnits": { "enabled": 25, "lockedOut": 0, "suspended": 0, "warning": 0 },
    "servicePlans": [ { "servicePlanId": "8c098270-9dd4-4350-9b30-ba4703f3b36b", "servicePlanName": "ADALLOM_S_O365",
      "provisioningStatus": "Success", "appliesTo": "Company" } ],
    "skuId": "` + skuE5 + `", "skuPartNumber": "ENTERPRISEPREMIUM", "subscriptionIds": ["43d26afe-7d8e-4c50-9a2b-0b7a8e6f1c33"] } ]
}`
	organizationBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization",
  "value": [ { "id": "48a80680-7326-48cd-9935-b556b81d3a4e", "displayName": "Contoso", "countryLetterCode": "US",
    "defaultUsageLocation": "US", "preferredLanguage": "en", "tenantType": "AAD", "createdDateTime": "2020-01-01T00:00:00Z",
    "businessPhones": [], "technicalNotificationMails": ["admin@contoso.com"], "onPremisesSyncEnabled": null,
    "verifiedDomains": [ { "capabilities": "Email, OfficeCommunicationsOnline", "isDefault": true, "isInitial": true,
      "name": "contoso.onmicrosoft.com", "type": "Managed" } ],
    "assignedPlans": [], "provisionedPlans": [] } ]
}`
	auditsBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits",
  "@odata.nextLink": "https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$skiptoken=abc",
  "value": [ {
    "id": "Directory_0f5b8c1e_1", "category": "GroupManagement", "correlationId": "da159bfb-54fa-4092-8a38-4c2f1f3a5e44",
    "result": "success", "resultReason": "", "activityDisplayName": "Add member to group",
    "activityDateTime": "2018-01-09T21:20:02.7215374Z", "loggedByService": "Core Directory", "operationType": "Assign",
    "initiatedBy": { "user": { "id": "` + userID + `", "displayName": "Audry Oliver", "userPrincipalName": "bob@contoso.com",
      "ipAddress": "127.0.0.1" }, "app": null },
    "targetResources": [
      { "id": "` + userID + `", "displayName": null, "type": "User", "userPrincipalName": "adele@contoso.com",
        "modifiedProperties": [ { "displayName": "Group.ObjectID", "oldValue": null, "newValue": "\"` + groupID + `\"" } ] },
      { "id": "` + groupID + `", "displayName": "Finance dyn", "type": "Group", "groupType": "azureAD", "modifiedProperties": [] } ],
    "additionalDetails": [ { "key": "UserType", "value": "Member" } ] } ]
}`
	restoreBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects/$entity",
  "@odata.type": "#microsoft.graph.group",
  "id": "` + groupID + `", "displayName": "Finance dyn", "deletedDateTime": null, "securityEnabled": true, "mailEnabled": false
}`
	deletedGroupsBody = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups",
  "value": [ { "id": "` + groupID + `", "displayName": "Finance dyn", "deletedDateTime": "2024-02-01T08:00:00Z",
    "securityEnabled": true, "mailEnabled": false, "groupTypes": [] } ]
}`
	notFoundBody     = `{"error":{"code":"Request_ResourceNotFound","message":"Resource '` + userID + `' does not exist or one of its queried reference-property objects are not present.","innerError":{"date":"2021-05-18T19:03:10","request-id":"d9bbd4d8-5a6c-4bbe-8f1d-4f3e1f2c9a11","client-request-id":"539da3bd-1d7f-4d3c-9a6d-0d3b6b1f1c22"}}}`
	detailsErrorBody = `{"error":{"code":"Request_BadRequest","message":"One or more property values specified are invalid.","details":[{"target":"mailNickname","code":"PropertyConflict","message":"Another object with the same value for property mailNickname already exists."}],"innerError":{"date":"2021-05-18T19:03:10","request-id":"d9bbd4d8-5a6c-4bbe-8f1d-4f3e1f2c9a11","client-request-id":"539da3bd-1d7f-4d3c-9a6d-0d3b6b1f1c22"}}}`
)

func mustLoad(tb testing.TB) *Validator {
	tb.Helper()
	v, err := Load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return v
}

func TestValidateResponseAcceptsGraphShapes(t *testing.T) {
	t.Parallel()
	v := mustLoad(t)
	tests := []struct {
		name         string
		method, path string
		status       int
		header       http.Header
		body         string
	}{
		{"get user", "GET", "/users/" + userID, 200, jsonHeader(), userBody},
		{"get user by UPN", "GET", "/users/adele@contoso.com?$select=id,assignedLicenses", 200, jsonHeader(), userBody},
		{"list users with nextLink", "GET", "/users?$top=2&$count=true", 200, jsonHeader(), userListBody},
		{"create user", "POST", "/users", 201, jsonHeader(), userBody},
		{"update user", "PATCH", "/users/" + userID, 204, http.Header{}, ""},
		{"delete user", "DELETE", "/users/" + userID, 204, nil, ""},
		{"count users", "GET", "/users/$count", 200, textHeader(), "893"},
		{"count users with charset", "GET", "/users/$count", 200, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, "0"},
		{"user memberOf", "GET", "/users/" + userID + "/memberOf", 200, jsonHeader(), membersBody},
		{"user transitiveMemberOf", "GET", "/users/" + userID + "/transitiveMemberOf", 200, jsonHeader(), membersBody},
		{"license details", "GET", "/users/" + userID + "/licenseDetails", 200, jsonHeader(), licenseDetailsBody},
		{"assignLicense short form", "POST", "/users/adele@contoso.com/assignLicense", 200, jsonHeader(), userBody},
		{"assignLicense namespaced", "POST", "/users/" + userID + "/microsoft.graph.assignLicense", 200, jsonHeader(), userBody},
		{"reprocessLicenseAssignment", "POST", "/users/" + userID + "/reprocessLicenseAssignment", 200, jsonHeader(), userBody},
		{"get group with licenseProcessingState object", "GET", "/groups/" + groupID, 200, jsonHeader(), groupBody},
		{"create group", "POST", "/groups", 201, jsonHeader(), groupBody},
		{"group assignLicense 202", "POST", "/groups/" + groupID + "/assignLicense", 202, jsonHeader(), groupBody},
		{"group members", "GET", "/groups/" + groupID + "/members", 200, jsonHeader(), membersBody},
		{"group members count", "GET", "/groups/" + groupID + "/members/$count", 200, textHeader(), "2"},
		{"add member", "POST", "/groups/" + groupID + "/members/$ref", 204, nil, ""},
		{"remove member", "DELETE", "/groups/" + groupID + "/members/" + userID + "/$ref", 204, nil, ""},
		{"add owner", "POST", "/groups/" + groupID + "/owners/$ref", 204, nil, ""},
		{"transitive members", "GET", "/groups/" + groupID + "/transitiveMembers", 200, jsonHeader(), membersBody},
		{"members with license errors", "GET", "/groups/" + groupID + "/membersWithLicenseErrors", 200, jsonHeader(), membersBody},
		{"directory object", "GET", "/directoryObjects/" + groupID, 200, jsonHeader(), restoreBody},
		{"getByIds", "POST", "/directoryObjects/getByIds", 200, jsonHeader(), membersBody},
		{"deleted groups", "GET", "/directory/deletedItems/microsoft.graph.group", 200, jsonHeader(), deletedGroupsBody},
		{"restore", "POST", "/directory/deletedItems/" + groupID + "/restore", 200, jsonHeader(), restoreBody},
		{"purge", "DELETE", "/directory/deletedItems/" + groupID, 204, nil, ""},
		{"subscribedSkus", "GET", "/subscribedSkus", 200, jsonHeader(), skusBody},
		{"organization", "GET", "/organization", 200, jsonHeader(), organizationBody},
		{"directoryAudits", "GET", "/auditLogs/directoryAudits?$filter=category eq 'GroupManagement'", 200, jsonHeader(), auditsBody},
		{"case-insensitive segments", "GET", "/auditlogs/directoryaudits", 200, jsonHeader(), auditsBody},
		{"with /v1.0 prefix", "GET", "/v1.0/users/" + userID, 200, jsonHeader(), userBody},
		{"404 envelope", "GET", "/users/" + userID, 404, jsonHeader(), notFoundBody},
		{"400 envelope with details", "POST", "/groups", 400, http.Header{"Content-Type": {"application/json"}}, detailsErrorBody},
		{"429 on a list", "GET", "/users", 429, jsonHeader(), `{"error":{"code":"TooManyRequests","message":"Please retry again later.","innerError":{"date":"2021-05-18T19:03:10"}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := v.ValidateResponse(tc.method, tc.path, tc.status, tc.header, []byte(tc.body)); err != nil {
				t.Fatalf("ValidateResponse: %v", err)
			}
		})
	}
}

func TestValidateResponseRejectsBrokenResponses(t *testing.T) {
	t.Parallel()
	v := mustLoad(t)
	tests := []struct {
		name         string
		method, path string
		status       int
		header       http.Header
		body         string
		pointer      string // the violation's JSON pointer
		want         string // part of its message
	}{
		{"wrong type", "GET", "/users/" + userID, 200, jsonHeader(),
			strings.Replace(userBody, `"accountEnabled": true`, `"accountEnabled": "yes"`, 1), "/accountEnabled", "value must be a boolean"},
		{"unknown property", "GET", "/users/" + userID, 200, jsonHeader(),
			strings.Replace(userBody, `"usageLocation": "US"`, `"usageLocation": "US", "favouriteColour": "blue"`, 1),
			"/favouriteColour", `unknown property "favouriteColour": microsoft.graph.user declares no such property`},
		{"misspelled property in a collection", "GET", "/users", 200, jsonHeader(),
			strings.Replace(userListBody, `"surname": "Wilber"`, `"surName": "Wilber"`, 1), "/value/1/surName", "unknown property"},
		{"unknown property in a nested object", "GET", "/users/" + userID, 200, jsonHeader(),
			strings.Replace(userBody, `"skuId": "`+skuE3+`" } ]`, `"skuId": "`+skuE3+`", "seats": 1 } ]`, 1),
			"/assignedLicenses/0/seats", "unknown property"},
		{"missing value array", "GET", "/users", 200, jsonHeader(),
			`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users"}`, "/value", `property "value" is missing`},
		{"value not an array", "GET", "/groups", 200, jsonHeader(), `{"value":{}}`, "/value", "value must be an array"},
		{"wrong success status", "POST", "/users", 200, jsonHeader(), userBody, "status", "status 200, expected 201"},
		{"200 for a PATCH", "PATCH", "/users/" + userID, 200, jsonHeader(), userBody, "status", "expected 204"},
		{"200 for group assignLicense", "POST", "/groups/" + groupID + "/assignLicense", 200, jsonHeader(), groupBody, "status", "expected 202"},
		{"redirect", "GET", "/users", 302, nil, "", "status", "status 302"},
		{"204 with a body", "DELETE", "/users/" + userID, 204, jsonHeader(), `{}`, "", "must have no body"},
		{"empty 200", "GET", "/users/" + userID, 200, jsonHeader(), "", "", "empty body"},
		{"count not an integer", "GET", "/users/$count", 200, textHeader(), "two", "", "expected a non-negative integer"},
		{"text/plain where JSON is due", "GET", "/users", 200, textHeader(), "2", "header Content-Type", "expected application/json"},
		{"missing Content-Type", "GET", "/users/" + userID, 200, http.Header{}, userBody, "header Content-Type", "unexpected value"},
		{"bad uuid", "GET", "/users/" + userID, 200, jsonHeader(),
			strings.Replace(userBody, `"skuId": "`+skuE3+`" } ]`, `"skuId": "E3" } ]`, 1), "/assignedLicenses/0/skuId", "regular expression"},
		{"bad date-time", "GET", "/users/" + userID, 200, jsonHeader(),
			strings.Replace(userBody, `"createdDateTime": "2024-01-10T10:00:00Z"`, `"createdDateTime": "2024-01-10 10:00"`, 1), "/createdDateTime", "regular expression"},
		{"consumedUnits as a string", "GET", "/subscribedSkus", 200, jsonHeader(),
			strings.Replace(skusBody, `"consumedUnits": 14`, `"consumedUnits": "14"`, 1), "/value/0/consumedUnits", "must be an integer"},
		{"wrong type inside a derived item", "GET", "/groups/" + groupID + "/members", 200, jsonHeader(),
			strings.Replace(membersBody, `"securityEnabled": true`, `"securityEnabled": "yes"`, 1), "/value/1/securityEnabled", "must be a boolean"},
		{"unknown property inside a derived item", "GET", "/groups/" + groupID + "/members", 200, jsonHeader(),
			strings.Replace(membersBody, `"accountEnabled": true`, `"accountEnabled": true, "shoeSize": 9`, 1), "/value/0/shoeSize", "microsoft.graph.user declares no such property"},
		{"unknown @odata.type", "GET", "/groups/" + groupID + "/members", 200, jsonHeader(),
			strings.Replace(membersBody, `#microsoft.graph.user`, `#microsoft.graph.unicorn`, 1), "/value/0/@odata.type", "names no schema"},
		{"@odata.type not a directoryObject", "GET", "/groups/" + groupID + "/members", 200, jsonHeader(),
			strings.Replace(membersBody, `#microsoft.graph.user`, `#microsoft.graph.licenseDetails`, 1), "/value/0/@odata.type", "is not a microsoft.graph.directoryObject"},
		{"directoryObject item without @odata.type", "GET", "/users/" + userID + "/memberOf", 200, jsonHeader(),
			strings.Replace(membersBody, `"@odata.type": "#microsoft.graph.group", `, ``, 1), "/value/1/@odata.type", "@odata.type is missing"},
		{"@odata.count as a string", "GET", "/users", 200, jsonHeader(),
			strings.Replace(userListBody, `"@odata.count": 2`, `"@odata.count": "2"`, 1), "/@odata.count", "non-negative integer"},
		{"licenseProcessingState as a string", "GET", "/groups/" + groupID, 200, jsonHeader(),
			strings.Replace(groupBody, `{ "@odata.type": "microsoft.graph.licenseProcessingState", "state": "ProcessingComplete" }`, `"ProcessingComplete"`, 1),
			"/licenseProcessingState", "must be an object"},
		{"error without message", "GET", "/users/" + userID, 404, jsonHeader(),
			`{"error":{"code":"Request_ResourceNotFound","innerError":{"date":"2021-05-18T19:03:10"}}}`, "/error/message", `property "message" is missing`},
		{"error envelope with an unknown key", "GET", "/users/" + userID, 404, jsonHeader(),
			`{"error":{"code":"Request_ResourceNotFound","message":"x","status":404}}`, "/error/status", "unknown property"},
		{"bare error object", "GET", "/users/" + userID, 404, jsonHeader(),
			`{"code":"Request_ResourceNotFound","message":"x"}`, "/error", `property "error" is missing`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := v.ValidateResponse(tc.method, tc.path, tc.status, tc.header, []byte(tc.body))
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("ValidateResponse = %v, want a *ValidationError", err)
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

func TestValidationErrorText(t *testing.T) {
	t.Parallel()
	v := mustLoad(t)
	body := strings.Replace(userBody, `"accountEnabled": true`, `"accountEnabled": "yes"`, 1)
	err := v.ValidateResponse("GET", "/users/"+userID, 200, jsonHeader(), []byte(body))
	want := "response 200 of GET /users/{user-id} (user_GetUser): /accountEnabled: value must be a boolean"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
}

func TestNotServed(t *testing.T) {
	t.Parallel()
	v := mustLoad(t)
	tests := []struct{ method, path, want string }{
		{"GET", "/users/" + userID + "/ownedObjects", "GET /users/{user-id}/ownedObjects"},
		{"GET", "/groups/delta", "GET /groups/microsoft.graph.delta()"},
		{"POST", "/users/" + userID + "/getMemberGroups", "POST /users/{user-id}/microsoft.graph.getMemberGroups"},
		{"GET", "/directory/deletedItems", "GET /directory/deletedItems"},
		{"PUT", "/users/" + userID, "method not served"},
		{"GET", "/applications", "operation not in the served subset"},
		{"GET", "/$batch", "operation not in the served subset"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			err := v.ValidateResponse(tc.method, tc.path, 200, jsonHeader(), []byte(`{}`))
			if !errors.Is(err, ErrNotServed) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ValidateResponse = %v, want ErrNotServed mentioning %q", err, tc.want)
			}
			if err := v.ValidateRequest(tc.method, tc.path, jsonHeader(), nil); !errors.Is(err, ErrNotServed) {
				t.Fatalf("ValidateRequest = %v, want ErrNotServed", err)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	v := mustLoad(t)
	tests := []struct {
		method, path string
		want         Operation
		params       map[string]string
	}{
		{"GET", "/users/adele@contoso.com", Operation{"GET", "/users/{user-id}"}, map[string]string{"user-id": "adele@contoso.com"}},
		{"GET", "/users/a%23b@contoso.com", Operation{"GET", "/users/{user-id}"}, map[string]string{"user-id": "a#b@contoso.com"}},
		{"get", "/users/$count", Operation{"GET", "/users/$count"}, nil},
		{"POST", "/users/x/assignLicense", Operation{"POST", "/users/{user-id}/microsoft.graph.assignLicense"}, map[string]string{"user-id": "x"}},
		{"POST", "/directoryObjects/getByIds", Operation{"POST", "/directoryObjects/microsoft.graph.getByIds"}, nil},
		{"GET", "/directory/deletedItems/microsoft.graph.user", Operation{"GET", "/directory/deletedItems/microsoft.graph.user"}, nil},
		{"GET", "/directory/deletedItems/graph.group", Operation{"GET", "/directory/deletedItems/microsoft.graph.group"}, nil},
		{"POST", "/users/x/graph.assignLicense", Operation{"POST", "/users/{user-id}/microsoft.graph.assignLicense"}, map[string]string{"user-id": "x"}},
		{"GET", "/directory/deletedItems/" + userID, Operation{"GET", "/directory/deletedItems/{directoryObject-id}"}, map[string]string{"directoryObject-id": userID}},
		{"DELETE", "/groups/g/owners/o/$ref", Operation{"DELETE", "/groups/{group-id}/owners/{directoryObject-id}/$ref"}, map[string]string{"group-id": "g", "directoryObject-id": "o"}},
		{"GET", "/Groups/g/Members?$count=true", Operation{"GET", "/groups/{group-id}/members"}, map[string]string{"group-id": "g"}},
	}
	for _, tc := range tests {
		op, params, err := v.Match(tc.method, tc.path)
		if err != nil {
			t.Errorf("Match(%s %s): %v", tc.method, tc.path, err)
			continue
		}
		if op != tc.want {
			t.Errorf("Match(%s %s) = %s, want %s", tc.method, tc.path, op, tc.want)
		}
		for k, want := range tc.params {
			if params[k] != want {
				t.Errorf("Match(%s %s) param %s = %q, want %q", tc.method, tc.path, k, params[k], want)
			}
		}
	}
}

func TestValidateRequest(t *testing.T) {
	t.Parallel()
	v := mustLoad(t)
	createUser := `{"accountEnabled":true,"displayName":"Adele Vance","mailNickname":"adele","userPrincipalName":"adele@contoso.com",
		"usageLocation":"US","passwordProfile":{"forceChangePasswordNextSignIn":true,"password":"xWwvJ]6NMw+bWH-d"}}`
	createGroup := `{"displayName":"Finance dyn","mailNickname":"financedyn","mailEnabled":false,"securityEnabled":true,
		"groupTypes":["DynamicMembership"],"membershipRule":"(user.department -eq \"Finance\")","membershipRuleProcessingState":"On",
		"owners@odata.bind":["https://graph.microsoft.com/v1.0/users/` + userID + `"]}`
	assign := `{"addLicenses":[{"disabledPlans":["efb87545-963c-4e0d-99df-69c6916d9eb0"],"skuId":"` + skuE3 + `"}],"removeLicenses":[]}`
	ok := []struct{ name, method, path, body string }{
		{"list users with query options", "GET", "/users?$top=5&$select=id,displayName&$filter=accountEnabled eq true", ""},
		{"create user", "POST", "/users", createUser},
		{"create dynamic group with owners bind", "POST", "/groups", createGroup},
		{"patch user", "PATCH", "/users/" + userID, `{"usageLocation":"DE","department":"Finance"}`},
		{"assignLicense", "POST", "/users/" + userID + "/assignLicense", assign},
		{"group assignLicense", "POST", "/groups/" + groupID + "/assignLicense", assign},
		{"add member", "POST", "/groups/" + groupID + "/members/$ref", `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/` + userID + `"}`},
		{"getByIds", "POST", "/directoryObjects/getByIds", `{"ids":["` + userID + `"],"types":["user","group"]}`},
		{"reprocess without body", "POST", "/users/" + userID + "/reprocessLicenseAssignment", ""},
		{"delete member", "DELETE", "/groups/" + groupID + "/members/" + userID + "/$ref", ""},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{"ConsistencyLevel": {"eventual"}}
			if tc.body != "" {
				h.Set("Content-Type", "application/json")
			}
			if err := v.ValidateRequest(tc.method, tc.path, h, []byte(tc.body)); err != nil {
				t.Fatalf("ValidateRequest: %v", err)
			}
		})
	}
	bad := []struct{ name, method, path, body, pointer, want string }{
		{"$top not an integer", "GET", "/users?$top=abc", "", "query $top", "invalid integer"},
		{"assignLicense without removeLicenses", "POST", "/users/" + userID + "/assignLicense",
			`{"addLicenses":[]}`, "/removeLicenses", `property "removeLicenses" is missing`},
		{"skuId not a uuid", "POST", "/users/" + userID + "/assignLicense",
			`{"addLicenses":[{"skuId":"E5"}],"removeLicenses":[]}`, "/addLicenses/0/skuId", "regular expression"},
		{"create user with an invented property", "POST", "/users",
			strings.Replace(createUser, `"usageLocation":"US"`, `"usageLocation":"US","favouriteColour":"blue"`, 1), "/favouriteColour", "unknown property"},
		{"create user with a wrong type", "POST", "/users",
			strings.Replace(createUser, `"accountEnabled":true`, `"accountEnabled":"yes"`, 1), "/accountEnabled", "must be a boolean"},
		{"create user without passwordProfile", "POST", "/users",
			`{"accountEnabled":true,"displayName":"A","mailNickname":"a","userPrincipalName":"a@contoso.com"}`, "/passwordProfile", "is missing"},
		{"create group missing securityEnabled", "POST", "/groups",
			`{"displayName":"G","mailNickname":"g","mailEnabled":false}`, "/securityEnabled", "is missing"},
		{"add member without @odata.id", "POST", "/groups/" + groupID + "/members/$ref", `{"id":"x"}`, "/@odata.id", "is missing"},
		{"assignLicense with no body", "POST", "/users/" + userID + "/assignLicense", "", "", "addLicenses"},
		{"body not JSON", "PATCH", "/users/" + userID, `{"usageLocation":`, "", ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tc.body != "" {
				h.Set("Content-Type", "application/json")
			}
			err := v.ValidateRequest(tc.method, tc.path, h, []byte(tc.body))
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("ValidateRequest = %v, want a *ValidationError", err)
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

func BenchmarkValidateUser(b *testing.B) {
	v := mustLoad(b)
	h := jsonHeader()
	body := []byte(userBody)
	b.ReportAllocs()
	for b.Loop() {
		if err := v.ValidateResponse("GET", "/users/"+userID, 200, h, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateMembers(b *testing.B) {
	v := mustLoad(b)
	h := jsonHeader()
	body := []byte(membersBody)
	b.ReportAllocs()
	for b.Loop() {
		if err := v.ValidateResponse("GET", "/groups/"+groupID+"/members", 200, h, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	v := mustLoad(b)
	for b.Loop() {
		if _, _, err := v.Match("POST", "/users/adele@contoso.com/assignLicense"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad measures parsing the embedded subset and applying the workarounds (what the
// first Load call costs).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := load(document); err != nil {
			b.Fatal(err)
		}
	}
}
