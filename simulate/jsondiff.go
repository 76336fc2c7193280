package simulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/zislint/zislint/internal/linediff"
)

// maxPathLines caps the list of differing paths; past it a count stands
// for the rest, which the unified diff below still shows.
const maxPathLines = 20

// Labels of the two sides in the unified diff.
const (
	wantLabel = "want (golden)"
	gotLabel  = "got (this run)"
)

// describeDiff shows how the decoded result got differs from the decoded
// golden want: one line per differing JSON path, then a unified diff of
// both pretty-printed in the golden's layout. Keys are visited in a fixed
// order, so the same two documents always give the same bytes.
func describeDiff(want, got any) string {
	d := &differ{want: want, got: got}
	d.walk(jsonPath{}, want, got, true, true)
	lines := d.lines
	if len(lines) > maxPathLines {
		more := len(lines) - maxPathLines
		lines = append(lines[:maxPathLines], fmt.Sprintf("… and %d more differences, all in the diff below", more))
	}
	var out strings.Builder
	for _, l := range lines {
		out.WriteString(l)
		out.WriteByte('\n')
	}
	// Writing to a strings.Builder cannot fail.
	_ = linediff.Write(&out, wantLabel, gotLabel, prettyJSON(want), prettyJSON(got))
	return strings.TrimSuffix(out.String(), "\n")
}

// jsonPath is where a value sits in a result document.
type jsonPath []any // string keys and int indexes

func (p jsonPath) with(step any) jsonPath {
	return append(p[:len(p):len(p)], step)
}

// String writes the path as a reader would type it: states[1],
// requests[0].body.order_id, headers["Content-Type"].
func (p jsonPath) String() string {
	var b strings.Builder
	for _, step := range p {
		switch s := step.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", s)
		case string:
			if isPlainKey(s) {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(s)
			} else {
				b.WriteString("[" + strconv.Quote(s) + "]")
			}
		}
	}
	if b.Len() == 0 {
		return "the document"
	}
	return b.String()
}

func isPlainKey(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// keyOrder is the order of the keys of the object at p: the order of the
// Go fields for the objects a Result is made of, else none (sorted).
func keyOrder(p jsonPath) []string {
	switch {
	case len(p) == 0:
		return resultFields
	case len(p) == 1 && p[0] == "error":
		return runErrorFields
	case len(p) == 2 && (p[0] == "requests" || p[0] == "repeated_on_retry"):
		return requestFields
	}
	return nil
}

// differ walks two decoded documents and collects a line for each path
// at which they differ.
type differ struct {
	want, got any // the whole documents, to name the state of a request
	lines     []string
}

// walk reports each path at which want and got differ, down to the
// deepest value that differs as a whole. inW and inG say whether each
// side has a value at p at all.
func (d *differ) walk(p jsonPath, want, got any, inW, inG bool) {
	where := p.String() + d.stateNote(p)
	switch {
	case !inW:
		d.add("%s: not in the golden, got %s", where, brief(got))
		return
	case !inG:
		d.add("%s: want %s, the run has none", where, brief(want))
		return
	case reflect.DeepEqual(want, got):
		return
	}
	if w, ok := want.(map[string]any); ok {
		if g, ok := got.(map[string]any); ok {
			for _, k := range orderedKeys(keyOrder(p), w, g) {
				wv, inW := w[k]
				gv, inG := g[k]
				if inW || inG {
					d.walk(p.with(k), wv, gv, inW, inG)
				}
			}
			return
		}
	}
	if w, ok := want.([]any); ok {
		if g, ok := got.([]any); ok {
			for i := 0; i < len(w) || i < len(g); i++ {
				d.walk(p.with(i), at(w, i), at(g, i), i < len(w), i < len(g))
			}
			return
		}
	}
	d.add("%s: want %s, got %s", where, brief(want), brief(got))
}

func (d *differ) add(format string, args ...any) {
	d.lines = append(d.lines, fmt.Sprintf(format, args...))
}

func at(list []any, i int) any {
	if i < len(list) {
		return list[i]
	}
	return nil
}

// stateNote names the state of the request a path lies in, since
// "requests[3]" alone sends the reader counting.
func (d *differ) stateNote(p jsonPath) string {
	if len(p) < 2 || (p[0] != "requests" && p[0] != "repeated_on_retry") {
		return ""
	}
	ws, gs := requestState(d.want, p), requestState(d.got, p)
	switch {
	case ws == "" && gs == "":
		return ""
	case ws == gs || gs == "":
		return " (state " + ws + ")"
	case ws == "":
		return " (state " + gs + ")"
	}
	return " (state " + ws + " in the golden, " + gs + " in the run)"
}

// requestState is the quoted state of the request p[0][p[1]] of doc, or
// "" when there is none.
func requestState(doc any, p jsonPath) string {
	m, _ := doc.(map[string]any)
	list, _ := m[p[0].(string)].([]any)
	i, _ := p[1].(int)
	if i >= len(list) {
		return ""
	}
	if s := stateOf(list[i]); s != "unknown" {
		return s
	}
	return ""
}

// prettyJSON prints a decoded document as MarshalResult lays out a
// result: two-space indent, the fields of Result, Request and RunError in
// their order, other keys sorted, HTML characters as written.
func prettyJSON(v any) []byte {
	var buf bytes.Buffer
	writePretty(&buf, jsonPath{}, v, "")
	buf.WriteByte('\n')
	return buf.Bytes()
}

func writePretty(buf *bytes.Buffer, p jsonPath, v any, indent string) {
	inner := indent + "  "
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteString("{\n")
		first := true
		for _, k := range orderedKeys(keyOrder(p), v, nil) {
			val, ok := v[k]
			if !ok {
				continue
			}
			if !first {
				buf.WriteString(",\n")
			}
			first = false
			buf.WriteString(inner)
			buf.Write(scalarJSON(k))
			buf.WriteString(": ")
			writePretty(buf, p.with(k), val, inner)
		}
		buf.WriteString("\n" + indent + "}")
	case []any:
		if len(v) == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteString("[\n")
		for i, val := range v {
			if i > 0 {
				buf.WriteString(",\n")
			}
			buf.WriteString(inner)
			writePretty(buf, p.with(i), val, inner)
		}
		buf.WriteString("\n" + indent + "]")
	default:
		buf.Write(scalarJSON(v))
	}
}

// scalarJSON encodes a string, number, boolean or null as JSON, HTML
// characters as written.
func scalarJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte(strconv.Quote(fmt.Sprint(v)))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
