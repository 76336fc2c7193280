// Package lazyre holds regular expressions that are compiled on first
// use rather than at start-up. Package-level regexp.MustCompile calls ran
// in every command's package init, whether or not the command needed
// them; a lazy one costs its compile only in a run that matches with it.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr on its first call and
// returns the same *regexp.Regexp on every call. Like regexp.MustCompile,
// it panics on an invalid expr: expressions are constants of the
// program, and the tests of each user run it.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
