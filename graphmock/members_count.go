package graphmock

import (
	"net/http"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// The /$count segments of the directoryObject relationships (graph-facts §2.9,
// concepts/aad-advanced-queries): the number of related objects that $filter or $search match,
// as text/plain. They need ConsistencyLevel: eventual; without it the answer is 400
// Request_BadRequest "$count is not currently supported.". An unknown group or user id is the
// 404 of the relationship list.

// countObjects serves the /$count of the relationship load reads.
func (s *Server) countObjects(w http.ResponseWriter, r *http.Request, load objectsLoader) error {
	q, err := parseCountQuery(r, odata.DirectoryObjects)
	if err != nil {
		return err
	}
	recs, err := s.loadObjects(r, load)
	if err != nil {
		return err
	}
	return countEntities(w, q, recs)
}

// countGroupMembers serves GET /groups/{id}/members/$count.
func (s *Server) countGroupMembers(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.groupRelation(r, (*engine.Txn).Members))
}

// countGroupTransitiveMembers serves GET /groups/{id}/transitiveMembers/$count.
func (s *Server) countGroupTransitiveMembers(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.groupRelation(r, (*engine.Txn).TransitiveMembers))
}

// countGroupOwners serves GET /groups/{id}/owners/$count.
func (s *Server) countGroupOwners(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.groupRelation(r, (*engine.Txn).Owners))
}

// countGroupMemberOf serves GET /groups/{id}/memberOf/$count.
func (s *Server) countGroupMemberOf(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.groupRelation(r, asObjects((*engine.Txn).MemberOf)))
}

// countGroupTransitiveMemberOf serves GET /groups/{id}/transitiveMemberOf/$count.
func (s *Server) countGroupTransitiveMemberOf(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.groupRelation(r, asObjects((*engine.Txn).TransitiveMemberOf)))
}

// countMembersWithLicenseErrors serves GET /groups/{id}/membersWithLicenseErrors/$count.
func (s *Server) countMembersWithLicenseErrors(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.groupRelation(r, licenseErrorMembers))
}

// countUserMemberOf serves GET /users/{id}/memberOf/$count.
func (s *Server) countUserMemberOf(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.userGroups(r, (*engine.Txn).MemberOf))
}

// countUserTransitiveMemberOf serves GET /users/{id}/transitiveMemberOf/$count.
func (s *Server) countUserTransitiveMemberOf(w http.ResponseWriter, r *http.Request) error {
	return s.countObjects(w, r, s.userGroups(r, (*engine.Txn).TransitiveMemberOf))
}
