package lint

import (
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/rules"
)

// A result is dropped right after the last analyzer that requires it,
// and Root's never, as the ignores read it after every analyzer.
func TestPlanDropsResultsAfterTheirLastUse(t *testing.T) {
	p, err := newPlan(nil)
	if err != nil {
		t.Fatal(err)
	}
	spentAt := map[*analysis.Analyzer]int{}
	for i, list := range p.spent {
		for _, a := range list {
			if _, twice := spentAt[a]; twice {
				t.Errorf("%s is dropped twice", a.Name)
			}
			spentAt[a] = i
		}
	}
	if _, ok := spentAt[rules.Root]; ok {
		t.Error("Root's result is dropped")
	}
	last := map[*analysis.Analyzer]int{}
	for i, a := range p.order {
		for _, req := range a.Requires {
			last[req] = i
		}
	}
	for a, i := range last {
		if at, ok := spentAt[a]; a != rules.Root && (!ok || at != i) {
			t.Errorf("%s, last required by %s, is dropped after analyzer %d", a.Name, p.order[i].Name, at)
		}
	}
	if _, ok := spentAt[rules.DataFlow]; !ok {
		t.Error("the data flow's result is kept to the end")
	}
}
