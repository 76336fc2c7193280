package rules

import (
	"golang.org/x/tools/go/analysis"
)

const noExitID = "ZIS306"

// NoExit reports loops a run can enter and never leave.
var NoExit = &analysis.Analyzer{
	Name: "no_exit",
	Doc: `every state must have a path to an end of the run

From every reachable state some sequence of transitions must lead to a
Succeed or Fail state or a state with "End": true. States that only lead to
each other form a loop with no way out: the flow spins until ZIS stops it at
the 100-second limit, then retries it from the start. Add a Choice that
leaves the loop, or an End. The finding is reported once per loop, at the
state where runs enter it.`,
	Requires: []*analysis.Analyzer{Root, Graph},
	Run:      runNoExit,
}

func runNoExit(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, noExitID)
	for _, g := range pass.ResultOf[Graph].([]*FlowGraph) {
		if g.Reachable == nil {
			continue
		}
		trapped := func(i int) bool { return g.Reachable[i] && !g.CanEnd[i] }
		// Report the entries of the trapped region: the start, or a trapped
		// state with a predecessor that can still end.
		entry := make([]bool, len(g.Machine.States))
		if trapped(g.Start.Index) {
			entry[g.Start.Index] = true
		}
		for i, succ := range g.Succ {
			if !g.Reachable[i] || trapped(i) {
				continue
			}
			for _, j := range succ {
				entry[j] = entry[j] || trapped(j)
			}
		}
		for _, s := range g.Machine.States {
			if entry[s.Index] {
				r.key(s.Entry, "once the run reaches state %q it can never end: no path from it leads to Succeed, Fail or \"End\": true in the %s; add a way out of the loop",
					s.Name, g.Machine.Describe())
			}
		}
	}
	return nil, nil
}
