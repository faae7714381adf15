// Package graphmock is a stateful Microsoft Graph v1.0-compatible HTTP server for tests: users,
// groups, memberships, subscribed SKUs and group-based licensing over an in-memory directory.
//
// Use New to build a Server (an http.Handler) or NewTestServer to start one for a Go test.
package graphmock

import (
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
	// ProcessingMode says when background work (group license processing, dynamic membership
	// evaluation) is applied: "async" (default: shortly after the request), "manual" (only when
	// the control plane steps or drains the queue) or "immediate" (before the response).
	ProcessingMode string
	// ProcessingDelay is how long async work stays queued, and then in progress (DESIGN.md §4).
	ProcessingDelay time.Duration
	// LicensingActor is the display name of the system app group license processing acts as in
	// audit records: default "Microsoft Azure AD Group-Based Licensing"; Microsoft's 2025 docs
	// spell it "Microsoft Entra group-Based Licensing" (graph-facts §5.2).
	LicensingActor string
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
	s.router = s.routes()
	s.handler = s.withConventions(caseInsensitive(s.router))
	return s, nil
}

func (s *Server) newTenant(fx *Fixture) (*tenant, error) {
	var ids engine.IDSource = engine.RandomIDs{}
	if s.opts.DeterministicIDs != "" {
		ids = engine.NewDeterministicIDs(s.opts.DeterministicIDs)
	}
	mode, err := engine.ParseProcessingMode(s.opts.ProcessingMode)
	if err != nil {
		return nil, fmt.Errorf("graphmock: %w", err)
	}
	if s.opts.ProcessingDelay < 0 {
		return nil, fmt.Errorf("graphmock: processing delay %s: must not be negative", s.opts.ProcessingDelay)
	}
	lo := engine.LicensingOptions{}
	if s.opts.LicensingActor != "" {
		a := engine.DefaultLicensingActor
		a.DisplayName = s.opts.LicensingActor
		lo.Actor = &a
	}
	store, err := engine.NewStore(engine.Options{Clock: s.clock, IDs: ids,
		Processing: engine.ProcessingOptions{Mode: mode, Delay: s.opts.ProcessingDelay}, Licensing: lo})
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

// tenantFor returns the tenant a request addresses.
func (s *Server) tenantFor(_ *http.Request) *tenant {
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
