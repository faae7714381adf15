package graphmock

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/graphmock/graphmock/openapi"
)

// TestBatchExchangesValidate checks whole $batch exchanges, and every inner request and
// response, against Microsoft's OpenAPI description and Graph's batch rules (openapi.ValidateBatch).
func TestBatchExchangesValidate(t *testing.T) {
	t.Parallel()
	v, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	many := make([]map[string]any, 21)
	for i := range many {
		many[i] = trReq(fmt.Sprint(i+1), "GET", "/users/"+trMorganID)
	}
	cases := []struct {
		name     string
		throttle *ThrottleConfig
		env      map[string]any
		status   int
	}{
		{"parallel reads", nil, trEnvelope(
			trReq("1", "GET", "/users/"+trMorganID+"?$select=id,displayName"),
			trReq("2", "GET", "/subscribedSkus"),
			trReq("3", "GET", "/organization"),
			trReq("4", "GET", "/users/00000000-0000-0000-0000-000000000404"),
			trReq("5", "GET", "/users/$count", "headers", map[string]string{"ConsistencyLevel": "eventual"}),
		), 200},
		{"sequential writes", nil, trEnvelope(
			trReq("1", "POST", "/users", "headers", trJSONCT, "body", trUserBody("oas.chain")),
			trReq("2", "PATCH", "/users/oas.chain@larkspur.example", "dependsOn", []string{"1"}, "headers", trJSONCT, "body", map[string]any{"jobTitle": "X"}),
			trReq("3", "GET", "/users/oas.chain@larkspur.example", "dependsOn", []string{"2"}),
		), 200},
		{"failed dependency", nil, trEnvelope(
			trReq("1", "GET", "/users/nobody@larkspur.example"),
			trReq("2", "GET", "/users/"+trMorganID, "dependsOn", []string{"1"}),
		), 200},
		{"throttled items", &ThrottleConfig{ReadUnits: 1}, trEnvelope(
			trReq("1", "GET", "/users/"+trMorganID), trReq("2", "GET", "/users/"+trMorganID),
		), 200},
		{"too many", nil, trEnvelope(many...), 400},
		{"duplicate ids", nil, trEnvelope(trReq("a", "GET", "/users"), trReq("A", "GET", "/users")), 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := trServer(t, Options{Throttle: tc.throttle})
			body := trJSON(t, tc.env)
			res := trCall(t, s, http.MethodPost, "/v1.0/$batch", body)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.status, tc.status, res.body)
			}
			if err := v.ValidateBatch([]byte(body), res.status, res.header, res.body); err != nil {
				t.Errorf("exchange does not validate: %v\n%s", err, res.body)
			}
		})
	}
}
