package bundle

import "hash/maphash"

// stateIndex finds a machine's states by name: an open-addressed table
// of state indexes, a quarter to a half full. A map from name to state
// was about 33 bytes a state, an eighth of what a large flow's model
// keeps; the table is 8 to 16.
type stateIndex struct {
	slots []int32 // a state's index plus one; 0 for an empty slot
}

// stateIndexSeed seeds the names' hashes for the whole process.
var stateIndexSeed = maphash.MakeSeed()

// newStateIndex indexes states, whose names are distinct.
func newStateIndex(states []*State) stateIndex {
	x, _ := newKeyIndex(len(states), func(i int) string { return states[i].Name })
	return x
}

// newKeyIndex indexes n entries by key(i). It stops at the first key met
// twice, reporting it as repeated, for the caller to index only the
// entries it keeps.
func newKeyIndex(n int, key func(i int) string) (x stateIndex, repeated bool) {
	size := 8
	for size < 2*n {
		size *= 2
	}
	x = stateIndex{slots: make([]int32, size)}
	mask := uint64(size - 1)
	for i := range n {
		k := key(i)
		j := maphash.String(stateIndexSeed, k) & mask
		for ; x.slots[j] != 0; j = (j + 1) & mask {
			if key(int(x.slots[j]-1)) == k {
				return stateIndex{}, true
			}
		}
		x.slots[j] = int32(i + 1)
	}
	return x, false
}

// find returns the state of states, the ones indexed, named name, or nil.
func (x stateIndex) find(states []*State, name string) *State {
	if len(x.slots) == 0 {
		return nil
	}
	mask := uint64(len(x.slots) - 1)
	for j := maphash.String(stateIndexSeed, name) & mask; x.slots[j] != 0; j = (j + 1) & mask {
		if s := states[x.slots[j]-1]; s.Name == name {
			return s
		}
	}
	return nil
}
