package simulate

import (
	"fmt"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// cvalue is a value of Parameters or of an action definition, compiled
// once per bundle: literals, ".$" paths and templates are told apart and
// parsed before any run.
type cvalue interface {
	// eval computes the value from doc, charging what it copies to m.
	eval(doc any, m *meter) (any, error)
}

// literal is a constant of the program, shared by every run; size is
// the number of values it holds, charged to the run that takes it as a
// copy would be.
type literal struct {
	v    any
	size int
}

func newLiteral(v any) literal { return literal{v, size(v)} }

func (l literal) eval(_ any, m *meter) (any, error) { return m.takeCounted(l.v, l.size) }

type pathValue struct{ p bundle.Path }

func (pv pathValue) eval(doc any, m *meter) (any, error) {
	v, ok := valueAt(doc, pv.p)
	if !ok {
		return nil, &stateError{name: errRuntime, cause: "path " + pv.p.Raw + " is not in the input"}
	}
	return m.take(v)
}

type templateValue struct{ t bundle.Template }

func (tv templateValue) eval(doc any, m *meter) (any, error) {
	s := render(tv.t, doc)
	return s, m.text(s)
}

type objectValue struct {
	keys []string
	vals []cvalue
}

func (o objectValue) eval(doc any, m *meter) (any, error) {
	out := make(map[string]any, len(o.keys))
	for i, k := range o.keys {
		v, err := o.vals[i].eval(doc, m)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// each evaluates the members in order, as eval does, handing each value
// to use instead of building the object. A key written twice is handed
// twice; the later value is the one eval keeps.
func (o objectValue) each(doc any, m *meter, use func(key string, v any)) error {
	for i, k := range o.keys {
		v, err := o.vals[i].eval(doc, m)
		if err != nil {
			return err
		}
		use(k, v)
	}
	return nil
}

type arrayValue struct{ elems []cvalue }

func (a arrayValue) eval(doc any, m *meter) (any, error) {
	out := make([]any, len(a.elems))
	for i, e := range a.elems {
		v, err := e.eval(doc, m)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// compileValue compiles n. Keys ending in ".$" are evaluated and lose the
// suffix; with plainTemplates, plain strings holding {{…}} are filled in
// too, as ZIS does in action definitions.
func compileValue(n *bundle.Node, plainTemplates bool) (cvalue, error) {
	switch n.Kind() {
	case bundle.Object:
		o := objectValue{}
		members := n.Members()
		for i := range members {
			m := &members[i]
			var v cvalue
			var err error
			if key, ok := strings.CutSuffix(m.Key(), ".$"); ok {
				v, err = compileDynamic(m.Value())
				o.keys = append(o.keys, key)
			} else {
				v, err = compileValue(m.Value(), plainTemplates)
				o.keys = append(o.keys, m.Key())
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.Key(), err)
			}
			o.vals = append(o.vals, v)
		}
		return o, nil
	case bundle.Array:
		a := arrayValue{}
		for _, e := range n.Elems() {
			v, err := compileValue(e, plainTemplates)
			if err != nil {
				return nil, err
			}
			a.elems = append(a.elems, v)
		}
		return a, nil
	case bundle.String:
		if plainTemplates && strings.Contains(n.Text(), "{{") {
			return compileTemplate(n.Text())
		}
	}
	return newLiteral(fromNode(n)), nil
}

// compileDynamic compiles the value of a ".$" key: a bare path keeps the
// value's type; anything else is a template and yields a string.
func compileDynamic(n *bundle.Node) (cvalue, error) {
	s, ok := n.Str()
	if !ok {
		return nil, fmt.Errorf("a \".$\" key needs a string value, not %s", n.Kind())
	}
	if bundle.IsPathValue(s) {
		p, err := bundle.ParsePath(s)
		if err != nil {
			return nil, err
		}
		return pathValue{p}, nil
	}
	return compileTemplate(s)
}

func compileTemplate(s string) (cvalue, error) {
	t, err := bundle.ParseTemplate(s)
	if err != nil {
		return nil, err
	}
	return templateValue{t}, nil
}

// compilePath parses an optional path field; "" means the default.
func compilePath(n *bundle.Node, def string) (bundle.Path, error) {
	s, ok := n.Str()
	if !ok {
		s = def
	}
	p, err := bundle.ParsePath(s)
	if err != nil {
		return p, err
	}
	return p, nil
}
