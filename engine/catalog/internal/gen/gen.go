package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"go/format"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Column names of the licensing CSV. They are matched by name, so a file with
// the columns in another order is read the same way.
const (
	colDisplayName  = "Product_Display_Name"
	colPartNumber   = "String_Id"
	colSkuID        = "GUID"
	colPlanName     = "Service_Plan_Name"
	colPlanID       = "Service_Plan_Id"
	colFriendlyName = "Service_Plans_Included_Friendly_Names"
)

var columns = []string{colDisplayName, colPartNumber, colSkuID, colPlanName, colPlanID, colFriendlyName}

// planNameFixes repairs service plan names that are malformed in every row
// that carries the plan, so a majority vote cannot repair them. Keyed by
// servicePlanId.
//
//   - a64b30ba-…: the published cell for Power BI Premium EM1 holds two plan
//     names ("EXCHANGE_S_FOUNDATION PBI_PREMIUM_EM1_ADDON"); the plan is
//     PBI_PREMIUM_EM1_ADDON (the other one, EXCHANGE_S_FOUNDATION, is
//     113feb6c-… and keeps its own name by majority).
var planNameFixes = map[string]string{
	"a64b30ba-f310-4065-b444-2670ef146db0": "PBI_PREMIUM_EM1_ADDON",
}

// row is one cleaned CSV data row.
type row struct {
	displayName, partNumber, skuID string
	planName, planID, friendlyName string
}

// tally picks the most frequent value; ties go to the value seen first.
type tally struct {
	count map[string]int
	first map[string]int
	seen  int
}

func (t *tally) add(v string) {
	if t.count == nil {
		t.count = map[string]int{}
		t.first = map[string]int{}
	}
	if _, ok := t.count[v]; !ok {
		t.first[v] = t.seen
		t.seen++
	}
	t.count[v]++
}

func (t *tally) best() string {
	best, bestN, bestFirst := "", -1, 0
	for v, n := range t.count {
		if n > bestN || (n == bestN && t.first[v] < bestFirst) {
			best, bestN, bestFirst = v, n, t.first[v]
		}
	}
	return best
}

func (t *tally) distinct() int { return len(t.count) }

type product struct {
	skuID      string
	part, name tally
	plans      map[string]bool
	planIDs    []string
}

type plan struct {
	id             string
	name, friendly tally
}

type catalog struct {
	sha                 string
	rows, duplicateRows int
	products            []*product
	plans               []*plan
	planIndex           map[string]int
	sharedParts         []string // part numbers carried by several skuIds
	multiPartSkus       []string // skuIds published with several part numbers
	renamedPlans        int      // plans published under several names
}

// clean normalises one field: NBSP and every other run of white space become
// one space, and leading and trailing space is removed.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// guid lower-cases s and checks it is a UUID in 8-4-4-4-12 form; braces are removed.
func guid(s string) (string, error) {
	s = strings.ToLower(strings.Trim(s, "{}"))
	if len(s) != 36 {
		return "", fmt.Errorf("%q is not a GUID", s)
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return "", fmt.Errorf("%q is not a GUID", s)
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
				return "", fmt.Errorf("%q is not a GUID", s)
			}
		}
	}
	return s, nil
}

// readRows parses the CSV: a UTF-8 byte-order mark is dropped, columns are
// found by header name, quoted fields follow RFC 4180.
func readRows(data []byte) ([]row, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[clean(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	pos := make([]int, len(columns))
	for i, c := range columns {
		p, ok := idx[c]
		if !ok {
			return nil, fmt.Errorf("header has no %s column", c)
		}
		pos[i] = p
	}
	var rows []row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && clean(rec[0]) == "" {
			continue
		}
		if len(rec) < len(header) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", line, len(rec), len(header))
		}
		f := make([]string, len(columns))
		for i, p := range pos {
			f[i] = clean(rec[p])
			if f[i] == "" {
				return nil, fmt.Errorf("line %d: empty %s", line, columns[i])
			}
		}
		sku, err := guid(f[2])
		if err != nil {
			return nil, fmt.Errorf("line %d: %s: %w", line, colSkuID, err)
		}
		pid, err := guid(f[4])
		if err != nil {
			return nil, fmt.Errorf("line %d: %s: %w", line, colPlanID, err)
		}
		rows = append(rows, row{displayName: f[0], partNumber: f[1], skuID: sku,
			planName: f[3], planID: pid, friendlyName: f[5]})
	}
	if len(rows) == 0 {
		return nil, errors.New("no data rows")
	}
	return rows, nil
}

// build folds the rows into products and plans.
//
// Choices, all deterministic for a given input:
//   - A product is identified by its skuId. Its part number and display name
//     are the values most of its rows carry; ties go to the first seen.
//   - Repeated (skuId, servicePlanId) rows are dropped; each plan appears
//     once in a product.
//   - A service plan is identified by its servicePlanId. Its name and friendly
//     name are the values most rows carry across all products (ties: first
//     seen), then planNameFixes applies. Every product shows the plan under
//     that one name, as Graph does.
//   - Products sharing a part number (MCOPSTN5 has two skuIds) are all kept.
func build(data []byte) (*catalog, error) {
	rows, err := readRows(data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	c := &catalog{sha: hex.EncodeToString(sum[:]), rows: len(rows), planIndex: map[string]int{}}
	products := map[string]*product{}
	plans := map[string]*plan{}
	for _, r := range rows {
		p := products[r.skuID]
		if p == nil {
			p = &product{skuID: r.skuID, plans: map[string]bool{}}
			products[r.skuID] = p
		}
		p.part.add(r.partNumber)
		p.name.add(r.displayName)
		if p.plans[r.planID] {
			c.duplicateRows++
		} else {
			p.plans[r.planID] = true
			p.planIDs = append(p.planIDs, r.planID)
		}
		sp := plans[r.planID]
		if sp == nil {
			sp = &plan{id: r.planID}
			plans[r.planID] = sp
		}
		sp.name.add(r.planName)
		sp.friendly.add(r.friendlyName)
	}
	for _, sp := range plans {
		if sp.name.distinct() > 1 {
			c.renamedPlans++
		}
		c.plans = append(c.plans, sp)
	}
	sort.Slice(c.plans, func(i, j int) bool { return c.plans[i].id < c.plans[j].id })
	if len(c.plans) > 1<<16 {
		return nil, fmt.Errorf("%d service plans do not fit the uint16 index", len(c.plans))
	}
	for i, sp := range c.plans {
		c.planIndex[sp.id] = i
	}
	byPart := map[string][]string{}
	for _, p := range products {
		c.products = append(c.products, p)
		byPart[p.part.best()] = append(byPart[p.part.best()], p.skuID)
		if p.part.distinct() > 1 {
			c.multiPartSkus = append(c.multiPartSkus, p.skuID)
		}
	}
	sort.Slice(c.products, func(i, j int) bool {
		a, b := c.products[i], c.products[j]
		if a.part.best() != b.part.best() {
			return a.part.best() < b.part.best()
		}
		return a.skuID < b.skuID
	})
	for part, ids := range byPart {
		if len(ids) > 1 {
			c.sharedParts = append(c.sharedParts, part)
		}
	}
	sort.Strings(c.sharedParts)
	sort.Strings(c.multiPartSkus)
	return c, nil
}

func (c *catalog) planName(sp *plan) string {
	if fix, ok := planNameFixes[sp.id]; ok {
		return fix
	}
	return sp.name.best()
}

// generate returns the gofmt-formatted Go source of the embedded catalogue.
func generate(data []byte) ([]byte, error) {
	c, err := build(data)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `// Code generated by engine/catalog/internal/gen; DO NOT EDIT.
//
// Data: Microsoft "Product names and service plan identifiers for licensing"
// (https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference).
// Built from the Microsoft Download Center CSV
// (https://download.microsoft.com/download/e/3/e/e3e9faf2-f28b-490a-9ada-c6089a1fc5b0/Product%%20names%%20and%%20service%%20plan%%20identifiers%%20for%%20licensing.csv)
// merged with the table in MicrosoftDocs/entra-docs
// docs/identity/users/licensing-service-plan-reference.md at commit
// 067a0c7b0bb2091db6379c757c7aca0bc4f89d4a (ms.date 10/29/2025); see
// shared/reference/licensing-service-plans.SOURCE.md beside the repository.
// Attribution: Microsoft / MicrosoftDocs (documentation licensed CC-BY-4.0).
//
// Input:  licensing-service-plans.csv, sha256 %s
//         %d data rows, %d repeated (skuId, servicePlanId) rows dropped.
// Output: %d products, %d service plans (%d published under more than one name).
`, c.sha, c.rows, c.duplicateRows, len(c.products), len(c.plans), c.renamedPlans)
	if len(c.sharedParts) > 0 {
		fmt.Fprintf(&b, "// Part numbers with several skuIds: %s.\n", strings.Join(c.sharedParts, ", "))
	}
	if len(c.multiPartSkus) > 0 {
		fmt.Fprintf(&b, "// skuIds published with several part numbers: %s.\n", strings.Join(c.multiPartSkus, ", "))
	}
	b.WriteString("\npackage catalog\n\n")
	b.WriteString("// rawPlans holds every service plan (id, name, friendly name), sorted by id.\n")
	b.WriteString("var rawPlans = [...]rawPlan{\n")
	for _, sp := range c.plans {
		fmt.Fprintf(&b, "\t{%s, %s, %s},\n", strconv.Quote(sp.id), strconv.Quote(c.planName(sp)), strconv.Quote(sp.friendly.best()))
	}
	b.WriteString("}\n\n")
	b.WriteString("// rawProducts holds every product (skuId, part number, display name, indices\n")
	b.WriteString("// into rawPlans), sorted by part number then skuId.\n")
	b.WriteString("var rawProducts = [...]rawProduct{\n")
	for _, p := range c.products {
		idx := make([]int, 0, len(p.planIDs))
		for _, id := range p.planIDs {
			idx = append(idx, c.planIndex[id])
		}
		sort.Ints(idx)
		s := make([]string, len(idx))
		for i, v := range idx {
			s[i] = strconv.Itoa(v)
		}
		fmt.Fprintf(&b, "\t{%s, %s, %s, []uint16{%s}},\n", strconv.Quote(p.skuID), strconv.Quote(p.part.best()),
			strconv.Quote(p.name.best()), strings.Join(s, ", "))
	}
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting generated source: %w", err)
	}
	return out, nil
}
