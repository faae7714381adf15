package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/graphmock/graphmock/openapi"
)

// TestGeneratedFilesAreCurrent regenerates the subset from Microsoft's files, when they are
// beside the repository (../shared/graph-openapi, or $GRAPHMOCK_GRAPH_OPENAPI), and fails if the
// committed files differ.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	src := defaultSource(root)
	if _, err := os.Stat(filepath.Join(src, "v1.0", "Users.yml")); err != nil {
		t.Skipf("Microsoft's files are not at %s", src)
	}
	res, err := Generate(src, openapi.Served)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{SubsetFile: res.Subset, OperationsFile: res.Operations} {
		have, err := os.ReadFile(filepath.Join(root, "openapi", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, got) {
			t.Errorf("openapi/%s is stale: run go generate ./openapi/", name)
		}
	}
	if len(res.Warnings) > 0 {
		t.Logf("warnings: %v", res.Warnings)
	}
}

func TestGenerateRejectsUnknownOperation(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	src := defaultSource(root)
	if _, err := os.Stat(filepath.Join(src, "v1.0", "Users.yml")); err != nil {
		t.Skipf("Microsoft's files are not at %s", src)
	}
	_, err = Generate(src, []openapi.Operation{{Method: "GET", Path: "/users/{user-id}/shoeSize"}})
	if err == nil || !strings.Contains(err.Error(), "not in Microsoft's files") {
		t.Fatalf("Generate = %v, want an error naming the operation", err)
	}
}

func TestStripKeepsPropertyNames(t *testing.T) {
	t.Parallel()
	in := map[string]any{
		"description":             "A group.",
		"x-ms-docs-key-type":      "group",
		"x-ms-navigationProperty": true,
		"properties": map[string]any{
			"description": map[string]any{"type": "string", "description": "Text."},
			"summary":     map[string]any{"type": "string", "example": "x"},
		},
		"externalDocs": map[string]any{"url": "https://example.com"},
	}
	got := strip(in, false).(map[string]any)
	for _, k := range []string{"description", "x-ms-docs-key-type", "externalDocs"} {
		if _, ok := got[k]; ok {
			t.Errorf("strip kept %q", k)
		}
	}
	if _, ok := got["x-ms-navigationProperty"]; !ok {
		t.Error("strip dropped x-ms-navigationProperty")
	}
	props := got["properties"].(map[string]any)
	for _, k := range []string{"description", "summary"} {
		p, ok := props[k].(map[string]any)
		if !ok {
			t.Fatalf("strip dropped the property %q", k)
		}
		if len(p) != 1 || p["type"] != "string" {
			t.Errorf("property %q = %v, want only its type", k, p)
		}
	}
}

func TestWriteYAML(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	writeYAML(&buf, map[string]any{
		"paths":   map[string]any{"/users/$count": map[string]any{}},
		"openapi": "3.0.1",
		"list":    []any{map[string]any{"b": true, "a": nil}, "x", []any{}},
		"yes":     "on",
	}, []string{"openapi"})
	want := `openapi: "3.0.1"
list:
  - a: null
    b: true
  - "x"
  - []
paths:
  "/users/$count": {}
"yes": "on"
`
	if buf.String() != want {
		t.Fatalf("writeYAML:\n%s\nwant:\n%s", buf.String(), want)
	}
}
