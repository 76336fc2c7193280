package bundle

import "sync"

// pathCache holds the parse of each distinct path string of a bundle.
// The data-flow analysis parses a state's paths on every visit and
// several rules parse the same strings again: those parses were about a
// tenth of a lint's allocations.
type pathCache struct {
	mu      sync.Mutex // a driver may run a bundle's analyzers in parallel
	entries map[string]parsedPath
}

// parsedPath is a parse without its Raw, which is the entry's key.
type parsedPath struct {
	segs []Segment
	err  *ExprError
}

// ParsePath returns ParsePath(s), parsing each distinct s once per bundle; a
// nil Bundle parses every time. The result is shared by every caller:
// its Segments have no spare capacity, so an append copies them, and
// no caller may write to them or to the error.
func (b *Bundle) ParsePath(s string) (Path, *ExprError) {
	if b == nil {
		return ParsePath(s)
	}
	c := &b.paths
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		// Sized for a distinct path per state, the map is made once
		// or twice instead of growing through several tables.
		c.entries = make(map[string]parsedPath, b.stateCount())
	}
	return c.parse(s)
}

// parse is ParsePath(s), kept; c.mu is held.
func (c *pathCache) parse(s string) (Path, *ExprError) {
	if e, ok := c.entries[s]; ok {
		return Path{Raw: s, Segments: e.segs}, e.err
	}
	p, err := ParsePath(s)
	// Segments is sized for every '.' and '[' of s, and a quoted name
	// may hold more: trim the spare room a caller's append would share.
	n := len(p.Segments)
	p.Segments = p.Segments[:n:n]
	c.entries[s] = parsedPath{p.Segments, err}
	return p, err
}

// stateCount is the number of states of every machine of b.
func (b *Bundle) stateCount() int {
	n := 0
	for _, m := range b.allMachines() {
		n += len(m.States)
	}
	return n
}
