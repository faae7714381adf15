package graphmock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// prop is one Graph property of an entity type T: how to read it for a response, whether it is
// in the default property set (returned without $select), and how to write it from a request
// body (nil = read-only).
type prop[T any] struct {
	name string
	def  bool
	get  func(*T) any
	set  func(*T, json.RawMessage) error
}

// entityType is the wire description of one Graph entity: its OData type name and properties in
// the order Graph writes them.
type entityType[T any] struct {
	odataType string // e.g. "microsoft.graph.user"
	resource  string // the name errors use, e.g. "User"
	props     []prop[T]
	byName    map[string]int
	// notModelled are the type's Graph properties graphmock does not keep, by lower-case name.
	notModelled map[string]notModelledProp
}

// notModelledProp is a Graph property graphmock does not keep: writing it answers 501 (or the
// read-only 400 when Graph never accepts a value), never a made-up value. The query options see
// the same list in the odata capability tables (odata.Prop.NotModelled): naming one in $select,
// $filter, $orderby or $search answers 501 on every list and object of the type.
type notModelledProp struct {
	name     string // canonical spelling
	readOnly bool
}

// errPropertyNotModelled is the 501 for a property graphmock does not keep (DESIGN §3).
func errPropertyNotModelled(odataType, name string) *httpError {
	return newHTTPError(http.StatusNotImplemented, engine.CodeNotImplemented, fmt.Sprintf(odata.MsgNotModelled, name, odataType))
}

// errReadOnly is graphmock's refusal of a value for a read-only property.
func errReadOnly(name string) *httpError {
	return newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest, fmt.Sprintf(
		"Property '%s' is read-only and cannot be set.", name))
}

func newEntityType[T any](odataType, resource string, props []prop[T]) *entityType[T] {
	e := &entityType[T]{odataType: odataType, resource: resource, props: props, byName: map[string]int{}}
	for i, p := range props {
		e.byName[strings.ToLower(p.name)] = i
	}
	return e
}

// lookup returns the canonical property by case-insensitive name.
func (e *entityType[T]) lookup(name string) (*prop[T], bool) {
	i, ok := e.byName[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return &e.props[i], true
}

// encode renders obj with the default property set, or only the selected properties (canonical
// names) in Graph's order. withType adds "@odata.type" first, as directoryObject collections carry it.
func (e *entityType[T]) encode(obj *T, sel []string, withType bool) object {
	out := make(object, 0, 16)
	if withType {
		out = append(out, field{"@odata.type", "#" + e.odataType})
	}
	if len(sel) == 0 {
		for i := range e.props {
			if e.props[i].def {
				out = append(out, field{e.props[i].name, e.props[i].get(obj)})
			}
		}
		return out
	}
	for i := range e.props {
		p := &e.props[i]
		for _, s := range sel {
			if strings.EqualFold(s, p.name) {
				out = append(out, field{p.name, p.get(obj)})
				break
			}
		}
	}
	return out
}

// decodeBody reads a JSON object body into a map of raw members. Errors: a Content-Type other
// than JSON (checkJSONContentType), malformed JSON, a body that is not an object, a body over the
// size limit.
func decodeBody(r *http.Request) (map[string]json.RawMessage, []string, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, errBodyTooLarge
		}
		return nil, nil, errMalformedJSON
	}
	if err := checkJSONContentType(r); err != nil {
		return nil, nil, err
	}
	return decodeObject(b)
}

// checkJSONContentType refuses a request body labelled as something other than JSON: an entity
// write (POST to /users or /groups, PATCH) gets Graph's 400 "Entity only allows writes with a
// JSON Content-Type header." [obs]; an action or $ref gets 415, as Graph answers actions sent as
// form data [obs: status; the body's wording is unc]. A body without a Content-Type gets the JSON
// reader's 400 "Unable to read JSON request payload. Please ensure Content-Type header is set…"
// [obs]; callers check for a body first.
func checkJSONContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return errMalformedJSON
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil && strings.EqualFold(mt, "application/json") {
		return nil
	}
	if isEntityWrite(r) {
		return errEntityNotJSON
	}
	return errUnsupportedMediaType
}

// isEntityWrite reports whether r creates or updates an entity (POST to a collection, PATCH)
// rather than calling an action or writing a reference.
func isEntityWrite(r *http.Request) bool {
	if r.Method == http.MethodPatch {
		return true
	}
	cur := mux.CurrentRoute(r)
	if cur == nil {
		return false
	}
	tpl, err := cur.GetPathTemplate()
	return err == nil && (strings.HasSuffix(tpl, "/users") || strings.HasSuffix(tpl, "/groups"))
}

// decodeObject parses b as one JSON object and returns its members and their order.
func decodeObject(b []byte) (map[string]json.RawMessage, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, nil, errMalformedJSON
	}
	members := map[string]json.RawMessage{}
	var order []string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, nil, errMalformedJSON
		}
		k, _ := kt.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, errMalformedJSON
		}
		if _, dup := members[k]; !dup {
			order = append(order, k)
		}
		members[k] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, errMalformedJSON
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errMalformedJSON
	}
	return members, order, nil
}

// apply writes the body's members onto obj. Members whose names start with "@odata." or contain
// "@odata.bind" are skipped (the caller handles binds). Errors: an unknown property, a read-only
// one, or a value of the wrong JSON type — each a Graph-shaped 400.
func (e *entityType[T]) apply(obj *T, members map[string]json.RawMessage, order []string) error {
	for _, k := range order {
		if strings.HasPrefix(k, "@odata.") || strings.Contains(k, "@odata.") {
			continue
		}
		p, ok := e.lookup(k)
		if nm, known := e.notModelled[strings.ToLower(k)]; !ok && known {
			if nm.readOnly {
				return errReadOnly(nm.name)
			}
			return errPropertyNotModelled(e.odataType, nm.name)
		}
		if !ok {
			// The OData reader's wording for an undeclared property [unc: Graph's exact text varies by workload].
			return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, fmt.Sprintf(
				"The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", k, e.odataType))
		}
		if p.set == nil {
			return errReadOnly(p.name)
		}
		if err := p.set(obj, members[k]); err != nil {
			return err
		}
	}
	return nil
}

// errWrongType is the OData reader's refusal of a value of the wrong JSON type [unc: wording].
func errWrongType(raw json.RawMessage, edm string) error {
	lit := strings.Trim(string(raw), `"`)
	if len(lit) > 64 {
		lit = lit[:64]
	}
	return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest,
		fmt.Sprintf("Cannot convert the literal '%s' to the expected type '%s'.", lit, edm))
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// decodeString reads an Edm.String; null → "".
func decodeString(raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errWrongType(raw, "Edm.String")
	}
	return s, nil
}

// decodeBool reads an Edm.Boolean; null is refused for non-nullable properties.
func decodeBool(raw json.RawMessage) (bool, error) {
	var b bool
	if isNull(raw) || json.Unmarshal(raw, &b) != nil {
		return false, errWrongType(raw, "Edm.Boolean")
	}
	return b, nil
}

// decodeDateTime reads an Edm.DateTimeOffset (RFC 3339, any offset); null → nil. The value is
// kept in UTC at second precision, as the directory stores and returns it (graph-facts §9).
func decodeDateTime(raw json.RawMessage) (*time.Time, error) {
	if isNull(raw) {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, errWrongType(raw, "Edm.DateTimeOffset")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, errWrongType(raw, "Edm.DateTimeOffset")
	}
	t = t.UTC().Truncate(time.Second)
	return &t, nil
}

// decodeNullableBool reads an Edm.Boolean that may be null.
func decodeNullableBool(raw json.RawMessage) (*bool, error) {
	if isNull(raw) {
		return nil, nil
	}
	b, err := decodeBool(raw)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// decodeStrings reads a Collection(Edm.String); null → empty.
func decodeStrings(raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var s []string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, errWrongType(raw, "Collection(Edm.String)")
	}
	return s, nil
}

func str(set func(string)) func(json.RawMessage) error {
	return func(raw json.RawMessage) error {
		v, err := decodeString(raw)
		if err == nil {
			set(v)
		}
		return err
	}
}

// formatTime writes a directory timestamp: UTC, second precision, "Z" (graph-facts §9).
func formatTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// formatTimePtr writes an optional time: null only when unset (0001-01-01 is a value).
func formatTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

func encodeLicenses(ls []engine.AssignedLicense) []object {
	out := make([]object, len(ls))
	for i, l := range ls {
		out[i] = object{{"disabledPlans", list(l.DisabledPlans)}, {"skuId", l.SkuID}}
	}
	return out
}

// hasMember reports whether a body has the member name (case-insensitive).
func hasMember(members map[string]json.RawMessage, name string) bool {
	for k := range members {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}
