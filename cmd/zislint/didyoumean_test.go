package main

import (
	"strings"
	"testing"
)

// A mistyped command, flag or rule name is answered with the nearest
// one; a name with nothing near gets no guess.
func TestDidYouMean(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string // a line of stderr
	}{
		{[]string{"--version"}, `zislint: unknown command "--version"; did you mean "zislint version"?`},
		{[]string{"lnit"}, `zislint: unknown command "lnit"; did you mean "zislint lint"?`},
		{[]string{"frobnicate"}, `zislint: unknown command "frobnicate"`},
		{[]string{"lint", "--fromat", "json"}, `zislint lint: unknown flag "--fromat"; did you mean "--format"?`},
		{[]string{"test", "--updte"}, `zislint test: unknown flag "--updte"; did you mean "--update"?`},
		{[]string{"simulate", "-evnt", "x.json"}, `zislint simulate: unknown flag "--evnt"; did you mean "--event"?`},
		{[]string{"rules", "unknown_stat"}, `zislint rules: no rule "unknown_stat"; run "zislint rules" for the list; did you mean "unknown_state"?`},
	} {
		code, _, errOut := runCLI(t, tt.args...)
		if code != exitUsage || !hasLine(errOut, tt.want) {
			t.Errorf("%v: exit %d, want %d and the line\n%s\nin:\n%s", tt.args, code, exitUsage, tt.want, errOut)
		}
	}
	// No guess when nothing is close.
	if _, _, errOut := runCLI(t, "lint", "--zzzzzz"); strings.Contains(errOut, "did you mean") {
		t.Errorf("a guess for --zzzzzz:\n%s", errOut)
	}
}

func hasLine(text, line string) bool {
	for _, l := range strings.Split(text, "\n") {
		if l == line {
			return true
		}
	}
	return false
}
