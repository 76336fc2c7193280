package rules

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zislint/zislint/bundle"
)

// acceptor is the bundle schema compiled into a yes/no check that walks
// the node tree directly. It exists for speed: jsonschema builds location
// strings and evaluation maps for every object it visits, which made
// schema validation most of the cost of linting. The acceptor answers
// only "valid"; whenever it says no, the jsonschema library validates and
// explains. It understands just the keywords the embedded schema uses and
// refuses to compile anything else, so it cannot silently drift from it.
type acceptor struct {
	alwaysTrue   bool
	alwaysFalse  bool
	types        []string
	kinds        uint8    // the kinds types names, one bit per bundle.Kind
	integer      bool     // types names "integer": a number must be whole
	enum         []string // string values; const is a one-value enum
	hasEnum      bool
	required     []string
	props        map[string]*acceptor
	additional   *acceptor // nil: anything goes
	noAdditional bool      // additionalProperties: false
	items        *acceptor
	minLength    int
	minItems     int
	minProps     int
	minimum      *float64
	allOf        []*acceptor
	ifThen       [][2]*acceptor
	ref          *acceptor
	// byConst, when set, stands for allOf: every entry there is an
	// if/then whose if only asks that the member byConst.key be one
	// constant string (see discriminate).
	byConst *constSwitch
	// fewProps lists props when they are few and nothing else is asked
	// of other members: looking each up in the object is cheaper than
	// looking every member up in props.
	fewProps []propAcceptor
	// requiredMask, when set, stands for required: each required name is
	// a property, with its bit in the property's entry, so the members'
	// one pass over props finds them too.
	requiredMask uint64
	// propIndex is props as objectOK looks them up, without hashing each
	// member's key in full: the schema's names differ in length and a few
	// bytes.
	propIndex *propTable
}

type propAcceptor struct {
	key string
	sub *acceptor
	req uint64 // the property's bit in requiredMask, 0 when not required
}

// constSwitch is an allOf of if/then branches chosen by one member's
// constant value, as the schema picks a resource's or a state's
// sub-schema by its type: the object's value picks the branches to
// check at once, instead of testing every if in turn.
type constSwitch struct {
	key   string
	cases []constCase // in allOf order
}

type constCase struct {
	value string
	then  *acceptor
}

// annotations are keywords that do not affect validity.
var annotations = map[string]bool{"$schema": true, "$id": true, "title": true, "description": true, "$defs": true, "$comment": true}

type acceptorCompiler struct {
	doc  *bundle.Node
	refs map[string]*acceptor // by JSON pointer, for recursive schemas
}

func (c *acceptorCompiler) compile(n *bundle.Node) (*acceptor, error) {
	if n.Kind() == bundle.Bool {
		return &acceptor{alwaysTrue: n.Bool(), alwaysFalse: !n.Bool()}, nil
	}
	if n.Kind() != bundle.Object {
		return nil, fmt.Errorf("schema is a %s", n.Kind())
	}
	a := &acceptor{alwaysTrue: true}
	members := n.Members()
	for i := range members {
		m := &members[i]
		if annotations[m.Key()] {
			continue
		}
		a.alwaysTrue = false
		if err := c.keyword(a, m.Key(), m.Value()); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Key(), err)
		}
	}
	return a, nil
}

func (c *acceptorCompiler) keyword(a *acceptor, key string, v *bundle.Node) (err error) {
	switch key {
	case "type":
		a.types, err = stringList(v)
		a.kinds, a.integer = kindMask(a.types)
	case "enum":
		a.enum, err = stringList(v)
		a.hasEnum = true
	case "const":
		a.enum, err = stringList(v)
		a.hasEnum = true
	case "required":
		a.required, err = stringList(v)
	case "properties":
		a.props = map[string]*acceptor{}
		members := v.Members()
		for i := range members {
			m := &members[i]
			if a.props[m.Key()], err = c.compile(m.Value()); err != nil {
				return err
			}
		}
		a.propIndex = newPropTable(a.props)
	case "additionalProperties":
		if v.Kind() == bundle.Bool && !v.Bool() {
			a.noAdditional = true
			return nil
		}
		a.additional, err = c.compile(v)
	case "items":
		a.items, err = c.compile(v)
	case "minLength", "minItems", "minProperties":
		var n int
		if n, err = strconv.Atoi(v.Text()); err == nil {
			*map[string]*int{"minLength": &a.minLength, "minItems": &a.minItems, "minProperties": &a.minProps}[key] = n
		}
	case "minimum":
		var f float64
		f, err = strconv.ParseFloat(v.Text(), 64)
		a.minimum = &f
	case "allOf":
		for _, e := range v.Elems() {
			sub, err := c.compileBranch(e)
			if err != nil {
				return err
			}
			a.allOf = append(a.allOf, sub)
		}
	case "$ref":
		a.ref, err = c.resolve(v)
	default:
		return fmt.Errorf("keyword not supported by the acceptor")
	}
	return err
}

// compileBranch compiles an allOf entry, which may be an if/then pair.
func (c *acceptorCompiler) compileBranch(n *bundle.Node) (*acceptor, error) {
	ifN, thenN := n.Get("if"), n.Get("then")
	if ifN == nil && thenN == nil {
		return c.compile(n)
	}
	if ifN == nil || thenN == nil || len(n.Members()) != 2 {
		return nil, fmt.Errorf("if needs then, and nothing else beside them")
	}
	ifA, err := c.compile(ifN)
	if err != nil {
		return nil, err
	}
	thenA, err := c.compile(thenN)
	if err != nil {
		return nil, err
	}
	return &acceptor{ifThen: [][2]*acceptor{{ifA, thenA}}}, nil
}

func (c *acceptorCompiler) resolve(v *bundle.Node) (*acceptor, error) {
	ref, _ := v.Str()
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("only local references are supported, not %q", ref)
	}
	if a, ok := c.refs[ref]; ok {
		return a, nil
	}
	target := locate(c.doc, ref[1:])
	if len(target.path) == 0 || target.member == nil {
		return nil, fmt.Errorf("reference %q not found", ref)
	}
	a := &acceptor{}
	c.refs[ref] = a // placeholder first, so recursion terminates
	compiled, err := c.compile(target.node)
	if err != nil {
		return nil, err
	}
	*a = *compiled
	return a, nil
}

func stringList(v *bundle.Node) ([]string, error) {
	if s, ok := v.Str(); ok {
		return []string{s}, nil
	}
	var out []string
	for _, e := range v.Elems() {
		s, ok := e.Str()
		if !ok {
			return nil, fmt.Errorf("only string values are supported")
		}
		out = append(out, s)
	}
	if v.Kind() != bundle.Array {
		return nil, fmt.Errorf("only strings and arrays of strings are supported")
	}
	return out, nil
}

// accepts reports whether n certainly matches the schema. With duplicate
// keys it checks every occurrence, which can only make it stricter than a
// decoder-based validator.
func (a *acceptor) accepts(n *bundle.Node) bool {
	if a.alwaysTrue || a.alwaysFalse {
		return a.alwaysTrue
	}
	if a.ref != nil && !a.ref.accepts(n) {
		return false
	}
	if !a.typeOK(n) || !a.enumOK(n) || !a.sizeOK(n) {
		return false
	}
	if n.Kind() == bundle.Object && !a.objectOK(n) {
		return false
	}
	if n.Kind() == bundle.Array && a.items != nil {
		for _, e := range n.Elems() {
			if !a.items.accepts(e) {
				return false
			}
		}
	}
	if a.byConst != nil {
		if !a.byConst.accepts(n) {
			return false
		}
	} else {
		for _, sub := range a.allOf {
			if !sub.accepts(n) {
				return false
			}
		}
	}
	for _, it := range a.ifThen {
		if it[0].accepts(n) && !it[1].accepts(n) {
			return false
		}
	}
	return true
}

func (a *acceptor) typeOK(n *bundle.Node) bool {
	if a.types == nil || a.kinds&kindBit(n.Kind()) != 0 {
		return true
	}
	return a.integer && isInteger(n)
}

func kindBit(k bundle.Kind) uint8 { return 1 << uint(k) }

// kindMask turns a type list into the bits of the kinds it admits, and
// whether it admits whole numbers besides ("integer").
func kindMask(types []string) (kinds uint8, integer bool) {
	for _, t := range types {
		if t == "integer" {
			integer = true
			continue
		}
		for k := bundle.Null; k <= bundle.Object; k++ {
			if t == k.String() {
				kinds |= kindBit(k)
			}
		}
	}
	return kinds, integer
}

func isInteger(n *bundle.Node) bool {
	if n.Kind() != bundle.Number {
		return false
	}
	f, err := strconv.ParseFloat(n.Text(), 64)
	return err == nil && f == math.Trunc(f)
}

func (a *acceptor) enumOK(n *bundle.Node) bool {
	if !a.hasEnum {
		return true
	}
	s, ok := n.Str()
	return ok && slices.Contains(a.enum, s)
}

func (a *acceptor) sizeOK(n *bundle.Node) bool {
	switch n.Kind() {
	case bundle.String:
		return a.minLength == 0 || utf8.RuneCountInString(n.Text()) >= a.minLength // counts as []rune does, without the copy
	case bundle.Array:
		return len(n.Elems()) >= a.minItems
	case bundle.Object:
		return distinctKeys(n, a.minProps) >= a.minProps
	case bundle.Number:
		if a.minimum != nil {
			f, err := strconv.ParseFloat(n.Text(), 64)
			return err == nil && f >= *a.minimum
		}
	}
	return true
}

func (a *acceptor) objectOK(n *bundle.Node) bool {
	if a.requiredMask == 0 {
		for _, req := range a.required {
			if n.Member(req) == nil {
				return false
			}
		}
	}
	if a.fewProps != nil {
		return fewPropsOK(a.fewProps, n.Members(), a.requiredMask)
	}
	if a.props == nil && a.additional == nil && !a.noAdditional {
		return true // nothing is asked of the members
	}
	var found uint64 // the required properties met
	ms := n.Members()
	for i := range ms {
		m := &ms[i]
		if p := a.propIndex.get(m.Key()); p != nil {
			found |= p.req
			if !p.sub.accepts(m.Value()) {
				return false
			}
			continue
		}
		if a.noAdditional || (a.additional != nil && !a.additional.accepts(m.Value())) {
			return false
		}
	}
	return found == a.requiredMask
}

// fewPropsOK checks each member named in props, every other member being
// free, and that the properties of requiredMask are there.
func fewPropsOK(props []propAcceptor, members []bundle.Member, requiredMask uint64) bool {
	var found uint64
	for _, p := range props {
		for i := range members {
			if members[i].Key() != p.key {
				continue
			}
			found |= p.req
			if !p.sub.accepts(members[i].Value()) {
				return false
			}
		}
	}
	return found == requiredMask
}

func (c *constSwitch) accepts(n *bundle.Node) bool {
	if n.Kind() != bundle.Object {
		// An if about members holds for anything but an object, so
		// every then applies.
		for _, cs := range c.cases {
			if !cs.then.accepts(n) {
				return false
			}
		}
		return true
	}
	v, ok := soleString(n, c.key)
	if !ok {
		return true // no if holds
	}
	for _, cs := range c.cases {
		if cs.value == v && !cs.then.accepts(n) {
			return false
		}
	}
	return true
}

// soleString returns the string every member named key holds, when there
// is at least one such member and they all hold the same string: only
// then does an if asking key to be that constant hold.
func soleString(n *bundle.Node, key string) (string, bool) {
	var v string
	found := false
	members := n.Members()
	for i := range members {
		m := &members[i]
		if m.Key() != key {
			continue
		}
		s, ok := m.Value().Str()
		if !ok || found && s != v {
			return "", false
		}
		v, found = s, true
	}
	return v, found
}

// distinctKeys counts n's distinct keys, stopping once it reaches enough.
// Duplicate keys must not count twice: a decoder keeps only one.
func distinctKeys(n *bundle.Node, enough int) int {
	if enough <= 1 || len(n.Members()) <= 1 {
		return len(n.Members()) // any key makes one distinct key
	}
	seen := map[string]bool{}
	members := n.Members()
	for i := range members {
		m := &members[i]
		seen[m.Key()] = true
		if len(seen) >= enough {
			break
		}
	}
	return len(seen)
}

// reachable lists every acceptor reachable from roots, each once.
func reachable(roots ...*acceptor) []*acceptor {
	var all []*acceptor
	seen := map[*acceptor]bool{}
	var visit func(a *acceptor)
	visit = func(a *acceptor) {
		if a == nil || seen[a] {
			return
		}
		seen[a] = true
		all = append(all, a)
		visit(a.ref)
		visit(a.additional)
		visit(a.items)
		for _, sub := range a.props {
			visit(sub)
		}
		for _, sub := range a.allOf {
			visit(sub)
		}
		for _, it := range a.ifThen {
			visit(it[0])
			visit(it[1])
		}
	}
	for _, r := range roots {
		visit(r)
	}
	return all
}

// shortcut sets, once everything is compiled, the faster forms that
// stand for some keywords: byConst for an allOf of if/thens picked by
// one constant, fewProps for a few properties with the other members
// free. They answer exactly as the keywords they stand for.
func shortcut(roots ...*acceptor) {
	all := reachable(roots...)
	for _, a := range all {
		skipRefs(a)
	}
	for _, a := range all {
		a.byConst = discriminate(a.allOf)
		if a.additional == nil && !a.noAdditional && len(a.props) > 0 && len(a.props) <= maxFewProps {
			a.fewProps = make([]propAcceptor, 0, len(a.props))
			for key, sub := range a.props {
				a.fewProps = append(a.fewProps, propAcceptor{key: key, sub: sub})
			}
			slices.SortFunc(a.fewProps, func(x, y propAcceptor) int { return strings.Compare(x.key, y.key) })
		}
		markRequired(a)
	}
}

// markRequired sets requiredMask, and the bits in the entries of props,
// when every required name is one of a's properties, at most 64.
func markRequired(a *acceptor) {
	if len(a.required) == 0 || len(a.required) > 64 {
		return
	}
	for _, req := range a.required {
		if a.props[req] == nil {
			return
		}
	}
	for i, req := range a.required {
		bit := uint64(1) << i
		a.requiredMask |= bit
		a.propIndex.get(req).req |= bit
		for j := range a.fewProps {
			if a.fewProps[j].key == req {
				a.fewProps[j].req |= bit
			}
		}
	}
}

// skipRefs points a's children that are only a $ref at what they refer
// to, which answers the same, sparing a call for each of the many
// properties that are a $ref.
func skipRefs(a *acceptor) {
	a.ref = deref(a.ref)
	a.additional = deref(a.additional)
	a.items = deref(a.items)
	if a.props != nil {
		for key, sub := range a.props {
			a.props[key] = deref(sub)
		}
		a.propIndex = newPropTable(a.props)
	}
	for i, sub := range a.allOf {
		a.allOf[i] = deref(sub)
	}
	for i := range a.ifThen {
		a.ifThen[i] = [2]*acceptor{deref(a.ifThen[i][0]), deref(a.ifThen[i][1])}
	}
}

// maxFewProps is the most properties fewProps lists: past a few, looking
// every member up in the map is cheaper than scanning for each property.
const maxFewProps = 4

// discriminate returns the switch that stands for allOf when every entry
// is an if/then, nothing else, whose if asks only that one member, the
// same in all, be a constant string; else nil.
func discriminate(allOf []*acceptor) *constSwitch {
	if len(allOf) == 0 {
		return nil
	}
	c := &constSwitch{}
	for i, e := range allOf {
		if len(e.ifThen) != 1 || !bareBut(e, func(x *acceptor) { x.ifThen = nil }) {
			return nil
		}
		key, value, ok := constTest(e.ifThen[0][0])
		if !ok || i > 0 && key != c.key {
			return nil
		}
		c.key = key
		c.cases = append(c.cases, constCase{value: value, then: e.ifThen[0][1]})
	}
	return c
}

// constTest reports whether a holds exactly for the objects whose members
// named key all hold the string value, at least one of them being there
// (and for anything not an object).
func constTest(a *acceptor) (key, value string, ok bool) {
	a = deref(a)
	if len(a.props) != 1 || len(a.required) != 1 || !bareBut(a, func(x *acceptor) { x.props, x.required = nil, nil }) {
		return "", "", false
	}
	key = a.required[0]
	sub := deref(a.props[key])
	if sub == nil || !sub.hasEnum || len(sub.enum) != 1 || !bareBut(sub, func(x *acceptor) { x.enum, x.hasEnum = nil, false }) {
		return "", "", false
	}
	return key, sub.enum[0], true
}

// deref follows acceptors that are only a $ref to what they refer to,
// through a chain no longer than the schema's definitions (a cycle of
// references to nothing else is left as it is).
func deref(a *acceptor) *acceptor {
	for range maxRefChain {
		if a == nil || a.ref == nil || !bareBut(a, func(x *acceptor) { x.ref = nil }) {
			return a
		}
		a = a.ref
	}
	return a
}

const maxRefChain = 64

// bareBut reports whether a asks nothing beyond what clear clears (the
// shortcuts and propIndex, which stand for other keywords, aside).
func bareBut(a *acceptor, clear func(*acceptor)) bool {
	c := *a
	clear(&c)
	c.byConst, c.fewProps, c.propIndex, c.requiredMask = nil, nil, nil, 0
	return reflect.ValueOf(c).IsZero()
}

// propTable is an open-addressed table of properties keyed by a cheap
// hash of a name's length and three of its bytes; a lookup compares at
// most a few names. A nil table holds nothing.
type propTable struct {
	slots []propAcceptor // sub nil: empty
	mask  uint32
}

func newPropTable(props map[string]*acceptor) *propTable {
	if len(props) == 0 {
		return nil
	}
	size := 4
	for size < 4*len(props) {
		size *= 2
	}
	t := &propTable{slots: make([]propAcceptor, size), mask: uint32(size - 1)}
	for key, sub := range props {
		i := propHash(key) & t.mask
		for t.slots[i].sub != nil {
			i = (i + 1) & t.mask
		}
		t.slots[i] = propAcceptor{key: key, sub: sub}
	}
	return t
}

// get returns the entry of the property key, nil when there is none.
func (t *propTable) get(key string) *propAcceptor {
	if t == nil {
		return nil
	}
	for i := propHash(key) & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		switch {
		case s.sub == nil:
			return nil
		case s.key == key:
			return s
		}
	}
}

func propHash(key string) uint32 {
	n := len(key)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9e3779b1 ^ uint32(key[0])<<16 ^ uint32(key[n/2])<<8 ^ uint32(key[n-1])
	h ^= h >> 15
	h *= 0x2c1b3c6d
	return h ^ h>>12
}
