package graphmock

import (
	"net/http"

	"github.com/gorilla/mux"
)

// controlPlanePrefix is graphmock's own path space, outside Graph's.
const controlPlanePrefix = "/_graphmock"

// controlPlaneRoutes registers /_graphmock/… operations.
func (s *Server) controlPlaneRoutes(r *mux.Router) {
	r.Methods(http.MethodGet).Path(controlPlanePrefix + "/healthz").HandlerFunc(s.healthz)
	s.licensingControlRoutes(r)
}

// healthz answers 200 {"status":"ok"} once the server is serving.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSONStatus(w, http.StatusOK, object{{"status", "ok"}})
}
