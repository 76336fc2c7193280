package rules

import (
	"strconv"

	"github.com/zislint/zislint/bundle"
	"golang.org/x/tools/go/analysis"
)

const unknownStateID = "ZIS302"

// UnknownState reports transitions to states that do not exist.
var UnknownState = &analysis.Analyzer{
	Name: "unknown_state",
	Doc: `every Next, Default and Catch target must name a state

Next, a Choice state's Default and each rule's Next, and each Catch entry's
Next must name a state of the same flow. Inside a Map state's Iterator,
states may only move to each other, never out to the enclosing flow. The
finding suggests the nearest state name, with a fix.`,
	Requires: []*analysis.Analyzer{Root, Graph},
	Run:      runUnknownState,
}

func runUnknownState(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unknownStateID)
	for _, g := range pass.ResultOf[Graph].([]*bundle.Graph) {
		m := g.Machine
		for _, s := range m.States {
			for _, e := range s.Edges() {
				if m.State(e.Target()) != nil {
					continue
				}
				msg := s.Via(&e) + " of state " + strconv.Quote(s.Name) + " names " + strconv.Quote(e.Target()) + ", which is no state of the " + m.Describe()
				r.reportName(e.Node, msg, e.Target(), m.Names())
			}
		}
	}
	return nil, nil
}
