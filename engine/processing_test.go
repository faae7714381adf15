package engine_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphmock/graphmock/engine"
)

// TestProcessingModes checks the queue with a task kind of its own, as dynamic membership adds one.
func TestProcessingModes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode engine.ProcessingMode
		// ranAfterUpdate is whether the task has run when Update returns.
		ranAfterUpdate bool
	}{
		{engine.ProcessingImmediate, true},
		{engine.ProcessingManual, false},
		{engine.ProcessingAsync, false}, // with a delay, so it can't have run yet
	}
	for _, tc := range tests {
		t.Run(string(tc.mode), func(t *testing.T) {
			t.Parallel()
			s, err := engine.NewStore(engine.Options{Processing: engine.ProcessingOptions{Mode: tc.mode, Delay: time.Second}})
			if err != nil {
				t.Fatal(err)
			}
			var runs, begins atomic.Int32
			var merged atomic.Int32
			s.Processing().Handle("test", engine.TaskHandler{
				Begin: func(tx *engine.Txn, t *engine.Task) error { begins.Add(1); return nil },
				Run:   func(tx *engine.Txn, t *engine.Task) error { runs.Add(1); merged.Store(int32(t.Data.(int))); return nil },
				Merge: func(q, n *engine.Task) { q.Data = q.Data.(int) + n.Data.(int) },
			})
			err = s.Update(admin, func(tx *engine.Txn) error {
				tx.Enqueue(engine.Task{Kind: "test", Key: "k", Data: 1})
				tx.Enqueue(engine.Task{Kind: "test", Key: "k", Data: 2})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := runs.Load() > 0; got != tc.ranAfterUpdate {
				t.Fatalf("ran after Update = %v, want %v", got, tc.ranAfterUpdate)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			start := time.Now()
			if err := s.Processing().Drain(ctx); err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > 900*time.Millisecond {
				t.Fatalf("Drain waited for the delay: %s", time.Since(start))
			}
			if runs.Load() != 1 || begins.Load() != 1 || merged.Load() != 3 {
				t.Fatalf("runs %d begins %d merged %d: want one merged task", runs.Load(), begins.Load(), merged.Load())
			}
			if st := s.Processing().Status(); st.Pending != 0 || st.Running != 0 {
				t.Fatalf("status after drain = %+v", st)
			}
		})
	}
}

func TestProcessingStepAndSetMode(t *testing.T) {
	t.Parallel()
	s, err := engine.NewStore(engine.Options{Processing: engine.ProcessingOptions{Mode: engine.ProcessingManual}})
	if err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	s.Processing().Handle("test", engine.TaskHandler{Run: func(*engine.Txn, *engine.Task) error { runs.Add(1); return nil }})
	_ = s.Update(admin, func(tx *engine.Txn) error {
		tx.Enqueue(engine.Task{Kind: "test", Key: "a"})
		tx.Enqueue(engine.Task{Kind: "test", Key: "b"})
		tx.Enqueue(engine.Task{Kind: "test", Key: "c"})
		return nil
	})
	if !s.Processing().Step() || runs.Load() != 1 || s.Processing().Status().Pending != 2 {
		t.Fatalf("after one step: runs %d, %+v", runs.Load(), s.Processing().Status())
	}
	if err := s.Processing().SetMode(engine.ProcessingImmediate, 0); err != nil {
		t.Fatal(err)
	}
	if runs.Load() != 3 || s.Processing().Step() {
		t.Fatalf("switching to immediate left work: runs %d", runs.Load())
	}
	if err := s.Processing().SetMode("sometimes", 0); err == nil {
		t.Fatal("bad mode accepted")
	}
	// An aborted transaction queues nothing.
	_ = s.Update(admin, func(tx *engine.Txn) error {
		tx.Enqueue(engine.Task{Kind: "test", Key: "d"})
		return engine.BadRequest("no")
	})
	if runs.Load() != 3 {
		t.Fatal("aborted transaction queued a task")
	}
}
