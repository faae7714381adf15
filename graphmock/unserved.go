package graphmock

import (
	"net/http"
	"strings"

	"github.com/graphmock/graphmock/openapi"
)

// specTemplate is one operation of Microsoft's OpenAPI files for graphmock's modules, split into
// segments for matching request paths.
type specTemplate struct {
	op   openapi.Operation
	segs []string
}

// specTemplates holds every operation of the modules graphmock draws from, so a request for an
// operation Graph has and graphmock doesn't serve can be answered 501 naming it.
var specTemplates = func() []specTemplate {
	ops := openapi.SpecOperations()
	out := make([]specTemplate, len(ops))
	for i, op := range ops {
		out[i] = specTemplate{op: op, segs: strings.Split(strings.Trim(op.Path, "/"), "/")}
	}
	return out
}()

// segmentMatches compares a template segment with a request segment: parameters match anything,
// literals compare case-insensitively, and a bound action or function matches with or without its
// "microsoft.graph." namespace.
func segmentMatches(tpl, seg string) bool {
	if strings.HasPrefix(tpl, "{") {
		return seg != ""
	}
	tpl = strings.TrimSuffix(tpl, "()")
	if strings.EqualFold(tpl, seg) {
		return true
	}
	if short, ok := strings.CutPrefix(tpl, "microsoft.graph."); ok && strings.EqualFold(short, seg) {
		return true
	}
	return strings.HasPrefix(tpl, "microsoft.graph.") && strings.Contains(tpl, "(") && strings.HasPrefix(strings.ToLower(seg), strings.ToLower(tpl[:strings.Index(tpl, "(")]))
}

// specLookup finds the spec operation a request path (without the version prefix) names: the one
// with the request's method if any, else whether the path exists with other methods.
func specLookup(method, path string) (op openapi.Operation, methodFound, pathFound bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, t := range specTemplates {
		if len(t.segs) != len(segs) {
			continue
		}
		match := true
		for i := range segs {
			if !segmentMatches(t.segs[i], segs[i]) {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		pathFound = true
		if t.op.Method == method {
			return t.op, true, true
		}
	}
	return openapi.Operation{}, false, pathFound
}

// unservedError explains a request no route serves: 501 naming a Graph operation graphmock
// doesn't implement, 405 for a method the path doesn't have, or nil when Graph has no such path.
func unservedError(r *http.Request) error {
	orig, _ := r.Context().Value(ctxOriginalPath).(string)
	if orig == "" {
		orig = r.URL.Path
	}
	rest := strings.TrimPrefix(orig, "/")
	version, rest, _ := strings.Cut(rest, "/")
	if !strings.EqualFold(version, "v1.0") && !strings.EqualFold(version, "beta") {
		return nil
	}
	op, methodFound, pathFound := specLookup(r.Method, "/"+rest)
	switch {
	case methodFound:
		return errNotImplemented(op.Method, op.Path)
	case pathFound:
		return errMethodNotAllowed
	}
	return nil
}
