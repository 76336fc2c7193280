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

// TestRules lints the cases in each folder of testdata, one folder per
// rule, named after it. A case X.json is linted with X.zislint.yaml when
// that exists, else with the folder's zislint.yaml if any; findings in
// the config count for the case. Cases named fail_*.json or
// example_fail.json must draw at least one finding of the folder's rule;
// pass_*.json and example_pass.json must draw none from any rule; other
// files only have their output recorded. Everything reported is compared
// with golden.txt.
func TestRules(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", r.Name())
			cases, err := filepath.Glob(filepath.Join(dir, "*.json"))
			if err != nil || len(cases) == 0 {
				t.Fatalf("no test bundles in %s", dir)
			}
			var out bytes.Buffer
			for _, c := range cases {
				res, err := lint.Run([]string{c}, lint.Options{NoConfigSearch: true, Jobs: 1, ConfigPath: caseConfig(c)})
				if err != nil {
					t.Fatal(err)
				}
				checkVerdict(t, r, c, res)
				if err := lint.WriteText(&out, res); err != nil {
					t.Fatal(err)
				}
			}
			compareGolden(t, filepath.Join(dir, "golden.txt"), out.Bytes())
		})
	}
}

// caseConfig returns the config a case is linted with, or "".
func caseConfig(jsonPath string) string {
	for _, cfg := range []string{
		strings.TrimSuffix(jsonPath, ".json") + ".zislint.yaml",
		filepath.Join(filepath.Dir(jsonPath), "zislint.yaml"),
	} {
		if _, err := os.Stat(cfg); err == nil {
			return cfg
		}
	}
	return ""
}

func checkVerdict(t *testing.T, r *rules.Rule, file string, res *lint.Result) {
	t.Helper()
	own := 0
	for _, fd := range res.Findings {
		if fd.Rule == r.ID {
			own++
		}
	}
	base := filepath.Base(file)
	switch {
	case isCase(base, "fail") && own == 0:
		t.Errorf("%s: expected at least one %s finding, got none", file, r.ID)
	case isCase(base, "pass") && len(res.Findings) != 0:
		t.Errorf("%s: expected no findings, got %d", file, len(res.Findings))
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
		if fail.Bundle == pass.Bundle && fail.Config == pass.Config {
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

// One mistyped Next is one finding: the states behind it are not also
// reported as unreachable.
func TestDanglingTransitionIsOneFinding(t *testing.T) {
	for _, c := range []string{
		"testdata/unreachable_state/dangling_next_only.json",
		"testdata/unknown_state/example_fail.json",
		"testdata/unknown_state/fail_choices_next.json",
	} {
		res, err := lint.Run([]string{c}, lint.Options{NoConfigSearch: true, Jobs: 1})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, f := range res.Findings {
			ids = append(ids, f.Rule)
		}
		if len(ids) != 1 || ids[0] != "ZIS302" {
			t.Errorf("%s: findings %v, want one ZIS302", c, ids)
		}
	}
}

// A read under $.input that the event never carries is event_path's
// alone: unwritten_read does not report it a second time, while it does
// report what the event has but a state before the read removed.
func TestEventPathAndUnwrittenReadDoNotOverlap(t *testing.T) {
	cases, _ := filepath.Glob("testdata/event_path/fail_*.json")
	cases = append(cases, "testdata/event_path/example_fail.json")
	for _, c := range cases {
		res, err := lint.Run([]string{c}, lint.Options{NoConfigSearch: true, Jobs: 1})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, f := range res.Findings {
			counts[f.Rule]++
		}
		if counts["ZIS226"] == 0 || counts["ZIS227"] != 0 {
			t.Errorf("%s: %d event_path and %d unwritten_read findings, want some and none", c, counts["ZIS226"], counts["ZIS227"])
		}
	}
	res, err := lint.Run([]string{"testdata/unwritten_read/fail_catch_replaces_document.json"}, lint.Options{NoConfigSearch: true, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Rule != "ZIS227" {
		t.Errorf("a read of $.input after the Catch replaced the document: findings %v, want one ZIS227", res.Findings)
	}
}
