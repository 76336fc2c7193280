package lint

import (
	"math"
	"os"
	"runtime/debug"
	"sync"

	"github.com/zislint/zislint/rules"
)

// A large bundle's lint needs about 2.6 times its size on the heap at
// its peak, the end of its parse: the source, the tree and its text
// (after which the source is let go, see rules.DetachSize, and the model
// and data flow take its place). But the garbage collector lets the heap
// reach twice what it held at its last cycle before the next, so a flow
// of 24 MB peaked at 112 MB, 4.7 times its file, or more, as the moment
// of that cycle varied. While large bundles are linted, lint sets a soft
// memory limit (debug.SetMemoryLimit) in proportion to them, so the
// collector runs before the heap overshoots: the same flow peaks at
// 88-90 MB, for no more CPU. The limit is soft and never fails an
// allocation: a bundle whose shape needed more (arrays of small numbers,
// say) makes the collector run more often, its share of the CPU capped
// by the runtime, and the lint finishes, slower.
const (
	budgetPerByte = 2.75     // bytes of limit per byte of large bundles being linted
	budgetBase    = 16 << 20 // the runtime, what lint keeps besides the bundle, and the small bundles linted alongside
)

// memoryBudget keeps the soft memory limit in step with the large bundles
// being linted; with none, the limit is none again. A limit set from
// outside (GOMEMLIMIT) is left as it is.
type memoryBudget struct {
	mu    sync.Mutex
	large int64 // bytes of the large bundles being linted
}

// budget is process-wide, as the limit is.
var budget memoryBudget

// hold accounts for a bundle of size bytes while it is linted and returns
// the function that ends it; small bundles and an outside limit are left
// alone.
func (m *memoryBudget) hold(size int) (release func()) {
	if size < rules.DetachSize || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	m.adjust(int64(size))
	return func() { m.adjust(-int64(size)) }
}

func (m *memoryBudget) adjust(delta int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.large += delta
	limit := int64(math.MaxInt64)
	if m.large > 0 {
		limit = budgetBase + int64(budgetPerByte*float64(m.large))
	}
	debug.SetMemoryLimit(limit)
}
