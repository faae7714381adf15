package odata

import (
	"net/url"
	"testing"
	"time"
)

// testUser is a hand-written Record, like the store's own types.
type testUser struct {
	id, displayName, mail, department string
	enabled                           bool
	created                           time.Time
	proxy                             []string
	licenses                          []Record
	ext                               Record
	manager                           Record
}

func (u testUser) Property(name string) (any, bool) {
	switch name {
	case "id":
		return u.id, true
	case "displayName":
		return u.displayName, true
	case "mail":
		if u.mail == "" {
			return nil, true
		}
		return u.mail, true
	case "department":
		if u.department == "" {
			return nil, false
		}
		return u.department, true
	case "accountEnabled":
		return u.enabled, true
	case "createdDateTime":
		return u.created, true
	case "proxyAddresses":
		return u.proxy, true
	case "assignedLicenses":
		return u.licenses, true
	case "onPremisesExtensionAttributes":
		return u.ext, true
	case "manager":
		if u.manager == nil {
			return nil, false
		}
		return u.manager, true
	}
	return nil, false
}

const p1 = "078d2b04-f1bd-4111-bbd4-b4b1b354cef4"

var evalUsers = []testUser{
	{id: "1", displayName: "Adele Vance", mail: "adele@contoso.com", department: "Retail", enabled: true,
		created: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC), proxy: []string{"SMTP:adele@contoso.com", "smtp:av@contoso.com"},
		licenses: []Record{Map{"skuId": e3, "disabledPlans": []string{}}},
		ext:      Map{"extensionAttribute1": "A1"}, manager: Map{"id": "3"}},
	{id: "2", displayName: "Alex Wilber", mail: "alex@fabrikam.com", department: "Sales", enabled: false,
		created: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC), proxy: []string{"X500:/o=alex"},
		licenses: []Record{Map{"skuId": "6FD2C87F-B296-42F0-B197-1E91E994B900"}, Map{"skuId": p1}}, ext: Map{}},
	{id: "3", displayName: "O'Neil", enabled: true, created: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)},
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		filter string
		want   string // ids of matching users
	}{
		{"displayName eq 'adele vance'", "1"},
		{"displayName eq 'O''Neil'", "3"},
		{"startswith(displayName,'AL')", "2"},
		{"startswith(displayName,'a')", "12"},
		{"endswith(mail,'@CONTOSO.com')", "1"},
		{"mail eq null", "3"},
		{"mail ne null", "12"},
		{"department eq null", "3"},
		{"department ne 'Retail'", "23"},
		{"department in ('retail', 'sales')", "12"},
		{"department in (null, 'Sales')", "23"},
		{"accountEnabled eq true", "13"},
		{"accountEnabled ne true", "2"},
		{"not(accountEnabled eq true)", "2"},
		{"createdDateTime ge 2024-01-01T00:00:00Z", "12"},
		{"createdDateTime le 2024-01-10T00:00:00Z", "13"},
		{"createdDateTime eq 2024-03-01T14:00:00+02:00", "2"},
		{"createdDateTime ge 2024-01-01 and createdDateTime le 2024-02-01", "1"},
		{"proxyAddresses/any(p:startswith(p,'smtp:'))", "1"},
		{"proxyAddresses/any(p:p eq 'smtp:AV@contoso.com')", "1"},
		{"proxyAddresses/any(p:endswith(p,'alex'))", "2"},
		{"proxyAddresses/any()", "12"},
		{"proxyAddresses/$count eq 0", "3"},
		{"proxyAddresses/$count ge 2", "1"},
		{"assignedLicenses/any(x:x/skuId eq " + e3 + ")", "12"},
		{"assignedLicenses/any(x:x/skuId eq " + p1 + ")", "2"},
		{"assignedLicenses/$count eq 0", "3"},
		{"not(assignedLicenses/any(x:x/skuId eq " + p1 + "))", "13"},
		{"onPremisesExtensionAttributes/extensionAttribute1 eq 'a1'", "1"},
		{"onPremisesExtensionAttributes/extensionAttribute1 eq null", "23"},
		{"manager/id eq '3'", "1"},
		{"accountEnabled eq true and startswith(displayName,'a') or id eq '2'", "12"},
		{"accountEnabled eq true and (startswith(displayName,'x') or id eq '3')", "3"},
		{"id in ('1', '3') and not(department eq 'Retail')", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(Request{Values: url.Values{"$filter": {tt.filter}, "$count": {"true"}}, ConsistencyLevel: "eventual"}, Users)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := ""
			for _, u := range evalUsers {
				ok, err := q.Match(u)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					got += u.id
				}
			}
			if got != tt.want {
				t.Errorf("matches = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEvaluateJSONRecord(t *testing.T) {
	t.Parallel()
	audits := []Record{
		JSONRecord([]byte(`{"id":"a1","activityDisplayName":"Add user","activityDateTime":"2024-01-09T21:20:02.7215374Z","category":"UserManagement","result":"success",
			"initiatedBy":{"user":{"id":"u1","userPrincipalName":"admin@contoso.com"},"app":null},
			"targetResources":[{"id":"t1","displayName":"Sales","type":"Group"},{"id":"t2","displayName":null,"type":"User","userPrincipalName":"bob@contoso.com"}]}`)),
		JSONRecord([]byte(`{"id":"a2","activityDisplayName":"Change user license","activityDateTime":"2024-02-01T00:00:00Z","category":"UserManagement","result":"failure",
			"initiatedBy":{"user":null,"app":{"appId":"x","displayName":"Microsoft Azure AD Group-Based Licensing"}},
			"targetResources":[{"id":"t2","type":"User","userPrincipalName":"bob@contoso.com"}]}`)),
	}
	tests := []struct{ filter, want string }{
		{"activityDisplayName eq 'add user'", "a1"},
		{"startswith(activityDisplayName,'Change')", "a2"},
		{"activityDateTime ge 2024-01-10T00:00:00Z", "a2"},
		{"activityDateTime lt 2024-01-09T21:20:03Z", "a1"},
		{"initiatedBy/user/id eq 'u1'", "a1"},
		{"startswith(initiatedBy/user/userPrincipalName,'ADMIN')", "a1"},
		{"initiatedBy/app/displayName eq 'Microsoft Azure AD Group-Based Licensing'", "a2"},
		{"targetResources/any(t:t/id eq 't2')", "a1a2"},
		{"targetResources/any(t:startswith(t/displayName,'sal'))", "a1"},
		{"targetResources/any(t:t/userPrincipalName eq 'bob@contoso.com') and result eq 'failure'", "a2"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(Request{Values: url.Values{"$filter": {tt.filter}}}, DirectoryAudits)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := ""
			for _, a := range audits {
				if ok, _ := q.Match(a); ok {
					id, _ := a.Property("id")
					got += id.(string)
				}
			}
			if got != tt.want {
				t.Errorf("matches = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestJSONRecordValues(t *testing.T) {
	t.Parallel()
	r := JSONRecord([]byte(`{"s":"x","b":true,"n":3,"f":1.5,"z":null,"ss":["a","b"],"rs":[{"k":1}],"o":{"k":"v"},"mix":[1,"a"],"@odata.type":"#microsoft.graph.user"}`))
	check := func(name string, want any) {
		t.Helper()
		got, ok := r.Property(name)
		if !ok {
			t.Fatalf("%s missing", name)
		}
		switch w := want.(type) {
		case []string:
			g, _ := got.([]string)
			if len(g) != len(w) || g[0] != w[0] {
				t.Errorf("%s = %#v, want %#v", name, got, want)
			}
		default:
			if got != want {
				t.Errorf("%s = %#v, want %#v", name, got, want)
			}
		}
	}
	check("s", "x")
	check("b", true)
	check("n", int64(3))
	check("f", 1.5)
	check("z", nil)
	check("ss", []string{"a", "b"})
	check("@odata.type", "#microsoft.graph.user")
	if v, _ := r.Property("rs"); len(v.([]Record)) != 1 {
		t.Errorf("rs = %#v", v)
	}
	if v, _ := r.Property("o"); v == nil {
		t.Error("o is nil")
	} else if k, _ := v.(Record).Property("k"); k != "v" {
		t.Errorf("o/k = %#v", k)
	}
	if v, _ := r.Property("mix"); len(v.([]any)) != 2 {
		t.Errorf("mix = %#v", v)
	}
	if _, ok := r.Property("missing"); ok {
		t.Error("missing property reported present")
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	groups := []Map{
		{"id": "1", "displayName": "Sales and Marketing", "description": "Everyone in sales", "mail": "sales@contoso.com"},
		{"id": "2", "displayName": "Retail", "description": "Stores", "mail": "retail@contoso.com"},
		{"id": "3", "displayName": "Marketing-EMEA", "description": nil, "proxyAddresses": []string{"SMTP:emea@contoso.com"}},
	}
	tests := []struct{ search, want string }{
		{`"displayName:sales"`, "1"},
		{`"displayName:mark"`, "13"},
		{`"displayName:emea"`, "3"},
		{`"displayName:sales and"`, "1"},
		{`"description:everyone"`, "1"},
		{`"mail:retail"`, "2"},
		{`"mail:contoso"`, ""},
		{`"displayName:retail" OR "displayName:emea"`, "23"},
		{`"displayName:marketing" AND "mail:sales"`, "1"},
		{`"displayName:marketing" AND ("mail:sales" OR "proxyAddresses:smtp:emea")`, "13"},
		{`"stores"`, "2"},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(Request{Values: url.Values{"$search": {tt.search}}, ConsistencyLevel: "eventual"}, Groups)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := ""
			for _, g := range groups {
				if ok, _ := q.Match(g); ok {
					got += g["id"].(string)
				}
			}
			if got != tt.want {
				t.Errorf("matches = %q, want %q", got, tt.want)
			}
		})
	}
}

type (
	state       string
	license     struct{ SkuID string }
	typedRecord struct {
		State    state
		Deleted  *time.Time
		Synced   *bool
		Count    int32
		Licenses []license
		Tags     []state
	}
)

func (l license) Property(name string) (any, bool) {
	if name == "skuId" {
		return l.SkuID, true
	}
	return nil, false
}

func (r typedRecord) Property(name string) (any, bool) {
	switch name {
	case "userType":
		return r.State, true
	case "deletedDateTime":
		return r.Deleted, true
	case "onPremisesSyncEnabled":
		return r.Synced, true
	case "assignedLicenses":
		return r.Licenses, true
	case "proxyAddresses":
		return r.Tags, true
	}
	return nil, false
}

// TestEvaluateTypedValues reads named types, pointers and typed slices.
func TestEvaluateTypedValues(t *testing.T) {
	t.Parallel()
	yes := true
	when := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	recs := []typedRecord{
		{State: "Member", Licenses: []license{{e3}}, Tags: []state{"SMTP:a@b.c"}},
		{State: "Guest", Deleted: &when, Synced: &yes},
	}
	tests := []struct{ filter, want string }{
		{"userType eq 'member'", "0"},
		{"deletedDateTime eq null", "0"},
		{"deletedDateTime ge 2024-01-01T00:00:00Z", "1"},
		{"onPremisesSyncEnabled eq true", "1"},
		{"onPremisesSyncEnabled eq null", "0"},
		{"assignedLicenses/any(a:a/skuId eq " + e3 + ")", "0"},
		{"assignedLicenses/$count eq 0", "1"},
		{"proxyAddresses/any(p:startswith(p,'smtp:'))", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			q, err := Parse(Request{Values: url.Values{"$filter": {tt.filter}, "$count": {"true"}}, ConsistencyLevel: "eventual"}, Users)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for i, r := range recs {
				if ok, _ := q.Match(r); ok {
					got += string(rune('0' + i))
				}
			}
			if got != tt.want {
				t.Errorf("matches = %q, want %q", got, tt.want)
			}
		})
	}
}
