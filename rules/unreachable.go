package rules

import (
	"github.com/zislint/zislint/bundle"
	"golang.org/x/tools/go/analysis"
)

const unreachableStateID = "ZIS303"

// UnreachableState reports states no path from StartAt leads to.
var UnreachableState = &analysis.Analyzer{
	Name: "unreachable_state",
	Doc: `every state should be reachable from StartAt

A state that no transition leads to, directly or through other states,
never runs. It is usually left over from an edit, or a Next that was meant
to point at it points elsewhere. Catch targets count as reachable.

When a reachable state's Next, Default or Catch names no state at all
(unknown_state reports that), the states it was meant to lead to cannot
be told apart from leftovers, so this rule says nothing about that flow
until the name is fixed: one typo gives one finding.`,
	Requires: []*analysis.Analyzer{Root, Graph},
	Run:      runUnreachableState,
}

func runUnreachableState(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unreachableStateID)
	for _, g := range pass.ResultOf[Graph].([]*bundle.Graph) {
		if g.Reachable == nil {
			continue // start_at reports the missing start
		}
		for _, s := range g.Machine.States {
			if g.Unreachable(s.Index) { // false in a Broken graph, where unknown_state speaks
				r.key(s.Entry, "state %q is unreachable: no path from StartAt %q leads to it in the %s; remove it or point a Next at it",
					s.Name, g.Start.Name, g.Machine.Describe())
			}
		}
	}
	return nil, nil
}
