package graphmock

import (
	"net/http"

	"github.com/graphmock/graphmock/engine"
)

// listDeletedUsers serves GET /directory/deletedItems/microsoft.graph.user (graph-facts §2.7).
func (s *Server) listDeletedUsers(w http.ResponseWriter, r *http.Request) error {
	q, err := parseListQuery(r, userType)
	if err != nil {
		return err
	}
	var users []*engine.User
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		return tx.DeletedUsers(func(u *engine.User) bool { users = append(users, u); return true })
	})
	if err != nil {
		return err
	}
	pg, next := page(q, users)
	values := make([]object, len(pg))
	for i, u := range pg {
		values[i] = userType.encode(u, withDeleted(q.sel), false)
	}
	writeCollection(w, r, contextURL(r, selectFragment("users", q.sel)), values, q, next)
	return nil
}

// listDeletedGroups serves GET /directory/deletedItems/microsoft.graph.group.
func (s *Server) listDeletedGroups(w http.ResponseWriter, r *http.Request) error {
	q, err := parseListQuery(r, groupType)
	if err != nil {
		return err
	}
	var groups []*engine.Group
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		return tx.DeletedGroups(func(g *engine.Group) bool { groups = append(groups, g); return true })
	})
	if err != nil {
		return err
	}
	pg, next := page(q, groups)
	values := make([]object, len(pg))
	for i, g := range pg {
		values[i] = groupType.encode(g, q.sel, false)
	}
	writeCollection(w, r, contextURL(r, selectFragment("groups", q.sel)), values, q, next)
	return nil
}

// withDeleted adds deletedDateTime to a deleted user's default property set, since the point of
// listing deleted users is when they were deleted.
func withDeleted(sel []string) []string {
	if sel != nil {
		return sel
	}
	var out []string
	for _, p := range userType.props {
		if p.def {
			out = append(out, p.name)
		}
	}
	return append(out, "deletedDateTime")
}

// getDeletedItem serves GET /directory/deletedItems/{id}.
func (s *Server) getDeletedItem(w http.ResponseWriter, r *http.Request) error {
	var obj engine.DirectoryObject
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		var err error
		obj, err = tx.DeletedObject(pathVar(r, "directoryObject-id"))
		return err
	})
	if err != nil {
		return err
	}
	s.writeDirectoryObject(w, r, obj)
	return nil
}

func (s *Server) writeDirectoryObject(w http.ResponseWriter, r *http.Request, obj engine.DirectoryObject) {
	body := object{{"@odata.context", contextURL(r, "directoryObjects/$entity")}}
	if obj.User != nil {
		body = append(body, userType.encode(obj.User, withDeleted(nil), true)...)
	} else {
		body = append(body, groupType.encode(obj.Group, nil, true)...)
	}
	writeJSON(w, http.StatusOK, body)
}

// deleteDeletedItem serves DELETE /directory/deletedItems/{id}: 204, permanent.
func (s *Server) deleteDeletedItem(w http.ResponseWriter, r *http.Request) error {
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		return tx.PurgeObject(pathVar(r, "directoryObject-id"))
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// restoreDeletedItem serves POST /directory/deletedItems/{id}/restore: 200 with the object
// ("…#directoryObjects/$entity", graph-facts §2.7).
func (s *Server) restoreDeletedItem(w http.ResponseWriter, r *http.Request) error {
	var obj engine.DirectoryObject
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		var err error
		obj, err = tx.RestoreObject(pathVar(r, "directoryObject-id"))
		return err
	})
	if err != nil {
		return err
	}
	s.writeDirectoryObject(w, r, obj)
	return nil
}
