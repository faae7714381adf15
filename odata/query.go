package odata

import (
	"net/url"
	"sort"
	"strings"
)

// Request carries the raw query and the ConsistencyLevel header value.
type Request struct {
	Values           url.Values
	ConsistencyLevel string
}

// OrderBy is one $orderby key: the canonical property path ("a/b" for nested
// properties) and its direction.
type OrderBy struct {
	Property string
	Desc     bool
	path     []string
	kind     Kind
}

// Query is a parsed and checked set of query options.
type Query struct {
	Filter    Expr     // nil when absent
	Select    []string // canonical property names, nil when absent
	OrderBy   []OrderBy
	Top       int // 0 when absent
	SkipToken string
	Count     bool // @odata.count requested and allowed (header + $count=true)
	Search    Expr // nil when absent
	Expand    []string
	Advanced  bool // ConsistencyLevel: eventual and $count=true
	// Eventual reports the ConsistencyLevel: eventual header.
	Eventual bool
	Resource *Resource

	offset int // decoded from SkipToken
}

// systemOptions are the $-options graphmock understands.
var systemOptions = map[string]bool{
	"$filter": true, "$select": true, "$orderby": true, "$top": true, "$skiptoken": true,
	"$count": true, "$search": true, "$expand": true, "$skip": true, "$format": true,
}

var optionOf = map[string]Option{
	"$filter": OptFilter, "$select": OptSelect, "$orderby": OptOrderBy, "$top": OptTop,
	"$skiptoken": OptSkipToken, "$search": OptSearch, "$expand": OptExpand,
}

// Parse parses and checks every query option of r against res. Errors are
// *Error (all 400):
//   - unknown `$xyz` system option: Request_BadRequest "The query parameter '$xyz' is not supported."
//     (the OData library's wording [unc]); options without `$` are custom options and ignored;
//     option names are case-insensitive; `$format` is accepted and ignored.
//   - an option given twice: Request_BadRequest "Query option '$top' was specified more than once, but it must be specified at most once."
//   - an option the resource does not support (e.g. $filter on subscribedSkus, graph-facts §1.3):
//     Request_UnsupportedQuery "The query parameter '$filter' is not supported on resource 'SubscribedSku'." [unc];
//     $count on a resource without counting is silently ignored.
//   - $skip: Request_BadRequest "'$skip' is not supported by the service." (graph-facts §6.4).
//   - $search without ConsistencyLevel: eventual: Request_UnsupportedQuery (graph-facts §3.2).
//   - $filter, $orderby, $select, $top, $skiptoken, $expand: see the parse functions.
func Parse(r Request, res *Resource) (*Query, error) {
	return parse(r, res, false)
}

// ParseCount parses the query of a `/$count` path segment request
// (GET /users/$count, graph-facts §2.9). Without ConsistencyLevel: eventual it is
// 400 Request_BadRequest "$count is not currently supported."; with it the
// advanced rules apply ($count=true is implied) and Count is true.
func ParseCount(r Request, res *Resource) (*Query, error) {
	if err := CountSegment(r.ConsistencyLevel, res); err != nil {
		return nil, err
	}
	return parse(r, res, true)
}

// CountSegment checks only the header rule of the `/$count` path segment: nil
// with ConsistencyLevel: eventual on a countable resource, else 400
// Request_BadRequest "$count is not currently supported." (graph-facts §0.12, §3.2).
func CountSegment(consistencyLevel string, res *Resource) error {
	if !isEventual(consistencyLevel) || res == nil || !res.Directory {
		return badRequest(-1, msgCountSegment)
	}
	return nil
}

func isEventual(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "eventual") }

func parse(r Request, res *Resource, countSegment bool) (*Query, error) {
	if res == nil {
		return nil, &Error{Status: 500, Code: "UnknownError", Message: "No capability table for this resource.", Pos: -1}
	}
	opts, err := collectOptions(r.Values, res)
	if err != nil {
		return nil, err
	}
	q := &Query{Resource: res, Eventual: isEventual(r.ConsistencyLevel)}

	countTrue := false
	if v, ok := opts["$count"]; ok {
		switch strings.ToLower(v) {
		case "true":
			countTrue = true
		case "false":
		default:
			return nil, badRequest(0, "'%s' is not a valid count option.", v)
		}
	}
	if res.Directory && q.Eventual && (countTrue || countSegment) {
		q.Advanced = true
		q.Count = true
	}
	if _, ok := opts["$skip"]; ok {
		return nil, badRequest(-1, msgSkip)
	}
	if v, ok := opts["$search"]; ok {
		if res.Directory && !q.Eventual {
			return nil, unsupported(-1, msgSearchNeedsLevel)
		}
		if q.Search, err = ParseSearch(v); err != nil {
			return nil, err
		}
		if err := CheckSearch(q.Search, res); err != nil {
			return nil, err
		}
	}
	if v, ok := opts["$filter"]; ok {
		if q.Filter, err = ParseFilter(v); err != nil {
			return nil, err
		}
		if err := CheckFilter(q.Filter, res, q.Advanced); err != nil {
			return nil, err
		}
	}
	if v, ok := opts["$orderby"]; ok {
		if q.OrderBy, err = parseOrderBy(v, res, q.Advanced); err != nil {
			return nil, err
		}
		if q.Filter != nil && len(q.OrderBy) > 0 && needsAdvanced(res.FilterOrderBy, q.Advanced) {
			return nil, unsupported(-1, msgSorting)
		}
	}
	if v, ok := opts["$select"]; ok {
		if q.Select, err = parseSelect(v, res); err != nil {
			return nil, err
		}
	}
	if v, ok := opts["$top"]; ok {
		if q.Top, err = parseTop(v, res); err != nil {
			return nil, err
		}
	}
	if v, ok := opts["$expand"]; ok {
		if q.Expand, err = parseExpand(v, res); err != nil {
			return nil, err
		}
		if len(q.Expand) > 0 && (q.Advanced || q.Search != nil) {
			// graph-facts §6.1, §6.4: $expand cannot be combined with advanced
			// queries. [unc] wording.
			return nil, unsupported(-1, "$expand is not supported together with advanced query parameters (ConsistencyLevel: eventual and $count=true or $search).")
		}
	}
	if v, ok := opts["$skiptoken"]; ok {
		off, ok := decodeSkipToken(v, q.fingerprint())
		if !ok {
			return nil, &Error{Status: 400, Code: CodeExpiredPageToken, Message: msgSkipToken, Pos: -1}
		}
		q.SkipToken, q.offset = v, off
	}
	return q, nil
}

func needsAdvanced(l Level, advanced bool) bool {
	return l == Unsupported || (l == Advanced && !advanced)
}

// collectOptions returns the $-options by lower-case name, refusing duplicates,
// unknown $-options and options the resource does not support.
func collectOptions(values url.Values, res *Resource) (map[string]string, error) {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	opts := map[string]string{}
	for _, k := range keys {
		if !strings.HasPrefix(k, "$") {
			continue
		}
		name := strings.ToLower(k)
		if !systemOptions[name] {
			return nil, badRequest(-1, "The query parameter '%s' is not supported.", k)
		}
		if _, dup := opts[name]; dup || len(values[k]) > 1 {
			return nil, badRequest(-1, "Query option '%s' was specified more than once, but it must be specified at most once.", name)
		}
		if o, ok := optionOf[name]; ok && !res.Has(o) {
			return nil, unsupported(-1, "The query parameter '%s' is not supported on resource '%s'.", name, res.Name)
		}
		opts[name] = values[k][0]
	}
	return opts, nil
}

// SelectContext is the `(a,b)` suffix of @odata.context for a $select request
// (`…/$metadata#users(a,b)`, graph-facts §6.4), "" without $select.
func (q *Query) SelectContext() string {
	if q == nil || q.Select == nil {
		return ""
	}
	return "(" + strings.Join(q.Select, ",") + ")"
}

// Selected reports whether a property (canonical name) is to be written: true for
// every property without $select.
func (q *Query) Selected(name string) bool {
	if q == nil || q.Select == nil {
		return true
	}
	for _, s := range q.Select {
		if s == name {
			return true
		}
	}
	return false
}

// EqualityOn reports, when the whole filter is a single `eq` on the named
// top-level property (case-insensitive), the literal's value, so the store can use
// an index instead of scanning. Graph compares strings case-insensitively, so the
// index lookup should too.
func (q *Query) EqualityOn(name string) (string, bool) {
	if q == nil {
		return "", false
	}
	c, ok := q.Filter.(*Compare)
	if !ok || c.Op != "eq" {
		return "", false
	}
	p, ok := c.Left.(*Property)
	if !ok || p.Var != "" || len(p.Path) != 1 || !strings.EqualFold(p.Path[0], name) {
		return "", false
	}
	lit, ok := c.Right.(*Literal)
	if !ok {
		return "", false
	}
	s, ok := lit.Value.(string)
	return s, ok
}
