package rules

import (
	"fmt"
	"math"
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
}

// annotations are keywords that do not affect validity.
var annotations = map[string]bool{"$schema": true, "$id": true, "title": true, "description": true, "$defs": true, "$comment": true}

type acceptorCompiler struct {
	doc  *bundle.Node
	refs map[string]*acceptor // by JSON pointer, for recursive schemas
}

func (c *acceptorCompiler) compile(n *bundle.Node) (*acceptor, error) {
	if n.Kind == bundle.Bool {
		return &acceptor{alwaysTrue: n.Bool, alwaysFalse: !n.Bool}, nil
	}
	if n.Kind != bundle.Object {
		return nil, fmt.Errorf("schema is a %s", n.Kind)
	}
	a := &acceptor{alwaysTrue: true}
	for _, m := range n.Members() {
		if annotations[m.Key] {
			continue
		}
		a.alwaysTrue = false
		if err := c.keyword(a, m.Key, m.Value); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Key, err)
		}
	}
	return a, nil
}

func (c *acceptorCompiler) keyword(a *acceptor, key string, v *bundle.Node) (err error) {
	switch key {
	case "type":
		a.types, err = stringList(v)
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
		for _, m := range v.Members() {
			if a.props[m.Key], err = c.compile(m.Value); err != nil {
				return err
			}
		}
	case "additionalProperties":
		if v.Kind == bundle.Bool && !v.Bool {
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
	if v.Kind != bundle.Array {
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
	if n.Kind == bundle.Object && !a.objectOK(n) {
		return false
	}
	if n.Kind == bundle.Array && a.items != nil {
		for _, e := range n.Elems() {
			if !a.items.accepts(e) {
				return false
			}
		}
	}
	for _, sub := range a.allOf {
		if !sub.accepts(n) {
			return false
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
	if a.types == nil {
		return true
	}
	for _, t := range a.types {
		if t == n.Kind.String() || (t == "integer" && isInteger(n)) || (t == "number" && n.Kind == bundle.Number) {
			return true
		}
	}
	return false
}

func isInteger(n *bundle.Node) bool {
	if n.Kind != bundle.Number {
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
	switch n.Kind {
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
	for _, req := range a.required {
		if n.Member(req) == nil {
			return false
		}
	}
	for _, m := range n.Members() {
		if sub, ok := a.props[m.Key]; ok {
			if !sub.accepts(m.Value) {
				return false
			}
			continue
		}
		if a.noAdditional || (a.additional != nil && !a.additional.accepts(m.Value)) {
			return false
		}
	}
	return true
}

// distinctKeys counts n's distinct keys, stopping once it reaches enough.
// Duplicate keys must not count twice: a decoder keeps only one.
func distinctKeys(n *bundle.Node, enough int) int {
	if enough <= 1 || len(n.Members()) <= 1 {
		return len(n.Members()) // any key makes one distinct key
	}
	seen := map[string]bool{}
	for _, m := range n.Members() {
		seen[m.Key] = true
		if len(seen) >= enough {
			break
		}
	}
	return len(seen)
}
