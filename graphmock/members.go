package graphmock

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// encodeObject writes a user or group with its @odata.type, as directoryObject collections do.
func encodeObject(o engine.DirectoryObject, sel []string) object {
	if o.User != nil {
		return userType.encode(o.User, filterSelect(sel, userType), true)
	}
	return groupType.encode(o.Group, filterSelect(sel, groupType), true)
}

// filterSelect keeps the selected names the entity type has; when none remain, id is returned.
func filterSelect[T any](sel []string, et *entityType[T]) []string {
	if sel == nil {
		return nil
	}
	var out []string
	for _, s := range sel {
		if _, ok := et.lookup(s); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return []string{"id"}
	}
	return out
}

func groupObjects(gs []*engine.Group) []engine.DirectoryObject {
	out := make([]engine.DirectoryObject, len(gs))
	for i, g := range gs {
		out[i] = engine.DirectoryObject{Kind: engine.ObjectGroup, Group: g}
	}
	return out
}

// listObjects serves a directoryObject collection (…#directoryObjects) computed by load.
func (s *Server) listObjects(w http.ResponseWriter, r *http.Request, load func(tx *engine.Txn) ([]engine.DirectoryObject, error)) error {
	q, err := parseQuery(r, odata.DirectoryObjects)
	if err != nil {
		return err
	}
	if len(q.Expand) > 0 {
		// Not modelled on mixed collections; the casts (…/microsoft.graph.user) expand.
		return newHTTPError(http.StatusNotImplemented, engine.CodeNotImplemented,
			"graphmock does not implement $expand on directoryObject collections; expand a cast such as …/microsoft.graph.user instead.")
	}
	recs, err := s.loadObjects(r, load)
	if err != nil {
		return err
	}
	pg, count, next, err := pageOf(q, recs)
	if err != nil {
		return err
	}
	values := make([]object, len(pg))
	for i, o := range pg {
		values[i] = encodeObject(o.DirectoryObject, q.Select)
	}
	writeCollection(w, r, q, collection{context: contextURL(r, selectFragment("directoryObjects", q.Select)), values: values, count: count, next: next})
	return nil
}

func (s *Server) loadObjects(r *http.Request, load func(tx *engine.Txn) ([]engine.DirectoryObject, error)) ([]directoryRecord, error) {
	var objs []engine.DirectoryObject
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		var err error
		objs, err = load(tx)
		return err
	})
	recs := make([]directoryRecord, len(objs))
	for i, o := range objs {
		recs[i] = directoryRecord{o}
	}
	return recs, err
}

func (s *Server) groupRelation(r *http.Request, rel func(tx *engine.Txn, id string) ([]engine.DirectoryObject, error)) func(tx *engine.Txn) ([]engine.DirectoryObject, error) {
	return func(tx *engine.Txn) ([]engine.DirectoryObject, error) {
		g, err := tx.GroupByID(pathVar(r, "group-id"))
		if err != nil {
			return nil, err
		}
		return rel(tx, g.ID)
	}
}

// listGroupMembers serves GET /groups/{id}/members: direct members with @odata.type (graph-facts §2.3).
func (s *Server) listGroupMembers(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.groupRelation(r, (*engine.Txn).Members))
}

// listGroupTransitiveMembers serves GET /groups/{id}/transitiveMembers.
func (s *Server) listGroupTransitiveMembers(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.groupRelation(r, (*engine.Txn).TransitiveMembers))
}

// listGroupOwners serves GET /groups/{id}/owners.
func (s *Server) listGroupOwners(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.groupRelation(r, (*engine.Txn).Owners))
}

// listGroupMemberOf serves GET /groups/{id}/memberOf.
func (s *Server) listGroupMemberOf(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.groupRelation(r, asObjects((*engine.Txn).MemberOf)))
}

// listGroupTransitiveMemberOf serves GET /groups/{id}/transitiveMemberOf.
func (s *Server) listGroupTransitiveMemberOf(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.groupRelation(r, asObjects((*engine.Txn).TransitiveMemberOf)))
}

// asObjects adapts a relationship that yields groups (memberOf, transitiveMemberOf) to one that
// yields directory objects.
func asObjects(rel func(tx *engine.Txn, id string) ([]*engine.Group, error)) func(tx *engine.Txn, id string) ([]engine.DirectoryObject, error) {
	return func(tx *engine.Txn, id string) ([]engine.DirectoryObject, error) {
		gs, err := rel(tx, id)
		return groupObjects(gs), err
	}
}

func (s *Server) userGroups(r *http.Request, rel func(tx *engine.Txn, id string) ([]*engine.Group, error)) func(tx *engine.Txn) ([]engine.DirectoryObject, error) {
	return func(tx *engine.Txn) ([]engine.DirectoryObject, error) {
		u, err := tx.UserByRef(pathVar(r, "user-id"))
		if err != nil {
			return nil, err
		}
		gs, err := rel(tx, u.ID)
		return groupObjects(gs), err
	}
}

// listUserMemberOf serves GET /users/{id}/memberOf: the groups the user is a direct member of.
func (s *Server) listUserMemberOf(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.userGroups(r, (*engine.Txn).MemberOf))
}

// listUserTransitiveMemberOf serves GET /users/{id}/transitiveMemberOf.
func (s *Server) listUserTransitiveMemberOf(w http.ResponseWriter, r *http.Request) error {
	return s.listObjects(w, r, s.userGroups(r, (*engine.Txn).TransitiveMemberOf))
}

// refBody reads a {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"} body.
func refBody(r *http.Request) (string, error) {
	members, _, err := decodeBody(r)
	if err != nil {
		return "", err
	}
	raw, ok := members["@odata.id"]
	if !ok {
		// The body must reference an object; Graph's exact wording is not documented [unc].
		return "", engine.BadRequest("The request body must contain an @odata.id reference to a directory object.")
	}
	var ref string
	if err := json.Unmarshal(raw, &ref); err != nil {
		return "", errWrongType(raw, "Edm.String")
	}
	id, ok := bindID(ref)
	if !ok {
		return "", engine.BadRequest("Invalid URL format specified in @odata.id.")
	}
	if !engine.IsGUID(id) {
		return "", errInvalidObjectID(id)
	}
	return id, nil
}

// addGroupMember serves POST /groups/{id}/members/$ref: 204 (graph-facts §2.3).
func (s *Server) addGroupMember(w http.ResponseWriter, r *http.Request) error {
	return s.changeLink(w, r, (*engine.Txn).AddMember)
}

// addGroupOwner serves POST /groups/{id}/owners/$ref: 204.
func (s *Server) addGroupOwner(w http.ResponseWriter, r *http.Request) error {
	return s.changeLink(w, r, (*engine.Txn).AddOwner)
}

func (s *Server) changeLink(w http.ResponseWriter, r *http.Request, op func(tx *engine.Txn, groupID, objectID string) error) error {
	id, err := refBody(r)
	if err != nil {
		return err
	}
	if err := s.checkReplicated(r, id); err != nil {
		return err
	}
	err = s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		return op(tx, pathVar(r, "group-id"), id)
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// removeGroupMember serves DELETE /groups/{id}/members/{memberId}/$ref: 204.
func (s *Server) removeGroupMember(w http.ResponseWriter, r *http.Request) error {
	return s.removeLink(w, r, (*engine.Txn).RemoveMember)
}

// removeGroupOwner serves DELETE /groups/{id}/owners/{ownerId}/$ref: 204.
func (s *Server) removeGroupOwner(w http.ResponseWriter, r *http.Request) error {
	return s.removeLink(w, r, (*engine.Txn).RemoveOwner)
}

func (s *Server) removeLink(w http.ResponseWriter, r *http.Request, op func(tx *engine.Txn, groupID, objectID string) error) error {
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		return op(tx, pathVar(r, "group-id"), pathVar(r, "directoryObject-id"))
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// getDirectoryObject serves GET /directoryObjects/{id}: the user or group with its @odata.type,
// "…#directoryObjects/$entity" ("…#directoryObjects(id,displayName)/$entity" with $select), and
// the relationships $expand names, as GET /users/{id} or GET /groups/{id} expands them.
func (s *Server) getDirectoryObject(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.DirectoryObjects)
	if err != nil {
		return err
	}
	var obj engine.DirectoryObject
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		obj, err = tx.ObjectByID(pathVar(r, "directoryObject-id"))
		return err
	})
	if err != nil {
		return err
	}
	body := object{{"@odata.context", contextURL(r, selectFragment("directoryObjects", q.Select)+"/$entity")}}
	body = append(body, encodeObject(obj, q.Select)...)
	var more []field
	if obj.User != nil {
		more, err = expandOne(s, r, q, userRelations, obj.User)
	} else {
		more, err = expandOne(s, r, q, groupRelations, obj.Group)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, append(body, more...))
	return nil
}

// expandOne returns the relationships of obj that q's $expand names (none without $expand).
func expandOne[T any](s *Server, r *http.Request, q *odata.Query, rels map[string]relation[T], obj *T) ([]field, error) {
	expand, err := expander(s, r, q, rels)
	if err != nil || expand == nil {
		return nil, err
	}
	return expand(obj)
}

// getDirectoryObjectsByIds serves POST /directoryObjects/getByIds with {"ids": [...], "types": [...]}:
// the objects found, unknown ids skipped, in the order asked (Graph allows up to 1000 ids). $select
// is the one query option (odata.ObjectsByIDs).
func (s *Server) getDirectoryObjectsByIds(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.ObjectsByIDs)
	if err != nil {
		return err
	}
	members, _, err := decodeBody(r)
	if err != nil {
		return err
	}
	var ids, types []string
	raw, ok := members["ids"]
	if !ok {
		return engine.MissingValue("ids")
	}
	if ids, err = decodeStrings(raw); err != nil {
		return err
	}
	if len(ids) > 1000 {
		return engine.BadRequest("The number of ids exceeds the maximum of 1000.")
	}
	if raw, ok := members["types"]; ok {
		if types, err = decodeStrings(raw); err != nil {
			return err
		}
	}
	want := func(k engine.ObjectKind) bool {
		if len(types) == 0 {
			return true
		}
		for _, t := range types {
			if strings.EqualFold(strings.TrimPrefix(strings.ToLower(t), "microsoft.graph."), string(k)) {
				return true
			}
		}
		return false
	}
	var values []object
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		for _, id := range ids {
			obj, err := tx.ObjectByID(id)
			if err != nil {
				continue
			}
			if want(obj.Kind) {
				values = append(values, encodeObject(obj, q.Select))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeCollection(w, r, nil, collection{context: contextURL(r, selectFragment("directoryObjects", q.Select)), values: values})
	return nil
}
