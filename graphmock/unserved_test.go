package graphmock

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/graphmock/graphmock/openapi"
)

// concretePath fills a template's parameters with values a client would send: keys become a
// GUID, function arguments a literal.
func concretePath(tpl string) string {
	segs := splitPath(tpl)
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = "0c1e5a9d-7b2f-4e3a-9d8c-6f5e4d3c2b1a"
			continue
		}
		segs[i] = templateParam.ReplaceAllStringFunc(s, func(p string) string { return "x" + strings.Trim(p, "{}")[:1] })
	}
	return "/" + strings.Join(segs, "/")
}

var templateParam = regexp.MustCompile(`\{[^}]+\}`)

// pathForms returns the spellings a client may use for a template: as Microsoft's files spell it,
// with Graph's namespace alias ("graph.user"), and, where it has bound actions or functions,
// without namespace ("assignLicense", "delta()", and "delta" for a function without parameters).
func pathForms(op openapi.Operation) []string {
	segs := templateSegs(op)
	raw := splitPath(op.Path)
	hasNS, hasOp := false, false
	for _, s := range segs {
		hasNS = hasNS || s.ns
		hasOp = hasOp || s.op
	}
	forms := []string{op.Path}
	if !hasNS {
		return forms
	}
	spell := func(f func(s tplSeg, raw string) string) string {
		out := make([]string, len(raw))
		for i := range raw {
			out[i] = raw[i]
			if segs[i].ns {
				out[i] = f(segs[i], strings.TrimPrefix(raw[i], "microsoft.graph."))
			}
		}
		return "/" + strings.Join(out, "/")
	}
	forms = append(forms, spell(func(_ tplSeg, short string) string { return "graph." + short }))
	if hasOp {
		forms = append(forms, spell(func(s tplSeg, short string) string {
			if s.op {
				return short
			}
			return "microsoft.graph." + short
		}))
		forms = append(forms, spell(func(s tplSeg, short string) string {
			if s.op && s.parens && len(s.args) == 0 {
				return strings.TrimSuffix(short, "()")
			}
			if s.op {
				return short
			}
			return "graph." + short
		}))
	}
	return forms
}

func want501(method, path string) string {
	return "graphmock does not implement the Microsoft Graph operation " + method + " " + path + "."
}

// callError sends one request without the test helpers' fatal checks, for walks over many paths.
func callError(s *Server, method, path string) (int, string, string) {
	req := httptest.NewRequest(method, "http://graph.test"+path, nil)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var body struct {
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return rec.Code, body.Error.Code, body.Error.Message
}

// TestEveryUnservedOperationAnswers501 walks every operation of the OpenAPI modules that
// graphmock doesn't serve, and the outside operations it recognises, in every spelling a client
// may use, under /v1.0 and /beta: each answers 501 naming exactly that operation.
func TestEveryUnservedOperationAnswers501(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	_, unserved := openapi.Coverage(ServedOperations())
	if len(unserved) < 1700 {
		t.Fatalf("only %d unserved operations", len(unserved))
	}
	ops := unserved
	for _, o := range outsideOperations {
		ops = append(ops, o.Op)
	}
	var failures []string
	checked := 0
	for _, op := range ops {
		for i, form := range pathForms(op) {
			versions := []string{"/v1.0"}
			if i == 0 {
				versions = append(versions, "/beta")
			}
			for _, v := range versions {
				p := v + concretePath(form)
				status, code, msg := callError(s, op.Method, p)
				checked++
				if status != 501 || code != "NotImplemented" || msg != want501(op.Method, op.Path) {
					failures = append(failures, fmt.Sprintf("%s %s (%s): %d %s %q", op.Method, p, op.Path, status, code, msg))
				}
			}
		}
	}
	if len(failures) > 0 {
		n := min(len(failures), 40)
		t.Fatalf("%d of %d requests did not answer 501 naming their operation:\n%s", len(failures), checked, strings.Join(failures[:n], "\n"))
	}
	t.Logf("%d operations, %d requests", len(ops), checked)
}

// TestUnservedFindings covers requests a user trial found answering 400/404 (or naming the wrong
// operation) where Graph has the operation: each must be a 501 naming it.
func TestUnservedFindings(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gid := groupID(t, s, "E3 base services")
	const guid = "5b0c3d6e-8f1a-4b2c-9d3e-7f6a5b4c3d2e"
	tests := []struct {
		name, method, path, op string
	}{
		{"groups delta", "GET", "/v1.0/groups/microsoft.graph.delta()", "/groups/microsoft.graph.delta()"},
		{"directoryObjects delta", "GET", "/v1.0/directoryObjects/microsoft.graph.delta()", "/directoryObjects/microsoft.graph.delta()"},
		{"devices delta, another case", "GET", "/v1.0/Devices/Microsoft.Graph.Delta()", "/devices/microsoft.graph.delta()"},
		{"function deeper in the path", "GET", "/v1.0/groups/" + gid + "/sites/microsoft.graph.delta()", "/groups/{group-id}/sites/microsoft.graph.delta()"},
		{"function of a navigation", "GET", "/v1.0/groups/" + gid + "/team/channels/microsoft.graph.getAllMessages()", "/groups/{group-id}/team/channels/microsoft.graph.getAllMessages()"},
		{"reports function", "GET", "/v1.0/reports/microsoft.graph.getOffice365ActivationCounts()", "/reports/microsoft.graph.getOffice365ActivationCounts()"},
		{"reports function with a parameter", "GET", "/v1.0/reports/getEmailActivityCounts(period='D7')", "/reports/microsoft.graph.getEmailActivityCounts(period='{period}')"},
		{"overload by parameter name: period", "GET", "/v1.0/reports/getTeamsUserActivityUserDetail(period='D7')", "/reports/microsoft.graph.getTeamsUserActivityUserDetail(period='{period}')"},
		{"overload by parameter name: date", "GET", "/v1.0/reports/getTeamsUserActivityUserDetail(date=2024-01-31)", "/reports/microsoft.graph.getTeamsUserActivityUserDetail(date={date})"},
		{"quoted slash in a function argument", "GET", "/v1.0/groups/" + gid + "/sites/root/getByPath(path='/teams/a%20b')/getActivitiesByInterval()",
			"/groups/{group-id}/sites/{site-id}/microsoft.graph.getByPath(path='{path}')/microsoft.graph.getActivitiesByInterval()"},
		{"alternate key uniqueName", "GET", "/v1.0/groups(uniqueName='x')", "/groups(uniqueName='{uniqueName}')"},
		{"alternate key uniqueName PATCH", "PATCH", "/v1.0/groups(uniqueName='x')", "/groups(uniqueName='{uniqueName}')"},
		{"alternate key deviceId", "GET", "/v1.0/devices(deviceId='x')", "/devices(deviceId='{deviceId}')"},
		{"alternate key roleTemplateId", "GET", "/v1.0/directoryRoles(roleTemplateId='x')", "/directoryRoles(roleTemplateId='{roleTemplateId}')"},
		{"deletedItems $count", "GET", "/v1.0/directory/deletedItems/$count", "/directory/deletedItems/$count"},
		{"organization $count", "GET", "/v1.0/organization/$count", "/organization/$count"},
		{"directoryAudits $count", "GET", "/v1.0/auditLogs/directoryAudits/$count", "/auditLogs/directoryAudits/$count"},
		{"directoryObjects $count", "GET", "/v1.0/directoryObjects/$count", "/directoryObjects/$count"},
		{"deleted applications", "GET", "/v1.0/directory/deletedItems/microsoft.graph.application", "/directory/deletedItems/microsoft.graph.application"},
		{"deleted service principals", "GET", "/v1.0/directory/deletedItems/microsoft.graph.servicePrincipal", "/directory/deletedItems/microsoft.graph.servicePrincipal"},
		{"deleted devices", "GET", "/v1.0/directory/deletedItems/microsoft.graph.device", "/directory/deletedItems/microsoft.graph.device"},
		{"deleted administrative units", "GET", "/v1.0/directory/deletedItems/microsoft.graph.administrativeUnit", "/directory/deletedItems/microsoft.graph.administrativeUnit"},
		{"deleted applications, alias", "GET", "/v1.0/directory/deletedItems/graph.application", "/directory/deletedItems/microsoft.graph.application"},
		{"argument-less delta of a drive root", "GET", "/v1.0/groups/" + gid + "/drives/x/root/microsoft.graph.delta()", "/groups/{group-id}/drives/{drive-id}/root/microsoft.graph.delta()"},
		{"delta of a drive root with a token", "GET", "/v1.0/groups/" + gid + "/drives/x/root/delta(token='abc')", "/groups/{group-id}/drives/{drive-id}/root/microsoft.graph.delta(token='{token}')"},
		{"users delta short", "GET", "/v1.0/users/delta", "/users/microsoft.graph.delta()"},
		{"users delta as the SDKs send it", "GET", "/v1.0/users/delta()", "/users/microsoft.graph.delta()"},
		{"users delta alias", "GET", "/v1.0/users/graph.delta()", "/users/microsoft.graph.delta()"},
		{"groups delta short", "GET", "/v1.0/groups/delta", "/groups/microsoft.graph.delta()"},
		{"groups delta as the SDKs send it", "GET", "/v1.0/groups/delta()?$select=displayName", "/groups/microsoft.graph.delta()"},
		{"groups delta on beta", "GET", "/beta/groups/delta()", "/groups/microsoft.graph.delta()"},
		{"applications", "GET", "/v1.0/applications", "/applications"},
		{"create application", "POST", "/v1.0/applications", "/applications"},
		{"application by id", "GET", "/v1.0/applications/" + guid, "/applications/{application-id}"},
		{"application by appId", "GET", "/v1.0/applications(appId='" + guid + "')", "/applications(appId='{appId}')"},
		{"service principals delta", "GET", "/v1.0/servicePrincipals/delta()", "/servicePrincipals/microsoft.graph.delta()"},
		{"service principal by appId", "DELETE", "/v1.0/servicePrincipals(appId='" + guid + "')", "/servicePrincipals(appId='{appId}')"},
		{"user by userPrincipalName key", "GET", "/v1.0/users(userPrincipalName='" + adminUPN + "')", "/users(userPrincipalName='{userPrincipalName}')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			call(t, s, tt.method, tt.path, nil).wantError(t, 501, "NotImplemented", want501(tt.method, tt.op))
		})
	}
}

// TestUnservedResources covers Graph paths graphmock knows without an operation template, the
// $metadata document, and paths Graph doesn't have (which keep Graph's 400).
func TestUnservedResources(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	uid := userID(t, s, adminUPN)
	const guid = "5b0c3d6e-8f1a-4b2c-9d3e-7f6a5b4c3d2e"
	tests := []struct {
		name, method, path string
		status             int
		code, message      string
	}{
		{"$metadata", "GET", "/v1.0/$metadata", 501, "NotImplemented",
			"graphmock does not serve Microsoft Graph's $metadata (CSDL) document; the OpenAPI description of the operations it serves is at /_graphmock/openapi.yaml."},
		{"$metadata on beta", "GET", "/beta/$metadata", 501, "NotImplemented",
			"graphmock does not serve Microsoft Graph's $metadata (CSDL) document; the OpenAPI description of the operations it serves is at /_graphmock/openapi.yaml."},
		{"$metadata POST", "POST", "/v1.0/$metadata", 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."},
		{"navigation with deeper operations only", "GET", "/v1.0/users/" + uid + "/messages", 501, "NotImplemented",
			"graphmock does not implement GET /users/{user-id}/messages, a Microsoft Graph resource outside the operations it tracks (COVERAGE.md)."},
		{"under an application", "GET", "/v1.0/applications/" + guid + "/owners", 501, "NotImplemented",
			"graphmock does not implement Microsoft Graph's /applications resources (GET /applications/" + guid + "/owners)."},
		{"untracked root", "GET", "/v1.0/sites/root/lists", 501, "NotImplemented",
			"graphmock does not implement Microsoft Graph's /sites resources (GET /sites/root/lists)."},
		{"untracked singleton", "GET", "/v1.0/Policies", 501, "NotImplemented",
			"graphmock does not implement Microsoft Graph's /Policies resources (GET /Policies)."},
		{"not a Graph resource", "GET", "/v1.0/bogus", 400, "BadRequest", "Resource not found for the segment 'bogus'."},
		{"not a Graph resource under a tracked one", "GET", "/v1.0/users/" + uid + "/noSuchThing", 400, "BadRequest", "Resource not found for the segment 'noSuchThing'."},
		{"another module's path under a tracked resource", "GET", "/v1.0/users/" + uid + "/drive", 400, "BadRequest", "Resource not found for the segment 'drive'."},
		{"unknown segment before a known one", "GET", "/v1.0/foo/users", 400, "BadRequest", "Resource not found for the segment 'foo'."},
		{"unknown segment before a known one on beta", "GET", "/beta/Foo/users/" + uid, 400, "BadRequest", "Resource not found for the segment 'Foo'."},
		{"version doubled", "GET", "/v1.0/v1.0/users", 400, "BadRequest", "Resource not found for the segment 'v1.0'."},
		{"unknown segment after a key, more follow", "GET", "/v1.0/users/" + uid + "/noSuchThing/memberOf", 400, "BadRequest", "Resource not found for the segment 'noSuchThing'."},
		{"unknown segment under a cast", "GET", "/v1.0/groups/" + guid + "/members/microsoft.graph.user/bogus/$count", 400, "BadRequest", "Resource not found for the segment 'bogus'."},
		{"a cast needs the namespace", "GET", "/v1.0/directory/deletedItems/application", 400, "Request_BadRequest", "Invalid object identifier 'application'."},
		{"method a shadowed path doesn't have", "DELETE", "/v1.0/directory/deletedItems/microsoft.graph.user", 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."},
		{"method the function doesn't have", "POST", "/v1.0/groups/delta()", 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."},
		{"nested $expand options", "GET", "/v1.0/groups/" + groupID(t, s, "E3 base services") + "?$expand=members($select=displayName)", 501, "NotImplemented",
			"graphmock does not implement query options inside $expand ('members($select=displayName)'); Microsoft Graph applies them. Expand the navigation property without options instead."},
		{"nested $expand options on a list", "GET", "/v1.0/users?$expand=memberOf($select=id)", 501, "NotImplemented",
			"graphmock does not implement query options inside $expand ('memberOf($select=id)'); Microsoft Graph applies them. Expand the navigation property without options instead."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			call(t, s, tt.method, tt.path, nil).wantError(t, tt.status, tt.code, tt.message)
		})
	}
}

// TestServedRoutesKeepTheirParameters checks that resolving literal segments first leaves the
// routes with parameters serving what they served.
func TestServedRoutesKeepTheirParameters(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	gid := groupID(t, s, "E3 base services")
	for _, p := range []string{"/v1.0/users/" + adminUPN, "/v1.0/groups/" + gid, "/v1.0/groups/" + gid + "/members",
		"/v1.0/directory/deletedItems/microsoft.graph.user", "/v1.0/directory/deletedItems/graph.group",
		"/v1.0/users/" + adminUPN + "/licenseDetails", "/v1.0/organization/" + tenantID, "/beta/groups/" + gid + "/owners"} {
		call(t, s, "GET", p, nil).wantStatus(t, 200)
	}
	call(t, s, "GET", "/v1.0/groups/"+notFoundID, nil).wantError(t, 404, "Request_ResourceNotFound", notFoundMsg(notFoundID))
	call(t, s, "POST", "/v1.0/users/"+adminUPN+"/reprocessLicenseAssignment", nil).wantStatus(t, 200)
}

// TestUnservedWithAuthOn: without a token an unserved operation is still a 401 (as every Graph
// route), and with one its 501 doesn't depend on the token's permissions; $metadata needs none.
func TestUnservedWithAuthOn(t *testing.T) {
	t.Parallel()
	s, err := New(Options{Auth: AuthOn, TokenSigningKey: sharedSigningKey()})
	if err != nil {
		t.Fatal(err)
	}
	call(t, s, "GET", "/v1.0/groups/delta()", nil).wantError(t, 401, "InvalidAuthenticationToken", "Access token is empty.")
	tok, err := s.IssueToken(TokenRequest{AppID: readerAppID, Roles: []string{"AuditLog.Read.All"}})
	if err != nil {
		t.Fatal(err)
	}
	call(t, s, "GET", "/v1.0/groups/delta()", nil, "Authorization", "Bearer "+tok).wantError(t, 501, "NotImplemented", want501("GET", "/groups/microsoft.graph.delta()"))
	call(t, s, "GET", "/v1.0/$metadata", nil).wantError(t, 501, "NotImplemented",
		"graphmock does not serve Microsoft Graph's $metadata (CSDL) document; the OpenAPI description of the operations it serves is at /_graphmock/openapi.yaml.")
}

// TestPathsUnderAlternateKeys: beneath an alternate key is a Graph resource graphmock serves only
// by id: 501, not the 400 for paths Graph doesn't have.
func TestPathsUnderAlternateKeys(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, p := range []string{"/users(userPrincipalName='" + adminUPN + "')/memberOf", "/groups(uniqueName='x')/members"} {
		r := call(t, s, "GET", "/v1.0"+p, nil)
		r.wantError(t, 501, "NotImplemented", "graphmock does not implement GET "+p+", a Microsoft Graph resource outside the operations it tracks (COVERAGE.md).")
	}
	call(t, s, "GET", "/v1.0/users(userPrincipalName='x')/noSuchThing", nil).wantStatus(t, 400)
}
