package rules

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/zislint/zislint/bundle"
)

// flowBundle is a bundle with one flow of the given States (JSON text)
// starting at start, and a job spec starting it on eventType (none when
// eventType is "").
func flowBundle(start, states, eventType string) string {
	jobSpec := ""
	if eventType != "" {
		jobSpec = fmt.Sprintf(`, "Job": {"type": "ZIS::JobSpec", "properties": {"name": "Job",
			"event_source": "support", "event_type": %q, "flow_name": "zis:acme:flow:F"}}`, eventType)
	}
	return fmt.Sprintf(`{"zis_template_version": "2019-10-14", "name": "t", "resources": {
		"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": %q, "States": {%s}}}}%s}}`,
		start, states, jobSpec)
}

// analyzed runs the data-flow analysis on a bundle's source.
func analyzed(t *testing.T, src string) (*bundle.Bundle, *Flows) {
	t.Helper()
	b := bundle.Parse("test.json", []byte(src))
	var graphs []*bundle.Graph
	for _, m := range b.Machines() {
		graphs = append(graphs, bundle.NewGraph(m))
	}
	return b, analyzeFlows(b, graphs)
}

// stateNamed finds a state in any machine of b.
func stateNamed(t *testing.T, b *bundle.Bundle, name string) *bundle.State {
	t.Helper()
	for s := range b.States() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no state %q", name)
	return nil
}

func presence(t *testing.T, doc *DocValue, path string) Presence {
	t.Helper()
	p, err := bundle.ParsePath(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := doc.Lookup(p.Segments)
	return got
}

var presenceNames = map[Presence]string{Absent: "absent", Maybe: "maybe", Sure: "sure", Open: "open"}

// expect is what one path should be at one state.
type expect struct {
	state, path string
	want        Presence
}

func TestDataFlow(t *testing.T) {
	const ticket = "ticket.TicketCreated"
	tests := []struct {
		name, start, states, event string
		expects                    []expect
	}{
		{
			name: "the start document is the event's", start: "A", event: ticket,
			states: `"A": {"Type": "Succeed"}`,
			expects: []expect{
				{"A", "$.input.ticket_event.ticket.id", Maybe},
				{"A", "$.input.ticket_event.ticket.tags[0]", Maybe},
				{"A", "$.account_id", Maybe},
				{"A", "$.input.ticket.id", Absent},
				{"A", "$.input.ticket_event.ticket.subjectt", Absent},
			},
		},
		{
			name: "without a catalogued event the input is opaque", start: "A",
			states: `"A": {"Type": "Succeed"}`,
			expects: []expect{
				{"A", "$.input.anything", Open},
				{"A", "$.subdomain", Sure},
				{"A", "$.nothing", Absent},
			},
		},
		{
			name: "Pass Result at a ResultPath, null ResultPath, default ResultPath", start: "A", event: ticket,
			states: `"A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.note", "Next": "B"},
				"B": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": null, "Next": "C"},
				"C": {"Type": "Pass", "Result": {"only": true}, "Next": "D"},
				"D": {"Type": "Succeed"}`,
			expects: []expect{
				{"B", "$.note.n", Sure},
				{"B", "$.note.m", Absent},
				{"B", "$.input.ticket_event.ticket.id", Maybe},
				{"C", "$.x", Absent},
				{"D", "$.only", Sure},
				{"D", "$.input", Absent},
			},
		},
		{
			name: "Pass Parameters resolve paths; without Result or Parameters the input passes", start: "A", event: ticket,
			states: `"A": {"Type": "Pass", "Parameters": {"id.$": "$.input.ticket_event.ticket.id", "k": {"v": 1}}, "ResultPath": "$.p", "Next": "B"},
				"B": {"Type": "Pass", "ResultPath": "$.copy", "Next": "C"},
				"C": {"Type": "Succeed"}`,
			expects: []expect{
				{"B", "$.p.id", Sure},
				{"B", "$.p.k.v", Sure},
				{"C", "$.copy.p.id", Sure},
				{"C", "$.copy.input.ticket_event.ticket.id", Maybe},
			},
		},
		{
			name: "an action's result is opaque, at $ or at its ResultPath", start: "A", event: ticket,
			states: `"A": {"Type": "Action", "ActionName": "zis:acme:action:Get", "ResultPath": "$.got", "Next": "B"},
				"B": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": ".", "data.$": "$"}, "Next": "C"},
				"C": {"Type": "Succeed"}`,
			expects: []expect{
				{"B", "$.got.anything", Open},
				{"B", "$.input.ticket_event.nope", Absent},
				{"C", "$.input.ticket_event.nope", Open},
			},
		},
		{
			name: "Choice branches join: written on one path is maybe, on all sure", start: "Pick", event: ticket,
			states: `"Pick": {"Type": "Choice", "Choices": [{"Variable": "$.input.ticket_event.ticket.status", "StringEquals": "open", "Next": "L"}], "Default": "R"},
				"L": {"Type": "Pass", "Result": {"v": 1}, "ResultPath": "$.both", "Next": "LL"},
				"LL": {"Type": "Pass", "Result": {"v": 1}, "ResultPath": "$.left", "Next": "Join"},
				"R": {"Type": "Pass", "Result": {"v": 2}, "ResultPath": "$.both", "Next": "Join"},
				"Join": {"Type": "Wait", "Seconds": 5, "Next": "End"},
				"End": {"Type": "Succeed"}`,
			expects: []expect{
				{"Join", "$.both.v", Sure},
				{"Join", "$.left.v", Maybe},
				{"End", "$.left.v", Maybe},
				{"End", "$.input.ticket_event.ticket.id", Maybe},
				{"End", "$.right", Absent},
			},
		},
		{
			name: "a Catch passes {Error, Cause} at its ResultPath", start: "A", event: ticket,
			states: `"A": {"Type": "Action", "ActionName": "zis:acme:action:Get", "ResultPath": "$.got", "Next": "Ok",
					"Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Failed"}]},
				"Ok": {"Type": "Succeed"},
				"Failed": {"Type": "Fail", "Error": "{{$.failure.Error}}"}`,
			expects: []expect{
				{"Failed", "$.failure.Error", Sure},
				{"Failed", "$.failure.Cause", Sure},
				{"Failed", "$.got", Absent},
				{"Failed", "$.input.ticket_event.ticket.id", Maybe},
				{"Ok", "$.failure", Absent},
			},
		},
		{
			name: "a Map's iterator starts from an item of ItemsPath; its result is opaque", start: "M", event: ticket,
			states: `"M": {"Type": "Map", "ItemsPath": "$.input.ticket_event.ticket.tags", "ResultPath": "$.mapped", "Next": "Done",
					"Iterator": {"StartAt": "Each", "States": {"Each": {"Type": "Succeed"}}}},
				"O": {"Type": "Map", "ItemsPath": "$.mapped", "End": true,
					"Iterator": {"StartAt": "Other", "States": {"Other": {"Type": "Succeed"}}}},
				"Done": {"Type": "Pass", "Next": "O"}`,
			expects: []expect{
				{"Each", "$.key", Absent}, // a tag is a string
				{"Done", "$.mapped[0].x", Open},
				{"Other", "$.anything", Open},
			},
		},
		{
			name: "a loop reaches a fixed point", start: "A", event: ticket,
			states: `"A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.count", "Next": "B"},
				"B": {"Type": "Choice", "Choices": [{"Variable": "$.count.n", "NumericLessThan": 3, "Next": "C"}], "Default": "Done"},
				"C": {"Type": "Pass", "Result": {"again": true}, "ResultPath": "$.looped", "Next": "B"},
				"Done": {"Type": "Succeed"}`,
			expects: []expect{
				{"B", "$.count.n", Sure},
				{"B", "$.looped.again", Maybe},
				{"Done", "$.looped.again", Maybe},
				{"Done", "$.input.ticket_event.nope", Absent},
			},
		},
		{
			name: "LoadConfig and CreateLink answer open objects; PatchConfig answers nothing", start: "L", event: ticket,
			states: `"L": {"Type": "Action", "ActionName": "zis:common:action:LoadConfig", "Parameters": {"scope": "s"}, "ResultPath": "$.settings", "Next": "C"},
				"C": {"Type": "Action", "ActionName": "zis:common:action:CreateLink", "Parameters": {"link_type": "t"}, "ResultPath": "$.made", "Next": "P"},
				"P": {"Type": "Action", "ActionName": "zis:common:action:PatchConfig", "Parameters": {"scope": "s", "config": {}}, "ResultPath": "$.patched", "Next": "Q"},
				"Q": {"Type": "Action", "ActionName": "zis:common:action:PatchConfig", "Parameters": {"scope": "s", "config": {}}, "Next": "End"},
				"End": {"Type": "Succeed"}`,
			expects: []expect{
				{"C", "$.settings.config", Sure},
				{"C", "$.settings.config.any_key", Open},
				{"C", "$.settings.vip_tag", Open},
				{"P", "$.made.link", Sure},
				{"P", "$.made.link.uuid", Open},
				{"Q", "$.patched", Sure},
				{"Q", "$.patched.anything", Absent},
				{"End", "$.settings", Open}, // PatchConfig replaced the document with what it does not document
			},
		},
		{
			name: "InputPath narrows what a state reads and what a Pass passes on", start: "A", event: ticket,
			states: `"A": {"Type": "Pass", "InputPath": "$.input.ticket_event", "ResultPath": "$.event", "Next": "B"},
				"B": {"Type": "Pass", "InputPath": "$.event.ticket", "Parameters": {"id.$": "$.id"}, "ResultPath": "$.p", "Next": "C"},
				"C": {"Type": "Succeed"}`,
			expects: []expect{
				{"B", "$.event.ticket.id", Maybe},
				{"B", "$.event.input", Absent},
				{"C", "$.p.id", Sure}, // Parameters write their keys
				{"C", "$.input.ticket_event.ticket.id", Maybe},
			},
		},
		{
			name: "null is tracked; a literal array is opaque; connections may be there", start: "A", event: ticket,
			states: `"A": {"Type": "Pass", "Result": {"gone": null, "list": [{"n": 1}], "empty": []}, "ResultPath": "$.r", "Next": "B"},
				"B": {"Type": "Succeed"}`,
			expects: []expect{
				{"B", "$.r.gone", Sure},
				{"B", "$.r.gone.below", Absent},
				{"B", "$.r.list[0].n", Open},
				{"B", "$.r.empty[0]", Absent},
				{"B", "$.connections.zendesk.access_token", Open},
			},
		},
		{
			name: "a Catch without ResultPath replaces the document with {Error, Cause}", start: "A", event: ticket,
			states: `"A": {"Type": "Action", "ActionName": "zis:acme:action:Get", "ResultPath": "$.got", "Next": "Ok",
					"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
				"Ok": {"Type": "Succeed"},
				"Failed": {"Type": "Fail", "Error": "$.Error", "Cause": "{{$.Cause}}"}`,
			expects: []expect{
				{"Failed", "$.Error", Sure},
				{"Failed", "$.Cause", Sure},
				{"Failed", "$.input", Absent},
				{"Ok", "$.got.x", Open},
			},
		},
		{
			name: "a Map with an InputPath takes ItemsPath from the selected part", start: "M", event: ticket,
			states: `"M": {"Type": "Map", "InputPath": "$.input.ticket_event", "ItemsPath": "$.ticket.tags", "ResultPath": "$.mapped", "End": true,
					"Iterator": {"StartAt": "Each", "States": {"Each": {"Type": "Wait", "Seconds": 1, "Next": "Last"}, "Last": {"Type": "Succeed"}}}}`,
			expects: []expect{
				{"Each", "$.key", Absent}, // a tag is a string
				{"Last", "$", Sure},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, f := analyzed(t, flowBundle(tc.start, tc.states, tc.event))
			for _, e := range tc.expects {
				doc := f.Input(stateNamed(t, b, e.state))
				if doc == nil {
					t.Errorf("state %s has no input", e.state)
					continue
				}
				if got := presence(t, doc, e.path); got != e.want {
					t.Errorf("at %s, %s is %s, want %s", e.state, e.path, presenceNames[got], presenceNames[e.want])
				}
			}
		})
	}
}

// A loop whose document grows on each turn (a Pass copying its input
// below itself) still ends: past the bound the state's input is opaque.
func TestDataFlowGrowingLoopEnds(t *testing.T) {
	b, f := analyzed(t, flowBundle("Copy", `
		"Copy": {"Type": "Pass", "ResultPath": "$.copy", "Next": "Again"},
		"Again": {"Type": "Choice", "Choices": [{"Variable": "$.copy", "IsPresent": true, "Next": "Copy"}], "Default": "Done"},
		"Done": {"Type": "Succeed"}`, "ticket.TicketCreated"))
	doc := f.Input(stateNamed(t, b, "Done"))
	if doc == nil {
		t.Fatal("the state after the loop is not reached")
	}
	if got := presence(t, doc, "$.copy.copy.copy.copy.copy.copy.anything"); got != Open {
		t.Errorf("deep in the grown document: %s, want open", presenceNames[got])
	}
}

func TestDataFlowUnreachableStateHasNoInput(t *testing.T) {
	b, f := analyzed(t, flowBundle("A", `"A": {"Type": "Succeed"}, "Lost": {"Type": "Succeed"}`, "ticket.TicketCreated"))
	if doc := f.Input(stateNamed(t, b, "Lost")); doc != nil {
		t.Errorf("an unreachable state got an input: %+v", doc)
	}
}

// A custom action's definition reads the calling state's Parameters as
// $, one document per call site.
func TestDataFlowActionInputPerCallSite(t *testing.T) {
	b, f := analyzed(t, flowBundle("A", `
		"A": {"Type": "Action", "ActionName": "zis:acme:action:Tag", "Parameters": {"id.$": "$.input.ticket_event.ticket.id"}, "ResultPath": "$.a", "Next": "B"},
		"B": {"Type": "Action", "ActionName": "zis:acme:action:Tag", "Parameters": {"other": "x"}, "ResultPath": "$.b", "Next": "C"},
		"C": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": "."}, "End": true}`, "ticket.TicketCreated"))
	a, bb := f.ActionInput(stateNamed(t, b, "A")), f.ActionInput(stateNamed(t, b, "B"))
	if a == nil || bb == nil {
		t.Fatal("a custom action call has no action input")
	}
	for _, c := range []struct {
		doc  *DocValue
		path string
		want Presence
	}{
		{a, "$.id", Sure}, {a, "$.other", Absent}, {bb, "$.other", Sure}, {bb, "$.id", Absent},
	} {
		if got := presence(t, c.doc, c.path); got != c.want {
			t.Errorf("%s is %s, want %s", c.path, presenceNames[got], presenceNames[c.want])
		}
	}
	if f.ActionInput(stateNamed(t, b, "C")) != nil {
		t.Error("a built-in action got a definition input")
	}
}

// A flow two job specs start on different events knows a path that
// either event carries.
func TestDataFlowJoinsTheEventsOfSeveralJobSpecs(t *testing.T) {
	src := flowBundle("A", `"A": {"Type": "Succeed"}`, "ticket.TicketCreated")
	src = strings.Replace(src, `"Job":`, `"Job2": {"type": "ZIS::JobSpec", "properties": {"name": "Job2",
		"event_source": "support", "event_type": "user.UserCreated", "flow_name": "zis:acme:flow:F"}}, "Job":`, 1)
	b, f := analyzed(t, src)
	doc := f.Input(stateNamed(t, b, "A"))
	if len(f.Events(b.Machines()[0])) != 2 {
		t.Fatalf("events %v, want two", f.Events(b.Machines()[0]))
	}
	for path, want := range map[string]Presence{
		"$.input.ticket_event.ticket.id": Maybe,
		"$.input.user_event":             Maybe,
		"$.input.order_event":            Absent,
	} {
		if got := presence(t, doc, path); got != want {
			t.Errorf("%s is %s, want %s", path, presenceNames[got], presenceNames[want])
		}
	}
}

// Each state type's reads are collected with the kind that decides what a
// finding says will happen.
func TestStateReads(t *testing.T) {
	b, _ := analyzed(t, flowBundle("C", `
		"C": {"Type": "Choice", "Choices": [
			{"Variable": "$.a", "IsPresent": true, "Next": "W"},
			{"Not": {"Variable": "$.b", "StringEqualsPath": "$.c"}, "Next": "W"},
			{"Variable": "$.z", "NumericEquals": 1, "Next": "W"}], "Default": "W"},
		"W": {"Type": "Wait", "SecondsPath": "$.d", "Next": "M"},
		"M": {"Type": "Map", "ItemsPath": "$.e", "Next": "A", "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}},
		"A": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": ".", "data": {"x.$": "$.f", "y.$": "id {{$.g}} and {{ $.h }}", "z": "{{$.not_filled}}"}}, "Next": "P"},
		"P": {"Type": "Pass", "Parameters": {"list": [{"v.$": "$.i"}]}, "Next": "S"},
		"S": {"Type": "Succeed", "Message": "done {{$.j}}"},
		"F": {"Type": "Fail", "Error": "$.k", "Cause": "because {{$.l}}"}`, ""))
	want := map[string][]string{
		"C": {"$.a presence", "$.b test", "$.c test", "$.z choice"},
		"W": {"$.d path"},
		"M": {"$.e path"},
		"A": {"$.f path", "$.g template", "$.h template"},
		"P": {"$.i path"},
		"S": {"$.j template"},
		"F": {"$.k path", "$.l template"},
	}
	kinds := map[readKind]string{readChoice: "choice", readTest: "test", readPresence: "presence", readPath: "path", readTemplate: "template"}
	for name, paths := range want {
		var got []string
		for _, rd := range stateReads(stateNamed(t, b, name), nil) {
			got = append(got, rd.raw()+" "+kinds[rd.kind()])
			// The read's text is cut from its string by at and n: it
			// must be a path, the one its steps are parsed from.
			if p, err := bundle.ParsePath(rd.raw()); err != nil || bundle.PathText(p.Segments) != bundle.PathText(rd.parse(nil).segs) {
				raw, _ := rd.node.Str()
				t.Errorf("%s: read %q does not start at %d of %q", name, rd.raw(), rd.start(), raw)
			}
		}
		if strings.Join(got, ", ") != strings.Join(paths, ", ") {
			t.Errorf("reads of %s: %v, want %v", name, got, paths)
		}
	}
}

// An action definition's reads are its ".$" values and the placeholders
// of every string, with or without the suffix.
func TestDefinitionReads(t *testing.T) {
	def := bundle.Parse("a.json", []byte(`{"url": "https://x.example/{{$.a}}", "headers": [{"key": "K", "value.$": "$.b"}],
		"requestBody": {"list": ["{{$.c}}", "plain"], "d.$": "n={{$.d}}"}}`)).Root
	var got []string
	for _, rd := range definitionReads(def) {
		got = append(got, rd.raw())
		if rd.raw() == "$.b" && rd.kind() != readCallPath {
			t.Errorf("a bare path in a definition is kind %d, want readCallPath", rd.kind())
		}
	}
	if strings.Join(got, " ") != "$.a $.b $.c $.d" {
		t.Errorf("definition reads %v, want $.a $.b $.c $.d", got)
	}
}

// actionLookup, which resolves only the member a path steps into, finds
// what a lookup in the whole of ActionInput finds.
func TestActionLookupAgreesWithActionInput(t *testing.T) {
	b, f := analyzed(t, flowBundle("A", `
		"A": {"Type": "Action", "ActionName": "zis:acme:action:Tag", "Parameters": {"id.$": "$.input.ticket_event.ticket.id", "id": 1,
			"t.$": "$.input.ticket_event.ticket", "lit": {"a": {"b": null}}, "list": [1], "s.$": "x {{$.input}}", "bad.$": "$[", "lit.$": "$.nothing"}, "Next": "B"},
		"B": {"Type": "Action", "ActionName": "zis:acme:action:Tag", "Parameters": [1], "Next": "C"},
		"C": {"Type": "Action", "ActionName": "zis:acme:action:Tag", "Next": "D"},
		"D": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": "."}, "End": true}`, "ticket.TicketCreated"))
	paths := []string{"$", "$[0]", "$.id", "$.id.x", "$.t.id", "$.t.nope", "$.t.nope.deeper", "$.lit.a.b", "$.lit.a.c", "$.lit.x",
		"$.list[0]", "$.s", "$.s.x", "$.bad.x", "$.missing", "$.missing.x"}
	for _, name := range []string{"A", "B", "C", "D"} {
		s := stateNamed(t, b, name)
		doc := f.ActionInput(s)
		for _, path := range paths {
			p, err := bundle.ParsePath(path)
			if err != nil {
				t.Fatal(err)
			}
			presence, found, ok := f.actionLookup(s, p.Segments)
			if ok != (doc != nil) {
				t.Fatalf("%s: actionLookup ok %v, ActionInput %v", name, ok, doc)
			}
			if !ok {
				continue
			}
			if wantP, wantFound := doc.Lookup(p.Segments); presence != wantP || found != wantFound {
				t.Errorf("%s %s: actionLookup %s at %d, ActionInput's lookup %s at %d", name, path, presenceNames[presence], found, presenceNames[wantP], wantFound)
			}
		}
	}
}

// Flows.stateReads, gathered for a whole machine at once (counted first
// for a large one), lists each state's reads as stateReads does.
func TestFlowsStateReadsMatchStateReads(t *testing.T) {
	for _, n := range []int{30, maxPooledReads} {
		src := longFlow(n)
		// Templates too, some with several placeholders and one that
		// does not parse.
		src = strings.Replace(src, `"Type": "Succeed"`, `"Type": "Succeed", "Message": "{{$.a}} and {{ $.b[0] }} {{$.c"`, 1)
		src = strings.Replace(src, `{"id.$": "$.input.ticket_event.ticket.id"}`, `{"id.$": "$.input.ticket_event.ticket.id", "t.$": "x {{$.r1}} {{$.r2.y}}"}`, 3)
		b, f := analyzed(t, src)
		total := 0
		for s := range b.States() {
			got, want := f.stateReads(s), stateReads(s, nil)
			total += len(got)
			if len(got) != len(want) {
				t.Fatalf("%d states, %s: %d reads, want %d", n, s.Name, len(got), len(want))
			}
			for i := range want {
				g, w := got[i], want[i]
				if g != w || g.raw() != w.raw() {
					t.Errorf("%d states, %s read %d: %+v, want %+v", n, s.Name, i, g, w)
				}
			}
		}
		if total < n/2 {
			t.Errorf("%d states: only %d reads", n, total)
		}
	}
}

// A read is 16 bytes, a large flow keeping one or two per state, and
// tells its kind and its text whichever way it was made.
func TestPathReadIs16Bytes(t *testing.T) {
	if size := unsafe.Sizeof(pathRead{}); size != 16 {
		t.Errorf("a pathRead is %d bytes, want 16", size)
	}
	b := bundle.Parse("a.json", []byte(`{"p": "$.a.b", "t": "x {{ $.c }} y"}`))
	p, tmpl := b.Root.Get("p"), b.Root.Get("t")
	for _, kind := range []readKind{readChoice, readTest, readPresence, readPath, readCallPath} {
		if rd := wholeRead(p, kind); rd.kind() != kind || rd.raw() != "$.a.b" || rd.start() != 0 {
			t.Errorf("wholeRead of kind %d: kind %d, %q at %d", kind, rd.kind(), rd.raw(), rd.start())
		}
	}
	if rd := placeholderRead(tmpl, 5, 3); rd.kind() != readTemplate || rd.raw() != "$.c" || rd.start() != 5 {
		t.Errorf("placeholderRead: kind %d, %q at %d", rd.kind(), rd.raw(), rd.start())
	}
}
