package odata

import (
	"strconv"
	"strings"
)

// items splits a comma-separated option value, with the offset of each item.
func items(v string) (names []string, offsets []int) {
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == ',' {
			item := v[start:i]
			trimmed := strings.TrimLeft(item, " ")
			names = append(names, strings.TrimSpace(trimmed))
			offsets = append(offsets, start+len(item)-len(trimmed))
			start = i + 1
		}
	}
	return names, offsets
}

// parseSelect resolves $select names case-insensitively to canonical names
// (graph-facts §6.4). Unknown names are 400 Request_BadRequest "Could not find a
// property named 'x' on type 'microsoft.graph.user'."; properties graphmock does not
// keep are 501 (NotModelledError); properties Graph never returns
// (hasMembersWithLicenseErrors) are dropped. An empty $select is absent.
func parseSelect(v string, res *Resource) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	names, offs := items(v)
	out := make([]string, 0, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		p, ok := res.Property(n)
		if !ok {
			return nil, badRequest(offs[i], msgNoProperty, n, res.Type)
		}
		if p.NotModelled != "" {
			return nil, NotModelledError(offs[i], p)
		}
		if p.NoSelect || seen[p.Name] {
			continue
		}
		seen[p.Name] = true
		out = append(out, p.Name)
	}
	return out, nil
}

// parseTop accepts 1..MaxTop (graph-facts §6.4); anything else is 400
// Request_BadRequest "Invalid page size specified: '1000'. Must be between 1 and
// 999 inclusive." A value that is not an integer gets the OData library's wording [unc].
func parseTop(v string, res *Resource) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, badRequest(0, "Invalid value '%s' for $top query option found. The $top query option requires a non-negative integer value.", v)
	}
	if n < 1 || n > res.MaxTop {
		return 0, badRequest(0, msgPageSize, v)
	}
	return n, nil
}

// parseOrderBy parses `name [asc|desc], …`. Unknown properties are 400
// Request_BadRequest "Could not find a property named …"; properties graphmock does
// not keep are 501 (NotModelledError); properties that cannot
// be ordered, or only in advanced queries, are 400 Request_UnsupportedQuery
// "Sorting not supported for current query." [unc] (graph-facts §6.1, §6.4).
func parseOrderBy(v string, res *Resource, advanced bool) ([]OrderBy, error) {
	names, offs := items(v)
	out := make([]OrderBy, 0, len(names))
	for i, item := range names {
		fields := strings.Fields(item)
		if len(fields) == 0 || len(fields) > 2 {
			return nil, badRequest(offs[i], "Syntax error at position %d in '%s'.", offs[i], v)
		}
		ob := OrderBy{}
		if len(fields) == 2 {
			switch strings.ToLower(fields[1]) {
			case "asc":
			case "desc":
				ob.Desc = true
			default:
				pos := offs[i] + strings.LastIndex(item, fields[1])
				return nil, badRequest(pos, "Syntax error at position %d in '%s'.", pos, v)
			}
		}
		p, err := resolvePath(fields[0], res, offs[i])
		if err != nil {
			return nil, err
		}
		if needsAdvanced(p.Order, advanced) {
			return nil, unsupported(offs[i], msgSorting)
		}
		ob.path, _ = canonicalPath(fields[0], res)
		ob.Property = strings.Join(ob.path, "/")
		ob.kind = p.Kind
		out = append(out, ob)
	}
	return out, nil
}

// resolvePath resolves a slash-separated path through complex properties.
func resolvePath(path string, res *Resource, pos int) (*Prop, error) {
	props, typ := res.Props, res.Type
	var cur *Prop
	for _, seg := range strings.Split(path, "/") {
		if cur != nil {
			if cur.Kind != KindComplex {
				return nil, badRequest(pos, msgNoProperty, seg, typ)
			}
			props, typ = cur.Props, cur.Type
		}
		p, ok := props[strings.ToLower(seg)]
		if !ok {
			return nil, badRequest(pos, msgNoProperty, seg, typ)
		}
		if p.NotModelled != "" {
			return nil, NotModelledError(pos, p)
		}
		cur = p
	}
	return cur, nil
}

func canonicalPath(path string, res *Resource) ([]string, bool) {
	props := res.Props
	var out []string
	for _, seg := range strings.Split(path, "/") {
		p, ok := props[strings.ToLower(seg)]
		if !ok {
			return nil, false
		}
		out = append(out, p.Name)
		props = p.Props
	}
	return out, true
}

// parseExpand accepts navigation names (e.g. members, memberOf), case-insensitively. Unknown
// names are 400 Request_BadRequest "Could not find a property named …". Graph also applies
// query options inside $expand (members($select=id)); graphmock doesn't, so they are a 501
// NotImplemented rather than a silently different answer.
func parseExpand(v string, res *Resource) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	names, offs, err := expandItems(v)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(names))
	for i, n := range names {
		name, _, nested := strings.Cut(n, "(")
		name = strings.TrimSpace(name)
		c, ok := res.Expand[strings.ToLower(name)]
		if !ok {
			return nil, badRequest(offs[i], msgNoProperty, name, res.Type)
		}
		if nested {
			return nil, notImplemented(offs[i]+strings.IndexByte(n, '('), msgExpandOptions, n)
		}
		out = append(out, c)
	}
	return out, nil
}

// expandItems splits a $expand value at the commas outside parentheses (and quoted literals),
// with each item's offset. Unbalanced parentheses are a 400.
func expandItems(v string) (items []string, offsets []int, err error) {
	depth, quoted, start := 0, false, 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) {
			switch c := v[i]; {
			case c == '\'':
				quoted = !quoted
				continue
			case quoted:
				continue
			case c == '(':
				depth++
				continue
			case c == ')':
				if depth--; depth < 0 {
					return nil, nil, badRequest(i, msgExpandSyntax, v)
				}
				continue
			case c != ',' || depth > 0:
				continue
			}
		}
		item := v[start:i]
		trimmed := strings.TrimLeft(item, " ")
		items = append(items, strings.TrimSpace(trimmed))
		offsets = append(offsets, start+len(item)-len(trimmed))
		start = i + 1
	}
	if depth != 0 || quoted {
		return nil, nil, badRequest(len(v), msgExpandSyntax, v)
	}
	return items, offsets, nil
}
