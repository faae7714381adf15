package engine

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// ProcessingMode says when queued background work (group license processing, dynamic membership
// evaluation) is applied (DESIGN.md §4).
type ProcessingMode string

// Processing modes.
const (
	// ProcessingAsync applies queued work on a worker goroutine shortly after the request that
	// queued it (after the configured delay). The default.
	ProcessingAsync ProcessingMode = "async"
	// ProcessingManual leaves queued work alone until Step or Drain is called, so tests can observe
	// intermediate states such as licenseProcessingState "QueuedForProcessing".
	ProcessingManual ProcessingMode = "manual"
	// ProcessingImmediate applies queued work before the write that queued it returns.
	ProcessingImmediate ProcessingMode = "immediate"
)

// ParseProcessingMode reads "async", "manual" or "immediate" ("" = async).
func ParseProcessingMode(s string) (ProcessingMode, error) {
	switch ProcessingMode(s) {
	case "", ProcessingAsync:
		return ProcessingAsync, nil
	case ProcessingManual, ProcessingImmediate:
		return ProcessingMode(s), nil
	}
	return "", fmt.Errorf("processing mode %q: use async, manual or immediate", s)
}

// ProcessingOptions configure a store's processing queue.
type ProcessingOptions struct {
	Mode ProcessingMode // default ProcessingAsync
	// Delay emulates the service's latency in async mode: a task stays queued for Delay before
	// it starts, then in progress for Delay before it is applied. Step and Drain never wait.
	Delay time.Duration
}

// Task is one unit of queued background work. Tasks of the same Kind and Key that are still
// queued coalesce into one (the kind's Merge decides how).
type Task struct {
	Kind string // the registered handler, e.g. TaskGroupLicense
	Key  string // what the task is about, e.g. a group id
	// Data is the kind's payload.
	Data any
	// CorrelationID links the task's audit records with the request that queued it.
	CorrelationID string
	// Actor is who queued the task.
	Actor Actor
}

// TaskHandler applies one kind of task.
type TaskHandler struct {
	// Begin runs in its own write transaction when the task leaves the queue, e.g. to show
	// "ProcessingInProgress". Optional.
	Begin func(tx *Txn, t *Task) error
	// Run applies the task in one write transaction.
	Run func(tx *Txn, t *Task) error
	// Merge folds next into a still-queued task with the same Kind and Key. Optional: by
	// default next replaces queued.
	Merge func(queued, next *Task)
}

// QueueStatus is a snapshot of the processing queue.
type QueueStatus struct {
	Mode    ProcessingMode
	Delay   time.Duration
	Pending int // tasks queued and not yet started
	Running int // tasks taken from the queue and not yet finished
	Errors  int // tasks whose Run failed since the store was made
}

// Queue is a store's processing queue: one for the store, shared by every kind of background work.
// Tasks are applied one at a time, in the order they were queued.
type Queue struct {
	s        *Store
	mu       sync.Mutex
	idle     *sync.Cond
	mode     ProcessingMode
	delay    time.Duration
	handlers map[string]TaskHandler
	pending  []*queued
	byKey    map[string]*queued
	running  int
	worker   bool
	hurry    chan struct{} // closed to cut the worker's delays short (Drain, mode change)
	errs     []error
	exec     sync.Mutex // held while a task's transactions run: tasks never overlap
}

type queued struct {
	task Task
	at   time.Time // real time it was queued (delays use the machine clock, not the engine clock)
}

func newQueue(s *Store, o ProcessingOptions) *Queue {
	if o.Mode == "" {
		o.Mode = ProcessingAsync
	}
	q := &Queue{s: s, mode: o.Mode, delay: o.Delay, handlers: map[string]TaskHandler{}, byKey: map[string]*queued{}, hurry: make(chan struct{})}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// Processing returns the store's processing queue.
func (s *Store) Processing() *Queue { return s.queue }

// Handle registers the handler of a task kind; a later registration replaces an earlier one.
func (q *Queue) Handle(kind string, h TaskHandler) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.handlers[kind] = h
}

// Status returns the queue's mode, delay and counts.
func (q *Queue) Status() QueueStatus {
	q.mu.Lock()
	defer q.mu.Unlock()
	return QueueStatus{Mode: q.mode, Delay: q.delay, Pending: len(q.pending), Running: q.running, Errors: len(q.errs)}
}

// Errors returns the failures of task runs so far (a failed run leaves no partial state).
func (q *Queue) Errors() []error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]error(nil), q.errs...)
}

// SetMode changes the mode and the delay. Switching to async starts the worker for queued work;
// switching to immediate applies queued work before returning.
func (q *Queue) SetMode(mode ProcessingMode, delay time.Duration) error {
	if _, err := ParseProcessingMode(string(mode)); err != nil {
		return err
	}
	if delay < 0 {
		return fmt.Errorf("processing delay %s: must not be negative", delay)
	}
	q.mu.Lock()
	q.mode, q.delay = mode, delay
	q.wakeLocked()
	q.mu.Unlock()
	switch mode {
	case ProcessingAsync:
		q.kick()
	case ProcessingImmediate:
		q.runAll()
	}
	return nil
}

// Enqueue queues t once the transaction commits (nothing is queued when it aborts). In
// immediate mode the task is applied before Store.Update returns.
func (tx *Txn) Enqueue(t Task) {
	if len(tx.tasks) == 0 {
		inTask, q := tx.inTask, tx.s.queue
		tx.AfterCommit(func() { q.submit(tx.tasks, inTask) })
	}
	tx.tasks = append(tx.tasks, t)
}

// submit queues a committed transaction's tasks (merging those with a queued twin) and starts
// processing as the mode says.
func (q *Queue) submit(tasks []Task, fromTask bool) {
	q.mu.Lock()
	for _, t := range tasks {
		key := t.Kind + "\x00" + t.Key
		if cur, ok := q.byKey[key]; ok {
			if h := q.handlers[t.Kind]; h.Merge != nil {
				h.Merge(&cur.task, &t)
			} else {
				cur.task = t
			}
			continue
		}
		e := &queued{task: t, at: time.Now()}
		q.pending = append(q.pending, e)
		q.byKey[key] = e
	}
	mode := q.mode
	q.mu.Unlock()
	switch {
	case fromTask:
		// Queued by a running task: the loop running it picks the new task up (immediate,
		// Drain), or the worker does (async).
		if mode == ProcessingAsync {
			q.kick()
		}
	case mode == ProcessingImmediate:
		q.runAll()
	case mode == ProcessingAsync:
		q.kick()
	}
}

// pop takes the next task off the queue; nil when empty.
func (q *Queue) popLocked() *queued {
	if len(q.pending) == 0 {
		return nil
	}
	e := q.pending[0]
	q.pending[0] = nil
	q.pending = q.pending[1:]
	delete(q.byKey, e.task.Kind+"\x00"+e.task.Key)
	q.running++
	return e
}

func (q *Queue) doneLocked() {
	q.running--
	if q.running == 0 && len(q.pending) == 0 {
		q.idle.Broadcast()
	}
}

func (q *Queue) wakeLocked() {
	close(q.hurry)
	q.hurry = make(chan struct{})
}

// Step applies the oldest queued task, whatever the mode, and reports whether there was one.
func (q *Queue) Step() bool {
	q.exec.Lock()
	defer q.exec.Unlock()
	q.mu.Lock()
	e := q.popLocked()
	q.mu.Unlock()
	if e == nil {
		return false
	}
	q.apply(e, nil)
	return true
}

// Drain applies every queued task (and those they queue) on the calling goroutine, whatever the
// mode and without waiting for delays, then waits until no task is running. Errors: ctx's.
func (q *Queue) Drain(ctx context.Context) error {
	q.mu.Lock()
	q.wakeLocked()
	q.mu.Unlock()
	q.runAll()
	stop := context.AfterFunc(ctx, func() {
		q.mu.Lock()
		q.idle.Broadcast()
		q.mu.Unlock()
	})
	defer stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	for (q.running > 0 || len(q.pending) > 0) && ctx.Err() == nil {
		if q.running == 0 {
			// Queued after runAll finished (e.g. by the worker's last task): take it here.
			q.mu.Unlock()
			q.runAll()
			q.mu.Lock()
			continue
		}
		q.idle.Wait()
	}
	return ctx.Err()
}

// runAll applies queued tasks until the queue is empty.
func (q *Queue) runAll() {
	q.exec.Lock()
	defer q.exec.Unlock()
	for {
		q.mu.Lock()
		e := q.popLocked()
		q.mu.Unlock()
		if e == nil {
			return
		}
		q.apply(e, nil)
	}
}

// kick starts the async worker unless it is running.
func (q *Queue) kick() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.worker || len(q.pending) == 0 || q.mode != ProcessingAsync {
		return
	}
	q.worker = true
	go q.work()
}

// work is the async worker: it applies queued tasks and exits when the queue is empty.
func (q *Queue) work() {
	for {
		q.mu.Lock()
		if len(q.pending) == 0 || q.mode != ProcessingAsync {
			q.worker = false
			q.mu.Unlock()
			return
		}
		e := q.pending[0]
		delay, hurry := q.delay, q.hurry
		q.mu.Unlock()
		if wait := time.Until(e.at.Add(delay)); wait > 0 {
			sleep(wait, hurry)
		}
		q.exec.Lock()
		q.mu.Lock()
		if q.mode != ProcessingAsync {
			// Switched to manual (or immediate) while waiting: leave the task to Step or Drain.
			q.worker = false
			q.mu.Unlock()
			q.exec.Unlock()
			return
		}
		e = q.popLocked()
		delay, hurry = q.delay, q.hurry
		q.mu.Unlock()
		if e != nil {
			q.apply(e, func() {
				if delay > 0 {
					sleep(delay, hurry) // in progress; Drain and SetMode cut it short
				}
			})
		}
		q.exec.Unlock()
	}
}

func sleep(d time.Duration, hurry <-chan struct{}) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-hurry:
	}
}

// apply runs a task's Begin and Run transactions, calling between (the worker's delay) in between.
// Called with q.exec held.
func (q *Queue) apply(e *queued, between func()) {
	q.mu.Lock()
	h, ok := q.handlers[e.task.Kind]
	q.mu.Unlock()
	var err error
	switch {
	case !ok:
		err = fmt.Errorf("engine: no handler for task kind %q", e.task.Kind)
	default:
		t := e.task
		if h.Begin != nil {
			err = q.s.updateTask(t, h.Begin)
		}
		if err == nil {
			if between != nil {
				between()
			}
			err = q.s.updateTask(t, h.Run)
		}
	}
	q.mu.Lock()
	if err != nil {
		q.errs = append(q.errs, fmt.Errorf("task %s %s: %w", e.task.Kind, e.task.Key, err))
	}
	q.doneLocked()
	q.mu.Unlock()
}

// updateTask runs fn in one write transaction marked as a task's, acting as the task's actor
// and continuing its correlation id.
func (s *Store) updateTask(t Task, fn func(tx *Txn, t *Task) error) error {
	return s.update(t.Actor, true, func(tx *Txn) error {
		if t.CorrelationID != "" {
			tx.SetCorrelationID(t.CorrelationID)
		}
		return fn(tx, &t)
	})
}

// queuedKey reports whether a task of kind and key is waiting in the queue.
func (q *Queue) queuedKey(kind, key string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	_, ok := q.byKey[kind+"\x00"+key]
	return ok
}
