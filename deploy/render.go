package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// variableRE matches a {{name}} render variable. ZIS's own {{$.path}}
// placeholders start with $ and never match.
var variableRE = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}`)

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
	switch n.Kind {
	case bundle.String:
		r.rewrite(n)
	case bundle.Array:
		for _, e := range n.Elems {
			r.walk(e)
		}
	case bundle.Object:
		for _, m := range n.Members {
			r.rewrite(&bundle.Node{Kind: bundle.String, Text: m.Key, Start: m.KeyStart, End: m.KeyEnd})
			r.walk(m.Value)
		}
	}
}

// rewrite records an edit for the string n when rendering changes it.
func (r *renderer) rewrite(n *bundle.Node) {
	s := n.Text
	out := s
	if r.from != r.to {
		out = strings.ReplaceAll(out, r.from, r.to)
	}
	for _, m := range variableRE.FindAllStringSubmatchIndex(s, -1) {
		name := s[m[2]:m[3]]
		if _, ok := r.vars[name]; !ok {
			r.errs = append(r.errs, fmt.Errorf("%s: variable {{%s}} has no value in this environment; set it under vars: of the integration in the environment, in zislint.yaml",
				r.b.Position(n.SourceOffset(r.b.Src, m[0])), name))
		}
	}
	out = variableRE.ReplaceAllStringFunc(out, func(m string) string {
		if v, ok := r.vars[variableRE.FindStringSubmatch(m)[1]]; ok {
			return v
		}
		return m
	})
	if out != s {
		r.edits = append(r.edits, edit{n.Start, n.End, bundle.QuoteJSON(out)})
	}
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
		for _, m := range variableRE.FindAllStringSubmatch(s, -1) {
			seen[m[1]] = true
		}
	}
	walk = func(n *bundle.Node) {
		switch n.Kind {
		case bundle.String:
			add(n.Text)
		case bundle.Array:
			for _, e := range n.Elems {
				walk(e)
			}
		case bundle.Object:
			for _, m := range n.Members {
				add(m.Key)
				walk(m.Value)
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
