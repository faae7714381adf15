package engine

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// strIndex indexes a string field the way memdb.StringFieldIndex does (a NUL-terminated key,
// lower-cased when lower is set, no entry for an empty value) without reflection and with one
// allocation per key: user and license rows are indexed on every write.
type strIndex struct {
	get   func(obj any) (string, bool) // the field's value; false when obj is of another type
	lower bool
}

func (x strIndex) FromObject(obj any) (bool, []byte, error) {
	v, ok := x.get(obj)
	if !ok {
		return false, nil, fmt.Errorf("index: unexpected object %T", obj)
	}
	if v == "" {
		return false, nil, nil
	}
	return true, appendKey(nil, v, x.lower, true), nil
}

func (x strIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("must provide only a single argument")
	}
	arg, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("argument must be a string: %#v", args[0])
	}
	return appendKey(nil, arg, x.lower, true), nil
}

func (x strIndex) PrefixFromArgs(args ...any) ([]byte, error) {
	val, err := x.FromArgs(args...)
	if err != nil {
		return nil, err
	}
	return val[:len(val)-1], nil
}

// strsIndex indexes several string fields as memdb.CompoundIndex of StringFieldIndexes does
// (each value NUL-terminated; no entry when one is empty), with one allocation per key.
type strsIndex struct {
	get []func(obj any) (string, bool)
}

func (x strsIndex) FromObject(obj any) (bool, []byte, error) {
	var vals [4]string
	n := 0
	for i, get := range x.get {
		v, ok := get(obj)
		if !ok {
			return false, nil, fmt.Errorf("index: unexpected object %T", obj)
		}
		if v == "" {
			return false, nil, nil
		}
		if i < len(vals) {
			vals[i] = v
		}
		n += len(v) + 1
	}
	b := make([]byte, 0, n)
	for i, get := range x.get {
		v := ""
		if i < len(vals) {
			v = vals[i]
		} else {
			v, _ = get(obj)
		}
		b = append(append(b, v...), 0)
	}
	return true, b, nil
}

func (x strsIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != len(x.get) {
		return nil, fmt.Errorf("non-equivalent argument count and index fields")
	}
	return x.key(args, false)
}

// PrefixFromArgs takes leading fields whole and the last one given as a prefix.
func (x strsIndex) PrefixFromArgs(args ...any) ([]byte, error) {
	if len(args) > len(x.get) {
		return nil, fmt.Errorf("more arguments than index fields")
	}
	return x.key(args, true)
}

func (x strsIndex) key(args []any, prefix bool) ([]byte, error) {
	var b []byte
	for i, a := range args {
		s, ok := a.(string)
		if !ok {
			return nil, fmt.Errorf("sub-index %d error: argument must be a string: %#v", i, a)
		}
		b = appendKey(b, s, false, !prefix || i+1 < len(args))
	}
	return b, nil
}

// appendKey appends s (lower-cased as strings.ToLower does when lower is set) and, when term is
// set, a NUL terminator.
func appendKey(b []byte, s string, lower, term bool) []byte {
	if lower {
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				s = strings.ToLower(s)
				lower = false
				break
			}
		}
	}
	if b == nil {
		n := len(s)
		if term {
			n++
		}
		b = make([]byte, 0, n)
	}
	if lower {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	} else {
		b = append(b, s...)
	}
	if term {
		b = append(b, 0)
	}
	return b
}
