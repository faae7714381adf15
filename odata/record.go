package odata

import (
	"reflect"
	"strconv"
	"time"

	"github.com/tidwall/gjson"
)

// Record is how the evaluator reads an object. Property returns the value of a
// canonical Graph property name (as spelled in the Resource tables) and whether it
// is present. Values are string, bool, int64, float64, time.Time, nil, []string,
// []Record, Record (map[string]any and []any are accepted too). Date-times and
// GUIDs may also be given as strings; the evaluator converts them by the
// property's type. Other shapes are read through reflection: pointers (nil is
// null), named string, bool and number types, and typed slices of any of these
// or of Records.
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

// normalize maps the values a store may hand out onto the evaluator's types:
// pointers (nil → null), named string/bool/number types, int kinds → int64,
// typed slices → []any of normalised elements. Common types pass unchanged.
func normalize(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int64, float64, time.Time, []string, []Record, []any, []map[string]any, map[string]any:
		return v
	case int:
		return int64(x)
	case Record:
		return v
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = normalize(rv.Index(i).Interface())
		}
		return out
	}
	if rv.CanInterface() {
		switch x := rv.Interface().(type) {
		case time.Time:
			return x
		case Record:
			return x
		case map[string]any:
			return x
		}
	}
	return v
}
