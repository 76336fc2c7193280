package simulate

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/zislint/zislint/bundle"
)

// sharingProgram touches every place where a run shares values instead
// of copying them: literals, ResultPath writes below values taken from
// the event, a response and a literal, a request body whose source is
// written after the call, the config and link stores, jq with and
// without deletions, and a Map whose iterator writes into its items.
func sharingProgram(t testing.TB) *Program {
	t.Helper()
	src := `{"zis_template_version": "2019-10-14", "name": "t", "resources": {
	  "Call": {"type": "ZIS::Action::Http", "properties": {"name": "Call", "definition": {"method": "POST", "url": "https://x.example/y",
	    "requestBody": {"order.$": "$.order", "fixed": {"k": "v"}}}}},
	  "F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "Lit", "States": {
	    "Lit": {"Type": "Pass", "Result": {"nested": {"n": 1}}, "ResultPath": "$.lit", "Next": "IntoLit"},
	    "IntoLit": {"Type": "Pass", "Result": 2, "ResultPath": "$.lit.nested.m", "Next": "Send"},
	    "Send": {"Type": "Action", "ActionName": "zis:t:action:Call", "Parameters": {"order.$": "$.input.order"},
	      "ResultPath": "$.reply", "Next": "IntoEvent"},
	    "IntoEvent": {"Type": "Pass", "Result": "changed", "ResultPath": "$.input.order.note", "Next": "IntoReply"},
	    "IntoReply": {"Type": "Pass", "Result": "changed", "ResultPath": "$.reply.body.note", "Next": "Load"},
	    "Load": {"Type": "Action", "ActionName": "zis:common:action:LoadConfig", "Parameters": {"scope": "settings"},
	      "ResultPath": "$.loaded", "Next": "Patch"},
	    "Patch": {"Type": "Action", "ActionName": "zis:common:action:PatchConfig",
	      "Parameters": {"scope": "settings", "config": {"enabled": false}}, "ResultPath": null, "Next": "Link"},
	    "Link": {"Type": "Action", "ActionName": "zis:common:action:CreateLink", "Parameters": {
	      "link_type": "l", "left_object": {"name.$": "$.input.order.id"}, "right_object": {"name": "r"}}, "ResultPath": "$.link", "Next": "Links"},
	    "Links": {"Type": "Action", "ActionName": "zis:common:action:LoadLinks", "Parameters": {"link_type": "l"},
	      "ResultPath": "$.links", "Next": "Delete"},
	    "Delete": {"Type": "Action", "ActionName": "zis:common:transform:Jq",
	      "Parameters": {"expr": "del(.order.id) | .order.items |= map(select(.sku != \"A\"))", "data.$": "$.input"},
	      "ResultPath": "$.deleted", "Next": "Same"},
	    "Same": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": ".", "data.$": "$.input"},
	      "ResultPath": "$.same", "Next": "Items"},
	    "Items": {"Type": "Map", "ItemsPath": "$.input.order.items", "ResultPath": "$.mapped", "End": true,
	      "Iterator": {"StartAt": "Mark", "States": {
	        "Mark": {"Type": "Pass", "Result": true, "ResultPath": "$.seen", "End": true}}}}}}}}}}`
	p, err := Compile(bundle.Parse("t.json", []byte(src)), Options{IntegrationKey: "t"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func sharingFixture() *Fixture {
	links := make([]any, 1, 4) // spare room, which a new link must not take
	links[0] = map[string]any{"link_type": "l", "left_object": map[string]any{"name": "old"}}
	return &Fixture{Path: "t.yaml", Flow: "F", Account: Account{Subdomain: "acme", AccountID: float64(7)},
		Event: map[string]any{"order": map[string]any{"id": "o-1",
			"items": []any{map[string]any{"sku": "A"}, map[string]any{"sku": "B"}}}},
		Config:    map[string]any{"settings": map[string]any{"enabled": true}},
		Links:     links,
		Responses: map[string][]Response{"Call": {{Status: 200, Body: map[string]any{"body": map[string]any{"ok": true}}}}}}
}

func jsonOf(t testing.TB, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRunsShareWithoutWriting: a run leaves its fixture and program as
// they were, and a later run, or a later state of the same run, never
// changes what an earlier one recorded.
func TestRunsShareWithoutWriting(t *testing.T) {
	p, f := sharingProgram(t), sharingFixture()
	fixtureBefore := jsonOf(t, f)
	first, err := p.Run(f)
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != StatusSucceeded {
		t.Fatalf("run failed: %+v", first.Error)
	}
	firstJSON := jsonOf(t, first)
	second, err := p.Run(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, f); got != fixtureBefore {
		t.Errorf("the runs wrote into the fixture:\nbefore %s\nafter  %s", fixtureBefore, got)
	}
	if got := jsonOf(t, f.Links[:cap(f.Links)][1:]); got != "[null,null,null]" {
		t.Errorf("CreateLink wrote into the fixture's spare room: %s", got)
	}
	if got := jsonOf(t, first); got != firstJSON {
		t.Errorf("the second run changed the first's result:\nbefore %s\nafter  %s", firstJSON, got)
	}
	if got := jsonOf(t, second); got != firstJSON {
		t.Errorf("two runs of one fixture differ:\nfirst  %s\nsecond %s", firstJSON, got)
	}
	out := first.Output.(map[string]any)
	checks := []struct{ what, got, want string }{
		{"the request body", jsonOf(t, first.Requests[0].Body), `{"fixed":{"k":"v"},"order":{"id":"o-1","items":[{"sku":"A"},{"sku":"B"}]}}`},
		{"the literal written into", jsonOf(t, out["lit"]), `{"nested":{"m":2,"n":1}}`},
		{"the reply written into", jsonOf(t, out["reply"]), `{"body":{"note":"changed","ok":true}}`},
		{"the config loaded before the patch", jsonOf(t, out["loaded"]), `{"config":{"enabled":true}}`},
		{"the jq deletion", jsonOf(t, out["deleted"]), `{"order":{"items":[{"sku":"B"}],"note":"changed"}}`},
		{"the jq identity", jsonOf(t, out["same"]), `{"order":{"id":"o-1","items":[{"sku":"A"},{"sku":"B"}],"note":"changed"}}`},
		{"the Map's results", jsonOf(t, out["mapped"]), `[{"seen":true,"sku":"A"},{"seen":true,"sku":"B"}]`},
		{"the links", jsonOf(t, out["links"]), `{"links":[{"left_object":{"name":"old"},"link_type":"l"},{"account_id":7,"integration":"t","left_object":{"name":"o-1"},"link_type":"l","right_object":{"name":"r"},"uuid":"00000000-0000-4000-8000-000000000001"}]}`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.what, c.got, c.want)
		}
	}
}

// TestRunsAtTheSameTime runs one fixture and one program on several
// goroutines at once, as a caller exploring many runs may: with nothing
// written, they agree, and go test -race finds no race.
func TestRunsAtTheSameTime(t *testing.T) {
	p, f := sharingProgram(t), sharingFixture()
	want, err := p.Run(f)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := jsonOf(t, want)
	var wg sync.WaitGroup
	got := make([]string, 8)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				res, err := p.Run(f)
				if err != nil {
					got[g] = err.Error()
					return
				}
				if data, _ := json.Marshal(res); string(data) != wantJSON {
					got[g] = string(data)
					return
				}
			}
			got[g] = wantJSON
		}()
	}
	wg.Wait()
	for g, s := range got {
		if s != wantJSON {
			t.Errorf("goroutine %d got %s, want %s", g, s, wantJSON)
		}
	}
}

// TestAssignCopiesThePath: a write copies the objects on its path and
// shares the rest; a write that fails leaves the document as it was.
func TestAssignCopiesThePath(t *testing.T) {
	other := map[string]any{"x": 1.0}
	doc := map[string]any{"a": map[string]any{"b": 1.0}, "other": other}
	before := jsonOf(t, doc)
	out, err := assign(doc, mustPath(t, "$.a.c"), 2.0)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, out); got != `{"a":{"b":1,"c":2},"other":{"x":1}}` {
		t.Errorf("assign gave %s", got)
	}
	if got := jsonOf(t, doc); got != before {
		t.Errorf("assign wrote into its document: %s", got)
	}
	if _, err := assign(doc, mustPath(t, "$.a.b[0]"), 2.0); err == nil || !strings.Contains(err.Error(), "writes into an array") {
		t.Errorf("error = %v", err)
	}
	if got := jsonOf(t, doc); got != before {
		t.Errorf("a failed assign wrote into its document: %s", got)
	}
	if out.(map[string]any)["other"].(map[string]any)["x"] = 3.0; other["x"] != 3.0 {
		t.Error("assign copied a part off its path")
	}
}

func mustPath(t *testing.T, s string) bundle.Path {
	t.Helper()
	p, err := bundle.ParsePath(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestJqProgramsThatMayWriteTheirInput: the programs gojq may write into
// the input of are told apart, so that only they pay for a copy.
func TestJqProgramsThatMayWriteTheirInput(t *testing.T) {
	for expr, want := range map[string]bool{
		`.`: false, `.a = 1`: false, `setpath(["a"]; 1)`: false, `[.[] | select(. > 1)]`: false, `sort_by(.a)`: false,
		`del(.a)`: true, `delpaths([["a"]])`: true, `.a |= empty`: true, `.a += 1`: true, `.a *= 2`: true,
		`map_values(empty)`: true, `walk(numbers)`: true, `def f: del(.a); f`: true, `[.[] | del(.x)]`: true,
	} {
		p, err := compileJq(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if p.writesInput != want {
			t.Errorf("%s: writesInput = %v, want %v", expr, p.writesInput, want)
		}
	}
}

// TestJqParametersAsAnyState: a Jq action's Parameters, which the run
// reads without building them, fail and resolve as any state's do.
func TestJqParametersAsAnyState(t *testing.T) {
	tests := []struct{ params, want string }{
		{`"expr": ".", "data.$": "$.input"`, `succeeded {"a":1,"program":". + 1"}`},
		{`"expr": ".", "data.$": "$.nope"`, `failed zislint.Runtime: path $.nope is not in the input`},
		{`"expr": ".", "data.$": "$.input", "other.$": "$.nope"`, `failed zislint.Runtime: path $.nope is not in the input`},
		{`"expr": ".", "data": 1, "data.$": "$.input.a"`, `succeeded 1`},
		{`"expr.$": "$.input.program", "data.$": "$.input.a"`, `succeeded 2`},
		{`"expr.$": "$.input.a", "data.$": "$.input"`, `failed zislint.Runtime: the Jq action needs an expr string`},
	}
	for _, tt := range tests {
		p := flowBundle(t, `"S": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {`+tt.params+`}, "End": true}`)
		res, err := p.Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{"a": 1.0, "program": ". + 1"}})
		if err != nil {
			t.Fatal(err)
		}
		got := res.Status + " " + jsonOf(t, res.Output)
		if res.Error != nil {
			got = res.Status + " " + res.Error.Error + ": " + res.Error.Cause
		}
		if got != tt.want {
			t.Errorf("{%s}: %s, want %s", tt.params, got, tt.want)
		}
	}
}
