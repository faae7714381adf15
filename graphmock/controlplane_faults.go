package graphmock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/graphmock/graphmock/engine"
)

// batchRoutes registers POST /$batch under each API version. JSON batching is not an operation
// of Graph's OpenAPI description, so it sits beside graphRoutes rather than in it; it is added
// after them so other methods on /$batch still answer 405.
func (s *Server) batchRoutes(r *mux.Router) {
	for _, v := range apiVersions {
		r.Methods(http.MethodPost).Path(v + "/$batch").HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if err := s.batch(w, req); err != nil {
				s.writeError(w, req, err)
			}
		})
	}
}

// errControl is a control-plane refusal: 400 BadRequest with graphmock's own message.
func errControl(msg string) *httpError {
	return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, msg)
}

// readControlBody reads a control-plane JSON body.
func readControlBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, errBodyTooLarge
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || !json.Valid(b) {
		return nil, errMalformedJSON
	}
	return b, nil
}

// faultRuleInput is a fault rule as POST /_graphmock/faults takes it; other members are refused.
type faultRuleInput struct {
	Method     string `json:"method"`
	Path       string `json:"path"`
	Status     int    `json:"status"`
	RetryAfter *int   `json:"retryAfter"`
	Code       string `json:"code"`
	Message    string `json:"message"`
	Latency    string `json:"latency"`
	Count      *int   `json:"count"`
}

func (s *Server) addFaults(w http.ResponseWriter, r *http.Request) error {
	b, err := readControlBody(r)
	if err != nil {
		return err
	}
	typeErr := func(err error) error {
		return errControl("A fault rule is {\"method\",\"path\",\"status\",\"retryAfter\",\"code\",\"message\",\"latency\",\"count\"}: " + err.Error())
	}
	var in []faultRuleInput
	if b[0] == '[' {
		err = decodeStrict(b, &in, typeErr)
	} else {
		var one faultRuleInput
		err = decodeStrict(b, &one, typeErr)
		in = []faultRuleInput{one}
	}
	if err != nil {
		return err
	}
	if len(in) == 0 {
		return errControl("Invalid fault rule: give a rule or a non-empty array of rules.")
	}
	// Validate all before adding any, so a refused request adds nothing.
	rules := make([]FaultRule, 0, len(in))
	for _, f := range in {
		rule := FaultRule{Method: f.Method, Path: f.Path, Status: f.Status, RetryAfter: f.RetryAfter,
			Code: f.Code, Message: f.Message, Latency: f.Latency}
		if f.Count != nil {
			if *f.Count <= 0 {
				return errControl("Invalid fault rule: count " + strconv.Itoa(*f.Count) + ": must be positive (omit count for every matching call).")
			}
			rule.Count = *f.Count
		}
		if err := rule.validate(); err != nil {
			return errControl("Invalid fault rule: " + err.Error() + ".")
		}
		rules = append(rules, rule)
	}
	added := make([]FaultRule, 0, len(rules))
	for _, f := range rules {
		a, err := s.faults.add(f)
		if err != nil {
			return errControl("Invalid fault rule: " + err.Error() + ".")
		}
		added = append(added, a)
	}
	writeJSONStatus(w, http.StatusCreated, object{{"value", added}})
	return nil
}

func (s *Server) listFaults(w http.ResponseWriter, _ *http.Request) error {
	writeJSONStatus(w, http.StatusOK, object{{"value", s.faults.list()}})
	return nil
}

func (s *Server) clearFaults(w http.ResponseWriter, _ *http.Request) error {
	s.faults.clear("")
	writeNoContent(w)
	return nil
}

func (s *Server) deleteFault(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["id"]
	if !s.faults.clear(id) {
		return newHTTPError(http.StatusNotFound, "NotFound", "No fault rule has id '"+id+"'.")
	}
	writeNoContent(w)
	return nil
}

// throttleWire is the control plane's view of the throttle settings.
type throttleWire struct {
	Enabled       bool                  `json:"enabled"`
	ReadUnits     int                   `json:"readUnits,omitempty"`
	ReadWindow    string                `json:"readWindow,omitempty"`
	WriteRequests int                   `json:"writeRequests,omitempty"`
	WriteWindow   string                `json:"writeWindow,omitempty"`
	Buckets       []throttleBucketState `json:"buckets"`
}

func (s *Server) writeThrottle(w http.ResponseWriter) {
	out := throttleWire{Buckets: s.throttler.state(s.clock.Now())}
	if c := s.throttler.config(); c != nil {
		out.Enabled = true
		out.ReadUnits, out.ReadWindow = c.ReadUnits, c.ReadWindow.String()
		out.WriteRequests, out.WriteWindow = c.WriteRequests, c.WriteWindow.String()
	}
	writeJSONStatus(w, http.StatusOK, out)
}

func (s *Server) getThrottle(w http.ResponseWriter, _ *http.Request) error {
	s.writeThrottle(w)
	return nil
}

// throttleInput is the body PUT /_graphmock/throttle takes; other members are refused.
type throttleInput struct {
	Enabled       *bool   `json:"enabled"`
	ReadUnits     *int    `json:"readUnits"`
	ReadWindow    *string `json:"readWindow"`
	WriteRequests *int    `json:"writeRequests"`
	WriteWindow   *string `json:"writeWindow"`
}

// putThrottle replaces the throttle settings; missing budgets take Graph's defaults. enabled is
// required; counts must be positive and windows positive durations; budgets with
// "enabled":false are refused.
func (s *Server) putThrottle(w http.ResponseWriter, r *http.Request) error {
	b, err := readControlBody(r)
	if err != nil {
		return err
	}
	var in throttleInput
	if err := decodeStrict(b, &in, func(err error) error {
		return errControl("The throttle settings are {\"enabled\",\"readUnits\",\"readWindow\",\"writeRequests\",\"writeWindow\"}: " + err.Error())
	}); err != nil {
		return err
	}
	if in.Enabled == nil {
		return errControl("enabled is required: true turns throttling on, false turns it off.")
	}
	if !*in.Enabled {
		if in.ReadUnits != nil || in.ReadWindow != nil || in.WriteRequests != nil || in.WriteWindow != nil {
			return errControl("Budgets apply only with \"enabled\":true.")
		}
		s.throttler.set(nil)
		s.writeThrottle(w)
		return nil
	}
	var c ThrottleConfig
	for _, f := range []struct {
		name string
		val  *int
		dst  *int
	}{{"readUnits", in.ReadUnits, &c.ReadUnits}, {"writeRequests", in.WriteRequests, &c.WriteRequests}} {
		if f.val == nil {
			continue
		}
		if *f.val <= 0 {
			return errControl(f.name + " " + strconv.Itoa(*f.val) + " must be a positive integer (omit it for Graph's default).")
		}
		*f.dst = *f.val
	}
	for _, f := range []struct {
		name string
		val  *string
		dst  *time.Duration
	}{{"readWindow", in.ReadWindow, &c.ReadWindow}, {"writeWindow", in.WriteWindow, &c.WriteWindow}} {
		if f.val == nil {
			continue
		}
		d, err := time.ParseDuration(*f.val)
		if err != nil || d <= 0 {
			return errControl(f.name + " \"" + *f.val + "\" must be a positive duration such as \"10s\".")
		}
		*f.dst = d
	}
	s.throttler.set(&c)
	s.writeThrottle(w)
	return nil
}

func (s *Server) writeConsistency(w http.ResponseWriter) {
	writeJSONStatus(w, http.StatusOK, object{{"replicationDelay", s.replication.getDelay().String()}})
}

func (s *Server) getConsistency(w http.ResponseWriter, _ *http.Request) error {
	s.writeConsistency(w)
	return nil
}

func (s *Server) putConsistency(w http.ResponseWriter, r *http.Request) error {
	b, err := readControlBody(r)
	if err != nil {
		return err
	}
	var in struct {
		ReplicationDelay string `json:"replicationDelay"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return errControl("The consistency settings are {\"replicationDelay\":\"5s\"}: " + err.Error())
	}
	d, err := time.ParseDuration(in.ReplicationDelay)
	if err != nil || d < 0 {
		return errControl("replicationDelay \"" + in.ReplicationDelay + "\" must be a duration such as \"5s\" (\"0s\" turns it off).")
	}
	s.replication.setDelay(d)
	s.writeConsistency(w)
	return nil
}
