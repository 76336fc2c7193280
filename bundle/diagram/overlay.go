package diagram

import (
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// Path is a simulated run to draw over its flow.
type Path struct {
	// States are the states in the order the run entered them, as the
	// simulator records them: a state of a Map's iterator is named
	// "Map[i]/State" for item i.
	States []string
	// Failed is the state the run failed in, "" when it succeeded.
	Failed string
}

// visit is one entry of a path, resolved against the flow.
type visit struct {
	state *bundle.State
	ctx   string // the iteration it ran in: "" for the flow, "Map[0]/" for item 0
}

// overlay marks the states the run visited and numbers the edges it took
// in the order it took them.
func (d *Diagram) overlay(top *bundle.Machine, p *Path) {
	w := &walker{d: d, last: map[string]*bundle.State{}}
	var lastVisit *visit
	for _, name := range p.States {
		v := resolve(top, name)
		if v == nil {
			d.Unmatched = append(d.Unmatched, name)
			continue
		}
		d.states[v.state].Marks |= MarkVisited
		w.enter(v)
		lastVisit = v
	}
	if p.Failed == "" {
		w.closeAll()
	} else if lastVisit != nil && lastVisit.state.Name == p.Failed {
		d.states[lastVisit.state].Marks |= MarkFailedHere
	}
}

// walker follows a run through nested iterations.
type walker struct {
	d    *Diagram
	step int
	last map[string]*bundle.State // the latest state of each iteration
	open []string                 // the iterations entered and not yet left, outermost first
}

func (w *walker) enter(v *visit) {
	for len(w.open) > 0 && !strings.HasPrefix(v.ctx, w.open[len(w.open)-1]) {
		w.leave(v)
	}
	prev, seen := w.last[v.ctx]
	switch {
	case seen:
		w.take(prev, v.state)
	case v.ctx == "":
		w.takeIDs("start", w.d.states[v.state].ID)
	default:
		w.takeIDs(w.d.states[v.state.Machine.Parent].ID, w.d.states[v.state].ID)
	}
	if len(w.open) == 0 || w.open[len(w.open)-1] != v.ctx {
		w.open = append(w.open, v.ctx)
	}
	w.last[v.ctx] = v.state
}

// leave closes the innermost open iteration, which the run left for
// next. The iteration finished (and took its edge to "item done") unless
// the run left through a Catch of the Map.
func (w *walker) leave(next *visit) {
	ctx := w.open[len(w.open)-1]
	w.open = w.open[:len(w.open)-1]
	last := w.last[ctx]
	mapState := last.Machine.Parent
	if next.state.Machine != mapState.Machine || !caughtBy(mapState, next.state) {
		w.finish(last)
	}
}

// caughtBy reports whether the only way from s to t is a Catch.
func caughtBy(s, t *bundle.State) bool {
	caught := false
	for _, e := range s.Edges() {
		if e.Target() != t.Name || e.Misplaced {
			continue
		}
		if e.Kind != bundle.EdgeCatch {
			return false
		}
		caught = true
	}
	return caught
}

// closeAll ends every open iteration and the flow itself: the run
// succeeded.
func (w *walker) closeAll() {
	for i := len(w.open) - 1; i >= 0; i-- {
		w.finish(w.last[w.open[i]])
	}
	w.open = nil
}

func (w *walker) finish(s *bundle.State) {
	if end := w.d.ends[s.Machine]; end != nil && s.IsEnd() && !s.Terminal() {
		w.takeIDs(w.d.states[s].ID, end.ID)
	}
}

func (w *walker) take(from, to *bundle.State) {
	w.takeIDs(w.d.states[from].ID, w.d.states[to].ID)
}

func (w *walker) takeIDs(from, to string) {
	if e := w.d.edges[[2]string{from, to}]; e != nil {
		w.step++
		e.Steps = append(e.Steps, w.step)
	}
}

// resolve finds the state a path entry names. Names may themselves hold
// "/" or "[", so the iteration prefixes are matched against the Map
// states of each machine rather than split on.
func resolve(m *bundle.Machine, name string) *visit {
	ctx := ""
	for {
		if s := m.State(name); s != nil {
			return &visit{state: s, ctx: ctx}
		}
		inner, rest, ok := enterIteration(m, name)
		if !ok {
			return nil
		}
		ctx += name[:len(name)-len(rest)]
		m, name = inner, rest
	}
}

// enterIteration splits "Map[i]/rest" for a Map state of m.
func enterIteration(m *bundle.Machine, name string) (*bundle.Machine, string, bool) {
	for _, s := range m.States {
		if s.Iterator() == nil {
			continue
		}
		after, ok := strings.CutPrefix(name, s.Name+"[")
		if !ok {
			continue
		}
		num, rest, ok := strings.Cut(after, "]/")
		if _, err := strconv.Atoi(num); ok && err == nil {
			return s.Iterator(), rest, true
		}
	}
	return nil, "", false
}
