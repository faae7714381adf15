package openapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// batchOperation names POST /$batch, which no Graph OpenAPI description contains.
var batchOperation = Operation{Method: "POST", Path: "/$batch"}

// maxBatchRequests is Graph's limit of requests in one JSON batch (graph-facts §2.8).
const maxBatchRequests = 20

type batchRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

type batchResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// ValidateBatch checks one JSON batch exchange (POST /$batch). Graph's OpenAPI files do not
// describe $batch (QUIRKS §2), so the envelopes are checked by hand against Graph's rules
// (graph-facts §2.8), and each inner request and response goes through ValidateRequest and
// ValidateResponse with the inner method, URL and status:
//
//   - request {"requests":[{"id","method","url","headers"?,"body"?,"dependsOn"?}]}: at most 20
//     requests, ids present and unique (case-insensitive), urls relative (no /v1.0), a body
//     only with a Content-Type header, dependsOn naming other requests;
//   - response {"responses":[{"id","status","headers"?,"body"?}]} with status 200: exactly one
//     response for each request id; a JSON body given inline, other bodies base64.
//
// requestBody is what the client sent; status, header and responseBody are graphmock's answer.
// A 400 answer (a malformed batch) is validated as an error envelope. The error is nil or a
// *ValidationError naming POST /$batch, whose violations point into the request
// (/requests/i/…) or response (/responses/i/…) envelope; an inner violation's message starts
// with the inner operation.
func (v *Validator) ValidateBatch(requestBody []byte, status int, header http.Header, responseBody []byte) error {
	verr := &ValidationError{Operation: batchOperation, Response: true, Status: status}
	add := func(ptr, msg string) { verr.Violations = append(verr.Violations, Violation{ptr, msg}) }
	result := func() error {
		if len(verr.Violations) == 0 {
			return nil
		}
		return verr
	}

	var req struct {
		Requests []batchRequest `json:"requests"`
	}
	reqOK := json.Unmarshal(requestBody, &req) == nil && req.Requests != nil
	if status == http.StatusBadRequest {
		v.validateErrorEnvelope(header, responseBody, add)
		return result()
	}
	if !reqOK {
		add("status", fmt.Sprintf("status %d for a batch request that is not {\"requests\":[…]}, expected 400", status))
		return result()
	}
	if status != http.StatusOK {
		add("status", fmt.Sprintf("status %d, expected 200", status))
		return result()
	}

	byID := map[string]batchRequest{}
	index := map[string]int{}
	for i, r := range req.Requests {
		ptr := "/requests/" + strconv.Itoa(i)
		if i == maxBatchRequests {
			add("/requests", fmt.Sprintf("%d requests, Graph allows at most %d (expected a 400 answer)", len(req.Requests), maxBatchRequests))
		}
		if r.ID == "" {
			add(ptr+"/id", "id is missing")
		}
		key := strings.ToLower(r.ID)
		if _, dup := byID[key]; dup {
			add(ptr+"/id", fmt.Sprintf("id %q repeats (expected a 400 answer)", r.ID))
		}
		byID[key] = r
		index[key] = i
		if r.Method == "" {
			add(ptr+"/method", "method is missing")
		}
		if !strings.HasPrefix(r.URL, "/") || strings.HasPrefix(strings.ToLower(r.URL), "/v1.0/") {
			add(ptr+"/url", fmt.Sprintf("url %q, expected a path relative to /v1.0 starting with /", r.URL))
		}
		if len(r.Body) > 0 && headerValue(r.Headers, "Content-Type") == "" {
			add(ptr+"/headers", "a request with a body needs a Content-Type header")
		}
	}
	for i, r := range req.Requests {
		for _, d := range r.DependsOn {
			if _, ok := byID[strings.ToLower(d)]; !ok {
				add("/requests/"+strconv.Itoa(i)+"/dependsOn", fmt.Sprintf("dependsOn names %q, which is no request of the batch", d))
			}
		}
	}

	var resp struct {
		Responses *[]batchResponse `json:"responses"`
	}
	if ct := header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		add("header Content-Type", fmt.Sprintf("%q, expected application/json", ct))
	}
	if err := json.Unmarshal(responseBody, &resp); err != nil || resp.Responses == nil {
		add("/responses", "expected {\"responses\":[…]}")
		return result()
	}
	seen := map[string]bool{}
	for i, r := range *resp.Responses {
		ptr := "/responses/" + strconv.Itoa(i)
		key := strings.ToLower(r.ID)
		in, ok := byID[key]
		switch {
		case r.ID == "":
			add(ptr+"/id", "id is missing")
			continue
		case !ok:
			add(ptr+"/id", fmt.Sprintf("id %q answers no request", r.ID))
			continue
		case seen[key]:
			add(ptr+"/id", fmt.Sprintf("a second response for id %q", r.ID))
			continue
		}
		seen[key] = true
		if r.Status == 0 {
			add(ptr+"/status", "status is missing")
			continue
		}
		v.validateInner(in, "/requests/"+strconv.Itoa(index[key]), r, ptr, add)
	}
	for _, r := range req.Requests {
		if r.ID != "" && !seen[strings.ToLower(r.ID)] {
			add("/responses", fmt.Sprintf("no response for request id %q", r.ID))
		}
	}
	return result()
}

// validateInner sends one inner request and its response through the validator.
func (v *Validator) validateInner(in batchRequest, inPtr string, out batchResponse, ptr string, add func(ptr, msg string)) {
	reqHeader := http.Header{}
	for k, val := range in.Headers {
		reqHeader.Set(k, val)
	}
	reqBody := []byte(in.Body)
	if string(reqBody) == "null" {
		reqBody = nil
	}
	if err := v.ValidateRequest(in.Method, in.URL, reqHeader, reqBody); err != nil {
		reportInner(err, inPtr, add)
	}

	h := http.Header{}
	for k, val := range out.Headers {
		h.Set(k, val)
	}
	body := []byte(out.Body)
	switch {
	case len(body) == 0 || string(body) == "null":
		body = nil
	case body[0] == '"' && !strings.HasPrefix(strings.ToLower(h.Get("Content-Type")), "application/json"):
		// A body that is not JSON travels base64-encoded in a JSON string.
		var s string
		_ = json.Unmarshal(body, &s)
		dec, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			add(ptr+"/body", "a body that is not JSON must be base64-encoded")
			return
		}
		body = dec
	}
	if len(body) > 0 && h.Get("Content-Type") == "" && json.Valid(body) {
		h.Set("Content-Type", "application/json") // Graph leaves it out of inner responses at times
	}
	if out.Status == http.StatusFailedDependency { // its dependency failed; nothing ran
		return
	}
	if err := v.ValidateResponse(in.Method, in.URL, out.Status, h, body); err != nil {
		reportInner(err, ptr, add)
	}
}

func reportInner(err error, ptr string, add func(ptr, msg string)) {
	var verr *ValidationError
	if !errors.As(err, &verr) {
		add(ptr, err.Error())
		return
	}
	prefix := verr.Operation.String() + ": "
	for _, vi := range verr.Violations {
		switch {
		case vi.Pointer == "", strings.HasPrefix(vi.Pointer, "/"):
			add(ptr+"/body"+vi.Pointer, prefix+vi.Message)
		case vi.Pointer == "status":
			add(ptr+"/status", prefix+vi.Message)
		default:
			add(ptr, prefix+vi.Pointer+": "+vi.Message)
		}
	}
}

// validateErrorEnvelope checks a body against Graph's error envelope.
func (v *Validator) validateErrorEnvelope(header http.Header, body []byte, add func(ptr, msg string)) {
	ref := v.doc.Components.Schemas["microsoft.graph.ODataErrors.ODataError"]
	if ref == nil || ref.Value == nil {
		return
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		add("", "expected Graph's error envelope, got a body that is not JSON")
		return
	}
	if err := ref.Value.VisitJSON(doc, openapiResponseOptions()...); err != nil {
		flatten(err, add)
	}
	v.walk(ref.Value, doc, "", add)
}

func headerValue(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
