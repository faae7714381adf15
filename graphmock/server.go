// Package graphmock is a stateful Microsoft Graph v1.0-compatible HTTP server for tests: users,
// groups, memberships, subscribed SKUs and group-based licensing over an in-memory directory.
//
// Use New to build a Server (an http.Handler) or NewTestServer to start one for a Go test.
package graphmock

import (
	"crypto/rsa"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/graphmock/graphmock/engine"
)

// Options configure a Server. The zero value serves the embedded default tenant.
type Options struct {
	// SeedFile is a tenant fixture (JSON, see docs/fixtures.md) loaded instead of the embedded default tenant.
	SeedFile string
	// Seed is a fixture document given in memory; it wins over SeedFile.
	Seed []byte
	// Empty starts the tenant with only its organization and subscribed SKUs.
	Empty bool
	// Clock is the engine clock; default a ManualClock running at system time (the control plane
	// can freeze and advance it).
	Clock engine.Clock
	// DeterministicIDs makes object ids a reproducible sequence keyed by this seed ("" = random ids).
	DeterministicIDs string
	// Logger receives one line per request; default discards.
	Logger *slog.Logger
	// DefaultActorUPN is the user audit records name as the caller while requests carry no
	// identity; default the fixture's first user whose jobTitle mentions "Administrator".
	DefaultActorUPN string
	// TLS, when set, gives the server a certificate (generated, issued by a graphmock CA, unless
	// files are named): see TLSConfig, CACertPool and docs/auth.md. nil = no TLS material.
	TLS *TLSOptions
	// Auth is the access-token policy of Graph routes: AuthOff (default) or AuthOn (docs/auth.md).
	Auth AuthMode
	// TokenLifetime is the lifetime of issued access tokens; default 1 hour (expires_in 3599 s).
	TokenLifetime time.Duration
	// TokenSigningKey signs access tokens (RS256); default a 2048-bit key generated on first use.
	TokenSigningKey *rsa.PrivateKey
}

// Server is graphmock's HTTP surface over one or more tenants.
type Server struct {
	opts       Options
	log        *slog.Logger
	clock      engine.Clock
	requestIDs engine.IDSource
	router     *mux.Router
	handler    http.Handler

	mu            sync.RWMutex
	defaultTenant *tenant

	tls    *tlsMaterial
	signer tokenSigner
}

// tenant is one directory: its store and the identity requests act as.
type tenant struct {
	id    string
	store *engine.Store
	actor engine.Actor
}

// New builds a Server with its default tenant loaded from the options' fixture.
// Errors: an unreadable or invalid fixture.
func New(opts Options) (*Server, error) {
	s := &Server{opts: opts, log: opts.Logger, clock: opts.Clock, requestIDs: engine.RandomIDs{}}
	s.signer.key = opts.TokenSigningKey
	if err := opts.Auth.validate(); err != nil {
		return nil, err
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.clock == nil {
		s.clock = engine.NewManualClock()
	}
	fx, err := loadFixtureFromOptions(opts)
	if err != nil {
		return nil, err
	}
	t, err := s.newTenant(fx)
	if err != nil {
		return nil, err
	}
	s.defaultTenant = t
	if opts.TLS != nil {
		if s.tls, err = newTLSMaterial(*opts.TLS, s.clock.Now()); err != nil {
			return nil, err
		}
	}
	s.router = s.routes()
	s.handler = s.withConventions(s.authenticate(caseInsensitive(s.router)))
	return s, nil
}

func (s *Server) newTenant(fx *Fixture) (*tenant, error) {
	var ids engine.IDSource = engine.RandomIDs{}
	if s.opts.DeterministicIDs != "" {
		ids = engine.NewDeterministicIDs(s.opts.DeterministicIDs)
	}
	store, err := engine.NewStore(engine.Options{Clock: s.clock, IDs: ids})
	if err != nil {
		return nil, err
	}
	if err := fx.Load(store, s.opts.Empty); err != nil {
		return nil, fmt.Errorf("graphmock: load fixture: %w", err)
	}
	t := &tenant{id: fx.Organization.ID, store: store}
	t.actor = defaultActor(store, s.opts.DefaultActorUPN)
	return t, nil
}

// ServeHTTP serves Graph requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Store returns the default tenant's engine store, for tests that inspect or prepare state directly.
func (s *Server) Store() *engine.Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.defaultTenant.store
}

// TenantID returns the default tenant's id.
func (s *Server) TenantID() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.defaultTenant.id
}

// tenantFor returns the tenant a request addresses: the tenant of the request's access token
// (tid) when it carries a valid one, else the default tenant.
func (s *Server) tenantFor(r *http.Request) *tenant {
	if t := s.tokenTenant(r); t != nil {
		return t
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.defaultTenant
}

// defaultActor names who audit records show as the caller while requests carry no identity: the
// configured user, else the first user whose jobTitle mentions "Administrator", else an app.
func defaultActor(store *engine.Store, upn string) engine.Actor {
	var actor engine.Actor
	_ = store.View(func(tx *engine.Txn) error {
		var pick *engine.User
		if upn != "" {
			pick, _ = tx.UsersByUPN(upn)
		}
		if pick == nil {
			_ = tx.Users(func(u *engine.User) bool {
				if strings.Contains(strings.ToLower(u.JobTitle), "administrator") {
					pick = u
					return false
				}
				return true
			})
		}
		if pick != nil {
			actor.User = &engine.UserIdentity{ID: pick.ID, DisplayName: pick.DisplayName, UserPrincipalName: pick.UserPrincipalName, IPAddress: "127.0.0.1"}
		}
		return nil
	})
	if actor.User == nil {
		actor.App = &engine.AppIdentity{AppID: "00000000-0000-0000-0000-000000000000", DisplayName: "graphmock"}
	}
	return actor
}
