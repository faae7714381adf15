package membershiprule

import (
	"fmt"
	"strconv"
)

// ErrorPrefix starts every validation error message, as Graph words it when it rejects a
// membershipRule on create or PATCH of a group (graph-facts.md §3.4, [obs]).
const ErrorPrefix = "Dynamic membership rule validation error: "

// MaxRuleLength is the maximum number of characters (Unicode code points) in a rule body.
// Source: groups-dynamic-membership.md (2024-12) says 3,072 characters; older versions of the
// same page said 2,048 (graph-facts.md §7.1).
const MaxRuleLength = 3072

// Error is a rule validation error. Pos is the 0-based offset, in characters (Unicode code
// points), of the place in the rule where the problem was found; Message says what is wrong.
// Error() reads "Dynamic membership rule validation error: <Message> at position <Pos>".
type Error struct {
	Pos     int
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return ErrorPrefix + e.Message + " at position " + strconv.Itoa(e.Pos)
}

func errorf(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Message: fmt.Sprintf(format, args...)}
}

// Messages. The ones Graph is seen to return are reproduced verbatim (graph-facts.md §3.4):
// "Wrong property applied." and "Invalid operands found for operator -all". The others are
// graphmock's own wording, unverified against the real service.
const (
	msgWrongProperty   = "Wrong property applied."
	msgInvalidOperands = "Invalid operands found for operator %s"
)

func errInvalidOperands(pos int, op string) *Error {
	return errorf(pos, msgInvalidOperands, op)
}

func errWrongProperty(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Message: msgWrongProperty + " " + fmt.Sprintf(format, args...)}
}

// at returns e moved to position pos.
func (e *Error) at(pos int) *Error {
	e.Pos = pos
	return e
}
