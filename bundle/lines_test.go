package bundle

import (
	"bytes"
	"testing"
)

// naiveLineCol counts newlines before off, the definition LineIndex must
// agree with.
func naiveLineCol(src []byte, off int) (int, int) {
	off = min(max(off, 0), len(src))
	before := src[:off]
	return bytes.Count(before, []byte{'\n'}) + 1, off - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

func TestLineIndexAgreesWithCountingNewlines(t *testing.T) {
	for _, src := range []string{"", "\n", "a", "ab\ncd\n", "\n\nx\n\n", "{\n  \"a\": 1\r\n}"} {
		x := NewLineIndex([]byte(src))
		for off := -2; off <= len(src)+2; off++ {
			wl, wc := naiveLineCol([]byte(src), off)
			if l, c := x.Position(off); l != wl || c != wc {
				t.Errorf("%q at %d: %d:%d, want %d:%d", src, off, l, c, wl, wc)
			}
		}
	}
}

func TestBundleLineUsesTheSource(t *testing.T) {
	b := Parse("b.json", []byte("{\n  \"name\": \"x\"\n}\n"))
	if l, c := b.Line(4); l != 2 || c != 3 {
		t.Errorf("Line(4) = %d:%d, want 2:3", l, c)
	}
	if got := b.Position(len(b.Src)); got != "b.json:4:1" {
		t.Errorf("Position(end) = %q, want b.json:4:1", got)
	}
}
