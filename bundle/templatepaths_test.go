package bundle

import (
	"reflect"
	"strings"
	"testing"
)

// TemplatePaths finds the placeholder paths ParseTemplate finds, at the
// same places, and none when the template does not parse.
func TestTemplatePathsAgreesWithParseTemplate(t *testing.T) {
	for _, s := range []string{
		"", "plain", "{{$.a}}", "x {{ $.a.b }} y {{$['c d'][0]}}", "{{$.a}}{{$.b}}", "{{ $.a", "{{}}", "{{ }} {{$.a}}",
		"{{$.a}} {{a}}", "{{$..a}}", "{{$.a}} }} {{$.b}}", "{{{$.a}}}", "/api/v2/tickets/{{$.ticket_id}}.json", "{{$}}", "{{$.a}}{{",
	} {
		type found struct {
			raw  string
			segs []Segment
			at   int
		}
		var want []found
		tmpl, err := ParseTemplate(s)
		if err == nil {
			for _, part := range tmpl.Parts {
				if part.Path != nil {
					at := part.Offset + strings.Index(s[part.Offset:], part.Path.Raw)
					want = append(want, found{part.Path.Raw, part.Path.Segments, at})
				}
			}
		}
		var got []found
		ok := TemplatePaths(s, ParsePath, func(p Path, at int) { got = append(got, found{p.Raw, p.Segments, at}) })
		if ok != (err == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: TemplatePaths %v %v, ParseTemplate %v %v", s, ok, got, err, want)
		}
	}
}
