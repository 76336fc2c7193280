package rules

import (
	"slices"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
)

// ReadKind says how a state reads a path, and so what a missing value
// does.
type ReadKind int

// The kinds of EventRead.
const (
	ReadComparison ReadKind = iota // a Choice compares it: the comparison is false
	ReadValue                      // a ".$" value, ItemsPath or SecondsPath: the state fails
	ReadTemplate                   // a {{$.…}} placeholder: it renders as empty text
)

// EventRead is a path under $.input that a state reads from the event
// the flow started with.
type EventRead struct {
	State *bundle.State
	Path  bundle.Path
	// Offset is where the path starts in the bundle's source.
	Offset int
	Kind   ReadKind
}

// EventReads lists the reads of flow m (not a Map iterator) that read the
// event the flow starts with, ev (nil when the catalogue does not know
// it), as the rules collect them: paths under $.input in states a run
// can reach, where no state before wrote the path and no action replaced
// the document. Reads the catalogue says ev never carries are left out
// (event_path reports them), as are the Variables of IsPresent tests,
// which expect the value may be missing, and states with an InputPath.
func EventReads(b *bundle.Bundle, m *bundle.Machine, ev *events.Event) []EventRead {
	if m == nil || m.Parent != nil {
		return nil
	}
	g := bundle.NewGraph(m)
	f := analyzeFlows(b, []*bundle.Graph{g})
	f.done[m] = true
	start := unknownEventStart
	if ev != nil {
		start = eventValue(ev.Document)
	}
	f.machine(g, start)
	var out []EventRead
	for _, s := range m.States {
		doc := f.inputs[s]
		if doc == nil || s.Entry.Value.Get("InputPath") != nil {
			continue
		}
		presence := presenceTests(s)
		for _, rd := range stateReads(s) {
			segs := rd.path.Segments
			if len(segs) < 2 || segs[0].IsIndex || segs[0].Name != "input" || presence[rd.node] || !readsEvent(doc, segs) {
				continue
			}
			out = append(out, EventRead{State: s, Path: rd.path, Offset: rd.node.SourceOffset(b.Src, rd.at), Kind: readKind(s, rd)})
		}
	}
	return out
}

// unknownEventStart is the document of a run on an event the catalogue
// does not know: its input is the event, of unknown shape, rather than
// an opaque value, so that readsEvent can tell it from an action's
// result.
var unknownEventStart = eventValue(&events.Node{Kind: events.KindObject, Fields: map[string]*events.Node{
	"account_id":      {Kind: events.KindNumber},
	"input":           {Kind: events.KindAny},
	"integration_key": {Kind: events.KindString},
	"subdomain":       {Kind: events.KindString},
}})

// readsEvent reports whether the path reads the start event: it leads
// through the event's values only, to a place the event can carry or
// an open part of it.
func readsEvent(doc *DocValue, segs []bundle.Segment) bool {
	cur := doc
	for _, seg := range segs {
		if cur.Opaque {
			return false // an action's result replaced the document here
		}
		if f, written := cur.field(seg.Name); written && !seg.IsIndex && !isEventValue(cur, seg.Name, f.Value) {
			return false // a state wrote the key
		}
		next, p := cur.step(seg)
		switch p {
		case Absent:
			return false
		case Open:
			return true
		}
		cur = next
	}
	return true
}

// isEventValue reports whether v, written at key of cur, is still the
// event's own value there with keys written below it: a write at
// $.input.x rewrites $.input on its way.
func isEventValue(cur *DocValue, key string, v *DocValue) bool {
	ev, p := cur.eventChild(key)
	return p != Absent && !ev.Opaque && len(ev.Events) > 0 && slices.Equal(ev.Events, v.Events)
}

// presenceTests finds the Variables of a Choice's IsPresent tests.
func presenceTests(s *bundle.State) map[*bundle.Node]bool {
	choices := s.Entry.Value.Get("Choices")
	if choices == nil {
		return nil
	}
	out := map[*bundle.Node]bool{}
	var walk func(rule *bundle.Node)
	walk = func(rule *bundle.Node) {
		if rule == nil || rule.Kind != bundle.Object {
			return
		}
		if rule.Member("IsPresent") != nil {
			out[rule.Get("Variable")] = true
		}
		for _, sub := range rule.Get("And").Items() {
			walk(sub)
		}
		for _, sub := range rule.Get("Or").Items() {
			walk(sub)
		}
		walk(rule.Get("Not"))
	}
	for _, rule := range choices.Elems {
		walk(rule)
	}
	return out
}

func readKind(s *bundle.State, rd pathRead) ReadKind {
	text, _ := rd.node.Str()
	switch {
	case s.Type == bundle.StateChoice:
		return ReadComparison
	case bundle.IsPathValue(text):
		return ReadValue
	}
	return ReadTemplate
}
