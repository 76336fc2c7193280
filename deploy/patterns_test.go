package deploy

import (
	"regexp"
	"strings"
	"testing"
)

// The checks that keep a name, a type, a key or a uuid plain agree with
// the patterns they replaced, at their length bounds and with every byte
// value in every position of a short name.
func TestPlainChecksAgreeWithTheirPatterns(t *testing.T) {
	checks := []struct {
		pattern string
		check   func(string) bool
	}{
		{`^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$`, plainName},
		{`^[A-Za-z:_]{1,64}$`, plainType},
		{`^[A-Za-z0-9_-]+$`, plainKey},
		{`^[A-Za-z0-9-]{1,64}$`, plainUUID},
	}
	var names []string
	for _, n := range []int{0, 1, 2, 63, 64, 65, 200} {
		names = append(names, strings.Repeat("a", n), strings.Repeat("9", n), strings.Repeat("-", n), "_"+strings.Repeat("b", n))
	}
	for c := 0; c < 256; c++ {
		for _, at := range []int{0, 1, 3} {
			b := []byte("abcd")
			b[at] = byte(c)
			names = append(names, string(b), string(b[:at+1]))
		}
	}
	names = append(names, "$ref", "ZIS::Flow", "é", "a\n", "0-a")
	for _, c := range checks {
		re := regexp.MustCompile(c.pattern)
		for _, name := range names {
			if got, want := c.check(name), re.MatchString(name); got != want {
				t.Errorf("%s: %q gives %v, want %v", c.pattern, name, got, want)
			}
		}
	}
}
