package engine

import memdb "github.com/hashicorp/go-memdb"

// cursorSteps is how many rows a seekCursor steps over before it seeks instead.
const cursorSteps = 8

// seekCursor finds rows of a unique string index by keys asked in ascending order (the order
// group members are listed in): stepping to the next row is much cheaper than a lookup from the
// radix tree's root, and when the key asked is further ahead the cursor seeks to it. Keys asked
// out of order are found too, by a seek.
type seekCursor struct {
	tx           *Txn
	table, index string
	key          func(row any) string // the row's index key, as find is asked it
	it           memdb.ResultIterator
	cur          any    // the row the cursor is on; nil past the end
	last         string // the key asked last
}

// find returns the row whose key is key, or nil.
func (c *seekCursor) find(key string) (any, error) {
	if c.it == nil || key < c.last {
		if err := c.seek(key); err != nil {
			return nil, err
		}
	}
	c.last = key
	for steps := 0; c.cur != nil; steps++ {
		switch k := c.key(c.cur); {
		case k == key:
			return c.cur, nil
		case k > key:
			return nil, nil
		}
		if steps == cursorSteps {
			// Far behind: after the seek the cursor is on key or past it.
			if err := c.seek(key); err != nil {
				return nil, err
			}
			continue
		}
		c.cur = c.it.Next()
	}
	return nil, nil
}

func (c *seekCursor) seek(key string) error {
	it, err := c.tx.txn.LowerBound(c.table, c.index, key)
	if err != nil {
		return err
	}
	c.it, c.cur = it, it.Next()
	return nil
}
