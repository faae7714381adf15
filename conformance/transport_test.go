package conformance

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// roundTripFunc answers requests without a server.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func canned(status int, contentType, body string) roundTripFunc {
	return func(r *http.Request) (*http.Response, error) {
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		h.Set("request-id", "5a1f0c3e-1d2b-4c5d-9e8f-7a6b5c4d3e2f")
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}
}

const userID = "8267774c-a6bd-5979-9094-4f03f60356ea"

// The validating transport catches broken responses, hands every response back unchanged, and
// lets conforming ones through.
func TestValidatingTransportCatchesBrokenResponses(t *testing.T) {
	t.Parallel()
	const jsonCT = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
	goodUser := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users/$entity","id":"` + userID + `","displayName":"Morgan Reyes","accountEnabled":true}`
	tests := []struct {
		name         string
		method, path string
		reqBody      string
		answer       roundTripFunc
		wantPointers []string // violations expected; none for a conforming response
	}{
		{"conforming user", "GET", "/v1.0/users/" + userID, "", canned(200, jsonCT, goodUser), nil},
		{"wrong type and unknown property", "GET", "/v1.0/users/" + userID, "",
			canned(200, jsonCT, `{"id":"`+userID+`","displayName":"Morgan Reyes","accountEnabled":"yes","displayNam":"typo"}`),
			[]string{"/accountEnabled", "/displayNam"}},
		{"broken item inside a directoryObject collection", "GET", "/v1.0/groups/" + userID + "/members", "",
			canned(200, jsonCT, `{"value":[{"@odata.type":"#microsoft.graph.group","id":"`+userID+`","securityEnabled":"yes"}]}`),
			[]string{"/value/0/securityEnabled"}},
		{"wrong success status", "POST", "/v1.0/users", `{}`, canned(200, jsonCT, goodUser), []string{"status"}},
		{"204 with a body", "PATCH", "/v1.0/users/" + userID, `{}`, canned(204, jsonCT, goodUser), []string{""}},
		{"error envelope without a message", "GET", "/v1.0/users/" + userID, "",
			canned(404, "application/json", `{"error":{"code":"Request_ResourceNotFound"}}`), []string{"/error/message"}},
		{"success for an operation outside the subset", "GET", "/v1.0/users/" + userID + "/ownedObjects", "",
			canned(200, jsonCT, `{"value":[]}`), []string{"served subset"}},
		{"count that is not a number", "GET", "/v1.0/users/$count", "", canned(200, "text/plain", "many"), []string{"$count body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vt := NewValidatingTransport(tt.answer, validator)
			var body io.Reader
			if tt.reqBody != "" {
				body = strings.NewReader(tt.reqBody)
			}
			req, err := http.NewRequest(tt.method, "http://127.0.0.1:1"+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := (&http.Client{Transport: vt}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			want, _ := io.ReadAll(mustResponse(t, tt.answer, req).Body)
			if !bytes.Equal(got, want) {
				t.Errorf("body handed back %q, want the server's %q", got, want)
			}

			vs := vt.Violations()
			if len(tt.wantPointers) == 0 {
				for _, v := range vs {
					t.Errorf("conforming response reported: %s", v)
				}
				if st := vt.Stats(); st.Validated != 1 {
					t.Errorf("validated %d responses, want 1", st.Validated)
				}
				return
			}
			if len(vs) != 1 {
				t.Fatalf("%d violations, want 1: %v", len(vs), vs)
			}
			msg := vs[0].Err.Error()
			for _, p := range tt.wantPointers {
				if !strings.Contains(msg, p) {
					t.Errorf("violation %q does not name %q", msg, p)
				}
			}
		})
	}
}

func mustResponse(t *testing.T, rt http.RoundTripper, req *http.Request) *http.Response {
	t.Helper()
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestCheckLoopback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.0.0.5:8080/", true},
		{"https://[::1]:8443", true},
		{"http://localhost:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://192.168.1.10", false},
		{"http://graph.microsoft.com", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
	}
	for _, tt := range tests {
		if err := CheckLoopback(tt.url); (err == nil) != tt.ok {
			t.Errorf("CheckLoopback(%q) = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}
