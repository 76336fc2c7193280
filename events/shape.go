package events

import (
	"sort"
	"strconv"
	"strings"
)

// Kind is the JSON type of a value in an event payload.
type Kind string

// The JSON kinds a Node can have. KindAny marks a value whose type the
// documentation does not give (or gives as depending on something else,
// such as a custom field's type): every value matches it.
const (
	KindObject  Kind = "object"
	KindArray   Kind = "array"
	KindString  Kind = "string"
	KindNumber  Kind = "number"
	KindBoolean Kind = "boolean"
	KindAny     Kind = "any"
)

// Node is the shape of one value of an event payload.
type Node struct {
	Kind Kind
	// Fields are an object's documented keys; Elem is an array's element.
	Fields map[string]*Node
	Elem   *Node
	// Nullable is set when the documentation shows null for the value
	// (an unassigned ticket has "group_id": null).
	Nullable bool
	// Open is set on objects that may hold keys not listed in Fields:
	// free-form objects (custom object fields) and objects whose keys the
	// documentation does not list in full. A path below an open object
	// that the catalogue does not know is not necessarily missing.
	Open bool
	// Required marks the keys an event always has and a payload of that
	// event cannot do without (the input wrapper key).
	Required bool
	// Example is the value a sample payload uses for a leaf; a leaf
	// without one gets a value derived from its kind.
	Example any
}

// Lookup walks segments down from n. A segment is an object key; "[n]"
// or "[*]" (also written as a separate "0" or "*" segment below an array)
// steps into an array's element. It reports the node and whether the
// path is known. A path that leaves the catalogue below an open object or
// a KindAny value returns that node with ok false and open true: the
// documentation does not rule the path out.
func (n *Node) Lookup(path string) (node *Node, ok bool, open bool) {
	cur := n
	for _, seg := range Segments(path) {
		next, known, mayExist := cur.step(seg)
		if !known {
			return cur, false, mayExist
		}
		cur = next
	}
	return cur, true, false
}

// step moves one segment down from n.
func (n *Node) step(seg string) (next *Node, known, mayExist bool) {
	switch n.Kind {
	case KindAny:
		return nil, false, true
	case KindArray:
		if n.Elem != nil && (seg == "*" || isIndex(seg)) {
			return n.Elem, true, false
		}
		return nil, false, false
	case KindObject:
		if f, ok := n.Fields[seg]; ok {
			return f, true, false
		}
		return nil, false, n.Open
	}
	return nil, false, false
}

func isIndex(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// Segments turns "$.input.ticket_event.tags[0]" or "ticket_event.tags.0"
// into its segments (the form Node.Lookup and Mismatch.Path use). A leading "$" is dropped; the caller decides what
// the path is relative to.
func Segments(path string) []string {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
	var segs []string
	for _, part := range strings.Split(path, ".") {
		for part != "" {
			open := strings.IndexByte(part, '[')
			if open < 0 {
				segs = append(segs, part)
				break
			}
			if open > 0 {
				segs = append(segs, part[:open])
			}
			end := strings.IndexByte(part[open:], ']')
			if end < 0 {
				segs = append(segs, part[open:])
				break
			}
			segs = append(segs, strings.Trim(part[open+1:open+end], `'"`))
			part = part[open+end+1:]
		}
	}
	return segs
}

// Paths lists every path the shape documents below n, dot-separated,
// with "[*]" for array elements, sorted; it is the vocabulary for
// did-you-mean answers.
func (n *Node) Paths() []string {
	var out []string
	n.collectPaths("", &out)
	sort.Strings(out)
	return out
}

func (n *Node) collectPaths(prefix string, out *[]string) {
	if prefix != "" {
		*out = append(*out, prefix)
	}
	switch n.Kind {
	case KindObject:
		for key, f := range n.Fields {
			p := key
			if prefix != "" {
				p = prefix + "." + key
			}
			f.collectPaths(p, out)
		}
	case KindArray:
		if n.Elem != nil {
			n.Elem.collectPaths(prefix+"[*]", out)
		}
	}
}

// Sample builds a value of the shape: every documented key with its
// example (or a value of its kind), arrays with one element.
func (n *Node) Sample() any {
	if n.Example != nil {
		return n.Example
	}
	switch n.Kind {
	case KindObject:
		m := make(map[string]any, len(n.Fields))
		for key, f := range n.Fields {
			m[key] = f.Sample()
		}
		return m
	case KindArray:
		if n.Elem == nil {
			return []any{}
		}
		return []any{n.Elem.Sample()}
	case KindString:
		return "text"
	case KindNumber:
		return float64(1)
	case KindBoolean:
		return false
	}
	return nil
}
