package simulate

import (
	"strconv"
	"strings"
	"time"

	"github.com/zislint/zislint/bundle"
)

// rule is a compiled Choice rule.
type rule struct {
	variable  *bundle.Path
	op        string // StringEquals, NumericLessThan, ... without "Path"
	value     any    // the literal to compare with
	valuePath *bundle.Path
	and, or   []*rule
	not       *rule
	next      *state
	via       string // where the rule's Next is written, as coverage names it
}

func compileChoice(b *bundle.Bundle, m *machine, st *state, obj *bundle.Node) error {
	for i, r := range obj.Get("Choices").Items() {
		cr, err := compileRule(b, m, r)
		if err != nil {
			return err
		}
		if cr.next, err = target(b, m, r.Get("Next")); err != nil {
			return err
		}
		cr.via = "Choices[" + strconv.Itoa(i) + "].Next"
		st.rules = append(st.rules, cr)
	}
	var err error
	st.deflt, err = target(b, m, obj.Get("Default"))
	return err
}

func compileRule(b *bundle.Bundle, m *machine, n *bundle.Node) (*rule, error) {
	r := &rule{}
	var err error
	members := n.Members()
	for i := range members {
		mem := &members[i]
		switch key := mem.Key(); {
		case key == "Next" || key == "Comment":
		case key == "Variable":
			r.variable, err = optionalPath(b, mem.Value())
		case key == "And" || key == "Or":
			for _, sub := range mem.Value().Items() {
				sr, err := compileRule(b, m, sub)
				if err != nil {
					return nil, err
				}
				if key == "And" {
					r.and = append(r.and, sr)
				} else {
					r.or = append(r.or, sr)
				}
			}
		case key == "Not":
			r.not, err = compileRule(b, m, mem.Value())
		case strings.HasSuffix(key, "Path"):
			r.op = strings.TrimSuffix(key, "Path")
			r.valuePath, err = optionalPath(b, mem.Value())
		default:
			r.op, r.value = key, fromNode(mem.Value())
		}
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

// matches evaluates the rule against doc.
func (r *rule) matches(doc any) bool {
	switch {
	case r.and != nil:
		for _, s := range r.and {
			if !s.matches(doc) {
				return false
			}
		}
		return true
	case r.or != nil:
		for _, s := range r.or {
			if s.matches(doc) {
				return true
			}
		}
		return false
	case r.not != nil:
		return !r.not.matches(doc)
	case r.variable == nil:
		return false
	}
	v, present := lookup(doc, *r.variable)
	switch r.op {
	case "IsPresent":
		return present == truthy(r.value)
	case "IsNull":
		return (present && v == nil) == truthy(r.value)
	}
	if !present {
		return false
	}
	want := r.value
	if r.valuePath != nil {
		var ok bool
		if want, ok = lookup(doc, *r.valuePath); !ok {
			return false
		}
	}
	return compare(r.op, v, want)
}

func truthy(v any) bool { b, _ := v.(bool); return b }

// compare applies a comparison operator. Values of the wrong type never
// match, as in the States Language.
func compare(op string, got, want any) bool {
	switch {
	case strings.HasPrefix(op, "String"):
		g, ok1 := got.(string)
		w, ok2 := want.(string)
		return ok1 && ok2 && ordered(strings.TrimPrefix(op, "String"), strings.Compare(g, w))
	case strings.HasPrefix(op, "Numeric"):
		g, ok1 := got.(float64)
		w, ok2 := want.(float64)
		return ok1 && ok2 && ordered(strings.TrimPrefix(op, "Numeric"), cmpFloat(g, w))
	case op == "BooleanEquals":
		g, ok1 := got.(bool)
		w, ok2 := want.(bool)
		return ok1 && ok2 && g == w
	case strings.HasPrefix(op, "Timestamp"):
		g, ok1 := timestamp(got)
		w, ok2 := timestamp(want)
		return ok1 && ok2 && ordered(strings.TrimPrefix(op, "Timestamp"), g.Compare(w))
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func timestamp(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

// ordered tells whether a three-way comparison c satisfies relation rel.
func ordered(rel string, c int) bool {
	switch rel {
	case "Equals":
		return c == 0
	case "LessThan":
		return c < 0
	case "GreaterThan":
		return c > 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}
