package graphmock

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/graphmock/graphmock/engine"
)

// statusByKind is the one table from engine error kinds to HTTP status codes.
var statusByKind = map[engine.Kind]int{
	engine.KindBadRequest:     http.StatusBadRequest,
	engine.KindUnauthorized:   http.StatusUnauthorized,
	engine.KindForbidden:      http.StatusForbidden,
	engine.KindNotFound:       http.StatusNotFound,
	engine.KindConflict:       http.StatusConflict,
	engine.KindNotImplemented: http.StatusNotImplemented,
	engine.KindInternal:       http.StatusInternalServerError,
}

// httpError is a Graph error with its status, for failures found by the HTTP layer itself.
type httpError struct {
	status  int
	code    string
	message string
	details []engine.ErrorDetail
}

func (e *httpError) Error() string { return e.code + ": " + e.message }

func newHTTPError(status int, code, message string) *httpError {
	return &httpError{status: status, code: code, message: message}
}

// writeError writes any error as Graph's error envelope (graph-facts §3.1):
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
// Errors the server doesn't recognise are a 500 with a generic code and are logged.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, code, message := http.StatusInternalServerError, engine.CodeInternal, "An internal server error occurred."
	var details []engine.ErrorDetail
	var ee *engine.Error
	var he *httpError
	if oe, ok := odataStatus(err); ok {
		err = oe
	}
	switch {
	case errors.As(err, &ee):
		status, code, message, details = statusByKind[ee.Kind], ee.Code, ee.Message, ee.Details
		if status == 0 {
			status = http.StatusInternalServerError
		}
	case errors.As(err, &he):
		status, code, message, details = he.status, he.code, he.message, he.details
	default:
		s.log.Error("unexpected error", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("request-id", requestID(r)), slog.Any("error", err))
	}
	inner := object{
		{"date", s.tenantFor(r).store.Clock().Now().UTC().Format("2006-01-02T15:04:05")},
		{"request-id", requestID(r)},
		{"client-request-id", clientRequestID(r)},
	}
	body := object{{"code", code}, {"message", message}}
	if len(details) > 0 {
		ds := make([]object, len(details))
		for i, d := range details {
			// Every detail carries a message (Graph's ErrorDetails requires one); a detail
			// without its own repeats the error's.
			msg := d.Message
			if msg == "" {
				msg = message
			}
			ds[i] = object{{"code", d.Code}, {"message", msg}, {"target", d.Target}}
		}
		body = append(body, field{"details", ds})
	}
	body = append(body, field{"innerError", inner})
	w.Header().Set("Content-Type", "application/json")
	writeJSONStatus(w, status, object{{"error", body}})
}

// Errors of the HTTP layer with Graph's wording (graph-facts §3.2).
var (
	errMethodNotAllowed = newHTTPError(http.StatusMethodNotAllowed, engine.CodeRequestBadRequest,
		"Specified HTTP method is not allowed for the request target.")
	// Graph's reply to an unreadable body [obs: OData layer code BadRequest].
	errMalformedJSON = newHTTPError(http.StatusBadRequest, engine.CodeBadRequest,
		"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	// A create or update whose body is labelled other than JSON [obs].
	errEntityNotJSON = newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, "Entity only allows writes with a JSON Content-Type header.")
	// An action body labelled other than JSON: Graph answers 415 [obs]; the wording is graphmock's [unc].
	errUnsupportedMediaType = newHTTPError(http.StatusUnsupportedMediaType, "UnsupportedMediaType",
		"The request body's Content-Type is not supported. Send application/json.")
	// Graph's request size limit is 4 MB; the exact refusal text is not documented [unc].
	errBodyTooLarge = newHTTPError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
		"The request body is larger than the 4 MB Microsoft Graph accepts.")
)

// errUnknownSegment is the refusal of a path Graph doesn't know. Graph's OData layer answers
// "Resource not found for the segment '{segment}'." with code BadRequest (400) [obs].
func errUnknownSegment(segment string) *httpError {
	return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, "Resource not found for the segment '"+segment+"'.")
}

// errNotImplemented names an operation Graph has and graphmock doesn't serve.
func errNotImplemented(method, path string) *httpError {
	return newHTTPError(http.StatusNotImplemented, engine.CodeNotImplemented,
		"graphmock does not implement the Microsoft Graph operation "+method+" "+path+".")
}

// errMetadataNotImplemented answers GET /$metadata: Graph serves its CSDL document there;
// graphmock describes what it serves in OpenAPI instead.
var errMetadataNotImplemented = newHTTPError(http.StatusNotImplemented, engine.CodeNotImplemented,
	"graphmock does not serve Microsoft Graph's $metadata (CSDL) document; the OpenAPI description of the operations it serves is at /_graphmock/openapi.yaml.")

// errResourceNotImplemented names a Graph path graphmock knows only as the way to deeper
// operations of its OpenAPI modules (GET /users/{user-id}/messages).
func errResourceNotImplemented(method, path string) *httpError {
	return newHTTPError(http.StatusNotImplemented, engine.CodeNotImplemented,
		"graphmock does not implement "+method+" "+path+", a Microsoft Graph resource outside the operations it tracks (COVERAGE.md).")
}

// errRootNotImplemented names a request under a Graph root resource that none of graphmock's
// OpenAPI modules describe (GET /sites/root/lists).
func errRootNotImplemented(method, root, path string) *httpError {
	return newHTTPError(http.StatusNotImplemented, engine.CodeNotImplemented,
		"graphmock does not implement Microsoft Graph's /"+root+" resources ("+method+" "+path+").")
}

// errMeWithoutUser is Graph's answer to /me without a signed-in user (no token, or an app-only
// token) [obs].
var errMeWithoutUser = newHTTPError(http.StatusBadRequest, engine.CodeBadRequest,
	"/me request is only valid with delegated authentication flow.")

// errUnsupportedEncoding refuses a request body in a Content-Encoding other than gzip. Graph's
// exact answer is not documented [unc]; 415 is what the SDKs' compression handler expects before
// resending the body uncompressed.
func errUnsupportedEncoding(enc string) *httpError {
	return newHTTPError(http.StatusUnsupportedMediaType, "UnsupportedMediaType",
		"The Content-Encoding '"+enc+"' of the request body is not supported; send it uncompressed or gzip-compressed.")
}
