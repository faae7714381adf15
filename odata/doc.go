// Package odata parses, checks and evaluates the OData query options of
// Microsoft Graph list requests with Graph's own rules and error messages
// (graph-facts §3.2 and §6).
//
// A request goes through one call:
//
//	q, err := odata.Parse(odata.Request{Values: r.URL.Query(), ConsistencyLevel: r.Header.Get("ConsistencyLevel")}, odata.Users)
//	// err is an *odata.Error: write Status, Code and Message into the Graph error envelope.
//	page, count, next, err := odata.Page(q, users, 100)
//	// @odata.count = count when q.Count and q.SkipToken == "" (first page only, graph-facts §6.5);
//	// @odata.nextLink = base URL + "?" + odata.NextLinkQuery(r.URL.Query(), next) when next != "".
//
// The pipeline for $filter is Lex → ParseFilter (AST with a canonical String) →
// CheckFilter (the Resource capability table: default / advanced / unsupported
// per property and operator) → evaluation through the Record interface. $search
// has ParseSearch and CheckSearch. Everything else ($select, $orderby, $top,
// $skiptoken, $count, $expand, $skip, unknown $-options) is handled in Parse.
//
// Advanced queries (graph-facts §6.1) are requests with the header
// ConsistencyLevel: eventual and $count=true; Query.Advanced reports them. The
// `/$count` path segment has its own entry point, ParseCount.
//
// Records are read through Record: the store's own types can implement it, Map
// wraps Go maps and JSONRecord wraps JSON documents (gjson). Paging is by
// offset: a $skiptoken is bound to the filter, search and order that produced
// it, and a token from another query is refused like an expired one.
package odata
