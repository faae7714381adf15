package graphmock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// listDeletedUsers serves GET /directory/deletedItems/microsoft.graph.user (graph-facts §2.7).
func (s *Server) listDeletedUsers(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.DeletedUsers)
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
	if q.Select == nil {
		q.Select = withDeleted(nil)
		defer func() { q.Select = nil }()
	}
	return listEntities(w, r, q, userType, "users", users)
}

// listDeletedGroups serves GET /directory/deletedItems/microsoft.graph.group.
func (s *Server) listDeletedGroups(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.DeletedGroups)
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
	return listEntities(w, r, q, groupType, "groups", groups)
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

// getDeletedItem serves GET /directory/deletedItems/{id}: the deleted user or group with its
// @odata.type, "…#directoryObjects/$entity" ("…#directoryObjects(id,displayName)/$entity" with
// $select). Query options are checked as on GET /users/{id} (odata.DeletedObject: the user and
// group properties, no $expand) before the object is looked up.
func (s *Server) getDeletedItem(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.DeletedObject)
	if err != nil {
		return err
	}
	var obj engine.DirectoryObject
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		obj, err = tx.DeletedObject(pathVar(r, "directoryObject-id"))
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, directoryObjectEntity(r, obj, q.Select))
	return nil
}

// directoryObjectEntity is the body of a single directory object: "@odata.context"
// "…#directoryObjects/$entity" (with the select fragment when sel is set), then the user or group
// with its @odata.type, in its default property set — a user's with deletedDateTime, as on the
// deleted-items list — or the selected properties its type has (id when it has none of them).
func directoryObjectEntity(r *http.Request, obj engine.DirectoryObject, sel []string) object {
	body := object{{"@odata.context", contextURL(r, selectFragment("directoryObjects", sel)+"/$entity")}}
	if obj.User != nil && sel == nil {
		return append(body, userType.encode(obj.User, withDeleted(nil), true)...)
	}
	return append(body, encodeObject(obj, sel)...)
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
	opts, err := restoreOptions(r)
	if err != nil {
		return err
	}
	var obj engine.DirectoryObject
	err = s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		var err error
		obj, err = tx.RestoreObjectWith(pathVar(r, "directoryObject-id"), opts)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, directoryObjectEntity(r, obj, nil))
	return nil
}

// restoreOptions reads the restore action's optional body: newUserPrincipalName (String) and
// autoReconcileProxyConflict (Boolean; accepted, as graphmock models no proxy addresses to
// reconcile). No body, or an empty one, means no options.
func restoreOptions(r *http.Request) (engine.RestoreOptions, error) {
	var opts engine.RestoreOptions
	b, err := readBody(r)
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return opts, err
	}
	if err := checkJSONContentType(r); err != nil {
		return opts, err
	}
	fields, order, err := decodeObject(b)
	if err != nil {
		return opts, err
	}
	for _, k := range order {
		v := fields[k]
		switch {
		case strings.EqualFold(k, "newUserPrincipalName"):
			if isNull(v) {
				continue
			}
			if err := json.Unmarshal(v, &opts.NewUserPrincipalName); err != nil {
				return opts, errWrongType(v, "Edm.String")
			}
		case strings.EqualFold(k, "autoReconcileProxyConflict"):
			var b bool
			if !isNull(v) && json.Unmarshal(v, &b) != nil {
				return opts, errWrongType(v, "Edm.Boolean")
			}
		case strings.HasPrefix(k, "@odata."):
		default:
			return opts, newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest,
				fmt.Sprintf("The parameter '%s' in the request payload is not a valid parameter for the operation 'restore'.", k))
		}
	}
	return opts, nil
}
