package bundle

import (
	"strconv"
	"strings"
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
		m.index, _ = indexKeys(len(m.States), m.stateName)
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

// A machine whose States repeat a name keeps the later state, in the
// place of the later member, and finds it by name; one without repeats
// keeps every state where its member is.
func TestMachineStatesOfRepeatedNames(t *testing.T) {
	for _, tc := range []struct {
		states string
		want   []string // names, in order, with the Type found
	}{
		{`"A": {"Type": "Pass"}, "B": {"Type": "Wait"}, "A": {"Type": "Succeed"}, "C": {"Type": "Fail"}`,
			[]string{"B Wait", "A Succeed", "C Fail"}},
		{`"A": {"Type": "Pass"}, "B": {"Type": "Wait"}, "C": {"Type": "Fail"}`,
			[]string{"A Pass", "B Wait", "C Fail"}},
	} {
		src := `{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "A", "States": {` + tc.states + `}}}}}}`
		m := Parse("f.json", []byte(src)).Machines()[0]
		var got []string
		for i, s := range m.States {
			got = append(got, s.Name+" "+s.Type())
			if s.Index != i || m.State(s.Name) != s {
				t.Errorf("%s: state %q at %d has Index %d, State finds %v", tc.states, s.Name, i, s.Index, m.State(s.Name))
			}
		}
		if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
			t.Errorf("%s: states %q, want %q", tc.states, got, tc.want)
		}
	}
}

// A state's Type is its "Type" string, whether the flow language has it
// or not, and "" when it is missing or not a string.
func TestStateType(t *testing.T) {
	src := `{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "A", "States": {
		"A": {"Type": "Choice"}, "B": {"Type": "Parallel"}, "C": {}, "D": {"Type": 3}, "E": {"Type": "Fail"}, "F": {"Type": "pass"}}}}}}}`
	want := []string{"Choice", "Parallel", "", "", "Fail", "pass"}
	for i, s := range Parse("f.json", []byte(src)).Machines()[0].States {
		if s.Type() != want[i] {
			t.Errorf("state %s: Type %q, want %q", s.Name, s.Type(), want[i])
		}
	}
}

// A table grown from empty keeps each key at its first entry: a repeat
// is reported with that entry and not added, and find sees the same.
func TestKeyTableKeepsFirstEntries(t *testing.T) {
	var keys []string
	keyOf := func(i int) string { return keys[i] }
	var table keyTable
	for i := range 1000 {
		keys = append(keys, "k"+strconv.Itoa(i%300))
		first := i % 300
		if i < 300 {
			first = -1
		}
		if got := table.add(i, keys[i], keyOf); got != first {
			t.Fatalf("add(%d, %q) = %d, want %d", i, keys[i], got, first)
		}
	}
	for i := range 300 {
		if got := table.find("k"+strconv.Itoa(i), keyOf); got != i {
			t.Errorf("find(k%d) = %d", i, got)
		}
	}
	if got := table.find("k300", keyOf); got != -1 {
		t.Errorf("find(k300) = %d, want -1", got)
	}
}
