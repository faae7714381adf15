package conformance

import (
	"net/http"
	"testing"
)

// Operations Graph has and graphmock does not serve answer 501 naming the operation; paths
// Graph doesn't have answer as Graph's OData layer does. Never a made-up success.
func TestUnservedOperations(t *testing.T) {
	e := newEnv(t)
	uid := deref(e.createUser("lee", "").GetId())
	tests := []struct {
		name, method, path string
		status             int
		code, message      string
	}{
		{"Graph operation not served", http.MethodGet, "/users/" + uid + "/ownedObjects", http.StatusNotImplemented, "NotImplemented",
			"graphmock does not implement the Microsoft Graph operation GET /users/{user-id}/ownedObjects."},
		{"unknown segment", http.MethodGet, "/users/" + uid + "/noSuchThing", http.StatusBadRequest, "BadRequest",
			"Resource not found for the segment 'noSuchThing'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.do(tt.method, tt.path, nil).wantError(t, tt.status, tt.code, tt.message)
		})
	}
}
