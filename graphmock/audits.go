package graphmock

import (
	"net/http"
	"slices"
	"time"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// auditTime writes activityDateTime as Graph does: UTC with 7 fractional digits (graph-facts §9).
func auditTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// encodeAudit is the wire form of microsoft.graph.directoryAudit (graph-facts §1.6).
func encodeAudit(a *engine.AuditRecord) object {
	return object{
		{"id", a.ID},
		{"category", a.Category},
		{"correlationId", a.CorrelationID},
		{"result", a.Result},
		{"resultReason", a.ResultReason},
		{"activityDisplayName", a.ActivityDisplayName},
		{"activityDateTime", auditTime(a.ActivityDateTime)},
		{"loggedByService", a.LoggedByService},
		{"operationType", a.OperationType},
		{"initiatedBy", encodeInitiator(a.InitiatedBy)},
		{"targetResources", encodeTargets(a.TargetResources)},
		{"additionalDetails", encodeKeyValues(a.AdditionalDetails)},
	}
}

func encodeInitiator(actor engine.Actor) object {
	var user, app any
	if u := actor.User; u != nil {
		user = object{{"id", u.ID}, {"displayName", nullable(u.DisplayName)}, {"userPrincipalName", nullable(u.UserPrincipalName)}, {"ipAddress", nullable(u.IPAddress)}}
	}
	if a := actor.App; a != nil {
		app = object{{"appId", nullable(a.AppID)}, {"displayName", nullable(a.DisplayName)}, {"servicePrincipalId", nullable(a.ServicePrincipalID)}, {"servicePrincipalName", nullable(a.ServicePrincipalName)}}
	}
	return object{{"user", user}, {"app", app}}
}

func encodeTargets(ts []engine.TargetResource) []object {
	out := make([]object, len(ts))
	for i, t := range ts {
		props := make([]object, len(t.ModifiedProperties))
		for j, p := range t.ModifiedProperties {
			props[j] = object{{"displayName", p.DisplayName}, {"oldValue", strOrNil(p.OldValue)}, {"newValue", strOrNil(p.NewValue)}}
		}
		o := object{{"id", t.ID}, {"displayName", nullable(t.DisplayName)}, {"type", t.Type}}
		if t.Type == "User" {
			o = append(o, field{"userPrincipalName", nullable(t.UserPrincipalName)})
		}
		if t.Type == "Group" {
			o = append(o, field{"groupType", nullable(t.GroupType)})
		}
		out[i] = append(o, field{"modifiedProperties", props})
	}
	return out
}

func encodeKeyValues(kvs []engine.KeyValue) []object {
	out := make([]object, len(kvs))
	for i, kv := range kvs {
		out[i] = object{{"key", kv.Key}, {"value", kv.Value}}
	}
	return out
}

func strOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// auditRecord lets the OData evaluator read a record's top-level fields without encoding it;
// nested values (initiatedBy, targetResources) are encoded on demand.
type auditRecord struct{ *engine.AuditRecord }

// Property implements odata.Record.
func (a auditRecord) Property(name string) (any, bool) {
	switch name {
	case "id":
		return a.ID, true
	case "activityDateTime":
		return a.ActivityDateTime, true
	case "activityDisplayName":
		return a.ActivityDisplayName, true
	case "category":
		return a.Category, true
	case "correlationId":
		return a.CorrelationID, true
	case "loggedByService":
		return a.LoggedByService, true
	case "operationType":
		return a.OperationType, true
	case "result":
		return a.Result, true
	case "resultReason":
		return a.ResultReason, true
	case "initiatedBy":
		return objectRecord(encodeInitiator(a.InitiatedBy)), true
	case "targetResources":
		return recordValue(encodeTargets(a.TargetResources)), true
	case "additionalDetails":
		return recordValue(encodeKeyValues(a.AdditionalDetails)), true
	}
	return nil, false
}

// auditRecords returns the retained records newest first, Graph's default order (graph-facts §2.6).
func (s *Server) auditRecords(r *http.Request) ([]auditRecord, error) {
	var out []auditRecord
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		cutoff := tx.AuditCutoff()
		return tx.AuditRecords(func(a *engine.AuditRecord) bool {
			if !a.ActivityDateTime.Before(cutoff) {
				out = append(out, auditRecord{a})
			}
			return true
		})
	})
	slices.Reverse(out)
	return out, err
}

// listDirectoryAudits serves GET /auditLogs/directoryAudits: $filter, $top, $orderby
// (activityDateTime), $skiptoken paging; newest first by default (graph-facts §2.6, §6.3).
func (s *Server) listDirectoryAudits(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.DirectoryAudits)
	if err != nil {
		return err
	}
	recs, err := s.auditRecords(r)
	if err != nil {
		return err
	}
	pg, count, next, err := pageOf(q, recs)
	if err != nil {
		return err
	}
	values := make([]object, len(pg))
	for i, a := range pg {
		values[i] = selectFields(encodeAudit(a.AuditRecord), q.Select)
	}
	writeCollection(w, r, q, collection{context: contextURL(r, selectFragment("auditLogs/directoryAudits", q.Select)), values: values, count: count, next: next})
	return nil
}

// getDirectoryAudit serves GET /auditLogs/directoryAudits/{id}.
func (s *Server) getDirectoryAudit(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.DirectoryAudits)
	if err != nil {
		return err
	}
	id := pathVar(r, "directoryAudit-id")
	var rec *engine.AuditRecord
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		cutoff := tx.AuditCutoff()
		return tx.AuditRecords(func(a *engine.AuditRecord) bool {
			if a.ID == id && !a.ActivityDateTime.Before(cutoff) {
				rec = a
				return false
			}
			return true
		})
	})
	if err != nil {
		return err
	}
	if rec == nil {
		return engine.NotFound(id)
	}
	body := object{{"@odata.context", contextURL(r, selectFragment("auditLogs/directoryAudits", q.Select)+"/$entity")}}
	writeJSON(w, http.StatusOK, append(body, selectFields(encodeAudit(rec), q.Select)...))
	return nil
}

// selectFields keeps the selected members of an encoded object (all when sel is empty).
func selectFields(o object, sel []string) object {
	if len(sel) == 0 {
		return o
	}
	out := make(object, 0, len(sel))
	for _, f := range o {
		if slices.Contains(sel, f.key) {
			out = append(out, f)
		}
	}
	return out
}
