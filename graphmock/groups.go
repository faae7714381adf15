package graphmock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// listGroups serves GET /groups (graph-facts §2.2).
func (s *Server) listGroups(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.Groups)
	if err != nil {
		return err
	}
	expand, err := expander(s, r, q, groupRelations)
	if err != nil {
		return err
	}
	recs, err := s.groupRecords(r, q)
	if err != nil {
		return err
	}
	return listRecords(w, r, q, groupType, "groups", recs, expand)
}

// groupRecords returns the groups a query can match as records. When the filter reads
// hasMembersWithLicenseErrors — a filter-only property, never returned (graph-facts §0.5) — each
// record carries it, computed by the licensing engine.
func (s *Server) groupRecords(r *http.Request, q *odata.Query) ([]entityRecord[engine.Group], error) {
	groups, err := s.activeGroups(r, q)
	if err != nil {
		return nil, err
	}
	recs := records(groupType, groups)
	if !readsLicenseErrors(q) {
		return recs, nil
	}
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		return flagLicenseErrors(tx, q, recs)
	})
	return recs, err
}

func readsLicenseErrors(q *odata.Query) bool {
	return q.Filter != nil && strings.Contains(strings.ToLower(q.Filter.String()), "hasmemberswithlicenseerrors")
}

// flagLicenseErrors gives each record the filter-only hasMembersWithLicenseErrors when q's
// filter reads it.
func flagLicenseErrors(tx *engine.Txn, q *odata.Query, recs []entityRecord[engine.Group]) error {
	if !readsLicenseErrors(q) {
		return nil
	}
	for i := range recs {
		has, err := tx.GroupHasMembersWithLicenseErrors(recs[i].obj.ID)
		if err != nil {
			return err
		}
		recs[i].extra = map[string]any{"hasMembersWithLicenseErrors": has}
	}
	return nil
}

// activeGroups returns the tenant's groups that the filter can match, from an index when it can.
func (s *Server) activeGroups(r *http.Request, q *odata.Query) ([]*engine.Group, error) {
	var groups []*engine.Group
	add := func(g *engine.Group) bool { groups = append(groups, g); return true }
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		if v, ok := q.EqualityOn("id"); ok {
			if g, err := tx.GroupByID(v); err == nil {
				groups = append(groups, g)
			}
			return nil
		}
		if q.Filter != nil {
			if index, value, prefix, ok := indexHint(q.Filter, groupIndexes); ok {
				return tx.GroupsByIndex(index, value, prefix, add)
			}
		}
		return tx.Groups(add)
	})
	return groups, err
}

// countGroups serves GET /groups/$count.
func (s *Server) countGroups(w http.ResponseWriter, r *http.Request) error {
	q, err := parseCountQuery(r, odata.Groups)
	if err != nil {
		return err
	}
	recs, err := s.groupRecords(r, q)
	if err != nil {
		return err
	}
	return countEntities(w, q, recs)
}

// getGroup serves GET /groups/{id}.
func (s *Server) getGroup(w http.ResponseWriter, r *http.Request) error {
	q, err := parseQuery(r, odata.Groups)
	if err != nil {
		return err
	}
	var g *engine.Group
	err = s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		g, err = tx.GroupByID(pathVar(r, "group-id"))
		return err
	})
	if err != nil {
		return err
	}
	expand, err := expander(s, r, q, groupRelations)
	if err != nil {
		return err
	}
	body := object{{"@odata.context", contextURL(r, selectFragment("groups", q.Select)+"/$entity")}}
	body = append(body, groupType.encode(g, q.Select, false)...)
	if expand != nil {
		more, err := expand(g)
		if err != nil {
			return err
		}
		body = append(body, more...)
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

func (s *Server) writeGroup(w http.ResponseWriter, r *http.Request, status int, g *engine.Group, sel []string) {
	body := object{{"@odata.context", contextURL(r, selectFragment("groups", sel)+"/$entity")}}
	body = append(body, groupType.encode(g, sel, false)...)
	writeJSON(w, status, body)
}

// maxBindsPerRequest is how many members@odata.bind references one request may carry (graph-facts §2.2).
const maxBindsPerRequest = 20

// groupBinds takes members@odata.bind and owners@odata.bind out of a body.
func groupBinds(members map[string]json.RawMessage, order []string) (memberIDs, ownerIDs []string, rest []string, err error) {
	for _, k := range order {
		kind := ""
		switch strings.ToLower(k) {
		case "members@odata.bind":
			kind = "members"
		case "owners@odata.bind":
			kind = "owners"
		default:
			rest = append(rest, k)
			continue
		}
		var refs []string
		if err := json.Unmarshal(members[k], &refs); err != nil {
			return nil, nil, nil, errWrongType(members[k], "Collection(Edm.String)")
		}
		if len(refs) > maxBindsPerRequest {
			// The limit is documented; the refusal's wording is not [unc].
			return nil, nil, nil, engine.BadRequest("A maximum of 20 %s can be added in one request.", kind)
		}
		for _, ref := range refs {
			id, ok := bindID(ref)
			if !ok {
				return nil, nil, nil, engine.BadRequest("Invalid URL format specified in @odata.bind for %s", kind)
			}
			if !engine.IsGUID(id) {
				return nil, nil, nil, errInvalidObjectID(id)
			}
			if kind == "members" {
				memberIDs = append(memberIDs, id)
			} else {
				ownerIDs = append(ownerIDs, id)
			}
		}
	}
	return memberIDs, ownerIDs, rest, nil
}

// bindID extracts the object id from an @odata.bind / @odata.id URL such as
// "https://graph.microsoft.com/v1.0/directoryObjects/{id}" (also users/{id}, groups/{id}).
func bindID(ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	segs := strings.Split(strings.TrimSuffix(u.Path, "/"), "/")
	if len(segs) < 2 {
		return "", false
	}
	id, coll := segs[len(segs)-1], strings.ToLower(segs[len(segs)-2])
	if coll != "directoryobjects" && coll != "users" && coll != "groups" {
		return "", false
	}
	return id, id != ""
}

// bindLinks adds the owners and members an @odata.bind list names, owners first.
func bindLinks(tx *engine.Txn, groupID string, ownerIDs, memberIDs []string) error {
	for _, id := range ownerIDs {
		if err := tx.AddOwner(groupID, id); err != nil {
			return err
		}
	}
	for _, id := range memberIDs {
		if err := tx.AddMember(groupID, id); err != nil {
			return err
		}
	}
	return nil
}

// createGroup serves POST /groups: 201 with the group. Required: displayName, mailEnabled,
// mailNickname, securityEnabled; members@odata.bind and owners@odata.bind are accepted (graph-facts §2.2).
func (s *Server) createGroup(w http.ResponseWriter, r *http.Request) error {
	members, order, err := decodeBody(r)
	if err != nil {
		return err
	}
	memberIDs, ownerIDs, order, err := groupBinds(members, without(order, "id"))
	if err != nil {
		return err
	}
	if err := s.checkReplicated(r, append(ownerIDs, memberIDs...)...); err != nil {
		return err
	}
	g := &engine.Group{}
	if err := groupType.apply(g, members, order); err != nil {
		return err
	}
	for _, req := range []string{"displayName", "mailEnabled", "mailNickname", "securityEnabled"} {
		if !hasMember(members, req) {
			return engine.MissingValue(req)
		}
	}
	var created *engine.Group
	t := s.tenantFor(r)
	err = t.store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		created, err = tx.CreateGroup(g)
		if err != nil {
			return err
		}
		if err := bindLinks(tx, created.ID, ownerIDs, memberIDs); err != nil {
			return err
		}
		created, err = tx.GroupByID(created.ID)
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", directoryObjectLocation(t.id, created.ID, "Group"))
	s.writeGroup(w, r, http.StatusCreated, created, nil)
	return nil
}

// updateGroup serves PATCH /groups/{id}: 204; members@odata.bind (at most 20) are added atomically.
func (s *Server) updateGroup(w http.ResponseWriter, r *http.Request) error {
	members, order, err := decodeBody(r)
	if err != nil {
		return err
	}
	memberIDs, ownerIDs, order, err := groupBinds(members, without(order, "id"))
	if err != nil {
		return err
	}
	if err := s.checkReplicated(r, append(ownerIDs, memberIDs...)...); err != nil {
		return err
	}
	err = s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		cur, err := tx.GroupByID(pathVar(r, "group-id"))
		if err != nil {
			return err
		}
		if len(order) > 0 {
			g := cur.Clone()
			if err := groupType.apply(g, members, order); err != nil {
				return err
			}
			if _, err := tx.UpdateGroup(g); err != nil {
				return err
			}
		}
		return bindLinks(tx, cur.ID, ownerIDs, memberIDs)
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}

// deleteGroup serves DELETE /groups/{id}: 204. Licensed groups are refused (graph-facts §4.4).
func (s *Server) deleteGroup(w http.ResponseWriter, r *http.Request) error {
	err := s.tenantFor(r).store.Update(s.actorFor(r), func(tx *engine.Txn) error {
		return tx.DeleteGroup(pathVar(r, "group-id"))
	})
	if err != nil {
		return err
	}
	writeNoContent(w)
	return nil
}
