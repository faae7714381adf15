package odata

import (
	"fmt"
	"net/url"
	"testing"
)

const (
	e3   = "6fd2c87f-b296-42f0-b197-1e91e994b900"
	hint = "Operator '%s' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information"
)

func unsupportedMsg(prop, res string) string {
	return fmt.Sprintf("Unsupported or invalid query filter clause specified for property '%s' of resource '%s'.", prop, res)
}

// TestCapabilities has one row per capability rule: each filter runs without and
// with the advanced query parameters. wantDefault / wantAdvanced are "" for
// success, else the exact message; code and position are checked too.
func TestCapabilities(t *testing.T) {
	t.Parallel()
	type outcome struct {
		code string
		msg  string
		pos  int
	}
	ok := outcome{}
	adv := func(op string, pos int) outcome {
		return outcome{CodeRequestUnsupportedQuery, fmt.Sprintf(hint, op), pos}
	}
	uns := func(prop, res string, pos int) outcome {
		return outcome{CodeRequestUnsupportedQuery, unsupportedMsg(prop, res), pos}
	}
	bad := func(msg string, pos int) outcome {
		return outcome{CodeRequestBadRequest, "Invalid filter clause: " + msg, pos}
	}
	tests := []struct {
		res          *Resource
		filter       string
		plain, withA outcome
	}{
		// users, default operators (graph-facts §6.2)
		{Users, "displayName eq 'Adele'", ok, ok},
		{Users, "startswith(displayName,'a')", ok, ok},
		{Users, "id eq 'x'", ok, ok},
		{Users, "id in ('a', 'b')", ok, ok},
		{Users, "accountEnabled eq false", ok, ok},
		{Users, "usageLocation ge 'A' and usageLocation le 'M'", ok, ok},
		{Users, "createdDateTime ge 2024-01-01T00:00:00Z", ok, ok},
		{Users, "assignedLicenses/any(a:a/skuId eq " + e3 + ")", ok, ok},
		{Users, "proxyAddresses/any(p:startswith(p,'smtp:'))", ok, ok},
		{Users, "otherMails/any(p:p eq 'a@b.c')", ok, ok},
		{Users, "manager/id eq 'x'", ok, ok},
		{Users, "userType eq 'Guest' or department in ('Retail', 'Sales')", ok, ok},
		// users, advanced only (graph-facts §6.1)
		{Users, "accountEnabled ne true", adv("ne", 15), ok},
		{Users, "not(displayName eq 'a')", adv("not", 0), ok},
		{Users, "endswith(mail,'@contoso.com')", adv("endsWith", 0), ok},
		{Users, "endswith(userPrincipalName,'@contoso.com')", adv("endsWith", 0), ok},
		{Users, "proxyAddresses/any(p:endswith(p,'contoso.com'))", adv("endsWith", 21), ok},
		{Users, "companyName eq 'Contoso'", adv("eq", 12), ok},
		{Users, "companyName in (null, 'Microsoft')", adv("in", 12), ok},
		{Users, "department eq null", adv("eq", 11), ok},
		{Users, "companyName ne null", adv("ne", 12), ok},
		{Users, "assignedLicenses/$count eq 0", adv("$count", 17), ok},
		{Users, "assignedPlans/any(a:a/servicePlanId eq " + e3 + " and a/capabilityStatus eq 'Suspended')", adv("any", 14), ok},
		{Users, "onPremisesExtensionAttributes/extensionAttribute1 eq 'x'", adv("eq", 50), ok},
		{Users, "createdDateTime in (2024-01-01T00:00:00Z)", adv("in", 16), ok},
		// users, never
		{Users, "endswith(displayName,'a')", uns("displayName", "User", 0), uns("displayName", "User", 0)},
		{Users, "contains(displayName,'a')", uns("displayName", "User", 0), uns("displayName", "User", 0)},
		{Users, "startswith(onPremisesExtensionAttributes/extensionAttribute1,'x')", uns("extensionAttribute1", "User", 0), uns("extensionAttribute1", "User", 0)},
		{Users, "accountEnabled gt true", uns("accountEnabled", "User", 15), uns("accountEnabled", "User", 15)},
		{Users, "licenseAssignmentStates/any(s:s/state eq 'Error')", uns("licenseAssignmentStates", "User", 24), uns("licenseAssignmentStates", "User", 24)},
		{Users, "displayName has 'a'", uns("displayName", "User", 12), uns("displayName", "User", 12)},
		{Users, "displayName eq surname", uns("displayName", "User", 0), uns("displayName", "User", 0)},
		{Users, "assignedLicenses eq 'x'", uns("assignedLicenses", "User", 0), uns("assignedLicenses", "User", 0)},
		{Users, "tolower(displayName) eq 'a'", uns("displayName", "User", 21), uns("displayName", "User", 21)},
		// users, invalid clauses
		{Users, "foo eq 'x'", bad("Could not find a property named 'foo' on type 'microsoft.graph.user'.", 0), bad("Could not find a property named 'foo' on type 'microsoft.graph.user'.", 0)},
		{Users, "assignedLicenses/any(a:a/servicePlanId eq " + e3 + ")", bad("Could not find a property named 'servicePlanId' on type 'microsoft.graph.assignedLicense'.", 23), bad("Could not find a property named 'servicePlanId' on type 'microsoft.graph.assignedLicense'.", 23)},
		{Users, "assignedLicenses/skuId eq " + e3, bad("The parent value for a property access of a property 'skuId' is not a single value. Property access can only be applied to a single value.", 0), bad("The parent value for a property access of a property 'skuId' is not a single value. Property access can only be applied to a single value.", 0)},
		{Users, "displayName eq 1", bad("A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.", 15), bad("A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.", 15)},
		{Users, "createdDateTime ge '2024'", bad("A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThanOrEqual'.", 19), bad("A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThanOrEqual'.", 19)},
		{Users, "substringof('a',displayName)", bad("An unknown function with name 'substringof' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.", 0), bad("An unknown function with name 'substringof' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.", 0)},
		{Users, "startswith(displayName)", bad("No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true).", 0), bad("No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true).", 0)},
		{Users, "assignedLicenses/$count eq 'x'", bad("A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'.", 27), bad("A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'.", 27)},
		// groups
		{Groups, "startswith(displayName,'Sales')", ok, ok},
		{Groups, "groupTypes/any(c:c eq 'Unified')", ok, ok},
		{Groups, "hasMembersWithLicenseErrors eq true", ok, ok},
		{Groups, "hasMembersWithLicenseErrors eq null", ok, ok},
		{Groups, "membershipRuleProcessingState eq 'On'", ok, ok},
		{Groups, "assignedLicenses/any(a:a/skuId eq " + e3 + ")", ok, ok},
		{Groups, "not(groupTypes/any(c:c eq 'Unified'))", adv("not", 0), ok},
		{Groups, "description eq 'x'", adv("eq", 12), ok},
		{Groups, "groupTypes/$count eq 0", adv("$count", 11), ok},
		{Groups, "groupTypes/all(c:c eq 'Unified')", uns("groupTypes", "Group", 11), uns("groupTypes", "Group", 11)},
		{Groups, "userPrincipalName eq 'x'", bad("Could not find a property named 'userPrincipalName' on type 'microsoft.graph.group'.", 0), bad("Could not find a property named 'userPrincipalName' on type 'microsoft.graph.group'.", 0)},
		// relationship lists: everything advanced
		{DirectoryObjects, "startswith(displayName,'a')", adv("startsWith", 0), ok},
		{DirectoryObjects, "userPrincipalName eq 'a@b.c'", adv("eq", 18), ok},
		{DeletedUsers, "startswith(displayName,'a')", ok, ok},
		// relationship casts: the cast type's properties, everything advanced
		{CastUsers, "startswith(displayName,'a')", adv("startsWith", 0), ok},
		{CastUsers, "companyName eq 'Contoso'", adv("eq", 12), ok},
		{CastUsers, "assignedLicenses/any(a:a/skuId eq " + e3 + ")", adv("any", 17), ok},
		{CastUsers, "securityEnabled eq true", bad("Could not find a property named 'securityEnabled' on type 'microsoft.graph.user'.", 0), bad("Could not find a property named 'securityEnabled' on type 'microsoft.graph.user'.", 0)},
		{CastUsers, "endswith(displayName,'a')", uns("displayName", "User", 0), uns("displayName", "User", 0)},
		{CastGroups, "groupTypes/any(c:c eq 'Unified')", adv("any", 11), ok},
		{CastGroups, "userPrincipalName eq 'x'", bad("Could not find a property named 'userPrincipalName' on type 'microsoft.graph.group'.", 0), bad("Could not find a property named 'userPrincipalName' on type 'microsoft.graph.group'.", 0)},
		{DeletedGroups, "deletedDateTime ge 2024-01-01", adv("ge", 16), ok},
		// directory audits (graph-facts §6.3): no advanced queries
		{DirectoryAudits, "activityDisplayName eq 'Add user'", ok, ok},
		{DirectoryAudits, "startswith(activityDisplayName,'Add')", ok, ok},
		{DirectoryAudits, "activityDateTime ge 2024-01-01T00:00:00Z and activityDateTime le 2024-02-01T00:00:00Z", ok, ok},
		{DirectoryAudits, "initiatedBy/user/id eq '0000'", ok, ok},
		{DirectoryAudits, "startswith(initiatedBy/user/userPrincipalName,'adm')", ok, ok},
		{DirectoryAudits, "initiatedBy/app/displayName eq 'Microsoft Azure AD Group-Based Licensing'", ok, ok},
		{DirectoryAudits, "targetResources/any(t:t/id eq 'x')", ok, ok},
		{DirectoryAudits, "targetResources/any(t:startswith(t/displayName,'Sales'))", ok, ok},
		{DirectoryAudits, "correlationId eq " + e3, ok, ok},
		{DirectoryAudits, "category eq 'GroupManagement' and result eq 'success'", ok, ok},
		{DirectoryAudits, "result ne 'success'", uns("result", "DirectoryAudit", 7), uns("result", "DirectoryAudit", 7)},
		{DirectoryAudits, "endswith(activityDisplayName,'user')", uns("activityDisplayName", "DirectoryAudit", 0), uns("activityDisplayName", "DirectoryAudit", 0)},
		{DirectoryAudits, "initiatedBy/user/ipAddress eq '1.2.3.4'", uns("ipAddress", "DirectoryAudit", 27), uns("ipAddress", "DirectoryAudit", 27)},
	}
	for _, tt := range tests {
		for _, advanced := range []bool{false, true} {
			want := tt.plain
			if advanced {
				want = tt.withA
			}
			t.Run(fmt.Sprintf("%s/%s/adv=%t", tt.res.Name, tt.filter, advanced), func(t *testing.T) {
				t.Parallel()
				v := url.Values{"$filter": {tt.filter}}
				r := Request{Values: v}
				if advanced {
					v.Set("$count", "true")
					r.ConsistencyLevel = "eventual"
				}
				q, err := Parse(r, tt.res)
				if want == ok {
					if err != nil {
						t.Fatalf("Parse: %v", err)
					}
					if q.Filter == nil {
						t.Fatal("Filter is nil")
					}
					return
				}
				assertError(t, err, 400, want.code, want.msg, want.pos)
			})
		}
	}
}

func TestCheckCanonicalNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		res       *Resource
		src, want string
	}{
		{Users, "DisplayName eq 'a'", "displayName eq 'a'"},
		{Users, "AssignedLicenses/any(X:X/SKUID eq " + e3 + ")", "assignedLicenses/any(X:X/skuId eq " + e3 + ")"},
		{Users, "startswith(USERPRINCIPALNAME,'a')", "startswith(userPrincipalName, 'a')"},
		{DirectoryAudits, "InitiatedBy/User/Id eq 'x'", "initiatedBy/user/id eq 'x'"},
		{Users, "'a' eq displayName", "displayName eq 'a'"},
		{Users, "2024-01-01T00:00:00Z le createdDateTime", "createdDateTime ge 2024-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			e, err := ParseFilter(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckFilter(e, tt.res, true); err != nil {
				t.Fatal(err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
