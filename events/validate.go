package events

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Mismatch is one place where a value does not have the shape of an
// event.
type Mismatch struct {
	// Path is where, from the value checked, in the dot-and-[n] form of
	// Node.Paths ("input.ticket_event.ticket.id").
	Path string
	// Missing is set when a required key is absent; otherwise the value
	// at Path has kind Got where the shape wants Want.
	Missing   bool
	Want, Got Kind
}

func (m Mismatch) String() string {
	if m.Missing {
		return m.Path + " is missing"
	}
	return fmt.Sprintf("%s is a %s, want a %s", m.Path, m.Got, m.Want)
}

// Check compares a decoded JSON value with the shape n and lists the
// mismatches: values of the wrong kind and required keys that are absent.
// Keys the shape does not list are not reported (the documentation does
// not list every key an event can carry), nor are absent keys that are
// not required (a fixture may leave out what its flow does not read).
func (n *Node) Check(v any) []Mismatch {
	var out []Mismatch
	n.check("", v, &out)
	return out
}

func (n *Node) check(path string, v any, out *[]Mismatch) {
	got := KindOf(v)
	if n.Kind == KindAny || (v == nil && n.Nullable) {
		return
	}
	if got != n.Kind {
		*out = append(*out, Mismatch{Path: path, Want: n.Kind, Got: got})
		return
	}
	switch val := v.(type) {
	case map[string]any:
		for _, key := range sortedKeys(n.Fields) {
			f := n.Fields[key]
			sub, present := val[key]
			switch {
			case present:
				f.check(join(path, key), sub, out)
			case f.Required:
				*out = append(*out, Mismatch{Path: join(path, key), Missing: true, Want: f.Kind})
			}
		}
	case []any:
		for i, el := range val {
			if n.Elem != nil {
				n.Elem.check(fmt.Sprintf("%s[%d]", path, i), el, out)
			}
		}
	}
}

// KindOf names the JSON kind of a decoded value; null is "null".
func KindOf(v any) Kind {
	switch v.(type) {
	case map[string]any:
		return KindObject
	case []any:
		return KindArray
	case string:
		return KindString
	case float64, float32, int, int64, json.Number:
		return KindNumber
	case bool:
		return KindBoolean
	case nil:
		return "null"
	}
	return Kind(fmt.Sprintf("%T", v))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]*Node) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
