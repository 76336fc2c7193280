package rules

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
	"github.com/zislint/zislint/internal/didyoumean"
)

const eventPathID = "ZIS226"

// EventPath reports reads under $.input that the flow's event never
// carries.
var EventPath = &analysis.Analyzer{
	Name: "event_path",
	Doc: `a read under $.input must name data the flow's event carries

A flow started by a job spec gets the event under $.input, wrapped in a key
of its own: a ticket event's ticket is at $.input.ticket_event.ticket, not
$.input.ticket. A path the event never has reads nothing at run time: a
Choice then takes the wrong branch, an action gets an empty value. This
rule follows every path from StartAt (see the data-flow analysis in the
README) and reports a read only when the events catalogue says the path is
surely absent from each event the job specs start the flow on, and no
state before the read wrote it. It is silent where the catalogue leaves
the data open (custom fields, undocumented keys), where an action or a
ResultPath of "$" replaced the document, and for webhook events. A state
with an InputPath reads the part it selects. A close catalogued path is
suggested. Checked: Choice Variable and ...Path operands, ".$" values and
their {{$.…}} placeholders in Parameters (a Jq action's data among them),
ItemsPath, SecondsPath, a Succeed's Message and a Fail's Error and Cause.`,
	Requires: []*analysis.Analyzer{Root, DataFlow},
	Run:      runEventPath,
}

func runEventPath(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, eventPathID)
	flows := pass.ResultOf[DataFlow].(*Flows)
	for _, m := range r.in.Bundle.Machines() {
		evs := flows.Events(m)
		if m.Parent != nil || len(evs) == 0 {
			continue
		}
		c := &eventPathChecker{r: r, events: evs}
		var room [pathRoom]bundle.Segment
		for _, s := range m.States {
			doc := flows.ReadInput(s)
			if doc == nil {
				continue
			}
			for _, rd := range flows.stateReads(s) {
				if text, _ := rd.node.Str(); mentionsInput(text) {
					c.check(doc, rd.parse(room[:0]))
				}
			}
		}
	}
	return nil, nil
}

// eventPathChecker checks the reads of one flow against its events.
type eventPathChecker struct {
	r      *reporter
	events []*events.Event
}

func (c *eventPathChecker) check(doc *DocValue, rd parsedRead) {
	miss, ok := missingAt(doc, rd)
	if !ok || !isEventMiss(rd, miss) {
		return
	}
	segs := rd.segs
	msg := quote(rd.raw()) + " reads " + quote(stepName(segs[miss.found])) + ", which " + c.eventsNever() + " at " +
		quote(rawPrefix(rd.path(), miss.found)) + c.hint(segs)
	c.r.readSpan(rd, miss.found, msg)
}

// isEventMiss reports whether a read of a flow started on catalogued
// events misses below $.input where the event's shape, not a state's
// write, says the data is not there: event_path's findings, which
// unwritten_read leaves to it.
func isEventMiss(rd parsedRead, miss readMiss) bool {
	segs := rd.segs
	// found == 0 would mean $.input itself is gone: not the event's doing.
	return len(segs) >= 2 && !segs[0].IsIndex && segs[0].Name == "input" && miss.found > 0 && len(miss.parent.Events) > 0
}

// eventsNever says, for a message, that the flow's events lack a path.
func (c *eventPathChecker) eventsNever() string {
	var names []string
	for _, e := range c.events {
		if !slices.Contains(names, e.Type) {
			names = append(names, e.Type)
		}
	}
	if len(names) == 1 {
		return "the " + names[0] + " event never carries"
	}
	return "none of the flow's events (" + strings.Join(names, ", ") + ") carries"
}

// rawPrefix is the text of the path up to its step n.
func rawPrefix(p bundle.Path, n int) string {
	if n < len(p.Segments) {
		return p.Raw[:p.Segments[n].Offset]
	}
	return p.Raw
}

// hint suggests the catalogued path the read was likely meant to be: one
// that ends with the steps read below $.input (the wrapper key is the
// usual slip), else the nearest by spelling.
func (c *eventPathChecker) hint(segs []bundle.Segment) string {
	var rest []string
	for _, s := range segs[1:] {
		if s.IsIndex {
			return ""
		}
		rest = append(rest, s.Name)
	}
	read := strings.Join(rest, ".")
	var candidates []string
	for _, e := range c.events {
		for _, p := range e.Paths() {
			if !strings.Contains(p, "[*]") {
				candidates = append(candidates, p)
			}
		}
	}
	best := ""
	for _, p := range candidates {
		if strings.HasSuffix(p, "."+read) && (best == "" || len(p) < len(best)) {
			best = p
		}
	}
	if best == "" {
		best = didyoumean.Nearest(read, candidates)
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + quote("$.input."+best) + "?"
}
