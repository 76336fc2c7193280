package bundle

import (
	"strconv"
	"testing"
)

// Every state is found by its name, whatever the table's size, and a
// name no state has finds nothing.
func TestStateIndexFindsEveryState(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 100, 1000} {
		m := &Machine{}
		for i := range n {
			m.States = append(m.States, &State{Name: "s" + strconv.Itoa(i), Index: i, Machine: m})
		}
		m.index = newStateIndex(m.States)
		for _, s := range m.States {
			if got := m.State(s.Name); got != s {
				t.Fatalf("%d states: State(%q) = %v", n, s.Name, got)
			}
		}
		for _, name := range []string{"", "s", "x", "s" + strconv.Itoa(n)} {
			if got := m.State(name); got != nil {
				t.Errorf("%d states: State(%q) = %q, want none", n, name, got.Name)
			}
		}
	}
	if (&Machine{}).State("a") != nil {
		t.Error("a machine without states found one")
	}
}
