package membershiprule

import (
	"regexp"
	"strings"
	"time"
)

// node is an expression of the AST: *orNode, *andNode, *notNode, *cmpNode or *lambdaNode.
type node interface {
	write(b *strings.Builder)
}

// orNode is terms joined by -or (flattened: no term is an *orNode).
type orNode struct{ terms []node }

// andNode is terms joined by -and (flattened: no term is an *andNode).
type andNode struct{ terms []node }

// notNode is -not x.
type notNode struct{ x node }

// targetKind says what a comparison reads.
type targetKind uint8

const (
	targetUser targetKind = iota // user.<property>
	targetItem                   // _ (an item of a string collection inside -any/-all)
	targetPlan                   // assignedPlan.<field> (an item of assignedPlans inside -any/-all)
)

// target is the left-hand side of a comparison.
type target struct {
	kind  targetKind
	prop  propInfo // targetUser
	field int      // targetPlan: index into planFields
}

func (t target) write(b *strings.Builder) {
	switch t.kind {
	case targetUser:
		b.WriteString("user.")
		b.WriteString(t.prop.name)
	case targetItem:
		b.WriteString("_")
	case targetPlan:
		b.WriteString("assignedPlan.")
		b.WriteString(planFields[t.field])
	}
}

// valKind is the type of a literal.
type valKind uint8

const (
	valNull valKind = iota + 1
	valString
	valNumber
	valBool
	valDate
	valNow // system.now, optionally shifted by an ISO 8601 duration
	valList
)

// value is the right-hand side of a comparison.
type value struct {
	kind valKind
	pos  int
	str  string    // valString: the decoded string; valNumber: the number as written
	b    bool      // valBool
	t    time.Time // valDate
	list []value   // valList: strings and numbers
	dur  isoDuration
	// shift is opPlus or opMinus when system.now is shifted by dur, else opNone.
	shift opKind
}

func (v value) write(b *strings.Builder) {
	switch v.kind {
	case valNull:
		b.WriteString("null")
	case valString:
		writeQuoted(b, v.str)
	case valNumber:
		b.WriteString(v.str)
	case valBool:
		if v.b {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case valDate:
		b.WriteString(v.t.UTC().Format(time.RFC3339Nano))
	case valNow:
		b.WriteString("system.now")
		if v.shift != opNone {
			b.WriteByte(' ')
			b.WriteString(v.shift.String())
			b.WriteByte(' ')
			b.WriteString(v.dur.text)
		}
	case valList:
		b.WriteByte('[')
		for i, x := range v.list {
			if i > 0 {
				b.WriteByte(',')
			}
			x.write(b)
		}
		b.WriteByte(']')
	}
}

// writeQuoted writes s in double quotes, escaping " and ` with a backtick and doubling '.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '`':
			b.WriteByte('`')
			b.WriteRune(r)
		case '\'':
			b.WriteString("''")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

// cmpNode is target op value.
type cmpNode struct {
	target target
	op     opKind
	val    value
	re     *regexp.Regexp // -match, -notMatch: compiled once, case-insensitive
}

// lambdaNode is user.<collection> -any|-all body.
type lambdaNode struct {
	prop propInfo
	all  bool
	body node
}

func (n *orNode) write(b *strings.Builder) {
	for i, t := range n.terms {
		if i > 0 {
			b.WriteString(" -or ")
		}
		t.write(b)
	}
}

func (n *andNode) write(b *strings.Builder) {
	for i, t := range n.terms {
		if i > 0 {
			b.WriteString(" -and ")
		}
		if _, isOr := t.(*orNode); isOr {
			b.WriteByte('(')
			t.write(b)
			b.WriteByte(')')
		} else {
			t.write(b)
		}
	}
}

func (n *notNode) write(b *strings.Builder) {
	b.WriteString("-not (")
	n.x.write(b)
	b.WriteByte(')')
}

func (n *cmpNode) write(b *strings.Builder) {
	n.target.write(b)
	b.WriteByte(' ')
	b.WriteString(n.op.String())
	b.WriteByte(' ')
	n.val.write(b)
}

func (n *lambdaNode) write(b *strings.Builder) {
	b.WriteString("user.")
	b.WriteString(n.prop.name)
	if n.all {
		b.WriteString(" -all (")
	} else {
		b.WriteString(" -any (")
	}
	n.body.write(b)
	b.WriteByte(')')
}
