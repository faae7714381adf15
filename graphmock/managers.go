package graphmock

import (
	"net/http"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// A user's manager and direct reports (user-list-manager, user-post-manager,
// user-delete-manager, user-list-directreports). The manager is a user: graphmock doesn't model
// orgContacts, so a manager reference must name an active user. A user without a manager (or
// whose manager is soft-deleted) answers 404 Request_ResourceNotFound "Resource 'manager' does
// not exist or one of its queried reference-property objects are not present." [obs].

// userReports loads the direct reports of the user the path names (404 for an unknown user).
func (s *Server) userReports(r *http.Request) objectsLoader {
	return func(tx *engine.Txn) ([]engine.DirectoryObject, error) {
		u, err := tx.UserByRef(pathVar(r, "user-id"))
		if err != nil {
			return nil, err
		}
		return tx.DirectReports(u.ID)
	}
}

// loadManager reads the manager of the user the path names.
func (s *Server) loadManager(r *http.Request) (*engine.User, error) {
	var m *engine.User
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) (err error) {
		m, err = tx.Manager(pathVar(r, "user-id"))
		return err
	})
	return m, err
}

// getManager serves GET /users/{id}/manager: the manager as a directoryObject with its
// @odata.type and the user's default property set, "…#directoryObjects/$entity"; $select and
// $expand as GET /directoryObjects/{id}.
func (s *Server) getManager(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.DirectoryObjects)
	if err != nil {
		return err
	}
	m, err := s.loadManager(r)
	if err != nil {
		return err
	}
	obj := engine.DirectoryObject{Kind: engine.ObjectUser, User: m}
	body := object{{"@odata.context", contextURL(r, selectFragment("directoryObjects", q.Select)+"/$entity")}}
	body = append(body, encodeObject(obj, q.Select)...)
	more, err := expandOne(s, r, q, userRelations, m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, append(body, more...))
	return nil
}

// getManagerRef serves GET /users/{id}/manager/$ref: the reference Graph answers,
// {"@odata.context":"…#directoryObjects/$entity","@odata.id":"…/v2/{tenantId}/directoryObjects/{id}/Microsoft.DirectoryServices.User"}
// [obs: Graph writes its own host, graphmock the host the client used]. Microsoft's OpenAPI file
// declares the body a string (openapi package, Q13).
func (s *Server) getManagerRef(w http.ResponseWriter, r *http.Request) error {
	var m *engine.User
	var org *engine.Organization
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) (err error) {
		if m, err = tx.Manager(pathVar(r, "user-id")); err != nil {
			return err
		}
		org, err = tx.Organization()
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, object{
		{"@odata.context", contextURL(r, "directoryObjects/$entity")},
		{"@odata.id", baseURL(r) + "/v2/" + org.ID + "/directoryObjects/" + m.ID + "/Microsoft.DirectoryServices.User"},
	})
	return nil
}

// setManager serves PUT /users/{id}/manager/$ref with {"@odata.id": "…/users/{id}"} (or
// directoryObjects/{id}): 204, replacing any manager. Errors: the reference's 400s (refBody);
// 404 for an unknown user or manager; 400 for a user as their own manager.
func (s *Server) setManager(w http.ResponseWriter, r *http.Request) error {
	id, err := refBody(r)
	if err != nil {
		return err
	}
	if err := s.checkReplicated(r, id); err != nil {
		return err
	}
	err = s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		return tx.SetManager(pathVar(r, "user-id"), id)
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// removeManager serves DELETE /users/{id}/manager/$ref: 204; 404 when the user has no manager.
func (s *Server) removeManager(w http.ResponseWriter, r *http.Request) error {
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		return tx.RemoveManager(pathVar(r, "user-id"))
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// listDirectReports serves GET /users/{id}/directReports: the users whose manager is this user,
// as a directoryObject collection like /groups/{id}/members.
func (s *Server) listDirectReports(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.userReports(r))
}

// countDirectReports serves GET /users/{id}/directReports/$count (ConsistencyLevel: eventual).
func (s *Server) countDirectReports(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.userReports(r))
}

// listDirectReportsAsUser serves GET /users/{id}/directReports/microsoft.graph.user.
func (s *Server) listDirectReportsAsUser(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asUser, s.userReports(r))
}

// countDirectReportsAsUser serves GET /users/{id}/directReports/microsoft.graph.user/$count.
func (s *Server) countDirectReportsAsUser(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asUser, s.userReports(r))
}
