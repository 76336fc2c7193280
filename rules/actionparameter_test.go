package rules

import (
	"fmt"
	"strings"
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
			at := c.place(fmt.Sprintf("a%d", i))
			c.list[at].states = append(c.list[at].states, states[round*n+i])
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

// actionCallers lists each custom action's calling states in bundle
// order, whatever the order of the calls of other actions between them,
// and no state that calls a built-in action or none.
func TestActionCallersInBundleOrder(t *testing.T) {
	var states []string
	for i := range 40 {
		action := []string{"zis:k:action:A", "zis:k:action:B", "zis:common:transform:Jq", "zis:k:action:A"}[i%4]
		states = append(states, fmt.Sprintf(`"S%d": {"Type": "Action", "ActionName": %q, "Next": "S%d"}`, i, action, i+1))
	}
	states = append(states, `"S40": {"Type": "Succeed"}`)
	src := `{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "S0", "States": {` +
		strings.Join(states, ", ") + `}}}}}}`
	c := actionCallers(bundle.Parse("f.json", []byte(src)))
	for name, want := range map[string][]int{"A": {0, 3}, "B": {1}} {
		got := c.of(name)
		if len(got) != 10*len(want) || cap(got) != len(got) {
			t.Fatalf("callers of %s: %d of cap %d, want %d", name, len(got), cap(got), 10*len(want))
		}
		for i, s := range got {
			if w := fmt.Sprintf("S%d", 4*(i/len(want))+want[i%len(want)]); s.Name != w {
				t.Errorf("caller %d of %s: %s, want %s", i, name, s.Name, w)
			}
		}
	}
	if got := c.of("Jq"); got != nil {
		t.Errorf("callers of a built-in action: %v", got)
	}
}
