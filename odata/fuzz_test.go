package odata

import (
	"net/url"
	"testing"
)

// filterSeeds are the $filter examples of graph-facts §1 and §6.
var filterSeeds = []string{
	"accountEnabled eq false",
	"accountEnabled ne true",
	"assignedLicenses/any(x:x/skuId eq 184efa21-98c3-4e5d-95ab-d07053a96e67)",
	"assignedLicenses/any(a:a/skuId eq 6fd2c87f-b296-42f0-b197-1e91e994b900)",
	"assignedLicenses/$count eq 0",
	"assignedPlans/any(a:a/servicePlanId eq efb87545-963c-4e0d-99df-69c6916d9eb0 and a/capabilityStatus eq 'Suspended')",
	"imAddresses/any(i:i eq 'x')",
	"proxyAddresses/any(p:startswith(p,'smtp:'))",
	"otherMails/any(p:p eq 'a@b.c')",
	"not(groupTypes/any(c:c eq 'Unified'))",
	"groupTypes/any(c:c eq 'Unified')",
	"groupTypes/all(c:c eq 'Unified')",
	"companyName ne null",
	"companyName in (null, 'Microsoft')",
	"department in ('Retail', 'Sales')",
	"hasMembersWithLicenseErrors eq true",
	"onPremisesExtensionAttributes/extensionAttribute1 eq 'x'",
	"activityDateTime ge 2024-01-01T00:00:00Z",
	"activityDisplayName eq 'Add member to group'",
	"startswith(activityDisplayName,'Add')",
	"initiatedBy/user/id eq '00000000-0000-0000-0000-000000000000'",
	"initiatedBy/app/displayName eq 'Microsoft Azure AD Group-Based Licensing'",
	"targetResources/any(t: t/id eq 'x')",
	"targetResources/any(t:t/displayName eq 'x')",
	"category eq 'GroupManagement' and result eq 'success'",
	"endswith(mail,'@contoso.com')",
	"startswith(displayName,'a') or displayName eq 'O''Neil'",
	"NOT(displayName eq 'x')",
	"city eq null",
	"((a eq 1) and (b eq 2",
	"'unterminated",
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range filterSeeds {
		f.Add(s)
	}
	recs := []Record{evalUsers[0], evalUsers[1], evalUsers[2], Map{}}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := ParseFilter(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		if e == nil {
			t.Fatal("nil AST without error")
		}
		again, err := ParseFilter(e.String())
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", e.String(), src, err)
		}
		if again.String() != e.String() {
			t.Fatalf("canonical form is not stable: %q then %q", e.String(), again.String())
		}
		for _, res := range []*Resource{Users, Groups, DirectoryObjects, DirectoryAudits} {
			q, err := Parse(Request{Values: url.Values{"$filter": {src}, "$count": {"true"}}, ConsistencyLevel: "eventual"}, res)
			if err != nil {
				continue
			}
			for _, r := range recs {
				if _, err := q.Match(r); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{
		`"displayName:wa"`,
		`"displayName:wa" OR "displayName:ad"`,
		`"displayName:wa" AND "mail:x"`,
		`("displayName:a" OR "description:b") AND "mail:c"`,
		`"description:Everyone in sales"`,
		`"plain"`,
		`"displayName:say \"hi\""`,
		`displayName:wa`,
		`"open`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := ParseSearch(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		again, err := ParseSearch(e.String())
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", e.String(), src, err)
		}
		if again.String() != e.String() {
			t.Fatalf("canonical form is not stable: %q then %q", e.String(), again.String())
		}
		for _, res := range []*Resource{Users, Groups} {
			if err := CheckSearch(e, res); err == nil {
				searchMatch(e, Map{"displayName": "Sales team", "mail": "x@y"})
			}
		}
	})
}
