package explore

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBelowSortsJustBeforeAndStaysText(t *testing.T) {
	for _, c := range []struct{ s, want string }{
		{"premium", "premiul"},
		{"é", "è"},
		{"a ", "a"},      // a control character is not text: drop the space instead
		{"x\uE000", "x"}, // one below U+E000 is a surrogate, no character at all
		{"", ""},
	} {
		got := below(c.s)
		if got != c.want {
			t.Errorf("below(%q) = %q, want %q", c.s, got, c.want)
		}
		if c.s != "" && strings.Compare(got, c.s) >= 0 {
			t.Errorf("below(%q) = %q, which does not sort before it", c.s, got)
		}
		if !utf8.ValidString(got) {
			t.Errorf("below(%q) = %q, not UTF-8", c.s, got)
		}
	}
}
