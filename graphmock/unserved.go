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

// segmentMatches compares a template segment of an operation with method with a request segment:
// parameters match anything, literals compare case-insensitively, a namespaced segment also
// matches in Graph's alias form ("graph.user"), and a bound action (POST) or function ("…()")
// also without its namespace. A type cast ("microsoft.graph.user" in a GET path) has no short
// form: "…/members/user" names a member, not the cast.
func segmentMatches(method, tpl, seg string) bool {
	if strings.HasPrefix(tpl, "{") {
		return seg != ""
	}
	function := strings.Contains(tpl, "(")
	tpl = strings.TrimSuffix(tpl, "()")
	if strings.EqualFold(tpl, seg) {
		return true
	}
	short, ok := strings.CutPrefix(tpl, "microsoft.graph.")
	if !ok {
		return false
	}
	if strings.EqualFold("graph."+short, seg) || ((method == http.MethodPost || function) && strings.EqualFold(short, seg)) {
		return true
	}
	return function && strings.HasPrefix(strings.ToLower(seg), strings.ToLower(tpl[:strings.Index(tpl, "(")]))
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
			if !segmentMatches(t.op.Method, t.segs[i], segs[i]) {
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
