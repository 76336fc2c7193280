package diagram

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
)

// nestedMaps has a Map inside a Map, and state names holding the "[i]/"
// the simulator uses to name iterations.
const nestedMaps = `{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {
  "StartAt": "Outer",
  "States": {
    "Outer": {"Type": "Map", "ItemsPath": "$.groups", "Next": "Done",
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}],
      "Iterator": {"StartAt": "a/b[0]", "States": {
        "a/b[0]": {"Type": "Pass", "Next": "Inner"},
        "Inner": {"Type": "Map", "ItemsPath": "$.items", "End": true,
          "Iterator": {"StartAt": "Leaf", "States": {"Leaf": {"Type": "Pass", "End": true}}}}
      }}},
    "Done": {"Type": "Succeed"},
    "Oops": {"Type": "Fail", "Error": "Broken"}
  }}}}}}`

// steps returns the numbered edges of d as "from -> to": steps.
func steps(d *Diagram) map[string][]int {
	out := map[string][]int{}
	for _, e := range d.Edges {
		if len(e.Steps) > 0 {
			out[e.From+" -> "+e.To] = e.Steps
		}
	}
	return out
}

func marked(d *Diagram, m Mark) []string {
	var ids []string
	walkNodes(&d.Root, func(n *Node) {
		if n.Marks&m != 0 {
			ids = append(ids, n.ID)
		}
	})
	return ids
}

func nestedFlow(t *testing.T) *bundle.Resource {
	t.Helper()
	b := bundle.Parse("f.json", []byte(nestedMaps))
	if b.Syntax != nil {
		t.Fatal(b.Syntax)
	}
	return Flows(b)[0]
}

func TestOverlayNumbersNestedIterations(t *testing.T) {
	// Two groups: the first with two items, the second with none.
	d := Build(nestedFlow(t), Options{Path: &Path{States: []string{
		"Outer", "Outer[0]/a/b[0]", "Outer[0]/Inner", "Outer[0]/Inner[0]/Leaf", "Outer[0]/Inner[1]/Leaf",
		"Outer[1]/a/b[0]", "Outer[1]/Inner", "Done",
	}}})
	want := map[string][]int{
		"start -> s0":              {1},
		"s0 -> s0_s0":              {2, 9},  // each group
		"s0_s0 -> s0_s1":           {3, 10}, // a/b[0] to Inner
		"s0_s1 -> s0_s1_s0":        {4, 6},  // each item of the first group
		"s0_s1_s0 -> s0_s1_finish": {5, 7},  // each item done
		"s0_s1 -> s0_finish":       {8, 11}, // each group done
		"s0 -> s1":                 {12},    // Outer to Done
	}
	if diff := cmp.Diff(want, steps(d)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"s0", "s1", "s0_s0", "s0_s1", "s0_s1_s0"}, marked(d, MarkVisited)); diff != "" {
		t.Errorf("visited (-want +got):\n%s", diff)
	}
	if len(d.Unmatched) != 0 || len(marked(d, MarkFailedHere)) != 0 {
		t.Errorf("unmatched %v, failed %v", d.Unmatched, marked(d, MarkFailedHere))
	}
}

func TestOverlayCaughtIterationDoesNotFinish(t *testing.T) {
	d := Build(nestedFlow(t), Options{Path: &Path{States: []string{"Outer", "Outer[0]/a/b[0]", "Oops"}, Failed: "Oops"}})
	want := map[string][]int{"start -> s0": {1}, "s0 -> s0_s0": {2}, "s0 -> s2": {3}}
	if diff := cmp.Diff(want, steps(d)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"s2"}, marked(d, MarkFailedHere)); diff != "" {
		t.Errorf("failed (-want +got):\n%s", diff)
	}
}

func TestOverlayFailedRunTakesNoEndEdge(t *testing.T) {
	// The run failed inside the first item, with no Catch taking it.
	d := Build(nestedFlow(t), Options{Path: &Path{States: []string{"Outer", "Outer[0]/a/b[0]"}, Failed: "a/b[0]"}})
	want := map[string][]int{"start -> s0": {1}, "s0 -> s0_s0": {2}}
	if diff := cmp.Diff(want, steps(d)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"s0_s0"}, marked(d, MarkFailedHere)); diff != "" {
		t.Errorf("failed (-want +got):\n%s", diff)
	}
}

func TestOverlayReportsStatesTheFlowLacks(t *testing.T) {
	d := Build(nestedFlow(t), Options{Path: &Path{States: []string{"Outer", "Outer[0]/Gone", "Outer[x]/a/b[0]", "Nope"}}})
	if diff := cmp.Diff([]string{"Outer[0]/Gone", "Outer[x]/a/b[0]", "Nope"}, d.Unmatched); diff != "" {
		t.Errorf("unmatched (-want +got):\n%s", diff)
	}
}

// A loop taken many times numbers each pass.
func TestOverlayNumbersEachPassOfALoop(t *testing.T) {
	b := bundle.Parse("f.json", []byte(`{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {
	  "StartAt": "Check", "States": {
	    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 3, "Next": "Bump"}], "Default": "Done"},
	    "Bump": {"Type": "Pass", "Next": "Check"},
	    "Done": {"Type": "Succeed"}}}}}}}`))
	d := Build(Flows(b)[0], Options{Path: &Path{States: []string{"Check", "Bump", "Check", "Bump", "Check", "Done"}}})
	want := map[string][]int{"start -> s0": {1}, "s0 -> s1": {2, 4}, "s1 -> s0": {3, 5}, "s0 -> s2": {6}}
	if diff := cmp.Diff(want, steps(d)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

func TestBuildWithoutDefinitionDrawsNothing(t *testing.T) {
	b := bundle.Parse("f.json", []byte(`{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F"}}}}`))
	d := Build(b.Resources[0], Options{Path: &Path{States: []string{"x"}}, Change: &FlowChange{Removed: []string{"y"}}})
	if d.Title != "F" || len(d.Root.Nodes) != 0 || len(d.Edges) != 0 {
		t.Errorf("diagram of a flow without definition: %+v", d)
	}
}

// With coverage, the transitions into and out of a Map's iterator are
// found by where they are written: the iterator's StartAt and the End of
// the state ending an iteration. Here neither was taken; every other
// transition was, and is drawn solid, a Catch too.
func TestCoverageMarksIteratorEdges(t *testing.T) {
	b := load(t, ordersBundle)
	// Lines and columns of "Send" after StartAt and of true after End,
	// read from testdata/orders/bundle.json.
	cov := &Coverage{Bundle: b, Uncovered: map[[2]int]bool{{57, 28}: true, {69, 28}: true}}
	d := Build(flowOf(t, b, "OrderSyncFlow"), Options{Coverage: cov})
	var missed []string
	for _, e := range d.Edges {
		switch e.Cover {
		case CoverMissed:
			missed = append(missed, e.From+"->"+e.To)
			if e.Style != EdgeDashed {
				t.Errorf("missed edge %s->%s is not dashed", e.From, e.To)
			}
		case CoverTaken:
			if e.Style != EdgeSolid {
				t.Errorf("taken edge %s->%s is not solid", e.From, e.To)
			}
		case CoverUnknown:
			if e.From != "start" {
				t.Errorf("edge %s->%s has no coverage", e.From, e.To)
			}
		}
	}
	if want := "s3->s3_s0 s3_s0->s3_finish"; strings.Join(missed, " ") != want {
		t.Errorf("missed = %v, want %s", missed, want)
	}
}
