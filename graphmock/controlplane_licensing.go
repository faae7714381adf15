package graphmock

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"github.com/graphmock/graphmock/engine"
)

func errControlPlane(message string) *httpError {
	return newHTTPError(http.StatusBadRequest, engine.CodeBadRequest, message)
}

func (s *Server) writeSku(w http.ResponseWriter, r *http.Request, status int, sku *engine.SubscribedSku) {
	body := object{{"@odata.context", contextURL(r, "subscribedSkus/$entity")}}
	writeJSON(w, status, append(body, subscribedSkuType.encode(sku, nil, false)...))
}

// cpAddServicePlan adds {"servicePlanId", "servicePlanName", "service"?, "appliesTo"?} to a SKU;
// the plan is enabled at once for every holder (engine.Txn.AddServicePlan).
func (s *Server) cpAddServicePlan(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		ServicePlanID   string `json:"servicePlanId"`
		ServicePlanName string `json:"servicePlanName"`
		Service         string `json:"service"`
		AppliesTo       string `json:"appliesTo"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return errMalformedJSON
	}
	if _, ok := engine.NormalizeAppliesTo(body.AppliesTo); !ok {
		return errControlPlane("appliesTo '" + body.AppliesTo + "' is not valid: use \"User\" or \"Company\".")
	}
	var sku *engine.SubscribedSku
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		var err error
		sku, err = tx.AddServicePlan(mux.Vars(r)["skuId"], engine.ServicePlanInfo{ServicePlanID: body.ServicePlanID,
			ServicePlanName: body.ServicePlanName, Service: body.Service, AppliesTo: body.AppliesTo})
		return err
	})
	if err != nil {
		return err
	}
	s.writeSku(w, r, http.StatusCreated, sku)
	return nil
}

// cpPatchSku changes {"prepaidUnits": {"enabled", "suspended", "warning", "lockedOut"}}; absent
// counts are kept. Users in CountViolation stay so until reprocessed.
func (s *Server) cpPatchSku(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		PrepaidUnits *struct {
			Enabled   *int `json:"enabled"`
			Suspended *int `json:"suspended"`
			Warning   *int `json:"warning"`
			LockedOut *int `json:"lockedOut"`
		} `json:"prepaidUnits"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return errControlPlane("Body must be {\"prepaidUnits\": {\"enabled\": n, \"suspended\": n, \"warning\": n, \"lockedOut\": n}}.")
	}
	if body.PrepaidUnits == nil {
		return errControlPlane("prepaidUnits is required.")
	}
	var sku *engine.SubscribedSku
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		cur, err := tx.SubscribedSkuByID(mux.Vars(r)["skuId"])
		if err != nil {
			return err
		}
		if cur == nil {
			return engine.NotFound(mux.Vars(r)["skuId"])
		}
		u := cur.PrepaidUnits
		set := func(dst *int, v *int) {
			if v != nil {
				*dst = *v
			}
		}
		set(&u.Enabled, body.PrepaidUnits.Enabled)
		set(&u.Suspended, body.PrepaidUnits.Suspended)
		set(&u.Warning, body.PrepaidUnits.Warning)
		set(&u.LockedOut, body.PrepaidUnits.LockedOut)
		sku, err = tx.SetPrepaidUnits(cur.SkuID, u)
		return err
	})
	if err != nil {
		return err
	}
	s.writeSku(w, r, http.StatusOK, sku)
	return nil
}

// cpReprocessGroup is the portal's group "Reprocess": records "Trigger group license
// recalculation" and queues processing of every member.
func (s *Server) cpReprocessGroup(w http.ResponseWriter, r *http.Request) error {
	t := s.tenantFor(r)
	var g *engine.Group
	err := t.store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		var err error
		g, err = tx.ReprocessGroupLicenses(mux.Vars(r)["id"])
		return err
	})
	if err != nil {
		return err
	}
	_ = t.store.View(func(tx *engine.Txn) error {
		if cur, err := tx.GroupByID(g.ID); err == nil {
			g = cur
		}
		return nil
	})
	s.writeGroup(w, r, http.StatusAccepted, g, []string{"id", "displayName", "assignedLicenses", "licenseProcessingState"})
	return nil
}

func (s *Server) writeProcessing(w http.ResponseWriter, st engine.QueueStatus, extra ...field) {
	body := object{{"mode", string(st.Mode)}, {"delay", st.Delay.String()}, {"pending", st.Pending}, {"running", st.Running}, {"errors", st.Errors}}
	writeJSONStatus(w, http.StatusOK, append(body, extra...))
}

// cpGetProcessing answers {"mode", "delay", "pending", "running", "errors"}.
func (s *Server) cpGetProcessing(w http.ResponseWriter, r *http.Request) error {
	s.writeProcessing(w, s.tenantFor(r).store.Processing().Status())
	return nil
}

// cpPutProcessing sets {"mode": "async|manual|immediate", "delay": "250ms"} (either may be absent).
func (s *Server) cpPutProcessing(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Mode  *string `json:"mode"`
		Delay *string `json:"delay"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		return errControlPlane("Body must be {\"mode\": \"async|manual|immediate\", \"delay\": \"250ms\"}.")
	}
	q := s.tenantFor(r).store.Processing()
	st := q.Status()
	mode, delay := st.Mode, st.Delay
	if body.Mode != nil {
		m, err := engine.ParseProcessingMode(*body.Mode)
		if err != nil {
			return errControlPlane(err.Error() + ".")
		}
		mode = m
	}
	if body.Delay != nil {
		d, err := time.ParseDuration(*body.Delay)
		if err != nil || d < 0 {
			return errControlPlane("delay must be a non-negative Go duration such as \"250ms\" or \"2s\".")
		}
		delay = d
	}
	if err := q.SetMode(mode, delay); err != nil {
		return errControlPlane(err.Error() + ".")
	}
	s.writeProcessing(w, q.Status())
	return nil
}

// cpStepProcessing applies the oldest queued task: {"stepped": bool, …status}.
func (s *Server) cpStepProcessing(w http.ResponseWriter, r *http.Request) error {
	q := s.tenantFor(r).store.Processing()
	stepped := q.Step()
	s.writeProcessing(w, q.Status(), field{"stepped", stepped})
	return nil
}

// drainTimeout bounds how long POST /_graphmock/processing/drain waits.
const drainTimeout = 2 * time.Minute

// cpDrainProcessing applies everything queued and answers once idle.
func (s *Server) cpDrainProcessing(w http.ResponseWriter, r *http.Request) error {
	q := s.tenantFor(r).store.Processing()
	ctx, cancel := context.WithTimeout(r.Context(), drainTimeout)
	defer cancel()
	if err := q.Drain(ctx); err != nil {
		return newHTTPError(http.StatusServiceUnavailable, "serviceNotAvailable", "Processing did not finish: "+err.Error()+".")
	}
	s.writeProcessing(w, q.Status())
	return nil
}
