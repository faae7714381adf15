package graphmock

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/graphmock/graphmock/engine"
)

// route is one served Graph operation. path is the operation's path template in Microsoft's
// OpenAPI description of Graph v1.0 (bound actions keep their "microsoft.graph." prefix there; the
// short form clients send is served too), so the table lines up with the spec and the coverage ledger.
type route struct {
	method  string
	path    string
	handler func(s *Server, w http.ResponseWriter, r *http.Request) error
}

// graphRoutes is the one route table of the Graph surface, served under /v1.0 and /beta.
// Static segments come before variables so "/users/$count" wins over "/users/{user-id}".
var graphRoutes = []route{
	{http.MethodGet, "/users", (*Server).listUsers},
	{http.MethodPost, "/users", (*Server).createUser},
	{http.MethodGet, "/users/$count", (*Server).countUsers},
	{http.MethodGet, "/users/{user-id}", (*Server).getUser},
	{http.MethodPatch, "/users/{user-id}", (*Server).updateUser},
	{http.MethodDelete, "/users/{user-id}", (*Server).deleteUser},
	{http.MethodGet, "/users/{user-id}/memberOf", (*Server).listUserMemberOf},
	{http.MethodGet, "/users/{user-id}/memberOf/$count", (*Server).countUserMemberOf},
	{http.MethodGet, "/users/{user-id}/memberOf/microsoft.graph.group", (*Server).listUserMemberOfAsGroup},
	{http.MethodGet, "/users/{user-id}/memberOf/microsoft.graph.group/$count", (*Server).countUserMemberOfAsGroup},
	{http.MethodGet, "/users/{user-id}/transitiveMemberOf", (*Server).listUserTransitiveMemberOf},
	{http.MethodGet, "/users/{user-id}/transitiveMemberOf/$count", (*Server).countUserTransitiveMemberOf},
	{http.MethodGet, "/users/{user-id}/transitiveMemberOf/microsoft.graph.group", (*Server).listUserTransitiveMemberOfAsGroup},
	{http.MethodGet, "/users/{user-id}/transitiveMemberOf/microsoft.graph.group/$count", (*Server).countUserTransitiveMemberOfAsGroup},
	{http.MethodGet, "/users/{user-id}/manager", (*Server).getManager},
	{http.MethodGet, "/users/{user-id}/manager/$ref", (*Server).getManagerRef},
	{http.MethodPut, "/users/{user-id}/manager/$ref", (*Server).setManager},
	{http.MethodDelete, "/users/{user-id}/manager/$ref", (*Server).removeManager},
	{http.MethodGet, "/users/{user-id}/directReports", (*Server).listDirectReports},
	{http.MethodGet, "/users/{user-id}/directReports/$count", (*Server).countDirectReports},
	{http.MethodGet, "/users/{user-id}/directReports/microsoft.graph.user", (*Server).listDirectReportsAsUser},
	{http.MethodGet, "/users/{user-id}/directReports/microsoft.graph.user/$count", (*Server).countDirectReportsAsUser},
	{http.MethodPost, "/users/{user-id}/microsoft.graph.assignLicense", (*Server).assignUserLicense},
	{http.MethodPost, "/users/{user-id}/microsoft.graph.reprocessLicenseAssignment", (*Server).reprocessLicenseAssignment},
	{http.MethodGet, "/users/{user-id}/licenseDetails", (*Server).listLicenseDetails},

	{http.MethodGet, "/groups", (*Server).listGroups},
	{http.MethodPost, "/groups", (*Server).createGroup},
	{http.MethodGet, "/groups/$count", (*Server).countGroups},
	{http.MethodGet, "/groups/{group-id}", (*Server).getGroup},
	{http.MethodPatch, "/groups/{group-id}", (*Server).updateGroup},
	{http.MethodDelete, "/groups/{group-id}", (*Server).deleteGroup},
	{http.MethodGet, "/groups/{group-id}/members", (*Server).listGroupMembers},
	{http.MethodGet, "/groups/{group-id}/members/$count", (*Server).countGroupMembers},
	{http.MethodGet, "/groups/{group-id}/members/microsoft.graph.user", (*Server).listGroupMembersAsUser},
	{http.MethodGet, "/groups/{group-id}/members/microsoft.graph.user/$count", (*Server).countGroupMembersAsUser},
	{http.MethodGet, "/groups/{group-id}/members/microsoft.graph.group", (*Server).listGroupMembersAsGroup},
	{http.MethodGet, "/groups/{group-id}/members/microsoft.graph.group/$count", (*Server).countGroupMembersAsGroup},
	{http.MethodPost, "/groups/{group-id}/members/$ref", (*Server).addGroupMember},
	{http.MethodDelete, "/groups/{group-id}/members/{directoryObject-id}/$ref", (*Server).removeGroupMember},
	{http.MethodGet, "/groups/{group-id}/transitiveMembers", (*Server).listGroupTransitiveMembers},
	{http.MethodGet, "/groups/{group-id}/transitiveMembers/$count", (*Server).countGroupTransitiveMembers},
	{http.MethodGet, "/groups/{group-id}/transitiveMembers/microsoft.graph.user", (*Server).listGroupTransitiveMembersAsUser},
	{http.MethodGet, "/groups/{group-id}/transitiveMembers/microsoft.graph.user/$count", (*Server).countGroupTransitiveMembersAsUser},
	{http.MethodGet, "/groups/{group-id}/transitiveMembers/microsoft.graph.group", (*Server).listGroupTransitiveMembersAsGroup},
	{http.MethodGet, "/groups/{group-id}/transitiveMembers/microsoft.graph.group/$count", (*Server).countGroupTransitiveMembersAsGroup},
	{http.MethodGet, "/groups/{group-id}/owners", (*Server).listGroupOwners},
	{http.MethodGet, "/groups/{group-id}/owners/$count", (*Server).countGroupOwners},
	{http.MethodGet, "/groups/{group-id}/owners/microsoft.graph.user", (*Server).listGroupOwnersAsUser},
	{http.MethodGet, "/groups/{group-id}/owners/microsoft.graph.user/$count", (*Server).countGroupOwnersAsUser},
	{http.MethodGet, "/groups/{group-id}/owners/microsoft.graph.group", (*Server).listGroupOwnersAsGroup},
	{http.MethodGet, "/groups/{group-id}/owners/microsoft.graph.group/$count", (*Server).countGroupOwnersAsGroup},
	{http.MethodPost, "/groups/{group-id}/owners/$ref", (*Server).addGroupOwner},
	{http.MethodDelete, "/groups/{group-id}/owners/{directoryObject-id}/$ref", (*Server).removeGroupOwner},
	{http.MethodGet, "/groups/{group-id}/memberOf", (*Server).listGroupMemberOf},
	{http.MethodGet, "/groups/{group-id}/memberOf/$count", (*Server).countGroupMemberOf},
	{http.MethodGet, "/groups/{group-id}/memberOf/microsoft.graph.group", (*Server).listGroupMemberOfAsGroup},
	{http.MethodGet, "/groups/{group-id}/memberOf/microsoft.graph.group/$count", (*Server).countGroupMemberOfAsGroup},
	{http.MethodGet, "/groups/{group-id}/transitiveMemberOf", (*Server).listGroupTransitiveMemberOf},
	{http.MethodGet, "/groups/{group-id}/transitiveMemberOf/$count", (*Server).countGroupTransitiveMemberOf},
	{http.MethodGet, "/groups/{group-id}/transitiveMemberOf/microsoft.graph.group", (*Server).listGroupTransitiveMemberOfAsGroup},
	{http.MethodGet, "/groups/{group-id}/transitiveMemberOf/microsoft.graph.group/$count", (*Server).countGroupTransitiveMemberOfAsGroup},
	{http.MethodPost, "/groups/{group-id}/microsoft.graph.assignLicense", (*Server).assignGroupLicense},
	{http.MethodGet, "/groups/{group-id}/membersWithLicenseErrors", (*Server).listMembersWithLicenseErrors},
	{http.MethodGet, "/groups/{group-id}/membersWithLicenseErrors/$count", (*Server).countMembersWithLicenseErrors},
	{http.MethodGet, "/groups/{group-id}/membersWithLicenseErrors/microsoft.graph.user", (*Server).listMembersWithLicenseErrorsAsUser},
	{http.MethodGet, "/groups/{group-id}/membersWithLicenseErrors/microsoft.graph.user/$count", (*Server).countMembersWithLicenseErrorsAsUser},

	{http.MethodPost, "/directoryObjects/microsoft.graph.getByIds", (*Server).getDirectoryObjectsByIds},
	{http.MethodGet, "/directoryObjects/{directoryObject-id}", (*Server).getDirectoryObject},

	{http.MethodGet, "/directory/deletedItems/microsoft.graph.user", (*Server).listDeletedUsers},
	{http.MethodGet, "/directory/deletedItems/microsoft.graph.group", (*Server).listDeletedGroups},
	{http.MethodGet, "/directory/deletedItems/{directoryObject-id}", (*Server).getDeletedItem},
	{http.MethodDelete, "/directory/deletedItems/{directoryObject-id}", (*Server).deleteDeletedItem},
	{http.MethodPost, "/directory/deletedItems/{directoryObject-id}/microsoft.graph.restore", (*Server).restoreDeletedItem},

	{http.MethodGet, "/subscribedSkus", (*Server).listSubscribedSkus},
	{http.MethodGet, "/subscribedSkus/{subscribedSku-id}", (*Server).getSubscribedSku},
	{http.MethodGet, "/auditLogs/directoryAudits", (*Server).listDirectoryAudits},
	{http.MethodGet, "/auditLogs/directoryAudits/{directoryAudit-id}", (*Server).getDirectoryAudit},
	{http.MethodGet, "/organization", (*Server).listOrganization},
	{http.MethodGet, "/organization/{organization-id}", (*Server).getOrganization},
}

// apiVersions are the path prefixes the Graph routes are served under.
var apiVersions = []string{"/v1.0", "/beta"}

// routes builds the router. Paths are matched case-insensitively, as Graph matches them
// (graph-facts §2.6): templates are registered lower-cased and requests are routed on their
// lower-cased path; pathVar recovers variables in their original spelling.
func (s *Server) routes() *mux.Router {
	r := mux.NewRouter()
	r.SkipClean(true)
	s.controlPlaneRoutes(r)
	s.identityRoutes(r)
	for _, v := range apiVersions {
		for _, rt := range graphRoutes {
			rt := rt
			own := routeNode(rt)
			h := func(w http.ResponseWriter, req *http.Request) {
				if err := shadowedOperation(req, own); err != nil {
					s.writeError(w, req, err)
					return
				}
				if !s.authorize(w, req, rt) {
					return
				}
				if err := checkLabelledBody(req); err != nil {
					s.writeError(w, req, err)
					return
				}
				if err := checkObjectIDs(req); err != nil {
					s.writeError(w, req, err)
					return
				}
				if err := rt.handler(s, w, req); err != nil {
					s.writeError(w, req, err)
				}
			}
			for _, p := range routeForms(rt.method, rt.path) {
				r.Methods(rt.method).Path(v + lowerStatic(p)).HandlerFunc(h)
			}
		}
	}
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if err := unservedError(req); err != nil {
			s.writeError(w, req, err)
			return
		}
		s.writeError(w, req, errMethodNotAllowed)
	})
	r.NotFoundHandler = http.HandlerFunc(s.notFound)
	return r
}

// routeForms returns the spec template, its form with Graph's namespace alias ("graph.user" for
// "microsoft.graph.user", as the SDKs send casts) and, for bound actions (POST) and functions
// ("…()"), the short form clients send ("/users/{id}/assignLicense" for
// ".../microsoft.graph.assignLicense"). Type casts ("GET …/members/microsoft.graph.user",
// "…/microsoft.graph.user/$count") have no short form: "…/members/user" names a member.
func routeForms(method, p string) []string {
	i := strings.Index(p, "/microsoft.graph.")
	if i < 0 {
		return []string{p}
	}
	forms := []string{p, strings.Replace(p, "/microsoft.graph.", "/graph.", 1)}
	seg, _, _ := strings.Cut(p[i+1:], "/")
	if method != http.MethodPost && !strings.HasSuffix(seg, ")") {
		return forms
	}
	return append(forms, strings.Replace(p, "/microsoft.graph.", "/", 1))
}

// lowerStatic lower-cases a template's static segments and keeps variable names.
func lowerStatic(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			segs[i] = strings.ToLower(s)
		}
	}
	return strings.Join(segs, "/")
}

// caseInsensitive routes on the lower-cased path and keeps the original for pathVar.
func caseInsensitive(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = strings.ToLower(r.URL.Path)
		r2.URL.RawPath = ""
		next.ServeHTTP(w, r2)
	})
}

// pathVar returns the named path variable as the client spelled it.
func pathVar(r *http.Request, name string) string {
	v := mux.Vars(r)[name]
	cur := mux.CurrentRoute(r)
	orig, _ := r.Context().Value(ctxOriginalPath).(string)
	if cur == nil || orig == "" {
		return v
	}
	tpl, err := cur.GetPathTemplate()
	if err != nil {
		return v
	}
	ts, os := strings.Split(tpl, "/"), strings.Split(orig, "/")
	if len(ts) != len(os) {
		return v
	}
	for i, seg := range ts {
		if seg == "{"+name+"}" {
			return os[i]
		}
	}
	return v
}

// notFound answers paths no route serves: under /v1.0 or /beta Graph's OData layer names the
// segment it could not resolve (400 BadRequest "Resource not found for the segment '…'."); any
// other path is a 404 in the Graph envelope.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	orig, _ := r.Context().Value(ctxOriginalPath).(string)
	if orig == "" {
		orig = r.URL.Path
	}
	if err := unservedError(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	segs := strings.Split(strings.Trim(orig, "/"), "/")
	if len(segs) >= 2 && (strings.EqualFold(segs[0], "v1.0") || strings.EqualFold(segs[0], "beta")) {
		s.writeError(w, r, errUnknownSegment(firstUnresolvedSegment(segs[1:])))
		return
	}
	s.writeError(w, r, newHTTPError(http.StatusNotFound, "NotFound", "No Microsoft Graph route matches "+r.Method+" "+orig+"."))
}

// objectIDVars are the path variables that take only an object id (a GUID). {user-id} also
// takes a userPrincipalName, so it isn't one of them.
var objectIDVars = []string{"group-id", "directoryObject-id"}

// checkObjectIDs refuses an object id that isn't a GUID as Graph does: 400 Request_BadRequest
// "Invalid object identifier '…'." [obs], rather than looking it up.
func checkObjectIDs(r *http.Request) error {
	vars := mux.Vars(r)
	for _, name := range objectIDVars {
		if _, ok := vars[name]; !ok {
			continue
		}
		if v := pathVar(r, name); !engine.IsGUID(v) {
			return errInvalidObjectID(v)
		}
	}
	return nil
}

// errInvalidObjectID is Graph's refusal of an object id that isn't a GUID, in a path or in an
// @odata.id / @odata.bind reference (a userPrincipalName there included) [obs].
func errInvalidObjectID(v string) error {
	return newHTTPError(http.StatusBadRequest, engine.CodeRequestBadRequest, "Invalid object identifier '"+v+"'.")
}

// checkLabelledBody refuses a POST, PUT or PATCH whose body is labelled other than JSON, also for
// operations that read no body (reprocessLicenseAssignment): Graph's OData reader looks at the
// label first (checkJSONContentType). An unlabelled request is left to the operation.
func checkLabelledBody(r *http.Request) error {
	if (r.Method != http.MethodPost && r.Method != http.MethodPatch && r.Method != http.MethodPut) || r.Header.Get("Content-Type") == "" || r.ContentLength == 0 {
		return nil
	}
	return checkJSONContentType(r)
}
