package graphmock

import (
	"net/http"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// OData cast segments of directoryObject relationships: GET …/members/microsoft.graph.user and
// the like (also spelled …/members/graph.user, as the SDKs send them), and their /$count.
//
// Source: group-list-members, group-list-transitivemembers, group-list-owners,
// group-list-memberof, group-list-transitivememberof, user-list-memberof,
// user-list-transitivememberof ("OData cast is enabled: /groups/{id}/members/microsoft.graph.user
// retrieves members that are users") and concepts/aad-advanced-queries. A cast list is a
// collection of the cast type: only the related objects of that type, "@odata.context"
// "…/$metadata#users" or "…#groups" ("…#users(displayName,id)" with $select), each item in the
// default property set GET /users or GET /groups returns, and without "@odata.type" — the doc
// examples of …/members/microsoft.graph.user and …/transitiveMembers/microsoft.graph.user show
// none (the uncast directoryObject lists carry it). Query options follow the relationship rules
// (odata.CastUsers, odata.CastGroups): $filter, $orderby, $search and $count=true need
// ConsistencyLevel: eventual and $count=true; $top 1..999, 100 by default, with
// @odata.nextLink. An unknown group or user id is the 404 of the uncast relationship. Casts to
// types graphmock doesn't hold (device, servicePrincipal, orgContact, application,
// administrativeUnit, directoryRole) have no route and answer 501.

// objectsLoader reads one directoryObject relationship in a read transaction.
type objectsLoader = func(tx *engine.Txn) ([]engine.DirectoryObject, error)

// castKind is a type a relationship can be cast to: its capability table, wire type, entity set
// (for @odata.context), the relationships $expand serves on it, how to pick it out of a
// directory object, and how to add filter-only values to its records.
type castKind[T any] struct {
	res  *odata.Resource
	et   *entityType[T]
	set  string
	rels map[string]relation[T]
	pick func(engine.DirectoryObject) *T
	flag func(tx *engine.Txn, q *odata.Query, recs []entityRecord[T]) error
}

var (
	asUser = castKind[engine.User]{
		res: odata.CastUsers, et: userType, set: "users", rels: userRelations,
		pick: func(o engine.DirectoryObject) *engine.User { return o.User },
	}
	asGroup = castKind[engine.Group]{
		res: odata.CastGroups, et: groupType, set: "groups", rels: groupRelations,
		pick: func(o engine.DirectoryObject) *engine.Group { return o.Group },
		flag: flagLicenseErrors,
	}
)

// listCast serves a cast list: the relationship's objects of c's type through the list pipeline.
// Errors: the query's 400s (odata.Parse against c.res), then the relationship's 404.
func listCast[T any](s *Server, w http.ResponseWriter, r *http.Request, c castKind[T], load objectsLoader) error {
	q, err := parseQuery(r, c.res)
	if err != nil {
		return err
	}
	expand, err := expander(s, r, q, c.rels)
	if err != nil {
		return err
	}
	recs, err := castRecords(s, r, q, c, load)
	if err != nil {
		return err
	}
	return listRecords(w, r, q, c.et, c.set, recs, expand)
}

// countCast serves a cast list's /$count: text/plain, ConsistencyLevel: eventual required
// (400 Request_BadRequest "$count is not currently supported." without it, as …/members/$count).
func countCast[T any](s *Server, w http.ResponseWriter, r *http.Request, c castKind[T], load objectsLoader) error {
	q, err := parseCountQuery(r, c.res)
	if err != nil {
		return err
	}
	recs, err := castRecords(s, r, q, c, load)
	if err != nil {
		return err
	}
	return countEntities(w, q, recs)
}

func castRecords[T any](s *Server, r *http.Request, q *odata.Query, c castKind[T], load objectsLoader) ([]entityRecord[T], error) {
	var recs []entityRecord[T]
	err := s.tenantFor(r).store.View(func(tx *engine.Txn) error {
		objs, err := load(tx)
		if err != nil {
			return err
		}
		for _, o := range objs {
			if v := c.pick(o); v != nil {
				recs = append(recs, entityRecord[T]{et: c.et, obj: v})
			}
		}
		if c.flag != nil {
			return c.flag(tx, q, recs)
		}
		return nil
	})
	return recs, err
}

// listGroupMembersAsUser serves GET /groups/{id}/members/microsoft.graph.user.
func (s *Server) listGroupMembersAsUser(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asUser, s.groupRelation(r, (*engine.Txn).Members))
}

// countGroupMembersAsUser serves GET /groups/{id}/members/microsoft.graph.user/$count.
func (s *Server) countGroupMembersAsUser(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asUser, s.groupRelation(r, (*engine.Txn).Members))
}

// listGroupMembersAsGroup serves GET /groups/{id}/members/microsoft.graph.group.
func (s *Server) listGroupMembersAsGroup(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asGroup, s.groupRelation(r, (*engine.Txn).Members))
}

// countGroupMembersAsGroup serves GET /groups/{id}/members/microsoft.graph.group/$count.
func (s *Server) countGroupMembersAsGroup(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asGroup, s.groupRelation(r, (*engine.Txn).Members))
}

// listGroupTransitiveMembersAsUser serves GET /groups/{id}/transitiveMembers/microsoft.graph.user.
func (s *Server) listGroupTransitiveMembersAsUser(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asUser, s.groupRelation(r, (*engine.Txn).TransitiveMembers))
}

// countGroupTransitiveMembersAsUser serves GET /groups/{id}/transitiveMembers/microsoft.graph.user/$count.
func (s *Server) countGroupTransitiveMembersAsUser(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asUser, s.groupRelation(r, (*engine.Txn).TransitiveMembers))
}

// listGroupTransitiveMembersAsGroup serves GET /groups/{id}/transitiveMembers/microsoft.graph.group.
func (s *Server) listGroupTransitiveMembersAsGroup(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asGroup, s.groupRelation(r, (*engine.Txn).TransitiveMembers))
}

// countGroupTransitiveMembersAsGroup serves GET /groups/{id}/transitiveMembers/microsoft.graph.group/$count.
func (s *Server) countGroupTransitiveMembersAsGroup(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asGroup, s.groupRelation(r, (*engine.Txn).TransitiveMembers))
}

// listGroupOwnersAsUser serves GET /groups/{id}/owners/microsoft.graph.user.
func (s *Server) listGroupOwnersAsUser(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asUser, s.groupRelation(r, (*engine.Txn).Owners))
}

// countGroupOwnersAsUser serves GET /groups/{id}/owners/microsoft.graph.user/$count.
func (s *Server) countGroupOwnersAsUser(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asUser, s.groupRelation(r, (*engine.Txn).Owners))
}

// listGroupOwnersAsGroup serves GET /groups/{id}/owners/microsoft.graph.group.
func (s *Server) listGroupOwnersAsGroup(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asGroup, s.groupRelation(r, (*engine.Txn).Owners))
}

// countGroupOwnersAsGroup serves GET /groups/{id}/owners/microsoft.graph.group/$count.
func (s *Server) countGroupOwnersAsGroup(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asGroup, s.groupRelation(r, (*engine.Txn).Owners))
}

// listGroupMemberOfAsGroup serves GET /groups/{id}/memberOf/microsoft.graph.group.
func (s *Server) listGroupMemberOfAsGroup(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asGroup, s.groupRelation(r, asObjects((*engine.Txn).MemberOf)))
}

// countGroupMemberOfAsGroup serves GET /groups/{id}/memberOf/microsoft.graph.group/$count.
func (s *Server) countGroupMemberOfAsGroup(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asGroup, s.groupRelation(r, asObjects((*engine.Txn).MemberOf)))
}

// listGroupTransitiveMemberOfAsGroup serves GET /groups/{id}/transitiveMemberOf/microsoft.graph.group.
func (s *Server) listGroupTransitiveMemberOfAsGroup(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asGroup, s.groupRelation(r, asObjects((*engine.Txn).TransitiveMemberOf)))
}

// countGroupTransitiveMemberOfAsGroup serves GET /groups/{id}/transitiveMemberOf/microsoft.graph.group/$count.
func (s *Server) countGroupTransitiveMemberOfAsGroup(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asGroup, s.groupRelation(r, asObjects((*engine.Txn).TransitiveMemberOf)))
}

// listMembersWithLicenseErrorsAsUser serves GET /groups/{id}/membersWithLicenseErrors/microsoft.graph.user.
func (s *Server) listMembersWithLicenseErrorsAsUser(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asUser, s.groupRelation(r, licenseErrorMembers))
}

// countMembersWithLicenseErrorsAsUser serves GET /groups/{id}/membersWithLicenseErrors/microsoft.graph.user/$count.
func (s *Server) countMembersWithLicenseErrorsAsUser(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asUser, s.groupRelation(r, licenseErrorMembers))
}

// listUserMemberOfAsGroup serves GET /users/{id}/memberOf/microsoft.graph.group (user-list-memberof).
func (s *Server) listUserMemberOfAsGroup(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asGroup, s.userGroups(r, (*engine.Txn).MemberOf))
}

// countUserMemberOfAsGroup serves GET /users/{id}/memberOf/microsoft.graph.group/$count.
func (s *Server) countUserMemberOfAsGroup(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asGroup, s.userGroups(r, (*engine.Txn).MemberOf))
}

// listUserTransitiveMemberOfAsGroup serves GET /users/{id}/transitiveMemberOf/microsoft.graph.group.
func (s *Server) listUserTransitiveMemberOfAsGroup(w http.ResponseWriter, r *http.Request) error {
	return listCast(s, w, r, asGroup, s.userGroups(r, (*engine.Txn).TransitiveMemberOf))
}

// countUserTransitiveMemberOfAsGroup serves GET /users/{id}/transitiveMemberOf/microsoft.graph.group/$count.
func (s *Server) countUserTransitiveMemberOfAsGroup(w http.ResponseWriter, r *http.Request) error {
	return countCast(s, w, r, asGroup, s.userGroups(r, (*engine.Txn).TransitiveMemberOf))
}
