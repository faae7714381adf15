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
	// identity; default the fixture's first user whose jobTitle mentions "Global Administrator", else "Administrator".
	DefaultActorUPN string
	// ProcessingMode says when background work (group license processing, dynamic membership
	// evaluation) is applied: "async" (default: shortly after the request), "manual" (only when
	// the control plane steps or drains the queue) or "immediate" (before the response).
	ProcessingMode string
	// ProcessingDelay is how long async work stays queued, and then in progress (DESIGN.md §4).
	ProcessingDelay time.Duration
	// JournalLimit is how many Graph requests each tenant's journal keeps (oldest dropped first);
	// 0 means 1000, a negative value turns the journal off.
	JournalLimit int
	// Throttle turns on Graph-style throttling with these budgets (nil = off; see ThrottleConfig,
	// ParseThrottle). The control plane can change it at /_graphmock/throttle.
	Throttle *ThrottleConfig
	// ReplicationDelay emulates replication lag: a user or group created through the API answers
	// 404 to requests addressing it for this long on the engine clock (0 = off; see
	// docs/batching-throttling-faults.md). The control plane can change it at /_graphmock/consistency.
	ReplicationDelay time.Duration
	// TLS, when set, gives the server a certificate (generated, issued by a graphmock CA, unless
	// files are named): see TLSConfig, CACertPool and docs/auth.md. nil = no TLS material.
	TLS *TLSOptions
	// Auth is the access-token policy of Graph routes: AuthOff (default) or AuthOn (docs/auth.md).
	Auth AuthMode
	// TokenLifetime is the lifetime of issued access tokens; default 1 hour (expires_in 3599 s).
	TokenLifetime time.Duration
	// TokenSigningKey signs access tokens (RS256); default a 2048-bit key generated on first use.
	TokenSigningKey *rsa.PrivateKey
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

	throttler   *throttler
	faults      *faultSet
	replication *replication

	mu        sync.RWMutex       // guards tenants and defaultID
	tenants   map[string]*tenant // by lower-case tenant id
	defaultID string

	tls    *tlsMaterial
	signer tokenSigner
}

// tenant is one directory: its store, the identity requests act as, and its control-plane state.
// A tenant value is not changed once published; replacing a tenant's state publishes a new value
// that shares store and ctl (controlplane_state.go).
type tenant struct {
	id    string
	store *engine.Store
	actor engine.Actor
	ctl   *tenantControl
}

// New builds a Server with its default tenant loaded from the options' fixture.
// Errors: an unreadable or invalid fixture.
func New(opts Options) (*Server, error) {
	s := &Server{opts: opts, log: opts.Logger, clock: opts.Clock, requestIDs: engine.RandomIDs{},
		throttler: newThrottler(opts.Throttle), faults: &faultSet{}, replication: newReplication(opts.ReplicationDelay)}
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
	t, err := s.newTenant(fx, s.opts.Empty, s.clock)
	if err != nil {
		return nil, err
	}
	s.tenants = map[string]*tenant{t.id: t}
	s.defaultID = t.id
	if opts.TLS != nil {
		if s.tls, err = newTLSMaterial(*opts.TLS, s.clock.Now()); err != nil {
			return nil, err
		}
	}
	s.router = s.routes()
	s.batchRoutes(s.router)
	s.handler = s.withConventions(s.authenticate(s.withTenant(s.withJournal(s.withTraffic(s.withMe(caseInsensitive(s.router)))))))
	return s, nil
}

// newTenant builds a tenant from a fixture; its initial state is what reset returns to. clock is
// the tenant's clock; nil gives it its own (see newStore).
func (s *Server) newTenant(fx *Fixture, empty bool, clock engine.Clock) (*tenant, error) {
	store, err := s.newStore(fx, empty, nil, clock)
	if err != nil {
		return nil, err
	}
	t := &tenant{id: engine.NormalizeGUID(fx.Organization.ID), store: store,
		ctl: newTenantControl(store.Snapshot(), s.opts.JournalLimit)}
	t.actor = defaultActor(store, s.opts.DefaultActorUPN)
	return t, nil
}

// newStore builds a store holding the fixture. With base, the store shares base's clock and id
// source (a fixture loaded to replace base's state); without, it gets clock, else the configured
// Options.Clock, else a fresh ManualClock. The default tenant runs on the server's clock (which
// also times tokens and throttling); every other tenant gets its own, so the control plane
// freezes and advances it alone.
func (s *Server) newStore(fx *Fixture, empty bool, base *engine.Store, clock engine.Clock) (*engine.Store, error) {
	var o engine.Options
	if base != nil {
		o = base.Options()
	} else {
		o.Clock, o.IDs = clock, engine.RandomIDs{}
		if o.Clock == nil {
			o.Clock = s.opts.Clock
		}
		if o.Clock == nil {
			o.Clock = engine.NewManualClock()
		}
		if s.opts.DeterministicIDs != "" {
			o.IDs = engine.NewDeterministicIDs(s.opts.DeterministicIDs)
		}
		mode, err := engine.ParseProcessingMode(s.opts.ProcessingMode)
		if err != nil {
			return nil, fmt.Errorf("graphmock: %w", err)
		}
		if s.opts.ProcessingDelay < 0 {
			return nil, fmt.Errorf("graphmock: processing delay %s: must not be negative", s.opts.ProcessingDelay)
		}
		o.Processing = engine.ProcessingOptions{Mode: mode, Delay: s.opts.ProcessingDelay}
		if s.opts.LicensingActor != "" {
			a := engine.DefaultLicensingActor
			a.DisplayName = s.opts.LicensingActor
			o.Licensing.Actor = &a
		}
	}
	store, err := engine.NewStore(o)
	if err != nil {
		return nil, err
	}
	if err := fx.Load(store, empty); err != nil {
		return nil, fmt.Errorf("graphmock: load fixture: %w", err)
	}
	return store, nil
}

// ServeHTTP serves Graph requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Store returns the default tenant's engine store, for tests that inspect or prepare state directly.
func (s *Server) Store() *engine.Store { return s.defaultTenant().store }

// TenantID returns the default tenant's id.
func (s *Server) TenantID() string { return s.defaultTenant().id }

// TenantStore returns the store of the tenant with id (a GUID, any case), or false.
func (s *Server) TenantStore(id string) (*engine.Store, bool) {
	t := s.tenant(id)
	if t == nil {
		return nil, false
	}
	return t.store, true
}

func (s *Server) defaultTenant() *tenant {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tenants[s.defaultID]
}

// tenant returns the tenant with id, or nil.
func (s *Server) tenant(id string) *tenant {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tenants[strings.ToLower(id)]
}

// tenantFor returns the tenant a request addresses: the tenant of the request's access token
// (tid) when it carries a valid one, else the one withTenant resolved from the
// X-Graphmock-Tenant header (controlplane_tenants.go), else the default tenant.
func (s *Server) tenantFor(r *http.Request) *tenant {
	if t := s.tokenTenant(r); t != nil {
		return t
	}
	if t, ok := r.Context().Value(ctxTenant).(*tenant); ok {
		return t
	}
	return s.defaultTenant()
}

// defaultActor names who audit records show as the caller while requests carry no identity: the
// configured user, else the first user whose jobTitle mentions "Global Administrator", then
// "Administrator", else an app.
func defaultActor(store *engine.Store, upn string) engine.Actor {
	var actor engine.Actor
	_ = store.View(func(tx *engine.Txn) error {
		var pick *engine.User
		if upn != "" {
			pick, _ = tx.UsersByUPN(upn)
		}
		for _, title := range []string{"global administrator", "administrator"} {
			if pick != nil {
				break
			}
			_ = tx.Users(func(u *engine.User) bool {
				if strings.Contains(strings.ToLower(u.JobTitle), title) {
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
