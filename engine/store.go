package engine

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	memdb "github.com/hashicorp/go-memdb"
)

// Options configure a Store.
type Options struct {
	Clock Clock    // default SystemClock
	IDs   IDSource // default RandomIDs
	// HardDeleteSecurityGroups makes DELETE /groups/{id} remove security groups permanently, as
	// older Graph docs describe; the default (false) soft-deletes them like Microsoft 365 groups,
	// as the 2024 group-delete doc says (graph-facts §2.2: the versions disagree).
	HardDeleteSecurityGroups bool
	// AuditRetention is how long directory audit records are kept on the engine clock; default 30
	// days, Graph's retention for P1/P2 tenants (graph-facts §2.6).
	AuditRetention time.Duration
	// AuditCap is the most audit records kept; the oldest go first. Default DefaultAuditCap.
	AuditCap int
	// Processing configures the processing queue (mode and delay of background work).
	Processing ProcessingOptions
	// Licensing configures the licensing engine (constraints, system actor, wording choices).
	Licensing LicensingOptions
	// Dynamic configures dynamic membership evaluation (the system actor).
	Dynamic DynamicOptions
}

// DefaultAuditCap bounds the audit log's memory (roughly 1 KB a record).
const DefaultAuditCap = 500_000

// Observer reacts to directory changes inside the same write transaction (licensing, dynamic
// membership). An error aborts the whole transaction.
type Observer interface {
	// UserChanged is called after a user is created (old nil), updated, soft-deleted or restored.
	UserChanged(tx *Txn, old, new *User) error
	// GroupChanged is called after a group is created (old nil), updated, soft-deleted or restored.
	GroupChanged(tx *Txn, old, new *Group) error
	// MembershipChanged is called after a direct member is added to or removed from a group.
	MembershipChanged(tx *Txn, m Membership, added bool) error
}

// Store holds one tenant's state in one go-memdb database.
type Store struct {
	db        atomic.Pointer[memdb.MemDB] // swapped whole by Restore (snapshot.go)
	opts      Options
	clock     Clock
	ids       IDSource
	auditSeq  atomic.Uint64
	audits    atomic.Int64 // records kept
	mu        sync.RWMutex // guards observers
	observers []Observer
	queue     *Queue
	lic       *licensing
	dyn       *dynamic
}

// NewStore returns an empty tenant store (no organization yet; see SetOrganization).
func NewStore(opts Options) (*Store, error) {
	db, err := memdb.NewMemDB(Schema())
	if err != nil {
		return nil, fmt.Errorf("engine: schema: %w", err)
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.IDs == nil {
		opts.IDs = RandomIDs{}
	}
	if opts.AuditRetention <= 0 {
		opts.AuditRetention = 30 * 24 * time.Hour
	}
	if opts.AuditCap <= 0 {
		opts.AuditCap = DefaultAuditCap
	}
	s := &Store{opts: opts, clock: opts.Clock, ids: opts.IDs}
	// The store works on a go-memdb snapshot, as it does after a Restore: only a primary database
	// tracks the radix nodes each write transaction changes, to close watch channels on commit,
	// and nothing here watches. A large write (a group run) would otherwise end with a walk over
	// every modified index.
	s.db.Store(db.Snapshot())
	s.queue = newQueue(s, opts.Processing)
	s.lic = newLicensing(s, opts.Licensing)
	s.dyn = newDynamic(s, opts.Dynamic)
	return s, nil
}

// Clock returns the store's clock.
func (s *Store) Clock() Clock { return s.clock }

// Options returns the options the store was made with.
func (s *Store) Options() Options { return s.opts }

// AddObserver registers an observer for changes made in write transactions.
func (s *Store) AddObserver(o Observer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observers = append(s.observers, o)
}

// Txn is one read or write transaction. Objects returned by its getters are shared with the
// database and must not be modified: Clone them, change the copy, and write it back.
type Txn struct {
	s             *Store
	txn           *memdb.Txn
	write         bool
	actor         Actor
	correlationID string
	now           time.Time
	afterCommit   []func()
	auditDelta    int64          // audit records added minus removed, applied to Store.audits on commit
	auditPending  []*AuditRecord // records made by the transaction, written as one block on commit
	inTask        bool           // the transaction applies a queued task
	tasks         []Task         // queued by the transaction, submitted on commit
	lc            *licCtx
	// groupWrites counts the transaction's writes to the groups table; noDynamic is
	// groupWrites+1 while the transaction is known to hold no dynamic group (0: not known).
	groupWrites int
	noDynamic   int
}

// View runs fn in a read transaction.
func (s *Store) View(fn func(tx *Txn) error) error {
	tx := &Txn{s: s, txn: s.db.Load().Txn(false), now: s.clock.Now()}
	defer tx.txn.Abort()
	return fn(tx)
}

// Update runs fn in one write transaction on behalf of actor: all of fn's changes (and their
// audit records) commit together, or none do when fn returns an error or panics.
func (s *Store) Update(actor Actor, fn func(tx *Txn) error) (err error) {
	return s.update(actor, false, fn)
}

func (s *Store) update(actor Actor, inTask bool, fn func(tx *Txn) error) (err error) {
	tx := &Txn{s: s, txn: s.writeTxn(), write: true, actor: actor, now: s.clock.Now(), inTask: inTask}
	tx.correlationID = s.ids.NewID()
	committed := false
	defer func() {
		if !committed {
			tx.txn.Abort()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.flushLicensing(); err != nil {
		return err
	}
	if err := tx.flushAudits(); err != nil {
		return err
	}
	tx.txn.Commit()
	committed = true
	s.audits.Add(tx.auditDelta)
	for _, f := range tx.afterCommit {
		f()
	}
	return nil
}

// Now is the transaction's time: one instant for every change it makes.
func (tx *Txn) Now() time.Time { return tx.now }

// Actor is who the transaction acts for.
func (tx *Txn) Actor() Actor { return tx.actor }

// CorrelationID is shared by the audit records of one transaction.
func (tx *Txn) CorrelationID() string { return tx.correlationID }

// SetCorrelationID makes the transaction's audit records share id with an earlier operation
// (e.g. group license processing continuing a "Set group license").
func (tx *Txn) SetCorrelationID(id string) { tx.correlationID = id }

// NewID returns a fresh object id.
func (tx *Txn) NewID() string { return tx.s.ids.NewID() }

// Store returns the store the transaction belongs to.
func (tx *Txn) Store() *Store { return tx.s }

// AfterCommit schedules f to run once the transaction has committed (never on abort).
func (tx *Txn) AfterCommit(f func()) { tx.afterCommit = append(tx.afterCommit, f) }

func (tx *Txn) observers() []Observer {
	tx.s.mu.RLock()
	defer tx.s.mu.RUnlock()
	return tx.s.observers
}

func (tx *Txn) notifyUser(old, new *User) error {
	for _, o := range tx.observers() {
		if err := o.UserChanged(tx, old, new); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Txn) notifyGroup(old, new *Group) error {
	for _, o := range tx.observers() {
		if err := o.GroupChanged(tx, old, new); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Txn) notifyMembership(m Membership, added bool) error {
	for _, o := range tx.observers() {
		if err := o.MembershipChanged(tx, m, added); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Txn) insert(table string, obj any) error {
	if table == TableGroups {
		tx.groupWrites++
	}
	if err := tx.txn.Insert(table, obj); err != nil {
		return fmt.Errorf("engine: insert %s: %w", table, err)
	}
	return nil
}

func (tx *Txn) delete(table string, obj any) error {
	if table == TableGroups {
		tx.groupWrites++
	}
	if err := tx.txn.Delete(table, obj); err != nil {
		return fmt.Errorf("engine: delete %s: %w", table, err)
	}
	return nil
}

func (tx *Txn) first(table, index string, args ...any) (any, error) {
	raw, err := tx.txn.First(table, index, args...)
	if err != nil {
		return nil, fmt.Errorf("engine: lookup %s.%s: %w", table, index, err)
	}
	return raw, nil
}

func (tx *Txn) each(table, index string, fn func(any) bool, args ...any) error {
	it, err := tx.txn.Get(table, index, args...)
	if err != nil {
		return fmt.Errorf("engine: scan %s.%s: %w", table, index, err)
	}
	for raw := it.Next(); raw != nil; raw = it.Next() {
		if !fn(raw) {
			return nil
		}
	}
	return nil
}

// Insert writes obj into table; the licensing and audit parts of the engine use it for their own rows.
func (tx *Txn) Insert(table string, obj any) error { return tx.insert(table, obj) }
