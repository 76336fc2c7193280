package explore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zislint/zislint/bundle"
)

// absent is the value that removes a field instead of setting it: the
// case a Choice rule on a missing field takes.
type absentValue struct{}

var absent any = absentValue{}

// condition is one comparison of a Choice rule: its Variable, its
// operator and the constant it compares with.
type condition struct {
	variable bundle.Path
	op       string
	value    any
	// other is the field a ...Path operator compares with, or nil.
	other *bundle.Path
}

// conditions lists the comparisons of a Choice rule and of the rules
// nested in its And, Or and Not, in the order written.
func conditions(rule *bundle.Node) []condition {
	if rule == nil || rule.Kind() != bundle.Object {
		return nil
	}
	var out []condition
	for _, op := range [...]string{"And", "Or"} {
		for _, sub := range rule.Get(op).Items() {
			out = append(out, conditions(sub)...)
		}
	}
	out = append(out, conditions(rule.Get("Not"))...)
	raw, ok := rule.Get("Variable").Str()
	if !ok {
		return out
	}
	path, err := bundle.ParsePath(raw)
	if err != nil {
		return out
	}
	members := rule.Members()
	for i := range members {
		m := &members[i]
		switch m.Key() {
		case "Variable", "Next", "Comment", "And", "Or", "Not":
			continue
		}
		if strings.HasSuffix(m.Key(), "Path") {
			// Compared with another field: the search copies that
			// field's value, and tries the flow's other constants.
			c := condition{variable: path, op: m.Key()}
			if raw, ok := m.Value().Str(); ok {
				if other, err := bundle.ParsePath(raw); err == nil {
					c.other = &other
				}
			}
			out = append(out, c)
			continue
		}
		out = append(out, condition{variable: path, op: m.Key(), value: jsonValue(m.Value())})
	}
	return out
}

// jsonValue converts a bundle node to a document value, numbers as
// float64, as a fixture holds them.
func jsonValue(n *bundle.Node) any {
	return numbersAsFloats(n.Interface())
}

func numbersAsFloats(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	case []any:
		for i := range x {
			x[i] = numbersAsFloats(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbersAsFloats(x[k])
		}
	}
	return v
}

// neighbours are the values that sit on either side of a condition:
// the constant itself, values just below and above it, another value of
// its type, null and absent. One of them takes each branch the
// comparison has.
func (c condition) neighbours() []any {
	out := []any{}
	switch v := c.value.(type) {
	case float64:
		out = append(out, v, v-1, v+1)
	case string:
		out = append(out, v, v+"~", below(v), "other")
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			out = append(out, t.Add(-time.Second).Format(time.RFC3339), t.Add(time.Second).Format(time.RFC3339))
		}
	case bool:
		out = append(out, v, !v)
	}
	switch c.op {
	case "IsPresent", "IsNull":
		out = append(out, "present")
	case "IsBoolean":
		out = append(out, true)
	case "IsNumeric":
		out = append(out, 1.0)
	case "IsString":
		out = append(out, "text")
	case "IsTimestamp":
		out = append(out, "2024-01-01T00:00:00Z")
	}
	return append(out, nil, absent)
}

// below is a string that sorts just before s: its last character one
// lower, or, when that would be a control character or no character at
// all, s without it. It stays valid UTF-8, so that a fixture holding it
// is plain YAML text.
func below(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	last := r[len(r)-1] - 1
	if last < ' ' || !utf8.ValidRune(last) {
		return string(r[:len(r)-1])
	}
	r[len(r)-1] = last
	return string(r)
}

// dictionary is every neighbour of every condition of a flow, and each
// number also as a string, since an event often carries numbers as text
// that a Jq step converts, then the strings of its Jq expressions. It is
// deduplicated and in a fixed order.
func dictionary(conds []condition, literals []string) []any {
	seen := map[string]bool{}
	var out []any
	add := func(v any) {
		key := fmt.Sprintf("%T:%v", v, v)
		if !seen[key] {
			seen[key] = true
			out = append(out, v)
		}
	}
	for _, c := range conds {
		for _, v := range c.neighbours() {
			add(v)
			if f, ok := v.(float64); ok {
				add(strconv.FormatFloat(f, 'f', -1, 64))
			}
		}
	}
	for _, lit := range literals {
		add(lit)
	}
	add(true)
	add(false)
	add(0.0)
	add("")
	add(nil)
	add(absent)
	return out
}
