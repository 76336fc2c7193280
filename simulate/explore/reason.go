package explore

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/simulate"
)

// unreached gives each transition left uncovered the reason the search
// can tell, or "" when it cannot.
func (s *search) unreached(uncovered []simulate.Transition) []Unreached {
	visited := map[string]bool{}
	for _, e := range s.corpus {
		for st := range e.visited {
			visited[st] = true
		}
	}
	out := make([]Unreached, 0, len(uncovered))
	for _, t := range uncovered {
		reason := s.reason(t, visited)
		if s.budget.out && !strings.HasPrefix(reason, "guarded by") {
			// What guards the transition is not known to be out of
			// reach: the search may simply not have got there.
			reason = "the search stopped at the budget before taking it"
		}
		out = append(out, Unreached{Transition: t, Reason: reason})
	}
	return out
}

func (s *search) reason(t simulate.Transition, visited map[string]bool) string {
	if !visited[t.From] {
		return "no run reached state " + t.From
	}
	switch t.Kind {
	case simulate.KindChoice, simulate.KindDefault:
		return s.choiceReason(t)
	case simulate.KindCatch:
		return "no change tried made state " + t.From + " fail"
	case simulate.KindMapStart:
		return "no run gave Map state " + t.From + " an item"
	case simulate.KindNext, simulate.KindMapEnd:
		return s.failedThere(t.From)
	}
	return ""
}

// failedThere says how the runs that reached a state failed in it.
func (s *search) failedThere(state string) string {
	inner := state[strings.LastIndex(state, "/")+1:]
	for _, e := range s.corpus {
		if err := e.res.Error; err != nil && err.State == inner {
			return fmt.Sprintf("state %s failed in every run that reached it, e.g. %s: %s", state, err.Error, err.Cause)
		}
	}
	return ""
}

// choiceReason says what guards a Choice's rule (or, for its Default,
// every rule): a field the search cannot set, or one it set to every
// value it had.
func (s *search) choiceReason(t simulate.Transition) string {
	var c *choiceState
	for i := range s.model.choices {
		if s.model.choices[i].name == t.From {
			c = &s.model.choices[i]
		}
	}
	if c == nil {
		return ""
	}
	conds := c.allConditions()
	if i, ok := ruleIndex(t.Step().Via); ok && i < len(c.rules) {
		conds = c.rules[i]
	}
	var tried []string
	for _, cond := range conds {
		_, w, ok := s.conditionSource(c, cond.variable)
		raw := bundle.PathText(append(c.prefix[:len(c.prefix):len(c.prefix)], cond.variable.Segments...))
		if c.inMap {
			if c.items == nil {
				return "" // a nested Map's items are not followed
			}
			raw = fmt.Sprintf("%s of each item of %s", raw, bundle.PathText(c.items))
		}
		switch {
		case ok:
			tried = append(tried, raw)
		case w == nil:
			return fmt.Sprintf("guarded by %s, which neither the event nor a state of the flow sets", raw)
		case w.kind == byJq && s.model.readsOf(w.state):
			return fmt.Sprintf("no input tried for Jq state %s made its output, %s, take it", w.state, raw)
		case w.kind == byJq:
			return fmt.Sprintf("guarded by a Jq output it cannot steer: %s is written by state %s", raw, w.state)
		case w.kind == byPass:
			return fmt.Sprintf("guarded by a constant: %s is written by Pass state %s", raw, w.state)
		default:
			return fmt.Sprintf("guarded by %s, written by state %s, which the search cannot steer", raw, w.state)
		}
	}
	if len(tried) == 0 {
		return ""
	}
	return "no value tried for " + strings.Join(tried, ", ") + " takes it; its conditions may never hold together"
}

// readsOf reports whether the search sets any field the Jq state reads.
func (m *flowModel) readsOf(state string) bool {
	for _, r := range m.jqReads {
		if r.state == state {
			return true
		}
	}
	return false
}

func (c *choiceState) allConditions() []condition {
	var out []condition
	for _, r := range c.rules {
		out = append(out, r...)
	}
	return out
}

// ruleIndex reads i from a Choice rule's "Choices[i].Next".
func ruleIndex(via string) (int, bool) {
	rest, ok := strings.CutPrefix(via, "Choices[")
	if !ok {
		return 0, false
	}
	n, _, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(n)
	return i, ok && err == nil
}
