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
	starts []int // offset of the first byte of each line
}

// NewLineIndex returns the index of src; it does not read src yet.
func NewLineIndex(src []byte) *LineIndex { return &LineIndex{src: src, size: len(src)} }

// Build builds the table now, after which the index no longer holds the
// source: for a bundle that lets its source go.
func (x *LineIndex) Build() { x.once.Do(x.build) }

// Position returns the 1-based line and byte column of offset, which is
// clamped to the source.
func (x *LineIndex) Position(offset int) (line, col int) {
	x.once.Do(x.build)
	offset = min(max(offset, 0), x.size)
	line = sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > offset })
	return line, offset - x.starts[line-1] + 1
}

func (x *LineIndex) build() {
	x.starts = make([]int, 1, bytes.Count(x.src, []byte{'\n'})+1)
	for i, b := range x.src {
		if b == '\n' {
			x.starts = append(x.starts, i+1)
		}
	}
	x.src = nil
}
