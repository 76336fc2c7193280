package explore

import (
	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/lazyre"
)

// jqRead is a field of the fixture a Jq state reads: its data, followed
// by a path its expression names.
type jqRead struct {
	state string
	at    place
}

// jqPath matches a path a jq expression applies to its input, such as
// .activity_event.user_activity.properties.refund_amount, but not one
// applied to a variable ($o.items) or to another expression's result.
var jqPath = lazyre.New(`(?:^|[^A-Za-z0-9_$\])"])((?:\.[A-Za-z_][A-Za-z0-9_]*)+)`)

// jqBinding matches "PATH as $name", and jqVarPath a path applied to a
// variable, "$name.a.b": together they name the fields an expression
// reads through a variable.
var (
	jqBinding = lazyre.New(`((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s+as\s+\$([A-Za-z_][A-Za-z0-9_]*)`)
	jqVarPath = lazyre.New(`\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)`)
)

// jqString matches a plain string literal of a jq expression.
var jqString = lazyre.New(`"([^"\\]{0,100})"`)

// jqStrings lists the string literals of expr: an expression that
// compares a field with "urgent" is steered by setting the field so.
func jqStrings(expr string) []string {
	var out []string
	for _, m := range jqString().FindAllStringSubmatch(expr, -1) {
		out = append(out, m[1])
	}
	return out
}

// jqPaths lists the paths expr reads from its input, those read through
// a variable bound to a path included.
func jqPaths(expr string) []string {
	var out []string
	bound := map[string]string{}
	for _, m := range jqBinding().FindAllStringSubmatch(expr, -1) {
		bound[m[2]] = m[1]
	}
	for _, m := range jqPath().FindAllStringSubmatch(expr, -1) {
		out = append(out, m[1])
	}
	for _, m := range jqVarPath().FindAllStringSubmatch(expr, -1) {
		if base, ok := bound[m[1]]; ok {
			out = append(out, base+m[2])
		}
	}
	return out
}

// addJqReads records what the Jq state reads, when its data comes from
// the fixture: the search then sets those fields too, so that the Jq's
// output, which a Choice may read, can change.
func (m *flowModel) addJqReads(s *bundle.State) {
	params := s.Entry.Value().Get("Parameters")
	expr, ok := params.Get("expr").Str()
	if !ok {
		return
	}
	m.literals = append(m.literals, jqStrings(expr)...)
	data, ok := params.Get("data.$").Str()
	if !ok {
		return
	}
	p, err := bundle.ParsePath(data)
	if err != nil {
		return
	}
	if len(p.Segments) == 0 {
		// The whole document: its paths start at the top, with .input.
		for _, path := range jqPaths(expr) {
			if at, _, ok := m.source(dotted(path)); ok {
				m.jqReads = append(m.jqReads, jqRead{s.Name, at})
			}
		}
		return
	}
	base, _, ok := m.source(p.Segments)
	if !ok {
		return
	}
	for _, path := range jqPaths(expr) {
		m.jqReads = append(m.jqReads, jqRead{s.Name, base.child(dotted(path)...)})
	}
}

// dotted splits ".a.b" into its steps.
func dotted(s string) []bundle.Segment {
	p, err := bundle.ParsePath("$" + s)
	if err != nil {
		return nil
	}
	return p.Segments
}
