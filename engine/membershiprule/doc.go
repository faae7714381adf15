// Package membershiprule implements the dynamic membership rule language of Microsoft Entra ID
// for user-based dynamic groups: a lexer, a parser producing an AST with a canonical String form,
// and an evaluator.
//
// Source: Microsoft Learn, "Manage rules for dynamic membership groups in Microsoft Entra ID"
// (entra-docs docs/identity/users/groups-dynamic-membership.md, 2024-12), summarised in
// graph-facts.md §7. Validation errors follow the wording Graph returns (graph-facts.md §3.4).
//
// Grammar accepted (operators are case-insensitive and may be written with or without the
// leading hyphen; an en dash is accepted in place of the hyphen because Microsoft's own examples
// contain one):
//
//	rule       = directReports | orExpr
//	orExpr     = andExpr { "-or" andExpr }
//	andExpr    = notExpr { "-and" notExpr }
//	notExpr    = "-not" notExpr | primary
//	primary    = "(" orExpr ")" | comparison
//	comparison = property op value | collection ("-any" | "-all") primary
//	value      = string | number | "true" | "false" | "null" | dateTime
//	           | "system.now" [("-plus" | "-minus") isoDuration] | "[" value { "," value } "]"
//	directReports = "Direct Reports for" string
//
// Precedence, highest first, is comparison, -not, -and, -or (documented order). The documentation
// lists -any and -all below -or; graphmock reads the condition of -any/-all as the single
// parenthesised expression (or single comparison) that follows it, which is how every documented
// example is written.
//
// Strings are written in double (or single) quotes. A backtick escapes the next character
// (a backtick then a double quote is a double quote; two backticks are one backtick) and a doubled single quote stands for one single quote,
// as the documentation prescribes. Numbers, booleans, null, dateTimes and system.now are written
// without quotes; quoted dateTimes are accepted too.
//
// Property names: the documentation says they are case-sensitive, but its own examples use
// user.mailNickname and user.employeehiredate, and the real service's strictness is unverified
// (graph-facts.md §7.1 [unc]). graphmock therefore matches property names, object names
// ("user", "assignedPlan") and keywords case-insensitively and prints the canonical spelling.
//
// What graphmock does not reproduce: user.memberOf (preview) is rejected as unsupported;
// -match uses Go's RE2 syntax rather than .NET's (no look-around or back-references), and a
// pattern whose compiled form is very large is rejected to keep evaluation over a large tenant
// fast. Direct Reports rules are evaluated through ManagerProperty. Rules using system.now can
// change result as time passes (Rule.UsesNow); evaluate them with Rule.MatchAt and the tenant's
// clock.
package membershiprule
