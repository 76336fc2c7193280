package simulate

import (
	"slices"
	"strconv"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
	"github.com/zislint/zislint/rules"
)

// CheckEventReads returns a warning for each path under $.input that a
// state of run reads from the fixture's event (as the lint rules collect
// reads: see rules.EventReads) and the event lacks: the run took the way
// a missing value takes, which is seldom the case the fixture means to
// test. b is the bundle prog was compiled from. States the run did not
// visit are left out: a fixture holds what its run reads. So are paths
// the catalogue says the event never carries, left to lint, and paths
// below a place where CheckEventShape already warns; each missing path
// is warned about once.
func CheckEventReads(f *Fixture, prog *Program, b *bundle.Bundle, run *Result) []*LoadError {
	m, err := prog.flowFor(f)
	if err != nil || run == nil {
		return nil // the run reports it
	}
	visited := map[string]bool{}
	for _, s := range run.States {
		visited[s] = true
	}
	flow := flowMachine(b, m.name)
	var ev *events.Event
	var mismatches []events.Mismatch
	if e, ok := events.Lookup(f.EventSource, f.EventType); ok && f.Flow == "" {
		ev, mismatches = e, e.Input().Check(f.Event)
	}
	var out []*LoadError
	var lines *eventLines
	seen := map[string]bool{}
	for _, rd := range rules.EventReads(b, flow, ev) {
		if !visited[rd.State.Name] {
			continue
		}
		segs := rd.Path.Segments[1:]
		found := presentSteps(f.Event, segs)
		if found == len(segs) {
			continue
		}
		missing := bundle.SegmentsText(segs[:found+1])
		if seen[missing] || belowMismatch(missing, mismatches) {
			continue
		}
		seen[missing] = true
		if lines == nil {
			lines = newEventLines(f)
		}
		line, col := lines.of(bundle.SegmentsText(segs[:found]))
		out = append(out, &LoadError{File: f.Path, Line: line, Col: col, Msg: missingReadMessage(b, rd, missing)})
	}
	return out
}

// flowMachine finds the flow named name in b, or nil.
func flowMachine(b *bundle.Bundle, name string) *bundle.Machine {
	for _, m := range b.Machines() {
		if m.Parent == nil && m.Flow.NameText() == name {
			return m
		}
	}
	return nil
}

// presentSteps counts how many of segs the event has, from its top.
func presentSteps(event any, segs []bundle.Segment) int {
	cur := event
	for i, seg := range segs {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[seg.Name]
			if seg.IsIndex || !ok {
				return i
			}
			cur = next
		case []any:
			if !seg.IsIndex || seg.Index >= len(v) {
				return i
			}
			cur = v[seg.Index]
		default:
			return i
		}
	}
	return len(segs)
}

// belowMismatch reports whether path is at or below a place where the
// event is not shaped like its type, which CheckEventShape warns about.
func belowMismatch(path string, mismatches []events.Mismatch) bool {
	segs := events.Segments(path)
	for _, m := range mismatches {
		at := events.Segments(m.Path)
		if len(at) <= len(segs) && slices.Equal(at, segs[:len(at)]) {
			return true
		}
	}
	return false
}

func missingReadMessage(b *bundle.Bundle, rd rules.EventRead, missing string) string {
	read := ""
	if full := "$.input." + bundle.SegmentsText(rd.Path.Segments[1:]); full != "$.input."+missing {
		read = " for " + full
	}
	return "the event has no $.input." + missing + ", which state " + strconv.Quote(rd.State.Name) + " reads" + read +
		" (" + b.Position(rd.Offset) + "); add it, or the run takes the way a missing value takes: " + missingEffect[rd.Kind]
}

// missingEffect is what a missing value does to each kind of read, as
// the simulator runs it (see the README's "How the simulator runs a
// flow").
var missingEffect = map[rules.ReadKind]string{
	rules.ReadComparison: "the comparison does not match",
	rules.ReadValue:      "the state fails",
	rules.ReadTemplate:   "the placeholder renders as empty text",
}
