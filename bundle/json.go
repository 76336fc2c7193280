package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Kind is the JSON type of a Node.
type Kind uint8

// The JSON value kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k Kind) String() string { return kindNames[k] }

// Node is one JSON value with the byte range it occupies in the source.
// Strings hold their decoded text, numbers their literal, objects their
// members in source order (duplicates included, so nothing is lost).
//
// A node is 16 bytes, as a large flow holds one per 20 bytes of its file
// and the node's width sets most of lint's memory (with a string header
// and two slice headers it was 80 bytes, then 24). One pointer serves a
// scalar's text or a container's first child, and one word packs the
// kind with the text's length or, for a container, its child count and
// the length of its span; the end offset follows from those. A value
// that does not fit the packed form (a string with escapes, a text of
// 256 MiB, a container of 4,096 children or 64 KiB) points at a wide
// record that holds it whole; a bundle has a handful of those.
type Node struct {
	ptr   unsafe.Pointer // text bytes, first member or element, or a wide record
	Start int32          // offset of the first byte of the value
	bits  uint32         // kind, the wide flag, and the packed lengths
}

const (
	kindShift = 29
	wideFlag  = 1 << 28 // ptr points at a wideText or wideContainer; for Bool, the value true
	lenMask   = wideFlag - 1
	// A container's packed word holds its child count and its span.
	countShift = 16
	countMax   = 1<<(28-countShift) - 1
	spanMax    = 1<<countShift - 1
)

// wideText is a string, number or key whose text is not a plain slice of
// the source of the packed length: escapes decoded, or 256 MiB and over.
type wideText struct {
	text string
	end  int32
	// raw is a detached string value's source text between its quotes,
	// which SourceOffset reads in place of the source (see detach).
	raw string
}

// wideContainer is an object or array too large for the packed word.
type wideContainer struct {
	first unsafe.Pointer // first member or element
	n     int32
	end   int32
}

// Kind returns the value's JSON type.
func (n *Node) Kind() Kind { return Kind(n.bits >> kindShift) }

// Bool returns a boolean's value, false for other kinds.
func (n *Node) Bool() bool { return n.Kind() == Bool && n.bits&wideFlag != 0 }

func (n *Node) wide() bool { return n.bits&wideFlag != 0 }

// End returns the offset just past the value's last byte.
func (n *Node) End() int32 {
	switch n.Kind() {
	case Null:
		return n.Start + 4
	case Bool:
		if n.Bool() {
			return n.Start + 4
		}
		return n.Start + 5
	case Number, String:
		if n.wide() {
			return (*wideText)(n.ptr).end
		}
		length := int32(n.bits & lenMask)
		if n.Kind() == String {
			return n.Start + length + 2
		}
		return n.Start + length
	}
	if n.wide() {
		return (*wideContainer)(n.ptr).end
	}
	return n.Start + int32(n.bits&spanMax)
}

// NewString returns a string node holding text that spans start to end
// in some source: for code that reports on a key as if it were a value.
func NewString(text string, start, end int32) *Node {
	n := &Node{Start: start}
	n.setText(String, text, end)
	return n
}

// Text returns the decoded text of a string or the literal of a number,
// and "" for other kinds.
func (n *Node) Text() string {
	if n == nil {
		return ""
	}
	if k := n.Kind(); k != String && k != Number {
		return ""
	}
	if n.wide() {
		return (*wideText)(n.ptr).text
	}
	return unsafe.String((*byte)(n.ptr), n.bits&lenMask)
}

// children returns a container's first child and count.
func (n *Node) children() (unsafe.Pointer, int) {
	if n.wide() {
		w := (*wideContainer)(n.ptr)
		return w.first, int(w.n)
	}
	return n.ptr, int(n.bits & lenMask >> countShift)
}

// Members returns an object's members in source order, nil for other
// kinds. The slice's capacity is its length, so appending to it copies.
func (n *Node) Members() []Member {
	if n == nil || n.Kind() != Object {
		return nil
	}
	first, count := n.children()
	return unsafe.Slice((*Member)(first), count) // nil when empty: first is never set
}

// Elems returns an array's elements, nil for other kinds. The slice's
// capacity is its length, so appending to it copies.
func (n *Node) Elems() []*Node {
	if n == nil || n.Kind() != Array {
		return nil
	}
	first, count := n.children()
	return unsafe.Slice((**Node)(first), count) // nil when empty: first is never set
}

// setText makes n a string or number of text ending at end.
func (n *Node) setText(kind Kind, text string, end int32) {
	plain := int32(len(text)) + n.Start
	if kind == String {
		plain += 2
	}
	if len(text) <= lenMask && end == plain {
		n.ptr, n.bits = unsafe.Pointer(unsafe.StringData(text)), uint32(kind)<<kindShift|uint32(len(text))
		return
	}
	n.ptr, n.bits = unsafe.Pointer(&wideText{text: text, end: end}), uint32(kind)<<kindShift|wideFlag
}

// setChildren makes n a container of count children from first, ending
// at end.
func (n *Node) setChildren(kind Kind, first unsafe.Pointer, count int, end int32) {
	span := end - n.Start
	if count <= countMax && span <= spanMax {
		n.ptr, n.bits = first, uint32(kind)<<kindShift|uint32(count)<<countShift|uint32(span)
		return
	}
	n.ptr, n.bits = unsafe.Pointer(&wideContainer{first, int32(count), end}), uint32(kind)<<kindShift|wideFlag
}

func (n *Node) setMembers(ms []Member, end int32) {
	n.setChildren(Object, unsafe.Pointer(unsafe.SliceData(ms)), len(ms), end)
}

func (n *Node) setElems(es []*Node, end int32) {
	n.setChildren(Array, unsafe.Pointer(unsafe.SliceData(es)), len(es), end)
}

// setLiteral makes n a null or boolean.
func (n *Node) setLiteral(kind Kind, truth bool) {
	n.bits = uint32(kind) << kindShift
	if truth {
		n.bits |= wideFlag
	}
}

// Member is one "key": value pair of an object, holding its value's node
// in place: 32 bytes in all, where a member with a pointer to its value
// took 40. A flow holds one per 22 bytes of its file, so the member is
// the largest part of a huge flow's tree. The end of a key without
// escapes follows from its start and length.
type Member struct {
	// key points at the key's text and keyLen is its length; a key with
	// escapes (keyLen < 0) points at a wideText instead, as its text
	// and its span in the source differ in length.
	key      unsafe.Pointer
	keyLen   int32
	KeyStart int32 // offset of the opening quote of the key
	value    Node  // held in place: a pointer and a node apart were 8 bytes more
}

// Value returns the member's value. It points into m, so for a member of
// the tree take m from the Members slice by index, not as a copy.
func (m *Member) Value() *Node { return &m.value }

// Key returns the decoded key.
func (m Member) Key() string {
	if m.keyLen < 0 {
		return (*wideText)(m.key).text
	}
	return unsafe.String((*byte)(m.key), m.keyLen)
}

// KeyEnd returns the offset just past the key's closing quote.
func (m Member) KeyEnd() int32 {
	if m.keyLen < 0 {
		return (*wideText)(m.key).end
	}
	return m.KeyStart + m.keyLen + 2
}

// setKey records the key's decoded text and the offset past its closing
// quote; a key spanning more than its text plus two quotes has escapes.
func (m *Member) setKey(key string, end int32) {
	if end == m.KeyStart+int32(len(key))+2 {
		m.key, m.keyLen = unsafe.Pointer(unsafe.StringData(key)), int32(len(key))
		return
	}
	m.key, m.keyLen = unsafe.Pointer(&wideText{text: key, end: end}), -1
}

// Get returns the value of the last member named key, as a JSON decoder
// would, or nil when n is not an object or has no such member.
func (n *Node) Get(key string) *Node {
	if m := n.Member(key); m != nil {
		return m.Value()
	}
	return nil
}

// Member returns the last member named key, or nil.
func (n *Node) Member(key string) *Member {
	members := n.Members()
	for i := len(members) - 1; i >= 0; i-- {
		if members[i].Key() == key {
			return &members[i]
		}
	}
	return nil
}

// Str returns the text of a string node and whether n is one.
func (n *Node) Str() (string, bool) {
	if n == nil || n.Kind() != String {
		return "", false
	}
	return n.Text(), true
}

// Interface returns the value as encoding/json would decode it with
// UseNumber: map[string]any, []any, json.Number, string, bool or nil. For
// duplicate keys the last one wins, as in a decoder.
func (n *Node) Interface() any {
	switch n.Kind() {
	case Bool:
		return n.Bool()
	case Number:
		return json.Number(n.Text())
	case String:
		return n.Text()
	case Array:
		out := make([]any, len(n.Elems()))
		for i, e := range n.Elems() {
			out[i] = e.Interface()
		}
		return out
	case Object:
		members := n.Members()
		out := make(map[string]any, len(members))
		for j := range members {
			m := &members[j]
			out[m.Key()] = m.Value().Interface()
		}
		return out
	}
	return nil
}

// SyntaxError is a JSON syntax error at a byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// DuplicateKey records a key that appears twice in one object.
type DuplicateKey struct {
	Key    string
	Object *Node  // the object holding both
	First  Member // the earlier occurrence
	Dup    Member // the later one, which a JSON decoder keeps
}

// MaxJSONSize is the largest source ParseJSON takes: Node and Member keep
// offsets as int32, which halves their width and so a tenth of a large
// flow's memory. --max-file-size stops far smaller files by default.
const MaxJSONSize = math.MaxInt32

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 512

type parser struct {
	src []byte
	// text is src as one string: keys, strings and numbers without
	// escapes are substrings of it, so a bundle's thousands of strings
	// cost one copy of the file instead of an allocation each.
	text  string
	pos   int
	depth int
	open  []int  // offsets of the objects and arrays being parsed
	nodes []Node // preallocated nodes, handed out by node()
	// The members and elements of the objects and arrays being parsed
	// collect on these stacks, innermost last, and are copied out to a
	// slice of exact size from a shared chunk when their container
	// closes: growing each container's slice with append was a fifth of
	// the parse.
	memberStack []Member
	elemStack   []*Node
	memberChunk []Member
	elemChunk   []*Node
	dups        []DuplicateKey
	err         *SyntaxError
}

// ParseJSON parses src into a Node tree. On a syntax error it returns the
// error with its offset and a nil tree; duplicate keys are returned
// either way, in source order. A source longer than MaxJSONSize is a
// SyntaxError at offset 0.
func ParseJSON(src []byte) (*Node, []DuplicateKey, *SyntaxError) {
	if err := tooLarge(src); err != nil {
		return nil, nil, err
	}
	return parseJSON(src, string(src))
}

// ParseJSONShared is ParseJSON without the copy of src that the tree's
// keys and strings are sliced from: they share src's bytes, so src must
// never be written again. Linting a file it has just read, zislint keeps
// both src (for positions and fixes) and the tree, and the copy was
// another file's worth of memory for nothing.
func ParseJSONShared(src []byte) (*Node, []DuplicateKey, *SyntaxError) {
	if err := tooLarge(src); err != nil {
		return nil, nil, err
	}
	return parseJSON(src, unsafe.String(unsafe.SliceData(src), len(src)))
}

func tooLarge(src []byte) *SyntaxError {
	if len(src) <= MaxJSONSize {
		return nil
	}
	return &SyntaxError{Msg: fmt.Sprintf("the file is %d bytes; zislint reads JSON of at most %d bytes (2 GiB less one), as it keeps offsets in 32 bits", len(src), MaxJSONSize)}
}

// parseJSON parses src, whose text is the same bytes as a string.
func parseJSON(src []byte, text string) (*Node, []DuplicateKey, *SyntaxError) {
	p := &parser{src: src, text: text}
	p.skipSpace()
	if p.pos == len(src) {
		return nil, nil, &SyntaxError{Offset: p.pos, Msg: "the file is empty; a bundle is a JSON object with zis_template_version, name and resources"}
	}
	root := p.node()
	*root, _ = p.value()
	if p.err == nil {
		p.skipSpace()
		if p.pos < len(p.src) {
			p.fail(p.pos, "unexpected %s after the top-level value; a file holds exactly one JSON value", p.describe(p.pos))
		}
	}
	if p.err != nil {
		return nil, p.dups, p.err
	}
	return root, p.dups, nil
}

// chunkLen is how many members or elements one shared chunk holds: one
// short of a power of two, because Go puts an 8-byte header before each
// object with pointers over 512 bytes. A chunk of 256 members (8,192
// bytes) went to the 9,472-byte size class, so a seventh of a huge flow's
// members was padding; 255 members with the header fill 8,192 bytes, and
// 255 elements 2,048.
const chunkLen = 255

// maxCarved is the most children a container takes from a chunk; a
// larger one gets its own slice.
const maxCarved = 64

// takeTop pops the values above base off stack into a slice of exact
// length (capacity too, so an append elsewhere never writes into a
// neighbour) carved from chunk.
func takeTop[T any](stack *[]T, chunk *[]T, base int) []T {
	top := (*stack)[base:]
	var out []T
	switch {
	case len(top) > maxCarved:
		out = make([]T, len(top)) // large: its own allocation wastes no chunk
	default:
		if len(*chunk) < len(top) {
			*chunk = make([]T, chunkLen)
		}
		out = (*chunk)[:len(top):len(top)]
		*chunk = (*chunk)[len(top):]
	}
	copy(out, top)
	// The popped slots are not cleared: the stack lives only as long as
	// the parse, and clearing them cost a write barrier per pointer.
	*stack = (*stack)[:base]
	return out
}

// chunkNodes is the size of the next chunk of nodes, estimated from the
// bytes left to parse. Only array elements and the root take a node of
// their own (members hold theirs), and bundles hold an element per 150
// to 800 bytes, so a small bundle takes one chunk that about fits it,
// one with more elements takes a small second chunk rather than a full
// one, and a huge flow never holds much unused.
func (p *parser) chunkNodes() int {
	const bytesPerNode = 128
	const most = 1023 // 16 KB with the header that nodes, which hold pointers, take
	return min((len(p.src)-p.pos)/bytesPerNode+16, most)
}

// node returns a new node. Nodes come from chunks so a bundle of
// thousands of values costs a few allocations instead of one each.
func (p *parser) node() *Node {
	if len(p.nodes) == 0 {
		p.nodes = make([]Node, p.chunkNodes())
	}
	n := &p.nodes[0]
	p.nodes = p.nodes[1:]
	return n
}

func (p *parser) fail(off int, format string, args ...any) {
	if p.err != nil {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if off >= len(p.src) && len(p.open) > 0 {
		at := p.open[len(p.open)-1]
		line, col := lineCol(p.src, at)
		what := "object"
		if p.src[at] == '[' {
			what = "array"
		}
		msg += fmt.Sprintf(" (the %s opened at line %d, column %d is never closed)", what, line, col)
	}
	p.err = &SyntaxError{Offset: off, Msg: msg}
}

// lineCol returns the 1-based line and byte column of off.
func lineCol(src []byte, off int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < off && i < len(src); i++ {
		if src[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, off - start + 1
}

// describe names the byte at off for an error message.
func (p *parser) describe(off int) string {
	if off >= len(p.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.src[off:])
	switch {
	case r == utf8.RuneError:
		return fmt.Sprintf("byte 0x%02x", p.src[off])
	case r < 0x20:
		return fmt.Sprintf("control character %U", r)
	default:
		return strconv.QuoteRune(r)
	}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value parses the value at p.pos and reports whether it was well
// formed. It returns the node itself, not a pointer: members hold their
// values in place, so the caller puts it where it belongs, and a pointer
// into a member being built would move the member to the heap.
func (p *parser) value() (n Node, ok bool) {
	if p.pos >= len(p.src) {
		p.fail(p.pos, "unexpected end of file, expected a value")
		return n, false
	}
	n.Start = int32(p.pos)
	switch c := p.src[p.pos]; {
	case c == '{':
		ok = p.object(&n)
	case c == '[':
		ok = p.array(&n)
	case c == '"':
		var s string
		if s, ok = p.str(); ok {
			n.setText(String, s, int32(p.pos))
		}
	case c == '-' || (c >= '0' && c <= '9'):
		ok = p.number(&n)
	case c == 't':
		ok = p.literal(&n, "true", Bool, true)
	case c == 'f':
		ok = p.literal(&n, "false", Bool, false)
	case c == 'n':
		ok = p.literal(&n, "null", Null, false)
	default:
		p.fail(p.pos, "%s", p.badValue())
	}
	return n, ok
}

// badKey explains what went wrong where an object key should start.
func (p *parser) badKey() {
	if rest := p.src[p.pos:]; len(rest) > 0 && (rest[0] == '/' || rest[0] == '\'') {
		p.fail(p.pos, "%s", p.badValue())
		return
	}
	p.fail(p.pos, "unexpected %s, expected a string key in double quotes", p.describe(p.pos))
}

// badValue explains what went wrong where a value should start, naming
// the usual slips from other languages.
func (p *parser) badValue() string {
	rest := p.src[p.pos:]
	word := rest[:len(rest)-len(bytes.TrimLeftFunc(rest, unicode.IsLetter))]
	switch lower := strings.ToLower(string(word)); {
	case lower == "true" || lower == "false" || lower == "null":
		return fmt.Sprintf("unexpected %q; JSON literals are lower case: write %s", word, lower)
	case lower == "none" || lower == "nil" || lower == "undefined":
		return fmt.Sprintf("unexpected %q; JSON writes an empty value as null", word)
	case bytes.HasPrefix(rest, []byte("//")) || bytes.HasPrefix(rest, []byte("/*")):
		return "JSON does not allow comments; remove it"
	case len(rest) > 0 && rest[0] == '\'':
		return "unexpected \"'\"; JSON strings use double quotes"
	case len(word) > 0:
		return fmt.Sprintf("unexpected %q; strings must be in double quotes", word)
	}
	return fmt.Sprintf("unexpected %s, expected a value (object, array, string, number, true, false or null)", p.describe(p.pos))
}

func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.pos, "values nested more than %d deep", maxDepth)
		return false
	}
	p.open = append(p.open, p.pos)
	return true
}

func (p *parser) leave() {
	p.depth--
	p.open = p.open[:len(p.open)-1]
}

func (p *parser) object(n *Node) bool {
	n.bits = uint32(Object) << kindShift // an object without members until it closes
	if !p.enter() {
		return false
	}
	defer p.leave()
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		n.setMembers(nil, int32(p.pos))
		return true
	}
	var seen keySet
	base := len(p.memberStack)
	for {
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			p.badKey()
			return false
		}
		m := Member{KeyStart: int32(p.pos)}
		key, ok := p.str()
		if !ok {
			return false
		}
		m.setKey(key, int32(p.pos))
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			p.fail(p.pos, "unexpected %s, expected ':' after object key %q", p.describe(p.pos), key)
			return false
		}
		p.pos++
		p.skipSpace()
		if m.value, ok = p.value(); !ok {
			return false
		}
		p.noteDuplicate(n.Start, p.memberStack[base:], &seen, m)
		p.memberStack = append(p.memberStack, m)
		closed, ok := p.separator('}', "object value")
		if !ok {
			return false
		}
		if closed {
			n.setMembers(takeTop(&p.memberStack, &p.memberChunk, base), int32(p.pos))
			if seen.holder != nil {
				*seen.holder = *n // the duplicates' object, now complete
			}
			return true
		}
	}
}

// separator reads what follows an element of an object or array: a comma
// before the next element, or the closing bracket. closed reports the
// latter; ok is false after a syntax error.
func (p *parser) separator(closing byte, element string) (closed, ok bool) {
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ',' {
		comma := p.pos
		p.pos++
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == closing {
			p.fail(comma, "trailing comma before '%c'; JSON does not allow it, remove the comma", closing)
			return false, false
		}
		return false, true
	}
	if p.pos < len(p.src) && p.src[p.pos] == closing {
		p.pos++
		return true, true
	}
	p.fail(p.pos, "unexpected %s, expected ',' or '%c' after %s", p.describe(p.pos), closing, element)
	return false, false
}

// keySet tells whether an object being parsed already has a key. Up to
// maskedKeys members it keeps one bit per key hash and compares keys only
// when a key's bit is already set, which in an object without duplicates
// is rare; past that it indexes the members in a keyTable, so a huge
// object stays linear overall. Comparing every key with every earlier
// one, and a map from 16 members on, was a seventh of the parse.
type keySet struct {
	bits  uint64
	table keyTable // past maskedKeys: each key at its first member
	// The object's node is written where its parent keeps it only after
	// it closes, so its duplicates point at a copy, made at the first
	// duplicate and completed at the close; an object that never closes
	// leaves an object without members, as it had no members then.
	holder *Node
}

const maskedKeys = 64

// keyBit hashes key to one of 64 bits.
func keyBit(key string) uint64 { return 1 << (textHash(key) >> 26) }

// noteDuplicate records m if its key is already among members, the
// members before it in the object that starts at objStart.
func (p *parser) noteDuplicate(objStart int32, members []Member, seen *keySet, m Member) {
	first := -1
	switch {
	case len(members) < maskedKeys:
		bit := keyBit(m.Key())
		if seen.bits&bit != 0 {
			first = firstWithKey(members, m.Key())
		}
		seen.bits |= bit
	default:
		keyOf := func(i int) string { return members[i].Key() }
		if seen.table.slots == nil { // the first key past maskedKeys
			seen.table = newKeyTable(2 * len(members))
			for i := range members {
				seen.table.add(i, members[i].Key(), keyOf)
			}
		}
		first = seen.table.add(len(members), m.Key(), keyOf)
	}
	if first >= 0 {
		if seen.holder == nil {
			seen.holder = &Node{Start: objStart, bits: uint32(Object) << kindShift}
		}
		p.dups = append(p.dups, DuplicateKey{Key: m.Key(), Object: seen.holder, First: members[first], Dup: m})
	}
}

// firstWithKey returns the index of the first member named key, or -1.
func firstWithKey(members []Member, key string) int {
	for i := range members {
		if members[i].Key() == key {
			return i
		}
	}
	return -1
}

func (p *parser) array(n *Node) bool {
	n.bits = uint32(Array) << kindShift
	if !p.enter() {
		return false
	}
	defer p.leave()
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		n.setElems(nil, int32(p.pos))
		return true
	}
	base := len(p.elemStack)
	for {
		v := p.node()
		var ok bool
		if *v, ok = p.value(); !ok {
			return false
		}
		p.elemStack = append(p.elemStack, v)
		closed, ok := p.separator(']', "array element")
		if !ok {
			return false
		}
		if closed {
			n.setElems(takeTop(&p.elemStack, &p.elemChunk, base), int32(p.pos))
			return true
		}
	}
}

func (p *parser) literal(n *Node, word string, kind Kind, b bool) bool {
	if len(p.src)-p.pos < len(word) || string(p.src[p.pos:p.pos+len(word)]) != word {
		p.fail(p.pos, "unexpected %s, expected a value (did you mean %s?)", p.describe(p.pos), word)
		return false
	}
	p.pos += len(word)
	n.setLiteral(kind, b)
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) number(n *Node) bool {
	start := p.pos
	if p.src[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(p.src) && p.src[p.pos] == '0':
		p.pos++
		if p.pos < len(p.src) && isDigit(p.src[p.pos]) {
			p.fail(start, "a number cannot start with 0 followed by more digits; remove the leading zero, or quote it if it is an id")
			return false
		}
	case p.pos < len(p.src) && isDigit(p.src[p.pos]):
		for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
			p.pos++
		}
	default:
		p.fail(p.pos, "unexpected %s in number, expected a digit", p.describe(p.pos))
		return false
	}
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		if !p.digits("after the decimal point") {
			return false
		}
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		if !p.digits("in the exponent") {
			return false
		}
	}
	n.setText(Number, p.text[start:p.pos], int32(p.pos))
	return true
}

func (p *parser) digits(where string) bool {
	if p.pos >= len(p.src) || !isDigit(p.src[p.pos]) {
		p.fail(p.pos, "unexpected %s in number, expected a digit %s", p.describe(p.pos), where)
		return false
	}
	for p.pos < len(p.src) && isDigit(p.src[p.pos]) {
		p.pos++
	}
	return true
}

// str parses a string literal starting at the opening quote and returns
// its decoded text. The common case, no escapes, is a single copy.
func (p *parser) str() (string, bool) {
	start := p.pos
	p.pos++
	for i := p.pos; i < len(p.src); i++ {
		switch c := p.src[i]; {
		case c == '"':
			p.pos = i + 1
			return p.text[start+1 : i], true
		case c == '\\':
			return p.escapedStr(start)
		case c < 0x20:
			p.controlInString(i)
			return "", false
		}
	}
	p.fail(start, "string is never closed; add the closing '\"'")
	return "", false
}

func (p *parser) controlInString(i int) {
	if c := p.src[i]; c == '\n' || c == '\r' {
		p.fail(i, "line break inside a string; close the string with '\"' before the line ends, or write the break as \\n")
		return
	}
	p.fail(i, "%s inside a string; write it as an escape such as \\n or \\t", p.describe(i))
}

func (p *parser) escapedStr(start int) (string, bool) {
	buf := make([]byte, 0, 32)
	i := start + 1
	for i < len(p.src) {
		c := p.src[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(buf), true
		case c < 0x20:
			p.controlInString(i)
			return "", false
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(p.src) {
			break
		}
		var ok bool
		if buf, i, ok = p.escape(buf, i); !ok {
			return "", false
		}
	}
	p.fail(start, "string is never closed; add the closing '\"'")
	return "", false
}

// simpleEscape returns the byte a one-letter escape such as \n stands
// for. A switch, where a map would be built at start-up.
func simpleEscape(e byte) (byte, bool) {
	switch e {
	case '"', '\\', '/':
		return e, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

// escape decodes the escape sequence at src[i] (a backslash) into buf and
// returns the offset after it.
func (p *parser) escape(buf []byte, i int) ([]byte, int, bool) {
	e := p.src[i+1]
	if r, ok := simpleEscape(e); ok {
		return append(buf, r), i + 2, true
	}
	if e != 'u' {
		p.fail(i, "invalid escape '\\%c' in string; valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", e)
		return nil, 0, false
	}
	r, ok := p.hex4(i)
	if !ok {
		return nil, 0, false
	}
	i += 6
	if utf16.IsSurrogate(r) {
		if lo, ok := p.lowSurrogate(i); ok {
			r = utf16.DecodeRune(r, lo)
			i += 6
		} else {
			r = utf8.RuneError
		}
	}
	return utf8.AppendRune(buf, r), i, true
}

func (p *parser) lowSurrogate(i int) (rune, bool) {
	if i+1 >= len(p.src) || p.src[i] != '\\' || p.src[i+1] != 'u' {
		return 0, false
	}
	save := p.err
	r, ok := p.hex4(i)
	p.err = save
	return r, ok && r >= 0xDC00 && r <= 0xDFFF
}

func (p *parser) hex4(i int) (rune, bool) {
	if i+6 > len(p.src) {
		p.fail(i, "incomplete \\u escape; it takes exactly four hex digits")
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.src[i+2:i+6]), 16, 32)
	if err != nil {
		p.fail(i, "invalid \\u escape %q; it takes exactly four hex digits", p.src[i:i+6])
		return 0, false
	}
	return rune(v), true
}

// RemovalSpan returns the byte range to delete so that the member of n
// whose key starts at keyStart disappears and the object stays valid JSON:
// the member and the comma after it, or for the last member the comma
// before it. ok is false when n has no such member.
func (n *Node) RemovalSpan(keyStart int) (start, end int, ok bool) {
	members := n.Members()
	for i := range members {
		m := &members[i]
		if int(m.KeyStart) != keyStart {
			continue
		}
		switch {
		case i+1 < len(n.Members()):
			return int(m.KeyStart), int(members[i+1].KeyStart), true
		case i > 0:
			return int(members[i-1].Value().End()), int(m.Value().End()), true
		default:
			return int(m.KeyStart), int(m.Value().End()), true
		}
	}
	return 0, 0, false
}

// SourceOffset maps byte offset i of a string node's decoded text to the
// offset in src where that byte was written, so a finding can point
// inside a string even when escapes make the two differ. src is the
// bundle's source, or nil for a detached bundle, whose strings with
// escapes keep their source text.
func (n *Node) SourceOffset(src []byte, i int) int {
	start, end := int(n.Start), int(n.End())
	// inner is the source from after the opening quote: the rest of src
	// (the loop stops at the closing quote), or a detached string's own
	// source text; "" when the text is its source.
	var inner string
	switch {
	case src != nil && start+1 < len(src):
		inner = unsafe.String(&src[start+1], len(src)-(start+1))
	case src == nil && n.wide() && n.Kind() == String:
		inner = (*wideText)(n.ptr).raw
	}
	raw := start + 1 // raw starts after the opening quote
	if inner == "" {
		raw += min(max(i, 0), max(end-1-raw, 0))
	}
	for decoded := 0; inner != "" && decoded < i && raw < end-1; {
		at := raw - (start + 1)
		if inner[at] != '\\' {
			raw++
			decoded++
			continue
		}
		if at+1 < len(inner) && inner[at+1] == 'u' && at+6 <= len(inner) {
			r, err := strconv.ParseUint(inner[at+2:at+6], 16, 32)
			raw += 6
			at += 6
			if err == nil && utf16.IsSurrogate(rune(r)) && at+6 <= len(inner) && inner[at] == '\\' {
				raw += 6
				decoded += 4
				continue
			}
			decoded += utf8.RuneLen(rune(r))
			continue
		}
		raw += 2
		decoded++
	}
	return min(raw, max(end-1, start))
}

// PointerSteps splits a JSON pointer (RFC 6901) into its unescaped
// steps; "" is no step. ok is false for text that is not a pointer.
func PointerSteps(ptr string) (steps []string, ok bool) {
	if ptr == "" {
		return nil, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	steps = strings.Split(ptr[1:], "/")
	for i, s := range steps {
		steps[i] = pointerUnescaper.Replace(s)
	}
	return steps, true
}

var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

// Pointer returns the value at JSON pointer ptr (RFC 6901) below n, or
// nil when there is none.
func (n *Node) Pointer(ptr string) *Node {
	steps, ok := PointerSteps(ptr)
	if !ok {
		return nil
	}
	for _, seg := range steps {
		switch {
		case n == nil:
			return nil
		case n.Kind() == Object:
			n = n.Get(seg)
		case n.Kind() == Array:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n.Elems()) {
				return nil
			}
			n = n.Elems()[i]
		default:
			return nil
		}
	}
	return n
}

// PointerSpan returns the byte range of the value at JSON pointer ptr,
// starting at its key when it is an object member, since findings about
// a member are often reported on its key.
func (n *Node) PointerSpan(ptr string) (start, end int, ok bool) {
	target := n.Pointer(ptr)
	if target == nil {
		return 0, 0, false
	}
	start, end = int(target.Start), int(target.End())
	if i := strings.LastIndexByte(ptr, '/'); i >= 0 {
		key := pointerUnescaper.Replace(ptr[i+1:])
		if m := n.Pointer(ptr[:i]).Member(key); m != nil && m.Value() == target {
			start = int(m.KeyStart)
		}
	}
	return start, end, true
}

// Items returns the elements of an array node, or nil for anything else,
// including a missing (nil) node.
func (n *Node) Items() []*Node {
	if n == nil || n.Kind() != Array {
		return nil
	}
	return n.Elems()
}

// QuoteJSON encodes s as a JSON string, without escaping HTML characters,
// for edits that write strings back into a bundle. (strconv.Quote writes
// Go escapes such as \xe4 that are not JSON.)
func QuoteJSON(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
