// Command gen regenerates engine/catalog/catalog_gen.go, graphmock's embedded
// copy of Microsoft's product / service-plan catalogue, from the licensing CSV
// described in shared/reference/licensing-service-plans.SOURCE.md.
//
// Usage (from anywhere inside the module; `go generate ./engine/catalog` runs it):
//
//	go run ./engine/catalog/internal/gen [-csv path] [-out path]
//
// Relative paths are taken from the module root (the directory holding
// go.mod). The defaults assume the repository is cloned beside a shared/
// folder: -csv ../shared/reference/licensing-service-plans.csv and
// -out engine/catalog/catalog_gen.go. When the default CSV is absent, the
// same shared/reference path is looked up in each further ancestor of the
// module root, so a checkout nested deeper than its shared/ folder works too.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// Default paths, relative to the module root.
const (
	DefaultCSV = "../shared/reference/licensing-service-plans.csv"
	DefaultOut = "engine/catalog/catalog_gen.go"
)

func main() {
	csvPath := flag.String("csv", DefaultCSV, "licensing CSV (relative paths are from the module root)")
	outPath := flag.String("out", DefaultOut, "generated Go file (relative paths are from the module root)")
	flag.Parse()
	if err := run(*csvPath, *outPath); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(csvPath, outPath string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if csvPath == DefaultCSV {
		if found := findSharedCSV(root); found != "" {
			csvPath = found
		}
	}
	if !filepath.IsAbs(csvPath) {
		csvPath = filepath.Join(root, csvPath)
	}
	if !filepath.IsAbs(outPath) {
		outPath = filepath.Join(root, outPath)
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		return err
	}
	src, err := generate(data)
	if err != nil {
		return fmt.Errorf("%s: %w", csvPath, err)
	}
	return os.WriteFile(outPath, src, 0o644)
}

// moduleRoot walks up from the working directory to the directory holding go.mod.
func moduleRoot() (string, error) {
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
			return "", errors.New("no go.mod found above the working directory")
		}
		dir = parent
	}
}

// findSharedCSV returns shared/reference/licensing-service-plans.csv in the
// parent of root or in the nearest further ancestor that has one, or "".
func findSharedCSV(root string) string {
	for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", "reference", "licensing-service-plans.csv")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}
