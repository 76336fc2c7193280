package rules

import (
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
)

// JSONTypes is a set of JSON types: the types a value of the document
// may have when a state runs.
type JSONTypes uint8

// The JSON types, one bit each.
const (
	TypeNull JSONTypes = 1 << iota
	TypeBoolean
	TypeNumber
	TypeString
	TypeArray
	TypeObject
	// typeUnknown marks a value some path gives a type the analysis
	// does not know: a Catch's Error, a rendered template. A set
	// holding it says nothing.
	typeUnknown
)

// typeNames are the names of the types, in the order of the bits.
var typeNames = []string{"null", "boolean", "number", "string", "array", "object"}

// String names the types, e.g. "a number or null".
func (t JSONTypes) String() string {
	var names []string
	// Null last: "a number or null" reads better than "null or a number".
	for i, name := range typeNames[1:] {
		if t&(TypeBoolean<<i) != 0 {
			names = append(names, article(name)+" "+name)
		}
	}
	if t&TypeNull != 0 {
		names = append(names, "null")
	}
	return strings.Join(names, " or ")
}

// literalLeaves are shared, one per JSON type a literal can have.
var literalLeaves = map[bundle.Kind]*DocValue{
	bundle.Null:   {Literal: TypeNull},
	bundle.Bool:   {Literal: TypeBoolean},
	bundle.Number: {Literal: TypeNumber},
	bundle.String: {Literal: TypeString},
	bundle.Array:  {Literal: TypeArray},
}

// literalLeaf is the value of a literal that is not an object; nil (no
// literal) is a leaf of unknown type.
func literalLeaf(n *bundle.Node) *DocValue {
	if n == nil {
		return leafValue
	}
	if v, ok := literalLeaves[n.Kind()]; ok {
		return v
	}
	return leafValue
}

// joinLiteral is the Literal of the join of a and b: the literal types of
// both, and unknown when either is a leaf whose type is not known.
func joinLiteral(a, b *DocValue) JSONTypes { return writtenTypes(a) | writtenTypes(b) }

func writtenTypes(v *DocValue) JSONTypes {
	if v.Literal == 0 && !v.Opaque && len(v.Events) == 0 && len(v.Fields) == 0 {
		return typeUnknown
	}
	return v.Literal
}

// Types returns the JSON types the value may have, from the catalogue
// and the literals states wrote; ok is false when they are not all
// known: an opaque value, a catalogue value of type any, a leaf whose
// type no one wrote down.
func (v *DocValue) Types() (types JSONTypes, ok bool) {
	if v == nil || v.Opaque {
		return 0, false
	}
	types = v.Literal
	if len(v.Fields) > 0 {
		types |= TypeObject
	}
	for _, n := range v.Events {
		t, known := eventTypes(n)
		if !known {
			return 0, false
		}
		types |= t
	}
	if types == 0 || types&typeUnknown != 0 {
		return 0, false
	}
	return types, true
}

// TypesAt returns the JSON types of the value at segs when the path is
// there on some path to the state and its types are all known.
func (v *DocValue) TypesAt(segs []bundle.Segment) (JSONTypes, bool) {
	cur, ok := v.reached(segs)
	if !ok {
		return 0, false
	}
	return cur.Types()
}

// eventTypes is the types of a catalogue value.
func eventTypes(n *events.Node) (JSONTypes, bool) {
	var t JSONTypes
	switch n.Kind {
	case events.KindObject:
		t = TypeObject
	case events.KindArray:
		t = TypeArray
	case events.KindString:
		t = TypeString
	case events.KindNumber:
		t = TypeNumber
	case events.KindBoolean:
		t = TypeBoolean
	default:
		return 0, false
	}
	if n.Nullable {
		t |= TypeNull
	}
	return t, true
}
