package odata

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func numbered(n int) []Map {
	out := make([]Map, n)
	for i := range out {
		var dept any = "Sales"
		if i%3 == 0 {
			dept = nil
		}
		out[i] = Map{"id": strconv.Itoa(i), "displayName": fmt.Sprintf("user %03d", (i*7)%n), "department": dept,
			"createdDateTime": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)}
	}
	return out
}

// TestPagingToTheEnd follows $skiptoken through every page the way a client
// follows @odata.nextLink.
func TestPagingToTheEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		items      int
		cl         string
		kv         []string
		defaultTop int
		wantPages  int
		wantTotal  int
	}{
		{"default page", 250, "", nil, 100, 3, 250},
		{"exact multiple", 200, "", []string{"$top", "50"}, 100, 4, 200},
		{"filtered", 300, "", []string{"$filter", "department eq 'sales'", "$top", "30"}, 100, 7, 200},
		{"ordered advanced", 95, "eventual", []string{"$orderby", "displayName desc", "$count", "true", "$top", "10", "$filter", "startswith(displayName,'user')"}, 100, 10, 95},
		{"empty", 0, "", nil, 100, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			items := numbered(tt.items)
			values := url.Values{}
			for i := 0; i+1 < len(tt.kv); i += 2 {
				values.Set(tt.kv[i], tt.kv[i+1])
			}
			seen := map[string]bool{}
			pages, total := 0, -1
			var last Record
			for {
				q, err := Parse(Request{Values: values, ConsistencyLevel: tt.cl}, Users)
				if err != nil {
					t.Fatalf("page %d: Parse: %v", pages, err)
				}
				page, count, next, err := Page(q, items, tt.defaultTop)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				if total == -1 {
					total = count
				} else if count != total {
					t.Errorf("count changed between pages: %d then %d", total, count)
				}
				for _, it := range page {
					id := it["id"].(string)
					if seen[id] {
						t.Fatalf("item %s returned twice", id)
					}
					seen[id] = true
					if last != nil && q.Less(it, last) {
						t.Errorf("item %v sorts before the previous item %v", it, last)
					}
					last = it
				}
				if next == "" {
					break
				}
				if pages > 1000 {
					t.Fatal("paging does not end")
				}
				values, err = url.ParseQuery(NextLinkQuery(values, next))
				if err != nil {
					t.Fatal(err)
				}
			}
			if pages != tt.wantPages || total != tt.wantTotal || len(seen) != tt.wantTotal {
				t.Errorf("pages=%d total=%d seen=%d, want pages=%d total=%d", pages, total, len(seen), tt.wantPages, tt.wantTotal)
			}
		})
	}
}

func TestSkipTokenIsBoundToQuery(t *testing.T) {
	t.Parallel()
	items := numbered(30)
	q, err := Parse(req("", "$filter", "department eq 'Sales'", "$top", "5"), Users)
	if err != nil {
		t.Fatal(err)
	}
	_, _, next, _ := Page(q, items, 100)
	if next == "" {
		t.Fatal("no next page")
	}
	// Same filter, other $top: the token still works.
	if _, err := Parse(req("", "$filter", "department eq 'Sales'", "$top", "7", "$skiptoken", next), Users); err != nil {
		t.Errorf("token with another $top: %v", err)
	}
	// Another filter: the token is refused.
	_, err = Parse(req("", "$filter", "department eq 'Retail'", "$skiptoken", next), Users)
	assertError(t, err, 400, CodeExpiredPageToken, msgSkipToken, -1)
	// Past the end: an empty last page.
	far := encodeSkipToken(1000, q.fingerprint())
	q2, err := Parse(req("", "$filter", "department eq 'Sales'", "$skiptoken", far), Users)
	if err != nil {
		t.Fatal(err)
	}
	page, count, next2, _ := Page(q2, items, 100)
	if len(page) != 0 || count != 20 || next2 != "" {
		t.Errorf("page=%d count=%d next=%q", len(page), count, next2)
	}
}

func TestLess(t *testing.T) {
	t.Parallel()
	q, err := Parse(req("eventual", "$count", "true", "$orderby", "displayName, userPrincipalName desc"), Users)
	if err != nil {
		t.Fatal(err)
	}
	a := Map{"displayName": nil, "userPrincipalName": "z"}
	b := Map{"displayName": "retail", "userPrincipalName": "a"}
	c := Map{"displayName": "Retail", "userPrincipalName": "b"}
	if !q.Less(a, b) || q.Less(b, a) {
		t.Error("nil must sort first")
	}
	if !q.Less(c, b) || q.Less(b, c) {
		t.Error("second key descending")
	}
	if q.Less(b, b) {
		t.Error("Less(b, b) must be false")
	}
	dq, _ := Parse(req("eventual", "$count", "true", "$orderby", "createdDateTime desc"), Users)
	early := Map{"createdDateTime": "2024-01-01T00:00:00Z"}
	late := Map{"createdDateTime": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	if !dq.Less(late, early) {
		t.Error("dates compare across string and time.Time")
	}
}

func TestEqualityOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		filter, name, want string
		ok                 bool
	}{
		{"id eq 'abc'", "id", "abc", true},
		{"userPrincipalName eq 'Adele@contoso.com'", "userprincipalname", "Adele@contoso.com", true},
		{"'x@y' eq mail", "mail", "x@y", true},
		{"id eq 'abc'", "mail", "", false},
		{"id ne 'abc'", "id", "", false},
		{"id eq 'a' and mail eq 'b'", "id", "", false},
		{"startswith(userPrincipalName,'a')", "userPrincipalName", "", false},
		{"manager/id eq 'a'", "id", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(req("eventual", "$count", "true", "$filter", tt.filter), Users)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := q.EqualityOn(tt.name)
			if got != tt.want || ok != tt.ok {
				t.Errorf("EqualityOn(%q) = %q, %t; want %q, %t", tt.name, got, ok, tt.want, tt.ok)
			}
		})
	}
	var nilQ *Query
	if _, ok := nilQ.EqualityOn("id"); ok {
		t.Error("nil query has no equality")
	}
}

func TestNextLinkQuery(t *testing.T) {
	t.Parallel()
	orig := url.Values{"$filter": {"startswith(displayName,'a b')"}, "$top": {"2"}, "$SkipToken": {"old"}, "$select": {"id,displayName"}}
	got := NextLinkQuery(orig, "tok")
	want := "$filter=startswith%28displayName%2C%27a+b%27%29&$select=id%2CdisplayName&$top=2&$skiptoken=tok"
	if got != want {
		t.Errorf("NextLinkQuery = %q, want %q", got, want)
	}
	back, err := url.ParseQuery(got)
	if err != nil || back.Get("$filter") != "startswith(displayName,'a b')" || back.Get("$skiptoken") != "tok" {
		t.Errorf("round trip = %v, %v", back, err)
	}
}

func TestPageNilQuery(t *testing.T) {
	t.Parallel()
	page, count, next, err := Page[Map](nil, numbered(5), 2)
	if err != nil || len(page) != 2 || count != 5 || next == "" {
		t.Errorf("page=%d count=%d next=%q err=%v", len(page), count, next, err)
	}
}

func TestPageOrder(t *testing.T) {
	t.Parallel()
	items := []Map{
		{"id": "1", "displayName": "b", "userPrincipalName": "x"},
		{"id": "2", "displayName": nil, "userPrincipalName": "y"},
		{"id": "3", "displayName": "B", "userPrincipalName": "z"},
		{"id": "4", "displayName": "a", "userPrincipalName": "w"},
		{"id": "5", "userPrincipalName": "v"},
	}
	tests := []struct{ orderby, want string }{
		{"displayName", "25413"},
		{"displayName desc", "13425"},
		{"displayName, userPrincipalName desc", "25431"},
		{"displayName desc, userPrincipalName", "13452"},
	}
	for _, tt := range tests {
		t.Run(tt.orderby, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(req("", "$orderby", tt.orderby), Users)
			if err != nil {
				t.Fatal(err)
			}
			page, _, _, _ := Page(q, items, 100)
			got := ""
			for _, it := range page {
				got += it["id"].(string)
			}
			if got != tt.want {
				t.Errorf("order = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestHandBuiltQuery(t *testing.T) {
	t.Parallel()
	q := &Query{OrderBy: []OrderBy{{Property: "displayName", Desc: true}}, Top: 2}
	page, count, next, err := Page(q, []Map{{"displayName": "a"}, {"displayName": "c"}, {"displayName": "b"}}, 100)
	if err != nil || count != 3 || next == "" || page[0]["displayName"] != "c" || page[1]["displayName"] != "b" {
		t.Errorf("page=%v count=%d next=%q err=%v", page, count, next, err)
	}
	if _, err := Parse(req(""), nil); err == nil {
		t.Error("Parse with a nil resource must fail")
	}
}
