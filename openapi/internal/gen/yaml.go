package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
)

// writeYAML writes v (plain JSON values: maps, slices, strings, json.Number, bools, nil) as
// block-style YAML. Map keys are sorted, except that the top level follows topOrder first.
// Every string value is written as a JSON string, which YAML reads as a double-quoted scalar.
func writeYAML(buf *bytes.Buffer, v map[string]any, topOrder []string) {
	keys := sortedKeys(v)
	rank := map[string]int{}
	for i, k := range topOrder {
		rank[k] = i - len(topOrder)
	}
	sort.SliceStable(keys, func(i, j int) bool { return rank[keys[i]] < rank[keys[j]] })
	writeMap(buf, v, keys, 0, false)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeMap writes m's entries at indent; with inline the first entry continues the current line.
func writeMap(buf *bytes.Buffer, m map[string]any, keys []string, indent int, inline bool) {
	for i, k := range keys {
		if i > 0 || !inline {
			buf.WriteString(strings.Repeat(" ", indent))
		}
		buf.WriteString(yamlKey(k))
		buf.WriteByte(':')
		writeNested(buf, m[k], indent)
	}
}

// writeNested writes the value of a map entry or list item whose line is already open.
func writeNested(buf *bytes.Buffer, v any, indent int) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			buf.WriteString(" {}\n")
			return
		}
		buf.WriteByte('\n')
		writeMap(buf, t, sortedKeys(t), indent+2, false)
	case []any:
		if len(t) == 0 {
			buf.WriteString(" []\n")
			return
		}
		buf.WriteByte('\n')
		writeList(buf, t, indent+2)
	default:
		buf.WriteByte(' ')
		buf.WriteString(scalar(v))
		buf.WriteByte('\n')
	}
}

func writeList(buf *bytes.Buffer, l []any, indent int) {
	for _, e := range l {
		buf.WriteString(strings.Repeat(" ", indent))
		buf.WriteByte('-')
		if m, ok := e.(map[string]any); ok && len(m) > 0 {
			buf.WriteByte(' ')
			writeMap(buf, m, sortedKeys(m), indent+2, true)
			continue
		}
		writeNested(buf, e, indent)
	}
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]*$`)

func yamlKey(k string) string {
	switch strings.ToLower(k) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~":
		return jsonString(k)
	}
	if plainKey.MatchString(k) {
		return k
	}
	return jsonString(k)
}

func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return jsonString(t)
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "true"
		}
		return "false"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
