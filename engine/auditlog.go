package engine

import (
	"errors"
	"fmt"
	"time"

	memdb "github.com/hashicorp/go-memdb"
)

// The audit log is stored in blocks: one row of TableAudits holds the records one write
// transaction made, in Seq order. A group license run writes one "Change user license" record
// per member; as one row they cost one radix tree insert instead of one per record.

// auditBlock is one row of TableAudits. Like other stored objects it is never changed once
// stored: pruning replaces a block with a shorter one.
type auditBlock struct {
	recs []*AuditRecord // never empty, ascending Seq
}

func auditsTable() *memdb.TableSchema {
	return &memdb.TableSchema{Name: TableAudits, Indexes: map[string]*memdb.IndexSchema{
		IndexID: {Name: IndexID, Unique: true, Indexer: seqIndex{}},
	}}
}

// seqIndex indexes audit blocks by their first record's Seq written as 16 hex digits: ordered like
// the numbers, with at most 16 edges per radix node.
type seqIndex struct{}

func (seqIndex) FromObject(obj any) (bool, []byte, error) {
	b, ok := obj.(*auditBlock)
	if !ok || len(b.recs) == 0 {
		return false, nil, fmt.Errorf("seq index: %T is not an audit block", obj)
	}
	return true, seqKey(b.recs[0].Seq), nil
}

func (seqIndex) FromArgs(args ...any) ([]byte, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("seq index: one argument expected, got %d", len(args))
	}
	n, ok := args[0].(uint64)
	if !ok {
		return nil, fmt.Errorf("seq index: %T is not a uint64", args[0])
	}
	return seqKey(n), nil
}

func seqKey(n uint64) []byte {
	const digits = "0123456789abcdef"
	b := make([]byte, 16)
	for i := 15; i >= 0; i-- {
		b[i] = digits[n&0xf]
		n >>= 4
	}
	return b
}

// Audit appends an audit record stamped with the transaction's time, actor and correlation id
// unless rec sets them.
func (tx *Txn) Audit(rec AuditRecord) error {
	return tx.putAudit(&rec)
}

// putAudit is Audit of a record the store takes over. The record is kept with the transaction
// and written with the others it makes when it commits (flushAudits).
func (tx *Txn) putAudit(rec *AuditRecord) error {
	if !tx.write {
		return errors.New("engine: audit in read transaction")
	}
	rec.Seq = tx.s.auditSeq.Add(1)
	if rec.CorrelationID == "" {
		rec.CorrelationID = tx.correlationID
	}
	if rec.ID == "" {
		rec.ID = auditID(rec.CorrelationID, rec.Seq)
	}
	if rec.ActivityDateTime.IsZero() {
		rec.ActivityDateTime = tx.now
	}
	// Graph keeps audit times to 100 ns, the 7 fractional digits the wire shows, so a $filter
	// with a time read from a record (activityDateTime le …) finds that record.
	rec.ActivityDateTime = rec.ActivityDateTime.Truncate(100 * time.Nanosecond)
	if rec.InitiatedBy.User == nil && rec.InitiatedBy.App == nil {
		rec.InitiatedBy = tx.actor
	}
	if rec.Result == "" {
		rec.Result = "success"
	}
	if rec.LoggedByService == "" {
		rec.LoggedByService = ServiceCoreDirectory
	}
	tx.auditPending = append(tx.auditPending, rec)
	return nil
}

// flushAudits runs before a write transaction commits when it made audit records: it drops the
// oldest records while they are past the retention window or over the cap, then writes the
// transaction's records as one block. It reads the table before writing it (reads of an index
// a transaction has written reset go-memdb's cache of writable nodes).
func (tx *Txn) flushAudits() error {
	pending := tx.auditPending
	if len(pending) == 0 {
		return nil
	}
	tx.auditPending = nil
	cutoff := tx.AuditCutoff()
	kept := tx.s.audits.Load() + int64(len(pending))
	limit := int64(tx.s.opts.AuditCap)
	drop := func(r *AuditRecord) bool {
		if r.ActivityDateTime.Before(cutoff) || kept > limit {
			kept--
			return true
		}
		return false
	}
	var gone []*auditBlock
	var rest *auditBlock // the first block kept, shortened
	it, err := tx.txn.Get(TableAudits, IndexSeq)
	if err != nil {
		return fmt.Errorf("engine: scan %s.%s: %w", TableAudits, IndexSeq, err)
	}
	all := true // every committed block is dropped
	for raw := it.Next(); raw != nil; raw = it.Next() {
		b := raw.(*auditBlock)
		n := 0
		for n < len(b.recs) && drop(b.recs[n]) {
			n++
		}
		if n == 0 {
			all = false
			break
		}
		gone = append(gone, b)
		if n < len(b.recs) {
			rest = &auditBlock{recs: b.recs[n:]}
			all = false
			break
		}
	}
	if all {
		n := 0
		for n < len(pending) && drop(pending[n]) {
			n++
		}
		pending = pending[n:]
	}
	for _, b := range gone {
		if err := tx.delete(TableAudits, b); err != nil {
			return err
		}
	}
	if rest != nil {
		if err := tx.insert(TableAudits, rest); err != nil {
			return err
		}
	}
	if len(pending) > 0 {
		if err := tx.insert(TableAudits, &auditBlock{recs: pending}); err != nil {
			return err
		}
	}
	tx.auditDelta = kept - tx.s.audits.Load()
	return nil
}

// AuditRecords calls fn for each audit record in insertion order until fn returns false; in a
// write transaction the records it has made so far come last.
func (tx *Txn) AuditRecords(fn func(*AuditRecord) bool) error {
	stopped := false
	if err := tx.each(TableAudits, IndexSeq, func(raw any) bool {
		for _, r := range raw.(*auditBlock).recs {
			if !fn(r) {
				stopped = true
				return false
			}
		}
		return true
	}); err != nil || stopped {
		return err
	}
	for _, r := range tx.auditPending {
		if !fn(r) {
			break
		}
	}
	return nil
}

// lastAuditSeq returns the Seq of the newest record committed in db, 0 when there is none.
func lastAuditSeq(db *memdb.MemDB) uint64 {
	txn := db.Txn(false)
	defer txn.Abort()
	raw, err := txn.Last(TableAudits, IndexSeq)
	if err != nil || raw == nil {
		return 0
	}
	b := raw.(*auditBlock)
	return b.recs[len(b.recs)-1].Seq
}

// AuditCutoff is the oldest activityDateTime still retained at the transaction's time.
func (tx *Txn) AuditCutoff() time.Time { return tx.now.Add(-tx.s.opts.AuditRetention) }
