package rules_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

// TestRules lints each folder of testdata: one folder per rule, named
// after it. Files named fail_*.json or example_fail.json must draw at
// least one finding of that rule; pass_*.json and example_pass.json must
// draw none from any rule; other files only have their output recorded. Everything reported is compared with golden.txt.
func TestRules(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", r.Name())
			opts := lint.Options{NoConfigSearch: true, Jobs: 1}
			if _, err := os.Stat(filepath.Join(dir, "zislint.yaml")); err == nil {
				opts.ConfigPath = filepath.Join(dir, "zislint.yaml")
			}
			res, err := lint.Run([]string{dir}, opts)
			if err != nil {
				t.Fatal(err)
			}
			checkVerdicts(t, r, dir, res)
			var out bytes.Buffer
			if err := lint.WriteText(&out, res); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join(dir, "golden.txt"), out.Bytes())
		})
	}
}

func checkVerdicts(t *testing.T, r *rules.Rule, dir string, res *lint.Result) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test bundles in %s", dir)
	}
	for _, f := range files {
		own, all := 0, 0
		for _, fd := range res.Findings {
			if fd.File == f {
				all++
				if fd.Rule == r.ID {
					own++
				}
			}
		}
		base := filepath.Base(f)
		switch {
		case isCase(base, "fail") && own == 0:
			t.Errorf("%s: expected at least one %s finding, got none", f, r.ID)
		case isCase(base, "pass") && all != 0:
			t.Errorf("%s: expected no findings, got %d", f, all)
		}
	}
}

// isCase reports whether a test file is a kind ("fail" or "pass") case.
func isCase(base, kind string) bool {
	return strings.HasPrefix(base, kind+"_") || base == "example_"+kind+".json"
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./rules -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// TestExamples checks that every rule has documented examples and that
// they are the ones its tests use.
func TestExamples(t *testing.T) {
	for _, r := range rules.All() {
		fail, pass, err := r.Examples()
		if err != nil {
			t.Error(err)
			continue
		}
		if fail == pass {
			t.Errorf("%s: failing and passing examples are identical", r.ID)
		}
		if !strings.HasPrefix(r.ID, "ZIS") || len(r.ID) != 6 {
			t.Errorf("rule id %q is not of the form ZISnnn", r.ID)
		}
		if strings.TrimSpace(r.Summary()) == "" || !strings.Contains(r.Analyzer.Doc, "\n\n") {
			t.Errorf("%s: Doc needs a summary line, a blank line and an explanation", r.ID)
		}
	}
}

func TestLookup(t *testing.T) {
	for _, r := range rules.All() {
		if got := rules.Lookup(r.ID); got != r {
			t.Errorf("Lookup(%s) = %v", r.ID, got)
		}
		if got := rules.Lookup(strings.ToUpper(r.Name())); got != r {
			t.Errorf("Lookup(%s) = %v", strings.ToUpper(r.Name()), got)
		}
	}
	if rules.Lookup("ZIS999") != nil {
		t.Error("Lookup of an unknown id found a rule")
	}
}

func TestIDsAndNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.All() {
		for _, k := range []string{r.ID, r.Name()} {
			if seen[k] {
				t.Errorf("%s is used twice", k)
			}
			seen[k] = true
		}
	}
}
