package odata

import (
	"strconv"

	"github.com/tidwall/gjson"
)

// Record is how the evaluator reads an object. Property returns the value of a
// canonical Graph property name (as spelled in the Resource tables) and whether it
// is present. Values are string, bool, int64, float64, time.Time, nil, []string,
// []Record, Record (map[string]any and []any are accepted too). Date-times and
// GUIDs may also be given as strings; the evaluator converts them by the
// property's type.
type Record interface {
	Property(name string) (any, bool)
}

// Map is a Record over a Go map; nested map[string]any values are read as Map.
type Map map[string]any

// Property implements Record.
func (m Map) Property(name string) (any, bool) {
	v, ok := m[name]
	return v, ok
}

// JSONRecord returns a gjson-backed Record over a JSON object. Nested objects are
// Records, arrays of strings []string, other arrays []Record or []any, integral
// numbers int64, other numbers float64.
func JSONRecord(doc []byte) Record {
	return jsonRecord{gjson.ParseBytes(doc)}
}

type jsonRecord struct{ r gjson.Result }

func (j jsonRecord) Property(name string) (any, bool) {
	v := j.r.Get(gjson.Escape(name))
	if !v.Exists() {
		return nil, false
	}
	return jsonValue(v), true
}

func jsonValue(v gjson.Result) any {
	switch v.Type {
	case gjson.String:
		return v.Str
	case gjson.True:
		return true
	case gjson.False:
		return false
	case gjson.Number:
		if n, err := strconv.ParseInt(v.Raw, 10, 64); err == nil {
			return n
		}
		return v.Num
	case gjson.JSON:
		if v.IsObject() {
			return jsonRecord{v}
		}
		arr := v.Array()
		strs := make([]string, 0, len(arr))
		for _, e := range arr {
			if e.Type != gjson.String {
				strs = nil
				break
			}
			strs = append(strs, e.Str)
		}
		if strs != nil {
			return strs
		}
		recs := make([]Record, 0, len(arr))
		for _, e := range arr {
			if !e.IsObject() {
				recs = nil
				break
			}
			recs = append(recs, jsonRecord{e})
		}
		if recs != nil {
			return recs
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = jsonValue(e)
		}
		return out
	}
	return nil
}

// asRecord reads nested values as Records.
func asRecord(v any) (Record, bool) {
	switch v := v.(type) {
	case Record:
		return v, true
	case map[string]any:
		return Map(v), true
	}
	return nil, false
}
