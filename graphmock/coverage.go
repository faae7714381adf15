package graphmock

import (
	"fmt"
	"sort"
	"strings"

	"github.com/graphmock/graphmock/openapi"
)

// ServedOperations lists the Graph operations the route table serves, with the path templates of
// Microsoft's OpenAPI description.
func ServedOperations() []openapi.Operation {
	out := make([]openapi.Operation, 0, len(graphRoutes))
	for _, rt := range graphRoutes {
		out = append(out, openapi.Operation{Method: rt.method, Path: rt.path})
	}
	return out
}

// CoverageMarkdown renders the coverage ledger (COVERAGE.md): every Graph operation graphmock
// serves, and every operation of the same OpenAPI modules that it answers 501 for.
func CoverageMarkdown() string {
	served := ServedOperations()
	covered, unserved := openapi.Coverage(served)
	var b strings.Builder
	b.WriteString("# Coverage of Microsoft Graph v1.0\n\n")
	b.WriteString("Generated from graphmock's route table and Microsoft's OpenAPI description of the modules it\n")
	b.WriteString("draws from (`go test ./graphmock -run TestCoverageLedger -update-coverage` rewrites it; CI fails\n")
	b.WriteString("when it is stale). Every operation listed as not served answers `501 NotImplemented` naming it.\n\n")
	fmt.Fprintf(&b, "Served: %d operations. Not served: %d operations.\n\n", len(covered), len(unserved))
	b.WriteString("## Served\n\n| module | method | path |\n|---|---|---|\n")
	for _, op := range covered {
		fmt.Fprintf(&b, "| %s | %s | `%s` |\n", openapi.Module(op), op.Method, op.Path)
	}
	if extra := openapi.NotInSpec(served); len(extra) > 0 {
		b.WriteString("\n## Served, not in the OpenAPI modules\n\n| method | path |\n|---|---|\n")
		for _, op := range extra {
			fmt.Fprintf(&b, "| %s | `%s` |\n", op.Method, op.Path)
		}
	}
	byModule := map[string]int{}
	for _, op := range unserved {
		byModule[openapi.Module(op)]++
	}
	modules := make([]string, 0, len(byModule))
	for m := range byModule {
		modules = append(modules, m)
	}
	sort.Strings(modules)
	b.WriteString("\n## Not served (501)\n\n| module | operations |\n|---|---|\n")
	for _, m := range modules {
		fmt.Fprintf(&b, "| %s | %d |\n", m, byModule[m])
	}
	b.WriteString("\n<details><summary>All operations not served</summary>\n\n| module | method | path |\n|---|---|---|\n")
	for _, op := range unserved {
		fmt.Fprintf(&b, "| %s | %s | `%s` |\n", openapi.Module(op), op.Method, op.Path)
	}
	b.WriteString("\n</details>\n")
	b.WriteString("\n## Outside these module files (501)\n\n")
	b.WriteString("Operations the module files above don't describe that graphmock recognises, each answered `501 NotImplemented`\n")
	b.WriteString("naming it. Any other path under a Graph root that none of the modules describe answers 501 naming\n")
	b.WriteString("that root; `GET /$metadata` answers 501 pointing at `/_graphmock/openapi.yaml`; `/me` is served as\n")
	b.WriteString("`/users/{id}` of the signed-in user of a delegated token (400 without one, as in Graph).\n\n")
	b.WriteString("| module | method | path |\n|---|---|---|\n")
	for _, o := range outsideOperations {
		fmt.Fprintf(&b, "| %s | %s | `%s` |\n", o.Module, o.Op.Method, o.Op.Path)
	}
	roots := make([]string, 0, len(untrackedRoots))
	for _, r := range untrackedRootNames() {
		roots = append(roots, "`/"+r+"`")
	}
	fmt.Fprintf(&b, "\nRoots answered 501 as a whole: %s.\n", strings.Join(roots, ", "))
	return b.String()
}
