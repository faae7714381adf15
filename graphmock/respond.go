package graphmock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// jsonContentType is the Content-Type Graph sends with OData JSON (graph-facts §9).
const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// writeJSON writes an OData JSON response with Graph's headers.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("OData-Version", "4.0")
	writeJSONStatus(w, status, v)
}

// writeJSONStatus writes v as JSON with status, labelled application/json unless the caller set
// a Content-Type already (Graph answers set the OData one).
func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":{"code":"generalException","message":"response encoding failed"}}`, http.StatusInternalServerError)
		return
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeNoContent writes 204 with no body.
func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// writeCount writes a /$count answer: the number as text/plain (graph-facts §2.9).
func writeCount(w http.ResponseWriter, n int) {
	b := []byte(strconv.Itoa(n))
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("OData-Version", "4.0")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// baseURL is the scheme and host the client used, e.g. "http://127.0.0.1:8080".
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// apiVersion returns "v1.0" or "beta" from the request path.
func apiVersion(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, "/")
	if len(p) >= 4 && strings.EqualFold(p[:4], "beta") {
		return "beta"
	}
	return "v1.0"
}

// contextURL builds an @odata.context value: "{base}/{version}/$metadata#{fragment}" (graph-facts §6.6).
func contextURL(r *http.Request, fragment string) string {
	return baseURL(r) + "/" + apiVersion(r) + "/$metadata#" + fragment
}

// selectFragment appends "(a,b)" to an entity-set fragment when $select is present (graph-facts §6.4).
func selectFragment(set string, sel []string) string {
	if len(sel) == 0 {
		return set
	}
	return set + "(" + strings.Join(sel, ",") + ")"
}
