package rules

import (
	"slices"

	"github.com/zislint/zislint/bundle"
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
leaves the loop, or an End. The finding is reported once per such loop, at
the first of its states a run reaches.`,
	Requires: []*analysis.Analyzer{Root, Graph},
	Run:      runNoExit,
}

func runNoExit(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, noExitID)
	for _, g := range pass.ResultOf[Graph].([]*bundle.Graph) {
		if g.Reachable == nil {
			continue
		}
		for _, i := range trapLoops(g) {
			s := g.Machine.States[i]
			r.key(s.Entry, "once the run reaches state %q it can never end: the states from here only lead to each other, never to Succeed, Fail or \"End\": true, in the %s; add a way out of the loop",
				s.Name, g.Machine.Describe())
		}
	}
	return nil, nil
}

// trapLoops returns, for each loop a run cannot leave, the index of its
// state that a breadth-first walk from the start reaches first.
//
// Trapped states (reachable, but unable to reach an end) only lead to
// other trapped states, so every trapped path ends in a strongly
// connected component with no edge out: those components are the loops.
func trapLoops(g *bundle.Graph) []int {
	n := len(g.Machine.States)
	trapped := func(i int) bool { return g.Reachable[i] && !g.CanEnd[i] }
	if !slices.ContainsFunc(g.Machine.States, func(s *bundle.State) bool { return trapped(s.Index) }) {
		return nil // nearly every flow: no loop to look for
	}
	comp := components(n, trapped, g.Succ)
	sink := map[int]bool{}
	for i := 0; i < n; i++ {
		if comp[i] >= 0 {
			sink[comp[i]] = true
		}
	}
	for i := 0; i < n; i++ {
		for _, j := range g.Succ(i) {
			if comp[i] >= 0 && comp[j] != comp[i] {
				sink[comp[i]] = false
			}
		}
	}
	var entries []int
	for _, i := range bfsOrder(n, g.Start.Index, g.Succ) {
		if c := comp[i]; c >= 0 && sink[c] {
			entries = append(entries, i)
			delete(sink, c) // only the first state reached
		}
	}
	return entries
}

// components labels the strongly connected components of the subgraph
// of nodes for which in holds (Tarjan's algorithm, iterative so a long
// chain of states cannot overflow the stack). Other nodes get -1.
func components(n int, in func(int) bool, succ func(int) []int32) []int {
	index, low, comp := make([]int, n), make([]int, n), make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i], comp[i] = -1, -1
	}
	type frame struct{ v, next int }
	var stack []int
	counter, ncomp := 0, 0
	for root := 0; root < n; root++ {
		if !in(root) || index[root] >= 0 {
			continue
		}
		calls := []frame{{v: root}}
		index[root], low[root] = counter, counter
		counter++
		stack, onStack[root] = append(stack, root), true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			if next := succ(f.v); f.next < len(next) {
				w := int(next[f.next])
				f.next++
				switch {
				case !in(w):
				case index[w] < 0:
					index[w], low[w] = counter, counter
					counter++
					stack, onStack[w] = append(stack, w), true
					calls = append(calls, frame{v: w})
				case onStack[w]:
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				p := calls[len(calls)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack, onStack[w] = stack[:len(stack)-1], false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return comp
}

// bfsOrder lists the nodes reachable from start in breadth-first order.
func bfsOrder(n, start int, succ func(int) []int32) []int {
	seen := make([]bool, n)
	order := []int{start}
	seen[start] = true
	for k := 0; k < len(order); k++ {
		for _, j := range succ(order[k]) {
			if !seen[j] {
				seen[j] = true
				order = append(order, int(j))
			}
		}
	}
	return order
}
