package graphmock

import (
	"flag"
	"os"
	"testing"

	"github.com/graphmock/graphmock/openapi"
)

var updateCoverage = flag.Bool("update-coverage", false, "rewrite COVERAGE.md from the route table")

// TestCoverageLedger keeps COVERAGE.md in step with the route table.
func TestCoverageLedger(t *testing.T) {
	want := CoverageMarkdown()
	if *updateCoverage {
		if err := os.WriteFile("../COVERAGE.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("../COVERAGE.md")
	if err != nil || string(got) != want {
		t.Fatal("COVERAGE.md is stale: run go test ./graphmock -run TestCoverageLedger -update-coverage")
	}
}

// TestRoutesAreSpecOperations checks every route against Microsoft's OpenAPI description and the
// served subset the validator knows.
func TestRoutesAreSpecOperations(t *testing.T) {
	t.Parallel()
	if extra := openapi.NotInSpec(ServedOperations()); len(extra) > 0 {
		t.Fatalf("routes that are not Graph operations: %v", extra)
	}
	served := map[openapi.Operation]bool{}
	for _, op := range openapi.Served {
		served[op] = true
	}
	for _, op := range ServedOperations() {
		if !served[op] {
			t.Errorf("route %s is missing from openapi.Served, so responses can't be validated", op)
		}
	}
}
