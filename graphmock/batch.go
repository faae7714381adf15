package graphmock

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/graphmock/graphmock/engine"
)

// maxBatchRequests is the most requests one $batch may carry (graph-facts §2.8).
const maxBatchRequests = 20

// Refusals of a $batch envelope: 400 BadRequest for the whole batch (graph-facts §2.8).
var (
	// Graph's answer to an unreadable envelope and to absolute item URLs [obs].
	errBatchFormat = newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, "Invalid batch payload format.")
	// Graph's answer to a batch mixing dependsOn chains and independent requests [obs].
	errBatchMixed = newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, "Batch should be either fully sequential or fully parallel.")
	// More than 20 requests: Graph's exact text is not documented [unc].
	errBatchTooMany = newHTTPError(http.StatusBadRequest, engine.CodeBadRequest,
		"The batch request contains more than the maximum of 20 requests.")
	// An item whose dependency failed: 424 Failed Dependency (graph-facts §2.8); the envelope's
	// code and message are not documented [unc].
	errFailedDependency = newHTTPError(http.StatusFailedDependency, "FailedDependency",
		"The request was not run because a request it depends on failed.")
)

// errBatchDuplicateID refuses two items with the same id, compared case-insensitively [obs].
func errBatchDuplicateID(id string) *httpError {
	return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, "Request Id "+id+" has to be unique in a batch.")
}

// errBatchNoContentType refuses an item with a body but no Content-Type header, or a write
// (POST, PUT, PATCH) without a body [obs: "Write request id : {id} does not contain Content-Type header or body."].
func errBatchNoContentType(id string) *httpError {
	return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest,
		"Write request id : "+id+" does not contain Content-Type header or body.")
}

// errBatchDependency refuses a dependsOn naming an id that is unknown or not earlier in the
// batch [obs prefix "Invalid dependency for request Id"; the rest of the text is unc].
func errBatchDependency(id string) *httpError {
	return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, "Invalid dependency for request Id "+id+".")
}

// batchRequest is one item of a $batch envelope.
type batchRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`

	body        []byte // decoded body (JSON as sent, or base64-decoded bytes)
	contentType string
	hasBody     bool
	deps        []int // indexes of the items this one depends on
}

// batchResponse is one item of the $batch response: {"id","status","headers","body"}.
type batchResponse struct {
	ID      string
	Status  int
	Headers map[string]string
	raw     []byte // the item's response body
	rawJSON bool   // raw is JSON (embedded as is) rather than bytes to base64-encode
}

// batch serves POST /$batch (graph-facts §2.8): up to 20 requests with relative URLs, run through
// the same middleware and router as direct calls (fault rules, throttling, replication lag,
// query options, ConsistencyLevel from each item's headers, one request-id per item).
//
// The answer is 200 {"responses":[{"id","status","headers","body"}]} once the envelope is valid;
// items appear in request order. A body is embedded as JSON when the item's response is JSON,
// else as a base64 string. The envelope is refused with 400 BadRequest for: unreadable JSON or
// items without id, method or url, or with absolute URLs or a nested $batch ("Invalid batch
// payload format."); more than 20 items; duplicate ids ("Request Id {id} has to be unique in a
// batch."); a body without Content-Type or a write without body ("Write request id : {id} does
// not contain Content-Type header or body."); a dependsOn naming an unknown or later id
// ("Invalid dependency for request Id {id}."); a mixed batch ("Batch should be either fully
// sequential or fully parallel.").
//
// Sequential and parallel batches: a batch is parallel when no item has dependsOn, sequential
// when the first item has none and every later item's dependsOn includes the item just before
// it (it may name earlier ones too). Anything else — an independent item after a chain has
// started, or a fan-out where two items depend on the same one — is the mixed batch Graph refuses.
// graphmock runs parallel items one after another in request order (Graph may run them
// concurrently, in any order): this keeps throttling and fault counts deterministic. An item
// whose dependency did not succeed (status ≥ 400, including 424) is not run and answers
// 424 Failed Dependency. Items are not atomic: earlier successes stay applied.
func (s *Server) batch(w http.ResponseWriter, r *http.Request) error {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errBodyTooLarge
		}
		return errBatchFormat
	}
	if r.Header.Get("Content-Type") != "" {
		// A batch labelled other than JSON is refused like an action's body (checkJSONContentType).
		if err := checkJSONContentType(r); err != nil {
			return err
		}
	}
	items, err := parseBatch(raw)
	if err != nil {
		return err
	}
	version := apiVersion(r)
	out := make([]batchResponse, len(items))
	for i := range items {
		failedDep := false
		for _, d := range items[i].deps {
			failedDep = failedDep || out[d].Status >= 400
		}
		out[i] = s.runBatchItem(r, version, &items[i], failedDep)
	}
	b := encodeBatchResponses(out)
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("OData-Version", "4.0")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

// encodeBatchResponses writes {"responses":[…]} directly: item bodies are already compact JSON
// (written by graphmock's own encoder), so they are copied, not re-parsed.
func encodeBatchResponses(resps []batchResponse) []byte {
	size := 16
	for i := range resps {
		size += 96 + len(resps[i].raw) + 64*len(resps[i].Headers)
	}
	buf := make([]byte, 0, size)
	buf = append(buf, `{"responses":[`...)
	for i := range resps {
		r := &resps[i]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"id":`...)
		buf = appendJSONString(buf, r.ID)
		buf = append(buf, `,"status":`...)
		buf = strconv.AppendInt(buf, int64(r.Status), 10)
		if len(r.Headers) > 0 {
			keys := make([]string, 0, len(r.Headers))
			for k := range r.Headers {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			buf = append(buf, `,"headers":{`...)
			for j, k := range keys {
				if j > 0 {
					buf = append(buf, ',')
				}
				buf = appendJSONString(buf, k)
				buf = append(buf, ':')
				buf = appendJSONString(buf, r.Headers[k])
			}
			buf = append(buf, '}')
		}
		switch {
		case r.rawJSON:
			buf = append(buf, `,"body":`...)
			buf = append(buf, r.raw...)
		case len(r.raw) > 0:
			buf = append(buf, `,"body":"`...)
			buf = base64.StdEncoding.AppendEncode(buf, r.raw)
			buf = append(buf, '"')
		}
		buf = append(buf, '}')
	}
	return append(buf, "]}"...)
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	if !utf8.ValidString(s) {
		b, _ := json.Marshal(s) // replaces invalid bytes with U+FFFD
		return append(buf, b...)
	}
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}

// parseBatch reads and validates a $batch envelope.
func parseBatch(raw []byte) ([]batchRequest, error) {
	var env struct {
		Requests []json.RawMessage `json:"requests"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&env); err != nil || env.Requests == nil {
		return nil, errBatchFormat
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errBatchFormat
	}
	if len(env.Requests) == 0 {
		return nil, errBatchFormat // Graph's answer to an empty batch is not documented [unc]
	}
	if len(env.Requests) > maxBatchRequests {
		return nil, errBatchTooMany
	}
	items := make([]batchRequest, len(env.Requests))
	index := map[string]int{}
	for i, rm := range env.Requests {
		it := &items[i]
		if err := json.Unmarshal(rm, it); err != nil {
			return nil, errBatchFormat
		}
		if it.ID == "" || it.Method == "" || it.URL == "" {
			return nil, errBatchFormat
		}
		key := strings.ToLower(it.ID)
		if _, dup := index[key]; dup {
			return nil, errBatchDuplicateID(it.ID)
		}
		index[key] = i
		it.Method = strings.ToUpper(it.Method)
		if !relativeURL(it.URL) {
			return nil, errBatchFormat
		}
		for k, v := range it.Headers {
			if strings.EqualFold(k, "Content-Type") {
				it.contentType = v
			}
		}
		it.hasBody = len(it.Body) > 0 && !isNull(it.Body)
		if (it.hasBody && it.contentType == "") || (!it.hasBody && (it.Method == http.MethodPost || it.Method == http.MethodPut || it.Method == http.MethodPatch)) {
			return nil, errBatchNoContentType(it.ID)
		}
		if it.hasBody {
			b, err := itemBody(it.Body)
			if err != nil {
				return nil, errBatchFormat
			}
			it.body = b
		}
	}
	sequential := false
	for i := range items {
		it := &items[i]
		for _, d := range it.DependsOn {
			j, ok := index[strings.ToLower(d)]
			if !ok || j >= i {
				return nil, errBatchDependency(it.ID)
			}
			it.deps = append(it.deps, j)
		}
		if len(it.deps) > 0 {
			sequential = true
		}
	}
	if sequential {
		for i := range items {
			if !dependsOnPrevious(items, i) {
				return nil, errBatchMixed
			}
		}
	}
	return items, nil
}

// dependsOnPrevious reports whether item i fits a sequential batch: the first item depends on
// nothing, every later one on (at least) the item just before it.
func dependsOnPrevious(items []batchRequest, i int) bool {
	if i == 0 {
		return len(items[0].deps) == 0
	}
	for _, d := range items[i].deps {
		if d == i-1 {
			return true
		}
	}
	return false
}

// relativeURL accepts "/users/…" and "users/…"; refuses absolute URLs ("https://…", "//host/…")
// and a nested $batch.
func relativeURL(u string) bool {
	if strings.HasPrefix(u, "//") || strings.Contains(strings.SplitN(u, "?", 2)[0], "://") {
		return false
	}
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "" || pu.Host != "" {
		return false
	}
	p := strings.ToLower(strings.Trim(pu.Path, "/"))
	return p != "$batch"
}

// itemBody decodes an item body: a JSON object or array is sent as is; a JSON string is base64
// (standard or URL alphabet, padded or not) as Graph allows for non-JSON bodies (graph-facts §2.8).
func itemBody(raw json.RawMessage) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return raw, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errBatchFormat
}

// runBatchItem serves one item through the server's full handler into a recorder (or, when its
// dependency failed, answers 424 through the same conventions) and shapes the response item.
func (s *Server) runBatchItem(outer *http.Request, version string, it *batchRequest, failedDep bool) batchResponse {
	u := it.URL
	if !strings.HasPrefix(u, "/") {
		u = "/" + u
	}
	var body io.Reader = http.NoBody
	if it.hasBody {
		body = bytes.NewReader(it.body)
	}
	req, err := http.NewRequestWithContext(outer.Context(), it.Method, "/"+version+u, body)
	if err != nil {
		// The URL passed relativeURL, so only odd bytes can fail here: answer the item alone.
		rec := newItemRecorder()
		s.withConventions(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.writeError(w, r, errBatchFormat)
		})).ServeHTTP(rec, outer)
		return rec.response(it.ID)
	}
	req.Host, req.RemoteAddr, req.TLS = outer.Host, outer.RemoteAddr, outer.TLS
	for k, v := range it.Headers {
		req.Header.Set(k, v)
	}
	if auth := outer.Header.Get("Authorization"); auth != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", auth)
	}
	rec := newItemRecorder()
	if failedDep {
		s.withConventions(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.writeError(w, r, errFailedDependency)
		})).ServeHTTP(rec, req)
	} else {
		s.handler.ServeHTTP(rec, req)
	}
	return rec.response(it.ID)
}

// itemRecorder captures one item's response.
type itemRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newItemRecorder() *itemRecorder { return &itemRecorder{header: http.Header{}} }

func (rec *itemRecorder) Header() http.Header { return rec.header }

func (rec *itemRecorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
}

func (rec *itemRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}

// batchSkipHeaders are response headers that describe the transport, not the item.
var batchSkipHeaders = map[string]bool{"Content-Length": true, "Strict-Transport-Security": true}

// graphHeaderName spells a canonicalised header name the way Graph's batch responses do
// ("OData-Version", "x-ms-resource-unit", "request-id"; graph-facts §2.8, §9).
func graphHeaderName(k string) string {
	switch lk := strings.ToLower(k); {
	case lk == "odata-version":
		return "OData-Version"
	case lk == "request-id", lk == "client-request-id", strings.HasPrefix(lk, "x-ms-"):
		return lk
	}
	return k
}

// response shapes the recorded response as a $batch response item: headers flattened to
// strings, a JSON body embedded, any other body base64-encoded (graph-facts §2.8).
func (rec *itemRecorder) response(id string) batchResponse {
	st := rec.status
	if st == 0 {
		st = http.StatusOK
	}
	resp := batchResponse{ID: id, Status: st}
	if len(rec.header) > 0 {
		resp.Headers = make(map[string]string, len(rec.header))
		for k, vs := range rec.header {
			if batchSkipHeaders[k] || len(vs) == 0 {
				continue
			}
			resp.Headers[graphHeaderName(k)] = strings.Join(vs, ", ")
		}
	}
	if b := rec.body.Bytes(); len(b) > 0 {
		ct := strings.ToLower(rec.header.Get("Content-Type"))
		resp.raw = b
		resp.rawJSON = strings.HasPrefix(ct, "application/json") && json.Valid(b)
	}
	return resp
}
