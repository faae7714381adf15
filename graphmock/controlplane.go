package graphmock

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/graphmock/graphmock/openapi"

	"github.com/gorilla/mux"
	"github.com/graphmock/graphmock/engine"
)

// controlPlanePrefix is graphmock's own path space, outside Graph's.
const controlPlanePrefix = "/_graphmock"

// Control-plane error codes. Graph has no such operations; the codes follow Graph's spelling style.
const (
	// codeConflict answers a control-plane change that collides with existing state (409).
	codeConflict = "Conflict"
)

// controlPlaneHandler is one control-plane operation.
type controlPlaneHandler func(s *Server, w http.ResponseWriter, r *http.Request) error

// controlPlaneOps is the control-plane route table: path → method → operation. Every operation
// except healthz and tenants acts on the tenant named by the X-Graphmock-Tenant header, else the
// default tenant (docs/control-plane.md).
var controlPlaneOps = []struct {
	path    string
	methods map[string]controlPlaneHandler
}{
	{"/healthz", map[string]controlPlaneHandler{http.MethodGet: (*Server).healthz}},
	{"/openapi.yaml", map[string]controlPlaneHandler{http.MethodGet: (*Server).serveOpenAPI}},
	{"/reset", map[string]controlPlaneHandler{http.MethodPost: (*Server).resetTenant}},
	{"/seed", map[string]controlPlaneHandler{http.MethodPost: (*Server).seedTenant}},
	{"/export", map[string]controlPlaneHandler{http.MethodGet: (*Server).exportTenant}},
	{"/snapshots", map[string]controlPlaneHandler{http.MethodGet: (*Server).listSnapshots, http.MethodPost: (*Server).createSnapshot}},
	{"/snapshots/{name}", map[string]controlPlaneHandler{http.MethodDelete: (*Server).deleteSnapshot}},
	{"/snapshots/{name}/restore", map[string]controlPlaneHandler{http.MethodPost: (*Server).restoreSnapshot}},
	{"/clock", map[string]controlPlaneHandler{http.MethodGet: (*Server).getClock, http.MethodPut: (*Server).setClock}},
	{"/clock/advance", map[string]controlPlaneHandler{http.MethodPost: (*Server).advanceClock}},
	{"/journal", map[string]controlPlaneHandler{http.MethodGet: (*Server).listJournal, http.MethodDelete: (*Server).clearJournal}},
	{"/tenants", map[string]controlPlaneHandler{http.MethodGet: (*Server).listTenants, http.MethodPost: (*Server).createTenant}},
	{"/tenants/{tenant-id}", map[string]controlPlaneHandler{http.MethodGet: (*Server).getTenant, http.MethodDelete: (*Server).deleteTenant}},
	// Licensing and processing (controlplane_licensing.go): SKU changes Graph has no API for, the
	// portal's group Reprocess, and the processing queue.
	{"/subscribedSkus/{skuId}", map[string]controlPlaneHandler{http.MethodPatch: (*Server).cpPatchSku}},
	{"/subscribedSkus/{skuId}/servicePlans", map[string]controlPlaneHandler{http.MethodPost: (*Server).cpAddServicePlan}},
	{"/groups/{id}/reprocess", map[string]controlPlaneHandler{http.MethodPost: (*Server).cpReprocessGroup}},
	{"/processing", map[string]controlPlaneHandler{http.MethodGet: (*Server).cpGetProcessing, http.MethodPut: (*Server).cpPutProcessing}},
	{"/processing/step", map[string]controlPlaneHandler{http.MethodPost: (*Server).cpStepProcessing}},
	{"/processing/drain", map[string]controlPlaneHandler{http.MethodPost: (*Server).cpDrainProcessing}},
	// Traffic (controlplane_faults.go, docs/batching-throttling-faults.md); refusals are 400
	// BadRequest naming the field.
	{"/faults", map[string]controlPlaneHandler{http.MethodGet: (*Server).listFaults, http.MethodPost: (*Server).addFaults, http.MethodDelete: (*Server).clearFaults}},
	{"/faults/{id}", map[string]controlPlaneHandler{http.MethodDelete: (*Server).deleteFault}},
	{"/throttle", map[string]controlPlaneHandler{http.MethodGet: (*Server).getThrottle, http.MethodPut: (*Server).putThrottle}},
	{"/consistency", map[string]controlPlaneHandler{http.MethodGet: (*Server).getConsistency, http.MethodPut: (*Server).putConsistency}},
	{"/ca.pem", map[string]controlPlaneHandler{http.MethodGet: (*Server).caPEM}},
}

// controlPlaneRoutes registers /_graphmock/… operations. Each path is one route that dispatches
// on the method itself, so a wrong method is a 405 whatever other routes exist.
func (s *Server) controlPlaneRoutes(r *mux.Router) {
	for _, op := range controlPlaneOps {
		methods := op.methods
		r.Path(controlPlanePrefix + lowerStatic(op.path)).HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			h, ok := methods[req.Method]
			if !ok {
				s.writeError(w, req, errMethodNotAllowed)
				return
			}
			if err := h(s, w, req); err != nil {
				s.writeError(w, req, err)
			}
		})
	}
}

// serveOpenAPI answers the served subset of Microsoft's Graph OpenAPI description (YAML).
func (s *Server) serveOpenAPI(w http.ResponseWriter, _ *http.Request) error {
	doc := openapi.Document()
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	_, err := w.Write(doc)
	return err
}

// healthz answers 200 {"status":"ok"} once the server is serving.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) error {
	writeControlJSON(w, http.StatusOK, object{{"status", "ok"}})
	return nil
}

// isControlPlanePath reports whether path (any case) is under /_graphmock.
func isControlPlanePath(path string) bool {
	p := strings.ToLower(path)
	return p == controlPlanePrefix || strings.HasPrefix(p, controlPlanePrefix+"/")
}

// writeControlJSON writes a control-plane answer as application/json.
func writeControlJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	writeJSONStatus(w, status, v)
}

// readBody reads a whole request body. Errors: a body over the size limit (413), an unreadable one (400).
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, newHTTPError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
				"The request body is larger than the 64 MB the control plane accepts.")
		}
		return nil, errMalformedJSON
	}
	return b, nil
}

// decodeControlBody decodes a small JSON object body into v, refusing unknown members.
// Errors (400 BadRequest): malformed JSON, a member v doesn't declare.
func decodeControlBody(r *http.Request, v any) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	return decodeStrict(b, v, nil)
}

// decodeStrict decodes the JSON value b into v, refusing members v doesn't declare with
// 400 `The property "x" is not accepted here.` A value of the wrong type is typeErr(err) when
// typeErr is set, else the malformed-JSON 400, as is malformed JSON or trailing data.
func decodeStrict(b []byte, v any, typeErr func(error) error) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return badControlRequest("The property " + msg + " is not accepted here.")
		}
		var ute *json.UnmarshalTypeError
		if typeErr != nil && errors.As(err, &ute) {
			return typeErr(err)
		}
		return errMalformedJSON
	}
	if dec.More() {
		return errMalformedJSON
	}
	return nil
}

// badControlRequest is a 400 BadRequest with message.
func badControlRequest(message string) *httpError {
	return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, message)
}

// controlNotFound is a 404 Request_ResourceNotFound with message.
func controlNotFound(message string) *httpError {
	return newHTTPError(http.StatusNotFound, engine.CodeRequestResourceNotFound, message)
}
