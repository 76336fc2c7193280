package rules

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
)

// DocValue is what the data-flow analysis knows of one value of a flow's
// document: the union, over every path to a state, of what may be there.
// A value is Opaque (anything may exist below: an action's result, a Jq
// output), or known through the event catalogue shapes it may have
// (Events, joined over the job specs that start the flow) and the keys
// written on top of them (Fields). A value with neither is a leaf or an
// empty object: nothing exists below it. Values are never changed once
// built, so states share them.
type DocValue struct {
	Opaque bool
	// Open marks an object that holds the keys of Fields and Events and
	// perhaps others: a built-in action's documented result names some
	// of its keys, not necessarily all. Below an unnamed key nothing is
	// known.
	Open bool
	// Null marks a value that every path sets to JSON null.
	Null   bool
	Events []*events.Node
	// Fields are sorted by key. A slice rather than a map: documents
	// hold a few keys, and a write copies them.
	Fields []DocField
	// Literal holds the JSON types of the literals states wrote here (a
	// Pass Result); see Types.
	Literal JSONTypes
}

// newDocValue returns an empty value whose Fields have room for n
// fields. A small value and its fields are made in one allocation: the
// analysis makes one such value per write and per join, and the number
// of allocations, more than their size, was its cost. The room comes in
// steps that waste little of the allocator's size classes.
func newDocValue(n int) *DocValue {
	switch {
	case n <= 0:
		return &DocValue{}
	case n <= 1:
		return newDocIn(func(f *[1]DocField) []DocField { return f[:0] })
	case n <= 2:
		return newDocIn(func(f *[2]DocField) []DocField { return f[:0] })
	case n <= 3:
		return newDocIn(func(f *[3]DocField) []DocField { return f[:0] })
	case n <= 4:
		return newDocIn(func(f *[4]DocField) []DocField { return f[:0] })
	case n <= 6:
		return newDocIn(func(f *[6]DocField) []DocField { return f[:0] })
	case n <= 8:
		return newDocIn(func(f *[8]DocField) []DocField { return f[:0] })
	case n <= 10:
		return newDocIn(func(f *[10]DocField) []DocField { return f[:0] })
	case n <= 12:
		return newDocIn(func(f *[12]DocField) []DocField { return f[:0] })
	case n <= 16:
		return newDocIn(func(f *[16]DocField) []DocField { return f[:0] })
	case n <= 20:
		return newDocIn(func(f *[20]DocField) []DocField { return f[:0] })
	case n <= 24:
		return newDocIn(func(f *[24]DocField) []DocField { return f[:0] })
	case n <= 32:
		return newDocIn(func(f *[32]DocField) []DocField { return f[:0] })
	}
	return &DocValue{Fields: make([]DocField, 0, n)}
}

// docAndFields is a value and the array its Fields are carved from.
type docAndFields[A any] struct {
	v DocValue
	f A
}

// newDocIn makes a value and its array A of fields together; room
// slices the array.
func newDocIn[A any](room func(*A) []DocField) *DocValue {
	x := new(docAndFields[A])
	x.v.Fields = room(&x.f)
	return &x.v
}

// DocField is one key a state wrote, and whether every path writes it.
type DocField struct {
	Key   string
	Value *DocValue
	Sure  bool
}

// field finds the written key.
func (v *DocValue) field(key string) (DocField, bool) {
	i, found := slices.BinarySearchFunc(v.Fields, key, compareFieldKey)
	if !found {
		return DocField{}, false
	}
	return v.Fields[i], true
}

func compareFieldKey(f DocField, key string) int { return strings.Compare(f.Key, key) }

// putField sets f in fields, which the caller owns, keeping the order.
func putField(fields []DocField, f DocField) []DocField {
	i, found := slices.BinarySearchFunc(fields, f.Key, compareFieldKey)
	if found {
		fields[i] = f
		return fields
	}
	return slices.Insert(fields, i, f)
}

// Presence says what the analysis knows of a path in a document.
type Presence int

// The presences of a path, from the strongest claim to none.
const (
	Absent Presence = iota // no path to the state puts it there
	Maybe                  // some paths put it there, or the event may carry it
	Sure                   // every path puts it there
	Open                   // below an opaque value or an open part of the catalogue: not known
)

// opaqueValue is shared: any value may be below it.
var opaqueValue = &DocValue{Opaque: true}

// leafValue is shared: a string, number, boolean or null.
var leafValue = &DocValue{}

// nullValue is shared: JSON null, as a Pass Result or Parameters wrote it.
var nullValue = &DocValue{Null: true, Literal: TypeNull}

// child steps into key: the value there and how present it is.
func (v *DocValue) child(key string) (*DocValue, Presence) {
	if v.Opaque {
		return opaqueValue, Open
	}
	if f, ok := v.field(key); ok {
		return v.writtenChild(f)
	}
	return v.unwrittenChild(key)
}

// writtenChild is child(f.Key) for a key written as f.
func (v *DocValue) writtenChild(f DocField) (*DocValue, Presence) {
	if f.Sure {
		return f.Value, Sure
	}
	return v.eventChildJoined(f.Key, f.Value), Maybe
}

// unwrittenChild is child(key) for a key no state wrote in v, which is
// not opaque.
func (v *DocValue) unwrittenChild(key string) (*DocValue, Presence) {
	child, p := v.eventChild(key)
	if p == Absent && v.Open {
		return opaqueValue, Open
	}
	return child, p
}

// eventChildJoined joins a written value with what the event may hold
// at the same key, for a key only some paths wrote.
func (v *DocValue) eventChildJoined(key string, written *DocValue) *DocValue {
	if ev, p := v.eventChild(key); p != Absent {
		return joinValues(written, ev)
	}
	return written
}

// eventChild steps into key in each catalogue shape.
func (v *DocValue) eventChild(key string) (*DocValue, Presence) {
	if len(v.Events) == 0 {
		return nil, Absent
	}
	if len(v.Events) == 1 {
		return singleEventChild(v.Events[0], key)
	}
	var found []*events.Node
	for _, n := range v.Events {
		next, ok, open := stepEventNode(n, key)
		switch {
		case open:
			return opaqueValue, Open
		case ok:
			found = appendNode(found, next)
		}
	}
	switch len(found) {
	case 0:
		return nil, Absent
	case 1:
		return eventValue(found[0]), Maybe
	}
	return &DocValue{Events: found}, Maybe
}

// singleEventChild is eventChild for the usual flow, started on one
// event, without allocating.
func singleEventChild(n *events.Node, key string) (*DocValue, Presence) {
	next, ok, open := stepEventNode(n, key)
	switch {
	case open:
		return opaqueValue, Open
	case ok:
		return eventValue(next), Maybe
	}
	return nil, Absent
}

// stepEventNode moves one key down a catalogue shape, as
// events.Node.Lookup does for one segment, without parsing a path: an
// array's element by index, an object's field, and "open" below a value
// the catalogue leaves open.
func stepEventNode(n *events.Node, key string) (next *events.Node, ok, open bool) {
	switch n.Kind {
	case events.KindAny:
		return nil, false, true
	case events.KindArray:
		if n.Elem != nil && isArrayIndex(key) {
			return n.Elem, true, false
		}
	case events.KindObject:
		if f, found := n.Fields[key]; found {
			return f, true, false
		}
		return nil, false, n.Open
	}
	return nil, false, false
}

// isArrayIndex reports whether key is a non-negative decimal index.
func isArrayIndex(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < '0' || key[i] > '9' {
			return false
		}
	}
	return true
}

// eventValues interns the value of each catalogue node: the catalogue
// never changes, so one value per node serves every analysis, and equal
// values are the same pointer, which joins and comparisons take in one
// step.
var eventValues sync.Map // *events.Node → *DocValue

func eventValue(n *events.Node) *DocValue {
	if v, ok := eventValues.Load(n); ok {
		return v.(*DocValue)
	}
	v, _ := eventValues.LoadOrStore(n, &DocValue{Events: []*events.Node{n}})
	return v.(*DocValue)
}

func appendNode(list []*events.Node, n *events.Node) []*events.Node {
	for _, m := range list {
		if m == n {
			return list
		}
	}
	return append(list, n)
}

// step steps along one path segment; an array index steps into the
// catalogue's element shape.
func (v *DocValue) step(seg bundle.Segment) (*DocValue, Presence) {
	if !seg.IsIndex {
		return v.child(seg.Name)
	}
	if v.Opaque {
		return opaqueValue, Open
	}
	child, p := v.eventChild(strconv.Itoa(seg.Index))
	if p == Absent && v.Open {
		return opaqueValue, Open
	}
	return child, p
}

// Lookup follows segs from v. It returns how present the path is and,
// when Absent, how many segments were found before the missing one.
func (v *DocValue) Lookup(segs []bundle.Segment) (Presence, int) {
	cur, presence := v, Sure
	for i, seg := range segs {
		next, p := cur.step(seg)
		switch p {
		case Absent, Open:
			return p, i
		case Maybe:
			presence = Maybe
		}
		cur = next
	}
	return presence, len(segs)
}

// reached follows segs from v in one walk, as Lookup and at do: the
// value there, with ok false when the path is absent or unknown (where
// Lookup says Absent or Open).
func (v *DocValue) reached(segs []bundle.Segment) (_ *DocValue, ok bool) {
	cur := v
	for _, seg := range segs {
		next, p := cur.step(seg)
		if p == Absent || p == Open {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// at returns the value at segs, opaque when the path is not known to
// hold a known value.
func (v *DocValue) at(segs []bundle.Segment) *DocValue {
	cur := v
	for _, seg := range segs {
		next, p := cur.step(seg)
		if p == Absent || p == Open {
			return opaqueValue
		}
		cur = next
	}
	return cur
}

// maxWrittenKeys bounds the keys states may write into one object of a
// document before the analysis gives up on it and calls it opaque. Each
// write copies the object's keys and every state keeps its document, so
// without a bound a flow whose states each write a key of their own
// (ResultPath $.r1, $.r2, ...) costs time and memory quadratic in its
// states: a 10,000-state flow took 1.4 GB. Flows people write stay far
// below the bound; an opaque document only silences reads below it.
const maxWrittenKeys = 256

// with returns v with value written at segs, as a ResultPath writes it.
func (v *DocValue) with(segs []bundle.Segment, value *DocValue) *DocValue {
	if len(segs) == 0 {
		return value
	}
	if v.Opaque || segs[0].IsIndex {
		// Writing into an array or an unknown value: the document
		// is no longer known there.
		return opaqueValue
	}
	key := segs[0].Name
	i, found := slices.BinarySearchFunc(v.Fields, key, compareFieldKey)
	var inner *DocValue
	var p Presence
	if found {
		inner, p = v.writtenChild(v.Fields[i])
	} else {
		inner, p = v.unwrittenChild(key)
	}
	if p == Absent {
		if len(v.Fields) >= maxWrittenKeys {
			return opaqueValue
		}
		inner = leafValue
	}
	written := DocField{Key: key, Value: inner.with(segs[1:], value), Sure: true}
	if found && v.Fields[i] == written && v.Literal == 0 && !v.Null {
		// The key already surely holds this very value (a loop, or
		// states writing the same result again), and v records no
		// literal a write would drop: v says it all.
		return v
	}
	rest := i
	if found {
		rest++ // the written field replaces the old one
	}
	out := newDocValue(i + 1 + len(v.Fields) - rest)
	out.Events, out.Open = v.Events, v.Open
	out.Fields = append(append(append(out.Fields, v.Fields[:i]...), written), v.Fields[rest:]...)
	return out
}

// joinValues is what a state sees when either a or b may arrive.
func joinValues(a, b *DocValue) *DocValue {
	switch {
	case a == nil:
		return b
	case b == nil || a == b:
		return a
	case a.Opaque || b.Opaque:
		return opaqueValue
	}
	out := newDocValue(unionSize(a.Fields, b.Fields))
	out.Events, out.Open, out.Literal = joinEvents(a.Events, b.Events), a.Open || b.Open, joinLiteral(a, b)
	// Both field lists are sorted: merge them, keeping a field both
	// sides share as it is (branches copy their fields from a common
	// document, so most are shared).
	i, j := 0, 0
	for i < len(a.Fields) || j < len(b.Fields) {
		var joined DocField
		switch {
		case j == len(b.Fields) || i < len(a.Fields) && a.Fields[i].Key < b.Fields[j].Key:
			af := a.Fields[i]
			i++
			av, ap := a.writtenChild(af)
			bv, bp := b.unwrittenChild(af.Key)
			joined = joinedField(af.Key, av, ap, bv, bp)
		case i == len(a.Fields) || b.Fields[j].Key < a.Fields[i].Key:
			bf := b.Fields[j]
			j++
			av, ap := a.unwrittenChild(bf.Key)
			bv, bp := b.writtenChild(bf)
			joined = joinedField(bf.Key, av, ap, bv, bp)
		default:
			af, bf := a.Fields[i], b.Fields[j]
			i, j = i+1, j+1
			if af == bf {
				joined = af
				break
			}
			av, ap := a.writtenChild(af)
			bv, bp := b.writtenChild(bf)
			joined = joinedField(af.Key, av, ap, bv, bp)
		}
		out.Fields = append(out.Fields, joined)
	}
	return out
}

// unionSize is how many distinct keys two sorted field lists hold.
func unionSize(a, b []DocField) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].Key < b[j].Key:
			i++
		case b[j].Key < a[i].Key:
			j++
		default:
			i, j = i+1, j+1
		}
		n++
	}
	return n + len(a) - i + len(b) - j
}

// joinedField joins what two documents hold at key, one of them having
// written it: the values there and how present each is.
func joinedField(key string, av *DocValue, ap Presence, bv *DocValue, bp Presence) DocField {
	return DocField{Key: key, Value: joinValues(av, bv), Sure: ap == Sure && bp == Sure}
}

// joinEvents is the union of two lists of catalogue shapes.
func joinEvents(a, b []*events.Node) []*events.Node {
	if slices.Equal(a, b) {
		return a
	}
	out := append([]*events.Node(nil), a...)
	for _, n := range b {
		out = appendNode(out, n)
	}
	return out
}

// sameValue reports whether a and b say the same; the fixed point stops
// when no state's input changes.
func sameValue(a, b *DocValue) bool {
	switch {
	case a == b:
		return true
	case a == nil || b == nil || a.Opaque != b.Opaque || a.Open != b.Open || a.Null != b.Null ||
		len(a.Events) != len(b.Events) || len(a.Fields) != len(b.Fields) || a.Literal != b.Literal:
		return false
	}
	for i := range a.Events {
		if a.Events[i] != b.Events[i] {
			return false
		}
	}
	for i, af := range a.Fields {
		bf := b.Fields[i]
		if af.Key != bf.Key || af.Sure != bf.Sure || !sameValue(af.Value, bf.Value) {
			return false
		}
	}
	return true
}

// literalShape is the shape of a JSON literal, such as a Pass state's
// Result. An array's items are not tracked: it is opaque, so that reading
// an item is never taken for a read of nothing.
func literalShape(n *bundle.Node) *DocValue {
	switch {
	case n == nil:
		return leafValue
	case n.Kind() == bundle.Null:
		return nullValue
	case n.Kind() == bundle.Array && len(n.Elems()) > 0:
		return opaqueValue
	case n.Kind() != bundle.Object:
		return literalLeaf(n)
	}
	out := newDocValue(len(n.Members()))
	out.Literal = TypeObject
	members := n.Members()
	for i := range members {
		m := &members[i]
		out.Fields = putField(out.Fields, DocField{Key: m.Key(), Value: literalShape(m.Value()), Sure: true})
	}
	return out
}

// parametersValue is the shape of resolved Parameters: ".$" keys take
// the value their path reads from input (a template gives a string).
func parametersValue(n *bundle.Node, input *DocValue) *DocValue {
	if n == nil || n.Kind() != bundle.Object {
		return literalShape(n)
	}
	out := newDocValue(len(n.Members()))
	members := n.Members()
	for i := range members {
		m := &members[i]
		key, dynamic := strings.CutSuffix(m.Key(), ".$")
		value := parametersValue(m.Value(), input)
		if dynamic {
			value = dynamicValue(m.Value(), input)
		}
		out.Fields = putField(out.Fields, DocField{Key: key, Value: value, Sure: true})
	}
	return out
}

// dynamicValue is what a ".$" value resolves to.
func dynamicValue(n *bundle.Node, input *DocValue) *DocValue {
	s, ok := n.Str()
	if !ok || !bundle.IsPathValue(s) {
		return leafValue
	}
	var room [pathRoom]bundle.Segment
	p, err := bundle.ParsePathInto(s, room[:0])
	if err != nil {
		return opaqueValue
	}
	return input.at(p.Segments)
}
