// Package memo keeps, for the whole process, answers worked out from a
// text: the bundles of one repository repeat the same domains and the
// same jq programs, and working each answer out again for every bundle
// was a tenth of the time of linting them.
package memo

import (
	"strings"
	"sync"
)

// Table maps a text to the answer worked out from it. It holds at most
// Max answers; past that it works answers out anew rather than growing,
// so a run over many distinct texts does not keep them all. Keys are
// copied, so a table never keeps a bundle's source alive. A Table is
// safe for use by many goroutines.
type Table[V any] struct {
	Max int
	mu  sync.Mutex
	m   map[string]V
}

// Get returns the answer for key, working it out with work the first
// time. work runs without the table's lock, so two goroutines may work
// out the same answer once each.
func (t *Table[V]) Get(key string, work func(string) V) V {
	t.mu.Lock()
	v, ok := t.m[key]
	t.mu.Unlock()
	if ok {
		return v
	}
	v = work(key)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]V{}
	}
	if len(t.m) < t.Max {
		t.m[strings.Clone(key)] = v
	}
	return v
}
