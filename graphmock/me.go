package graphmock

import (
	"context"
	"net/http"
	"strings"
)

// withMe serves /me as Graph does: an alias of /users/{id} of the signed-in user. A request
// whose valid token is delegated continues as /users/{oid}/… (every route and 501 of
// /users/{user-id} applies, and routes accept the signed-in user's own permissions, see
// selfPermissions); without a signed-in user (no token, or an app-only one) it is Graph's 400.
// Journal, faults and throttling see the path the client sent; so does @odata.nextLink.
func (s *Server) withMe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := graphRelPath(r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		first, rest, _ := strings.Cut(strings.TrimPrefix(rel, "/"), "/")
		if !strings.EqualFold(first, "me") {
			next.ServeHTTP(w, r)
			return
		}
		id := identityOf(r)
		if id == nil || !id.delegated || id.user == nil {
			s.writeError(w, r, errMeWithoutUser)
			return
		}
		p := r.URL.Path[:len(r.URL.Path)-len(rel)] + "/users/" + id.user.ID
		if rest != "" {
			p += "/" + rest
		}
		ctx := context.WithValue(r.Context(), ctxAliasPath, r.URL.Path)
		ctx = context.WithValue(ctx, ctxOriginalPath, p)
		r2 := r.Clone(ctx)
		r2.URL.Path, r2.URL.RawPath = p, ""
		next.ServeHTTP(w, r2)
	})
}

// isMeRequest reports whether the request reached its route through /me.
func isMeRequest(r *http.Request) bool {
	_, ok := r.Context().Value(ctxAliasPath).(string)
	return ok
}

// clientPath is the path the client sent (after cleaning): /me/… rather than the /users/{id}/…
// it is served as.
func clientPath(r *http.Request) string {
	if p, ok := r.Context().Value(ctxAliasPath).(string); ok {
		return p
	}
	p, _ := r.Context().Value(ctxOriginalPath).(string)
	return p
}
