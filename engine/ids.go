package engine

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
)

// IDSource makes object ids: lowercase GUID strings (8-4-4-4-12 hex).
type IDSource interface {
	NewID() string
}

// RandomIDs makes random version-4 GUIDs.
type RandomIDs struct{}

// NewID returns a random GUID.
func (RandomIDs) NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return formatGUID(b)
}

// DeterministicIDs makes a reproducible GUID sequence from a seed, so fixtures and
// scenario runs produce the same ids every time.
type DeterministicIDs struct {
	mu   sync.Mutex
	seed string
	n    uint64
}

// NewDeterministicIDs returns a sequence keyed by seed.
func NewDeterministicIDs(seed string) *DeterministicIDs { return &DeterministicIDs{seed: seed} }

// NewID returns the next GUID of the sequence.
func (d *DeterministicIDs) NewID() string {
	d.mu.Lock()
	d.n++
	n := d.n
	d.mu.Unlock()
	h := sha256.New()
	h.Write([]byte(d.seed))
	var c [8]byte
	binary.BigEndian.PutUint64(c[:], n)
	h.Write(c[:])
	var b [16]byte
	copy(b[:], h.Sum(nil))
	return formatGUID(b)
}

func formatGUID(b [16]byte) string {
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// IsGUID reports whether s is a GUID in 8-4-4-4-12 hex form (either case).
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// NormalizeGUID lowercases a GUID; other strings are returned unchanged.
func NormalizeGUID(s string) string {
	if IsGUID(s) {
		return strings.ToLower(s)
	}
	return s
}
