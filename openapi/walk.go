package openapi

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

const directoryObject = "microsoft.graph.directoryObject"

// checkAnnotations checks the types of the OData control annotations Graph sends.
func checkAnnotations(obj map[string]any, ptr string, add func(ptr, msg string)) {
	for _, k := range []string{"@odata.context", "@odata.nextLink", "@odata.deltaLink", "@odata.type", "@odata.id"} {
		if x, ok := obj[k]; ok {
			if _, isString := x.(string); !isString {
				add(ptr+"/"+escapePointer(k), k+" must be a string")
			}
		}
	}
	if x, ok := obj["@odata.count"]; ok {
		if n, isNumber := x.(float64); !isNumber || n < 0 || n != float64(int64(n)) {
			add(ptr+"/@odata.count", "@odata.count must be a non-negative integer")
		}
	}
}

// propSet is the union of the properties over a schema's allOf chain.
type propSet struct {
	props map[string]*openapi3.Schema
	free  bool // any key is allowed: no declared properties, or a real additionalProperties schema
}

func (v *Validator) properties(s *openapi3.Schema) *propSet {
	if ps, ok := v.props.Load(s); ok {
		return ps.(*propSet)
	}
	ps := &propSet{props: map[string]*openapi3.Schema{}}
	seen := map[*openapi3.Schema]bool{}
	var collect func(s *openapi3.Schema)
	collect = func(s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for k, p := range s.Properties {
			if _, ok := ps.props[k]; !ok && p.Value != nil {
				ps.props[k] = p.Value
			}
		}
		if ap := s.AdditionalProperties; (ap.Has != nil && *ap.Has) || ap.Schema != nil {
			ps.free = true
		}
		for _, r := range s.AllOf {
			collect(r.Value)
		}
	}
	collect(s)
	if len(ps.props) == 0 {
		ps.free = true
	}
	actual, _ := v.props.LoadOrStore(s, ps)
	return actual.(*propSet)
}

// items returns the items schema of an array schema, looking through allOf wrappers.
func items(s *openapi3.Schema) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if s.Items != nil {
		return s.Items.Value
	}
	for _, r := range s.AllOf {
		if it := items(r.Value); it != nil {
			return it
		}
	}
	return nil
}

// derives reports whether schema s is base or has base in its allOf chain.
func derives(s, base *openapi3.Schema) bool {
	if s == base {
		return true
	}
	for _, r := range s.AllOf {
		if r.Value != nil && derives(r.Value, base) {
			return true
		}
	}
	return false
}

// named returns the component schema a (possibly Q2-wrapped) schema stands for.
func (v *Validator) named(s *openapi3.Schema) *openapi3.Schema {
	if _, ok := v.names[s]; ok {
		return s
	}
	if len(s.Properties) == 0 && len(s.AllOf) == 1 && s.AllOf[0].Value != nil {
		if _, ok := v.names[s.AllOf[0].Value]; ok {
			return s.AllOf[0].Value
		}
	}
	return s
}

// walk applies Q5 to value, declared by schema s, at JSON pointer ptr.
func (v *Validator) walk(s *openapi3.Schema, value any, ptr string, add func(ptr, msg string)) {
	if s == nil {
		return
	}
	switch val := value.(type) {
	case map[string]any:
		declared := v.named(s)
		checkAnnotations(val, ptr, add)
		_, typed := val["@odata.type"]
		if !typed && v.names[declared] == directoryObject {
			add(ptr+"/@odata.type", "@odata.type is missing: Graph names the type (#microsoft.graph.user, #microsoft.graph.group…) of every directoryObject it returns")
			return
		}
		if t, ok := val["@odata.type"].(string); ok {
			name := strings.TrimPrefix(t, "#")
			ref := v.doc.Components.Schemas[name]
			if ref == nil || ref.Value == nil {
				add(ptr+"/@odata.type", fmt.Sprintf("@odata.type %q names no schema of the served subset", t))
				return
			}
			actual := ref.Value
			if actual != declared {
				if _, isNamed := v.names[declared]; isNamed && !derives(actual, declared) {
					add(ptr+"/@odata.type", fmt.Sprintf("@odata.type %q is not a %s", t, v.names[declared]))
					return
				}
				if err := actual.VisitJSON(value, openapiResponseOptions()...); err != nil {
					flatten(err, func(p, msg string) { add(ptr+p, msg) })
				}
				declared = actual
			}
		}
		ps := v.properties(declared)
		keys := make([]string, 0, len(val))
		for k := range val {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.Contains(k, "@") { // OData annotations: @odata.context, members@odata.bind…
				continue
			}
			p, ok := ps.props[k]
			if !ok {
				if !ps.free {
					add(ptr+"/"+escapePointer(k), fmt.Sprintf("unknown property %q: %s declares no such property", k, v.describe(declared)))
				}
				continue
			}
			v.walk(p, val[k], ptr+"/"+escapePointer(k), add)
		}
	case []any:
		it := items(s)
		if it == nil {
			return
		}
		for i, e := range val {
			v.walk(it, e, ptr+"/"+strconv.Itoa(i), add)
		}
	}
}

func (v *Validator) describe(s *openapi3.Schema) string {
	if n, ok := v.names[s]; ok {
		return n
	}
	if s.Title != "" {
		return "schema " + s.Title
	}
	return "the schema"
}

func openapiResponseOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{openapi3.VisitAsResponse(), openapi3.MultiErrors()}
}
