package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		`{}`, `[]`, `null`, `true`, `false`, `0`, `-1.5e+10`, `"a\"b\\c\/\b\f\n\r\t\u00e9\ud83d\ude00"`,
		`{"a": [1, 2, {"b": null}], "c": "d"}`,
		`  {"k": "v"}  `,
		`{"dup": 1, "dup": 2}`,
		`"\ud800x"`,
	}
	for _, in := range inputs {
		root, _, err := ParseJSON([]byte(in))
		if err != nil {
			t.Errorf("ParseJSON(%s): %v", in, err)
			continue
		}
		dec := json.NewDecoder(stringReader(in))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("encoding/json rejects %s: %v", in, err)
		}
		if diff := cmp.Diff(want, root.Interface()); diff != "" {
			t.Errorf("ParseJSON(%s) mismatch (-want +got):\n%s", in, diff)
		}
	}
}

func TestParseJSONPositions(t *testing.T) {
	src := []byte(`{"a": "xy", "b": [true, 12]}`)
	root, _, err := ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	a := root.Member("a")
	if got := string(src[a.KeyStart:a.KeyEnd()]); got != `"a"` {
		t.Errorf("key range = %q", got)
	}
	if got := string(src[a.Value().Start:a.Value().End()]); got != `"xy"` {
		t.Errorf("value range = %q", got)
	}
	b := root.Get("b")
	if got := string(src[b.Elems()[1].Start:b.Elems()[1].End()]); got != `12` {
		t.Errorf("element range = %q", got)
	}
	if root.Start != 0 || int(root.End()) != len(src) {
		t.Errorf("root range = %d..%d", root.Start, root.End())
	}
}

func TestParseJSONDuplicateKeys(t *testing.T) {
	src := []byte(`{"Next": "A", "x": {"k": 1, "k": 2}, "Next": "B"}`)
	root, dups, err := ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	type dup struct {
		Key         string
		First, Then int
	}
	var got []dup
	for _, d := range dups {
		got = append(got, dup{d.Key, int(d.First.KeyStart), int(d.Dup.KeyStart)})
	}
	want := []dup{{"k", 20, 28}, {"Next", 1, 37}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("duplicates (-want +got):\n%s", diff)
	}
	if s, _ := root.Get("Next").Str(); s != "B" {
		t.Errorf("Get keeps %q, want the last value B", s)
	}
}

func TestParseJSONDuplicateKeysInLargeObject(t *testing.T) {
	src := []byte(`{"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1,"i":1,"j":1,"k":1,"l":1,"m":1,"n":1,"o":1,"p":1,"q":1,"c":2,"r":1,"q":3}`)
	_, dups, err := ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range dups {
		keys = append(keys, d.Key)
	}
	if diff := cmp.Diff([]string{"c", "q"}, keys); diff != "" {
		t.Errorf("duplicate keys (-want +got):\n%s", diff)
	}
}

func TestParseJSONSyntaxErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{`{"a": 1 "b": 2}`, 8, `unexpected '"', expected ',' or '}' after object value`},
		{`{"a": 1,}`, 7, `trailing comma before '}'; JSON does not allow it, remove the comma`},
		{`[1, ]`, 2, `trailing comma before ']'; JSON does not allow it, remove the comma`},
		{`[1 2]`, 3, `unexpected '2', expected ',' or ']' after array element`},
		{`{"a" 1}`, 5, `unexpected '1', expected ':' after object key "a"`},
		{`{a: 1}`, 1, `unexpected 'a', expected a string key in double quotes`},
		{`{"a": tru}`, 6, `unexpected 't', expected a value (did you mean true?)`},
		{`{"a": "x`, 6, `string is never closed; add the closing '"'`},
		{`{"a": 1`, 7, `unexpected end of file, expected ',' or '}' after object value (the object opened at line 1, column 1 is never closed)`},
		{"{\n \"a\": [1,\n", 12, `unexpected end of file, expected a value (the array opened at line 2, column 7 is never closed)`},
		{`{"a": True}`, 6, `unexpected "True"; JSON literals are lower case: write true`},
		{`{"a": None}`, 6, `unexpected "None"; JSON writes an empty value as null`},
		{`{"a": 'x'}`, 6, `unexpected "'"; JSON strings use double quotes`},
		{`{"a": abc}`, 6, `unexpected "abc"; strings must be in double quotes`},
		{"{\"a\": 1, // note\n}", 9, `JSON does not allow comments; remove it`},
		{`{'a': 1}`, 1, `unexpected "'"; JSON strings use double quotes`},
		{"[1, // note\n2]", 4, `JSON does not allow comments; remove it`},
		{"{\"a\": \"x\ny\"}", 8, `line break inside a string; close the string with '"' before the line ends, or write the break as \n`},
		{``, 0, `the file is empty; a bundle is a JSON object with zis_template_version, name and resources`},
		{" \n ", 3, `the file is empty; a bundle is a JSON object with zis_template_version, name and resources`},
		{`{} {}`, 3, `unexpected '{' after the top-level value; a file holds exactly one JSON value`},
		{`"\x"`, 1, `invalid escape '\x' in string; valid escapes are \" \\ \/ \b \f \n \r \t \uXXXX`},
		{`"\u12"`, 1, `incomplete \u escape; it takes exactly four hex digits`},
		{`"\u12zz"`, 1, `invalid \u escape "\\u12zz"; it takes exactly four hex digits`},
		{"\"a\tb\"", 2, `control character U+0009 inside a string; write it as an escape such as \n or \t`},
		{`-`, 1, `unexpected end of file in number, expected a digit`},
		{`1.`, 2, `unexpected end of file in number, expected a digit after the decimal point`},
		{`1e+`, 3, `unexpected end of file in number, expected a digit in the exponent`},
		{`[01]`, 1, `a number cannot start with 0 followed by more digits; remove the leading zero, or quote it if it is an id`},
		{"\xff", 0, `unexpected byte 0xff, expected a value (object, array, string, number, true, false or null)`},
	}
	for _, tt := range tests {
		_, _, err := ParseJSON([]byte(tt.in))
		if err == nil {
			t.Errorf("ParseJSON(%q) succeeded, want an error", tt.in)
			continue
		}
		if err.Offset != tt.offset || err.Msg != tt.msg {
			t.Errorf("ParseJSON(%q) = %d %q, want %d %q", tt.in, err.Offset, err.Msg, tt.offset, tt.msg)
		}
	}
}

func TestParseJSONDepthLimit(t *testing.T) {
	deep := make([]byte, 0, 2*maxDepth+10)
	for i := 0; i < maxDepth+1; i++ {
		deep = append(deep, '[')
	}
	_, _, err := ParseJSON(deep)
	if err == nil || err.Msg != "values nested more than 512 deep" {
		t.Fatalf("err = %v, want the nesting limit", err)
	}
}

func TestLooksLikeBundle(t *testing.T) {
	tests := map[string]bool{
		`{"zis_template_version": "2019-10-14"}`:                   true,
		`{"name": "x", "meta": {"resources": 1}, "resources": {}}`: true,
		`{"job_specs": [], "meta": {"resources": {}}}`:             false,
		`[{"resources": {}}]`:                                      false,
		`{"name": "x", "resources": {`:                             true, // broken, but mentions a bundle key
		`{"name": "x",`:                                            false,
		`not json`:                                                 false,
		`{"a\"resources": 1}`:                                      false,
	}
	for in, want := range tests {
		if got := LooksLikeBundle([]byte(in)); got != want {
			t.Errorf("LooksLikeBundle(%s) = %v, want %v", in, got, want)
		}
	}
}

func stringReader(s string) *strings.Reader { return strings.NewReader(s) }

func TestParseJSONNeverPanicsOnTruncation(t *testing.T) {
	src := []byte(`{"a": [1, {"b": "c\u00e9", "d": true}], 'x': None, "e": -1.5e3}`)
	for i := range src {
		ParseJSON(src[:i]) // must not panic on any prefix
	}
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"a": [1, "b", {"c": null}]}`))
	f.Add([]byte(`{"a": 1, "a": 2}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		root, _, err := ParseJSON(src)
		tooDeep := err != nil && strings.HasPrefix(err.Msg, "values nested more than")
		if (err == nil) != json.Valid(src) && utf8.Valid(src) && !tooDeep {
			t.Fatalf("ParseJSON err %v, but json.Valid says %v", err, json.Valid(src))
		}
		if err == nil && root.Start < 0 || err != nil && (err.Offset < 0 || err.Offset > len(src)) {
			t.Fatalf("bad offsets: root %+v err %+v", root, err)
		}
		if err == nil && utf8.Valid(src) {
			checkSpans(t, src, root)
		}
	})
}

func TestSourceOffset(t *testing.T) {
	src := []byte(`{"k": "a\n\u00e9b\"c"}`)
	root, _, err := ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	n := root.Get("k")
	// Decoded: a \n é(2 bytes) b " c
	for decoded, want := range map[int]int{0: 7, 1: 8, 2: 10, 4: 16, 5: 17, 6: 19} {
		if got := n.SourceOffset(src, decoded); got != want {
			t.Errorf("SourceOffset(%d) = %d, want %d", decoded, got, want)
		}
	}
}

func TestPointer(t *testing.T) {
	root, _, err := ParseJSON([]byte(`{"a": {"b/c": [10, {"d~e": true}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{"": "object", "/a": "object", "/a/b~1c/0": "number", "/a/b~1c/1/d~0e": "boolean"}
	for ptr, kind := range tests {
		if n := root.Pointer(ptr); n == nil || n.Kind().String() != kind {
			t.Errorf("Pointer(%q) = %v, want a %s", ptr, n, kind)
		}
	}
	for _, ptr := range []string{"/x", "/a/b~1c/2", "/a/b~1c/-1", "a", "/a/b~1c/0/z"} {
		if n := root.Pointer(ptr); n != nil {
			t.Errorf("Pointer(%q) = %v, want nil", ptr, n)
		}
	}
}

func TestPointerSpan(t *testing.T) {
	src := []byte(`{"a": {"b": [1, 2]}}`)
	root, _, _ := ParseJSON(src)
	for ptr, want := range map[string]string{"/a/b": `"b": [1, 2]`, "/a/b/1": `2`, "": string(src)} {
		start, end, ok := root.PointerSpan(ptr)
		if !ok || string(src[start:end]) != want {
			t.Errorf("PointerSpan(%q) = %q, %v; want %q", ptr, src[start:end], ok, want)
		}
	}
	if _, _, ok := root.PointerSpan("/nope"); ok {
		t.Error("PointerSpan of a missing member succeeded")
	}
}

// A source too long for 32-bit offsets is refused with a message, not
// parsed into wrapped offsets. The buffer is never written, so Linux
// backs it with no memory.
func TestParseJSONRefusesTwoGiB(t *testing.T) {
	src := make([]byte, MaxJSONSize+1)
	root, _, err := ParseJSON(src)
	if root != nil || err == nil || !strings.Contains(err.Msg, "at most 2147483647 bytes") {
		t.Fatalf("ParseJSON of 2 GiB = %v, %v", root, err)
	}
}

// A large flow holds a Node and a Member per 20 bytes or so of its file,
// so their width is most of lint's memory: a new field should be a
// choice, not an accident.
func TestNodeAndMemberWidth(t *testing.T) {
	if n, m := unsafe.Sizeof(Node{}), unsafe.Sizeof(Member{}); n != 16 || m != 32 {
		t.Errorf("Node is %d bytes and Member %d; want 16 and 32", n, m)
	}
}

// Values too large for a node's packed word, and strings whose text is
// not their source, keep their kind, text, children and range in a wide
// record: each is checked against its own span of the source.
func TestWideValuesKeepTheirRange(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"many": [`)
	for i := range countMax + 2 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%d", i%10)
	}
	b.WriteString(`], "long": {"s": "` + strings.Repeat("x", spanMax+1) + `"}, "esc": "a\"b\u00e9", "k\n": [true, false, null, {}, []],`)
	b.WriteString(` "edge": ["` + strings.Repeat("y", spanMax-4) + `"]}`)
	src := []byte(b.String())
	root, _, err := ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, src, root)
	if got := len(root.Get("many").Elems()); got != countMax+2 {
		t.Errorf("many has %d elements, want %d", got, countMax+2)
	}
	if got := root.Get("esc").Text(); got != "a\"bé" {
		t.Errorf("esc = %q", got)
	}
}

// checkSpans holds every node under n to its span of src: the span
// decodes to the node's value, and each key's span to its key.
func checkSpans(t *testing.T, src []byte, n *Node) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(src[n.Start:n.End()]))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil || dec.InputOffset() != int64(n.End()-n.Start) {
		t.Fatalf("%s node at %d..%d: span does not hold one value: %v", n.Kind(), n.Start, n.End(), err)
	}
	if !reflect.DeepEqual(n.Interface(), want) {
		t.Fatalf("%s node at %d..%d differs from its span", n.Kind(), n.Start, n.End())
	}
	for _, m := range n.Members() {
		var key string
		if err := json.Unmarshal(src[m.KeyStart:m.KeyEnd()], &key); err != nil || key != m.Key() {
			t.Fatalf("key %q at %d..%d: span holds %q (%v)", m.Key(), m.KeyStart, m.KeyEnd(), key, err)
		}
		checkSpans(t, src, m.Value())
	}
	for _, e := range n.Elems() {
		checkSpans(t, src, e)
	}
}

// ParseJSONShared builds the tree ParseJSON builds, with its strings in
// src's own bytes rather than in a copy.
func TestParseJSONSharedSharesSource(t *testing.T) {
	src := []byte(`{"name": "plain", "b": ["x", 1.5, "esc\u00e9"], "b": {}}`)
	want, wantDups, wantErr := ParseJSON(src)
	got, dups, err := ParseJSONShared(src)
	if wantErr != nil || err != nil {
		t.Fatal(wantErr, err)
	}
	if d := cmp.Diff(viewNode(want), viewNode(got)); d != "" {
		t.Errorf("trees differ (-copy +shared):\n%s", d)
	}
	if len(dups) != 1 || len(wantDups) != 1 || dups[0].Key != "b" {
		t.Errorf("duplicates %v, want one of b as %v", dups, wantDups)
	}
	name := got.Get("name").Text()
	if unsafe.StringData(name) != &src[10] {
		t.Errorf("the string %q was copied out of src", name)
	}
}

// nodeView is a Node with its text and children as plain fields, for
// comparing trees with cmp.
type nodeView struct {
	Kind       Kind
	Bool       bool
	Start, End int32
	Text       string
	Members    []memberView
	Elems      []nodeView
}

type memberView struct {
	Key              string
	KeyStart, KeyEnd int32
	Value            nodeView
}

func viewNode(n *Node) nodeView {
	v := nodeView{Kind: n.Kind(), Bool: n.Bool(), Start: n.Start, End: n.End(), Text: n.Text()}
	for _, m := range n.Members() {
		v.Members = append(v.Members, memberView{m.Key(), m.KeyStart, m.KeyEnd(), viewNode(m.Value())})
	}
	for _, e := range n.Elems() {
		v.Elems = append(v.Elems, viewNode(e))
	}
	return v
}

// Duplicates are found, with their first occurrence, in objects of every
// size around the switch from hashed bits to a map, and with keys whose
// bits collide (there are only 64 bits for up to 64 keys).
func TestParseJSONDuplicateKeysEverySize(t *testing.T) {
	for size := 1; size <= 2*maskedKeys+3; size++ {
		for _, repeatEvery := range []int{0, 3, 7, 40, 70} {
			var keys []string
			var b strings.Builder
			b.WriteByte('{')
			for i := range size {
				key := fmt.Sprintf("k%d", i)
				if repeatEvery > 0 && i >= repeatEvery && i%repeatEvery == 0 {
					key = keys[i/2]
				}
				keys = append(keys, key)
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%q:%d", key, i)
			}
			b.WriteByte('}')
			_, dups, err := ParseJSON([]byte(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			want := map[int]int{} // member → its key's first member
			for i, k := range keys {
				if first := slices.Index(keys, k); first < i {
					want[i] = first
				}
			}
			got := map[int]int{}
			for _, d := range dups {
				got[keyIndex(d.Dup)] = keyIndex(d.First)
			}
			if !maps.Equal(want, got) {
				t.Fatalf("size %d, repeat every %d: duplicates %v, want %v", size, repeatEvery, got, want)
			}
		}
	}
}

// keyIndex returns which member m is, from its value (the member's index).
func keyIndex(m Member) int {
	i, _ := strconv.Atoi(m.Value().Text())
	return i
}

// A key's text and its end come out right whether or not it has escapes,
// as the end of a plain key is worked out from its start and length.
func TestMemberKeyAndEnd(t *testing.T) {
	src := []byte(`{"plain": 1, "e\u0301sc": 2, "\"q\"": 3, "": 4, "\ud83d\ude00": 5, "tab\t": 6}`)
	root, _, err := ParseJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"plain", "e\u0301sc", `"q"`, "", "\U0001F600", "tab\t"}
	members := root.Members()
	if len(members) != len(want) {
		t.Fatalf("%d members, want %d", len(members), len(want))
	}
	for i, m := range members {
		end := int(m.KeyStart) + 1 // past the key's closing quote, found by scanning
		for src[end] != '"' {
			if src[end] == '\\' {
				end++
			}
			end++
		}
		if m.Key() != want[i] || int(m.KeyEnd()) != end+1 || src[m.KeyEnd()] != ':' {
			t.Errorf("member %d: key %q ending at %d, want %q ending at %d", i, m.Key(), m.KeyEnd(), want[i], end+1)
		}
	}
}
