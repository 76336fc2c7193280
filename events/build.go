package events

// Small constructors that keep the catalogue readable as data.

type field struct {
	name string
	node *Node
}

func f(name string, n *Node) field { return field{name, n} }

// obj is an object whose keys the documentation lists in full.
func obj(fields ...field) *Node {
	n := &Node{Kind: KindObject, Fields: make(map[string]*Node, len(fields))}
	for _, fl := range fields {
		n.Fields[fl.name] = fl.node
	}
	return n
}

// openObj is an object that may carry keys not listed here.
func openObj(fields ...field) *Node {
	n := obj(fields...)
	n.Open = true
	return n
}

func str(example string) *Node   { return &Node{Kind: KindString, Example: example} }
func num(example float64) *Node  { return &Node{Kind: KindNumber, Example: example} }
func boolean(example bool) *Node { return &Node{Kind: KindBoolean, Example: example} }
func list(elem *Node) *Node      { return &Node{Kind: KindArray, Elem: elem} }

// anyOf is a value whose type the documentation does not pin down; the
// example only makes the sample payload look real.
func anyOf(example any) *Node { return &Node{Kind: KindAny, Example: asJSON(example)} }

// asJSON turns a Go int into the float64 encoding/json decodes numbers
// to, so that a sample equals its own JSON round trip.
func asJSON(v any) any {
	if i, ok := v.(int); ok {
		return float64(i)
	}
	return v
}

// orNull marks a value the documentation shows (or the resource defines)
// as possibly null.
func orNull(n *Node) *Node {
	n.Nullable = true
	return n
}

func required(n *Node) *Node {
	n.Required = true
	return n
}

// with returns a copy of an object with more fields; the catalogue
// shares a base (meta, type, resource) between the events of a family
// and adds each event's own properties to a copy.
func (n *Node) with(fields ...field) *Node {
	c := *n
	c.Fields = make(map[string]*Node, len(n.Fields)+len(fields))
	for k, v := range n.Fields {
		c.Fields[k] = v
	}
	for _, fl := range fields {
		c.Fields[fl.name] = fl.node
	}
	return &c
}
