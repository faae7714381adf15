package graphmock

import (
	"net/http"
	"time"

	"github.com/graphmock/graphmock/engine"
)

// Each tenant has its own clock (unless Options.Clock is set, which all tenants then share).
// The clock stamps createdDateTime, deletedDateTime, audit records, license state times and
// error dates.

// clockState is {"time": RFC 3339 with fraction, UTC, "frozen": bool}.
func clockState(c engine.Clock) object {
	frozen := false
	if mc, ok := c.(*engine.ManualClock); ok {
		frozen = mc.Frozen()
	}
	return object{{"time", c.Now().UTC().Format(time.RFC3339Nano)}, {"frozen", frozen}}
}

// manualClock returns the tenant's clock when the control plane may steer it. Errors: 409 when
// the server was given an Options.Clock that is not an *engine.ManualClock.
func (s *Server) manualClock(r *http.Request) (*engine.ManualClock, error) {
	mc, ok := s.tenantFor(r).store.Clock().(*engine.ManualClock)
	if !ok {
		return nil, newHTTPError(http.StatusConflict, codeConflict,
			"The server's clock is not an engine.ManualClock; it can't be frozen or advanced.")
	}
	return mc, nil
}

// getClock serves GET /_graphmock/clock: 200 {"time","frozen"}.
func (s *Server) getClock(w http.ResponseWriter, r *http.Request) error {
	writeControlJSON(w, http.StatusOK, clockState(s.tenantFor(r).store.Clock()))
	return nil
}

// setClock serves PUT /_graphmock/clock {"frozen": bool, "time": RFC 3339 (optional)}: 200 {"time","frozen"}.
// frozen true stops the clock at time (default: its current reading); frozen false lets it run,
// from time when given. Errors: 400 for a missing "frozen", an unparsable time, or other members;
// 409 when the clock can't be steered.
func (s *Server) setClock(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Frozen *bool   `json:"frozen"`
		Time   *string `json:"time"`
	}
	if err := decodeControlBody(r, &body); err != nil {
		return err
	}
	if body.Frozen == nil {
		return badControlRequest("The property 'frozen' (true or false) is required.")
	}
	var at time.Time
	if body.Time != nil {
		var err error
		if at, err = time.Parse(time.RFC3339Nano, *body.Time); err != nil {
			return badControlRequest("The time '" + *body.Time + "' is not an RFC 3339 date-time such as 2026-01-02T15:04:05Z.")
		}
	}
	mc, err := s.manualClock(r)
	if err != nil {
		return err
	}
	switch {
	case *body.Frozen:
		mc.Freeze(at)
	case !at.IsZero():
		mc.Freeze(at)
		mc.Unfreeze()
	default:
		mc.Unfreeze()
	}
	writeControlJSON(w, http.StatusOK, clockState(mc))
	return nil
}

// advanceClock serves POST /_graphmock/clock/advance {"duration": Go duration such as "90s", "1h30m"}:
// the clock moves forward by duration, frozen or not; 200 {"time","frozen"}. Errors: 400 for a
// missing, unparsable or non-positive duration; 409 when the clock can't be steered.
func (s *Server) advanceClock(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Duration *string `json:"duration"`
	}
	if err := decodeControlBody(r, &body); err != nil {
		return err
	}
	if body.Duration == nil {
		return badControlRequest("The property 'duration' (such as \"1h30m\") is required.")
	}
	d, err := time.ParseDuration(*body.Duration)
	if err != nil || d <= 0 {
		return badControlRequest("The duration '" + *body.Duration + "' is not a positive duration such as \"90s\" or \"1h30m\".")
	}
	mc, err := s.manualClock(r)
	if err != nil {
		return err
	}
	mc.Advance(d)
	writeControlJSON(w, http.StatusOK, clockState(mc))
	return nil
}
