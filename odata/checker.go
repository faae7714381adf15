package odata

import "strings"

// checker validates a parsed $filter against a Resource: it resolves property
// names (case-insensitively, rewriting them to canonical names), checks literal
// types, and applies the per-property operator levels (graph-facts §6.1–6.3).
type checker struct {
	res  *Resource
	adv  bool
	vars []lambdaVar
}

type lambdaVar struct {
	name string
	elem *Prop
}

var operatorKinds = map[string]string{"eq": "Equal", "ne": "NotEqual", "lt": "LessThan", "gt": "GreaterThan",
	"le": "LessThanOrEqual", "ge": "GreaterThanOrEqual", "has": "Has", "in": "In"}

var cmpOps = map[string]Op{"eq": OpEq, "ne": OpNe, "lt": OpLt, "gt": OpGt, "le": OpLe, "ge": OpGe, "has": OpHas}

var flipped = map[string]string{"eq": "eq", "ne": "ne", "lt": "gt", "gt": "lt", "le": "ge", "ge": "le", "has": "has"}

// CheckFilter checks e against res; advanced reports whether the request carries
// the advanced query parameters. Errors are *Error:
//   - 400 Request_BadRequest "Invalid filter clause: Could not find a property named 'x' on type 'microsoft.graph.user'."
//   - 501 NotImplemented for a property graphmock does not keep (NotModelledError)
//   - 400 Request_BadRequest "Invalid filter clause: A binary operator with incompatible types was detected. …"
//   - 400 Request_UnsupportedQuery "Unsupported or invalid query filter clause specified for property '{prop}' of resource '{Resource}'."
//   - 400 Request_UnsupportedQuery "Operator '{op}' is not supported because the required parameters might be missing. …"
func CheckFilter(e Expr, res *Resource, advanced bool) error {
	c := &checker{res: res, adv: advanced}
	return c.check(e)
}

func (c *checker) need(l Level, pos int, op, prop string) error {
	switch {
	case l == Unsupported:
		return unsupportedProp(pos, prop, c.res.Name)
	case l == Advanced && !c.adv:
		if c.res.Directory {
			return advancedHint(pos, op)
		}
		return unsupportedProp(pos, prop, c.res.Name)
	}
	return nil
}

func (c *checker) check(e Expr) error {
	switch e := e.(type) {
	case *Logical:
		if err := c.check(e.Left); err != nil {
			return err
		}
		return c.check(e.Right)
	case *Not:
		if err := c.need(c.res.Not, e.Pos, "not", leadingProperty(e.X)); err != nil {
			return err
		}
		return c.check(e.X)
	case *Compare:
		return c.checkCompare(e)
	case *In:
		return c.checkIn(e)
	case *Call:
		return c.checkCall(e)
	case *Lambda:
		return c.checkLambda(e)
	}
	return filterError(e.Position(), "The $filter expression must evaluate to a single boolean value.")
}

// leadingProperty names the first property inside e, for messages.
func leadingProperty(e Expr) string {
	switch e := e.(type) {
	case *Property:
		if len(e.Path) > 0 {
			return e.Path[len(e.Path)-1]
		}
		return e.Var
	case *Compare:
		if s := leadingProperty(e.Left); s != "" {
			return s
		}
		return leadingProperty(e.Right)
	case *In:
		return leadingProperty(e.Left)
	case *Logical:
		return leadingProperty(e.Left)
	case *Not:
		return leadingProperty(e.X)
	case *Call:
		for _, a := range e.Args {
			if s := leadingProperty(a); s != "" {
				return s
			}
		}
	case *Lambda:
		return leadingProperty(e.Collection)
	case *Count:
		return leadingProperty(e.Collection)
	}
	return ""
}

// resolve finds the property a path names, canonicalises the path and records
// the property on the node.
func (c *checker) resolve(p *Property) (*Prop, error) {
	var cur *Prop
	props, typ := c.res.Props, c.res.Type
	if p.Var != "" {
		for i := len(c.vars) - 1; i >= 0; i-- {
			if c.vars[i].name == p.Var {
				cur = c.vars[i].elem
				break
			}
		}
		if cur == nil {
			return nil, filterError(p.Pos, msgNoProperty, p.Var, typ)
		}
	}
	for i, seg := range p.Path {
		if cur != nil {
			switch cur.Kind {
			case KindComplex:
				props, typ = cur.Props, cur.Type
			case KindCollection:
				return nil, filterError(p.Pos, "The parent value for a property access of a property '%s' is not a single value. Property access can only be applied to a single value.", seg)
			default:
				return nil, filterError(p.Pos, msgNoProperty, seg, edmNames[cur.Kind])
			}
		}
		next, ok := props[strings.ToLower(seg)]
		if !ok {
			return nil, filterError(p.Pos, msgNoProperty, seg, typ)
		}
		if next.NotModelled != "" {
			return nil, NotModelledError(p.Pos, next)
		}
		p.Path[i] = next.Name
		cur = next
	}
	p.prop = cur
	return cur, nil
}

func litEdm(l *Literal) string {
	switch l.Kind {
	case LitBool:
		return "Edm.Boolean"
	case LitInt:
		return "Edm.Int32"
	case LitFloat:
		return "Edm.Double"
	case LitString:
		return "Edm.String"
	case LitGUID:
		return "Edm.Guid"
	case LitDateTime:
		return "Edm.DateTimeOffset"
	}
	return "null"
}

// compatible reports whether a literal can be compared with a property of kind k.
// GUID properties also accept quoted GUIDs ([unc]: Graph docs quote ids inside
// some audit filters and leave skuIds unquoted; graphmock accepts both).
func compatible(k Kind, l *Literal) bool {
	switch l.Kind {
	case LitNull:
		return true
	case LitString:
		return k == KindString || k == KindGUID
	case LitGUID:
		return k == KindGUID
	case LitBool:
		return k == KindBool
	case LitInt:
		return k == KindInt
	case LitFloat:
		return false
	case LitDateTime:
		return k == KindDateTime
	}
	return false
}

func (c *checker) typeError(p *Prop, l *Literal, op string) error {
	pk := edmNames[p.Kind]
	if pk == "" {
		pk = p.Type
	}
	return filterError(l.Pos, "A binary operator with incompatible types was detected. Found operand types '%s' and '%s' for operator kind '%s'.", pk, litEdm(l), operatorKinds[op])
}

func (c *checker) checkCompare(e *Compare) error {
	if _, ok := e.Left.(*Literal); ok {
		switch e.Right.(type) {
		case *Property, *Count:
			e.Left, e.Right, e.Op = e.Right, e.Left, flipped[e.Op]
		}
	}
	lit, litOK := e.Right.(*Literal)
	switch left := e.Left.(type) {
	case *Count:
		coll, err := c.resolve(left.Collection)
		if err != nil {
			return err
		}
		if coll.Kind != KindCollection || !litOK || e.Op == "has" {
			return unsupportedProp(left.Pos, coll.Name, c.res.Name)
		}
		if lit.Kind != LitInt {
			return filterError(lit.Pos, "A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and '%s' for operator kind '%s'.", litEdm(lit), operatorKinds[e.Op])
		}
		return c.need(coll.Ops[OpCount], left.Pos, "$count", coll.Name)
	case *Property:
		p, err := c.resolve(left)
		if err != nil {
			return err
		}
		if !litOK || p.Kind == KindComplex || p.Kind == KindCollection {
			return unsupportedProp(left.Pos, p.Name, c.res.Name)
		}
		if !compatible(p.Kind, lit) {
			return c.typeError(p, lit, e.Op)
		}
		op := cmpOps[e.Op]
		if lit.Kind == LitNull {
			if op != OpEq && op != OpNe {
				return unsupportedProp(left.Pos, p.Name, c.res.Name)
			}
			if err := c.need(p.Ops[OpNull], e.Pos, e.Op, p.Name); err != nil {
				return err
			}
		}
		if lit.Kind != LitNull || op == OpNe {
			if err := c.need(p.Ops[op], e.Pos, e.Op, p.Name); err != nil {
				return err
			}
		}
		if p.Kind == KindBool && op >= OpLt && op <= OpGe {
			return unsupportedProp(left.Pos, p.Name, c.res.Name)
		}
		return nil
	}
	return unsupportedProp(e.Pos, leadingProperty(e), c.res.Name)
}

func (c *checker) checkIn(e *In) error {
	left, ok := e.Left.(*Property)
	if !ok {
		return unsupportedProp(e.Pos, leadingProperty(e), c.res.Name)
	}
	p, err := c.resolve(left)
	if err != nil {
		return err
	}
	if p.Kind == KindComplex || p.Kind == KindCollection {
		return unsupportedProp(left.Pos, p.Name, c.res.Name)
	}
	for _, l := range e.List {
		if !compatible(p.Kind, l) {
			return c.typeError(p, l, "in")
		}
		if l.Kind == LitNull {
			if err := c.need(p.Ops[OpNull], e.Pos, "in", p.Name); err != nil {
				return err
			}
		}
	}
	return c.need(p.Ops[OpIn], e.Pos, "in", p.Name)
}

var functionOps = map[string]Op{"startswith": OpStartsWith, "endswith": OpEndsWith, "contains": OpContains}

func (c *checker) checkCall(e *Call) error {
	op, known := functionOps[e.Name]
	if !known {
		return filterError(e.Pos, "An unknown function with name '%s' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.", e.Name)
	}
	sigErr := filterError(e.Pos, "No function signature for the function with name '%s' matches the specified arguments. The function signatures considered are: %s(Edm.String Nullable=true, Edm.String Nullable=true).", e.Name, e.Name)
	if len(e.Args) != 2 {
		return sigErr
	}
	prop, ok := e.Args[0].(*Property)
	lit, litOK := e.Args[1].(*Literal)
	if !ok || !litOK {
		return unsupportedProp(e.Pos, leadingProperty(e), c.res.Name)
	}
	p, err := c.resolve(prop)
	if err != nil {
		return err
	}
	if p.Kind != KindString || (lit.Kind != LitString && lit.Kind != LitNull) {
		if p.Kind == KindComplex || p.Kind == KindCollection {
			return unsupportedProp(prop.Pos, p.Name, c.res.Name)
		}
		return sigErr
	}
	return c.need(p.Ops[op], e.Pos, opNames[op], p.Name)
}

func (c *checker) checkLambda(e *Lambda) error {
	coll, err := c.resolve(e.Collection)
	if err != nil {
		return err
	}
	// `all` is not supported by Graph (graph-facts §0.7, §6.2); the message is
	// the generic unsupported-clause one [unc].
	if coll.Kind != KindCollection || e.All {
		return unsupportedProp(e.Pos, coll.Name, c.res.Name)
	}
	if err := c.need(coll.Ops[OpAny], e.Pos, "any", coll.Name); err != nil {
		return err
	}
	if e.Body == nil {
		return nil
	}
	c.vars = append(c.vars, lambdaVar{name: e.Var, elem: coll.Elem})
	defer func() { c.vars = c.vars[:len(c.vars)-1] }()
	return c.check(e.Body)
}
