package graphmock

import (
	"net/http"
	"strconv"

	"github.com/graphmock/graphmock/openapi"

	"github.com/gorilla/mux"
)

// controlPlanePrefix is graphmock's own path space, outside Graph's.
const controlPlanePrefix = "/_graphmock"

// controlPlaneRoutes registers /_graphmock/… operations.
func (s *Server) controlPlaneRoutes(r *mux.Router) {
	r.Methods(http.MethodGet).Path(controlPlanePrefix + "/healthz").HandlerFunc(s.healthz)
	s.licensingControlRoutes(r)
	r.Methods(http.MethodGet).Path(controlPlanePrefix + "/openapi.yaml").HandlerFunc(serveOpenAPI)
}

// serveOpenAPI answers the served subset of Microsoft's Graph OpenAPI description (YAML).
func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	doc := openapi.Document()
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	_, _ = w.Write(doc)
}

// healthz answers 200 {"status":"ok"} once the server is serving.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSONStatus(w, http.StatusOK, object{{"status", "ok"}})
}
