package graphmock

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// trStep is one call of a throttling scenario; advance moves the engine clock first.
type trStep struct {
	advance time.Duration
	method  string
	path    string
	body    string
}

func trRunSteps(t *testing.T, cfg ThrottleConfig, steps []trStep) []int {
	t.Helper()
	s, clk := trServer(t, Options{Throttle: &cfg})
	out := make([]int, len(steps))
	for i, st := range steps {
		clk.Advance(st.advance)
		out[i] = trCall(t, s, st.method, st.path, st.body).status
	}
	return out
}

func TestThrottleDeterministic(t *testing.T) {
	t.Parallel()
	cfg := ThrottleConfig{ReadUnits: 5, ReadWindow: 10 * time.Second, WriteRequests: 2, WriteWindow: 60 * time.Second}
	var steps []trStep
	for i := 0; i < 12; i++ {
		steps = append(steps, trStep{advance: time.Duration(i%3) * 700 * time.Millisecond, method: "GET", path: "/v1.0/users/" + trMorganID})
		if i%4 == 0 {
			steps = append(steps, trStep{method: "PATCH", path: "/v1.0/users/" + trMorganID, body: `{"jobTitle":"T"}`})
		}
		if i%5 == 0 {
			steps = append(steps, trStep{method: "GET", path: "/v1.0/users"}) // a collection: 2 units
		}
	}
	first := trRunSteps(t, cfg, steps)
	for run := 0; run < 3; run++ {
		if again := trRunSteps(t, cfg, steps); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d throttled differently:\n%v\n%v", run, first, again)
		}
	}
	n429 := 0
	for _, st := range first {
		if st == http.StatusTooManyRequests {
			n429++
		}
	}
	if n429 == 0 || n429 == len(first) {
		t.Fatalf("scenario should throttle some calls, got %v", first)
	}
	want := []int{200, 204, 200, 200, 200, 200, 429, 204, 200, 429, 429, 429, 200, 429, 429, 429, 429, 200}
	if !reflect.DeepEqual(first, want) {
		t.Errorf("statuses\n got %v\nwant %v", first, want)
	}
}

func TestThrottleHeadersAndRefill(t *testing.T) {
	t.Parallel()
	s, clk := trServer(t, Options{Throttle: &ThrottleConfig{ReadUnits: 10, ReadWindow: 10 * time.Second}})
	path := "/v1.0/users/" + trMorganID
	var last trResult
	for i := 0; i < 10; i++ {
		last = trCall(t, s, "GET", path, "")
		if last.status != 200 {
			t.Fatalf("call %d: status %d", i+1, last.status)
		}
		if last.header.Get("x-ms-resource-unit") != "1" {
			t.Fatalf("call %d: x-ms-resource-unit %q", i+1, last.header.Get("x-ms-resource-unit"))
		}
		wantPct := ""
		switch i + 1 {
		case 8:
			wantPct = "0.8"
		case 9:
			wantPct = "0.9"
		case 10:
			wantPct = "1.0"
		}
		if got := last.header.Get("x-ms-throttle-limit-percentage"); got != wantPct {
			t.Errorf("call %d: x-ms-throttle-limit-percentage %q, want %q", i+1, got, wantPct)
		}
	}
	res := trCall(t, s, "GET", path, "")
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("11th call: status %d, want 429", res.status)
	}
	tenant := s.TenantID()
	for k, want := range map[string]string{
		"Retry-After":                    "1",
		"x-ms-throttle-scope":            "Tenant_Application/Read/default/" + tenant,
		"x-ms-throttle-information":      "ResourceUnitLimitExceeded",
		"x-ms-resource-unit":             "1",
		"x-ms-throttle-limit-percentage": "1.1",
	} {
		if got := res.header.Get(k); got != want {
			t.Errorf("429 header %s = %q, want %q", k, got, want)
		}
	}
	code, msg := trErrorOf(t, res.body)
	if code != "TooManyRequests" || msg != "Too many requests from Identifier:default+"+tenant+". Please try again later." {
		t.Errorf("429 error %s %q", code, msg)
	}
	if rid := res.header.Get("request-id"); rid == "" || !strings.Contains(string(res.body), rid) {
		t.Errorf("429 request-id %q not mirrored in the envelope", rid)
	}
	clk.Advance(999 * time.Millisecond)
	if res := trCall(t, s, "GET", path, ""); res.status != 429 {
		t.Errorf("before Retry-After: status %d, want 429", res.status)
	}
	clk.Advance(time.Millisecond)
	if res := trCall(t, s, "GET", path, ""); res.status != 200 {
		t.Errorf("after Retry-After: status %d, want 200", res.status)
	}
	clk.Advance(10 * time.Second)
	for i := 0; i < 10; i++ {
		if res := trCall(t, s, "GET", path, ""); res.status != 200 {
			t.Fatalf("after a full window, call %d: status %d", i+1, res.status)
		}
	}
}

func TestThrottleReadWriteSplitAndApps(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{Throttle: &ThrottleConfig{ReadUnits: 100, WriteRequests: 2, WriteWindow: time.Minute}})
	path := "/v1.0/users/" + trMorganID
	for i := 0; i < 2; i++ {
		if res := trCall(t, s, "PATCH", path, `{"jobTitle":"W"}`); res.status != 204 {
			t.Fatalf("write %d: %d %s", i+1, res.status, res.body)
		}
	}
	res := trCall(t, s, "PATCH", path, `{"jobTitle":"W"}`)
	if res.status != 429 || res.header.Get("x-ms-throttle-scope") != "Tenant_Application/Write/default/"+s.TenantID() ||
		res.header.Get("x-ms-throttle-information") != "WriteLimitExceeded" || res.header.Get("Retry-After") != "30" {
		t.Errorf("third write: %d %v", res.status, res.header)
	}
	if res := trCall(t, s, "GET", path, ""); res.status != 200 {
		t.Errorf("read after writes are spent: %d, want 200", res.status)
	}
	// Another application has its own buckets.
	r := httptest.NewRequest("PATCH", "http://127.0.0.1"+path, strings.NewReader(`{"jobTitle":"W"}`))
	r.Header.Set("Content-Type", "application/json")
	r = r.WithContext(withCallerApp(r.Context(), "11111111-2222-3333-4444-555555555555"))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != 204 {
		t.Errorf("other app's write: %d, want 204", rec.Code)
	}
}

func TestThrottleOffByDefault(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	for i := 0; i < 50; i++ {
		res := trCall(t, s, "GET", "/v1.0/users", "")
		if res.status != 200 || res.header.Get("x-ms-resource-unit") != "2" || res.header.Get("x-ms-throttle-limit-percentage") != "" {
			t.Fatalf("call %d: %d %v", i+1, res.status, res.header)
		}
	}
}

func TestRequestCost(t *testing.T) {
	t.Parallel()
	cases := []struct {
		method, url string
		want        int
	}{
		{"GET", "/users/x", 1},
		{"GET", "/users", 2},
		{"GET", "/users?$select=id", 1},
		{"GET", "/users?$top=5", 1},
		{"GET", "/users?$top=50", 2},
		{"GET", "/users/x?$select=id", 1},
		{"GET", "/users/x?$expand=manager", 2},
		{"GET", "/groups/g/members", 2},
		{"GET", "/groups/g/members/$count", 1},
		{"GET", "/directory/deletedItems/microsoft.graph.user", 2},
		{"GET", "/directory/deletedItems/graph.group", 2},
		{"GET", "/groups/g/members/microsoft.graph.user", 2},
		{"GET", "/groups/g/members/graph.user", 2},
		{"GET", "/groups/g/members/graph.user/$count", 1},
		{"GET", "/users/x/memberOf/microsoft.graph.group/$count", 1},
		{"POST", "/users", 1},
		{"DELETE", "/users/x", 1},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.url, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tc.method, "http://127.0.0.1/v1.0"+tc.url, nil)
			rel, _ := graphRelPath(r.URL.Path)
			if got := requestCost(tc.method, rel, queryProbe(r)); got != tc.want {
				t.Errorf("cost %d, want %d", got, tc.want)
			}
		})
	}
}

func TestParseThrottle(t *testing.T) {
	t.Parallel()
	def := DefaultThrottle()
	cases := []struct {
		in      string
		want    *ThrottleConfig
		wantErr string
	}{
		{"", nil, ""},
		{"off", nil, ""},
		{"on", &def, ""},
		{"graph", &def, ""},
		{"read=100/10s,write=30/2m30s", &ThrottleConfig{100, 10 * time.Second, 30, 150 * time.Second}, ""},
		{"read=7/1s", &ThrottleConfig{7, time.Second, def.WriteRequests, def.WriteWindow}, ""},
		{"write=1/1m", &ThrottleConfig{def.ReadUnits, def.ReadWindow, 1, time.Minute}, ""},
		{"read=0/10s", nil, "must be a positive integer"},
		{"read=5/soon", nil, "must be a positive duration"},
		{"read=5", nil, "wants N/DURATION"},
		{"burst=5/1s", nil, "unknown budget"},
		{"fast", nil, "want read=N/DURATION"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseThrottle(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestThrottleKeysOnTheTokensApp(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{Auth: AuthOn, Throttle: &ThrottleConfig{ReadUnits: 1}})
	bearer := func(app string) string {
		tok, err := s.IssueToken(TokenRequest{AppID: app})
		if err != nil {
			t.Fatal(err)
		}
		return "Bearer " + tok
	}
	admin, reader := bearer(adminAppID), bearer(readerAppID)
	path := "/v1.0/users/" + trMorganID
	if res := trCall(t, s, "GET", path, "", "Authorization", admin); res.status != 200 {
		t.Fatalf("admin app, first call: %d %s", res.status, res.body)
	}
	res := trCall(t, s, "GET", path, "", "Authorization", admin)
	if res.status != 429 || res.header.Get("x-ms-throttle-scope") != "Tenant_Application/Read/"+adminAppID+"/"+s.TenantID() {
		t.Fatalf("admin app, second call: %d %v", res.status, res.header)
	}
	if res := trCall(t, s, "GET", path, "", "Authorization", reader); res.status != 200 {
		t.Errorf("reader app has its own bucket: %d %s", res.status, res.body)
	}
	// $batch items carry the batch's token: the reader's bucket is now empty too.
	batch := trJSON(t, trEnvelope(trReq("1", "GET", "/users/"+trMorganID)))
	res = trCall(t, s, "POST", "/v1.0/$batch", batch, "Authorization", reader)
	if res.status != 200 || !strings.Contains(string(res.body), `"status":429`) || !strings.Contains(string(res.body), "Tenant_Application/Read/"+readerAppID+"/") {
		t.Errorf("batch item under the reader's token: %d %s", res.status, res.body)
	}
}
