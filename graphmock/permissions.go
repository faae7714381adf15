package graphmock

import (
	"net/http"
	"strings"
)

// opPermissions are the Microsoft Graph permissions any one of which lets a caller perform an
// operation, least privileged first, for app-only (application) and delegated tokens. Source:
// the "Permissions" table of each operation's v1.0 API reference page
// (microsoft-graph-docs-contrib api-reference/v1.0/api/*.md), which lists the least privileged
// permission and the higher privileged ones. Delegated calls in Entra additionally need an
// admin role of the signed-in user for some operations; graphmock checks only the scopes.
type opPermissions struct {
	app       []string
	delegated []string
}

// Permission sets shared by several operations.
var (
	permUserRead = opPermissions{
		app:       []string{"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
		delegated: []string{"User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permUserWrite = opPermissions{
		app:       []string{"User.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"User.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permUserDelete = opPermissions{
		app:       []string{"User.DeleteRestore.All", "User.ReadWrite.All"},
		delegated: []string{"User.DeleteRestore.All", "User.ReadWrite.All"},
	}
	permUserMemberOf = opPermissions{
		app:       []string{"User.Read.All", "GroupMember.Read.All", "Directory.Read.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"User.Read.All", "GroupMember.Read.All", "Directory.Read.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permGroupRead = opPermissions{
		app:       []string{"GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permGroupCreate = opPermissions{
		app:       []string{"Group.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permGroupWrite = opPermissions{
		app:       []string{"Group.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permGroupDelete = opPermissions{
		app:       []string{"Group.ReadWrite.All"},
		delegated: []string{"Group.ReadWrite.All"},
	}
	permMemberWrite = opPermissions{
		app:       []string{"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permOwnerWrite = opPermissions{
		app:       []string{"Group.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permDirectoryRead = opPermissions{
		app:       []string{"Directory.Read.All", "Directory.ReadWrite.All"},
		delegated: []string{"Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permDirectoryWrite = opPermissions{
		app:       []string{"Directory.ReadWrite.All"},
		delegated: []string{"Directory.ReadWrite.All"},
	}
	permDeletedRead = opPermissions{
		app:       []string{"User.Read.All", "Group.Read.All", "Directory.Read.All", "User.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"User.Read.All", "Group.Read.All", "Directory.Read.All", "User.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permDeletedWrite = opPermissions{
		app:       []string{"User.DeleteRestore.All", "Group.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"User.DeleteRestore.All", "Group.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permSkuRead = opPermissions{
		app:       []string{"LicenseAssignment.Read.All", "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"LicenseAssignment.Read.All", "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permOrganizationRead = opPermissions{
		app:       []string{"Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"User.Read", "Organization.Read.All", "Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permUserLicenseWrite = opPermissions{
		app:       []string{"LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permGroupLicenseWrite = opPermissions{
		app:       []string{"LicenseAssignment.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"LicenseAssignment.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permLicenseDetailsRead = opPermissions{
		app:       []string{"LicenseAssignment.Read.All", "User.Read.All", "Directory.Read.All", "LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
		delegated: []string{"User.Read", "LicenseAssignment.Read.All", "User.Read.All", "Directory.Read.All", "LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permAuditRead = opPermissions{
		app:       []string{"AuditLog.Read.All"},
		delegated: []string{"AuditLog.Read.All"},
	}
	permNone = opPermissions{}
)

// routePermissions is keyed by "METHOD path" with the path template of the route table
// (graphRoutes), including operations other parts of graphmock serve or will serve.
var routePermissions = map[string]opPermissions{
	"GET /users":                                                           permUserRead,
	"POST /users":                                                          permUserWrite,
	"GET /users/$count":                                                    permUserRead,
	"GET /users/{user-id}":                                                 permUserRead,
	"PATCH /users/{user-id}":                                               permUserWrite,
	"DELETE /users/{user-id}":                                              permUserDelete,
	"GET /users/{user-id}/memberOf":                                        permUserMemberOf,
	"GET /users/{user-id}/memberOf/$count":                                 permUserMemberOf,
	"GET /users/{user-id}/transitiveMemberOf":                              permUserMemberOf,
	"GET /users/{user-id}/transitiveMemberOf/$count":                       permUserMemberOf,
	"GET /users/{user-id}/memberOf/microsoft.graph.group":                  permUserMemberOf,
	"GET /users/{user-id}/memberOf/microsoft.graph.group/$count":           permUserMemberOf,
	"GET /users/{user-id}/transitiveMemberOf/microsoft.graph.group":        permUserMemberOf,
	"GET /users/{user-id}/transitiveMemberOf/microsoft.graph.group/$count": permUserMemberOf,
	"GET /users/{user-id}/manager":                                         permUserRead,
	"GET /users/{user-id}/manager/$ref":                                    permUserRead,
	"PUT /users/{user-id}/manager/$ref":                                    permUserWrite,
	"DELETE /users/{user-id}/manager/$ref":                                 permUserWrite,
	"GET /users/{user-id}/directReports":                                   permUserRead,
	"GET /users/{user-id}/directReports/$count":                            permUserRead,
	"GET /users/{user-id}/directReports/microsoft.graph.user":              permUserRead,
	"GET /users/{user-id}/directReports/microsoft.graph.user/$count":       permUserRead,
	"GET /users/{user-id}/licenseDetails":                                  permLicenseDetailsRead,
	"GET /users/{user-id}/licenseDetails/{licenseDetails-id}":              permLicenseDetailsRead,
	"POST /users/{user-id}/microsoft.graph.assignLicense":                  permUserLicenseWrite,
	"POST /users/{user-id}/microsoft.graph.reprocessLicenseAssignment":     permUserLicenseWrite,

	"GET /groups":                           permGroupRead,
	"POST /groups":                          permGroupCreate,
	"GET /groups/$count":                    permGroupRead,
	"GET /groups/{group-id}":                permGroupRead,
	"PATCH /groups/{group-id}":              permGroupWrite,
	"DELETE /groups/{group-id}":             permGroupDelete,
	"GET /groups/{group-id}/members":        permGroupRead,
	"GET /groups/{group-id}/members/$count": permGroupRead,
	"POST /groups/{group-id}/members/$ref":  permMemberWrite,
	"DELETE /groups/{group-id}/members/{directoryObject-id}/$ref":                 permMemberWrite,
	"GET /groups/{group-id}/transitiveMembers":                                    permGroupRead,
	"GET /groups/{group-id}/transitiveMembers/$count":                             permGroupRead,
	"GET /groups/{group-id}/owners":                                               permGroupRead,
	"POST /groups/{group-id}/owners/$ref":                                         permOwnerWrite,
	"DELETE /groups/{group-id}/owners/{directoryObject-id}/$ref":                  permOwnerWrite,
	"GET /groups/{group-id}/memberOf":                                             permGroupRead,
	"GET /groups/{group-id}/transitiveMemberOf":                                   permGroupRead,
	"GET /groups/{group-id}/membersWithLicenseErrors":                             permGroupRead,
	"GET /groups/{group-id}/members/microsoft.graph.user":                         permGroupRead,
	"GET /groups/{group-id}/members/microsoft.graph.user/$count":                  permGroupRead,
	"GET /groups/{group-id}/members/microsoft.graph.group":                        permGroupRead,
	"GET /groups/{group-id}/members/microsoft.graph.group/$count":                 permGroupRead,
	"GET /groups/{group-id}/transitiveMembers/microsoft.graph.user":               permGroupRead,
	"GET /groups/{group-id}/transitiveMembers/microsoft.graph.user/$count":        permGroupRead,
	"GET /groups/{group-id}/transitiveMembers/microsoft.graph.group":              permGroupRead,
	"GET /groups/{group-id}/transitiveMembers/microsoft.graph.group/$count":       permGroupRead,
	"GET /groups/{group-id}/owners/microsoft.graph.user":                          permGroupRead,
	"GET /groups/{group-id}/owners/microsoft.graph.user/$count":                   permGroupRead,
	"GET /groups/{group-id}/owners/microsoft.graph.group":                         permGroupRead,
	"GET /groups/{group-id}/owners/microsoft.graph.group/$count":                  permGroupRead,
	"GET /groups/{group-id}/memberOf/microsoft.graph.group":                       permGroupRead,
	"GET /groups/{group-id}/memberOf/microsoft.graph.group/$count":                permGroupRead,
	"GET /groups/{group-id}/transitiveMemberOf/microsoft.graph.group":             permGroupRead,
	"GET /groups/{group-id}/transitiveMemberOf/microsoft.graph.group/$count":      permGroupRead,
	"GET /groups/{group-id}/membersWithLicenseErrors/microsoft.graph.user":        permGroupRead,
	"GET /groups/{group-id}/membersWithLicenseErrors/microsoft.graph.user/$count": permGroupRead,
	"GET /groups/{group-id}/owners/$count":                                        permGroupRead,
	"GET /groups/{group-id}/memberOf/$count":                                      permGroupRead,
	"GET /groups/{group-id}/transitiveMemberOf/$count":                            permGroupRead,
	"GET /groups/{group-id}/membersWithLicenseErrors/$count":                      permGroupRead,
	"POST /groups/{group-id}/microsoft.graph.assignLicense":                       permGroupLicenseWrite,
	"POST /groups/{group-id}/microsoft.graph.validateProperties":                  permGroupRead,
	"POST /groups/{group-id}/microsoft.graph.checkMemberGroups":                   permGroupRead,
	"POST /groups/{group-id}/microsoft.graph.getMemberGroups":                     permGroupRead,
	"POST /users/{user-id}/microsoft.graph.checkMemberGroups":                     permUserMemberOf,
	"POST /users/{user-id}/microsoft.graph.getMemberGroups":                       permUserMemberOf,
	"POST /directoryObjects/microsoft.graph.getByIds":                             permDirectoryRead,
	"GET /directoryObjects/{directoryObject-id}":                                  permDirectoryRead,
	"GET /directory/deletedItems/microsoft.graph.user":                            permDeletedRead,
	"GET /directory/deletedItems/microsoft.graph.group":                           permDeletedRead,
	"GET /directory/deletedItems/{directoryObject-id}":                            permDeletedRead,
	"DELETE /directory/deletedItems/{directoryObject-id}":                         permDeletedWrite,
	"POST /directory/deletedItems/{directoryObject-id}/microsoft.graph.restore":   permDeletedWrite,

	"GET /subscribedSkus":                    permSkuRead,
	"GET /subscribedSkus/{subscribedSku-id}": permSkuRead,
	"GET /organization":                      permOrganizationRead,
	"GET /organization/{organization-id}":    permOrganizationRead,

	"GET /auditLogs/directoryAudits":                     permAuditRead,
	"GET /auditLogs/directoryAudits/$count":              permAuditRead,
	"GET /auditLogs/directoryAudits/{directoryAudit-id}": permAuditRead,

	// $batch itself needs no permission: each request inside it is checked on its own.
	"POST /$batch": permNone,
}

// requiredPermissions returns the permissions any one of which the operation accepts. An
// operation missing from routePermissions falls back by resource: reads of /users… need
// permUserRead, writes permUserWrite; likewise /groups…, /auditLogs…, /subscribedSkus,
// /organization; anything else Directory.Read.All (GET) or Directory.ReadWrite.All. An
// operation that needs none (POST /$batch) returns nil and is allowed for any valid token.
func requiredPermissions(method, path string, delegated bool) []string {
	p, ok := routePermissions[method+" "+path]
	if !ok {
		p = fallbackPermissions(method, path)
	}
	if delegated {
		return p.delegated
	}
	return p.app
}

func fallbackPermissions(method, path string) opPermissions {
	read := method == http.MethodGet || method == http.MethodHead
	first := strings.ToLower(strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)[0])
	switch first {
	case "users":
		if read {
			return permUserRead
		}
		return permUserWrite
	case "groups":
		if read {
			return permGroupRead
		}
		return permGroupWrite
	case "auditlogs":
		return permAuditRead
	case "subscribedskus":
		return permSkuRead
	case "organization":
		if read {
			return permOrganizationRead
		}
	}
	if read {
		return permDirectoryRead
	}
	return permDirectoryWrite
}

// selfPermissions are the delegated permissions Graph accepts beside an operation's own when the
// signed-in user addresses themself through /me (the "signed-in user" rows of the v1.0 API
// reference): User.Read to read their profile, memberships and license details, User.ReadWrite
// to update their profile.
func selfPermissions(method, path string) []string {
	switch {
	case method == http.MethodGet && (path == "/users/{user-id}" || strings.HasPrefix(path, "/users/{user-id}/")):
		return []string{"User.Read"}
	case method == http.MethodPatch && path == "/users/{user-id}":
		return []string{"User.ReadWrite"}
	}
	return nil
}

// holdsAny reports whether held contains one of need (case-insensitive). An empty need is
// satisfied by any token.
func holdsAny(held, need []string) bool {
	if len(need) == 0 {
		return true
	}
	for _, n := range need {
		for _, h := range held {
			if strings.EqualFold(h, n) {
				return true
			}
		}
	}
	return false
}
