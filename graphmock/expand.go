package graphmock

import (
	"net/http"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// maxExpanded is how many related objects $expand returns per relationship (graph-facts §6.4:
// a documented limit of Graph's directory).
const maxExpanded = 100

// relation loads the objects of one navigation property of an entity.
type relation[T any] func(tx *engine.Txn, obj *T) ([]engine.DirectoryObject, error)

func groupsAsObjects(gs []*engine.Group, err error) ([]engine.DirectoryObject, error) {
	return groupObjects(gs), err
}

// userRelations are the user navigation properties $expand serves.
var userRelations = map[string]relation[engine.User]{
	"memberOf": func(tx *engine.Txn, u *engine.User) ([]engine.DirectoryObject, error) {
		return groupsAsObjects(tx.MemberOf(u.ID))
	},
	"transitiveMemberOf": func(tx *engine.Txn, u *engine.User) ([]engine.DirectoryObject, error) {
		return groupsAsObjects(tx.TransitiveMemberOf(u.ID))
	},
	"manager": func(tx *engine.Txn, u *engine.User) ([]engine.DirectoryObject, error) {
		m, err := tx.ManagerOf(u.ID)
		if m == nil || err != nil {
			return nil, err
		}
		return []engine.DirectoryObject{{Kind: engine.ObjectUser, User: m}}, nil
	},
	"directReports": func(tx *engine.Txn, u *engine.User) ([]engine.DirectoryObject, error) {
		return tx.DirectReports(u.ID)
	},
}

// singleValued names the navigation properties that hold one object: $expand writes the object
// (with its @odata.type), not an array, and leaves the property out when there is none
// (user-list-manager: "GET /users?$expand=manager").
var singleValued = map[string]bool{"manager": true}

// groupRelations are the group navigation properties $expand serves.
var groupRelations = map[string]relation[engine.Group]{
	"members": func(tx *engine.Txn, g *engine.Group) ([]engine.DirectoryObject, error) { return tx.Members(g.ID) },
	"transitiveMembers": func(tx *engine.Txn, g *engine.Group) ([]engine.DirectoryObject, error) {
		return tx.TransitiveMembers(g.ID)
	},
	"owners": func(tx *engine.Txn, g *engine.Group) ([]engine.DirectoryObject, error) { return tx.Owners(g.ID) },
	"memberOf": func(tx *engine.Txn, g *engine.Group) ([]engine.DirectoryObject, error) {
		return groupsAsObjects(tx.MemberOf(g.ID))
	},
	"transitiveMemberOf": func(tx *engine.Txn, g *engine.Group) ([]engine.DirectoryObject, error) {
		return groupsAsObjects(tx.TransitiveMemberOf(g.ID))
	},
	"membersWithLicenseErrors": func(tx *engine.Txn, g *engine.Group) ([]engine.DirectoryObject, error) {
		users, err := tx.MembersWithLicenseErrors(g.ID)
		out := make([]engine.DirectoryObject, len(users))
		for i, u := range users {
			out[i] = engine.DirectoryObject{Kind: engine.ObjectUser, User: u}
		}
		return out, err
	},
}

// expander returns the function that adds q's expanded relationships to an encoded entity, or nil
// when $expand is absent. A relationship graphmock doesn't model (ownedObjects, registeredDevices…)
// answers 501 naming it.
func expander[T any](s *Server, r *http.Request, q *odata.Query, rels map[string]relation[T]) (func(*T) ([]field, error), error) {
	if len(q.Expand) == 0 {
		return nil, nil
	}
	for _, name := range q.Expand {
		if rels[name] == nil {
			return nil, newHTTPError(http.StatusNotImplemented, engine.CodeNotImplemented,
				"graphmock does not implement $expand="+name+".")
		}
	}
	store := s.tenantFor(r).store
	return func(obj *T) ([]field, error) {
		var out []field
		err := store.View(func(tx *engine.Txn) error {
			for _, name := range q.Expand {
				objs, err := rels[name](tx, obj)
				if err != nil {
					return err
				}
				if singleValued[name] {
					if len(objs) > 0 {
						out = append(out, field{name, encodeObject(objs[0], nil)})
					}
					continue
				}
				if len(objs) > maxExpanded {
					objs = objs[:maxExpanded]
				}
				values := make([]object, len(objs))
				for i, o := range objs {
					values[i] = encodeObject(o, nil)
				}
				out = append(out, field{name, values})
			}
			return nil
		})
		return out, err
	}, nil
}
