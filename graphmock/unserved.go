package graphmock

import (
	"net/http"
	"slices"
	"strings"

	"github.com/graphmock/graphmock/openapi"
)

// Requests no route serves are resolved here against Microsoft's description of Graph, the way
// Graph's OData layer resolves a path: segment by segment from the left, a literal segment
// (a property, $count, $ref, a type cast, a bound action or function) winning over a key. A path
// that names an operation graphmock doesn't serve answers 501 naming it; a path Graph doesn't
// have keeps Graph's own answer (400 "Resource not found for the segment …").
//
// Segments compare case-insensitively. A type cast is spelled with Graph's namespace or its alias
// ("microsoft.graph.user", "graph.user"); a bound action or function also without it
// ("microsoft.graph.delta()", "graph.delta()", "delta()", and "delta" for a function without
// parameters, as the SDKs and Graph accept). A function or alternate key (groups(uniqueName='x'))
// selects the template whose parameter names the request gives; a function called with other
// parameters than any template has falls back to a template of the same name.

// pathSeg is one segment of a request path or a path template, split into the parts matching uses.
type pathSeg struct {
	raw    string
	name   string   // lower-cased, without namespace prefix and parentheses
	ns     bool     // spelled with "microsoft.graph." or "graph."
	parens bool     // has a parameter list, possibly empty: delta(), groups(uniqueName='x')
	args   []string // parameter names, lower-cased and sorted ("" for a positional key)
}

func parseSeg(raw string) pathSeg {
	s := pathSeg{raw: raw, name: raw}
	if i := strings.IndexByte(raw, '('); i > 0 && strings.HasSuffix(raw, ")") {
		s.name, s.parens = raw[:i], true
		s.args = argNames(raw[i+1 : len(raw)-1])
	}
	s.name = strings.ToLower(s.name)
	for _, prefix := range []string{"microsoft.graph.", "graph."} {
		if rest, ok := strings.CutPrefix(s.name, prefix); ok && rest != "" {
			s.name, s.ns = rest, true
			break
		}
	}
	return s
}

// argNames returns the sorted, lower-cased parameter names of a parameter list
// ("period='D7',date=2024-01-01" → [date period]); commas inside quoted values don't split.
func argNames(list string) []string {
	if strings.TrimSpace(list) == "" {
		return nil
	}
	var names []string
	for _, arg := range splitOutsideQuotes(list, ',') {
		name, _, found := strings.Cut(arg, "=")
		if !found {
			name = "" // a positional key: groups('id')
		}
		names = append(names, strings.ToLower(strings.TrimSpace(name)))
	}
	slices.Sort(names)
	return names
}

// splitOutsideQuotes splits s at sep outside single-quoted OData literals (a doubled quote
// inside a literal toggles twice and so stays inside it).
func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// splitPath splits a request path (without the version) into segments; a '/' inside a quoted
// function argument (getByPath(path='a/b')) doesn't split.
func splitPath(p string) []string {
	return splitOutsideQuotes(strings.Trim(p, "/"), '/')
}

// tplSeg is one segment of a path template.
type tplSeg struct {
	pathSeg
	param bool // {user-id}
	op    bool // a bound action or function, callable without its namespace
}

// Match strengths of a template segment against a request segment.
const (
	noMatch    = 0
	matchKey   = 1 // a {parameter} takes any value
	matchName  = 2 // a function of that name, called with other parameters
	matchExact = 3
)

func (t *tplSeg) match(r pathSeg) int {
	switch {
	case t.param:
		if r.raw == "" {
			return noMatch
		}
		return matchKey
	case r.name != t.name:
		return noMatch
	case !t.ns: // a literal, or an entity set with an alternate key: groups(uniqueName='x')
		if r.ns || r.parens != t.parens || !slices.Equal(r.args, t.args) {
			return noMatch
		}
		return matchExact
	case !t.op: // a type cast needs the namespace or its alias
		if !r.ns || r.parens {
			return noMatch
		}
		return matchExact
	case !t.parens: // a bound action
		if r.parens {
			return noMatch
		}
		return matchExact
	}
	// A bound function: delta, delta(), getByPath(path='x').
	if slices.Equal(r.args, t.args) {
		return matchExact
	}
	return matchName
}

// specNode is a node of the trie of path templates: the operations whose template ends here
// and the segments that continue it.
type specNode struct {
	path    string              // the template of the first path through this node
	ops     []openapi.Operation // operations whose template ends here, one per method
	literal map[string]*specNode
	special []specEdge // casts, actions, functions, alternate keys
	param   *specNode
}

type specEdge struct {
	seg  tplSeg
	node *specNode
}

func (n *specNode) op(method string) (openapi.Operation, bool) {
	for _, op := range n.ops {
		if op.Method == method {
			return op, true
		}
	}
	return openapi.Operation{}, false
}

// child returns the node the template segment seg leads to, creating it when create is set.
func (n *specNode) child(seg tplSeg, path string, create bool) *specNode {
	switch {
	case seg.param:
		if n.param == nil && create {
			n.param = &specNode{path: path}
		}
		return n.param
	case !seg.ns && !seg.parens:
		c := n.literal[seg.name]
		if c == nil && create {
			if n.literal == nil {
				n.literal = map[string]*specNode{}
			}
			c = &specNode{path: path}
			n.literal[seg.name] = c
		}
		return c
	}
	for i := range n.special {
		e := &n.special[i]
		if e.seg.name == seg.name && e.seg.ns == seg.ns && e.seg.parens == seg.parens && slices.Equal(e.seg.args, seg.args) {
			if create {
				e.seg.op = e.seg.op || seg.op
			}
			return e.node
		}
	}
	if !create {
		return nil
	}
	c := &specNode{path: path}
	n.special = append(n.special, specEdge{seg: seg, node: c})
	return c
}

// templateSegs splits an operation's path template. A namespaced segment is a bound function
// when it has parentheses and a bound action when it ends a POST; otherwise it is a type cast.
func templateSegs(op openapi.Operation) []tplSeg {
	raw := splitPath(op.Path)
	segs := make([]tplSeg, len(raw))
	for i, r := range raw {
		s := tplSeg{pathSeg: parseSeg(r)}
		s.param = strings.HasPrefix(r, "{") && strings.HasSuffix(r, "}") && !s.parens
		s.op = s.ns && (s.parens || (i == len(raw)-1 && op.Method == http.MethodPost))
		segs[i] = s
	}
	return segs
}

// add inserts an operation; a later operation with the same method and an equivalent
// template (another parameter name) is dropped.
func (n *specNode) add(op openapi.Operation) {
	segs := templateSegs(op)
	raw := splitPath(op.Path)
	cur := n
	for i, seg := range segs {
		cur = cur.child(seg, "/"+strings.Join(raw[:i+1], "/"), true)
	}
	if _, dup := cur.op(op.Method); !dup {
		cur.ops = append(cur.ops, op)
	}
}

// node returns the node a template leads to exactly, or nil.
func (n *specNode) node(op openapi.Operation) *specNode {
	cur := n
	for _, seg := range templateSegs(op) {
		if cur = cur.child(seg, "", false); cur == nil {
			return nil
		}
	}
	return cur
}

// resolve returns the node the request segments lead to, preferring at each segment, from the
// left, the strongest match (see tplSeg.match); with needOps only nodes where an operation ends.
func (n *specNode) resolve(segs []string, needOps bool) *specNode {
	if len(segs) == 0 {
		if needOps && len(n.ops) == 0 {
			return nil
		}
		return n
	}
	r := parseSeg(segs[0])
	if !r.ns && !r.parens {
		if c := n.literal[r.name]; c != nil {
			if found := c.resolve(segs[1:], needOps); found != nil {
				return found
			}
		}
	}
	for _, strength := range []int{matchExact, matchName} {
		for i := range n.special {
			if n.special[i].seg.match(r) != strength {
				continue
			}
			if found := n.special[i].node.resolve(segs[1:], needOps); found != nil {
				return found
			}
		}
	}
	if n.param != nil && r.raw != "" {
		return n.param.resolve(segs[1:], needOps)
	}
	return nil
}

// specTrie holds every operation of the OpenAPI modules graphmock draws from (including the
// ones it serves) and the outside operations below.
var specTrie = func() *specNode {
	root := &specNode{}
	for _, op := range openapi.SpecOperations() {
		root.add(op)
	}
	for _, o := range outsideOperations {
		root.add(o.Op)
	}
	return root
}()

// outsideOperation is a Graph v1.0 operation outside the OpenAPI modules graphmock tracks that it
// nevertheless recognises (and answers 501), with the Microsoft module file it belongs to.
type outsideOperation struct {
	Module string
	Op     openapi.Operation
}

// outsideOperations are Graph v1.0 operations of modules graphmock doesn't track that clients of
// a directory commonly call: application and service principal objects (Microsoft's
// Applications module), users delta (Users.Functions) and the userPrincipalName alternate key.
// Templates as msgraph-sdk-go v1.89.0's request builders address them, in the spelling of
// Microsoft's OpenAPI files.
var outsideOperations = func() []outsideOperation {
	var out []outsideOperation
	add := func(module string, methods, paths []string) {
		for _, p := range paths {
			for _, m := range methods {
				out = append(out, outsideOperation{module, openapi.Operation{Method: m, Path: p}})
			}
		}
	}
	get, post, item := []string{"GET"}, []string{"POST"}, []string{"GET", "PATCH", "DELETE"}
	for _, set := range []string{"applications", "servicePrincipals"} {
		add("Applications", []string{"GET", "POST"}, []string{"/" + set})
		add("Applications", get, []string{"/" + set + "/$count", "/" + set + "/microsoft.graph.delta()"})
		add("Applications", post, []string{"/" + set + "/microsoft.graph.getAvailableExtensionProperties",
			"/" + set + "/microsoft.graph.getByIds", "/" + set + "/microsoft.graph.validateProperties"})
		add("Applications", item, []string{"/" + set + "/{" + strings.TrimSuffix(set, "s") + "-id}", "/" + set + "(appId='{appId}')"})
	}
	add("Applications", item, []string{"/applications(uniqueName='{uniqueName}')"})
	add("Users.Functions", get, []string{"/users/microsoft.graph.delta()"})
	add("Users", item, []string{"/users(userPrincipalName='{userPrincipalName}')"})
	return out
}()

// graphRoots are the entity sets and singletons of Graph v1.0's service root (msgraph-sdk-go
// v1.89.0's GraphServiceClient). A path under one of them that matches no template is a Graph
// resource graphmock doesn't describe, unless its module is tracked (then it is a path Graph
// doesn't have). /me is resolved before (me.go).
var graphRoots = strings.Fields(`admin agreementAcceptances agreements appCatalogs applications
		applicationTemplates auditLogs authenticationMethodConfigurations authenticationMethodsPolicy
		certificateBasedAuthConfiguration chats communications compliance connections contacts contracts
		dataPolicyOperations deviceAppManagement deviceManagement devices directory directoryObjects
		directoryRoles directoryRoleTemplates domainDnsRecords domains drives education employeeExperience
		external filterOperators functions groupLifecyclePolicies groups groupSettings groupSettingTemplates
		identity identityGovernance identityProtection identityProviders informationProtection invitations
		oauth2PermissionGrants organization permissionGrants places planner policies print privacy reports
		roleManagement schemaExtensions scopedRoleMemberships search security servicePrincipals shares sites
		solutions storage subscribedSkus subscriptions teams teamsTemplates teamwork tenantRelationships users`)

// trackedRoots are the first segments (lower-cased names) of the modules' templates: a path
// under one of them that matches no template is one Graph doesn't have.
var trackedRoots = func() map[string]bool {
	m := map[string]bool{}
	for _, op := range openapi.SpecOperations() {
		first, _, _ := strings.Cut(strings.TrimPrefix(op.Path, "/"), "/")
		m[parseSeg(first).name] = true
	}
	return m
}()

// untrackedRootNames are the Graph roots whose paths graphmock recognises only by their first
// segment, as Graph spells them.
func untrackedRootNames() []string {
	var out []string
	for _, r := range graphRoots {
		if !trackedRoots[strings.ToLower(r)] {
			out = append(out, r)
		}
	}
	return out
}

// untrackedRoots holds untrackedRootNames lower-cased.
var untrackedRoots = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range untrackedRootNames() {
		m[strings.ToLower(r)] = true
	}
	return m
}()

// servedOps are the operations of the route table.
var servedOps = func() map[openapi.Operation]bool {
	m := map[openapi.Operation]bool{}
	for _, op := range ServedOperations() {
		m[op] = true
	}
	return m
}()

// requestPath returns the path a request addresses without its version prefix (the client's
// spelling), or false outside /v1.0 and /beta.
func requestPath(r *http.Request) (string, bool) {
	orig, _ := r.Context().Value(ctxOriginalPath).(string)
	if orig == "" {
		orig = r.URL.Path
	}
	return graphRelPath(orig)
}

// unservedError explains a request no route serves: 501 naming a Graph operation graphmock
// doesn't implement, 405 for a method the path doesn't have, or nil when Graph has no such path.
func unservedError(r *http.Request) error {
	rel, ok := requestPath(r)
	if !ok {
		return nil
	}
	segs := splitPath(rel)
	if len(segs) == 1 && strings.EqualFold(segs[0], "$metadata") {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return errMethodNotAllowed
		}
		return errMetadataNotImplemented
	}
	if n := specTrie.resolve(segs, true); n != nil {
		if op, ok := n.op(r.Method); ok {
			return errNotImplemented(op.Method, op.Path)
		}
		return errMethodNotAllowed
	}
	// A path that continues into templates (GET /users/{id}/messages, where only deeper
	// operations are in the modules) is a Graph resource too.
	if n := specTrie.resolve(segs, false); n != nil {
		return errResourceNotImplemented(r.Method, n.path)
	}
	if root := parseSeg(segs[0]).name; untrackedRoots[root] {
		return errRootNotImplemented(r.Method, segs[0], rel)
	}
	// Beneath an alternate key (/users(userPrincipalName='…')/memberOf) is the resource the
	// object's id addresses, which graphmock answers only by id.
	if first := parseSeg(segs[0]); first.parens && len(first.args) > 0 && len(segs) > 1 {
		byID := append([]string{first.name, "{key}"}, segs[1:]...)
		if specTrie.resolve(byID, false) != nil || servedTrie.resolve(byID, false) != nil {
			return errResourceNotImplemented(r.Method, "/"+strings.TrimPrefix(rel, "/"))
		}
	}
	return nil
}

// servedTrie holds the route table's templates, for paths the modules' templates don't have.
var servedTrie = func() *specNode {
	root := &specNode{}
	for _, op := range ServedOperations() {
		root.add(op)
	}
	return root
}()

// firstUnresolvedSegment names the segment Graph's "Resource not found for the segment" error
// names: the first from the left that neither the route table nor Graph's templates resolve
// (segs is the path after the version). A key segment resolves anything, so
// /users/{id}/noSuchThing names noSuchThing, /foo/users names foo and /v1.0/users (the version
// doubled) names v1.0.
func firstUnresolvedSegment(segs []string) string {
	segs = splitPath(strings.Join(segs, "/")) // keep quoted function arguments whole
	for k := 1; k <= len(segs); k++ {
		if specTrie.resolve(segs[:k], false) == nil && servedTrie.resolve(segs[:k], false) == nil {
			return segs[k-1]
		}
	}
	return segs[len(segs)-1]
}

// routeNode is the trie node of a route's template when the template has a {parameter} (which
// may catch a request Graph resolves otherwise, see shadowedOperation), else nil.
func routeNode(rt route) *specNode {
	if !strings.Contains(rt.path, "{") {
		return nil
	}
	return specTrie.node(openapi.Operation{Method: rt.method, Path: rt.path})
}

// shadowedOperation reports a request that a served route with a {parameter} caught although
// Graph resolves it to another operation: GET /groups/delta() reaches /groups/{group-id}, but
// Graph reads "delta()" as the function, not as a group id. It returns the 501 (or 405) for that
// operation, or nil when the route is the one Graph resolves (or another route serves it).
func shadowedOperation(r *http.Request, own *specNode) error {
	if own == nil {
		return nil
	}
	rel, ok := requestPath(r)
	if !ok {
		return nil
	}
	best := specTrie.resolve(splitPath(rel), true)
	if best == nil || best == own {
		return nil
	}
	op, ok := best.op(r.Method)
	switch {
	case !ok:
		return errMethodNotAllowed
	case servedOps[op]:
		return nil
	}
	return errNotImplemented(op.Method, op.Path)
}
