package bundle

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePath(t *testing.T) {
	tests := []struct {
		in   string
		want []Segment
	}{
		{"$", nil},
		{"$.input.ticket_event", []Segment{{Name: "input", Offset: 1}, {Name: "ticket_event", Offset: 7}}},
		{"$.a[0]['b c'][\"d\"]", []Segment{{Name: "a", Offset: 1}, {Index: 0, IsIndex: true, Offset: 3}, {Name: "b c", Offset: 6}, {Name: "d", Offset: 13}}},
		{"$.__httpresponse", []Segment{{Name: "__httpresponse", Offset: 1}}},
		{"$.user-profile.id", []Segment{{Name: "user-profile", Offset: 1}, {Name: "id", Offset: 14}}},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.in)
		if err != nil {
			t.Errorf("ParsePath(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, p.Segments); diff != "" {
			t.Errorf("ParsePath(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParsePathErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"input.x", 0, `path "input.x" must start with $ (the state's input), e.g. $.input.ticket_event`},
		{"$.a..b", 3, `recursive descent (..) is not supported in ZIS paths; name each step`},
		{"$.", 1, `path step after '.' is empty; write .name`},
		{"$.a.", 3, `path step after '.' is empty; write .name`},
		{"$.items[*].id", 8, `wildcards ([*]) are not supported in ZIS paths; iterate with a Map state or transform with Jq`},
		{"$.*", 2, `wildcards (*) are not supported in ZIS paths; transform the data with a zis:common:transform:Jq action instead`},
		{"$.f[?(@.id==1)]", 4, `filter expressions are not supported in ZIS paths; select the item with a zis:common:transform:Jq action`},
		{"$.a[1", 3, `'[' is never closed; add ']'`},
		{"$.a[-1]", 4, `[-1] is not a step; use [0], [1], ... for array items or ['name'] for members`},
		{"$a", 1, `unexpected 'a' in path; steps are .name, ['name'] or [index]`},
		{"$.a b", 3, `unexpected ' ' in path; steps are .name, ['name'] or [index]`},
	}
	for _, tt := range tests {
		_, err := ParsePath(tt.in)
		if err == nil {
			t.Errorf("ParsePath(%q) succeeded", tt.in)
			continue
		}
		if err.Offset != tt.offset || err.Msg != tt.msg {
			t.Errorf("ParsePath(%q) = %d %q, want %d %q", tt.in, err.Offset, err.Msg, tt.offset, tt.msg)
		}
		if cerr := CheckPath(tt.in); cerr == nil || *cerr != *err {
			t.Errorf("CheckPath(%q) = %v, want %d %q", tt.in, cerr, tt.offset, tt.msg)
		}
	}
}

func TestParseTemplate(t *testing.T) {
	tm, err := ParseTemplate("Refund for order {{ $.order.id }}: ${{$.amount}}")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range tm.Parts {
		if p.Path != nil {
			got = append(got, "path:"+p.Path.Raw)
		} else {
			got = append(got, "text:"+p.Literal)
		}
	}
	want := []string{"text:Refund for order ", "path:$.order.id", "text:: $", "path:$.amount"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	if !tm.HasPlaceholders() {
		t.Error("HasPlaceholders = false")
	}
	plain, _ := ParseTemplate("/api/v2/tickets.json")
	if plain.HasPlaceholders() || len(plain.Parts) != 1 {
		t.Errorf("plain text parsed as %+v", plain)
	}
}

func TestParseTemplateErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"Ticket {{$.id", 7, `placeholder '{{' is never closed; add '}}'`},
		{"x {{ }} y", 2, `placeholder {{}} is empty; write {{$.path}}`},
		{"{{ticket_id}}", 2, `in placeholder {{ticket_id}}: path "ticket_id" must start with $ (the state's input), e.g. $.input.ticket_event`},
		{"{{ $.a..b }}", 6, `in placeholder {{ $.a..b }}: recursive descent (..) is not supported in ZIS paths; name each step`},
	}
	for _, tt := range tests {
		_, err := ParseTemplate(tt.in)
		if err == nil {
			t.Errorf("ParseTemplate(%q) succeeded", tt.in)
			continue
		}
		if cerr := CheckTemplate(tt.in); cerr == nil || *cerr != *err {
			t.Errorf("CheckTemplate(%q) = %v, want %v", tt.in, cerr, err)
		}
		if err.Offset != tt.offset || err.Msg != tt.msg {
			t.Errorf("ParseTemplate(%q) = %d %q, want %d %q", tt.in, err.Offset, err.Msg, tt.offset, tt.msg)
		}
	}
}

func TestIsPathValue(t *testing.T) {
	for in, want := range map[string]bool{"$.a": true, "$": true, "Hi {{$.a}}": false, "${{$.amount}}": false, "/api": false} {
		if got := IsPathValue(in); got != want {
			t.Errorf("IsPathValue(%q) = %v", in, got)
		}
	}
}

// FuzzExpressions checks the path and template parsers on arbitrary text:
// no panic, offsets inside the input, a parsed path that prints back
// the steps it read, and CheckPath and CheckTemplate failing as ParsePath
// and ParseTemplate do.
func FuzzExpressions(f *testing.F) {
	for _, s := range []string{"$", "$.a[0]['b c']", "x {{ $.a }} y", "{{", "$..a", "$.a[?(@)]", "${{$.x}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if cerr := CheckPath(s); (cerr == nil) != (err == nil) || cerr != nil && *cerr != *err {
			t.Fatalf("CheckPath(%q) = %v, ParsePath's error %v", s, cerr, err)
		}
		if err != nil {
			if err.Offset < 0 || err.Offset > len(s) {
				t.Fatalf("ParsePath(%q) offset %d", s, err.Offset)
			}
		} else {
			for _, seg := range p.Segments {
				if seg.Offset < 0 || int(seg.Offset) >= len(s) {
					t.Fatalf("ParsePath(%q) segment offset %d", s, seg.Offset)
				}
			}
		}
		tm, err := ParseTemplate(s)
		if cerr := CheckTemplate(s); (cerr == nil) != (err == nil) || cerr != nil && *cerr != *err {
			t.Fatalf("CheckTemplate(%q) = %v, ParseTemplate's error %v", s, cerr, err)
		}
		if err != nil {
			if err.Offset < 0 || err.Offset > len(s) {
				t.Fatalf("ParseTemplate(%q) offset %d", s, err.Offset)
			}
			return
		}
		var lit int
		for _, part := range tm.Parts {
			lit += len(part.Literal)
		}
		if lit > len(s) {
			t.Fatalf("ParseTemplate(%q) made up text", s)
		}
	})
}

func TestInferKey(t *testing.T) {
	const flow = `"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "A", "States": {
	  "A": {"Type": "Action", "ActionName": "zis:%s:action:X", "Next": "B"},
	  "B": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "End": true}}}}}`
	tests := []struct {
		src       string
		key       string
		fromField bool
	}{
		{`{"resources": {` + fmt.Sprintf(flow, "acme") + `, "J": {"type": "ZIS::JobSpec", "properties": {"flow_name": "zis:other:flow:F"}}}}`, "acme", false},
		{`{"integration": "shown", "resources": {` + fmt.Sprintf(flow, "acme") + `}}`, "shown", true},
		{`{"resources": {` + fmt.Sprintf(flow, "%BAD%") + `}}`, "", false},
	}
	for _, tt := range tests {
		b := Parse("b.json", []byte(tt.src))
		if key, fromField := b.InferKey(); key != tt.key || fromField != tt.fromField {
			t.Errorf("InferKey = %q, %v; want %q, %v (%s)", key, fromField, tt.key, tt.fromField, tt.src)
		}
	}
	refs := Parse("b.json", []byte(tests[0].src)).References()
	if len(refs) != 3 || refs[0].Field() != "ActionName" || refs[2].Field() != "flow_name" {
		t.Errorf("References = %+v", refs)
	}
}

func TestCheckPathAllocatesNothingForAPath(t *testing.T) {
	for _, s := range []string{"$", "$.input.ticket_event.ticket.id", "$.a[0]['b c'][\"d\"]"} {
		if err := CheckPath(s); err != nil {
			t.Errorf("CheckPath(%q) = %v", s, err)
		}
		if n := testing.AllocsPerRun(10, func() { CheckPath(s) }); n != 0 {
			t.Errorf("CheckPath(%q) allocates %v times, want 0", s, n)
		}
	}
}

func TestSegmentsAndPathText(t *testing.T) {
	for _, c := range []struct{ path, below, whole string }{
		{"$", "", "$"},
		{"$.input.ticket_event.tags[0]", "input.ticket_event.tags[0]", "$.input.ticket_event.tags[0]"},
		{"$[2].a", "[2].a", "$[2].a"},
		{"$['b.c'].d", "b.c.d", "$.b.c.d"},
	} {
		p, err := ParsePath(c.path)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if got := SegmentsText(p.Segments); got != c.below {
			t.Errorf("SegmentsText(%s) = %q, want %q", c.path, got, c.below)
		}
		if got := PathText(p.Segments); got != c.whole {
			t.Errorf("PathText(%s) = %q, want %q", c.path, got, c.whole)
		}
	}
}

func TestTemplateSpans(t *testing.T) {
	for _, c := range []struct {
		in, replaced string
		has          bool
	}{
		{"plain", "plain", false},
		{"/tickets/{{$.id}}.json", "/tickets/_.json", true},
		{"{{a}} and {{ $.b }}", "_ and _", true},
		{"{{a{b}}", "{{a{b}}", false},
		{"{{unclosed", "{{unclosed", false},
	} {
		if got := ReplaceTemplateSpans(c.in, "_"); got != c.replaced {
			t.Errorf("ReplaceTemplateSpans(%q) = %q, want %q", c.in, got, c.replaced)
		}
		if got := HasTemplateSpan(c.in); got != c.has {
			t.Errorf("HasTemplateSpan(%q) = %v, want %v", c.in, got, c.has)
		}
	}
}

// Checking a template, and walking its paths through a cache, allocate
// nothing: the template rule and the read collector do both for every
// string of every bundle.
func TestTemplateChecksDoNotAllocate(t *testing.T) {
	s := "Ticket {{$.ticket.id}} by {{ $.user['name'] }} ok"
	parse := func(string) (Path, *ExprError) { return Path{}, nil }
	if n := testing.AllocsPerRun(10, func() { CheckTemplate(s) }); n != 0 {
		t.Errorf("CheckTemplate allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(10, func() { TemplatePaths(s, parse, func(Path, int) {}) }); n != 0 {
		t.Errorf("TemplatePaths allocates %v times, want 0", n)
	}
}
