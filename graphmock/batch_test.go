package graphmock

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// trBatchItem is a test's view of one $batch response item.
type trBatchItem struct {
	Status  int
	Headers map[string]any
	Body    any
}

// trRunBatch posts a $batch envelope and returns the items by id; the envelope must answer 200.
func trRunBatch(t *testing.T, s *Server, path string, env any) map[string]trBatchItem {
	t.Helper()
	res := trCall(t, s, http.MethodPost, path, trJSON(t, env))
	if res.status != http.StatusOK {
		t.Fatalf("POST %s: status %d, want 200: %s", path, res.status, res.body)
	}
	v := res.json(t)
	resps, ok := v["responses"].([]any)
	if !ok {
		t.Fatalf("no responses array: %s", res.body)
	}
	out := map[string]trBatchItem{}
	for _, r := range resps {
		m := r.(map[string]any)
		hdr, _ := m["headers"].(map[string]any)
		out[m["id"].(string)] = trBatchItem{Status: int(m["status"].(float64)), Headers: hdr, Body: m["body"]}
	}
	return out
}

func trReq(id, method, url string, extra ...any) map[string]any {
	m := map[string]any{"id": id, "method": method, "url": url}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	return m
}

func trEnvelope(items ...map[string]any) map[string]any { return map[string]any{"requests": items} }

var trJSONCT = map[string]string{"Content-Type": "application/json"}

func trUserBody(nick string) map[string]any {
	return map[string]any{
		"accountEnabled": true, "displayName": "Batch " + nick, "mailNickname": nick,
		"userPrincipalName": nick + "@larkspur.example",
		"passwordProfile":   map[string]any{"password": "Pa55w.rd-1234", "forceChangePasswordNextSignIn": false},
	}
}

func TestBatchParallel(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"v1.0", "beta"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			s, _ := trServer(t, Options{})
			got := trRunBatch(t, s, "/"+version+"/$batch", trEnvelope(
				trReq("1", "GET", "/users/"+trMorganID+"?$select=id,displayName"),
				trReq("2", "GET", "users/"+trAveryID),
				trReq("3", "GET", "/organization"),
				trReq("4", "GET", "/users/00000000-0000-0000-0000-000000000404"),
			))
			if len(got) != 4 {
				t.Fatalf("got %d responses, want 4", len(got))
			}
			seen := map[string]bool{}
			for id, want := range map[string]int{"1": 200, "2": 200, "3": 200, "4": 404} {
				it := got[id]
				if it.Status != want {
					t.Errorf("item %s: status %d, want %d (%v)", id, it.Status, want, it.Body)
				}
				rid, _ := it.Headers["request-id"].(string)
				if rid == "" || seen[rid] {
					t.Errorf("item %s: request-id %q missing or shared", id, rid)
				}
				seen[rid] = true
			}
			body := got["1"].Body.(map[string]any)
			if body["displayName"] != "Morgan Reyes" {
				t.Errorf("item 1 body %v", body)
			}
			if ctx, _ := body["@odata.context"].(string); !strings.Contains(ctx, "/"+version+"/$metadata#users(id,displayName)/$entity") {
				t.Errorf("item 1 @odata.context %q", ctx)
			}
			if ct, _ := got["1"].Headers["Content-Type"].(string); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("item 1 Content-Type %q", ct)
			}
			if got["1"].Headers["OData-Version"] != "4.0" || got["1"].Headers["x-ms-resource-unit"] != "1" {
				t.Errorf("item 1 headers %v", got["1"].Headers)
			}
			code, msg := trErrorOf(t, got["4"].Body)
			if code != "Request_ResourceNotFound" || !strings.HasPrefix(msg, "Resource '00000000-0000-0000-0000-000000000404' does not exist") {
				t.Errorf("item 4 error %s %q", code, msg)
			}
		})
	}
}

// TestBatchUnknownSegment: an item whose url repeats the version names the version as the
// segment Graph can't resolve, as Graph does.
func TestBatchUnknownSegment(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	got := trRunBatch(t, s, "/v1.0/$batch", trEnvelope(
		trReq("1", "GET", "/v1.0/users"),
		trReq("2", "GET", "/foo/users"),
		trReq("3", "GET", "/users"),
	))
	for id, want := range map[string]string{"1": "v1.0", "2": "foo"} {
		it := got[id]
		if it.Status != 400 {
			t.Fatalf("item %s: status %d, want 400 (%v)", id, it.Status, it.Body)
		}
		code, msg := trErrorOf(t, it.Body)
		if code != "BadRequest" || msg != "Resource not found for the segment '"+want+"'." {
			t.Errorf("item %s: %s %q", id, code, msg)
		}
	}
	if got["3"].Status != 200 {
		t.Errorf("item 3: status %d (%v)", got["3"].Status, got["3"].Body)
	}
}

func TestBatchSequentialChain(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	got := trRunBatch(t, s, "/v1.0/$batch", trEnvelope(
		trReq("1", "POST", "/users", "headers", trJSONCT, "body", trUserBody("chain.one")),
		trReq("2", "GET", "/users/chain.one@larkspur.example", "dependsOn", []string{"1"}),
		trReq("3", "PATCH", "/users/chain.one@larkspur.example", "dependsOn", []string{"2", "1"},
			"headers", trJSONCT, "body", map[string]any{"jobTitle": "Chained"}),
		trReq("4", "GET", "/users/chain.one@larkspur.example?$select=jobTitle", "dependsOn", []string{"3"}),
	))
	for id, want := range map[string]int{"1": 201, "2": 200, "3": 204, "4": 200} {
		if got[id].Status != want {
			t.Errorf("item %s: status %d, want %d (%v)", id, got[id].Status, want, got[id].Body)
		}
	}
	if b, _ := got["4"].Body.(map[string]any); b["jobTitle"] != "Chained" {
		t.Errorf("item 4 body %v: the PATCH should have run before it", got["4"].Body)
	}
	if got["3"].Body != nil {
		t.Errorf("204 item has a body: %v", got["3"].Body)
	}
}

func TestBatchFailedDependency(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	got := trRunBatch(t, s, "/v1.0/$batch", trEnvelope(
		trReq("1", "GET", "/users/nobody@larkspur.example"),
		trReq("2", "POST", "/users", "dependsOn", []string{"1"}, "headers", trJSONCT, "body", trUserBody("never.made")),
		trReq("3", "GET", "/users/"+trMorganID, "dependsOn", []string{"2"}),
	))
	if got["1"].Status != 404 {
		t.Fatalf("item 1: status %d, want 404", got["1"].Status)
	}
	for _, id := range []string{"2", "3"} {
		if got[id].Status != http.StatusFailedDependency {
			t.Errorf("item %s: status %d, want 424", id, got[id].Status)
		}
		code, msg := trErrorOf(t, got[id].Body)
		if code != "FailedDependency" || msg != "The request was not run because a request it depends on failed." {
			t.Errorf("item %s: error %s %q", id, code, msg)
		}
	}
	if res := trCall(t, s, "GET", "/v1.0/users/never.made@larkspur.example", ""); res.status != 404 {
		t.Errorf("the dependent POST ran: GET answers %d", res.status)
	}
}

func TestBatchEnvelopeRefusals(t *testing.T) {
	t.Parallel()
	many := make([]map[string]any, 21)
	for i := range many {
		many[i] = trReq(fmt.Sprint(i+1), "GET", "/users")
	}
	twenty := many[:20]
	cases := []struct {
		name string
		body string
		code string
		msg  string
	}{
		{"malformed JSON", `{"requests":[`, "BadRequest", "Invalid batch payload format."},
		{"not an object", `[1,2]`, "BadRequest", "Invalid batch payload format."},
		{"no requests member", `{"value":[]}`, "BadRequest", "Invalid batch payload format."},
		{"requests not an array", `{"requests":{"id":"1"}}`, "BadRequest", "Invalid batch payload format."},
		{"item without id", trJSON(t, trEnvelope(map[string]any{"method": "GET", "url": "/users"})), "BadRequest", "Invalid batch payload format."},
		{"item without url", trJSON(t, trEnvelope(map[string]any{"id": "1", "method": "GET"})), "BadRequest", "Invalid batch payload format."},
		{"more than 20", trJSON(t, trEnvelope(many...)), "BadRequest", "The batch request contains more than the maximum of 20 requests."},
		{"duplicate ids (case-insensitive)", trJSON(t, trEnvelope(trReq("a", "GET", "/users"), trReq("A", "GET", "/groups"))),
			"BadRequest", "Request Id A has to be unique in a batch."},
		{"absolute url", trJSON(t, trEnvelope(trReq("1", "GET", "https://graph.microsoft.com/v1.0/users"))), "BadRequest", "Invalid batch payload format."},
		{"scheme-relative url", trJSON(t, trEnvelope(trReq("1", "GET", "//graph.microsoft.com/v1.0/users"))), "BadRequest", "Invalid batch payload format."},
		{"nested batch", trJSON(t, trEnvelope(trReq("1", "POST", "/$batch", "headers", trJSONCT, "body", trEnvelope()))), "BadRequest", "Invalid batch payload format."},
		{"unknown dependsOn", trJSON(t, trEnvelope(trReq("1", "GET", "/users"), trReq("2", "GET", "/groups", "dependsOn", []string{"9"}))),
			"BadRequest", "Invalid dependency for request Id 2."},
		{"dependsOn a later id", trJSON(t, trEnvelope(trReq("1", "GET", "/users", "dependsOn", []string{"2"}), trReq("2", "GET", "/groups"))),
			"BadRequest", "Invalid dependency for request Id 1."},
		{"body without Content-Type", trJSON(t, trEnvelope(trReq("1", "POST", "/users", "body", trUserBody("x")))),
			"BadRequest", "Write request id : 1 does not contain Content-Type header or body."},
		{"write without body", trJSON(t, trEnvelope(trReq("1", "GET", "/users"), trReq("w", "PATCH", "/users/"+trMorganID, "headers", trJSONCT))),
			"BadRequest", "Write request id : w does not contain Content-Type header or body."},
		{"bad base64 body", trJSON(t, trEnvelope(trReq("1", "POST", "/users", "headers", trJSONCT, "body", "%%%"))), "BadRequest", "Invalid batch payload format."},
		{"mixed: independent item after a chain", trJSON(t, trEnvelope(trReq("1", "GET", "/users"), trReq("2", "GET", "/groups", "dependsOn", []string{"1"}), trReq("3", "GET", "/organization"))),
			"BadRequest", "Batch should be either fully sequential or fully parallel."},
		{"mixed: fan-out", trJSON(t, trEnvelope(trReq("1", "GET", "/users"), trReq("2", "GET", "/groups", "dependsOn", []string{"1"}), trReq("3", "GET", "/organization", "dependsOn", []string{"1"}))),
			"BadRequest", "Batch should be either fully sequential or fully parallel."},
		{"mixed: first item depends, gap before", trJSON(t, trEnvelope(trReq("1", "GET", "/users"), trReq("2", "GET", "/groups"), trReq("3", "GET", "/organization", "dependsOn", []string{"2"}))),
			"BadRequest", "Batch should be either fully sequential or fully parallel."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := trServer(t, Options{})
			res := trCall(t, s, http.MethodPost, "/v1.0/$batch", tc.body)
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", res.status, res.body)
			}
			code, msg := trErrorOf(t, res.body)
			if code != tc.code || msg != tc.msg {
				t.Errorf("error %s %q, want %s %q", code, msg, tc.code, tc.msg)
			}
		})
	}
	t.Run("exactly 20 is accepted", func(t *testing.T) {
		t.Parallel()
		s, _ := trServer(t, Options{})
		if got := trRunBatch(t, s, "/v1.0/$batch", trEnvelope(twenty...)); len(got) != 20 {
			t.Errorf("got %d responses, want 20", len(got))
		}
	})
	t.Run("an envelope labelled as text is refused", func(t *testing.T) {
		t.Parallel()
		s := newServer(t)
		req := httptest.NewRequest(http.MethodPost, "http://graph.test/v1.0/$batch", strings.NewReader(trJSON(t, trEnvelope(twenty[:1]...))))
		req.Header.Set("Content-Type", "text/plain")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		decodeRecorded(t, rec).wantError(t, http.StatusUnsupportedMediaType, "UnsupportedMediaType",
			"The request body's Content-Type is not supported. Send application/json.")
	})
	t.Run("PUT $batch is not allowed", func(t *testing.T) {
		t.Parallel()
		s, _ := trServer(t, Options{})
		res := trCall(t, s, http.MethodPut, "/v1.0/$batch", "")
		if res.status != http.StatusMethodNotAllowed {
			t.Errorf("status %d, want 405", res.status)
		}
	})
}

func TestBatchBodies(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	b64 := base64.StdEncoding.EncodeToString([]byte(trJSON(t, trUserBody("b64.user"))))
	got := trRunBatch(t, s, "/v1.0/$batch", trEnvelope(
		trReq("1", "POST", "/users", "headers", trJSONCT, "body", b64),
		trReq("2", "GET", "/users/$count", "headers", map[string]string{"ConsistencyLevel": "eventual"}),
		trReq("3", "GET", "/users/$count"),
		trReq("4", "GET", "/users?$count=true&$top=1", "headers", map[string]string{"consistencylevel": "eventual", "client-request-id": "c0ffee00-0000-0000-0000-000000000001"}),
	))
	if got["1"].Status != 201 {
		t.Fatalf("base64 body: status %d, want 201: %v", got["1"].Status, got["1"].Body)
	}
	if b := got["1"].Body.(map[string]any); b["userPrincipalName"] != "b64.user@larkspur.example" {
		t.Errorf("base64 body created %v", b)
	}
	// ConsistencyLevel inside an item is honoured; the text/plain count comes back base64-encoded.
	if got["2"].Status != 200 {
		t.Fatalf("$count with ConsistencyLevel: status %d: %v", got["2"].Status, got["2"].Body)
	}
	raw, err := base64.StdEncoding.DecodeString(got["2"].Body.(string))
	if err != nil || strings.TrimSpace(string(raw)) == "" || got["2"].Headers["Content-Type"] != "text/plain" {
		t.Errorf("$count body %v (%v), headers %v", got["2"].Body, err, got["2"].Headers)
	}
	if got["3"].Status != 400 {
		t.Fatalf("$count without ConsistencyLevel: status %d, want 400", got["3"].Status)
	}
	if code, msg := trErrorOf(t, got["3"].Body); code != "Request_BadRequest" || msg != "$count is not currently supported." {
		t.Errorf("$count without ConsistencyLevel: %s %q", code, msg)
	}
	if got["4"].Status != 200 || got["4"].Headers["client-request-id"] != "c0ffee00-0000-0000-0000-000000000001" {
		t.Errorf("item 4: status %d headers %v", got["4"].Status, got["4"].Headers)
	}
}

func TestBatchItemThrottled(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{Throttle: &ThrottleConfig{ReadUnits: 3, ReadWindow: 10 * 1e9}})
	items := make([]map[string]any, 5)
	for i := range items {
		items[i] = trReq(fmt.Sprint(i+1), "GET", "/users/"+trMorganID)
	}
	got := trRunBatch(t, s, "/v1.0/$batch", trEnvelope(items...))
	for id, want := range map[string]int{"1": 200, "2": 200, "3": 200, "4": 429, "5": 429} {
		if got[id].Status != want {
			t.Errorf("item %s: status %d, want %d", id, got[id].Status, want)
		}
	}
	it := got["4"]
	if code, msg := trErrorOf(t, it.Body); code != "TooManyRequests" || msg != "Too many requests from Identifier:default+"+s.TenantID()+". Please try again later." {
		t.Errorf("throttled item error %s %q", code, msg)
	}
	if it.Headers["Retry-After"] != "4" || it.Headers["x-ms-throttle-scope"] != "Tenant_Application/Read/default/"+s.TenantID() {
		t.Errorf("throttled item headers %v", it.Headers)
	}
}

func TestBatchItemFaulted(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	ra := 7
	if _, err := s.AddFault(FaultRule{Method: "GET", Path: "/users/*", Status: 503, RetryAfter: &ra, Count: 1}); err != nil {
		t.Fatal(err)
	}
	got := trRunBatch(t, s, "/v1.0/$batch", trEnvelope(
		trReq("1", "GET", "/users/"+trMorganID),
		trReq("2", "GET", "/users/"+trMorganID),
		trReq("3", "GET", "/groups"),
	))
	if got["1"].Status != 503 || got["1"].Headers["Retry-After"] != "7" {
		t.Errorf("item 1: status %d headers %v, want 503 with Retry-After 7", got["1"].Status, got["1"].Headers)
	}
	if got["2"].Status != 200 || got["3"].Status != 200 {
		t.Errorf("items 2, 3: %d %d, want 200 200", got["2"].Status, got["3"].Status)
	}
}

func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "ctl\x00\x1f\n\t", "ünïcødé ✓", "<a&b>", "bad\xffutf8"} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		want := strings.ToValidUTF8(s, "\uFFFD")
		if got != want {
			t.Errorf("round trip %q → %q", s, got)
		}
	}
}

func TestBatchEnvelopeFaultAndHeaders(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{Throttle: &ThrottleConfig{ReadUnits: 1}})
	body := trJSON(t, trEnvelope(trReq("1", "GET", "/organization")))
	res := trCall(t, s, http.MethodPost, "/v1.0/$batch", body)
	if res.status != 200 || res.header.Get("x-ms-resource-unit") != "" || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("envelope: %d %v", res.status, res.header)
	}
	if got := res.json(t)["responses"].([]any)[0].(map[string]any)["status"]; got != 200.0 {
		t.Errorf("item: status %v, want 200 (a cost above the budget takes the whole bucket)", got)
	}
	// The envelope spends nothing: its one item took the only unit, the next direct call is throttled.
	if res := trCall(t, s, http.MethodGet, "/v1.0/organization", ""); res.status != 429 {
		t.Errorf("direct call after the batch: %d, want 429", res.status)
	}
	if _, err := s.AddFault(FaultRule{Path: "/$batch", Status: 503, Count: 1}); err != nil {
		t.Fatal(err)
	}
	if res := trCall(t, s, http.MethodPost, "/v1.0/$batch", body); res.status != 503 {
		t.Errorf("envelope with a /$batch rule: %d, want 503", res.status)
	}
}

// TestBatchAssignLicenses assigns a SKU to every licensable fixture user in one batch while a
// fault rule throttles the first two assignments: the batch is 200, those items are 429 with
// Retry-After and change nothing, the others are 200 and consume seats.
func TestBatchAssignLicenses(t *testing.T) {
	t.Parallel()
	const speE3 = "05e9a617-0261-4cee-bb44-138d3ef5d965" // 50 seats, none consumed in the fixture
	s, _ := trServer(t, Options{})
	ra := 3
	if _, err := s.AddFault(FaultRule{Method: "POST", Path: "/users/*/assignLicense", Status: 429, RetryAfter: &ra, Count: 2}); err != nil {
		t.Fatal(err)
	}
	res := trCall(t, s, "GET", "/v1.0/users?$select=id,usageLocation&$top=999", "")
	var items []map[string]any
	for _, u := range res.json(t)["value"].([]any) {
		m := u.(map[string]any)
		if m["usageLocation"] == nil || len(items) == 20 {
			continue
		}
		items = append(items, trReq(fmt.Sprint(len(items)+1), "POST", "/users/"+m["id"].(string)+"/assignLicense", "headers", trJSONCT,
			"body", map[string]any{"addLicenses": []any{map[string]any{"skuId": speE3, "disabledPlans": []string{}}}, "removeLicenses": []string{}}))
	}
	if len(items) < 5 {
		t.Fatalf("only %d licensable users in the fixture", len(items))
	}
	got := trRunBatch(t, s, "/v1.0/$batch", trEnvelope(items...))
	ok := 0
	for i := range items {
		it := got[fmt.Sprint(i+1)]
		switch {
		case i < 2:
			if it.Status != 429 || it.Headers["Retry-After"] != "3" {
				t.Errorf("item %d: %d %v, want 429 with Retry-After 3", i+1, it.Status, it.Headers)
			}
		case it.Status == 200:
			ok++
		default:
			t.Errorf("item %d: %d %v", i+1, it.Status, it.Body)
		}
	}
	sku := trCall(t, s, "GET", "/v1.0/subscribedSkus", "").json(t)
	for _, v := range sku["value"].([]any) {
		m := v.(map[string]any)
		if m["skuId"] == speE3 && int(m["consumedUnits"].(float64)) != ok {
			t.Errorf("consumedUnits %v, want %d (throttled items must change nothing)", m["consumedUnits"], ok)
		}
	}
}
