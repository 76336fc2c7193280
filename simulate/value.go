package simulate

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// Documents are JSON-like Go values: map[string]any, []any, float64,
// string, bool and nil. Numbers are float64 throughout so Choice
// comparisons, jq and the JSON output agree on them.
//
// A value is never written once made. The document, a state's
// Parameters, the requests and the result share parts with each other,
// with the fixture and with the program's literals: a state takes what
// it names from the document without copying it, and a ResultPath write
// copies only the objects on the way to the written key (assign). That
// is what lets one fixture and one program serve any number of runs, at
// the same time too, and makes a run's cost grow with what it writes
// rather than with the size of what it reads.

// fromNode converts a parsed JSON value into a document value.
func fromNode(n *bundle.Node) any {
	switch n.Kind() {
	case bundle.Bool:
		return n.Bool()
	case bundle.Number:
		f, _ := strconv.ParseFloat(n.Text(), 64)
		return f
	case bundle.String:
		return n.Text()
	case bundle.Array:
		out := make([]any, len(n.Elems()))
		for i, e := range n.Elems() {
			out[i] = fromNode(e)
		}
		return out
	case bundle.Object:
		out := make(map[string]any, len(n.Members()))
		members := n.Members()
		for j := range members {
			m := &members[j]
			out[m.Key()] = fromNode(m.Value())
		}
		return out
	}
	return nil
}

// document is v as a document value: v itself when it holds document
// values only, as a loaded fixture does, else a copy with the numbers of
// other decoders converted as clone does.
func document(v any) any {
	if isDocument(v) {
		return v
	}
	return clone(v)
}

// isDocument tells whether v holds document values only.
func isDocument(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if !isDocument(e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !isDocument(e) {
				return false
			}
		}
	case string, float64, bool, nil:
	default:
		return false
	}
	return true
}

// clone copies a value, converting numbers from other decoders (int from
// yaml or gojq, json.Number) to float64.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return v
}

// lookup follows a path through a document.
func lookup(doc any, p bundle.Path) (any, bool) {
	v := doc
	for _, seg := range p.Segments {
		if seg.IsIndex {
			arr, ok := v.([]any)
			if !ok || seg.Index >= len(arr) {
				return nil, false
			}
			v = arr[seg.Index]
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[seg.Name]; !ok {
			return nil, false
		}
	}
	return v, true
}

// valueAt is lookup for the values states and actions read, with one
// addition: older ZIS docs (state-retry-error-handling, the tutorial on
// authenticating requests) read a connection's token at
// $.connections.<name>.access_token. The simulator shows that token
// redacted, as it does the header a connectionName adds, unless the
// document holds the path itself.
func valueAt(doc any, p bundle.Path) (any, bool) {
	if v, ok := lookup(doc, p); ok {
		return v, true
	}
	s := p.Segments
	if len(s) == 3 && !s[0].IsIndex && s[0].Name == "connections" && !s[1].IsIndex && !s[2].IsIndex && s[2].Name == "access_token" {
		return redacted, true
	}
	return nil, false
}

// assign writes v at path p in doc, creating the objects on the way, and
// returns the new document: $ replaces the document. doc itself is left
// as it was: the objects on the path are copied, the rest is shared.
func assign(doc any, p bundle.Path, v any) (any, error) {
	if len(p.Segments) == 0 {
		return v, nil
	}
	for _, seg := range p.Segments {
		if seg.IsIndex {
			return nil, &stateError{name: errRuntime, cause: "ResultPath " + p.Raw + " writes into an array; ZIS result paths name object members only"}
		}
	}
	root, _ := doc.(map[string]any)
	return with(root, p.Segments, v), nil
}

// with is a copy of obj (nil for none) holding v at the path segs.
func with(obj map[string]any, segs []bundle.Segment, v any) map[string]any {
	out := maps.Clone(obj) // copies the table whole, faster than key by key
	if out == nil {
		out = make(map[string]any, 1)
	}
	key := segs[0].Name
	if len(segs) == 1 {
		out[key] = v
		return out
	}
	child, _ := obj[key].(map[string]any)
	out[key] = with(child, segs[1:], v)
	return out
}

// text renders a value for a {{…}} placeholder.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// render fills a template from doc. A placeholder whose path is missing
// renders as empty text, as a string with nothing to show.
func render(t bundle.Template, doc any) string {
	if len(t.Parts) == 1 && t.Parts[0].Path == nil {
		return t.Parts[0].Literal
	}
	var b strings.Builder
	b.Grow(len(t.Raw)) // about the rendered length: one allocation for most templates
	for _, part := range t.Parts {
		if part.Path == nil {
			b.WriteString(part.Literal)
			continue
		}
		v, _ := valueAt(doc, *part.Path)
		b.WriteString(text(v))
	}
	return b.String()
}
