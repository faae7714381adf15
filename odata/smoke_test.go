package odata

import (
	"net/url"
	"testing"
)

func TestSmoke(t *testing.T) {
	for _, f := range []string{
		"startswith(displayName,'a')",
		"proxyAddresses/any(p:startswith(p,'smtp:'))",
		"assignedLicenses/any(x:x/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)",
		"accountEnabled eq true and (department eq 'Sales' or not(city eq 'x'))",
		"createdDateTime ge 2024-01-01T00:00:00Z",
		"department in ('Retail', 'Sales')",
		"endswith(mail,'@contoso.com')",
		"assignedLicenses/$count eq 0",
		"onPremisesExtensionAttributes/extensionAttribute1 eq 'x'",
	} {
		e, err := ParseFilter(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		err = CheckFilter(e, Users, false)
		t.Logf("%s -> %s ; %v", f, e, err)
	}
	q, err := Parse(Request{Values: url.Values{"$filter": {"startswith(displayName,'a')"}, "$top": {"2"}}}, Users)
	if err != nil {
		t.Fatal(err)
	}
	recs := []Map{{"displayName": "alice"}, {"displayName": "bob"}, {"displayName": "Adam"}, {"displayName": "anna"}}
	page, n, next, err := Page(q, recs, 100)
	t.Log(page, n, next, err)
	v := url.Values{"$filter": {"startswith(displayName,'a')"}, "$top": {"2"}, "$skiptoken": {next}}
	q, err = Parse(Request{Values: v}, Users)
	t.Log(err)
	page, n, next, err = Page(q, recs, 100)
	t.Log(page, n, next, err, NextLinkQuery(v, "abc"))
}
