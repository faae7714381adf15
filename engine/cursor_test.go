package engine

import (
	"fmt"
	"sort"
	"testing"
)

func TestSeekCursorFindsRowsByAscendingAndUnorderedKeys(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var ids []string
	for i := 0; i < 40; i++ {
		ids = append(ids, mustCreateUser(t, s, fmt.Sprintf("u%02d", i)).ID)
	}
	sort.Strings(ids)
	_ = s.View(func(tx *Txn) error {
		c := tx.newUserReader().users
		check := func(key, want string) {
			t.Helper()
			raw, err := c.find(key)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if raw != nil {
				got = raw.(*User).ID
			}
			if got != want {
				t.Fatalf("find(%q) = %q, want %q", key, got, want)
			}
		}
		check(ids[0], ids[0])
		check(ids[1], ids[1])
		check(ids[1]+"0", "")   // between two rows
		check(ids[3], ids[3])   // a step ahead
		check(ids[30], ids[30]) // further ahead than the cursor steps
		check(ids[5], ids[5])   // out of order
		check(ids[39], ids[39]) // the last row
		check(ids[39]+"0", "")  // past the end
		check("00000000", "")   // before the first row
		check(ids[len(ids)/2], ids[len(ids)/2])
		return nil
	})
}
