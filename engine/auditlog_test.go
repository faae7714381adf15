package engine

import (
	"slices"
	"testing"
	"time"
)

// auditStore is a store with an empty audit log, a frozen manual clock and the given cap.
func auditStore(t *testing.T, limit int) (*Store, *ManualClock) {
	t.Helper()
	clock := NewManualClock()
	clock.Freeze(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	s, err := NewStore(Options{IDs: NewDeterministicIDs(t.Name()), Clock: clock, AuditCap: limit})
	if err != nil {
		t.Fatal(err)
	}
	return s, clock
}

// writeAudits makes one transaction with a record per name.
func writeAudits(t *testing.T, s *Store, names ...string) {
	t.Helper()
	err := s.Update(admin, func(tx *Txn) error {
		for _, n := range names {
			if err := tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: n, OperationType: "Update"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// auditNames lists the kept records' activity names, oldest first, checking Seq ascends.
func auditNames(t *testing.T, s *Store) []string {
	t.Helper()
	var names []string
	var last uint64
	_ = s.View(func(tx *Txn) error {
		return tx.AuditRecords(func(r *AuditRecord) bool {
			if r.Seq <= last {
				t.Errorf("record %s has Seq %d after %d", r.ActivityDisplayName, r.Seq, last)
			}
			last = r.Seq
			names = append(names, r.ActivityDisplayName)
			return true
		})
	})
	return names
}

func TestAuditCapDropsOldestAcrossTransactions(t *testing.T) {
	t.Parallel()
	s, _ := auditStore(t, 5)
	writeAudits(t, s, "a1", "a2", "a3")
	writeAudits(t, s, "b1", "b2", "b3", "b4")
	if got, want := auditNames(t, s), []string{"a3", "b1", "b2", "b3", "b4"}; !slices.Equal(got, want) {
		t.Fatalf("kept %v, want %v", got, want)
	}
	writeAudits(t, s, "c1")
	if got, want := auditNames(t, s), []string{"b1", "b2", "b3", "b4", "c1"}; !slices.Equal(got, want) {
		t.Fatalf("kept %v, want %v", got, want)
	}
	// One transaction with more records than the cap keeps only its newest.
	writeAudits(t, s, "d1", "d2", "d3", "d4", "d5", "d6", "d7")
	if got, want := auditNames(t, s), []string{"d3", "d4", "d5", "d6", "d7"}; !slices.Equal(got, want) {
		t.Fatalf("kept %v, want %v", got, want)
	}
	if n := s.audits.Load(); n != 5 {
		t.Fatalf("record count %d, want 5", n)
	}
}

func TestAuditRetentionDropsExpiredAtNextWrite(t *testing.T) {
	t.Parallel()
	s, clock := auditStore(t, 100)
	writeAudits(t, s, "old1", "old2")
	clock.Advance(10 * 24 * time.Hour)
	writeAudits(t, s, "mid")
	clock.Advance(21 * 24 * time.Hour) // old1 and old2 are now 31 days old, mid 21
	if got, want := auditNames(t, s), []string{"old1", "old2", "mid"}; !slices.Equal(got, want) {
		t.Fatalf("before a write: %v, want %v", got, want)
	}
	writeAudits(t, s, "new")
	if got, want := auditNames(t, s), []string{"mid", "new"}; !slices.Equal(got, want) {
		t.Fatalf("after a write: %v, want %v", got, want)
	}
}

func TestAuditRecordsSeesTransactionsOwnRecords(t *testing.T) {
	t.Parallel()
	s, _ := auditStore(t, 100)
	writeAudits(t, s, "committed")
	var seen []string
	err := s.Update(admin, func(tx *Txn) error {
		if err := tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: "pending", OperationType: "Update"}); err != nil {
			return err
		}
		return tx.AuditRecords(func(r *AuditRecord) bool { seen = append(seen, r.ActivityDisplayName); return true })
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"committed", "pending"}; !slices.Equal(seen, want) {
		t.Fatalf("inside the transaction: %v, want %v", seen, want)
	}
	// A read transaction can't audit, and an aborted one leaves nothing.
	if err := s.View(func(tx *Txn) error { return tx.Audit(AuditRecord{ActivityDisplayName: "x"}) }); err == nil {
		t.Fatal("audit in a read transaction succeeded")
	}
	_ = s.Update(admin, func(tx *Txn) error {
		_ = tx.Audit(AuditRecord{Category: CategoryUserManagement, ActivityDisplayName: "aborted", OperationType: "Update"})
		return NotFound("x")
	})
	if got, want := auditNames(t, s), []string{"committed", "pending"}; !slices.Equal(got, want) {
		t.Fatalf("after an aborted write: %v, want %v", got, want)
	}
}

func TestAuditSeqStaysAboveRestoredRecords(t *testing.T) {
	t.Parallel()
	s, _ := auditStore(t, 100)
	writeAudits(t, s, "a", "b")
	sn := s.Snapshot()
	writeAudits(t, s, "c")
	s.auditSeq.Store(0) // as in a store that never wrote the snapshot's records
	s.Restore(sn)
	writeAudits(t, s, "d")
	if got, want := auditNames(t, s), []string{"a", "b", "d"}; !slices.Equal(got, want) {
		t.Fatalf("after restore: %v, want %v", got, want)
	}
}
