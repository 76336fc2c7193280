package simulate

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
)

// ordersCoverage measures the order sync flow of testdata/orders. Counted
// by hand from the bundle, it has 11 states (10 in the flow, Send in the
// SendItems iterator) and 11 transitions:
//
//	LoadSettings→IsEnabled, AttachOrderId→SendItems, SendItems→Settle,
//	Settle→RememberOrder, RememberOrder→Done, Disabled→Skipped (6 Next);
//	IsEnabled→AttachOrderId (Choices[0]), IsEnabled→Disabled (Default);
//	SendItems→SyncFailed (Catch); SendItems→SendItems/Send into the
//	iterator and SendItems/Send→SendItems out of it.
func ordersCoverage(t *testing.T) *Coverage {
	t.Helper()
	b, err := bundle.Load("../testdata/orders/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	return NewCoverage(b, b.OfType(bundle.TypeFlow)[0])
}

func runOrders(t *testing.T, f *Fixture) *Result {
	t.Helper()
	res, err := ordersProgram(t).Run(f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestCoverageCountsHandCountedFlow(t *testing.T) {
	c := ordersCoverage(t)
	if got := c.Report(); got.States != (Count{0, 11}) || got.Transitions != (Count{0, 11}) || len(got.Uncovered) != 11 {
		t.Fatalf("before any run: states %v, transitions %v, %d uncovered", got.States, got.Transitions, len(got.Uncovered))
	}

	// Enabled, both items sent: 8 states (Send once, whatever the
	// number of items) and 8 transitions, all but Default, Catch and
	// Disabled→Skipped.
	c.Add(runOrders(t, ordersFixture(order(5001, "TEA", "CUP"), true, 201, 201)))
	if got := c.Report(); got.States != (Count{8, 11}) || got.Transitions != (Count{8, 11}) {
		t.Errorf("after the sent order: states %v, transitions %v", got.States, got.Transitions)
	}

	// Disabled adds Disabled and Skipped, Default and Disabled→Skipped:
	// only the Catch is left.
	c.Add(runOrders(t, ordersFixture(order(5002, "TEA"), false)))
	got := c.Report()
	if got.States != (Count{10, 11}) || got.Transitions != (Count{10, 11}) {
		t.Errorf("after the disabled order: states %v, transitions %v", got.States, got.Transitions)
	}
	want := []Transition{{From: "SendItems", To: "SyncFailed", Kind: KindCatch, Line: 74, Column: 92, via: "Catch[0].Next"}}
	if diff := cmp.Diff(want, got.Uncovered, cmp.AllowUnexported(Transition{})); diff != "" {
		t.Errorf("uncovered (-want +got):\n%s", diff)
	}

	// A rejected item fails its iteration, which the Map's Catch takes.
	c.Add(runOrders(t, ordersFixture(order(5003, "GONE"), true, 422, 422, 422)))
	if got := c.Report(); got.States != (Count{11, 11}) || got.Transitions != (Count{11, 11}) || len(got.Uncovered) != 0 {
		t.Errorf("after the rejected order: states %v, transitions %v, uncovered %v", got.States, got.Transitions, got.Uncovered)
	}
}

// A failed iteration enters the iterator but does not leave it back to
// the Map: only the end of an iteration covers that edge.
func TestCoverageFailedIterationDoesNotLeaveIterator(t *testing.T) {
	c := ordersCoverage(t)
	c.Add(runOrders(t, ordersFixture(order(5003, "GONE"), true, 422, 422, 422)))
	kinds := map[string]bool{}
	for _, tr := range c.Report().Uncovered {
		kinds[tr.From+" "+tr.Kind] = true
	}
	if kinds["SendItems map-start"] || !kinds["SendItems/Send map-end"] {
		t.Errorf("uncovered = %v; want the edge out of the iterator, not the one into it", kinds)
	}
}

// Two Choice rules that lead to the same state are two transitions: a
// run covers the rule that matched, not the other.
func TestCoverageTellsChoiceRulesApart(t *testing.T) {
	src := `{"zis_template_version": "2019-10-14", "name": "t", "resources": {
	  "F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "S", "States": {
	    "S": {"Type": "Choice", "Choices": [
	      {"Variable": "$.input.n", "NumericEquals": 1, "Next": "Done"},
	      {"Variable": "$.input.n", "NumericEquals": 2, "Next": "Done"}], "Default": "Done"},
	    "Done": {"Type": "Succeed"}}}}}}}`
	b := bundle.Parse("t.json", []byte(src))
	p, err := Compile(b, Options{IntegrationKey: "t"})
	if err != nil {
		t.Fatal(err)
	}
	c := NewCoverage(b, b.Resources[0])
	res, err := p.Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{"n": float64(2)}})
	if err != nil {
		t.Fatal(err)
	}
	c.Add(res)
	got := c.Report()
	// 2 states, 3 transitions: Choices[0], Choices[1], Default.
	if got.States != (Count{2, 2}) || got.Transitions != (Count{1, 3}) {
		t.Fatalf("states %v, transitions %v", got.States, got.Transitions)
	}
	var vias []string
	for _, tr := range got.Uncovered {
		vias = append(vias, tr.via)
	}
	if diff := cmp.Diff([]string{"Choices[0].Next", "Default"}, vias); diff != "" {
		t.Errorf("uncovered (-want +got):\n%s", diff)
	}
}
