package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// ErrNotServed is wrapped by the error for a request or response whose method and path match
// no operation of the served subset.
var ErrNotServed = errors.New("operation not in the served subset")

// Validator checks graphmock's requests and responses against the served subset. Get it from
// Load. It is safe for concurrent use.
type Validator struct {
	doc      *openapi3.T
	routes   []*route                    // the served subset's operations
	byKey    map[string][]*route         // served routes by routeKey
	spec     map[string][]*route         // every operation of Microsoft's files for the modules, by routeKey (no schemas)
	names    map[*openapi3.Schema]string // component schema → its name
	props    sync.Map                    // *openapi3.Schema → *propSet
	loadTime time.Duration
}

// LoadTime is how long the first Load took (parsing the subset and applying the workarounds).
func (v *Validator) LoadTime() time.Duration { return v.loadTime }

// Violation is one way a request or response breaks the spec.
type Violation struct {
	// Pointer is the JSON pointer (RFC 6901) of the offending value in the body ("" for the
	// body as a whole), or "header X" / "query X" / "status" for what is not in the body.
	Pointer string
	// Message says what was expected, for example `value must be a boolean`.
	Message string
}

// ValidationError is returned by ValidateResponse and ValidateRequest when the message breaks
// the spec. Its text names the operation, each violation's JSON pointer and what was expected:
//
//	response 200 of GET /users/{user-id} (user_GetUser): /accountEnabled: value must be a boolean
type ValidationError struct {
	Operation   Operation // the spec operation the path matched
	OperationID string
	Response    bool // false for a request
	Status      int  // the response status; 0 for a request
	Violations  []Violation
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Response {
		fmt.Fprintf(&b, "response %d of %s", e.Status, e.Operation)
	} else {
		fmt.Fprintf(&b, "request %s", e.Operation)
	}
	if e.OperationID != "" {
		fmt.Fprintf(&b, " (%s)", e.OperationID)
	}
	b.WriteString(": ")
	for i, vi := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		if vi.Pointer != "" {
			b.WriteString(vi.Pointer)
		} else {
			b.WriteString("body")
		}
		b.WriteString(": ")
		b.WriteString(vi.Message)
	}
	return b.String()
}

// Operations returns the operations of the loaded subset, sorted by method and path.
func (v *Validator) Operations() []Operation {
	out := make([]Operation, len(v.routes))
	for i, r := range v.routes {
		out[i] = r.op
	}
	return out
}

// Match returns the spec operation a concrete request path selects (path without /v1.0, an
// optional query is ignored), with the values of the template's parameters. Literal segments
// match case-insensitively and actions match in their short form too (assignLicense for
// microsoft.graph.assignLicense). The error wraps ErrNotServed.
func (v *Validator) Match(method, path string) (Operation, map[string]string, error) {
	r, params, err := v.match(method, path)
	if err != nil {
		return Operation{}, nil, err
	}
	return r.op, params, nil
}

func splitPath(path string) (string, string) {
	p, q, _ := strings.Cut(path, "?")
	if len(p) >= 5 && strings.EqualFold(p[:5], "/v1.0") && (len(p) == 5 || p[5] == '/') {
		p = p[5:]
	}
	return p, q
}

func (v *Validator) match(method, path string) (*route, map[string]string, error) {
	p, _ := splitPath(path)
	method = strings.ToUpper(method)
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for i, raw := range segs {
		if dec, err := url.PathUnescape(raw); err == nil {
			segs[i] = dec
		}
	}
	key := routeKey(segs[0], len(segs))
	best, score, params, pathMatched := bestRoute(v.byKey[key], method, segs)
	// A path the served route takes through a {parameter} may name an operation of Graph's that
	// graphmock does not serve (GET /groups/delta is not GET /groups/{group-id}).
	spec, specScore, _, _ := bestRoute(v.spec[key], method, segs)
	if spec != nil && (best == nil || better(specScore, score)) {
		return nil, nil, fmt.Errorf("%s %s is Graph's %s: %w", method, p, spec.op, ErrNotServed)
	}
	if best == nil {
		if pathMatched {
			return nil, nil, fmt.Errorf("%s %s: method not served for this path: %w", method, p, ErrNotServed)
		}
		return nil, nil, fmt.Errorf("%s %s: %w", method, p, ErrNotServed)
	}
	return best, params, nil
}

// bestRoute finds the most specific route for method and the decoded path segments, and the
// values of its parameters.
func bestRoute(routes []*route, method string, segs []string) (best *route, bestScore []int, params map[string]string, pathMatched bool) {
	score := make([]int, len(segs))
	for _, r := range routes {
		if len(r.segs) != len(segs) || !scoreRoute(r, segs, score) {
			continue
		}
		pathMatched = true
		if r.op.Method != method {
			continue
		}
		if best == nil || better(score, bestScore) {
			best, bestScore = r, append(bestScore[:0], score...)
		}
	}
	if best != nil {
		for i, s := range best.segs {
			if s.param != "" {
				if params == nil {
					params = map[string]string{}
				}
				params[s.param] = segs[i]
			}
		}
	}
	return best, bestScore, params, pathMatched
}

// scoreRoute scores each segment of a match of r (3 literal, 2 short action name, 1 parameter)
// into score, and reports whether r matches at all.
func scoreRoute(r *route, segs []string, score []int) bool {
	for i, s := range r.segs {
		dec := segs[i]
		switch {
		case s.literal != "" && strings.EqualFold(dec, s.literal):
			score[i] = 3
		case s.short != "" && (strings.EqualFold(dec, s.short) || strings.EqualFold(dec, s.short+"()")):
			score[i] = 2
		case s.param != "" && dec != "":
			score[i] = 1
		default:
			return false
		}
	}
	return true
}

// better compares segment scores from the left: the first more specific segment wins.
func better(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

// expectedStatus is the exact success status of an operation (Q7).
func expectedStatus(op Operation) int {
	if s, ok := successStatus[op]; ok {
		return s
	}
	return http.StatusOK
}

// ValidateResponse checks one response of graphmock against the spec of the operation that
// method and path select. path is the URL path without the /v1.0 prefix (for example
// "/users/abc/assignLicense"); a query after "?" is ignored. It returns nil when the response
// conforms, an error wrapping ErrNotServed when no served operation matches, and otherwise a
// *ValidationError listing every violation: a success status other than the exact one Graph
// answers, a body that does not match the schema, a property the schema does not have, an
// @odata.type that names no schema or a schema not derived from the declared one, a $count
// body that is not an integer, a 204 with a body.
func (v *Validator) ValidateResponse(method, path string, status int, header http.Header, body []byte) error {
	r, params, err := v.match(method, path)
	if err != nil {
		return err
	}
	verr := &ValidationError{Operation: r.op, OperationID: r.operation.OperationID, Response: true, Status: status}
	add := func(ptr, msg string) { verr.Violations = append(verr.Violations, Violation{ptr, msg}) }
	result := func() error {
		if len(verr.Violations) == 0 {
			return nil
		}
		return verr
	}

	want := expectedStatus(r.op)
	switch {
	case status >= 200 && status < 300:
		if status != want {
			add("status", fmt.Sprintf("status %d, expected %d", status, want))
			return result()
		}
	case status >= 400 && status < 600:
	default:
		add("status", fmt.Sprintf("status %d, expected %d or an error status (4xx, 5xx)", status, want))
		return result()
	}

	if status == http.StatusNoContent { // Q7
		if len(body) != 0 {
			add("", fmt.Sprintf("a 204 response must have no body, got %d bytes", len(body)))
		}
		return result()
	}
	if len(bytes.TrimSpace(body)) == 0 {
		add("", "empty body, expected a body")
		return result()
	}

	ct := header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt == "text/plain" && status < 300 { // Q6
		if !strings.HasSuffix(r.op.Path, "/$count") {
			add("header Content-Type", "text/plain, expected application/json")
			return result()
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(body)))
		if err != nil || n < 0 {
			add("", fmt.Sprintf("$count body %q, expected a non-negative integer", truncate(string(body))))
		}
		return result()
	}

	req := v.request(r, method, path, params, http.Header{}, nil)
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: req,
		Status:                 status,
		Header:                 header,
		Options:                options(),
	}
	input.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		flatten(err, add)
	}

	// Q5: @odata.type-driven checks and unknown keys.
	var doc any
	if err := json.Unmarshal(body, &doc); err == nil {
		if s := responseSchema(r.operation, status); s != nil {
			v.walk(s, doc, "", add)
		}
	}
	return result()
}

// ValidateRequest checks one request to graphmock against the spec: path parameters, query
// options ($top must be an integer…), headers, and the JSON body (types, unknown properties,
// and the properties Graph requires). path is the URL path without /v1.0 and may carry the
// query after "?". It returns nil, an error wrapping ErrNotServed, or a *ValidationError.
func (v *Validator) ValidateRequest(method, path string, header http.Header, body []byte) error {
	r, params, err := v.match(method, path)
	if err != nil {
		return err
	}
	verr := &ValidationError{Operation: r.op, OperationID: r.operation.OperationID}
	add := func(ptr, msg string) { verr.Violations = append(verr.Violations, Violation{ptr, msg}) }

	in := v.request(r, method, path, params, header, body)
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		flatten(err, add)
	}
	if len(bytes.TrimSpace(body)) > 0 {
		var doc any
		if err := json.Unmarshal(body, &doc); err != nil {
			if len(verr.Violations) == 0 {
				add("", "body is not JSON: "+err.Error())
			}
		} else {
			if m, ok := doc.(map[string]any); ok {
				for _, f := range requiredRequestFields[r.op] {
					if _, ok := m[f]; !ok {
						add("/"+escapePointer(f), fmt.Sprintf("property %q is missing", f))
					}
				}
			}
			if s := requestSchema(r.operation); s != nil {
				v.walk(s, doc, "", add)
			}
		}
	} else if len(requiredRequestFields[r.op]) > 0 {
		add("", fmt.Sprintf("empty body, expected properties %s", strings.Join(requiredRequestFields[r.op], ", ")))
	}
	if len(verr.Violations) == 0 {
		return nil
	}
	return verr
}

func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:            true,
		IncludeResponseStatus: true,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc, // Q8
	}
}

// request builds the kin-openapi input for a route; body is nil for response validation.
func (v *Validator) request(r *route, method, path string, params map[string]string, header http.Header, body []byte) *openapi3filter.RequestValidationInput {
	p, q := splitPath(path)
	u := &url.URL{Scheme: "http", Host: "graphmock", Path: "/v1.0" + p, RawQuery: q}
	req := &http.Request{Method: strings.ToUpper(method), URL: u, Header: header, Host: u.Host}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if body != nil {
		req.Body = http.NoBody
		if len(body) > 0 {
			req.Body = readCloser(body)
			req.ContentLength = int64(len(body))
		}
	}
	return &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route: &routers.Route{
			Spec: v.doc, Server: v.doc.Servers[0], Path: r.path, PathItem: r.item,
			Method: r.op.Method, Operation: r.operation,
		},
		Options: options(),
	}
}

func responseSchema(op *openapi3.Operation, status int) *openapi3.Schema {
	ref := op.Responses.Status(status)
	if ref == nil {
		ref = op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return nil
	}
	return jsonSchema(ref.Value.Content)
}

func requestSchema(op *openapi3.Operation) *openapi3.Schema {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	return jsonSchema(op.RequestBody.Value.Content)
}

func jsonSchema(c openapi3.Content) *openapi3.Schema {
	mt := c.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// flatten turns kin-openapi's nested errors into violations with JSON pointers.
func flatten(err error, add func(ptr, msg string)) {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, x := range e {
			flatten(x, add)
		}
	case *openapi3filter.ResponseError:
		if e.Err == nil && strings.Contains(e.Reason, "header Content-Type") {
			add("header Content-Type", e.Reason)
			return
		}
		if e.Err != nil {
			flattenIn(e.Err, e.Reason, add)
			return
		}
		add("", e.Reason)
	case *openapi3filter.RequestError:
		where := ""
		if e.Parameter != nil {
			where = e.Parameter.In + " " + e.Parameter.Name
		}
		if e.Err != nil {
			if where != "" {
				flattenIn(e.Err, "", func(ptr, msg string) { add(where+ptr, msg) })
				return
			}
			flattenIn(e.Err, e.Reason, add)
			return
		}
		add(where, e.Reason)
	case *openapi3filter.SecurityRequirementsError:
		add("header Authorization", e.Error())
	case *openapi3.SchemaError:
		if e.Origin != nil {
			var me openapi3.MultiError
			for o := e.Origin; o != nil && me == nil; o = errors.Unwrap(o) {
				if m, ok := o.(openapi3.MultiError); ok {
					me = m
				}
			}
			if me != nil {
				for _, x := range me {
					flatten(x, add)
				}
				return
			}
			if _, ok := e.Origin.(*openapi3.SchemaError); ok {
				flatten(e.Origin, add)
				return
			}
		}
		ptr := ""
		for _, k := range e.JSONPointer() {
			ptr += "/" + escapePointer(k)
		}
		msg := e.Reason
		if msg == "" {
			msg = fmt.Sprintf("does not match the schema's %q", e.SchemaField)
		}
		if e.Origin != nil {
			msg += ": " + e.Origin.Error()
		}
		add(ptr, msg)
	default:
		if msg := err.Error(); strings.Contains(msg, "header Content-Type") {
			add("header Content-Type", msg)
		} else {
			add("", msg)
		}
	}
}

// flattenIn flattens err; an error without a pointer keeps reason as its context.
func flattenIn(err error, reason string, add func(ptr, msg string)) {
	flatten(err, func(ptr, msg string) {
		if ptr == "" && reason != "" && !strings.Contains(msg, reason) {
			msg = reason + ": " + msg
		}
		add(ptr, msg)
	})
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

type bodyReader struct{ *bytes.Reader }

func (bodyReader) Close() error { return nil }

func readCloser(b []byte) bodyReader { return bodyReader{bytes.NewReader(b)} }
