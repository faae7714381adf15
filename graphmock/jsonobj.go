package graphmock

import (
	"bytes"
	"encoding/json"
)

// field is one member of an ordered JSON object.
type field struct {
	key   string
	value any
}

// object is a JSON object that keeps its members in insertion order, so responses read like
// Graph's (@odata.context first, then properties in the documented order).
type object []field

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(f.key)
		buf.Write(k)
		buf.WriteByte(':')
		if err := enc.Encode(f.value); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// get returns the value of key, if present.
func (o object) get(key string) (any, bool) {
	for _, f := range o {
		if f.key == key {
			return f.value, true
		}
	}
	return nil, false
}

// nullable returns nil for "" so empty strings are written as null, as Graph writes unset properties.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// list returns s, or an empty (non-null) array when s is nil: Graph's collection properties are never null.
func list(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
