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
	f := analyzeFlows(b, []*bundle.Graph{bundle.NewGraph(m)})
	mf := f.machineFlow(m)
	mf.done = true
	start := unknownEventStart
	if ev != nil {
		start = eventValue(ev.Document())
	}
	f.machine(mf, start, new(fixpointScratch))
	var out []EventRead
	for _, s := range m.States {
		doc := f.Input(s)
		if doc == nil || s.Entry.Value().Get("InputPath") != nil {
			continue
		}
		for _, read := range stateReads(s, mentionsInput) {
			// Its own steps, as the EventRead keeps them.
			rd := read.parse(nil)
			segs := rd.segs
			if len(segs) < 2 || segs[0].IsIndex || segs[0].Name != "input" || rd.kind() == readPresence || !readsEvent(doc, segs) {
				continue
			}
			out = append(out, EventRead{State: s, Path: rd.path(), Offset: rd.node.SourceOffset(b.Src, rd.start()), Kind: rd.kind().exported()})
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

// exported maps the collector's kinds onto the three a fixture check
// tells apart.
func (k readKind) exported() ReadKind {
	switch k {
	case readChoice, readTest, readPresence:
		return ReadComparison
	case readPath, readCallPath:
		return ReadValue
	}
	return ReadTemplate
}
