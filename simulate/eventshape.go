package simulate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zislint/zislint/events"
	"github.com/zislint/zislint/internal/repofs"
)

// EventCheck compares one fixture's event with the documented shape of
// its event_type (see package events) and with what a run of it read.
// The event is looked up, its shape checked and the fixture's file read
// for positions once, for both.
type EventCheck struct {
	f          *Fixture
	ev         *events.Event // nil: a flow fixture or a webhook event
	mismatches []events.Mismatch
	lines      *eventLines // read when the first warning needs a position
}

// NewEventCheck looks up f's event and checks its shape.
func NewEventCheck(f *Fixture) *EventCheck {
	c := &EventCheck{f: f}
	if e, ok := events.Lookup(f.EventSource, f.EventType); ok && f.Flow == "" {
		c.ev, c.mismatches = e, e.Input().Check(f.Event)
	}
	return c
}

// Shape returns a warning for each place the event differs from its
// documented shape: not under its wrapper key, or a value of the wrong
// JSON type. A fixture that names a flow rather than an event, or an
// event of an inbound webhook, has no documented shape and gets none.
// Keys the catalogue does not list, and documented keys the fixture
// leaves out, are not warned about: fixtures hold what their flow reads.
//
// These are warnings, not failures: the flow may well handle the event
// as written, but ZIS would never send it that way.
func (c *EventCheck) Shape() []*LoadError {
	if len(c.mismatches) == 0 {
		return nil
	}
	out := make([]*LoadError, 0, len(c.mismatches))
	for _, m := range c.mismatches {
		out = append(out, c.warning(m.Path, shapeMessage(c.ev, c.f.Event, m)))
	}
	return out
}

// warning is msg at the position of path in the fixture's event.
func (c *EventCheck) warning(path, msg string) *LoadError {
	if c.lines == nil {
		c.lines = newEventLines(c.f)
	}
	line, col := c.lines.of(path)
	return &LoadError{File: c.f.Path, Line: line, Col: col, Msg: msg}
}

func shapeMessage(e *events.Event, event any, m events.Mismatch) string {
	where := "$.input." + m.Path
	if m.Missing {
		msg := fmt.Sprintf("the event has no %s key, but ZIS sends %s events under it: a flow reads %s.…", m.Path, e.Type, where)
		if keys := topKeys(event); len(keys) > 0 && !strings.Contains(m.Path, ".") {
			msg += ", not $.input." + keys[0] + ".…"
		}
		return msg
	}
	return fmt.Sprintf("%s is %s, but %s events carry %s there", where, article(string(m.Got)), e.Type, article(string(m.Want)))
}

func topKeys(v any) []string {
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func article(kind string) string {
	switch kind {
	case "null":
		return "null"
	case "array", "object":
		return "an " + kind
	}
	return "a " + kind
}

// eventLines finds the line of a path of the fixture's event in its
// file. Fixtures do not keep a position for every value of their event,
// and warnings are rare, so the file is read again when one is due; when
// that fails, or the path is not found, the event key's line is used.
type eventLines struct {
	event    *yaml.Node // the event's value in the file, or nil
	fallback int
}

func newEventLines(f *Fixture) *eventLines {
	l := &eventLines{fallback: firstLineOf(f, "event")}
	src, err := repofs.ReadFile(f.Path)
	if err != nil {
		return l
	}
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 {
		return l
	}
	root := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return l
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "event" {
			l.event = resolve(root.Content[i+1])
		}
	}
	return l
}

// of returns the line and column of path, or of the deepest part of it
// the file has (column 0 when only the event key's line is known).
func (l *eventLines) of(path string) (line, col int) {
	line, n := l.fallback, l.event
	for _, seg := range events.Segments(path) {
		if n == nil {
			break
		}
		key, next := child(n, seg)
		if next == nil {
			break
		}
		line, col, n = key.Line, key.Column, resolve(next)
	}
	return line, col
}

// child returns a mapping's value under key (with the key's node) or a
// sequence's item at an index (twice).
func child(n *yaml.Node, seg string) (at, value *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return n.Content[i], n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], n.Content[i]
		}
	}
	return nil, nil
}

func firstLineOf(f *Fixture, key string) int {
	if n := f.Line[key]; n > 0 {
		return n
	}
	return 1
}
