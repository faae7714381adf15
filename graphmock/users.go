package graphmock

import (
	"net/http"
	"strings"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// listUsers serves GET /users (graph-facts §2.1).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.Users)
	if err != nil {
		return err
	}
	expand, err := expander(s, r, q, userRelations)
	if err != nil {
		return err
	}
	recs, err := s.userRecords(r, q)
	if err != nil {
		return err
	}
	return listRecords(w, r, q, userType, "users", recs, expand)
}

// userRecords returns the users a query can match as records; when the filter reads the
// manager, each record carries it (flagManagers).
func (s *Server) userRecords(r *http.Request, q *odata.Query) ([]entityRecord[engine.User], error) {
	users, err := s.activeUsers(r, q)
	if err != nil {
		return nil, err
	}
	recs := records(userType, users)
	if readsManager(q) {
		err = s.tenantFor(r).store.View(func(tx *engine.Txn) error { return flagManagers(tx, recs) })
	}
	return recs, err
}

// readsManager reports whether q's filter reads the manager navigation property (manager/id eq
// '…', which Graph filters on by default, graph-facts §6).
func readsManager(q *odata.Query) bool {
	return q.Filter != nil && strings.Contains(strings.ToLower(q.Filter.String()), "manager/")
}

// flagManagers gives each record its manager ({"id": …}, or null without an active manager) for
// the filter to read; a response carries the manager only through $expand.
func flagManagers(tx *engine.Txn, recs []entityRecord[engine.User]) error {
	for i := range recs {
		m, err := tx.ManagerOf(recs[i].obj.ID)
		if err != nil {
			return err
		}
		var v any
		if m != nil {
			v = objectRecord(object{{"id", m.ID}})
		}
		recs[i].extra = map[string]any{"manager": v}
	}
	return nil
}

// activeUsers returns the tenant's users that the filter can match: from an index when the filter
// has an `eq` on id or an indexed property, or a `startswith` on one (graph-facts §6: the
// directory serves these from indexes), else all of them.
func (s *Server) activeUsers(r *http.Request, q *odata.Query) ([]*engine.User, error) {
	var users []*engine.User
	add := func(u *engine.User) bool { users = append(users, u); return true }
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		if v, ok := q.EqualityOn("id"); ok {
			if u, err := tx.UserByID(v); err == nil {
				users = append(users, u)
			}
			return nil
		}
		if q.Filter != nil {
			if index, value, prefix, ok := indexHint(q.Filter, userIndexes); ok {
				return tx.UsersByIndex(index, value, prefix, add)
			}
		}
		return tx.Users(add)
	})
	return users, err
}

// countUsers serves GET /users/$count (text/plain; needs ConsistencyLevel: eventual).
func (s *Server) countUsers(w http.ResponseWriter, r *http.Request) error {
	q, err := parseCountQuery(r, odata.Users)
	if err != nil {
		return err
	}
	recs, err := s.userRecords(r, q)
	if err != nil {
		return err
	}
	return countEntities(w, q, recs)
}

// records wraps objects as odata records read through their wire type.
func records[T any](et *entityType[T], items []*T) []entityRecord[T] {
	out := make([]entityRecord[T], len(items))
	for i, it := range items {
		out[i] = entityRecord[T]{et: et, obj: it}
	}
	return out
}

// getUser serves GET /users/{id | userPrincipalName}.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.Users)
	if err != nil {
		return err
	}
	var u *engine.User
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		u, err = tx.UserByRef(pathVar(r, "user-id"))
		return err
	})
	if err != nil {
		return err
	}
	expand, err := expander(s, r, q, userRelations)
	if err != nil {
		return err
	}
	body := object{{"@odata.context", contextURL(r, selectFragment("users", q.Select)+"/$entity")}}
	body = append(body, userType.encode(u, q.Select, false)...)
	if expand != nil {
		more, err := expand(u)
		if err != nil {
			return err
		}
		body = append(body, more...)
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// writeUser writes one user entity ("…#users/$entity", or "…#users(a,b)/$entity" with $select).
func (s *Server) writeUser(w http.ResponseWriter, r *http.Request, status int, u *engine.User, sel []string) {
	body := object{{"@odata.context", contextURL(r, selectFragment("users", sel)+"/$entity")}}
	body = append(body, userType.encode(u, sel, false)...)
	writeJSON(w, status, body)
}

// createUser serves POST /users: 201 with the user and a Location header. Required:
// accountEnabled, displayName, mailNickname, passwordProfile, userPrincipalName (graph-facts §2.1).
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	members, order, err := decodeBody(r)
	if err != nil {
		return err
	}
	delete(members, "id")
	order = without(order, "id")
	u := &engine.User{}
	if err := userType.apply(u, members, order); err != nil {
		return err
	}
	var created *engine.User
	t := s.tenantFor(r)
	err = t.store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		if !hasMember(members, "accountEnabled") {
			return engine.MissingValue("accountEnabled")
		}
		created, err = tx.CreateUser(u)
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", directoryObjectLocation(t.id, created.ID, "User"))
	s.writeUser(w, r, http.StatusCreated, created, nil)
	return nil
}

// updateUser serves PATCH /users/{id | userPrincipalName}: 204.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	members, order, err := decodeBody(r)
	if err != nil {
		return err
	}
	delete(members, "id")
	order = without(order, "id")
	err = s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		cur, err := tx.UserByRef(pathVar(r, "user-id"))
		if err != nil {
			return err
		}
		u := cur.Clone()
		if err := userType.apply(u, members, order); err != nil {
			return err
		}
		_, err = tx.UpdateUser(u)
		return err
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// deleteUser serves DELETE /users/{id | userPrincipalName}: 204, soft delete.
func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) error {
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		u, err := tx.UserByRef(pathVar(r, "user-id"))
		if err != nil {
			return err
		}
		return tx.DeleteUser(u.ID)
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// directoryObjectLocation is the Location Graph sends for created objects and group actions:
// https://graph.microsoft.com/v2/{tenantId}/directoryObjects/{id}/Microsoft.DirectoryServices.{Kind} (graph-facts §9).
func directoryObjectLocation(tenantID, id, kind string) string {
	return "https://graph.microsoft.com/v2/" + tenantID + "/directoryObjects/" + id + "/Microsoft.DirectoryServices." + kind
}

// actorFor is who a request acts as in audit records: the caller its access token names (the
// app for app-only tokens, the user for delegated ones), else the tenant's default actor.
func (s *Server) actorFor(r *http.Request) engine.Actor {
	if a, ok := tokenActor(r); ok {
		return a
	}
	return s.tenantFor(r).actor
}
