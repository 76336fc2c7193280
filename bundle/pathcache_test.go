package bundle

import (
	"strconv"
	"strings"
	"testing"
)

// A PathCache parses each distinct path once and hands every caller the
// same Segments, with no spare capacity for an append to write into.
func TestBundleParsePathShared(t *testing.T) {
	b := Parse("a.json", []byte(`{}`)).NewPathCache()
	// The quoted dot sizes the parse's Segments for one step too many.
	const s = "$.a['b.c'][2]"
	p, err := b.ParsePath(s)
	if err != nil || len(p.Segments) != 3 {
		t.Fatalf("ParsePath(%q) = %+v, %v", s, p, err)
	}
	if cap(p.Segments) != len(p.Segments) {
		t.Errorf("cap %d, len %d: an append would write into the shared array", cap(p.Segments), len(p.Segments))
	}
	q, _ := b.ParsePath(s)
	if &q.Segments[0] != &p.Segments[0] {
		t.Error("second ParsePath parsed again")
	}
	_ = append(q.Segments, Segment{Name: "x"})
	if r, _ := b.ParsePath(s); len(r.Segments) != 3 || r.Segments[2].Index != 2 {
		t.Errorf("after a caller's append: %+v", r.Segments)
	}
	want, _ := ParsePath(s)
	for i := range want.Segments {
		if p.Segments[i] != want.Segments[i] {
			t.Errorf("segment %d: %+v, want %+v", i, p.Segments[i], want.Segments[i])
		}
	}
}

// Errors are kept too, and a nil PathCache parses without a cache.
func TestBundleParsePathError(t *testing.T) {
	b := Parse("a.json", []byte(`{}`)).NewPathCache()
	for range 2 {
		if _, err := b.ParsePath("a.b"); err == nil || err.Offset != 0 {
			t.Errorf("ParsePath(%q) error %v, want one at offset 0", "a.b", err)
		}
	}
	var nb *PathCache
	if p, err := nb.ParsePath("$.x"); err != nil || len(p.Segments) != 1 || p.Segments[0].Name != "x" {
		t.Errorf("nil bundle: %+v, %v", p, err)
	}
}

// A path too long for the process-wide cache is kept by its bundle, its
// segments carved from the bundle's arrays without spare capacity.
func TestBundleParsePathLong(t *testing.T) {
	b := Parse("a.json", []byte(`{}`)).NewPathCache()
	long := "$.a" + strings.Repeat(".b", maxSharedPathLen) + "['c.d'][2]"
	p, err := b.ParsePath(long)
	want, _ := ParsePath(long)
	if err != nil || len(p.Segments) != len(want.Segments) || cap(p.Segments) != len(p.Segments) {
		t.Fatalf("ParsePath(long): %d segments of cap %d, %v; want %d", len(p.Segments), cap(p.Segments), err, len(want.Segments))
	}
	for i := range want.Segments {
		if p.Segments[i] != want.Segments[i] {
			t.Errorf("segment %d: %+v, want %+v", i, p.Segments[i], want.Segments[i])
		}
	}
	q, _ := b.ParsePath(long)
	if &q.Segments[0] != &p.Segments[0] {
		t.Error("second ParsePath parsed again")
	}
	other, _ := b.ParsePath(long + ".e")
	if &other.Segments[0] == &p.Segments[len(p.Segments)-1] || other.Segments[len(other.Segments)-1].Name != "e" {
		t.Errorf("a second path overlaps the first: %+v", other.Segments)
	}
	if r, _ := b.ParsePath(long); r.Segments[len(r.Segments)-1].Index != 2 {
		t.Errorf("after another parse: %+v", r.Segments)
	}
	bad := long + "[x]"
	for range 2 {
		if _, err := b.ParsePath(bad); err == nil {
			t.Errorf("ParsePath(%q) succeeded", bad)
		}
	}
}

// A bundle's cache gives back, the first time and every time after, what
// ParsePath gives: for paths spread over several chunks, for one with
// no steps, and for one too long for its place to be packed. The
// bundle's own cache is used directly: the process's shared one would
// take the first paths.
func TestPathCacheGivesParsePath(t *testing.T) {
	c := &pathCache{entries: map[string]segsAt{}, chunk: 16}
	var paths []string
	for i := range 100 {
		paths = append(paths, "$.r"+strings.Repeat("x", i%7)+"['a.b'].c["+strings.Repeat("1", 1+i%3)+"]")
	}
	paths = append(paths, "$", "$.a", "$"+strings.Repeat(".a", maxPackedSteps+1), "$.a")
	for range 2 {
		for _, s := range paths {
			got, gotErr := c.parse(s)
			want, wantErr := ParsePath(s)
			if got.Raw != s || (gotErr == nil) != (wantErr == nil) || len(got.Segments) != len(want.Segments) ||
				cap(got.Segments) != len(got.Segments) {
				t.Fatalf("%.40q: %d segments (cap %d), %v; want %d, %v", s, len(got.Segments), cap(got.Segments), gotErr, len(want.Segments), wantErr)
			}
			for i := range want.Segments {
				if got.Segments[i] != want.Segments[i] {
					t.Fatalf("%.40q segment %d: %+v, want %+v", s, i, got.Segments[i], want.Segments[i])
				}
			}
		}
	}
	if len(c.long) != 1 || len(c.chunks) < 3 {
		t.Errorf("%d long paths, %d chunks: the test no longer covers them", len(c.long), len(c.chunks))
	}
}

// A cache adds no more than maxSharedPerCache paths to the process's
// shared cache and keeps those past them itself, each parsed as
// ParsePath parses it.
func TestPathCacheSharesABoundedNumber(t *testing.T) {
	pc := Parse("a.json", []byte(`{}`)).NewPathCache()
	n := maxSharedPerCache + 10
	for i := range n {
		s := "$.shared_bound_test.p" + strconv.Itoa(i)
		p, err := pc.ParsePath(s)
		if err != nil || len(p.Segments) != 2 || p.Segments[1].Name != "p"+strconv.Itoa(i) {
			t.Fatalf("ParsePath(%q) = %+v, %v", s, p, err)
		}
	}
	if added := int(pc.c.shared.Load()); added > maxSharedPerCache || added+pc.c.size() != n {
		t.Errorf("%d paths added to the shared cache, %d kept by the bundle's; want at most %d shared, %d in all",
			added, pc.c.size(), maxSharedPerCache, n)
	}
}
