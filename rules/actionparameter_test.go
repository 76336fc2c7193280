package rules

import (
	"fmt"
	"testing"

	"github.com/zislint/zislint/bundle"
)

// actionCalls finds each action's callers in order, whether it searches
// its list or, past maxListedActions actions, its map.
func TestActionCallsFindsCallersPastTheList(t *testing.T) {
	var c actionCalls
	n := 3 * maxListedActions
	states := make([]*bundle.State, 2*n)
	for i := range states {
		states[i] = &bundle.State{Name: fmt.Sprint(i)}
	}
	for round := range 2 {
		for i := range n {
			c.add(fmt.Sprintf("a%d", i), states[round*n+i])
		}
	}
	for i := range n {
		got := c.of(fmt.Sprintf("a%d", i))
		if len(got) != 2 || got[0] != states[i] || got[1] != states[n+i] {
			t.Errorf("callers of a%d: %v", i, got)
		}
	}
	if got := c.of("none"); got != nil {
		t.Errorf("callers of an action no state calls: %v", got)
	}
}
