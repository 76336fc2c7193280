package ident

import (
	"regexp"
	"strings"
	"testing"
)

// Each check agrees with the regular expression it replaced, on names
// at and around its length bounds and with every byte value in every
// position of a short name.
func TestChecksAgreeWithTheirPatterns(t *testing.T) {
	scope := func(c byte) bool { return Alnum(c) || strings.IndexByte("_.:-", c) >= 0 }
	connection := func(c byte) bool { return Alnum(c) || c == '_' || c == '-' }
	checks := []struct {
		pattern string
		check   func(string) bool
	}{
		{`^[A-Za-z0-9_.:-]{1,128}$`, func(s string) bool { return Span(s, 1, 128, scope) }},
		{`^[A-Za-z0-9_-]{3,64}$`, func(s string) bool { return Span(s, 3, 64, connection) }},
		{`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`, func(s string) bool { return Label(s, false) }},
		{`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`, func(s string) bool { return Label(s, true) }},
	}
	var names []string
	for _, n := range []int{0, 1, 2, 3, 4, 62, 63, 64, 65, 127, 128, 129} {
		names = append(names, strings.Repeat("a", n), strings.Repeat("Z9", n/2), strings.Repeat("-", n))
	}
	for c := 0; c < 256; c++ {
		for _, at := range []int{0, 1, 3} {
			b := []byte("abcd")
			b[at] = byte(c)
			names = append(names, string(b), string(b[:at+1]))
		}
	}
	names = append(names, "é-a", "a\n", "a-", "-a", "a-b", "acme")
	for _, c := range checks {
		re := regexp.MustCompile(c.pattern)
		for _, name := range names {
			if got, want := c.check(name), re.MatchString(name); got != want {
				t.Errorf("%s: %q gives %v, want %v", c.pattern, name, got, want)
			}
		}
	}
}
