package conformance

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
)

// ErrorBody is Graph's error envelope:
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
type ErrorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError *struct {
			Date            string `json:"date"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
		Details []struct {
			Code    string `json:"code"`
			Target  string `json:"target"`
			Message string `json:"message"`
		} `json:"details"`
	} `json:"error"`
}

// innerErrorDate is the form of innerError.date: no fraction, no zone.
var innerErrorDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$`)

// ParseError decodes and checks an error envelope: a JSON content type, a code and a message,
// innerError with Graph's date form and the request-id of the response header.
func ParseError(header http.Header, body []byte) (*ErrorBody, error) {
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if mt != "application/json" {
		return nil, fmt.Errorf("error response Content-Type %q, expected application/json", header.Get("Content-Type"))
	}
	var e ErrorBody
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("error response is not JSON: %v", err)
	}
	switch {
	case e.Error.Code == "":
		return nil, fmt.Errorf("error response without error.code: %s", body)
	case e.Error.Message == "":
		return nil, fmt.Errorf("error response without error.message: %s", body)
	case e.Error.InnerError == nil:
		return nil, fmt.Errorf("error response without error.innerError: %s", body)
	case !innerErrorDate.MatchString(e.Error.InnerError.Date):
		return nil, fmt.Errorf("error.innerError.date %q, expected yyyy-MM-ddTHH:mm:ss", e.Error.InnerError.Date)
	case e.Error.InnerError.RequestID == "" || e.Error.InnerError.RequestID != header.Get("request-id"):
		return nil, fmt.Errorf("error.innerError.request-id %q, header request-id %q", e.Error.InnerError.RequestID, header.Get("request-id"))
	}
	return &e, nil
}

func checkErrorEnvelope(header http.Header, body []byte) error {
	_, err := ParseError(header, body)
	return err
}

func countBatchItems(body []byte) int {
	var b struct {
		Responses []json.RawMessage `json:"responses"`
	}
	if json.Unmarshal(body, &b) != nil {
		return 0
	}
	return len(b.Responses)
}
