package odata

import (
	"strconv"
	"strings"
	"time"
)

// Expr is a node of a parsed $filter or $search expression. String gives the
// canonical form: names as resolved (canonical after checking), binary logic
// fully parenthesised, function names lower case, literals in OData syntax.
type Expr interface {
	String() string
	// Position is the byte offset of the node in the option value.
	Position() int
	node()
}

// LitKind is the type of a literal.
type LitKind uint8

// Literal kinds.
const (
	LitNull LitKind = iota
	LitBool
	LitInt
	LitFloat
	LitString
	LitGUID
	LitDateTime
)

// Literal is a constant: Value is nil, bool, int64, float64, string (GUIDs in
// lower case) or time.Time.
type Literal struct {
	Kind  LitKind
	Value any
	Pos   int
}

// Property is a property path. Var is the lambda variable it starts from ("" for
// the current record); Path are the segments after it (empty when the path is the
// bare variable, e.g. p in any(p:p eq 'x')).
type Property struct {
	Var  string
	Path []string
	Pos  int
	prop *Prop // set by the checker
}

// Compare is a binary comparison: Op is eq, ne, lt, gt, le, ge or has.
type Compare struct {
	Op          string
	Left, Right Expr
	Pos         int
}

// In is `Left in (List…)`.
type In struct {
	Left Expr
	List []*Literal
	Pos  int
}

// Logical is `and` / `or` (And false) in $filter, `AND` / `OR` in $search.
type Logical struct {
	And         bool
	Search      bool
	Left, Right Expr
	Pos         int
}

// Not is `not X`.
type Not struct {
	X   Expr
	Pos int
}

// Call is a function call: Name is startswith, endswith or contains.
type Call struct {
	Name string
	Args []Expr
	Pos  int
}

// Lambda is `Collection/any(Var:Body)`; Body is nil for `any()`. All marks the
// `all` operator, which parses but is refused by the checker.
type Lambda struct {
	Collection *Property
	All        bool
	Var        string
	Body       Expr
	Pos        int
}

// Count is `Collection/$count`, compared with an integer.
type Count struct {
	Collection *Property
	Pos        int
}

// SearchTerm is one `"property:value"` clause of $search. Property is empty when
// the clause has no property prefix.
type SearchTerm struct {
	Property string
	Value    string
	Pos      int
	props    []*Prop  // set by the checker
	words    []string // lower-case words of Value
}

func (*Literal) node()    {}
func (*Property) node()   {}
func (*Compare) node()    {}
func (*In) node()         {}
func (*Logical) node()    {}
func (*Not) node()        {}
func (*Call) node()       {}
func (*Lambda) node()     {}
func (*Count) node()      {}
func (*SearchTerm) node() {}

func (e *Literal) Position() int    { return e.Pos }
func (e *Property) Position() int   { return e.Pos }
func (e *Compare) Position() int    { return e.Pos }
func (e *In) Position() int         { return e.Pos }
func (e *Logical) Position() int    { return e.Pos }
func (e *Not) Position() int        { return e.Pos }
func (e *Call) Position() int       { return e.Pos }
func (e *Lambda) Position() int     { return e.Pos }
func (e *Count) Position() int      { return e.Pos }
func (e *SearchTerm) Position() int { return e.Pos }

func (e *Literal) String() string {
	switch v := e.Value.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case string:
		if e.Kind == LitGUID {
			return v
		}
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return "?"
}

func (e *Property) String() string {
	if e.Var == "" {
		return strings.Join(e.Path, "/")
	}
	if len(e.Path) == 0 {
		return e.Var
	}
	return e.Var + "/" + strings.Join(e.Path, "/")
}

// operand renders a node used as an operand, parenthesising boolean nodes that
// would otherwise re-associate when parsed again.
func operand(e Expr) string {
	switch e.(type) {
	case *Compare, *In, *Not:
		return "(" + e.String() + ")"
	}
	return e.String()
}

func (e *Compare) String() string {
	return operand(e.Left) + " " + e.Op + " " + operand(e.Right)
}

func (e *In) String() string {
	parts := make([]string, len(e.List))
	for i, l := range e.List {
		parts[i] = l.String()
	}
	return operand(e.Left) + " in (" + strings.Join(parts, ", ") + ")"
}

func (e *Logical) String() string {
	op := " or "
	switch {
	case e.And && e.Search:
		op = " AND "
	case e.And:
		op = " and "
	case e.Search:
		op = " OR "
	}
	return "(" + e.Left.String() + op + e.Right.String() + ")"
}

func (e *Not) String() string {
	s := e.X.String()
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		if _, ok := e.X.(*Logical); ok {
			return "not" + s
		}
	}
	return "not(" + s + ")"
}

func (e *Call) String() string {
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = operand(a)
	}
	return e.Name + "(" + strings.Join(parts, ", ") + ")"
}

func (e *Lambda) String() string {
	op := "any"
	if e.All {
		op = "all"
	}
	if e.Body == nil {
		return e.Collection.String() + "/" + op + "()"
	}
	return e.Collection.String() + "/" + op + "(" + e.Var + ":" + e.Body.String() + ")"
}

func (e *Count) String() string { return e.Collection.String() + "/$count" }

func (e *SearchTerm) String() string {
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	if e.Property == "" {
		return `"` + esc.Replace(e.Value) + `"`
	}
	return `"` + esc.Replace(e.Property) + ":" + esc.Replace(e.Value) + `"`
}
