package simulate

import (
	"sort"

	"github.com/zislint/zislint/bundle"
)

// The Via of a Map's edges into and out of its iterator, beside the
// fields bundle.State.Via names ("Next", "Default", "Choices[0].Next",
// "Catch[0].Next").
const (
	// ViaIterator enters the iterator at its StartAt, once per item.
	ViaIterator = "Iterator"
	// ViaIteratorEnd leaves the iterator from the state that ended an
	// iteration, handing its result back to the Map.
	ViaIteratorEnd = "End"
)

// Step is one transition a run took. From names the state it left
// through the Map states that hold it ("Map/Inner"), without iteration
// numbers, so that every item of a Map covers the same transitions.
type Step struct {
	From, Via string
}

// trail records the states and transitions of one run, in order and
// with repeats: appending is cheaper on the simulator's hot path than a
// set, and Coverage.Add folds the repeats. Run gives both lists room in
// its one allocation (runBlock).
type trail struct {
	states []string
	steps  []Step
}

func (t *trail) visit(state string) { t.states = append(t.states, state) }

func (t *trail) take(from, via string) { t.steps = append(t.steps, Step{from, via}) }

// The kinds of transition a coverage report names.
const (
	KindNext     = "next"
	KindDefault  = "default"
	KindChoice   = "choice"
	KindCatch    = "catch"
	KindMapStart = "map-start" // a Map state into its iterator
	KindMapEnd   = "map-end"   // the end of an iteration back to its Map
)

// Transition is one transition written in a flow. From and To name
// states as Step does; Line and Column are where the transition is
// written: the target's name, a Map iterator's StartAt, or the End of
// the state that ends an iteration.
type Transition struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Kind   string `json:"kind"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	via    string
}

// Count is how many of a flow's states or transitions runs covered.
type Count struct {
	Covered int `json:"covered"`
	Total   int `json:"total"`
}

// Percent is the covered share; a flow with nothing to cover is fully
// covered.
func (c Count) Percent() float64 {
	if c.Total == 0 {
		return 100
	}
	return 100 * float64(c.Covered) / float64(c.Total)
}

// Plus adds two counts, for totals.
func (c Count) Plus(o Count) Count {
	return Count{c.Covered + o.Covered, c.Total + o.Total}
}

// FlowCoverage is what the runs of one flow covered. Its JSON form is
// the coverage profile's contract.
type FlowCoverage struct {
	Bundle      string       `json:"bundle"`
	Flow        string       `json:"flow"`
	States      Count        `json:"states"`
	Transitions Count        `json:"transitions"`
	Uncovered   []Transition `json:"uncovered"`
	// Covered are the transitions some run took, for drawing.
	Covered []Transition `json:"-"`
}

// Coverage gathers the runs of one flow: every state and transition
// written in it and in its Map iterators, and those the runs went
// through.
type Coverage struct {
	b           *bundle.Bundle
	flow        *bundle.Resource
	states      []string
	transitions []Transition
	visited     map[string]bool
	taken       map[Step]bool
}

// NewCoverage lists the states and transitions of flow, a flow resource
// of b with a definition.
func NewCoverage(b *bundle.Bundle, flow *bundle.Resource) *Coverage {
	c := &Coverage{b: b, flow: flow, visited: map[string]bool{}, taken: map[Step]bool{}}
	if flow.Flow != nil && flow.Flow.Machine != nil {
		c.walk(flow.Flow.Machine, "")
	}
	return c
}

// FlowName is the name runs give the flow: its properties.name.
func (c *Coverage) FlowName() string { return c.flow.NameText() }

var edgeKinds = map[bundle.EdgeKind]string{
	bundle.EdgeNext: KindNext, bundle.EdgeDefault: KindDefault, bundle.EdgeChoice: KindChoice, bundle.EdgeCatch: KindCatch,
}

// walk lists the states and transitions of m, whose states are inside
// the Map states scope names.
func (c *Coverage) walk(m *bundle.Machine, scope string) {
	for _, s := range m.States {
		from := scope + s.Name
		c.states = append(c.states, from)
		for _, e := range s.Edges() {
			if e.Misplaced {
				continue // ZIS does not follow it, so no run can take it
			}
			c.add(Transition{From: from, To: scope + e.Target(), Kind: edgeKinds[e.Kind], via: s.Via(&e)}, e.Node)
		}
		if s.Iterator() != nil {
			c.walkIterator(s, from)
		}
	}
}

// walkIterator lists the edges into and out of a Map state's iterator,
// then the iterator's own states and transitions.
func (c *Coverage) walkIterator(s *bundle.State, from string) {
	it, inner := s.Iterator(), from+"/"
	start, _ := it.StartAt.Str()
	at := it.StartAt
	if at == nil {
		at = it.Node
	}
	c.add(Transition{From: from, To: inner + start, Kind: KindMapStart, via: ViaIterator}, at)
	for _, is := range it.States {
		switch {
		case is.IsEnd():
			c.add(Transition{From: inner + is.Name, To: from, Kind: KindMapEnd, via: ViaIteratorEnd}, is.End())
		case is.Type() == bundle.StateSucceed:
			c.add(Transition{From: inner + is.Name, To: from, Kind: KindMapEnd, via: ViaIteratorEnd}, is.Entry.Value())
		}
	}
	c.walk(it, inner)
}

func (c *Coverage) add(t Transition, at *bundle.Node) {
	if at != nil {
		t.Line, t.Column = c.b.Line(int(at.Start))
	}
	c.transitions = append(c.transitions, t)
}

// Add counts what a run of the flow went through.
func (c *Coverage) Add(res *Result) {
	for _, s := range res.cover.states {
		c.visited[s] = true
	}
	for _, s := range res.cover.steps {
		c.taken[s] = true
	}
}

// Report counts the covered states and transitions and lists the
// transitions no run took, in source order.
func (c *Coverage) Report() FlowCoverage {
	name := c.flow.NameText()
	if name == "" {
		name = c.flow.Key
	}
	fc := FlowCoverage{Bundle: c.b.Path, Flow: name, Uncovered: []Transition{}}
	fc.States.Total = len(c.states)
	for _, s := range c.states {
		if c.visited[s] {
			fc.States.Covered++
		}
	}
	fc.Transitions.Total = len(c.transitions)
	for _, t := range c.transitions {
		if c.taken[Step{t.From, t.via}] {
			fc.Transitions.Covered++
			fc.Covered = append(fc.Covered, t)
		} else {
			fc.Uncovered = append(fc.Uncovered, t)
		}
	}
	sort.SliceStable(fc.Uncovered, func(i, j int) bool {
		a, b := fc.Uncovered[i], fc.Uncovered[j]
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	return fc
}
