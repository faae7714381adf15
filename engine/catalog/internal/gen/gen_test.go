package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// findCSV locates the licensing CSV: $GRAPHMOCK_LICENSING_CSV, else the
// shared/reference copy beside the repository (see findSharedCSV).
func findCSV(t *testing.T, root string) string {
	t.Helper()
	if p := os.Getenv("GRAPHMOCK_LICENSING_CSV"); p != "" {
		return p
	}
	return findSharedCSV(root)
}

func TestGeneratedFileIsUpToDate(t *testing.T) {
	t.Parallel()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	csvPath := findCSV(t, root)
	if csvPath == "" {
		t.Skip("shared/reference/licensing-service-plans.csv not found beside the repository")
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := generate(data)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(root, DefaultOut))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale for %s: run go generate ./engine/catalog", DefaultOut, csvPath)
	}
}

const quirkyCSV = "\ufeffProduct_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\r\n" +
	// A quoted display name with a comma, an NBSP and trailing space.
	"\"Suite, Large\",SUITE\u00a0,{AAAAAAAA-0000-0000-0000-000000000001},PLAN_A,11111111-0000-0000-0000-000000000001,Plan A\r\n" +
	"\"Suite, Large\",SUITE,aaaaaaaa-0000-0000-0000-000000000001,PLAN_B,11111111-0000-0000-0000-000000000002,\"Plan \"\"B\"\"\"\r\n" +
	// An exact duplicate row and a duplicate that differs only in names.
	"\"Suite, Large\",SUITE,aaaaaaaa-0000-0000-0000-000000000001,PLAN_B,11111111-0000-0000-0000-000000000002,\"Plan \"\"B\"\"\"\r\n" +
	"Suite Large,SUITE,aaaaaaaa-0000-0000-0000-000000000001,PLAN_B),11111111-0000-0000-0000-000000000002,PLAN B\r\n" +
	// Two products sharing a part number; the higher skuId comes first.
	"Calling B,CALL,cccccccc-0000-0000-0000-000000000002,PLAN_A,11111111-0000-0000-0000-000000000001,plan a\r\n" +
	"Calling A,CALL,bbbbbbbb-0000-0000-0000-000000000001,PLAN_C,11111111-0000-0000-0000-000000000003,Plan\tC\r\n" +
	"\r\n" +
	// A skuId published under two part numbers, listed in two blocks.
	"Odd,ODD_ONE,dddddddd-0000-0000-0000-000000000001,PLAN_C,11111111-0000-0000-0000-000000000003,Plan C\r\n" +
	"Odd,ODD_TWO,dddddddd-0000-0000-0000-000000000001,PLAN_A,11111111-0000-0000-0000-000000000001,Plan A\r\n" +
	"Odd,ODD_TWO,dddddddd-0000-0000-0000-000000000001,PLAN_B,11111111-0000-0000-0000-000000000002,Plan B\r\n"

func TestBuildQuirks(t *testing.T) {
	t.Parallel()
	c, err := build([]byte(quirkyCSV))
	if err != nil {
		t.Fatal(err)
	}
	if c.rows != 9 || c.duplicateRows != 2 {
		t.Errorf("rows %d, duplicates %d; want 9, 2", c.rows, c.duplicateRows)
	}
	type prod struct{ sku, part, name, plans string }
	var got []prod
	for _, p := range c.products {
		got = append(got, prod{p.skuID, p.part.best(), p.name.best(), strings.Join(p.planIDs, " ")})
	}
	want := []prod{
		{"bbbbbbbb-0000-0000-0000-000000000001", "CALL", "Calling A", "11111111-0000-0000-0000-000000000003"},
		{"cccccccc-0000-0000-0000-000000000002", "CALL", "Calling B", "11111111-0000-0000-0000-000000000001"},
		{"dddddddd-0000-0000-0000-000000000001", "ODD_TWO", "Odd",
			"11111111-0000-0000-0000-000000000003 11111111-0000-0000-0000-000000000001 11111111-0000-0000-0000-000000000002"},
		{"aaaaaaaa-0000-0000-0000-000000000001", "SUITE", "Suite, Large",
			"11111111-0000-0000-0000-000000000001 11111111-0000-0000-0000-000000000002"},
	}
	if len(got) != len(want) {
		t.Fatalf("products = %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("product %d = %+v\nwant %+v", i, got[i], want[i])
		}
	}
	type pl struct{ id, name, friendly string }
	wantPlans := []pl{
		{"11111111-0000-0000-0000-000000000001", "PLAN_A", "Plan A"},
		{"11111111-0000-0000-0000-000000000002", "PLAN_B", `Plan "B"`},
		{"11111111-0000-0000-0000-000000000003", "PLAN_C", "Plan C"},
	}
	for i, w := range wantPlans {
		sp := c.plans[i]
		if g := (pl{sp.id, c.planName(sp), sp.friendly.best()}); g != w {
			t.Errorf("plan %d = %+v, want %+v", i, g, w)
		}
	}
	if strings.Join(c.sharedParts, ",") != "CALL" || strings.Join(c.multiPartSkus, ",") != "dddddddd-0000-0000-0000-000000000001" {
		t.Errorf("sharedParts %v, multiPartSkus %v", c.sharedParts, c.multiPartSkus)
	}
	src, err := generate([]byte(quirkyCSV))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"DO NOT EDIT", "sha256 ", "Part numbers with several skuIds: CALL.", `"Suite, Large"`, `"Plan \"B\""`} {
		if !bytes.Contains(src, []byte(s)) {
			t.Errorf("generated source lacks %q", s)
		}
	}
	again, _ := generate([]byte(quirkyCSV))
	if !bytes.Equal(src, again) {
		t.Error("generate is not deterministic")
	}
}

func TestReadRowsErrors(t *testing.T) {
	t.Parallel()
	const header = "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\n"
	tests := []struct{ name, csv, want string }{
		{"empty", "", "reading header"},
		{"missing column", "Product_Display_Name,String_Id,GUID\n", "no Service_Plan_Name column"},
		{"no rows", header, "no data rows"},
		{"bad sku GUID", header + "P,P,not-a-guid,A,11111111-0000-0000-0000-000000000001,A\n", "line 2: GUID"},
		{"bad plan GUID", header + "P,P,11111111-0000-0000-0000-000000000001,A,1111-0000,A\n", "line 2: Service_Plan_Id"},
		{"empty field", header + "P,,11111111-0000-0000-0000-000000000001,A,11111111-0000-0000-0000-000000000001,A\n", "line 2: empty String_Id"},
		{"short row", header + "P,P,11111111-0000-0000-0000-000000000001\n", "line 2: 3 fields"},
		{"bad quoting", header + "\"P,P,11111111-0000-0000-0000-000000000001,A,11111111-0000-0000-0000-000000000001,A\n", "extraneous or missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := readRows([]byte(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("readRows error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"  AAD_PREMIUM_USGOV_GCCHIGH ", "AAD_PREMIUM_USGOV_GCCHIGH"},
		{"Virtualization \tRights \tfor", "Virtualization Rights for"},
		{"a\u00a0b", "a b"},
		{"DYN365_ ENTERPRISE _RELATIONSHIP_SALES", "DYN365_ ENTERPRISE _RELATIONSHIP_SALES"},
		{"Field Service – Add-On", "Field Service – Add-On"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzGenerate(f *testing.F) {
	f.Add([]byte(quirkyCSV))
	f.Add([]byte("Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\n"))
	f.Add([]byte("\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := generate(data)
		if err == nil && !bytes.Contains(src, []byte("package catalog")) {
			t.Fatalf("generated source without a package clause")
		}
	})
}
