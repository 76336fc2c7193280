package bundle

import "hash/maphash"

// keyTable finds entries by key: an open-addressed table of entry
// indexes, at most half full, that reads the entries' keys through the
// caller (keyOf). The parser finds an object's repeated keys with it and
// a machine its states by name: a map from key to index was about 33
// bytes an entry, and held 8 MB while a flow of 100,000 states was
// parsed; the table is 8 to 16.
type keyTable struct {
	slots []int32 // an entry's index plus one; 0 for an empty slot
	used  int
}

// keySeed seeds the keys' hashes for the process: keys come from files,
// so their collisions must not be predictable.
var keySeed = maphash.MakeSeed()

// newKeyTable returns a table with room for n entries.
func newKeyTable(n int) keyTable {
	size := 8
	for size < 2*n {
		size *= 2
	}
	return keyTable{slots: make([]int32, size)}
}

// add indexes entry i under key, unless an entry of that key is there
// already: it then returns that entry and adds nothing, else -1.
func (t *keyTable) add(i int, key string, keyOf func(int) string) int {
	if 2*(t.used+1) > len(t.slots) {
		t.grow(keyOf)
	}
	mask := uint64(len(t.slots) - 1)
	j := maphash.String(keySeed, key) & mask
	for ; t.slots[j] != 0; j = (j + 1) & mask {
		if e := int(t.slots[j] - 1); keyOf(e) == key {
			return e
		}
	}
	t.slots[j] = int32(i + 1)
	t.used++
	return -1
}

// grow doubles the table and places its entries again.
func (t *keyTable) grow(keyOf func(int) string) {
	old := t.slots
	t.slots, t.used = make([]int32, max(2*len(old), 8)), 0
	for _, e := range old {
		if e != 0 {
			t.add(int(e-1), keyOf(int(e-1)), keyOf)
		}
	}
}

// find returns the entry indexed under key, or -1.
func (t keyTable) find(key string, keyOf func(int) string) int {
	if len(t.slots) == 0 {
		return -1
	}
	mask := uint64(len(t.slots) - 1)
	for j := maphash.String(keySeed, key) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		if e := int(t.slots[j] - 1); keyOf(e) == key {
			return e
		}
	}
	return -1
}

// indexKeys indexes n entries by keyOf(i). It stops at the first key met
// twice, reporting it as repeated, for the caller to index only the
// entries it keeps.
func indexKeys(n int, keyOf func(int) string) (t keyTable, repeated bool) {
	t = newKeyTable(n)
	for i := range n {
		if t.add(i, keyOf(i), keyOf) >= 0 {
			return keyTable{}, true
		}
	}
	return t, false
}
