package explore

import (
	"fmt"
	"io"
	"strings"

	"github.com/zislint/zislint/internal/textsafe"
	"github.com/zislint/zislint/simulate"
	"github.com/zislint/zislint/simulate/runner"
)

// WriteText writes, per flow, the fixtures found with the transitions
// each adds and its path, then the transitions left unreached with the
// reason when known, then the coverage before and after. Names from the
// bundle and the fixtures are escaped.
func WriteText(w io.Writer, flows []FlowReport) error {
	var b strings.Builder
	for _, fr := range flows {
		fmt.Fprintf(&b, "explore: %s flow %s, from %s\n", textsafe.Name(fr.Bundle), textsafe.Name(fr.Flow), seedsText(fr.Seeds))
		for _, fd := range fr.Found {
			verb := "found"
			if fd.Written {
				verb = "wrote"
			}
			fmt.Fprintf(&b, "  %s %s (from %s)\n", verb, textsafe.Name(fd.File), textsafe.Name(fd.From))
			for _, t := range fd.Adds {
				fmt.Fprintf(&b, "      adds: %s\n", transitionText(fr.Bundle, t))
			}
			fmt.Fprintf(&b, "      path: %s\n", pathOf(fd.Run))
		}
		for _, u := range fr.Unreached {
			fmt.Fprintf(&b, "  not reached: %s", transitionText(fr.Bundle, u.Transition))
			if u.Reason != "" {
				fmt.Fprintf(&b, ": %s", textsafe.Escape(u.Reason))
			}
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "  coverage: transitions %s → %s, states %s → %s\n",
			countText(fr.Before.Transitions), countText(fr.After.Transitions), countText(fr.Before.States), countText(fr.After.States))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func seedsText(seeds []string) string {
	quoted := make([]string, len(seeds))
	for i, s := range seeds {
		quoted[i] = textsafe.Name(s)
	}
	if len(seeds) > 3 {
		return fmt.Sprintf("%d fixtures", len(seeds))
	}
	return strings.Join(quoted, ", ")
}

func transitionText(bundlePath string, t simulate.Transition) string {
	return fmt.Sprintf("%s:%d:%d %s → %s (%s)", textsafe.Name(bundlePath), t.Line, t.Column, textsafe.Name(t.From), textsafe.Name(t.To), t.Kind)
}

func countText(c simulate.Count) string {
	return fmt.Sprintf("%d/%d (%s)", c.Covered, c.Total, runner.Percent(c))
}

// pathOf is the states a run went through, Map iterations included, at
// most maxPathStates of them.
func pathOf(res *simulate.Result) string {
	const maxPathStates = 30
	states := make([]string, 0, min(len(res.States), maxPathStates))
	for i, s := range res.States {
		if i == maxPathStates {
			states = append(states, fmt.Sprintf("… (%d states in all)", len(res.States)))
			break
		}
		states = append(states, textsafe.Name(s))
	}
	out := strings.Join(states, " → ")
	if res.Status == simulate.StatusFailed && res.Error != nil {
		out += fmt.Sprintf(" (fails: %s)", textsafe.Escape(res.Error.Error))
	}
	return out
}

// Summary is the line zislint test prints on standard error after an
// exploration.
func (x *Explorer) Summary() string {
	found, unreached := 0, 0
	for _, fr := range x.Flows {
		found += len(fr.Found)
		unreached += len(fr.Unreached)
	}
	msg := fmt.Sprintf("explored %d flow%s in %d runs: %d new fixture%s, %d transition%s not reached",
		len(x.Flows), plural(len(x.Flows)), x.Runs(), found, plural(found), unreached, plural(unreached))
	if x.BudgetSpent() {
		msg += "; stopped at the budget"
	}
	if found > 0 && !x.o.Write {
		msg += "; --write saves the new fixtures with their goldens"
	}
	return msg
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
