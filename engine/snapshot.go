package engine

import (
	"strings"
	"time"

	memdb "github.com/hashicorp/go-memdb"
)

// Snapshot is a point-in-time copy of a store's state (every table: organization, users, groups,
// links, subscribed SKUs, audit records). Taking one is O(1): go-memdb's immutable radix trees are
// shared until either side writes. A snapshot is never changed by later writes, so it can be
// restored any number of times.
type Snapshot struct {
	db     *memdb.MemDB
	store  *Store
	at     time.Time
	audits int64  // audit records kept
	tasks  []Task // the processing queue's waiting tasks
	idPos  uint64 // the id sequence's position, for sources that can rewind (DeterministicIDs)
	hasID  bool
}

// Time is the store clock's reading when the snapshot was taken.
func (sn *Snapshot) Time() time.Time { return sn.at }

// View runs fn in a read transaction over the snapshot's state.
func (sn *Snapshot) View(fn func(tx *Txn) error) error {
	tx := &Txn{s: sn.store, txn: sn.db.Txn(false), now: sn.store.clock.Now()}
	defer tx.txn.Abort()
	return fn(tx)
}

// rewindable is an id source whose position can be saved and restored, so a restored state
// hands out the same ids again.
type rewindable interface {
	position() uint64
	seek(uint64)
}

func (d *DeterministicIDs) position() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n
}

func (d *DeterministicIDs) seek(n uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.n = n
}

// Snapshot captures the store's committed state and the tasks waiting in its processing queue
// (a task being applied is not captured; its effects are once it commits).
func (s *Store) Snapshot() *Snapshot {
	hold := s.writeTxn() // no write in flight while the parts are read
	sn := &Snapshot{db: s.db.Load().Snapshot(), store: s, at: s.clock.Now(), audits: s.audits.Load()}
	hold.Abort()
	if r, ok := s.ids.(rewindable); ok {
		sn.idPos, sn.hasID = r.position(), true
	}
	q := s.queue
	q.mu.Lock()
	for _, e := range q.pending {
		sn.tasks = append(sn.tasks, e.task)
	}
	q.mu.Unlock()
	return sn
}

// RestoreObserver is an Observer that keeps state outside the database (a processing queue, a
// cache) and must drop or rebuild it when the store's state is replaced wholesale.
type RestoreObserver interface {
	// StateRestored is called after Restore has replaced the store's state, outside any transaction.
	StateRestored(s *Store)
}

// Restore replaces the store's whole state with the snapshot's, atomically: it waits for the write
// transaction in progress (if any) to finish, and writes that start later apply to the restored
// state. Observers stay registered (those implementing RestoreObserver are told); the clock is not changed. The snapshot may come from another
// store with the same schema (a fixture loaded into a scratch store); a deterministic id sequence
// is rewound only when the snapshot was taken from this store.
func (s *Store) Restore(sn *Snapshot) {
	q := s.queue
	q.exec.Lock()        // no task is being applied meanwhile
	hold := s.writeTxn() // holds the current database's writer lock while it is replaced
	s.db.Store(sn.db.Snapshot())
	s.audits.Store(sn.audits)
	hold.Abort()
	// The queue holds the snapshot's waiting tasks again, nothing else.
	q.mu.Lock()
	q.pending, q.byKey = nil, map[string]*queued{}
	now := time.Now()
	for _, t := range sn.tasks {
		e := &queued{task: t, at: now}
		q.pending = append(q.pending, e)
		q.byKey[t.Kind+"\x00"+t.Key] = e
	}
	mode := q.mode
	if len(q.pending) == 0 && q.running == 0 {
		q.idle.Broadcast()
	}
	q.mu.Unlock()
	q.exec.Unlock()
	switch mode {
	case ProcessingAsync:
		q.kick()
	case ProcessingImmediate:
		q.runAll()
	}
	if r, ok := s.ids.(rewindable); ok && sn.hasID && sn.store == s {
		r.seek(sn.idPos)
	}
	// Audit sequence numbers are unique; keep new ones above every restored record's.
	if last := lastAuditSeq(sn.db); last > 0 {
		for {
			cur := s.auditSeq.Load()
			if cur >= last || s.auditSeq.CompareAndSwap(cur, last) {
				break
			}
		}
	}
	s.mu.RLock()
	observers := s.observers
	s.mu.RUnlock()
	for _, o := range observers {
		if ro, ok := o.(RestoreObserver); ok {
			ro.StateRestored(s)
		}
	}
}

// writeTxn opens a write transaction on the current database. A Restore may swap the database
// while this waits for the writer lock; the transaction is then reopened on the new one, so no
// write lands in a replaced database.
func (s *Store) writeTxn() *memdb.Txn {
	for {
		db := s.db.Load()
		txn := db.Txn(true)
		if s.db.Load() == db {
			return txn
		}
		txn.Abort()
	}
}

// AllUsers calls fn for every user, active or soft-deleted, in id order until fn returns false.
func (tx *Txn) AllUsers(fn func(*User) bool) error {
	return tx.eachUser(IndexID, fn)
}

// AllGroups calls fn for every group, active or soft-deleted, in id order until fn returns false.
func (tx *Txn) AllGroups(fn func(*Group) bool) error {
	return tx.each(TableGroups, IndexID, func(raw any) bool { return fn(raw.(*Group)) })
}

// OwnerIDs calls fn with the id and kind of each owner link of a group (deleted owners included).
func (tx *Txn) OwnerIDs(groupID string, fn func(ownerID string, kind ObjectKind) bool) error {
	return tx.each(TableOwners, IndexGroup, func(raw any) bool {
		o := raw.(*Ownership)
		return fn(o.OwnerID, o.OwnerKind)
	}, strings.ToLower(groupID))
}

// MarkDeleted soft-deletes an active user or group at the given time without audit records or
// observer calls: fixtures use it to reproduce exported deleted items exactly.
func (tx *Txn) MarkDeleted(id string, at time.Time) error {
	at = at.UTC()
	if u, err := tx.userAny(id); err != nil {
		return err
	} else if u != nil && !u.Deleted() {
		c := u.Clone()
		c.DeletedDateTime = &at
		if err := tx.renameUser(c, DeletedUPN(c.ID, c.UserPrincipalName)); err != nil {
			return err
		}
		return tx.putUserRow(c)
	}
	if g, err := tx.groupAny(id); err != nil {
		return err
	} else if g != nil && !g.Deleted() {
		c := g.Clone()
		c.DeletedDateTime = &at
		return tx.insert(TableGroups, c)
	}
	return NotFound(id)
}
