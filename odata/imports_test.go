package odata

import (
	goparser "go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package on the standard library and gjson, without
// net/http (DESIGN.md §1).
func TestImports(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := goparser.ParseFile(fset, f, nil, goparser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first := strings.SplitN(path, "/", 2)[0]
			switch {
			case path == "github.com/tidwall/gjson":
			case strings.HasPrefix(path, "net/http"):
				t.Errorf("%s imports %s", f, path)
			case strings.Contains(first, "."):
				t.Errorf("%s imports %s: only the standard library and gjson are allowed", f, path)
			}
		}
	}
}
