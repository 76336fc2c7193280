package bundle

import "slices"

// Graph is the transition graph of one state machine: which states follow
// which, which are reachable from StartAt and which can reach an end of
// the run. The linter's flow rules and the diagrams both read it, so a
// state the linter calls unreachable is the state a diagram marks.
// Slices are indexed by State.Index.
type Graph struct {
	Machine *Machine
	Start   *State // nil when StartAt is missing or names no state
	// succ holds the resolved targets of each state's followed edges,
	// state i's from succStart[i] to succStart[i+1]: a slice per state
	// was 24 bytes a state, the most of a large flow's graph, and ints
	// twice the room of int32s.
	succ      []int32
	succStart []int32
	// Reachable marks states reachable from Start; nil without a Start.
	Reachable []bool
	// CanEnd marks states from which some path reaches an end of the run.
	CanEnd []bool
	// Broken is set when a reachable state has a transition to a state
	// the machine lacks: the states that name was meant for cannot be
	// told apart from leftovers, so none counts as unreachable.
	Broken bool
}

// NewGraph builds the graph of m in time linear in states plus edges.
func NewGraph(m *Machine) *Graph {
	n := len(m.States)
	to, inDegree, ends, dangling := followedTargets(m)
	// Every state's successors are carved from one array of edges, sized
	// by the count, and their slices from another: growing a slice per
	// state cost two allocations per state of every flow linted. The
	// predecessors, only read while the graph is built, are kept apart,
	// so that the graph does not keep them alive.
	succs := 0
	for _, t := range to {
		if t >= 0 {
			succs++
		}
	}
	g := &Graph{Machine: m, succ: make([]int32, 0, succs), succStart: make([]int32, n+1)}
	pred := newPredecessors(inDegree, succs)
	k := 0
	for _, s := range m.States {
		for range s.Edges() {
			t := to[k]
			k++
			if t >= 0 {
				g.succ = append(g.succ, t)
				pred.add(t, int32(s.Index))
			}
		}
		g.succStart[s.Index+1] = int32(len(g.succ))
	}
	if name, ok := m.StartAt.Str(); ok {
		g.Start = m.State(name)
	}
	// Both markings, and the stack of each walk, share one allocation
	// each: a machine's graph cost a dozen allocations.
	marks := make([]bool, 2*n)
	// A walk pushes each state once at most: room for all of them spares
	// the growing of the stack, which for a long flow left twice its
	// final size to the collector.
	stack := make([]int32, 0, max(n, 1))
	if g.Start != nil {
		g.Reachable = mark(marks[:n:n], []int32{int32(g.Start.Index)}, g.Succ, stack)
		g.Broken = slices.ContainsFunc(dangling, func(i int) bool { return g.Reachable[i] })
	}
	g.CanEnd = mark(marks[n:], ends, pred.of, stack)
	return g
}

// Succ returns the resolved targets of state i's followed edges, in the
// order of its Edges. The slice has no spare capacity, and no caller
// may write to it.
func (g *Graph) Succ(i int) []int32 {
	start, end := g.succStart[i], g.succStart[i+1]
	return g.succ[start:end:end]
}

// followedTargets returns, per edge of m's states in order, the index of
// the state ZIS goes to, or -1 for an edge it does not follow (misplaced,
// or to no state); how many followed edges lead to each state; the
// states where a run may end; and the states with a followed transition
// to a state m does not have.
func followedTargets(m *Machine) (to, inDegree, ends []int32, dangling []int) {
	edges := 0
	for _, s := range m.States {
		edges += len(s.Edges())
	}
	// One array for the three, which are only read while the graph is
	// built; each has room for all it may hold. Like the graph's own
	// arrays they hold int32s: ints made these, the predecessors and
	// the walks' stack 7 MB of garbage for a flow of 100,000 states.
	n := len(m.States)
	scratch := make([]int32, n+edges+n)
	inDegree, to, ends = scratch[:n:n], scratch[n:n:n+edges], scratch[n+edges:n+edges]
	for _, s := range m.States {
		isDangling := false
		for _, e := range s.Edges() {
			t := m.State(e.Target())
			switch {
			case e.Misplaced:
				to = append(to, -1) // ZIS does not follow it
			case t == nil:
				isDangling = true
				to = append(to, -1)
			default:
				to = append(to, int32(t.Index))
				inDegree[t.Index]++
			}
		}
		if isDangling {
			dangling = append(dangling, s.Index)
		}
		if isDangling || endsRun(s) {
			ends = append(ends, int32(s.Index))
		}
	}
	return to, inDegree, ends, dangling
}

// predecessors lists each state's predecessors in one array: state i's
// are all[start[i]:start[i+1]], filled up to fill[i].
type predecessors struct {
	all, start, fill []int32
}

// newPredecessors makes room for inDegree[i] predecessors of each state
// i, edges in all. Its arrays are one allocation.
func newPredecessors(inDegree []int32, edges int) predecessors {
	n := len(inDegree)
	ints := make([]int32, edges+2*n+1)
	p := predecessors{all: ints[:edges:edges], start: ints[edges : edges+n+1 : edges+n+1], fill: ints[edges+n+1:]}
	off := int32(0)
	for i, d := range inDegree {
		p.start[i], p.fill[i] = off, off
		off += d
	}
	p.start[n] = off
	return p
}

// add notes that state from is a predecessor of state to.
func (p predecessors) add(to, from int32) {
	p.all[p.fill[to]] = from
	p.fill[to]++
}

// of returns the predecessors of state i.
func (p predecessors) of(i int) []int32 { return p.all[p.start[i]:p.fill[i]] }

// Unreachable reports whether no path from StartAt leads to state i.
// Without a start nothing is known, and no state counts as unreachable;
// nor in a Broken graph, where one mistyped name would otherwise make
// every state behind it look unreachable.
func (g *Graph) Unreachable(i int) bool {
	return g.Reachable != nil && !g.Broken && !g.Reachable[i]
}

// Trapped reports whether a run that reaches state i can never end.
func (g *Graph) Trapped(i int) bool {
	return g.Reachable != nil && g.Reachable[i] && !g.CanEnd[i]
}

// endsRun reports whether a run may stop at s. Besides the real ends
// (End: true, Succeed, Fail), a Choice without Default stops with an error
// when no rule matches, and a state without any transition (an error of
// its own) stops too; counting both as ends keeps "never ends" to the
// loops that truly never stop.
func endsRun(s *State) bool {
	switch {
	case s.IsEnd() || s.Terminal():
		return true
	case s.Type() == StateChoice:
		return s.Default() == nil
	default:
		return s.Next() == nil
	}
}

// mark marks in seen, all false and one per state, the states reachable
// from roots along next, in time linear in states plus edges, and
// returns seen. stack is room for the walk's stack.
func mark(seen []bool, roots []int32, next func(i int) []int32, stack []int32) []bool {
	stack = append(stack[:0], roots...)
	for _, r := range roots {
		seen[r] = true
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range next(int(i)) {
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	return seen
}
