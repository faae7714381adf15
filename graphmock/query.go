package graphmock

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/graphmock/graphmock/engine"
)

// listQuery holds the query options of a collection request.
type listQuery struct {
	values url.Values
	sel    []string
	top    int
	offset int
}

// defaultPageSize is the page size of directory collections without $top (graph-facts §6.4).
const defaultPageSize = 100

// parseListQuery reads $select, $top and $skiptoken, checking $select names against the entity
// type (case-insensitive, canonicalised).
func parseListQuery[T any](r *http.Request, et *entityType[T]) (*listQuery, error) {
	q := &listQuery{values: r.URL.Query(), top: defaultPageSize}
	for k, vs := range q.values {
		switch strings.ToLower(k) {
		case "$select":
			sel, err := parseSelect(vs[0], et)
			if err != nil {
				return nil, err
			}
			q.sel = sel
		case "$top":
			n, err := strconv.Atoi(vs[0])
			if err != nil || n < 1 || n > 999 {
				return nil, newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest,
					fmt.Sprintf("Invalid page size specified: '%s'. Must be between 1 and 999 inclusive.", vs[0]))
			}
			q.top = n
		case "$skiptoken":
			off, err := decodeSkipToken(vs[0])
			if err != nil {
				return nil, err
			}
			q.offset = off
		}
	}
	return q, nil
}

func parseSelect[T any](v string, et *entityType[T]) ([]string, error) {
	var out []string
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		p, ok := et.lookup(name)
		if !ok {
			return nil, newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest,
				fmt.Sprintf("Could not find a property named '%s' on type '%s'.", name, et.odataType))
		}
		out = append(out, p.name)
	}
	return out, nil
}

func encodeSkipToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

func decodeSkipToken(tok string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil && strings.HasPrefix(string(b), "o:") {
		if n, err := strconv.Atoi(string(b[2:])); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest, "Invalid skip token.")
}

// page returns the items of the current page and the next page's $skiptoken ("" on the last page).
func page[T any](q *listQuery, items []T) ([]T, string) {
	if q.offset >= len(items) {
		return nil, ""
	}
	end := q.offset + q.top
	if end >= len(items) {
		return items[q.offset:], ""
	}
	return items[q.offset:end], encodeSkipToken(end)
}

// nextLink builds @odata.nextLink: the request URL with every option kept and $skiptoken replaced.
func nextLink(r *http.Request, q *listQuery, token string) string {
	v := url.Values{}
	for k, vs := range q.values {
		if strings.EqualFold(k, "$skiptoken") {
			continue
		}
		v[k] = vs
	}
	v.Set("$skiptoken", token)
	orig, _ := r.Context().Value(ctxOriginalPath).(string)
	return baseURL(r) + orig + "?" + v.Encode()
}

// writeCollection writes {"@odata.context", "value", "@odata.nextLink"?}.
func writeCollection(w http.ResponseWriter, r *http.Request, ctx string, values []object, q *listQuery, next string) {
	if values == nil {
		values = []object{}
	}
	body := object{{"@odata.context", ctx}}
	if next != "" {
		body = append(body, field{"@odata.nextLink", nextLink(r, q, next)})
	}
	body = append(body, field{"value", values})
	writeJSON(w, http.StatusOK, body)
}

// requireEventual checks the ConsistencyLevel header a /$count segment needs (graph-facts §2.9).
func requireEventual(r *http.Request) error {
	if !strings.EqualFold(r.Header.Get("ConsistencyLevel"), "eventual") {
		return newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest, "$count is not currently supported.")
	}
	return nil
}
