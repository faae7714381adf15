package engine

import (
	"sync"
	"time"
)

// Clock is the engine's only source of time. Times are UTC.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the machine's clock.
type SystemClock struct{}

// Now returns the current UTC time.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// ManualClock is a clock tests and the control plane can freeze and advance.
// While not frozen it follows the system clock plus an offset.
type ManualClock struct {
	mu     sync.Mutex
	frozen bool
	at     time.Time     // the frozen instant
	offset time.Duration // added to the system clock while running
}

// NewManualClock returns a running clock that starts at the system time.
func NewManualClock() *ManualClock { return &ManualClock{} }

// Now returns the clock's current UTC time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return c.at
	}
	return time.Now().UTC().Add(c.offset)
}

// Freeze stops the clock at t (UTC); a zero t freezes it at its current reading.
func (c *ManualClock) Freeze(t time.Time) {
	now := c.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.IsZero() {
		t = now
	}
	c.frozen, c.at = true, t.UTC()
}

// Unfreeze lets the clock run again from its current reading.
func (c *ManualClock) Unfreeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.offset = c.at.Sub(time.Now().UTC())
		c.frozen = false
	}
}

// Advance moves the clock forward by d (negative d is ignored).
func (c *ManualClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		c.at = c.at.Add(d)
	} else {
		c.offset += d
	}
}

// Frozen reports whether the clock is frozen.
func (c *ManualClock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.frozen
}
