package lint

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zislint/zislint/internal/benchgen"
	"github.com/zislint/zislint/rules"
)

// largeBundle writes a bundle over rules.DetachSize, with one unknown
// state when broken, and returns its path and bytes.
func largeBundle(t *testing.T, broken bool) (string, []byte) {
	t.Helper()
	src := benchgen.Bundle("bench", 6000)
	if broken {
		src = bytes.Replace(src, []byte(`"Next": "S4000"`), []byte(`"Next": "S4000x"`), 1)
	}
	if len(src) < rules.DetachSize {
		t.Fatalf("the bundle is %d bytes, under DetachSize", len(src))
	}
	path := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, src
}

// A large bundle's source is let go while its rules run and read again
// for its findings: the findings and sources are those of a lint that
// kept the source all along (RunSource cannot read a file again). The
// memory budget is on, as in the command, and is lifted after.
func TestLargeBundleLintsAsIfKept(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	for _, only := range []bool{false, true} {
		path, src := largeBundle(t, true)
		opts := Options{NoConfigSearch: true, SourcesOfFindingsOnly: only, BoundMemory: true}
		got, err := Run([]string{path}, opts)
		if err != nil {
			t.Fatal(err)
		}
		want, err := RunSource(path, src, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Findings) == 0 {
			t.Fatal("the broken bundle has no findings")
		}
		if d := cmp.Diff(want.Findings, got.Findings); d != "" {
			t.Errorf("findings differ (-kept +let go):\n%s", d)
		}
		if !bytes.Equal(got.Sources[path], src) {
			t.Errorf("SourcesOfFindingsOnly=%v: the source was not read again", only)
		}
		if limit := currentLimit(); limit != math.MaxInt64 {
			t.Errorf("the memory limit %d stays after the lint", limit)
		}
	}
}

// A clean large bundle's source is not read again when only findings'
// sources are kept.
func TestCleanLargeBundleIsNotReadAgain(t *testing.T) {
	path, _ := largeBundle(t, false)
	res, err := Run([]string{path}, Options{NoConfigSearch: true, SourcesOfFindingsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 || res.Sources[path] != nil {
		t.Errorf("findings %v, source kept %v", res.Findings, res.Sources[path] != nil)
	}
}

// A file that changed between its lint and the reading for its findings
// is an error that says so, not findings at the wrong lines.
func TestRestoreRefusesChangedFile(t *testing.T) {
	f := &file{path: "b.json", src: []byte(`{"a": 1}`), reread: func() ([]byte, error) { return []byte(`{"a": 2}`), nil }}
	f.letGo()
	if f.src != nil {
		t.Fatal("the source was kept")
	}
	err := f.restore()
	if err == nil || !strings.Contains(err.Error(), "b.json changed while it was linted") {
		t.Errorf("restore = %v", err)
	}
}

// A clean large bundle on disk is linted without its source: the file is
// let go once parsed and, with nothing to report, never read again.
func TestCleanLargeBundleIsLetGo(t *testing.T) {
	path, src := largeBundle(t, false)
	p, err := newPlan(nil)
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	f := &file{path: path, src: src, reread: func() ([]byte, error) { reads++; return os.ReadFile(path) }}
	res := p.lintFile(f, nil)
	if res.err != nil || len(res.findings) != 0 {
		t.Fatalf("lint: %v, findings %v", res.err, res.findings)
	}
	if f.src != nil || reads != 0 {
		t.Errorf("source kept %v, read again %d times", f.src != nil, reads)
	}
}
