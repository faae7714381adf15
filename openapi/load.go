package openapi

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

var (
	loadOnce sync.Once
	loaded   *Validator
	loadErr  error
)

// Load returns the Validator for the embedded served subset. The first call parses the
// document and applies the workarounds below (about 0.15 s and 6 MiB retained on two idle
// cores, more on a busy machine); later calls return the same Validator. It is safe for
// concurrent use.
//
// Workarounds applied in memory (the numbers are those of QUIRKS.md beside Microsoft's files):
//
//   - Q1: every "additionalProperties: {type: object}" is dropped (it would demand that each
//     property not declared in the same allOf branch be an object, rejecting every real body).
//     Unknown keys are caught instead by graphmock's own walk (see Q5).
//   - Q2: each property that is a bare $ref becomes {nullable: true, allOf: [$ref]}, since Graph
//     sends null for unset complex properties (passwordProfile, licenseProcessingState…).
//   - Q3: the server URL becomes the relative "/v1.0" (routing is graphmock's own, see below).
//   - Q4: the namespaced action segment of a template (microsoft.graph.assignLicense) also
//     matches Graph's short form (assignLicense); literal segments match case-insensitively, as
//     Graph does, and a literal segment wins over a {parameter}. A path that Microsoft's files
//     give to an operation graphmock does not serve (GET /groups/delta is
//     /groups/microsoft.graph.delta()) is reported as not served instead of matching {group-id}.
//   - Q5: each JSON object carrying @odata.type is checked against that type's schema (which
//     must derive from the declared one), and keys a Graph schema does not declare are reported
//     (keys holding "@", OData annotations, are exempt; @odata.count must be an integer, the other
//     @odata.* annotations strings). A directoryObject without @odata.type is reported: Graph
//     always names the concrete type, and without it nothing could be checked.
//   - Q6: text/plain $count bodies are checked as a non-negative integer.
//   - Q7: success statuses are checked exactly (Microsoft's files only say 2XX); a 204 must have
//     no body and is not checked against the 2XX body schema.
//   - Q8: requests are validated without authentication, and the request-body properties Graph
//     requires (which the files do not mark) are checked.
//   - Q9, Q10, Q11, Q12 need nothing: Graph's long JSON content type matches application/json,
//     the error envelope passes once Q1 is applied, x-ms-* extensions are ignored, and the uuid
//     and date-time patterns are enforced as published.
//   - Q13: a GET …/$ref response is declared a JSON string; Graph answers an object,
//     {"@odata.context": "…#directoryObjects/$entity", "@odata.id": "…/directoryObjects/{id}/…"}
//     (GET /users/{id}/manager/$ref). Such a string schema becomes an object that requires a
//     string @odata.id.
//   - $batch, which no Graph description contains, is checked by ValidateBatch.
//   - Collections: "value" is required in every collection response ({value, @odata.nextLink}).
//   - Properties Graph v1.0 sends that Microsoft's v1.0 files do not declare (undeclared below)
//     are added to their schemas, so they pass the unknown-key check and are still type-checked.
func Load() (*Validator, error) {
	loadOnce.Do(func() {
		start := time.Now()
		loaded, loadErr = load(document)
		if loaded != nil {
			loaded.loadTime = time.Since(start)
		}
	})
	return loaded, loadErr
}

func load(data []byte) (*Validator, error) {
	l := openapi3.NewLoader()
	doc, err := l.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: loading the served subset: %w", err)
	}
	v := &Validator{
		doc:   doc,
		names: map[*openapi3.Schema]string{},
	}
	for name, ref := range doc.Components.Schemas {
		if ref.Value != nil {
			v.names[ref.Value] = name
		}
	}
	v.relax()
	refObjects(doc)
	addUndeclared(doc)
	doc.Servers = openapi3.Servers{{URL: "/v1.0"}} // Q3
	if err := v.buildRoutes(); err != nil {
		return nil, err
	}
	return v, nil
}

// relax applies Q1, Q2 and the collection rule to every schema reachable from the document.
func (v *Validator) relax() {
	seen := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.Schema)
	walkRef := func(r *openapi3.SchemaRef) {
		if r != nil && r.Value != nil {
			walk(r.Value)
		}
	}
	walk = func(s *openapi3.Schema) {
		if seen[s] {
			return
		}
		seen[s] = true
		// Q1
		if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil && ap.Value.Type.Is("object") &&
			len(ap.Value.Properties) == 0 && ap.Value.AdditionalProperties.Schema == nil {
			s.AdditionalProperties = openapi3.AdditionalProperties{}
		}
		// Collections: Graph always sends "value".
		if val, ok := s.Properties["value"]; ok && val.Value != nil && val.Value.Type.Is("array") {
			if _, ok := s.Properties["@odata.nextLink"]; ok && !contains(s.Required, "value") {
				s.Required = append(s.Required, "value")
			}
		}
		names := make([]string, 0, len(s.Properties))
		for n := range s.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p := s.Properties[n]
			walkRef(p)
			if p.Ref != "" { // Q2
				s.Properties[n] = &openapi3.SchemaRef{Value: &openapi3.Schema{Nullable: true, AllOf: openapi3.SchemaRefs{p}}}
			}
		}
		walkRef(s.Items)
		walkRef(s.Not)
		walkRef(s.AdditionalProperties.Schema)
		for _, r := range s.AllOf {
			walkRef(r)
		}
		for _, r := range s.AnyOf {
			walkRef(r)
		}
		for _, r := range s.OneOf {
			walkRef(r)
		}
	}
	c := v.doc.Components
	names := make([]string, 0, len(c.Schemas))
	for n := range c.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		walkRef(c.Schemas[n])
	}
	content := func(ct openapi3.Content) {
		for _, mt := range ct {
			if mt != nil {
				walkRef(mt.Schema)
			}
		}
	}
	for _, r := range c.Responses {
		if r.Value != nil {
			content(r.Value.Content)
		}
	}
	for _, r := range c.RequestBodies {
		if r.Value != nil {
			content(r.Value.Content)
		}
	}
	for _, r := range c.Parameters {
		if r.Value != nil {
			walkRef(r.Value.Schema)
		}
	}
	for _, item := range v.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				content(op.RequestBody.Value.Content)
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					content(r.Value.Content)
				}
			}
			for _, p := range op.Parameters {
				if p.Value != nil {
					walkRef(p.Value.Schema)
				}
			}
		}
	}
}

// refObjects applies Q13: the 2XX string body of each GET …/$ref becomes {"@odata.id": string}.
func refObjects(doc *openapi3.T) {
	for path, item := range doc.Paths.Map() {
		if !strings.HasSuffix(path, "/$ref") || item.Get == nil {
			continue
		}
		for _, resp := range item.Get.Responses.Map() {
			if resp.Value == nil {
				continue
			}
			for _, mt := range resp.Value.Content {
				if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || !mt.Schema.Value.Type.Is("string") {
					continue
				}
				obj := openapi3.NewObjectSchema()
				obj.Properties = openapi3.Schemas{"@odata.id": openapi3.NewStringSchema().NewRef(),
					"@odata.context": openapi3.NewStringSchema().NewRef()}
				obj.Required = []string{"@odata.id"}
				mt.Schema = obj.NewRef()
			}
		}
	}
}

// undeclared lists properties real Graph v1.0 responses carry that the v1.0 files lack.
// Source: graph-facts §1.2 (group-list.md default property set).
var undeclared = map[string]map[string]func() *openapi3.Schema{
	"microsoft.graph.group": {
		"resourceBehaviorOptions":     stringArray,
		"resourceProvisioningOptions": stringArray,
	},
}

func stringArray() *openapi3.Schema {
	return &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: openapi3.NewSchemaRef("", openapi3.NewStringSchema())}
}

func addUndeclared(doc *openapi3.T) {
	for name, props := range undeclared {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		target := ref.Value
		for _, br := range target.AllOf { // the branch that declares the type's own properties
			if br.Ref == "" && br.Value != nil && len(br.Value.Properties) > 0 {
				target = br.Value
			}
		}
		for p, mk := range props {
			if _, ok := target.Properties[p]; !ok {
				if target.Properties == nil {
					target.Properties = openapi3.Schemas{}
				}
				target.Properties[p] = openapi3.NewSchemaRef("", mk())
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// route is one operation of the subset, compiled for matching.
type route struct {
	op        Operation
	segs      []segment
	operation *openapi3.Operation
	item      *openapi3.PathItem
	path      string
}

type segment struct {
	literal string // "" for a parameter
	param   string
	short   string // Q4: the action's short name, "" when not an action
	alias   string // "graph.user" for "microsoft.graph.user": Graph's namespace alias, which the SDKs send
}

const namespace = "microsoft.graph."

func compile(op Operation) []segment {
	var segs []segment
	for _, s := range strings.Split(strings.TrimPrefix(op.Path, "/"), "/") {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs = append(segs, segment{param: s[1 : len(s)-1]})
			continue
		}
		seg := segment{literal: s}
		if name, ok := strings.CutPrefix(s, namespace); ok {
			seg.alias = "graph." + name
			// Actions (POST) and functions (…()) have a short form; casts (GET …/microsoft.graph.user) do not.
			if op.Method == "POST" || strings.HasSuffix(s, ")") {
				seg.short = strings.TrimSuffix(name, "()")
			}
		}
		segs = append(segs, seg)
	}
	return segs
}

func (v *Validator) buildRoutes() error {
	for _, p := range v.doc.Paths.InMatchingOrder() {
		item := v.doc.Paths.Value(p)
		for method, op := range item.Operations() {
			o := Operation{Method: method, Path: p}
			v.routes = append(v.routes, &route{op: o, segs: compile(o), operation: op, item: item, path: p})
		}
	}
	sort.Slice(v.routes, func(i, j int) bool { return v.routes[i].op.String() < v.routes[j].op.String() })
	v.byKey = map[string][]*route{}
	for _, r := range v.routes {
		if r.segs[0].literal == "" {
			return fmt.Errorf("openapi: %s starts with a parameter", r.op)
		}
		k := routeKey(r.segs[0].literal, len(r.segs))
		v.byKey[k] = append(v.byKey[k], r)
	}
	v.spec = map[string][]*route{}
	for _, s := range specOperations {
		r := &route{op: s.Op, segs: compile(s.Op), path: s.Op.Path}
		k := routeKey(r.segs[0].literal, len(r.segs))
		v.spec[k] = append(v.spec[k], r)
	}
	return nil
}

// routeKey indexes routes by their first segment (always a literal in Graph) and length.
func routeKey(first string, n int) string { return strings.ToLower(first) + "/" + strconv.Itoa(n) }
