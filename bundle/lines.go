package bundle

import (
	"bytes"
	"sort"
	"sync"
)

// LineIndex turns byte offsets of a source into lines and columns. Its
// table of line starts is built on the first question, once: a lint
// that finds nothing never needs a line number, and for a large flow the
// table was a seventh of the bytes allocated.
type LineIndex struct {
	src    []byte // until the table is built
	size   int
	once   sync.Once
	starts []int32 // offset of the first byte of each line (sources stay under MaxJSONSize)
}

// NewLineIndex returns the index of src; it does not read src yet.
// Offsets past MaxJSONSize, in a source too large to parse, count as its
// last one, so the table's int32 offsets never overflow.
func NewLineIndex(src []byte) *LineIndex {
	size := min(len(src), MaxJSONSize)
	return &LineIndex{src: src[:size], size: size}
}

// Build builds the table now, after which the index no longer holds the
// source: for a bundle that lets its source go.
func (x *LineIndex) Build() { x.once.Do(x.build) }

// Position returns the 1-based line and byte column of offset, which is
// clamped to the source.
func (x *LineIndex) Position(offset int) (line, col int) {
	x.once.Do(x.build)
	offset = min(max(offset, 0), x.size)
	line = sort.Search(len(x.starts), func(i int) bool { return int(x.starts[i]) > offset })
	return line, offset - int(x.starts[line-1]) + 1
}

func (x *LineIndex) build() {
	x.starts = make([]int32, 1, bytes.Count(x.src, []byte{'\n'})+1)
	for i, b := range x.src {
		if b == '\n' {
			x.starts = append(x.starts, int32(i+1))
		}
	}
	x.src = nil
}
