package openapi

// Operation names one operation of Microsoft Graph v1.0 by its HTTP method (upper case) and its
// path template exactly as Microsoft's OpenAPI descriptions spell it, for example
// {Method: "POST", Path: "/users/{user-id}/microsoft.graph.assignLicense"}.
type Operation struct {
	Method string
	Path   string
}

// String returns "METHOD /path/template".
func (o Operation) String() string { return o.Method + " " + o.Path }

// Served lists every operation graphmock serves, with the path templates of Microsoft's files.
// The generator writes the served subset (graph-v1.0-subset.yaml) from exactly these
// operations, and the server's route table can be checked against this list.
var Served = []Operation{
	{"GET", "/users"},
	{"POST", "/users"},
	{"GET", "/users/{user-id}"},
	{"PATCH", "/users/{user-id}"},
	{"DELETE", "/users/{user-id}"},
	{"GET", "/users/$count"},
	{"GET", "/users/{user-id}/memberOf"},
	{"GET", "/users/{user-id}/memberOf/$count"},
	{"GET", "/users/{user-id}/memberOf/microsoft.graph.group"},
	{"GET", "/users/{user-id}/memberOf/microsoft.graph.group/$count"},
	{"GET", "/users/{user-id}/transitiveMemberOf"},
	{"GET", "/users/{user-id}/transitiveMemberOf/$count"},
	{"GET", "/users/{user-id}/transitiveMemberOf/microsoft.graph.group"},
	{"GET", "/users/{user-id}/transitiveMemberOf/microsoft.graph.group/$count"},
	{"GET", "/users/{user-id}/manager"},
	{"GET", "/users/{user-id}/manager/$ref"},
	{"PUT", "/users/{user-id}/manager/$ref"},
	{"DELETE", "/users/{user-id}/manager/$ref"},
	{"GET", "/users/{user-id}/directReports"},
	{"GET", "/users/{user-id}/directReports/$count"},
	{"GET", "/users/{user-id}/directReports/microsoft.graph.user"},
	{"GET", "/users/{user-id}/directReports/microsoft.graph.user/$count"},
	{"GET", "/users/{user-id}/licenseDetails"},
	{"POST", "/users/{user-id}/microsoft.graph.assignLicense"},
	{"POST", "/users/{user-id}/microsoft.graph.reprocessLicenseAssignment"},

	{"GET", "/groups"},
	{"POST", "/groups"},
	{"GET", "/groups/{group-id}"},
	{"PATCH", "/groups/{group-id}"},
	{"DELETE", "/groups/{group-id}"},
	{"GET", "/groups/$count"},
	{"GET", "/groups/{group-id}/members"},
	{"POST", "/groups/{group-id}/members/$ref"},
	{"DELETE", "/groups/{group-id}/members/{directoryObject-id}/$ref"},
	{"GET", "/groups/{group-id}/members/$count"},
	{"GET", "/groups/{group-id}/members/microsoft.graph.user"},
	{"GET", "/groups/{group-id}/members/microsoft.graph.user/$count"},
	{"GET", "/groups/{group-id}/members/microsoft.graph.group"},
	{"GET", "/groups/{group-id}/members/microsoft.graph.group/$count"},
	{"GET", "/groups/{group-id}/transitiveMembers"},
	{"GET", "/groups/{group-id}/transitiveMembers/$count"},
	{"GET", "/groups/{group-id}/transitiveMembers/microsoft.graph.user"},
	{"GET", "/groups/{group-id}/transitiveMembers/microsoft.graph.user/$count"},
	{"GET", "/groups/{group-id}/transitiveMembers/microsoft.graph.group"},
	{"GET", "/groups/{group-id}/transitiveMembers/microsoft.graph.group/$count"},
	{"GET", "/groups/{group-id}/owners"},
	{"GET", "/groups/{group-id}/owners/$count"},
	{"GET", "/groups/{group-id}/owners/microsoft.graph.user"},
	{"GET", "/groups/{group-id}/owners/microsoft.graph.user/$count"},
	{"GET", "/groups/{group-id}/owners/microsoft.graph.group"},
	{"GET", "/groups/{group-id}/owners/microsoft.graph.group/$count"},
	{"POST", "/groups/{group-id}/owners/$ref"},
	{"DELETE", "/groups/{group-id}/owners/{directoryObject-id}/$ref"},
	{"GET", "/groups/{group-id}/memberOf"},
	{"GET", "/groups/{group-id}/memberOf/$count"},
	{"GET", "/groups/{group-id}/memberOf/microsoft.graph.group"},
	{"GET", "/groups/{group-id}/memberOf/microsoft.graph.group/$count"},
	{"GET", "/groups/{group-id}/transitiveMemberOf"},
	{"GET", "/groups/{group-id}/transitiveMemberOf/$count"},
	{"GET", "/groups/{group-id}/transitiveMemberOf/microsoft.graph.group"},
	{"GET", "/groups/{group-id}/transitiveMemberOf/microsoft.graph.group/$count"},
	{"GET", "/groups/{group-id}/membersWithLicenseErrors"},
	{"GET", "/groups/{group-id}/membersWithLicenseErrors/$count"},
	{"GET", "/groups/{group-id}/membersWithLicenseErrors/microsoft.graph.user"},
	{"GET", "/groups/{group-id}/membersWithLicenseErrors/microsoft.graph.user/$count"},
	{"POST", "/groups/{group-id}/microsoft.graph.assignLicense"},

	{"GET", "/directoryObjects/{directoryObject-id}"},
	{"POST", "/directoryObjects/microsoft.graph.getByIds"},

	{"GET", "/directory/deletedItems/microsoft.graph.user"},
	{"GET", "/directory/deletedItems/microsoft.graph.group"},
	{"GET", "/directory/deletedItems/{directoryObject-id}"},
	{"DELETE", "/directory/deletedItems/{directoryObject-id}"},
	{"POST", "/directory/deletedItems/{directoryObject-id}/microsoft.graph.restore"},

	{"GET", "/subscribedSkus"},
	{"GET", "/subscribedSkus/{subscribedSku-id}"},
	{"GET", "/organization"},
	{"GET", "/organization/{organization-id}"},
	{"GET", "/auditLogs/directoryAudits"},
	{"GET", "/auditLogs/directoryAudits/{directoryAudit-id}"},
}

// successStatus is the exact success status Graph answers for each served operation that does
// not answer 200. Microsoft's files declare every success as "2XX", so the validator checks the
// exact code itself (source: graph-facts §2: POST /users and /groups 201; PATCH and DELETE 204;
// $ref POST and DELETE 204; group assignLicense 202 Accepted; user assignLicense,
// reprocessLicenseAssignment, getByIds and restore 200).
var successStatus = map[Operation]int{
	{"POST", "/users"}:                                                 201,
	{"PATCH", "/users/{user-id}"}:                                      204,
	{"PUT", "/users/{user-id}/manager/$ref"}:                           204,
	{"DELETE", "/users/{user-id}/manager/$ref"}:                        204,
	{"DELETE", "/users/{user-id}"}:                                     204,
	{"POST", "/groups"}:                                                201,
	{"PATCH", "/groups/{group-id}"}:                                    204,
	{"DELETE", "/groups/{group-id}"}:                                   204,
	{"POST", "/groups/{group-id}/members/$ref"}:                        204,
	{"DELETE", "/groups/{group-id}/members/{directoryObject-id}/$ref"}: 204,
	{"POST", "/groups/{group-id}/owners/$ref"}:                         204,
	{"DELETE", "/groups/{group-id}/owners/{directoryObject-id}/$ref"}:  204,
	{"POST", "/groups/{group-id}/microsoft.graph.assignLicense"}:       202,
	{"DELETE", "/directory/deletedItems/{directoryObject-id}"}:         204,
}

// requiredRequestFields lists the request-body properties Graph requires although Microsoft's
// files declare no "required" list (QUIRKS Q8). Source: graph-facts §2.1–§2.4.
var requiredRequestFields = map[Operation][]string{
	{"POST", "/users"}:  {"accountEnabled", "displayName", "mailNickname", "passwordProfile", "userPrincipalName"},
	{"POST", "/groups"}: {"displayName", "mailEnabled", "mailNickname", "securityEnabled"},
	{"POST", "/users/{user-id}/microsoft.graph.assignLicense"}:   {"addLicenses", "removeLicenses"},
	{"POST", "/groups/{group-id}/microsoft.graph.assignLicense"}: {"addLicenses", "removeLicenses"},
	{"POST", "/groups/{group-id}/members/$ref"}:                  {"@odata.id"},
	{"POST", "/groups/{group-id}/owners/$ref"}:                   {"@odata.id"},
	{"PUT", "/users/{user-id}/manager/$ref"}:                     {"@odata.id"},
	{"POST", "/directoryObjects/microsoft.graph.getByIds"}:       {"ids"},
}
