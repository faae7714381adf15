package conformance

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/google/uuid"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

var batchErrorsOnce sync.Once

// registerBatchErrors registers Graph's error type for batch items with the SDK.
func registerBatchErrors() {
	batchErrorsOnce.Do(func() {
		_ = msgraphgocore.RegisterError(msgraphgocore.BatchRequestErrorRegistryKey, abstractions.ErrorMappings{
			"4XX": odataerrors.CreateODataErrorFromDiscriminatorValue,
			"5XX": odataerrors.CreateODataErrorFromDiscriminatorValue,
		})
	})
}

// JSON batching through the SDK's batch support: create users, license them and read them back
// in batches; every inner response is validated against the spec too.
func TestBatchWithSDK(t *testing.T) {
	e := newEnv(t)
	sku := skuID(e.skuByPart("EMS"))

	batch := msgraphgocore.NewBatchRequest(e.adapter)
	var items []msgraphgocore.BatchItem
	for i := range 3 {
		u := e.newUser("batch" + strconv.Itoa(i))
		u.SetUsageLocation(ptr("US"))
		info, err := e.client.Users().ToPostRequestInformation(e.ctx, u, nil)
		if err != nil {
			t.Fatalf("request information: %v", err)
		}
		item, err := batch.AddBatchRequestStep(*info)
		if err != nil {
			t.Fatalf("add batch step: %v", err)
		}
		items = append(items, item)
	}
	resp, err := batch.Send(e.ctx, e.adapter)
	if err != nil {
		t.Fatalf("send batch: %v", err)
	}
	var uids []string
	for _, item := range items {
		if st := resp.GetStatusCodes()[*item.GetId()]; st != http.StatusCreated {
			t.Fatalf("item %s: status %d, want 201", *item.GetId(), st)
		}
		u, err := msgraphgocore.GetBatchResponseById[models.Userable](resp, *item.GetId(), models.CreateUserFromDiscriminatorValue)
		if err != nil {
			t.Fatalf("item %s: %v", *item.GetId(), err)
		}
		uids = append(uids, deref(u.GetId()))
	}

	licensing := msgraphgocore.NewBatchRequest(e.adapter)
	var assigns []msgraphgocore.BatchItem
	for _, uid := range uids {
		body := users.NewItemAssignLicensePostRequestBody()
		body.SetAddLicenses(assignedLicenses([]license{{sku, nil}}))
		body.SetRemoveLicenses([]uuid.UUID{})
		info, err := e.client.Users().ByUserId(uid).AssignLicense().ToPostRequestInformation(e.ctx, body, nil)
		if err != nil {
			t.Fatalf("request information: %v", err)
		}
		item, err := licensing.AddBatchRequestStep(*info)
		if err != nil {
			t.Fatalf("add batch step: %v", err)
		}
		assigns = append(assigns, item)
	}
	missing := "00000000-0000-4000-8000-000000000000"
	info, err := e.client.Users().ByUserId(missing).ToGetRequestInformation(e.ctx, nil)
	if err != nil {
		t.Fatalf("request information: %v", err)
	}
	notFound, err := licensing.AddBatchRequestStep(*info)
	if err != nil {
		t.Fatalf("add batch step: %v", err)
	}
	resp, err = licensing.Send(e.ctx, e.adapter)
	if err != nil {
		t.Fatalf("send batch: %v", err)
	}
	for i, item := range assigns {
		if st := resp.GetStatusCodes()[*item.GetId()]; st != http.StatusOK {
			t.Errorf("assignLicense item for %s: status %d, want 200", uids[i], st)
		}
	}
	if st := resp.GetStatusCodes()[*notFound.GetId()]; st != http.StatusNotFound {
		t.Errorf("GET of a missing user in a batch: status %d, want 404", st)
	}
	// With Graph's error type registered for batch items (as an application does once), the
	// SDK surfaces the item's error envelope as an *odataerrors.ODataError.
	registerBatchErrors()
	_, err = msgraphgocore.GetBatchResponseById[models.Userable](resp, *notFound.GetId(), models.CreateUserFromDiscriminatorValue)
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		t.Fatalf("reading the missing user's item: %T %v, want *odataerrors.ODataError", err, err)
	}
	if main := oe.GetErrorEscaped(); main == nil || deref(main.GetCode()) != "Request_ResourceNotFound" ||
		deref(main.GetMessage()) != "Resource '"+missing+"' does not exist or one of its queried reference-property objects are not present." {
		t.Errorf("batch item error %v, want Request_ResourceNotFound for %s", err, missing)
	}
	for _, uid := range uids {
		if assigned(e.licensing(uid), sku) == nil {
			t.Errorf("user %s has no EMS after the batch", uid)
		}
	}
}

// The batch envelope's rules over raw HTTP: dependsOn chains, 424 for a failed dependency, and
// the 400s for malformed batches.
func TestBatchStatusCodesAndErrors(t *testing.T) {
	e := newEnv(t)
	upn := e.nick("dana") + "@" + e.tenantDomain()
	create := map[string]any{"id": "1", "method": "POST", "url": "/users", "headers": map[string]string{"Content-Type": "application/json"},
		"body": map[string]any{"accountEnabled": true, "displayName": e.name("Dana"), "mailNickname": e.nick("dana"),
			"userPrincipalName": upn, "passwordProfile": map[string]any{"password": "Conformance-" + e.suffix + "!"}}}
	update := map[string]any{"id": "2", "dependsOn": []string{"1"}, "method": "PATCH", "url": "/users/" + upn,
		"headers": map[string]string{"Content-Type": "application/json"}, "body": map[string]any{"jobTitle": "Analyst"}}
	r := e.do(http.MethodPost, "/$batch", map[string]any{"requests": []any{create, update}})
	r.wantStatus(t, http.StatusOK)
	var out struct {
		Responses []struct {
			ID     string `json:"id"`
			Status int    `json:"status"`
		} `json:"responses"`
	}
	r.decode(t, &out)
	statuses := map[string]int{}
	for _, x := range out.Responses {
		statuses[x.ID] = x.Status
	}
	if statuses["1"] != http.StatusCreated || statuses["2"] != http.StatusNoContent {
		t.Errorf("statuses %v, want 1:201 2:204", statuses)
	}

	// The same batch again: the create fails (duplicate), the update depends on it.
	r = e.do(http.MethodPost, "/$batch", map[string]any{"requests": []any{create, update}})
	r.wantStatus(t, http.StatusOK)
	r.decode(t, &out)
	for _, x := range out.Responses {
		statuses[x.ID] = x.Status
	}
	if statuses["1"] != http.StatusBadRequest || statuses["2"] != http.StatusFailedDependency {
		t.Errorf("statuses %v, want 1:400 2:424", statuses)
	}

	// An item's error travels as Graph's error envelope inside the batch answer.
	const missing = "00000000-0000-4000-8000-000000000000"
	r = e.do(http.MethodPost, "/$batch", map[string]any{"requests": []any{map[string]any{"id": "x", "method": "GET", "url": "/users/" + missing}}})
	r.wantStatus(t, http.StatusOK)
	var failed struct {
		Responses []struct {
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    ErrorBody         `json:"body"`
		} `json:"responses"`
	}
	r.decode(t, &failed)
	if len(failed.Responses) != 1 || failed.Responses[0].Status != http.StatusNotFound ||
		failed.Responses[0].Body.Error.Code != "Request_ResourceNotFound" ||
		failed.Responses[0].Body.Error.Message != "Resource '"+missing+"' does not exist or one of its queried reference-property objects are not present." {
		t.Errorf("batch item for a missing user: %s", r.Body)
	}

	get := func(id string) map[string]any {
		return map[string]any{"id": id, "method": "GET", "url": "/users?$top=1"}
	}
	tooMany := make([]any, 21)
	for i := range tooMany {
		tooMany[i] = get(strconv.Itoa(i + 1))
	}
	tests := []struct {
		name    string
		body    any
		message string
	}{
		{"duplicate ids", map[string]any{"requests": []any{get("a"), get("A")}}, "Request Id A has to be unique in a batch."},
		{"more than 20 requests", map[string]any{"requests": tooMany}, "The batch request contains more than the maximum of 20 requests."},
		{"absolute url", map[string]any{"requests": []any{map[string]any{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/users"}}}, "Invalid batch payload format."},
		{"write without Content-Type", map[string]any{"requests": []any{map[string]any{"id": "1", "method": "PATCH", "url": "/users/" + upn, "body": map[string]any{"city": "Oslo"}}}},
			"Write request id : 1 does not contain Content-Type header or body."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.do(http.MethodPost, "/$batch", tt.body).wantError(t, http.StatusBadRequest, "BadRequest", tt.message)
		})
	}
}
