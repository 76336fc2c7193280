package simulate

// Exploration asks, of each run, which transitions it took, and of each
// flow, which it has; these read what coverage already records.

// Steps returns the transitions the run took, in order, with repeats.
func (res *Result) Steps() []Step {
	return append([]Step(nil), res.cover.steps...)
}

// Step is the step a run records when it takes t.
func (t Transition) Step() Step { return Step{t.From, t.via} }

// Transitions lists every transition written in the flow, in the order
// the flow's states are written.
func (c *Coverage) Transitions() []Transition {
	return append([]Transition(nil), c.transitions...)
}

// MapItemLimit is the most items a Map state takes; exploration tries
// one more.
const MapItemLimit = mapItemLimit
