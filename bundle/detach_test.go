package bundle

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/zislint/zislint/internal/benchgen"
)

// detachSources are bundles with plain and escaped text in keys and
// values, surrogate pairs, numbers and repeated names.
func detachSources(t *testing.T) map[string][]byte {
	srcs := map[string][]byte{
		"generated": benchgen.Bundle("bench", 60),
		"escapes": []byte(`{"zis_template_version": "2019-10-14", "name": "esc\"aped \u00e9\ud83d\ude00",
  "resources": {"k\ney": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "A\/B",
  "States": {"A\/B": {"Type": "Pass", "Result": {"n": -1.5e3, "t": true, "f": false, "z": null, "a": [], "o": {}}, "Next": "C"},
  "C": {"Type": "Succeed", "Message": "{{$.x}} \t\"done\""}}}}}}}`),
	}
	files, _ := filepath.Glob("../testdata/*/*.json")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[f] = src
	}
	return srcs
}

// A detached bundle is the bundle ParseShared makes, with every text,
// position and source offset the same, and it no longer reads its
// source: the test spoils the source once it is parsed.
func TestParseDetachedMatchesShared(t *testing.T) {
	for name, src := range detachSources(t) {
		want := ParseShared(name, src)
		own := bytes.Clone(src)
		got := ParseDetached(name, own)
		for i := range own {
			own[i] = '#'
		}
		if got.Src != nil || want.Syntax != nil {
			t.Fatalf("%s: Src kept %v, syntax %v", name, got.Src != nil, want.Syntax)
		}
		if d := cmp.Diff(viewNode(want.Root), viewNode(got.Root)); d != "" {
			t.Fatalf("%s: trees differ (-shared +detached):\n%s", name, d)
		}
		if len(got.Resources) != len(want.Resources) || len(got.Machines()) != len(want.Machines()) {
			t.Errorf("%s: %d resources and %d machines, want %d and %d", name, len(got.Resources), len(got.Machines()), len(want.Resources), len(want.Machines()))
		}
		for off := -1; off <= len(src)+1; off++ {
			wl, wc := want.Line(off)
			if gl, gc := got.Line(off); gl != wl || gc != wc {
				t.Fatalf("%s: offset %d at %d:%d, want %d:%d", name, off, gl, gc, wl, wc)
			}
		}
		checkOffsets(t, name, src, want.Root, got.Root)
	}
}

// checkOffsets holds SourceOffset of each string of the detached tree got,
// without a source, to that of the shared tree want, with one.
func checkOffsets(t *testing.T, name string, src []byte, want, got *Node) {
	t.Helper()
	if want.Kind() == String {
		for i := -1; i <= len(want.Text())+1; i++ {
			if w, g := want.SourceOffset(src, i), got.SourceOffset(nil, i); w != g {
				t.Fatalf("%s: %q: SourceOffset(%d) = %d detached, %d shared", name, want.Text(), i, g, w)
			}
		}
	}
	for i, m := range want.Members() {
		checkOffsets(t, name, src, m.Value(), got.Members()[i].Value())
	}
	for i, e := range want.Elems() {
		checkOffsets(t, name, src, e, got.Elems()[i])
	}
}

// A bundle with a syntax error or a duplicate key keeps its source, for
// the rules that report those.
func TestParseDetachedKeepsSourceOfBrokenBundles(t *testing.T) {
	for _, src := range []string{`{"name": "a", "name": "b"}`, `{"name": `} {
		if b := ParseDetached("b.json", []byte(src)); b.Src == nil {
			t.Errorf("%s: source let go", src)
		}
	}
}

// Repeated short texts share one copy.
func TestDetachSharesRepeatedText(t *testing.T) {
	src := []byte(`[` + strings.Repeat(`"Type", `, 50) + `"Type"]`)
	root, _, _ := ParseJSONShared(src)
	detach(root, src)
	first := root.Elems()[0].Text()
	for _, e := range root.Elems() {
		if unsafe.StringData(e.Text()) != unsafe.StringData(first) {
			t.Fatal("a repeated text was copied twice")
		}
	}
}

// Any bundle ParseShared parses without a duplicate key, ParseDetached
// parses to the same tree, with the same source offsets, without its
// source.
func FuzzParseDetached(f *testing.F) {
	f.Add([]byte(`{"a": "b\u00e9\"", "c": [1, -2.5e3, true, null, {}], "d\n": "\ud83d\ude00"}`))
	f.Add(benchgen.Bundle("f", 5))
	f.Fuzz(func(t *testing.T, src []byte) {
		want := ParseShared("f.json", src)
		if want.Syntax != nil || len(want.Duplicates) > 0 || !utf8.Valid(src) {
			return
		}
		own := bytes.Clone(src)
		got := ParseDetached("f.json", own)
		for i := range own {
			own[i] = '#'
		}
		if w, g := viewNode(want.Root), viewNode(got.Root); !reflect.DeepEqual(w, g) {
			t.Fatalf("trees differ (-shared +detached):\n%s", cmp.Diff(w, g))
		}
		checkOffsets(t, "f.json", src, want.Root, got.Root)
	})
}
