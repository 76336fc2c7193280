package lint

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/benchgen"
	"github.com/zislint/zislint/rules"
)

// currentLimit reads the soft memory limit without changing it.
func currentLimit() int64 { return debug.SetMemoryLimit(-1) }

// numbers is a large JSON array of small numbers.
func numbers() []byte {
	return append(append([]byte("["), bytes.Repeat([]byte("1,"), rules.DetachSize)...), '1', ']')
}

// While large bundles are linted the limit follows what they need, and
// with none it is lifted; small bundles leave it alone.
func TestMemoryBudgetFollowsLargeBundles(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetMemoryLimit(currentLimit())
	debug.SetMemoryLimit(math.MaxInt64)
	var b memoryBudget
	flow, array := benchgen.Bundle("b", 6000), numbers()
	endFlow := b.hold(flow)
	if got, want := currentLimit(), budgetBase+bundleNeeds(flow); got != want {
		t.Errorf("one large bundle: limit %d, want %d", got, want)
	}
	endArray := b.hold(array)
	want := budgetBase + bundleNeeds(flow) + bundleNeeds(array)
	if got := currentLimit(); got != want {
		t.Errorf("two large bundles: limit %d, want %d", got, want)
	}
	b.hold([]byte(`{"small": true}`))() // a small one changes nothing
	if got := currentLimit(); got != want {
		t.Errorf("after a small bundle: limit %d, want %d", got, want)
	}
	endFlow()
	endArray()
	if got := currentLimit(); got != math.MaxInt64 {
		t.Errorf("no large bundle: limit %d, want none", got)
	}
}

// A limit set from outside is the user's: lint leaves it as it is.
func TestMemoryBudgetKeepsOutsideLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	defer debug.SetMemoryLimit(currentLimit())
	debug.SetMemoryLimit(1 << 30)
	var b memoryBudget
	b.hold(numbers())()
	if got := currentLimit(); got != 1<<30 {
		t.Errorf("limit %d, want the outside 1 GiB", got)
	}
}

// An array of small numbers needs far more than its size: the estimate
// counts its elements, so its limit is no smaller than its tree.
func TestBundleNeedsCountsElements(t *testing.T) {
	array := numbers()
	if tree := int64(elementBytes * (rules.DetachSize + 1)); bundleNeeds(array) < tree {
		t.Errorf("needs %d for a tree of %d bytes", bundleNeeds(array), tree)
	}
}

// treeBytes counts the members and elements the parser builds: colons and
// commas inside strings, escaped quotes and backslashes included, do not
// count, and an empty object or array counts as one element too many.
func TestTreeBytesMatchesTheParse(t *testing.T) {
	docs := map[string][]byte{
		"strings": []byte(`{"a:b": "x,\"y:", "c\\": [1, "\\\\", {"d": "\\\"}"}], "e": [[2], {"f": null}]}`),
		"empties": []byte(`{"a": {}, "b": [], "c": [{}]}`),
		"flow":    benchgen.Bundle("b", 30),
	}
	files, _ := filepath.Glob("../testdata/*/*.json")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = src
	}
	for name, src := range docs {
		root, _, err := bundle.ParseJSON(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		members, elements, empties := countTree(root)
		exact := int64(memberBytes*members + elementBytes*elements)
		if got := treeBytes(src); got < exact || got > exact+int64(elementBytes*empties) {
			t.Errorf("%s: treeBytes %d, want %d (plus up to %d for %d empty containers)", name, got, exact, elementBytes*empties, empties)
		}
	}
}

// countTree counts the members, array elements and empty containers
// under n.
func countTree(n *bundle.Node) (members, elements, empties int) {
	ms, es := n.Members(), n.Elems()
	if (n.Kind() == bundle.Object || n.Kind() == bundle.Array) && len(ms)+len(es) == 0 {
		empties++
	}
	for i := range ms {
		m, e, x := countTree(ms[i].Value())
		members, elements, empties = members+m+1, elements+e, empties+x
	}
	for _, el := range es {
		m, e, x := countTree(el)
		members, elements, empties = members+m, elements+e+1, empties+x
	}
	return members, elements, empties
}
