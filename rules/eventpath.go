package rules

import (
	"slices"
	"strconv"
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
ResultPath of "$" replaced the document, for webhook events, and in states
with an InputPath. A close catalogued path is suggested. Checked: Choice
Variable and ...Path operands, ".$" values and their {{$.…}} placeholders
in Parameters (a Jq action's data among them), ItemsPath and SecondsPath.`,
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
		for _, s := range m.States {
			doc := flows.Input(s)
			if doc == nil || s.Entry.Value.Get("InputPath") != nil {
				continue
			}
			for _, rd := range stateReads(s) {
				c.check(doc, rd)
			}
		}
	}
	return nil, nil
}

// pathRead is one path a state reads: the string holding it and where
// the path starts in that string.
type pathRead struct {
	node *bundle.Node
	at   int
	path bundle.Path
}

// stateReads lists the paths a state reads from its input.
func stateReads(s *bundle.State) []pathRead {
	obj := s.Entry.Value
	var reads []pathRead
	for _, f := range []string{"ItemsPath", "SecondsPath"} {
		reads = appendPathRead(reads, obj.Get(f))
	}
	if choices := obj.Get("Choices"); choices != nil {
		for _, rule := range choices.Elems {
			reads = appendChoiceReads(reads, rule)
		}
	}
	if params := obj.Get("Parameters"); params != nil {
		reads = appendParameterReads(reads, params)
	}
	return reads
}

func appendPathRead(reads []pathRead, n *bundle.Node) []pathRead {
	if s, _ := n.Str(); !strings.Contains(s, "input") {
		return reads // not a read under $.input: skip parsing it
	}
	if p, ok := pathOf(n); ok {
		reads = append(reads, pathRead{node: n, path: p})
	}
	return reads
}

func appendChoiceReads(reads []pathRead, rule *bundle.Node) []pathRead {
	if rule == nil || rule.Kind != bundle.Object {
		return reads
	}
	for i := range rule.Members {
		m := &rule.Members[i]
		switch {
		case m.Key == "Variable" || strings.HasSuffix(m.Key, "Path"):
			reads = appendPathRead(reads, m.Value)
		case m.Key == "And" || m.Key == "Or":
			for _, sub := range m.Value.Elems {
				reads = appendChoiceReads(reads, sub)
			}
		case m.Key == "Not":
			reads = appendChoiceReads(reads, m.Value)
		}
	}
	return reads
}

// appendParameterReads adds the ".$" values of Parameters: a bare path,
// or the placeholders of a template.
func appendParameterReads(reads []pathRead, n *bundle.Node) []pathRead {
	for i := range n.Members {
		m := &n.Members[i]
		if !strings.HasSuffix(m.Key, ".$") {
			reads = appendParameterReads(reads, m.Value)
			continue
		}
		s, ok := m.Value.Str()
		switch {
		case !ok:
		case bundle.IsPathValue(s):
			reads = appendPathRead(reads, m.Value)
		default:
			reads = appendTemplateReads(reads, m.Value, s)
		}
	}
	for _, e := range n.Elems {
		reads = appendParameterReads(reads, e)
	}
	return reads
}

func appendTemplateReads(reads []pathRead, n *bundle.Node, s string) []pathRead {
	if !strings.Contains(s, "input") {
		return reads
	}
	t, err := bundle.ParseTemplate(s)
	if err != nil {
		return reads
	}
	for _, part := range t.Parts {
		if part.Path == nil {
			continue
		}
		at := part.Offset + strings.Index(s[part.Offset:], part.Path.Raw)
		reads = append(reads, pathRead{node: n, at: at, path: *part.Path})
	}
	return reads
}

// eventPathChecker checks the reads of one flow against its events.
type eventPathChecker struct {
	r      *reporter
	events []*events.Event
}

func (c *eventPathChecker) check(doc *DocValue, rd pathRead) {
	segs := rd.path.Segments
	if len(segs) < 2 || segs[0].IsIndex || segs[0].Name != "input" {
		return
	}
	presence, found := doc.Lookup(segs)
	// found == 0 would mean $.input itself is gone: not the event's doing.
	if presence != Absent || found == 0 || len(doc.at(segs[:found]).Events) == 0 {
		return
	}
	miss := segs[found]
	name := miss.Name
	if miss.IsIndex {
		name = "[" + strconv.Itoa(miss.Index) + "]"
	}
	msg := quote(rd.path.Raw) + " reads " + quote(name) + ", which " + c.eventsNever() + " at " + quote(rawPrefix(rd.path, found)) +
		c.hint(segs)
	src := c.r.in.Bundle.Src
	start := rd.node.SourceOffset(src, rd.at+miss.Offset)
	end := rd.node.SourceOffset(src, rd.at+len(rd.path.Raw))
	c.r.span(start, max(start+1, end), msg)
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
