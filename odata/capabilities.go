package odata

import "strings"

// Level says how a query feature is available on a property or resource.
type Level uint8

// Levels of support (graph-facts §6.1).
const (
	// Unsupported: refused with 400 Request_UnsupportedQuery.
	Unsupported Level = iota
	// Default: works without advanced query parameters.
	Default
	// Advanced: needs ConsistencyLevel: eventual and $count=true.
	Advanced
)

// Op is a $filter operator as the capability table sees it.
type Op uint8

// Filter operators. OpNull is `eq null` / `ne null`; OpAny the `any` lambda on a
// collection; OpCount a `/$count` comparison on a collection.
const (
	OpEq Op = iota
	OpNe
	OpIn
	OpLt
	OpGt
	OpLe
	OpGe
	OpStartsWith
	OpEndsWith
	OpContains
	OpNull
	OpAny
	OpCount
	OpHas
	numOps
)

// opNames are the names used in Graph's messages ("Operator 'endsWith' is not
// supported …", graph-facts §3.2) and in the table DSL below.
var opNames = [numOps]string{"eq", "ne", "in", "lt", "gt", "le", "ge", "startsWith", "endsWith", "contains", "null", "any", "$count", "has"}

func (o Op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return "?"
}

// Kind is the EDM type of a property.
type Kind uint8

// Property kinds.
const (
	KindString Kind = iota
	KindBool
	KindInt
	KindDateTime
	KindGUID
	KindComplex
	KindCollection
)

// edmNames are used in type-mismatch messages.
var edmNames = map[Kind]string{KindString: "Edm.String", KindBool: "Edm.Boolean", KindInt: "Edm.Int32", KindDateTime: "Edm.DateTimeOffset", KindGUID: "Edm.Guid"}

// SearchMode says how $search matches a property (graph-facts §6.4).
type SearchMode uint8

// Search modes.
const (
	NoSearch SearchMode = iota
	// SearchPrefix matches when the value starts with the term.
	SearchPrefix
	// SearchTokenized matches when a word of the value starts with each word of
	// the term (displayName and description).
	SearchTokenized
)

// Prop describes one property: its type, the filter operators it supports and at
// which level, whether it can be ordered, searched and selected. Collections have
// Elem (the element: primitive with its own operators, or complex); complex types
// have Props keyed by lower-case name.
type Prop struct {
	Name     string
	Kind     Kind
	Type     string // OData type of complex values, e.g. microsoft.graph.assignedLicense
	Elem     *Prop
	Props    map[string]*Prop
	Ops      [numOps]Level
	Order    Level
	Search   SearchMode
	NoSelect bool // Graph never returns it (e.g. group hasMembersWithLicenseErrors)
	// NotModelled, when set, is the OData type (e.g. microsoft.graph.user) of which this is a
	// Graph property graphmock does not keep: naming it in $select, $filter, $orderby or $search
	// answers 501 NotImplemented (NotModelledError) rather than a made-up or missing value.
	NotModelled string
}

// Option is a query option a resource may support.
type Option uint16

// Query options.
const (
	OptFilter Option = 1 << iota
	OptSelect
	OptOrderBy
	OptTop
	OptSkipToken
	OptCount
	OptSearch
	OptExpand
)

// Resource is the capability table of one Graph resource: its properties and
// which query options it supports. Directory resources follow the
// advanced-query rules of graph-facts §6.1.
type Resource struct {
	// Name is how Graph names the resource in messages: User, Group, ….
	Name string
	// Type is the OData type, e.g. microsoft.graph.user.
	Type string
	// Directory marks directory objects: advanced-query rules apply.
	Directory bool
	Options   Option
	// Not is the level of the `not` operator.
	Not Level
	// FilterOrderBy is the level of $filter and $orderby in one query.
	FilterOrderBy Level
	// MaxTop is the largest $top (999 everywhere graphmock serves).
	MaxTop int
	Props  map[string]*Prop
	// Expand maps lower-case navigation names to canonical ones.
	Expand map[string]string
}

// Has reports whether the resource supports the option.
func (r *Resource) Has(o Option) bool { return r.Options&o != 0 }

// Property returns the property with the given name (case-insensitive).
func (r *Resource) Property(name string) (*Prop, bool) {
	p, ok := r.Props[strings.ToLower(name)]
	return p, ok
}

// --- table DSL ---

// with sets operator levels from space-separated operator names ("eq in
// startsWith"): def lists those available by default, adv those only available
// in advanced queries.
func (p *Prop) with(def, adv string) *Prop {
	for _, set := range []struct {
		list string
		l    Level
	}{{def, Default}, {adv, Advanced}} {
		for _, name := range strings.Fields(set.list) {
			for o := Op(0); o < numOps; o++ {
				if strings.EqualFold(opNames[o], name) || (o == OpCount && name == "count") {
					p.Ops[o] = set.l
				}
			}
		}
	}
	return p
}

func (p *Prop) order(l Level) *Prop       { p.Order = l; return p }
func (p *Prop) search(m SearchMode) *Prop { p.Search = m; return p }
func (p *Prop) noSelect() *Prop           { p.NoSelect = true; return p }

// notModelled marks props as Graph properties of typ that graphmock does not keep. They are
// declared without operators: whatever Graph supports on them, graphmock answers 501.
func notModelled(typ string, props ...*Prop) []*Prop {
	for _, p := range props {
		p.NotModelled = typ
	}
	return props
}

func prim(k Kind, name, def, adv string) *Prop {
	return (&Prop{Name: name, Kind: k}).with(def, adv)
}

func str(name, def, adv string) *Prop     { return prim(KindString, name, def, adv) }
func boolean(name, def, adv string) *Prop { return prim(KindBool, name, def, adv) }
func dt(name, def, adv string) *Prop      { return prim(KindDateTime, name, def, adv) }
func guid(name, def, adv string) *Prop    { return prim(KindGUID, name, def, adv) }
func integer(name, def, adv string) *Prop {
	return prim(KindInt, name, def, adv)
}

func complexOf(name, typ string, children ...*Prop) *Prop {
	p := &Prop{Name: name, Kind: KindComplex, Type: typ, Props: map[string]*Prop{}}
	for _, c := range children {
		p.Props[strings.ToLower(c.Name)] = c
	}
	return p
}

// collOf is a collection; elem is its element (its Name is replaced by the
// collection's); def/adv list the collection's own operators (any, count).
func collOf(name string, elem *Prop, def, adv string) *Prop {
	elem.Name = name
	return (&Prop{Name: name, Kind: KindCollection, Elem: elem}).with(def, adv)
}

func newResource(name, typ string, directory bool, opts Option, expand []string, props ...*Prop) *Resource {
	r := &Resource{Name: name, Type: typ, Directory: directory, Options: opts, MaxTop: 999,
		Props: map[string]*Prop{}, Expand: map[string]string{}}
	r.Not, r.FilterOrderBy = Default, Default
	if directory {
		r.Not, r.FilterOrderBy = Advanced, Advanced
	}
	for _, p := range props {
		derive(p, directory)
		r.Props[strings.ToLower(p.Name)] = p
	}
	for _, e := range expand {
		r.Expand[strings.ToLower(e)] = e
	}
	return r
}

// derive fills operators implied by others (graph-facts §6.1): `in` works wherever
// `eq` does; on directory objects `ne` and `eq null` need advanced queries on every
// property that supports `eq`.
func derive(p *Prop, directory bool) {
	if p == nil {
		return
	}
	eq := p.Ops[OpEq]
	if eq != Unsupported {
		if p.Ops[OpIn] == Unsupported {
			p.Ops[OpIn] = eq
		}
		if directory {
			if p.Ops[OpNe] == Unsupported {
				p.Ops[OpNe] = Advanced
			}
			if p.Ops[OpNull] == Unsupported {
				p.Ops[OpNull] = Advanced
			}
		} else if p.Ops[OpNull] == Unsupported {
			p.Ops[OpNull] = eq
		}
	}
	derive(p.Elem, directory)
	for _, c := range p.Props {
		derive(c, directory)
	}
}

// allAdvanced copies a property tree with every supported operator and ordering
// moved to Advanced (relationship lists, graph-facts §6.1).
func allAdvanced(p *Prop) *Prop {
	if p == nil {
		return nil
	}
	c := *p
	for i, l := range c.Ops {
		if l != Unsupported {
			c.Ops[i] = Advanced
		}
	}
	if c.Order != Unsupported {
		c.Order = Advanced
	}
	c.Elem = allAdvanced(p.Elem)
	if p.Props != nil {
		c.Props = make(map[string]*Prop, len(p.Props))
		for k, v := range p.Props {
			c.Props[k] = allAdvanced(v)
		}
	}
	return &c
}

// clone copies a resource so variants (deleted items) can adjust a few entries.
func (r *Resource) clone() *Resource {
	c := *r
	c.Props = make(map[string]*Prop, len(r.Props))
	for k, v := range r.Props {
		cp := *v
		c.Props[k] = &cp
	}
	c.Expand = make(map[string]string, len(r.Expand))
	for k, v := range r.Expand {
		c.Expand[k] = v
	}
	return &c
}
