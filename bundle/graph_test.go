package bundle

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

const graphBundle = `{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {
  "StartAt": "Pick",
  "States": {
    "Pick": {"Type": "Choice",
      "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Call"},
                  {"Not": {"Variable": "$.n", "IsPresent": true, "Next": "Orphan"}, "Next": "Spin"}],
      "Default": "Done"},
    "Call": {"Type": "Action", "ActionName": "zis:common:action:LoadConfig", "Next": "Done",
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
    "Spin": {"Type": "Wait", "Seconds": 1, "Next": "Spin2"},
    "Spin2": {"Type": "Pass", "Next": "Spin"},
    "Orphan": {"Type": "Succeed"},
    "Done": {"Type": "Succeed"},
    "Failed": {"Type": "Fail"}
  }}}}}}`

func TestGraphMarksUnreachableAndTrappedStates(t *testing.T) {
	b := Parse("f.json", []byte(graphBundle))
	m := b.Machines()[0]
	g := NewGraph(m)
	var unreachable, trapped []string
	for _, s := range m.States {
		if g.Unreachable(s.Index) {
			unreachable = append(unreachable, s.Name)
		}
		if g.Trapped(s.Index) {
			trapped = append(trapped, s.Name)
		}
	}
	// Orphan is only named by a Next nested in a Not, which ZIS ignores.
	if diff := cmp.Diff([]string{"Orphan"}, unreachable); diff != "" {
		t.Errorf("unreachable (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Spin", "Spin2"}, trapped); diff != "" {
		t.Errorf("trapped (-want +got):\n%s", diff)
	}
}

// A reachable transition to no state makes the graph Broken: the states
// behind the typo are not called unreachable, and a typo in a state no
// run reaches breaks nothing.
func TestGraphBrokenByAMistypedName(t *testing.T) {
	typo := strings.Replace(graphBundle, `"Next": "Done",
      "Catch"`, `"Next": "Dnoe",
      "Catch"`, 1)
	g := NewGraph(Parse("f.json", []byte(typo)).Machines()[0])
	if !g.Broken {
		t.Fatal("a reachable Next to no state should break the graph")
	}
	for _, s := range g.Machine.States {
		if g.Unreachable(s.Index) {
			t.Errorf("state %q marked unreachable in a broken graph", s.Name)
		}
	}
	orphanTypo := strings.Replace(graphBundle, `"Orphan": {"Type": "Succeed"}`, `"Orphan": {"Type": "Pass", "Next": "Nowhere"}`, 1)
	g = NewGraph(Parse("f.json", []byte(orphanTypo)).Machines()[0])
	if g.Broken || !g.Unreachable(g.Machine.State("Orphan").Index) {
		t.Errorf("a typo in an unreachable state: Broken = %v, want false and Orphan unreachable", g.Broken)
	}
}

func TestEdgeKindsAndRules(t *testing.T) {
	b := Parse("f.json", []byte(graphBundle))
	m := b.Machines()[0]
	type edge struct {
		From, To  string
		Kind      EdgeKind
		HasRule   bool
		Misplaced bool
	}
	var got []edge
	for _, s := range m.States {
		for _, e := range s.Edges() {
			rule := s.Rule(&e)
			if rule != nil && rule.Get("Next") != e.Node {
				t.Errorf("%s, edge to %s: its rule does not hold its Next", s.Name, e.Target())
			}
			got = append(got, edge{s.Name, e.Target(), e.Kind, rule != nil, e.Misplaced})
		}
	}
	want := []edge{
		{"Pick", "Done", EdgeDefault, false, false},
		{"Pick", "Call", EdgeChoice, true, false},
		{"Pick", "Spin", EdgeChoice, true, false},
		{"Pick", "Orphan", EdgeChoice, true, true},
		{"Call", "Done", EdgeNext, false, false},
		{"Call", "Failed", EdgeCatch, true, false},
		{"Spin", "Spin2", EdgeNext, false, false},
		{"Spin2", "Spin", EdgeNext, false, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
}

func TestGraphWithoutStartMarksNothingUnreachable(t *testing.T) {
	b := Parse("f.json", []byte(`{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {
	  "StartAt": "Missing", "States": {"A": {"Type": "Pass", "Next": "A"}}}}}}}`))
	g := NewGraph(b.Machines()[0])
	if g.Start != nil || g.Unreachable(0) || g.Trapped(0) {
		t.Errorf("without a start: Start=%v Unreachable=%v Trapped=%v; want nil, false, false", g.Start, g.Unreachable(0), g.Trapped(0))
	}
	if g.CanEnd[0] {
		t.Error("a Pass state looping on itself cannot end, but CanEnd says it can")
	}
}

func TestStatesYieldsEveryMachineInOrder(t *testing.T) {
	b := Parse("f.json", []byte(`{"resources": {"F": {"type": "ZIS::Flow", "properties": {"definition": {"StartAt": "A", "States": {
	  "A": {"Type": "Map", "Iterator": {"StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}, "Next": "B"},
	  "B": {"Type": "Succeed"}}}}}}}`))
	var names []string
	for s := range b.States() {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff([]string{"A", "B", "In"}, names); diff != "" {
		t.Errorf("States (-want +got):\n%s", diff)
	}
	for s := range b.States() {
		if s.Name != "A" {
			t.Fatalf("break did not stop the walk: got %s", s.Name)
		}
		break
	}
}

// TestStateEdgesAreTheirOwn checks the edges each state gets from its
// machine's shared array: its own, in order, with no room to append into
// the next state's, and none for a state without transitions.
func TestStateEdgesAreTheirOwn(t *testing.T) {
	m := Parse("f.json", []byte(graphBundle)).Machines()[0]
	want := map[string][]string{
		"Pick":   {"Default:Done", "Choices[0].Next:Call", "Choices[1].Next:Spin", "Choices[1].Not.Next:Orphan"},
		"Call":   {"Next:Done", "Catch[0].Next:Failed"},
		"Spin":   {"Next:Spin2"},
		"Spin2":  {"Next:Spin"},
		"Orphan": nil, "Done": nil, "Failed": nil,
	}
	for _, s := range m.States {
		var got []string
		for _, e := range s.Edges() {
			got = append(got, s.Via(&e)+":"+e.Target())
		}
		if diff := cmp.Diff(want[s.Name], got); diff != "" {
			t.Errorf("edges of %s (-want +got):\n%s", s.Name, diff)
		}
		if cap(s.Edges()) != len(s.Edges()) {
			t.Errorf("edges of %s: capacity %d for %d edges", s.Name, cap(s.Edges()), len(s.Edges()))
		}
	}
}

// TestEdgeViaPastTheTable: choices and catches past the first sixteen,
// and rules nested in them, are named as the first ones are.
func TestEdgeViaPastTheTable(t *testing.T) {
	var choices, catches []string
	for range 18 {
		choices = append(choices, `{"Variable": "$.x", "IsPresent": true, "Next": "B"}`)
		catches = append(catches, `{"ErrorEquals": ["States.ALL"], "Next": "B"}`)
	}
	choices[17] = `{"And": [{"Variable": "$.x", "IsPresent": true, "Next": "B"}], "Not": {"Variable": "$.y", "IsPresent": true, "Next": "B"}, "Next": "B"}`
	src := `{"resources": {"f": {"type": "ZIS::Flow", "properties": {"name": "f", "definition": {"StartAt": "A", "States": {
"A": {"Type": "Choice", "Choices": [` + strings.Join(choices, ",") + `], "Default": "B"},
"C": {"Type": "Action", "ActionName": "a", "Next": "B", "Catch": [` + strings.Join(catches, ",") + `]},
"B": {"Type": "Succeed"}}}}}}}`
	m := Parse("f.json", []byte(src)).Machines()[0]
	var vias []string
	for _, e := range m.State("A").Edges()[15:] {
		vias = append(vias, m.State("A").Via(&e))
	}
	for _, e := range m.State("C").Edges()[16:] {
		vias = append(vias, m.State("C").Via(&e))
	}
	want := []string{"Choices[14].Next", "Choices[15].Next", "Choices[16].Next", "Choices[17].Next", "Choices[17].And[0].Next",
		"Choices[17].Not.Next", "Catch[15].Next", "Catch[16].Next", "Catch[17].Next"}
	if !cmp.Equal(vias, want) {
		t.Errorf("Via = %q, want %q", vias, want)
	}
}

func TestEdgeIs16Bytes(t *testing.T) {
	if size := unsafe.Sizeof(Edge{}); size != 16 {
		t.Errorf("an Edge is %d bytes, want 16: a machine allocates two per state", size)
	}
}

func TestStateIs48Bytes(t *testing.T) {
	if size := unsafe.Sizeof(State{}); size != 48 {
		t.Errorf("a State is %d bytes, want 48: a large flow keeps one per state", size)
	}
}

func TestRulePlaceVia(t *testing.T) {
	p := ChoicePlace(17).Child("And", 1).Child("Not", 0).Child("Or", 3)
	if got, want := p.nextVia(), "Choices[17].And[1].Not.Or[3].Next"; got != want {
		t.Errorf("Via %q, want %q", got, want)
	}
	if got, want := p.String(), "Choices[17].And[1].Not.Or[3]"; got != want {
		t.Errorf("place %q, want %q", got, want)
	}
}
