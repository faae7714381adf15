package graphmock

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
)

func TestFaultRuleMatching(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		rule    FaultRule
		method  string
		path    string
		isBatch bool
		want    bool
	}{
		{"exact", FaultRule{Path: "/users"}, "GET", "/v1.0/users", false, true},
		{"method any", FaultRule{Method: "*", Path: "/users"}, "DELETE", "/v1.0/users", false, true},
		{"method mismatch", FaultRule{Method: "POST", Path: "/users"}, "GET", "/v1.0/users", false, false},
		{"method case-insensitive", FaultRule{Method: "post", Path: "/users"}, "POST", "/beta/users", false, true},
		{"one-segment star", FaultRule{Path: "/users/*/assignLicense"}, "POST", "/v1.0/users/abc/assignLicense", false, true},
		{"star is one segment only", FaultRule{Path: "/users/*"}, "GET", "/v1.0/users/abc/memberOf", false, false},
		{"double star", FaultRule{Path: "/groups/**"}, "GET", "/v1.0/groups/g/members/$count", false, true},
		{"double star matches none", FaultRule{Path: "/groups/**"}, "GET", "/v1.0/groups", false, true},
		{"double star in the middle", FaultRule{Path: "/**/$ref"}, "POST", "/v1.0/groups/g/members/$ref", false, true},
		{"case-insensitive path", FaultRule{Path: "/Users/*/ASSIGNLICENSE"}, "POST", "/v1.0/users/x/assignlicense", false, true},
		{"microsoft.graph prefix in request", FaultRule{Path: "/users/*/assignLicense"}, "POST", "/v1.0/users/x/microsoft.graph.assignLicense", false, true},
		{"microsoft.graph prefix in rule", FaultRule{Path: "/users/*/microsoft.graph.assignLicense"}, "POST", "/v1.0/users/x/assignLicense", false, true},
		{"partial segment glob", FaultRule{Path: "/users/morgan*"}, "GET", "/v1.0/users/morgan.reyes@larkspur.example", false, true},
		{"with version", FaultRule{Path: "/beta/users"}, "GET", "/beta/users", false, true},
		{"with other version", FaultRule{Path: "/beta/users"}, "GET", "/v1.0/users", false, false},
		{"query ignored", FaultRule{Path: "/users?$top=1"}, "GET", "/v1.0/users", false, true},
		{"double star is everything", FaultRule{Path: "/**"}, "GET", "/v1.0/organization", false, true},
		{"cast rule long, request long", FaultRule{Path: "/directory/deletedItems/microsoft.graph.user"}, "GET", "/v1.0/directory/deletedItems/microsoft.graph.user", false, true},
		{"cast rule long, request short", FaultRule{Path: "/directory/deletedItems/microsoft.graph.user"}, "GET", "/v1.0/directory/deletedItems/graph.user", false, true},
		{"cast rule short, request long", FaultRule{Path: "/directory/deletedItems/graph.user"}, "GET", "/v1.0/directory/deletedItems/microsoft.graph.user", false, true},
		{"cast rule short, request bare", FaultRule{Path: "/groups/*/members/graph.user"}, "GET", "/v1.0/groups/g/members/user", false, true},
		{"member cast rule long, request short", FaultRule{Path: "/groups/*/members/microsoft.graph.user"}, "GET", "/v1.0/groups/g/members/graph.user", false, true},
		{"member cast rule short, request long", FaultRule{Path: "/groups/*/members/graph.user"}, "GET", "/v1.0/groups/g/members/microsoft.graph.user", false, true},
		{"cast differs", FaultRule{Path: "/groups/*/members/graph.user"}, "GET", "/v1.0/groups/g/members/microsoft.graph.group", false, false},
		{"graph. id is not a cast", FaultRule{Path: "/users/admin@x.example"}, "GET", "/v1.0/users/graph.admin@x.example", false, false},
		{"everything skips the batch envelope", FaultRule{Path: "/**"}, "POST", "/v1.0/$batch", true, false},
		{"batch envelope by name", FaultRule{Path: "/$batch"}, "POST", "/v1.0/$batch", true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := tc.rule
			f.Status = 500
			if err := f.validate(); err != nil {
				t.Fatal(err)
			}
			rel, _ := graphRelPath(tc.path)
			if got := f.matches(tc.method, splitPattern(tc.path), splitPattern(rel), tc.isBatch); got != tc.want {
				t.Errorf("matches = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFaultRuleValidation(t *testing.T) {
	t.Parallel()
	neg := -1
	cases := []struct {
		name string
		rule FaultRule
		want string
	}{
		{"unsupported status", FaultRule{Path: "/users", Status: 418}, "status 418: use 429, 500, 503 or 504"},
		{"nothing to do", FaultRule{Path: "/users"}, "a rule needs a status"},
		{"bad latency", FaultRule{Path: "/users", Latency: "soon"}, `latency "soon"`},
		{"huge latency", FaultRule{Path: "/users", Latency: "1h"}, "at most 5m"},
		{"negative count", FaultRule{Path: "/users", Status: 500, Count: -2}, "count -2"},
		{"negative retryAfter", FaultRule{Path: "/users", Status: 429, RetryAfter: &neg}, "retryAfter -1"},
		{"bad pattern", FaultRule{Path: "/users/[", Status: 500}, "bad pattern segment"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _ := trServer(t, Options{})
			if _, err := s.AddFault(tc.rule); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want containing %q", err, tc.want)
			}
		})
	}
}

func TestFaultStatuses(t *testing.T) {
	t.Parallel()
	two := 2
	cases := []struct {
		rule       FaultRule
		status     int
		code, msg  string
		retryAfter string
	}{
		{FaultRule{Status: 429, RetryAfter: &two}, 429, "TooManyRequests", "Too many requests from Identifier:default+%TENANT%. Please try again later.", "2"},
		{FaultRule{Status: 429}, 429, "TooManyRequests", "Too many requests from Identifier:default+%TENANT%. Please try again later.", "1"},
		{FaultRule{Status: 500}, 500, "generalException", "An unspecified error has occurred.", ""},
		{FaultRule{Status: 503, RetryAfter: &two}, 503, "serviceNotAvailable", "The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, which can be specified in a Retry-After header.", "2"},
		{FaultRule{Status: 504}, 504, "UnknownError", "The server, while acting as a proxy, did not receive a timely response from the upstream server it needed to access in attempting to complete the request.", ""},
		{FaultRule{Status: 503, Code: "Custom", Message: "custom text"}, 503, "Custom", "custom text", ""},
	}
	for _, tc := range cases {
		t.Run(tc.code+"/"+tc.retryAfter, func(t *testing.T) {
			t.Parallel()
			s, _ := trServer(t, Options{})
			tc.rule.Path = "/users"
			if _, err := s.AddFault(tc.rule); err != nil {
				t.Fatal(err)
			}
			res := trCall(t, s, "GET", "/v1.0/users", "")
			if res.status != tc.status {
				t.Fatalf("status %d, want %d", res.status, tc.status)
			}
			code, msg := trErrorOf(t, res.body)
			if want := strings.ReplaceAll(tc.msg, "%TENANT%", s.TenantID()); code != tc.code || msg != want {
				t.Errorf("error %s %q, want %s %q", code, msg, tc.code, want)
			}
			if got := res.header.Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
			}
			if res.header.Get("request-id") == "" {
				t.Error("fault response without request-id")
			}
		})
	}
}

func TestFaultCountAndNoStateChange(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	ra := 2
	if _, err := s.AddFault(FaultRule{Method: "POST", Path: "/users", Status: 429, RetryAfter: &ra, Count: 3}); err != nil {
		t.Fatal(err)
	}
	body := trJSON(t, trUserBody("fault.user"))
	for i := 0; i < 3; i++ {
		if res := trCall(t, s, "POST", "/v1.0/users", body); res.status != 429 || res.header.Get("Retry-After") != "2" {
			t.Fatalf("call %d: %d %v", i+1, res.status, res.header)
		}
		if res := trCall(t, s, "GET", "/v1.0/users/fault.user@larkspur.example", ""); res.status != 404 {
			t.Fatalf("a faulted create changed state: GET answers %d", res.status)
		}
	}
	if res := trCall(t, s, "POST", "/v1.0/users", body); res.status != 201 {
		t.Fatalf("fourth call: %d %s, want 201", res.status, res.body)
	}
	rules := s.Faults()
	if len(rules) != 1 || rules[0].Remaining != 0 || rules[0].Matched != 3 || rules[0].ID != "1" {
		t.Errorf("rules after use: %+v", rules)
	}
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	if _, err := s.AddFault(FaultRule{Path: "/organization", Latency: "60ms", Count: 1}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if res := trCall(t, s, "GET", "/v1.0/organization", ""); res.status != 200 {
		t.Fatalf("status %d", res.status)
	}
	if el := time.Since(start); el < 60*time.Millisecond {
		t.Errorf("first call took %v, want ≥ 60ms", el)
	}
	start = time.Now()
	trCall(t, s, "GET", "/v1.0/organization", "")
	if el := time.Since(start); el >= 60*time.Millisecond {
		t.Errorf("second call took %v: the count-1 latency rule applied twice", el)
	}
}

func TestFaultControlPlane(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	res := trCall(t, s, "POST", "/_graphmock/faults", `{"method":"POST","path":"/users/*/assignLicense","status":429,"retryAfter":2,"count":3}`)
	if res.status != 201 {
		t.Fatalf("add: %d %s", res.status, res.body)
	}
	res = trCall(t, s, "POST", "/_graphmock/faults", `[{"path":"/groups","latency":"1ms"},{"path":"/organization","status":500}]`)
	if res.status != 201 {
		t.Fatalf("add two: %d %s", res.status, res.body)
	}
	res = trCall(t, s, "GET", "/_graphmock/faults", "")
	var list struct{ Value []FaultRule }
	if err := json.Unmarshal(res.body, &list); err != nil || len(list.Value) != 3 {
		t.Fatalf("list: %v %s", err, res.body)
	}
	if r := list.Value[0]; r.ID != "1" || r.Method != "POST" || r.Status != 429 || *r.RetryAfter != 2 || r.Remaining != 3 {
		t.Errorf("listed rule %+v", r)
	}
	if res := trCall(t, s, "GET", "/v1.0/organization", ""); res.status != 500 {
		t.Errorf("organization with rule 3: %d, want 500", res.status)
	}
	if res := trCall(t, s, "DELETE", "/_graphmock/faults/3", ""); res.status != 204 {
		t.Errorf("delete one: %d", res.status)
	}
	if res := trCall(t, s, "GET", "/v1.0/organization", ""); res.status != 200 {
		t.Errorf("organization after deleting rule 3: %d, want 200", res.status)
	}
	if res := trCall(t, s, "DELETE", "/_graphmock/faults/3", ""); res.status != 404 {
		t.Errorf("delete unknown: %d, want 404", res.status)
	}
	if res := trCall(t, s, "DELETE", "/_graphmock/faults", ""); res.status != 204 {
		t.Errorf("clear: %d", res.status)
	}
	if len(s.Faults()) != 0 {
		t.Errorf("rules after clear: %v", s.Faults())
	}
	for _, bad := range []struct{ body, msg string }{
		{`{"path":"/users","status":418}`, "Invalid fault rule: status 418: use 429, 500, 503 or 504."},
		{`[{"path":"/users","status":500},{"path":"/users"}]`, "Invalid fault rule: a rule needs a status (429, 500, 503, 504) or a latency."},
		{`{"path":`, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."},
	} {
		res := trCall(t, s, "POST", "/_graphmock/faults", bad.body)
		if res.status != 400 {
			t.Errorf("%s: status %d, want 400", bad.body, res.status)
			continue
		}
		if _, msg := trErrorOf(t, res.body); msg != bad.msg {
			t.Errorf("%s: message %q, want %q", bad.body, msg, bad.msg)
		}
	}
	if len(s.Faults()) != 0 {
		t.Errorf("a refused request added rules: %v", s.Faults())
	}
}

func TestThrottleControlPlane(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	res := trCall(t, s, "GET", "/_graphmock/throttle", "")
	if res.status != 200 || !strings.Contains(string(res.body), `"enabled":false`) {
		t.Fatalf("get: %d %s", res.status, res.body)
	}
	res = trCall(t, s, "PUT", "/_graphmock/throttle", `{"enabled":true,"readUnits":2,"readWindow":"1m"}`)
	if res.status != 200 {
		t.Fatalf("put: %d %s", res.status, res.body)
	}
	var got throttleWire
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Enabled || got.ReadUnits != 2 || got.ReadWindow != "1m0s" || got.WriteRequests != 3000 || got.WriteWindow != "2m30s" {
		t.Errorf("put answered %+v", got)
	}
	for i, want := range []int{200, 200, 429} {
		if res := trCall(t, s, "GET", "/v1.0/users/"+trMorganID, ""); res.status != want {
			t.Errorf("call %d: %d, want %d", i+1, res.status, want)
		}
	}
	res = trCall(t, s, "GET", "/_graphmock/throttle", "")
	if err := json.Unmarshal(res.body, &got); err != nil || len(got.Buckets) != 1 || got.Buckets[0].App != "default" || got.Buckets[0].ReadTokens != 0 {
		t.Errorf("buckets: %s", res.body)
	}
	if res := trCall(t, s, "PUT", "/_graphmock/throttle", `{"enabled":true,"readWindow":"never"}`); res.status != 400 {
		t.Errorf("bad window: %d", res.status)
	}
	if res := trCall(t, s, "PUT", "/_graphmock/throttle", `{"enabled":false}`); res.status != 200 {
		t.Errorf("disable: %d", res.status)
	}
	if res := trCall(t, s, "GET", "/v1.0/users/"+trMorganID, ""); res.status != 200 {
		t.Errorf("after disabling: %d", res.status)
	}
}

func TestReplicationLag(t *testing.T) {
	t.Parallel()
	s, clk := trServer(t, Options{ReplicationDelay: 5 * time.Second})
	res := trCall(t, s, "POST", "/v1.0/users", trJSON(t, trUserBody("lagging")))
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	id := res.json(t)["id"].(string)
	for _, p := range []string{"/v1.0/users/" + id, "/v1.0/users/LAGGING@larkspur.example", "/v1.0/users/" + id + "/memberOf", "/beta/directoryObjects/" + id} {
		res := trCall(t, s, "GET", p, "")
		if res.status != 404 {
			t.Fatalf("GET %s during lag: %d, want 404", p, res.status)
		}
		ref := strings.Split(strings.TrimPrefix(strings.TrimPrefix(p, "/v1.0"), "/beta"), "/")[2]
		code, msg := trErrorOf(t, res.body)
		if code != "Request_ResourceNotFound" || msg != "Resource '"+ref+"' does not exist or one of its queried reference-property objects are not present." {
			t.Errorf("GET %s: %s %q", p, code, msg)
		}
	}
	if res := trCall(t, s, "GET", "/v1.0/users/"+trMorganID, ""); res.status != 200 {
		t.Errorf("existing user during lag: %d", res.status)
	}
	// A reference to it in a body isn't found either: adding a just-created user to a group.
	var existing string
	_ = s.Store().View(func(tx *engine.Txn) error {
		return tx.Groups(func(g *engine.Group) bool {
			if !g.IsDynamic() && !g.MailEnabled {
				existing = g.ID
				return false
			}
			return true
		})
	})
	ref := `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/` + id + `"}`
	if res := trCall(t, s, "POST", "/v1.0/groups/"+existing+"/members/$ref", ref); res.status != 404 {
		t.Errorf("member reference during lag: %d %s, want 404", res.status, res.body)
	} else if code, msg := trErrorOf(t, res.body); code != "Request_ResourceNotFound" || !strings.Contains(msg, id) {
		t.Errorf("member reference during lag: %s %q", code, msg)
	}
	clk.Advance(4999 * time.Millisecond)
	if res := trCall(t, s, "GET", "/v1.0/users/"+id, ""); res.status != 404 {
		t.Errorf("just before the delay: %d, want 404", res.status)
	}
	clk.Advance(time.Millisecond)
	if res := trCall(t, s, "GET", "/v1.0/users/"+id, ""); res.status != 200 {
		t.Errorf("after the delay: %d, want 200", res.status)
	}

	// Groups too, and the control plane turns it off.
	res = trCall(t, s, "POST", "/v1.0/groups", `{"displayName":"Lag","mailEnabled":false,"mailNickname":"lag","securityEnabled":true}`)
	if res.status != 201 {
		t.Fatalf("create group: %d %s", res.status, res.body)
	}
	gid := res.json(t)["id"].(string)
	if res := trCall(t, s, "GET", "/v1.0/groups/"+gid, ""); res.status != 404 {
		t.Errorf("new group during lag: %d, want 404", res.status)
	}
	if res := trCall(t, s, "GET", "/_graphmock/consistency", ""); !strings.Contains(string(res.body), `"replicationDelay":"5s"`) {
		t.Errorf("get consistency: %s", res.body)
	}
	if res := trCall(t, s, "PUT", "/_graphmock/consistency", `{"replicationDelay":"0s"}`); res.status != 200 {
		t.Fatalf("put consistency: %d %s", res.status, res.body)
	}
	if res := trCall(t, s, "GET", "/v1.0/groups/"+gid, ""); res.status != 200 {
		t.Errorf("group after turning the lag off: %d, want 200", res.status)
	}
	if res := trCall(t, s, "PUT", "/_graphmock/consistency", `{"replicationDelay":"later"}`); res.status != 400 {
		t.Errorf("bad delay: %d, want 400", res.status)
	}
}

func TestReplicationOffByDefault(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	res := trCall(t, s, "POST", "/v1.0/users", trJSON(t, trUserBody("instant")))
	if res.status != 201 {
		t.Fatalf("create: %d", res.status)
	}
	if res := trCall(t, s, "GET", "/v1.0/users/instant@larkspur.example", ""); res.status != 200 {
		t.Errorf("GET right after create: %d, want 200", res.status)
	}
}

func TestResetTraffic(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{Throttle: &ThrottleConfig{ReadUnits: 1}, ReplicationDelay: time.Hour})
	if _, err := s.AddFault(FaultRule{Path: "/groups", Status: 500}); err != nil {
		t.Fatal(err)
	}
	res := trCall(t, s, "POST", "/v1.0/users", trJSON(t, trUserBody("reset.me")))
	if res.status != 201 {
		t.Fatalf("create: %d", res.status)
	}
	if res := trCall(t, s, "GET", "/v1.0/users/"+trMorganID, ""); res.status != 200 {
		t.Fatalf("first read: %d", res.status)
	}
	if res := trCall(t, s, "GET", "/v1.0/users/"+trMorganID, ""); res.status != 429 {
		t.Fatalf("second read: %d, want 429", res.status)
	}
	s.resetTraffic()
	if len(s.Faults()) != 0 {
		t.Errorf("rules survive the reset: %v", s.Faults())
	}
	if res := trCall(t, s, "GET", "/v1.0/users/reset.me@larkspur.example", ""); res.status != 200 {
		t.Errorf("after reset: %d, want 200 (full bucket, no lag)", res.status)
	}
	if c := s.throttler.config(); c == nil || c.ReadUnits != 1 {
		t.Errorf("reset changed the settings: %+v", c)
	}
}

func TestFaultCountUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{Throttle: &ThrottleConfig{ReadUnits: 100000}})
	if _, err := s.AddFault(FaultRule{Method: "GET", Path: "/users/*", Status: 503, Count: 10}); err != nil {
		t.Fatal(err)
	}
	const workers, calls = 8, 25
	statuses := make(chan int, workers*calls)
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < calls; i++ {
				statuses <- trCall(t, s, "GET", "/v1.0/users/"+trMorganID, "").status
			}
		}()
	}
	for w := 0; w < workers; w++ {
		<-done
	}
	close(statuses)
	count := map[int]int{}
	for st := range statuses {
		count[st]++
	}
	if count[503] != 10 || count[200] != workers*calls-10 {
		t.Errorf("statuses %v, want exactly 10 × 503", count)
	}
}

func TestTrafficControlPlaneMethods(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	for _, p := range []string{"/_graphmock/faults", "/_graphmock/faults/1", "/_graphmock/throttle", "/_graphmock/consistency"} {
		res := trCall(t, s, "PATCH", p, "")
		if res.status != 405 {
			t.Errorf("PATCH %s: %d, want 405", p, res.status)
		}
	}
}

func TestFaultControlPlaneRefusesUnusableRules(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	for _, bad := range []struct{ body, msg string }{
		{`{"pth":"/users","status":503,"count":1}`, `The property "pth" is not accepted here.`},
		{`{"path":"/users","status":429,"retry_after":30}`, `The property "retry_after" is not accepted here.`},
		{`[{"path":"/users","status":500},{"path":"/users","status":500,"id":"7"}]`, `The property "id" is not accepted here.`},
		{`{"status":503,"count":1}`, `Invalid fault rule: a rule needs a path; "/**" matches every Graph call.`},
		{`{"method":"FETCH","path":"/users","status":503}`, `Invalid fault rule: method "FETCH": use GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or "*".`},
		{`{"path":"https://graph.microsoft.com/v1.0/users","status":503}`, `Invalid fault rule: path "https://graph.microsoft.com/v1.0/users": give the path after the host, such as "/users" or "/v1.0/users".`},
		{`{"path":"/_graphmock/reset","status":503}`, `Invalid fault rule: path "/_graphmock/reset": fault rules apply to Graph calls (/v1.0, /beta) only, not the control plane or identity endpoints.`},
		{`{"path":"/contoso.example/oauth2/v2.0/token","status":503}`, `Invalid fault rule: path "/contoso.example/oauth2/v2.0/token": fault rules apply to Graph calls (/v1.0, /beta) only, not the control plane or identity endpoints.`},
		{`{"path":"/users","status":503,"count":0}`, `Invalid fault rule: count 0: must be positive (omit count for every matching call).`},
		{`{"path":"/users","latency":"1ms","retryAfter":3}`, `Invalid fault rule: retryAfter, code and message need a status.`},
		{`[]`, `Invalid fault rule: give a rule or a non-empty array of rules.`},
	} {
		res := trCall(t, s, "POST", "/_graphmock/faults", bad.body)
		if res.status != 400 {
			t.Errorf("%s: status %d, want 400", bad.body, res.status)
			continue
		}
		if code, msg := trErrorOf(t, res.body); code != "BadRequest" || msg != bad.msg {
			t.Errorf("%s: %s %q, want BadRequest %q", bad.body, code, msg, bad.msg)
		}
	}
	if len(s.Faults()) != 0 {
		t.Errorf("a refused request added rules: %v", s.Faults())
	}
	if res := trCall(t, s, "POST", "/_graphmock/faults", `{"path":"/**","status":503,"count":1}`); res.status != 201 {
		t.Errorf("explicit catch-all: %d %s", res.status, res.body)
	}
	if _, err := s.AddFault(FaultRule{Status: 503}); err == nil {
		t.Error("AddFault without a path: no error")
	}
}

func TestThrottleControlPlaneRefusesUnusableSettings(t *testing.T) {
	t.Parallel()
	s, _ := trServer(t, Options{})
	for _, bad := range []struct{ body, msg string }{
		{`{"readUnits":5}`, `enabled is required: true turns throttling on, false turns it off.`},
		{`{"enabled":true,"foo":1}`, `The property "foo" is not accepted here.`},
		{`{"enabled":true,"writeRequests":0}`, `writeRequests 0 must be a positive integer (omit it for Graph's default).`},
		{`{"enabled":true,"readUnits":-1}`, `readUnits -1 must be a positive integer (omit it for Graph's default).`},
		{`{"enabled":true,"readWindow":""}`, `readWindow "" must be a positive duration such as "10s".`},
		{`{"enabled":false,"readUnits":5}`, `Budgets apply only with "enabled":true.`},
		{`{"enabled":true,"buckets":[]}`, `The property "buckets" is not accepted here.`},
	} {
		res := trCall(t, s, "PUT", "/_graphmock/throttle", bad.body)
		if res.status != 400 {
			t.Errorf("%s: status %d, want 400", bad.body, res.status)
			continue
		}
		if code, msg := trErrorOf(t, res.body); code != "BadRequest" || msg != bad.msg {
			t.Errorf("%s: %s %q, want BadRequest %q", bad.body, code, msg, bad.msg)
		}
	}
	res := trCall(t, s, "GET", "/_graphmock/throttle", "")
	if !strings.Contains(string(res.body), `"enabled":false`) {
		t.Errorf("a refused request changed the settings: %s", res.body)
	}
}
