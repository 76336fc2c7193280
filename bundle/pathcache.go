package bundle

import (
	"strings"
	"sync"
)

// sharedPaths holds, for the whole process, the parses of the first
// path strings met: the bundles of a repository read the same paths
// ($.input.ticket_event.ticket.id, $.config.…) over and over, and
// parsing them, and making each bundle's cache, was a good part of the
// data-flow analysis. Its keys are copies, so that it keeps no bundle's
// source alive. Past maxSharedPaths, or for a long string, a bundle
// keeps the parse in its own cache.
var sharedPaths struct {
	sync.RWMutex
	entries map[string]parsedPath
	segs    []Segment // the unused end of the array segments are carved from
}

// maxSharedPaths and maxSharedPathLen bound what sharedPaths holds: a
// few megabytes at most.
const (
	maxSharedPaths   = 1 << 15
	maxSharedPathLen = 128
)

// sharedSegsChunk is how many segments each array of sharedPaths holds.
const sharedSegsChunk = 1024

// parseShared returns ParsePath(s) from sharedPaths, adding it when
// there is room; ok is false when s is not, and cannot be, there.
func parseShared(s string) (p Path, err *ExprError, ok bool) {
	sharedPaths.RLock()
	e, ok := sharedPaths.entries[s]
	full := len(sharedPaths.entries) >= maxSharedPaths
	sharedPaths.RUnlock()
	if ok {
		return Path{Raw: s, Segments: e.segs}, e.err, true
	}
	if full || len(s) > maxSharedPathLen {
		return Path{}, nil, false // nor will it be: the cache only grows
	}
	sharedPaths.Lock()
	defer sharedPaths.Unlock()
	if e, ok := sharedPaths.entries[s]; ok {
		return Path{Raw: s, Segments: e.segs}, e.err, true
	}
	if len(sharedPaths.entries) >= maxSharedPaths {
		return Path{}, nil, false
	}
	if sharedPaths.entries == nil {
		sharedPaths.entries = map[string]parsedPath{}
	}
	key := strings.Clone(s)
	steps := strings.Count(key, ".") + strings.Count(key, "[")
	if len(sharedPaths.segs)+steps > cap(sharedPaths.segs) {
		sharedPaths.segs = make([]Segment, 0, max(sharedSegsChunk, steps))
	}
	parsed, err := parsePathInto(key, true, sharedPaths.segs)
	e = parsedPath{err: err}
	if n := len(parsed.Segments); err == nil && n > 0 {
		// The segments fit where they were put, as in pathCache.parse.
		sharedPaths.segs = parsed.Segments[n:n]
		e.segs = parsed.Segments[:n:n] // no spare room for a caller's append to share
	}
	sharedPaths.entries[key] = e
	return Path{Raw: s, Segments: e.segs}, e.err, true
}

// pathCache holds the parse of each distinct path string of a bundle.
// The data-flow analysis parses a state's paths on every visit and
// several rules parse the same strings again: those parses were about a
// tenth of a lint's allocations.
type pathCache struct {
	mu sync.Mutex // a driver may run a bundle's analyzers in parallel
	// entries holds the segments of the paths that parse, errs the
	// errors of those that do not: rare, so kept apart to keep the
	// entries of a large bundle's map small.
	entries map[string][]Segment
	errs    map[string]*ExprError
	// segs is the unused end of the array the parses' segments are
	// carved from: one allocation serves many paths.
	segs []Segment
	// chunk is how many segments an array holds, sized by the bundle.
	chunk int
}

// parsedPath is a parse without its Raw, which is the entry's key, as
// sharedPaths keeps it.
type parsedPath struct {
	segs []Segment
	err  *ExprError
}

// ParsePath returns ParsePath(s), parsing each distinct s once per
// process or bundle; a nil Bundle parses every time. The result is
// shared by every caller: its Segments have no spare capacity, so an
// append copies them, and no caller may write to them or to the error.
func (b *Bundle) ParsePath(s string) (Path, *ExprError) {
	if b == nil {
		return ParsePath(s)
	}
	if p, err, ok := parseShared(s); ok {
		return p, err
	}
	c := &b.paths
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		// Sized for a distinct path per state, the map is made once
		// or twice instead of growing through several tables.
		states := b.stateCount()
		c.entries = make(map[string][]Segment, states)
		// A state reads or writes a path or two of a few steps; the
		// distinct ones are fewer.
		c.chunk = min(max(2*states, 16), 1024)
	}
	return c.parse(s)
}

// parse is ParsePath(s), kept; c.mu is held.
func (c *pathCache) parse(s string) (Path, *ExprError) {
	if segs, ok := c.entries[s]; ok {
		return Path{Raw: s, Segments: segs}, nil
	}
	if err, ok := c.errs[s]; ok {
		return Path{Raw: s}, err
	}
	steps := strings.Count(s, ".") + strings.Count(s, "[")
	if len(c.segs)+steps > cap(c.segs) {
		c.segs = make([]Segment, 0, max(c.chunk, steps))
	}
	p, err := parsePathInto(s, true, c.segs)
	if err != nil {
		if c.errs == nil {
			c.errs = map[string]*ExprError{}
		}
		c.errs[s] = err
		return Path{Raw: s}, err
	}
	// A quoted name may hold more '.' and '[' than the path has steps,
	// never fewer, so the segments fit where they were put.
	if n := len(p.Segments); n > 0 {
		c.segs = p.Segments[n:n]
		p.Segments = p.Segments[:n:n] // no spare room for a caller's append to share
	} else {
		p.Segments = nil
	}
	c.entries[s] = p.Segments
	return p, nil
}

// stateCount is the number of states of every machine of b.
func (b *Bundle) stateCount() int {
	n := 0
	for _, m := range b.allMachines() {
		n += len(m.States)
	}
	return n
}
