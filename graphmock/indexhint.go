package graphmock

import (
	"strings"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// indexHint finds a clause of a filter that a store index can answer: `prop eq 'value'` or
// `startswith(prop, 'value')` on a property indexes names (property name → index), alone or as
// one side of an `and`. The whole filter is still evaluated on the candidates, so the hint only
// narrows the scan.
func indexHint(e odata.Expr, indexes map[string]string) (index, value string, prefix, ok bool) {
	switch x := e.(type) {
	case *odata.Logical:
		if !x.And || x.Search {
			return "", "", false, false
		}
		if index, value, prefix, ok = indexHint(x.Left, indexes); ok {
			return
		}
		return indexHint(x.Right, indexes)
	case *odata.Compare:
		if x.Op != "eq" {
			return "", "", false, false
		}
		if name, ok := plainProperty(x.Left); ok {
			if v, ok := stringLiteral(x.Right); ok && indexes[name] != "" {
				return indexes[name], v, false, true
			}
		}
	case *odata.Call:
		if !strings.EqualFold(x.Name, "startswith") || len(x.Args) != 2 {
			return "", "", false, false
		}
		if name, ok := plainProperty(x.Args[0]); ok {
			if v, ok := stringLiteral(x.Args[1]); ok && indexes[name] != "" {
				return indexes[name], v, true, true
			}
		}
	}
	return "", "", false, false
}

func plainProperty(e odata.Expr) (string, bool) {
	p, ok := e.(*odata.Property)
	if !ok || p.Var != "" || len(p.Path) != 1 {
		return "", false
	}
	return strings.ToLower(p.Path[0]), true
}

func stringLiteral(e odata.Expr) (string, bool) {
	l, ok := e.(*odata.Literal)
	if !ok || l.Kind != odata.LitString {
		return "", false
	}
	s, ok := l.Value.(string)
	return s, ok
}

// userIndexes are the user properties with a store index, by lower-cased property name.
var userIndexes = map[string]string{
	"displayname":       engine.IndexDisplayName,
	"mail":              engine.IndexMail,
	"userprincipalname": engine.IndexUPN,
}

// groupIndexes are the group properties with a store index.
var groupIndexes = map[string]string{
	"displayname":  engine.IndexDisplayName,
	"mailnickname": engine.IndexMailNickname,
}
