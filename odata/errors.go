package odata

import "fmt"

// Error codes returned in the Graph error envelope. Each names the graph-facts.md
// section where the real response was seen.
const (
	// CodeRequestBadRequest is the directory's generic 400 code (graph-facts §3.2).
	CodeRequestBadRequest = "Request_BadRequest"
	// CodeRequestUnsupportedQuery marks queries the directory index cannot answer
	// (graph-facts §3.2, §6.1).
	CodeRequestUnsupportedQuery = "Request_UnsupportedQuery"
	// CodeExpiredPageToken is the directory's answer to a $skiptoken it cannot use.
	// [unc] Graph documents it only for expired tokens; graphmock also uses it for
	// tokens it did not issue, which Graph cannot tell apart from expired ones.
	CodeExpiredPageToken = "Directory_ExpiredPageToken"
	// CodeNotImplemented marks query options Graph supports and graphmock does not (its
	// spelling of a 501, as for operations it doesn't serve).
	CodeNotImplemented = "NotImplemented"
)

// Messages reproduced verbatim from Graph (graph-facts §3.2) unless marked [unc].
const (
	msgCountSegment     = "$count is not currently supported."
	msgSearchNeedsLevel = "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"
	msgAdvancedHint     = "Operator '%s' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information"
	msgUnsupportedProp  = "Unsupported or invalid query filter clause specified for property '%s' of resource '%s'."
	msgPageSize         = "Invalid page size specified: '%s'. Must be between 1 and 999 inclusive."
	msgNoProperty       = "Could not find a property named '%s' on type '%s'."
	msgFilterPrefix     = "Invalid filter clause: "
	// [unc] wording seen in community reports for $orderby the index cannot serve.
	msgSorting = "Sorting not supported for current query."
	// [unc] Graph answers $skip on directory lists with this wording in community reports.
	msgSkip = "'$skip' is not supported by the service."
	// [unc] expired-token wording, reused for every unusable token.
	msgSkipToken = "The specified page token value has expired and can no longer be included in your request."
	// graphmock's own wording: Graph applies these options.
	msgExpandOptions = "graphmock does not implement query options inside $expand ('%s'); Microsoft Graph applies them. Expand the navigation property without options instead."
	// MsgNotModelled is graphmock's 501 for a Graph property it does not keep, with the
	// property's name and its OData type; the graphmock package answers writes of one with it too.
	MsgNotModelled = "graphmock does not implement the Microsoft Graph property '%s' of type '%s'."
	// [unc] Graph's parser reports a syntax error; its exact wording is not documented.
	msgExpandSyntax = "Syntax error in $expand '%s': unbalanced parentheses or quotes."
)

// Error is a query-option error in Graph's shape. Status is the HTTP status, Code
// and Message go into the Graph error envelope verbatim, Pos is the byte offset
// of the offending token inside the option value (-1 when not applicable).
type Error struct {
	Status  int
	Code    string
	Message string
	Pos     int
}

func (e *Error) Error() string {
	if e.Pos >= 0 {
		return fmt.Sprintf("%s: %s (at %d)", e.Code, e.Message, e.Pos)
	}
	return e.Code + ": " + e.Message
}

func badRequest(pos int, format string, args ...any) *Error {
	return &Error{Status: 400, Code: CodeRequestBadRequest, Message: fmt.Sprintf(format, args...), Pos: pos}
}

func unsupported(pos int, format string, args ...any) *Error {
	return &Error{Status: 400, Code: CodeRequestUnsupportedQuery, Message: fmt.Sprintf(format, args...), Pos: pos}
}

func notImplemented(pos int, format string, args ...any) *Error {
	return &Error{Status: 501, Code: CodeNotImplemented, Message: fmt.Sprintf(format, args...), Pos: pos}
}

// NotModelledError is the 501 NotImplemented for p, a property graphmock does not keep
// (Prop.NotModelled), named at pos in the option value.
func NotModelledError(pos int, p *Prop) *Error {
	return notImplemented(pos, MsgNotModelled, p.Name, p.NotModelled)
}

// filterError is a syntax or type error in $filter: 400 Request_BadRequest
// "Invalid filter clause: …" (graph-facts §3.2; the code is [unc] for directory lists).
func filterError(pos int, format string, args ...any) *Error {
	return badRequest(pos, msgFilterPrefix+format, args...)
}

// advancedHint is the 400 for an operator that needs ConsistencyLevel: eventual and
// $count=true (graph-facts §3.2).
func advancedHint(pos int, op string) *Error {
	return unsupported(pos, msgAdvancedHint, op)
}

// unsupportedProp is the 400 for a property/operator pair the index never supports
// (graph-facts §3.2).
func unsupportedProp(pos int, prop, resource string) *Error {
	return unsupported(pos, msgUnsupportedProp, prop, resource)
}
