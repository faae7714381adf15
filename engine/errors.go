package engine

import "fmt"

// Kind classifies an engine error; the HTTP layer maps each Kind to one status code.
type Kind int

// Error kinds. The HTTP layer owns the Kind → status table.
const (
	KindBadRequest     Kind = iota + 1 // 400
	KindUnauthorized                   // 401
	KindForbidden                      // 403
	KindNotFound                       // 404
	KindConflict                       // 409
	KindNotImplemented                 // 501
	KindInternal                       // 500
)

// Graph error codes. Each names where the real response was seen (graph-facts.md section).
const (
	// CodeRequestBadRequest is the directory's generic 400 code (graph-facts §3.2, §3.3).
	CodeRequestBadRequest = "Request_BadRequest"
	// CodeRequestResourceNotFound answers lookups of objects that don't exist (graph-facts §3.2).
	CodeRequestResourceNotFound = "Request_ResourceNotFound"
	// CodeAuthorizationRequestDenied answers forbidden writes such as dynamic-group member changes (graph-facts §3.2).
	CodeAuthorizationRequestDenied = "Authorization_RequestDenied"
	// CodeBadRequest is the OData layer's code for unreadable payloads (graph-facts §3.2).
	CodeBadRequest = "BadRequest"
	// CodeRequestUnsupportedQuery answers query options the directory refuses (graph-facts §3.2).
	CodeRequestUnsupportedQuery = "Request_UnsupportedQuery"
	// CodeNotImplemented answers operations Graph has and graphmock does not serve.
	// Graph's generic list (errors.md) has no exact code for 501; this spelling is graphmock's.
	CodeNotImplemented = "NotImplemented"
	// CodeInternal is the generic 500 code; Graph's errors.md lists generalException.
	CodeInternal = "generalException"
	// CodeInvalidValue is the code of a details entry naming an invalid property (graph-facts §3.2, seen on POST /users).
	CodeInvalidValue = "InvalidValue"
)

// ErrorDetail is one entry of the error envelope's optional details array: {code, target, message}.
type ErrorDetail struct {
	Code    string
	Target  string
	Message string
}

// Error is an engine failure carrying the Graph code and message the HTTP layer writes verbatim.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Details []ErrorDetail
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func newError(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadRequest builds a 400 Request_BadRequest error.
func BadRequest(format string, args ...any) *Error {
	return newError(KindBadRequest, CodeRequestBadRequest, format, args...)
}

// NotFound builds the directory's 404 for a missing object:
// "Resource '{id}' does not exist or one of its queried reference-property objects are not present." (graph-facts §3.2).
func NotFound(id string) *Error {
	return newError(KindNotFound, CodeRequestResourceNotFound,
		"Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)
}

// Forbidden builds the 403 Authorization_RequestDenied "Insufficient privileges to complete the operation." (graph-facts §3.2).
func Forbidden() *Error {
	return newError(KindForbidden, CodeAuthorizationRequestDenied, "Insufficient privileges to complete the operation.")
}

// DuplicateValue builds "Another object with the same value for property {name} already exists." (graph-facts §2.1, §3.2).
func DuplicateValue(property string) *Error {
	return BadRequest("Another object with the same value for property %s already exists.", property)
}

// InvalidValue builds "Invalid value specified for property '{p}' of resource '{Resource}'." with an
// InvalidValue detail targeting the property, as Graph answers POST /users with a bad mailNickname.
func InvalidValue(property, resource string) *Error {
	e := BadRequest("Invalid value specified for property '%s' of resource '%s'.", property, resource)
	e.Details = []ErrorDetail{{Code: CodeInvalidValue, Target: property}}
	return e
}

// MissingValue builds "Property {p} value is required but is empty or missing." — the wording Graph
// answers a create without a required property with (Microsoft SDK maintainers quote it, 2023).
func MissingValue(property string) *Error {
	e := BadRequest("Property %s value is required but is empty or missing.", property)
	e.Details = []ErrorDetail{{Code: "PropertyRequired", Target: property}}
	return e
}
