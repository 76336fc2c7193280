package lint

import (
	"math"
	"os"
	"runtime/debug"
	"sync"
	"unsafe"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/rules"
)

// A large bundle's lint needs, at its peak, its source and its tree (to
// the end of the parse), or its tree and its model and data flow (after
// it, as the source is let go: see rules.DetachSize). But the garbage
// collector lets the heap reach twice what it held at its last cycle
// before the next, so a flow of 24 MB peaked at 100 to 145 MB as the
// moment of that cycle varied. While large bundles are linted, lint sets
// a soft memory limit (debug.SetMemoryLimit) to what they need, so the
// collector runs before the heap overshoots: that flow peaks at 88-90 MB,
// for no more CPU. What a bundle needs is estimated before its parse from
// its punctuation (treeBytes), not from its size alone: an array of small
// numbers holds a 24-byte element per two bytes, and a limit from its
// size made the collector run without pause, doubling the lint's CPU.
const (
	memberBytes  = int(unsafe.Sizeof(bundle.Member{}))                                    // its value's node included
	elementBytes = int(unsafe.Sizeof(bundle.Node{}) + unsafe.Sizeof((*bundle.Node)(nil))) // an element's node and its pointer
	// The model and the data flow of a flow take about half its tree.
	modelPerTree = 0.5
	// budgetMargin leaves the collector room above the estimate, and
	// budgetBase holds the runtime, what lint keeps besides the bundles
	// (schemas, jq programs, the config) and the small bundles linted
	// alongside.
	budgetMargin = 1.1
	budgetBase   = 16 << 20
)

// memoryBudget keeps the soft memory limit in step with the large bundles
// being linted; with none, the limit is none again. A limit set from
// outside (GOMEMLIMIT) is left as it is.
type memoryBudget struct {
	mu    sync.Mutex
	needs int64 // what the large bundles being linted need, in bytes
}

// budget is process-wide, as the limit is.
var budget memoryBudget

// hold accounts for the bundle src while it is linted and returns the
// function that ends it; small bundles and an outside limit are left
// alone.
func (m *memoryBudget) hold(src []byte) (release func()) {
	if len(src) < rules.DetachSize || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	need := bundleNeeds(src)
	m.adjust(need)
	return func() { m.adjust(-need) }
}

// bundleNeeds estimates the heap a large bundle's lint needs at its peak:
// the source and the tree during the parse, then the tree and the model.
func bundleNeeds(src []byte) int64 {
	tree := treeBytes(src)
	return int64(budgetMargin * float64(tree+max(int64(len(src)), int64(modelPerTree*float64(tree)))))
}

func (m *memoryBudget) adjust(delta int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.needs += delta
	limit := int64(math.MaxInt64)
	if m.needs > 0 {
		limit = budgetBase + m.needs
	}
	debug.SetMemoryLimit(limit)
}

// treeBytes estimates the parse tree of the JSON text src from its
// structure outside strings: a member per colon, and a child value per
// comma and per opening bracket or brace (its first; one too many for an
// empty one), the children that are not members being array elements.
// It reads each byte once with no call per string: about 1 ns a byte.
func treeBytes(src []byte) int64 {
	var counts [4]int64 // by byteClass: other, colon, value start
	for i := 0; i < len(src); i++ {
		c := byteClass[src[i]]
		if c != classQuote {
			counts[c]++
			continue
		}
		for i++; i < len(src) && src[i] != '"'; i++ {
			if src[i] == '\\' {
				i++ // the escaped byte, a quote perhaps
			}
		}
	}
	members, values := counts[classColon], counts[classValue]
	return int64(memberBytes)*members + int64(elementBytes)*max(values-members, 0)
}

// The classes of bytes treeBytes counts.
const (
	classOther = iota
	classColon
	classValue // a comma, or an opening bracket or brace
	classQuote
)

var byteClass = [256]uint8{':': classColon, ',': classValue, '[': classValue, '{': classValue, '"': classQuote}
