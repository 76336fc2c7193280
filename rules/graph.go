package rules

import (
	"reflect"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

// Graph builds, once per bundle, the transition graph of every state
// machine (each flow and each Map iterator) for the flow rules.
var Graph = &analysis.Analyzer{
	Name:       "flowgraph",
	Doc:        "build the transition graph of every flow and Map iterator, with the states reachable from StartAt and the states that can reach an end",
	Requires:   []*analysis.Analyzer{Root},
	Run:        runGraph,
	ResultType: reflect.TypeOf([]*FlowGraph(nil)),
}

// FlowGraph is the transition graph of one state machine. Slices are
// indexed by State.Index.
type FlowGraph struct {
	Machine *bundle.Machine
	Start   *bundle.State // nil when StartAt is missing or names no state
	// Succ lists the resolved targets of each state's edges.
	Succ [][]int
	// Reachable marks states reachable from Start; nil without a Start.
	Reachable []bool
	// CanEnd marks states from which some path reaches an end of the run.
	CanEnd []bool
}

func runGraph(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[Root].(*Input)
	var graphs []*FlowGraph
	for _, m := range in.Bundle.Machines() {
		graphs = append(graphs, newFlowGraph(m))
	}
	return graphs, nil
}

func newFlowGraph(m *bundle.Machine) *FlowGraph {
	n := len(m.States)
	g := &FlowGraph{Machine: m, Succ: make([][]int, n)}
	pred := make([][]int, n)
	var ends []int
	for _, s := range m.States {
		dangling := false
		for _, e := range s.Edges {
			t := m.State(e.Target)
			switch {
			case e.Misplaced:
				continue // ZIS does not follow it; invalid_transition or schema reports it
			case t == nil:
				dangling = true
				continue
			}
			g.Succ[s.Index] = append(g.Succ[s.Index], t.Index)
			pred[t.Index] = append(pred[t.Index], s.Index)
		}
		if dangling || endsRun(s) {
			ends = append(ends, s.Index)
		}
	}
	if name, ok := m.StartAt.Str(); ok {
		g.Start = m.State(name)
	}
	if g.Start != nil {
		g.Reachable = mark(n, []int{g.Start.Index}, g.Succ)
	}
	g.CanEnd = mark(n, ends, pred)
	return g
}

// endsRun reports whether a run may stop at s. Besides the real ends
// (End: true, Succeed, Fail), a Choice without Default stops with an error
// when no rule matches, and a state without any transition is already
// reported by missing_transition; counting both as ends keeps no_exit to
// the loops that truly never stop.
func endsRun(s *bundle.State) bool {
	switch {
	case s.IsEnd() || s.Terminal():
		return true
	case s.Type == bundle.StateChoice:
		return s.Default == nil
	default:
		return s.Next == nil
	}
}

// mark returns the states reachable from roots along next, in time
// linear in states plus edges.
func mark(n int, roots []int, next [][]int) []bool {
	seen := make([]bool, n)
	stack := append([]int(nil), roots...)
	for _, r := range roots {
		seen[r] = true
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range next[i] {
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	return seen
}
