package bundle

import (
	"strings"
	"sync"
	"sync/atomic"
)

// sharedPaths holds, for the whole process, the parses of the first
// path strings met: the bundles of a repository read the same paths
// ($.input.ticket_event.ticket.id, $.config.…) over and over, and
// parsing them, and making each bundle's cache, was a good part of the
// data-flow analysis. Its keys are copies, so that it keeps no bundle's
// source alive. Past maxSharedPaths, or for a long string, a bundle
// keeps the parse in its own cache, as it does past the first
// maxSharedPerCache paths it added: the paths a repository's bundles
// share are among the few each reads, and a single flow of 100,000
// states, which reads a path of its own in many, filled the shared
// cache with copies of paths no other bundle reads, megabytes kept to
// the end of the run. It is a pathCache, under a lock of its own, that
// only ever grows.
var sharedPaths struct {
	sync.RWMutex
	cache pathCache
}

// maxSharedPaths and maxSharedPathLen bound what sharedPaths holds: a
// few megabytes at most.
const (
	maxSharedPaths    = 1 << 15
	maxSharedPathLen  = 128
	maxSharedPerCache = 1 << 10
)

// sharedSegsChunk is how many segments each array of sharedPaths holds.
const sharedSegsChunk = 1024

// parseShared returns ParsePath(s) from sharedPaths, adding it when
// there is room and the count added of the cache asking is below
// maxSharedPerCache; ok is false when s is not there, and was not added.
func parseShared(s string, added *atomic.Int32) (p Path, err *ExprError, ok bool) {
	c := &sharedPaths.cache
	sharedPaths.RLock()
	p, err, ok = c.lookup(s)
	full := c.size() >= maxSharedPaths
	sharedPaths.RUnlock()
	if ok {
		return p, err, true
	}
	if full || len(s) > maxSharedPathLen || added.Load() >= maxSharedPerCache {
		return Path{}, nil, false
	}
	sharedPaths.Lock()
	defer sharedPaths.Unlock()
	if p, err, ok := c.lookup(s); ok {
		return p, err, true
	}
	if c.size() >= maxSharedPaths {
		return Path{}, nil, false
	}
	if c.entries == nil {
		c.entries = map[string]segsAt{}
		c.chunk = sharedSegsChunk
	}
	p, err = c.parse(strings.Clone(s))
	p.Raw = s // the caller's string, as a parse from the cache has
	added.Add(1)
	return p, err, true
}

// pathCache holds the parse of each distinct path string of a bundle.
// The data-flow analysis parses a state's paths on every visit and
// several rules parse the same strings again: those parses were about a
// tenth of a lint's allocations.
type pathCache struct {
	mu sync.Mutex // a driver may run a bundle's analyzers in parallel
	// entries holds where the segments of each path that parses are,
	// packed by segsAt; long those of a path of too many steps to pack,
	// and errs the errors of those that do not parse: all rare, so kept
	// apart to keep the entries of a large bundle's map small. A map of
	// slices was 16 bytes more an entry, a third of the cache.
	entries map[string]segsAt
	long    map[string][]Segment
	errs    map[string]*ExprError
	// chunks are the arrays the parses' segments are carved from, and
	// segs the unused end of the last: one allocation serves many paths.
	chunks [][]Segment
	segs   []Segment
	// chunk is how many segments an array holds, sized by the bundle.
	chunk int
	// shared counts the paths this cache added to sharedPaths.
	shared atomic.Int32
}

// segsAt packs where a path's segments are in a pathCache: the index of
// the chunk, and the start and the end of the segments in it.
type segsAt uint64

// maxPackedSteps bounds the start and the end a segsAt holds.
const maxPackedSteps = 1<<16 - 1

func packSegsAt(chunk, start, end int) segsAt {
	return segsAt(uint64(chunk)<<32 | uint64(start)<<16 | uint64(end))
}

// in returns the segments at a in chunks; nil for none.
func (a segsAt) in(chunks [][]Segment) []Segment {
	start, end := int(a>>16&maxPackedSteps), int(a&maxPackedSteps)
	if start == end {
		return nil
	}
	return chunks[a>>32][start:end:end]
}

// PathCache parses the path strings of a bundle, each distinct one once
// per process or cache. It is kept apart from the bundle so that the
// parses go when their owner drops it: the data-flow analysis of a large
// flow parses a path or two per state, megabytes that the bundle kept
// to the end of a lint.
type PathCache struct {
	b *Bundle // sizes the cache
	c pathCache
}

// NewPathCache returns an empty PathCache for the paths of b.
func (b *Bundle) NewPathCache() *PathCache { return &PathCache{b: b} }

// ParsePath returns ParsePath(s); a nil PathCache parses every time.
// The result is shared by every caller: its Segments have no spare
// capacity, so an append copies them, and no caller may write to them
// or to the error.
func (pc *PathCache) ParsePath(s string) (Path, *ExprError) {
	if pc == nil {
		return ParsePath(s)
	}
	return pc.c.parseOf(pc.b, s)
}

// parseOf returns ParsePath(s) from sharedPaths or from c, which keeps
// the paths of b.
func (c *pathCache) parseOf(b *Bundle, s string) (Path, *ExprError) {
	if p, err, ok := parseShared(s, &c.shared); ok {
		return p, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		// Sized for a distinct path per state of a small bundle, the
		// map is made once instead of growing through several tables.
		// A large flow's map grows a table at a time past that: its
		// states read far fewer distinct paths than there are states,
		// and a map sized for 100,000 was 5 MB, most of it empty.
		states := b.stateCount()
		c.entries = make(map[string]segsAt, min(states, maxPresizedPaths))
		// A state reads or writes a path or two of a few steps; the
		// distinct ones are fewer.
		c.chunk = min(max(2*states, 16), 1024)
	}
	return c.parse(s)
}

// maxPresizedPaths bounds the room a pathCache's map is made with.
const maxPresizedPaths = 1024

// lookup returns the parse of s when c holds it; ok is false when not.
func (c *pathCache) lookup(s string) (p Path, err *ExprError, ok bool) {
	if at, ok := c.entries[s]; ok {
		return Path{Raw: s, Segments: at.in(c.chunks)}, nil, true
	}
	if segs, ok := c.long[s]; ok {
		return Path{Raw: s, Segments: segs}, nil, true
	}
	if err, ok := c.errs[s]; ok {
		return Path{Raw: s}, err, true
	}
	return Path{}, nil, false
}

// size is the number of paths c holds.
func (c *pathCache) size() int { return len(c.entries) + len(c.long) + len(c.errs) }

// parse is ParsePath(s), kept; the cache's lock is held.
func (c *pathCache) parse(s string) (Path, *ExprError) {
	if p, err, ok := c.lookup(s); ok {
		return p, err
	}
	steps := strings.Count(s, ".") + strings.Count(s, "[")
	if len(c.segs)+steps > cap(c.segs) {
		c.segs = make([]Segment, 0, max(c.chunk, steps))
		c.chunks = append(c.chunks, c.segs[:cap(c.segs)])
	}
	room := cap(c.segs)
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
	n := len(p.Segments)
	if n == 0 {
		p.Segments = nil
		c.entries[s] = packSegsAt(0, 0, 0) // no segments, and no chunk
		return p, nil
	}
	if n > room { // not where they were put, should the count be wrong
		p.Segments = p.Segments[:n:n]
		c.keepLong(s, p.Segments)
		return p, nil
	}
	// The path's steps are in the last chunk, and c.segs is the unused
	// end of it.
	start := cap(c.chunks[len(c.chunks)-1]) - cap(c.segs)
	c.segs = p.Segments[n:n]
	p.Segments = p.Segments[:n:n] // no spare room for a caller's append to share
	if start+n > maxPackedSteps {
		c.keepLong(s, p.Segments)
		return p, nil
	}
	c.entries[s] = packSegsAt(len(c.chunks)-1, start, start+n)
	return p, nil
}

// keepLong keeps the segments of the path s, which a segsAt cannot
// locate.
func (c *pathCache) keepLong(s string, segs []Segment) {
	if c.long == nil {
		c.long = map[string][]Segment{}
	}
	c.long[s] = segs
}

// stateCount is the number of states of every machine of b.
func (b *Bundle) stateCount() int {
	n := 0
	for _, m := range b.allMachines() {
		n += len(m.States)
	}
	return n
}
