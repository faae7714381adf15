package openapi

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package free of graphmock's other packages (DESIGN §1): it may use
// kin-openapi and the standard library only.
func TestImports(t *testing.T) {
	t.Parallel()
	var files []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case !strings.Contains(strings.Split(p, "/")[0], "."): // standard library
			case strings.HasPrefix(p, "github.com/getkin/kin-openapi/"):
			case p == "github.com/graphmock/graphmock/openapi" || strings.HasPrefix(p, "github.com/graphmock/graphmock/openapi/"):
			default:
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
