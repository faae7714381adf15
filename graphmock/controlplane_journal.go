package graphmock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// defaultJournalLimit is how many requests a tenant's journal keeps unless Options.JournalLimit says otherwise.
const defaultJournalLimit = 1000

// maxJournalBody is how much of a request body a journal entry keeps.
const maxJournalBody = 64 << 10

// journalEntry is one Graph request a tenant received.
type journalEntry struct {
	seq             uint64
	at              time.Time // the tenant clock's reading when the request arrived
	method          string
	path            string // as the client sent it
	query           string // decoded
	status          int
	requestID       string
	clientRequestID string
	duration        time.Duration
	body            []byte // writes only; at most maxJournalBody
	truncated       bool
}

// journal is a bounded, in-order record of a tenant's Graph requests: a ring buffer that drops
// its oldest entry when full.
type journal struct {
	mu      sync.Mutex
	limit   int
	ring    []journalEntry
	head    int // index of the oldest entry
	n       int
	seq     uint64
	dropped uint64
}

func newJournal(limit int) *journal {
	if limit == 0 {
		limit = defaultJournalLimit
	}
	if limit < 0 {
		limit = 0
	}
	return &journal{limit: limit}
}

func (j *journal) add(e journalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.limit == 0 {
		return
	}
	j.seq++
	e.seq = j.seq
	if len(j.ring) < j.limit {
		j.ring = append(j.ring, e)
		j.n++
		return
	}
	if j.n < j.limit {
		j.ring[(j.head+j.n)%j.limit] = e
		j.n++
		return
	}
	j.ring[j.head] = e
	j.head = (j.head + 1) % j.limit
	j.dropped++
}

// entries returns the kept entries, oldest first, and how many were dropped since the last clear.
func (j *journal) entries() ([]journalEntry, uint64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]journalEntry, j.n)
	for i := 0; i < j.n; i++ {
		out[i] = j.ring[(j.head+i)%len(j.ring)]
	}
	return out, j.dropped
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ring, j.head, j.n, j.dropped = nil, 0, 0, 0
}

// errReader fails every read with err.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// teeBody is a request body read from Reader and closed through Closer.
type teeBody struct {
	io.Reader
	io.Closer
}

// withJournal records every Graph request (/v1.0 and /beta; not control-plane or identity
// endpoints such as the token endpoint) in the addressed tenant's journal: method, path, query,
// status, time, request ids and, for writes, the body, whether or not the handler read it.
func (s *Server) withJournal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isGraphPath(r.URL.Path) || s.opts.JournalLimit < 0 {
			next.ServeHTTP(w, r)
			return
		}
		t := s.tenantFor(r)
		e := journalEntry{at: t.store.Clock().Now(), method: r.Method, path: r.URL.Path,
			requestID: requestID(r), clientRequestID: clientRequestID(r)}
		if q, err := url.QueryUnescape(r.URL.RawQuery); err == nil {
			e.query = q
		} else {
			e.query = r.URL.RawQuery
		}
		if r.Body != nil && r.Body != http.NoBody && r.Method != http.MethodGet && r.Method != http.MethodHead {
			// Read the recorded part up front, so the body is journaled even when the handler
			// refuses the request without reading it (a wrong Content-Type, a fault rule, …).
			// The handler then reads the same bytes followed by the rest.
			head, err := io.ReadAll(io.LimitReader(r.Body, maxJournalBody+1))
			if len(head) > maxJournalBody {
				e.body, e.truncated = head[:maxJournalBody:maxJournalBody], true
			} else if len(head) > 0 {
				e.body = head
			}
			var rest io.Reader = r.Body
			if err != nil {
				rest = errReader{err}
			}
			r.Body = teeBody{Reader: io.MultiReader(bytes.NewReader(head), rest), Closer: r.Body}
		}
		rec := &statusRecorder{ResponseWriter: w}
		start := time.Now()
		defer func() {
			p := recover()
			e.status = rec.status
			if p != nil {
				e.status = http.StatusInternalServerError
			} else if e.status == 0 {
				e.status = http.StatusOK
			}
			e.duration = time.Since(start)
			t.ctl.journal.add(e)
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// encode writes an entry: {"sequence","dateTime","method","path","query","status","requestId",
// "clientRequestId","durationMs","body"?}. body is the JSON the client sent (a string when it
// isn't JSON or was cut at 64 KiB).
func (e *journalEntry) encode() object {
	o := object{{"sequence", e.seq}, {"dateTime", e.at.UTC().Format(time.RFC3339Nano)}, {"method", e.method},
		{"path", e.path}, {"query", e.query}, {"status", e.status}, {"requestId", e.requestID},
		{"clientRequestId", e.clientRequestID}, {"durationMs", float64(e.duration.Microseconds()) / 1000}}
	if e.body != nil {
		if !e.truncated && json.Valid(e.body) {
			o = append(o, field{"body", json.RawMessage(e.body)})
		} else {
			o = append(o, field{"body", string(e.body)})
		}
	}
	return o
}

// listJournal serves GET /_graphmock/journal[?method=POST][&path=/users]: 200 {"value":[entry…],
// "dropped":n} with the tenant's recorded Graph requests, oldest first. method matches exactly
// (any case); path matches any request path containing it (any case), so "/v1.0/users" selects
// that prefix and "assignLicense" any path naming the action. dropped counts entries evicted since
// the last clear (the journal keeps Options.JournalLimit entries). Errors: 400 for other parameters.
func (s *Server) listJournal(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k := range q {
		if k != "method" && k != "path" {
			return badControlRequest("The query parameter '" + k + "' is not supported; filter with 'method' and 'path'.")
		}
	}
	method, path := q.Get("method"), strings.ToLower(q.Get("path"))
	entries, dropped := s.tenantFor(r).ctl.journal.entries()
	values := make([]object, 0, len(entries))
	for i := range entries {
		e := &entries[i]
		if method != "" && !strings.EqualFold(method, e.method) {
			continue
		}
		if path != "" && !strings.Contains(strings.ToLower(e.path), path) {
			continue
		}
		values = append(values, e.encode())
	}
	writeControlJSON(w, http.StatusOK, object{{"value", values}, {"dropped", dropped}})
	return nil
}

// clearJournal serves DELETE /_graphmock/journal: 204; the tenant's journal is emptied.
func (s *Server) clearJournal(w http.ResponseWriter, r *http.Request) error {
	s.tenantFor(r).ctl.journal.clear()
	writeNoContent(w)
	return nil
}
