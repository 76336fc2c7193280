package bundle

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zislint/zislint/internal/lazyre"
)

// Path is a parsed ZIS path: the JSONPath subset of $, .name, ['name']
// and [index]. The linter reports its parse errors; the simulator
// evaluates it.
type Path struct {
	Raw      string
	Segments []Segment
}

// Segment is one step of a Path: a member name or an array index. It is
// 32 bytes: path caches keep one for each step of each distinct path.
type Segment struct {
	Name    string
	Index   int
	Offset  int32 // byte offset of the step in Raw
	IsIndex bool
}

// SegmentsText writes segments as a path below its root, the way ZIS
// spells them: ticket.tags[0] (no "$", no leading dot).
func SegmentsText(segs []Segment) string {
	var b strings.Builder
	for i, seg := range segs {
		switch {
		case seg.IsIndex:
			b.WriteString("[" + strconv.Itoa(seg.Index) + "]")
		case i > 0:
			b.WriteString("." + seg.Name)
		default:
			b.WriteString(seg.Name)
		}
	}
	return b.String()
}

// PathText writes segments as a whole path from $: $.ticket.tags[0].
func PathText(segs []Segment) string {
	if len(segs) == 0 || segs[0].IsIndex {
		return "$" + SegmentsText(segs)
	}
	return "$." + SegmentsText(segs)
}

// templateSpan is one {{…}} of a template, whatever it holds.
var templateSpan = lazyre.New(`\{\{[^{}]*\}\}`)

// HasTemplateSpan reports whether s holds a {{…}} span.
func HasTemplateSpan(s string) bool {
	return strings.Contains(s, "{{") && templateSpan().MatchString(s)
}

// ReplaceTemplateSpans replaces every {{…}} span of s with with, so that
// what is left can be read as the literal text around the placeholders.
func ReplaceTemplateSpans(s, with string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return templateSpan().ReplaceAllString(s, with)
}

// ExprError is a problem at a byte offset inside an expression string.
type ExprError struct {
	Offset int
	Msg    string
}

func (e *ExprError) Error() string { return e.Msg }

// ParsePath parses s as a ZIS path.
func ParsePath(s string) (Path, *ExprError) { return parsePath(s, true) }

// ParsePathInto is ParsePath appending the segments to buf, which the
// result's Segments then share: a caller that keeps nothing of the
// path parses it into an array of its own, with no allocation for a
// path of no more steps than buf has room for.
func ParsePathInto(s string, buf []Segment) (Path, *ExprError) { return parsePathInto(s, true, buf) }

// CheckPath reports the error ParsePath would for s, or nil. It builds no
// Segments, so checking every path of a bundle allocates nothing for the
// ones that parse.
func CheckPath(s string) *ExprError {
	_, err := parsePath(s, false)
	return err
}

// parsePath parses s, keeping its segments when keep is set.
func parsePath(s string, keep bool) (Path, *ExprError) {
	var segs []Segment
	// Every step starts with '.' or '[': sizing Segments for them all
	// makes one allocation instead of a growing slice's several.
	if steps := strings.Count(s, ".") + strings.Count(s, "["); keep && steps > 0 && strings.HasPrefix(s, "$") {
		segs = make([]Segment, 0, steps)
	}
	return parsePathInto(s, keep, segs)
}

// parsePathInto is parsePath appending the segments to segs, which
// Segments then is.
func parsePathInto(s string, keep bool, segs []Segment) (Path, *ExprError) {
	p := Path{Raw: s}
	if !strings.HasPrefix(s, "$") {
		return p, &ExprError{0, fmt.Sprintf("path %q must start with $ (the state's input), e.g. $.input.ticket_event", s)}
	}
	for i := 1; i < len(s); {
		var seg Segment
		var err *ExprError
		switch s[i] {
		case '.':
			seg, i, err = parseDotted(s, i)
		case '[':
			seg, i, err = parseBracket(s, i)
		default:
			err = &ExprError{i, fmt.Sprintf("unexpected %q in path; steps are .name, ['name'] or [index]", s[i])}
		}
		if err != nil {
			p.Segments = segs
			return p, err
		}
		if keep {
			segs = append(segs, seg)
		}
	}
	p.Segments = segs
	return p, nil
}

// nameStop are the bytes that end a dotted name.
const nameStop = ".[]'\" \t\n{}"

func parseDotted(s string, i int) (Segment, int, *ExprError) {
	start := i + 1
	if strings.HasPrefix(s[i:], "..") {
		return Segment{}, 0, &ExprError{i, "recursive descent (..) is not supported in ZIS paths; name each step"}
	}
	end := start
	for end < len(s) && !strings.ContainsRune(nameStop, rune(s[end])) {
		end++
	}
	name := s[start:end]
	switch {
	case name == "":
		return Segment{}, 0, &ExprError{i, "path step after '.' is empty; write .name"}
	case name == "*":
		return Segment{}, 0, &ExprError{start, "wildcards (*) are not supported in ZIS paths; transform the data with a zis:common:transform:Jq action instead"}
	}
	return Segment{Name: name, Offset: int32(i)}, end, nil
}

func parseBracket(s string, i int) (Segment, int, *ExprError) {
	closeAt := strings.IndexByte(s[i:], ']')
	if closeAt < 0 {
		return Segment{}, 0, &ExprError{i, "'[' is never closed; add ']'"}
	}
	inner := s[i+1 : i+closeAt]
	next := i + closeAt + 1
	switch {
	case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
		return Segment{Name: inner[1 : len(inner)-1], Offset: int32(i)}, next, nil
	case inner == "*":
		return Segment{}, 0, &ExprError{i + 1, "wildcards ([*]) are not supported in ZIS paths; iterate with a Map state or transform with Jq"}
	case strings.HasPrefix(inner, "?"):
		return Segment{}, 0, &ExprError{i + 1, "filter expressions are not supported in ZIS paths; select the item with a zis:common:transform:Jq action"}
	}
	n, err := strconv.Atoi(inner)
	if err != nil || n < 0 || strings.HasPrefix(inner, "+") {
		return Segment{}, 0, &ExprError{i + 1, fmt.Sprintf("[%s] is not a step; use [0], [1], ... for array items or ['name'] for members", inner)}
	}
	return Segment{Index: n, IsIndex: true, Offset: int32(i)}, next, nil
}

// Template is a string with {{$.path}} placeholders.
type Template struct {
	Raw   string
	Parts []TemplatePart
}

// TemplatePart is literal text, or a placeholder's path when Path is set.
type TemplatePart struct {
	Literal string
	Path    *Path
	Offset  int // byte offset of the part in Raw
}

// HasPlaceholders reports whether the template interpolates anything.
func (t Template) HasPlaceholders() bool {
	for _, p := range t.Parts {
		if p.Path != nil {
			return true
		}
	}
	return false
}

// ParseTemplate splits s into literal text and {{ path }} placeholders.
func ParseTemplate(s string) (Template, *ExprError) { return parseTemplate(s, true) }

// CheckTemplate reports the error ParseTemplate would, without keeping
// the parts: the template rule only asks whether a template is valid.
func CheckTemplate(s string) *ExprError {
	_, err := parseTemplate(s, false)
	return err
}

// parseTemplate parses s, keeping its parts when keep is set.
func parseTemplate(s string, keep bool) (Template, *ExprError) {
	t := Template{Raw: s}
	last := 0 // where the text after the last placeholder starts
	err := placeholders(s, func(open, end int, inner, trimmed string) *ExprError {
		if open > last && keep {
			t.Parts = append(t.Parts, TemplatePart{Literal: s[last:open], Offset: last})
		}
		p, err := parsePath(trimmed, keep)
		if err != nil {
			innerAt := open + 2 + strings.Index(inner, trimmed)
			return &ExprError{innerAt + err.Offset, "in placeholder {{" + inner + "}}: " + err.Msg}
		}
		if keep {
			kept := p // its own variable, so that checking allocates none
			t.Parts = append(t.Parts, TemplatePart{Path: &kept, Offset: open})
		}
		last = end
		return nil
	})
	if err != nil {
		return t, err
	}
	if last < len(s) && keep {
		t.Parts = append(t.Parts, TemplatePart{Literal: s[last:], Offset: last})
	}
	return t, nil
}

// placeholders calls each with every {{ … }} of s in order: the offsets
// of its "{{" and just past its "}}", the text between the braces and
// that text trimmed. It stops at a placeholder that is never closed or
// is empty, with its error, or at the first error each returns.
func placeholders(s string, each func(open, end int, inner, trimmed string) *ExprError) *ExprError {
	for i := 0; i < len(s); {
		open := strings.Index(s[i:], "{{")
		if open < 0 {
			return nil
		}
		open += i
		closeAt := strings.Index(s[open+2:], "}}")
		if closeAt < 0 {
			return &ExprError{open, "placeholder '{{' is never closed; add '}}'"}
		}
		inner := s[open+2 : open+2+closeAt]
		trimmed := strings.TrimSpace(inner)
		if trimmed == "" {
			return &ExprError{open, "placeholder {{}} is empty; write {{$.path}}"}
		}
		end := open + 2 + closeAt + 2
		if err := each(open, end, inner, trimmed); err != nil {
			return err
		}
		i = end
	}
	return nil
}

// TemplatePaths calls yield with the path of each placeholder of
// template s, in order, and where in s the path starts; parse parses
// them (ParsePath, say). It reports whether s parses as a
// template; when it does not, nothing is yielded, as ParseTemplate then
// gives no parts to take paths from. Unlike ParseTemplate it allocates
// nothing of its own.
func TemplatePaths(s string, parse func(string) (Path, *ExprError), yield func(p Path, at int)) bool {
	// The first pass checks the whole template, the second yields.
	check := func(_, _ int, _, trimmed string) *ExprError { return CheckPath(trimmed) }
	if placeholders(s, check) != nil {
		return false
	}
	placeholders(s, func(open, _ int, _, trimmed string) *ExprError {
		if p, err := parse(trimmed); err == nil {
			yield(p, open+strings.Index(s[open:], trimmed))
		}
		return nil
	})
	return true
}

// IsPathValue reports whether the value of a ".$" key is a bare path
// (copied as-is) rather than a template (interpolated into a string):
// "$.ticket.id" is a path, "Ticket {{$.ticket.id}}" a template.
func IsPathValue(s string) bool {
	return strings.HasPrefix(s, "$") && !strings.Contains(s, "{{")
}
