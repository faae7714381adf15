package odata

import (
	"slices"
	"strings"
	"time"
)

// Match reports whether r passes $filter and $search; true when both are absent.
// The error is reserved for evaluation failures and is nil for checked queries.
func (q *Query) Match(r Record) (bool, error) {
	return q.match(r, &scope{})
}

func (q *Query) match(r Record, s *scope) (bool, error) {
	if q == nil {
		return true, nil
	}
	if q.Filter != nil && !evalBool(q.Filter, r, s) {
		return false, nil
	}
	if q.Search != nil && !searchMatch(q.Search, r) {
		return false, nil
	}
	return true, nil
}

// Less is the $orderby comparison: keys in order, strings case-insensitive, nil
// (absent) values first in ascending order. Equal records are not Less, so a
// stable sort keeps the store's order for ties and when $orderby is absent.
func (q *Query) Less(a, b Record) bool {
	if q == nil {
		return false
	}
	for _, ob := range q.OrderBy {
		path := ob.segments()
		c := compareAny(ob.kind, pathValue(a, path), pathValue(b, path))
		if c != 0 {
			return (c < 0) != ob.Desc
		}
	}
	return false
}

// segments is the property path of an order key; keys built by hand (not by
// Parse) are split from Property.
func (ob OrderBy) segments() []string {
	if ob.path == nil {
		return strings.Split(ob.Property, "/")
	}
	return ob.path
}

func pathValue(r Record, path []string) any {
	var cur any = r
	for _, seg := range path {
		rec, ok := asRecord(cur)
		if !ok {
			return nil
		}
		v, _ := rec.Property(seg)
		cur = normalize(v)
	}
	return cur
}

// compareAny orders two values of one property; nil sorts first.
func compareAny(k Kind, a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	if k == KindDateTime {
		ta, oka := toTime(a)
		tb, okb := toTime(b)
		if oka && okb {
			return ta.Compare(tb)
		}
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return compareFold(x, y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	case int64, int, float64:
		fa, fb := toFloat(a), toFloat(b)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return 0
}

// Page applies $filter, $search, $orderby and paging to items and returns the
// page, the number of all matches and the $skiptoken of the next page ("" on the
// last page). count is always computed; write it as @odata.count only when
// q.Count, on the first page (graph-facts §6.5). The page size is $top, else
// defaultTop (100 for directory lists, graph-facts §6.4; <= 0 means everything).
// Without $orderby the items keep the caller's order, so the caller should pass
// them in a stable order (e.g. by id). Paging is by offset: a skiptoken past the
// end yields an empty last page. A nil query returns the first defaultTop items.
func Page[T Record](q *Query, items []T, defaultTop int) (page []T, count int, next string, err error) {
	matched := items
	if q != nil && (q.Filter != nil || q.Search != nil) {
		matched = make([]T, 0, len(items)/4+1)
		s := &scope{vars: make([]binding, 0, 4)}
		for _, it := range items {
			ok, err := q.match(it, s)
			if err != nil {
				return nil, 0, "", err
			}
			if ok {
				matched = append(matched, it)
			}
		}
	}
	if q != nil && len(q.OrderBy) > 0 {
		matched = sortRecords(q, matched)
	}
	size := defaultTop
	offset := 0
	if q != nil {
		if q.Top > 0 {
			size = q.Top
		}
		offset = q.offset
	}
	if size <= 0 {
		size = len(matched)
	}
	if offset > len(matched) {
		offset = len(matched)
	}
	end := min(offset+size, len(matched))
	page = matched[offset:end:end]
	if end < len(matched) {
		next = encodeSkipToken(end, q.fingerprint())
	}
	return page, len(matched), next, nil
}

// sortRecords sorts a copy of items, reading and normalising each sort key
// once (strings lower-cased, date-time strings parsed).
func sortRecords[T Record](q *Query, items []T) []T {
	if out, ok := sortByOneString(q, items); ok {
		return out
	}
	type keyed struct {
		item T
		idx  int
		keys []any
	}
	n := len(q.OrderBy)
	flat := make([]any, len(items)*n)
	ks := make([]keyed, len(items))
	for i, it := range items {
		keys := flat[i*n : (i+1)*n : (i+1)*n]
		for j, ob := range q.OrderBy {
			keys[j] = sortKey(ob.kind, pathValue(it, ob.segments()))
		}
		ks[i] = keyed{it, i, keys}
	}
	// An unstable sort with the original index as last key is stable and
	// O(n log n).
	slices.SortFunc(ks, func(a, b keyed) int {
		for j, ob := range q.OrderBy {
			c := compareKey(a.keys[j], b.keys[j])
			if c != 0 {
				if ob.Desc {
					return -c
				}
				return c
			}
		}
		return a.idx - b.idx
	})
	out := make([]T, len(ks))
	for i, k := range ks {
		out[i] = k.item
	}
	return out
}

// sortByOneString is the fast path for the common `$orderby=displayName [desc]`:
// one key whose values are all strings or absent.
func sortByOneString[T Record](q *Query, items []T) ([]T, bool) {
	if len(q.OrderBy) != 1 || q.OrderBy[0].kind != KindString {
		return nil, false
	}
	type keyed struct {
		key  string
		null bool
		idx  int
	}
	ob := q.OrderBy[0]
	path := ob.segments()
	ks := make([]keyed, len(items))
	for i, it := range items {
		switch v := pathValue(it, path).(type) {
		case string:
			ks[i] = keyed{key: strings.ToLower(v), idx: i}
		case nil:
			ks[i] = keyed{null: true, idx: i}
		default:
			return nil, false
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		c := 0
		switch {
		case a.null && b.null:
		case a.null:
			c = -1
		case b.null:
			c = 1
		default:
			c = strings.Compare(a.key, b.key)
		}
		if ob.Desc {
			c = -c
		}
		if c == 0 {
			c = a.idx - b.idx
		}
		return c
	})
	out := make([]T, len(ks))
	for i, k := range ks {
		out[i] = items[k.idx]
	}
	return out, true
}

func sortKey(k Kind, v any) any {
	switch x := v.(type) {
	case string:
		if k == KindDateTime {
			if t, ok := toTime(x); ok {
				return t
			}
		}
		return strings.ToLower(x)
	case int:
		return int64(x)
	}
	return v
}

// compareKey orders normalised sort keys; nil first.
func compareKey(a, b any) int {
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	}
	return compareAny(KindString, a, b)
}
