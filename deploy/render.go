package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// Render rewrites a bundle for an environment: every zis:<from>:
// reference becomes zis:<to>:, and every {{name}} variable is replaced by
// vars[name]. Only the strings that change are rewritten, so the rest of
// the file keeps its formatting. A variable without a value is an error
// that names its position; nothing is rendered then.
func Render(b *bundle.Bundle, from, to string, vars map[string]string) ([]byte, error) {
	if b.Root == nil {
		return nil, fmt.Errorf("%s: the bundle is not valid JSON; run zislint lint", b.Path)
	}
	r := &renderer{b: b, from: "zis:" + from + ":", to: "zis:" + to + ":", vars: vars}
	r.walk(b.Root)
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	return r.apply(), nil
}

type edit struct {
	start, end int
	text       []byte
}

type renderer struct {
	b        *bundle.Bundle
	from, to string
	vars     map[string]string
	edits    []edit
	errs     []error
}

func (r *renderer) walk(n *bundle.Node) {
	switch n.Kind() {
	case bundle.String:
		r.rewrite(n)
	case bundle.Array:
		for _, e := range n.Elems() {
			r.walk(e)
		}
	case bundle.Object:
		members := n.Members()
		for i := range members {
			m := &members[i]
			r.rewrite(bundle.NewString(m.Key(), m.KeyStart, m.KeyEnd()))
			r.walk(m.Value())
		}
	}
}

// rewrite records an edit for the string n when rendering changes it.
func (r *renderer) rewrite(n *bundle.Node) {
	s := n.Text()
	out := s
	if r.from != r.to {
		out = strings.ReplaceAll(out, r.from, r.to)
	}
	for _, v := range bundle.Variables(s) {
		if _, ok := r.vars[v.Name]; !ok {
			r.errs = append(r.errs, fmt.Errorf("%s: variable {{%s}} has no value in this environment; set it under vars: of the integration in the environment, in zislint.yaml",
				r.b.Position(n.SourceOffset(r.b.Src, v.Start)), v.Name))
		}
	}
	out = fillVariables(out, r.vars)
	if out != s {
		r.edits = append(r.edits, edit{int(n.Start), int(n.End()), bundle.QuoteJSON(out)})
	}
}

// fillVariables replaces each {{name}} in s that vars has a value for.
func fillVariables(s string, vars map[string]string) string {
	var b strings.Builder
	last := 0
	for _, v := range bundle.Variables(s) {
		if value, ok := vars[v.Name]; ok {
			b.WriteString(s[last:v.Start])
			b.WriteString(value)
			last = v.End
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

func (r *renderer) apply() []byte {
	sort.Slice(r.edits, func(i, j int) bool { return r.edits[i].start < r.edits[j].start })
	var buf bytes.Buffer
	last := 0
	for _, e := range r.edits {
		buf.Write(r.b.Src[last:e.start])
		buf.Write(e.text)
		last = e.end
	}
	buf.Write(r.b.Src[last:])
	return buf.Bytes()
}

// Variables lists the {{name}} render variables a bundle uses, sorted.
func Variables(b *bundle.Bundle) []string {
	seen := map[string]bool{}
	var walk func(n *bundle.Node)
	add := func(s string) {
		for _, v := range bundle.Variables(s) {
			seen[v.Name] = true
		}
	}
	walk = func(n *bundle.Node) {
		switch n.Kind() {
		case bundle.String:
			add(n.Text())
		case bundle.Array:
			for _, e := range n.Elems() {
				walk(e)
			}
		case bundle.Object:
			members := n.Members()
			for i := range members {
				m := &members[i]
				add(m.Key())
				walk(m.Value())
			}
		}
	}
	if b.Root != nil {
		walk(b.Root)
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
