package openapi

import (
	"strings"
	"sync"
)

// specOperation is one operation of Microsoft's files and the module file it comes from.
type specOperation struct {
	Module string
	Op     Operation
}

// SpecOperations returns every operation in Microsoft's OpenAPI files for the modules graphmock
// draws from (Users, Users.Actions, Groups, Identity.DirectoryManagement, Reports,
// DirectoryObjects), recorded when the subset was generated, ordered by module, path and method.
func SpecOperations() []Operation {
	out := make([]Operation, len(specOperations))
	for i, s := range specOperations {
		out[i] = s.Op
	}
	return out
}

// Module returns the name of the Microsoft file ("Users", "Groups"…) that holds the spec
// operation op selects (see Coverage for how operations are compared), or "" if none does.
func Module(op Operation) string {
	moduleOnce.Do(func() {
		moduleByKey = make(map[string]string, len(specOperations))
		for _, s := range specOperations {
			if _, ok := moduleByKey[opKey(s.Op)]; !ok {
				moduleByKey[opKey(s.Op)] = s.Module
			}
		}
	})
	return moduleByKey[opKey(op)]
}

var (
	moduleOnce  sync.Once
	moduleByKey map[string]string
)

// Coverage compares the operations a server serves with every operation of Microsoft's files
// for graphmock's modules. covered are the spec operations that served contains, unserved the
// ones it does not; both use the spec's templates and its order (module, path, method).
//
// Two operations are the same when their methods are equal and their paths are equal segment by
// segment, where parameter names do not matter ({id} equals {user-id}), literals compare
// case-insensitively, and an action or function matches with or without its "microsoft.graph."
// namespace and "()" (assignLicense equals microsoft.graph.assignLicense). Served operations
// that match no spec operation are reported by NotInSpec.
func Coverage(served []Operation) (covered, unserved []Operation) {
	have := make(map[string]bool, len(served))
	for _, op := range served {
		have[opKey(op)] = true
	}
	for _, s := range specOperations {
		if have[opKey(s.Op)] {
			covered = append(covered, s.Op)
		} else {
			unserved = append(unserved, s.Op)
		}
	}
	return covered, unserved
}

// NotInSpec returns the operations of served that match no operation of Microsoft's files (see
// Coverage), in the order given.
func NotInSpec(served []Operation) []Operation {
	spec := make(map[string]bool, len(specOperations))
	for _, s := range specOperations {
		spec[opKey(s.Op)] = true
	}
	var out []Operation
	for _, op := range served {
		if !spec[opKey(op)] {
			out = append(out, op)
		}
	}
	return out
}

func opKey(op Operation) string {
	segs := strings.Split(strings.Trim(op.Path, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = "{}"
			continue
		}
		s = strings.ToLower(s)
		if name, ok := strings.CutPrefix(s, "microsoft.graph."); ok && (strings.ToUpper(op.Method) == "POST" || strings.Contains(name, "(")) {
			s = name
		}
		s = strings.TrimSuffix(s, "()")
		segs[i] = s
	}
	return strings.ToUpper(op.Method) + " /" + strings.Join(segs, "/")
}
