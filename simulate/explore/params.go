package explore

import (
	"strings"

	"github.com/zislint/zislint/bundle"
)

// paramRead is a field of the fixture an Action state's Parameters
// read: a path ("x.$": "$.input.a") or a placeholder of a template.
type paramRead struct {
	state string
	at    place
}

// maxParamDepth bounds how deep Parameters are searched for paths.
const maxParamDepth = 20

// addParamReads records the fields the state's Parameters read when
// they come from the fixture: a run that stops there because one is
// missing can go on once the search sets it.
func (m *flowModel) addParamReads(s *bundle.State) {
	m.paramPaths(s.Name, s.Entry.Value().Get("Parameters"), 0)
}

func (m *flowModel) paramPaths(state string, n *bundle.Node, depth int) {
	if n == nil || n.Kind() != bundle.Object || depth > maxParamDepth {
		return
	}
	members := n.Members()
	for i := range members {
		mem := &members[i]
		raw, ok := mem.Value().Str()
		if !ok || !strings.HasSuffix(mem.Key(), ".$") {
			m.paramPaths(state, mem.Value(), depth+1)
			continue
		}
		for _, p := range readPaths(raw) {
			if at, _, ok := m.source(p.Segments); ok {
				m.paramReads = append(m.paramReads, paramRead{state, at})
			}
		}
	}
}

// readPaths are the paths a ".$" value reads: itself when it is a path,
// else the placeholders of its template.
func readPaths(raw string) []bundle.Path {
	if bundle.IsPathValue(raw) {
		if p, err := bundle.ParsePath(raw); err == nil {
			return []bundle.Path{p}
		}
		return nil
	}
	t, err := bundle.ParseTemplate(raw)
	if err != nil {
		return nil
	}
	var out []bundle.Path
	for _, part := range t.Parts {
		if part.Path != nil {
			out = append(out, *part.Path)
		}
	}
	return out
}

// paramValues are what a missing parameter is given: text and a number
// fill most requests.
var paramValues = []any{"text", 1.0}
