package simulate

import (
	"slices"
	"strconv"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
	"github.com/zislint/zislint/rules"
)

// Reads returns a warning for each path under $.input that a
// state of run reads from the fixture's event (as the lint rules collect
// reads: see rules.EventReads) and the event lacks: the run took the way
// a missing value takes, which is seldom the case the fixture means to
// test. b is the bundle prog was compiled from. States the run did not
// visit are left out: a fixture holds what its run reads. So are paths
// the catalogue says the event never carries, left to lint, and paths
// below a place where Shape already warns; each missing path
// is warned about once.
func (c *EventCheck) Reads(prog *Program, b *bundle.Bundle, run *Result) []*LoadError {
	f := c.f
	m, err := prog.flowFor(f)
	if err != nil || run == nil {
		return nil // the run reports it
	}
	visited := map[string]bool{}
	for _, s := range run.States {
		visited[s] = true
	}
	flow := flowMachine(b, m.name)
	var out []*LoadError
	seen := map[string]bool{}
	for _, rd := range rules.EventReads(b, flow, c.ev) {
		if !visited[rd.State.Name] {
			continue
		}
		segs := rd.Path.Segments[1:]
		found := presentSteps(f.Event, segs)
		if found == len(segs) {
			continue
		}
		missing := bundle.SegmentsText(segs[:found+1])
		if seen[missing] || belowMismatch(missing, c.mismatches) {
			continue
		}
		seen[missing] = true
		out = append(out, c.warning(bundle.SegmentsText(segs[:found]), missingReadMessage(b, rd, missing)))
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
// event is not shaped like its type, which Shape warns about.
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
