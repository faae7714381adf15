// Command gen writes graphmock's served subset of Microsoft Graph v1.0's OpenAPI descriptions.
//
// It reads Microsoft's per-module files (Users.yml, Users.Actions.yml, Groups.yml,
// Identity.DirectoryManagement.yml, Reports.yml, DirectoryObjects.yml) from -src/v1.0 and the
// provenance from -src/SOURCE.md, and writes into -out:
//
//   - graph-v1.0-subset.yaml: only the operations in openapi.Served and every component they
//     reach transitively (plus the schemas derived from microsoft.graph.directoryObject, which
//     directoryObject collections carry through @odata.type), with description (kept on
//     responses, where OpenAPI requires it), summary, externalDocs, example(s) and x-ms-docs-*
//     removed: schema facts only.
//   - spec_operations.go: every operation of those modules, for the coverage ledger.
//
// Run it with `go generate ./openapi/` from the repository root. The default -src is
// ../shared/graph-openapi relative to the repository root, or $GRAPHMOCK_GRAPH_OPENAPI.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/graphmock/graphmock/openapi"
)

func main() {
	root, err := repoRoot()
	if err != nil {
		fatal(err)
	}
	src := flag.String("src", defaultSource(root), "directory holding Microsoft's files (v1.0/*.yml) and SOURCE.md")
	out := flag.String("out", filepath.Join(root, "openapi"), "directory to write the subset and the operation list into")
	flag.Parse()

	res, err := Generate(*src, openapi.Served)
	if err != nil {
		fatal(err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(os.Stderr, "gen: warning:", w)
	}
	if err := os.WriteFile(filepath.Join(*out, SubsetFile), res.Subset, 0o644); err != nil {
		fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, OperationsFile), res.Operations, 0o644); err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "gen: %d operations, %d schemas, %d bytes subset; %d operations in the modules\n",
		res.ServedCount, res.SchemaCount, len(res.Subset), res.ModuleOperationCount)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// defaultSource is $GRAPHMOCK_GRAPH_OPENAPI, or ../shared/graph-openapi beside the repository.
func defaultSource(root string) string {
	if s := os.Getenv("GRAPHMOCK_GRAPH_OPENAPI"); s != "" {
		return s
	}
	return filepath.Join(root, "..", "shared", "graph-openapi")
}

// repoRoot walks up from the working directory to the directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
