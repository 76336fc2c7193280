package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/rules"
)

const refunds = "../testdata/refunds"

func TestRefundsIsClean(t *testing.T) {
	res, err := Run([]string{refunds}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Bundles != 1 || len(res.Findings) != 0 {
		t.Fatalf("linted %d bundles with findings %v; want 1 bundle, none", res.Bundles, res.Findings)
	}
}

// writeFiles creates files (path → content) under a new temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func refundsBundle(t *testing.T) string {
	src, err := os.ReadFile(filepath.Join(refunds, "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

func TestWalkSkipsNonBundlesAndHiddenFolders(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a/bundle.json":         refundsBundle(t),
		"a/package.json":        `{"name": "app"}`,
		"a/notes.txt":           `{"resources": {}}`,
		".git/x.json":           `{"resources": {}}`,
		"node_modules/x.json":   `{"resources": {}}`,
		"b/broken_bundle.json":  `{"resources": {`,
		"a/tests/x.golden.json": `{"resources": {}}`,
	})
	res, err := Run([]string{dir}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for f := range res.Sources {
		rel, _ := filepath.Rel(dir, f)
		files = append(files, filepath.ToSlash(rel))
	}
	if diff := cmp.Diff([]string{"a/bundle.json", "b/broken_bundle.json"}, sorted(files)); diff != "" {
		t.Errorf("linted files (-want +got):\n%s", diff)
	}
}

func TestExplicitFileIsAlwaysABundle(t *testing.T) {
	dir := writeFiles(t, map[string]string{"x.json": `{"name": "not a bundle"}`})
	res, err := Run([]string{filepath.Join(dir, "x.json")}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Bundles != 1 || res.Count(config.SeverityError) == 0 {
		t.Errorf("explicit file: %d bundles, findings %v; want it linted with errors", res.Bundles, res.Findings)
	}
}

func TestMissingPath(t *testing.T) {
	_, err := Run([]string{"does/not/exist"}, Options{})
	if err == nil || !strings.Contains(err.Error(), "cannot open does/not/exist: no such file or directory") {
		t.Errorf("err = %v", err)
	}
}

func TestConfigSeverities(t *testing.T) {
	bundle := strings.Replace(refundsBundle(t), `"name": "InitiateRefund",`, `"name": "StartRefund",`, 1)
	dir := writeFiles(t, map[string]string{
		"bundle.json": bundle,
		"zislint.yaml": `integrations: [{key: acme_refunds}]
rules:
  name_mismatch: error
  ZIS211: off
`,
	})
	res, err := Run([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.Rule] = f.Severity.String()
	}
	// The rename makes the key differ from the name (ZIS203, raised to
	// error) and breaks the ActionName reference (ZIS211, turned off).
	if diff := cmp.Diff(map[string]string{"ZIS203": "error"}, got); diff != "" {
		t.Errorf("severities (-want +got):\n%s", diff)
	}
}

func TestConfigErrorsStopTheRun(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"bundle.json":  refundsBundle(t),
		"zislint.yaml": "rules:\n  unknown_stat: error\n",
	})
	_, err := Run([]string{dir}, Options{})
	want := `zislint.yaml:2:3: unknown rule "unknown_stat"; run "zislint rules" for the list of ids and names; did you mean "unknown_state"?`
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("err = %v, want it to end with %s", err, want)
	}
}

func TestConfiguredKeyApplies(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"bundle.json":  refundsBundle(t),
		"zislint.yaml": "integrations:\n  - key: other_key\n    bundle: bundle.json\n",
	})
	res, err := Run([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range res.Findings {
		if f.Rule == "ZIS201" {
			n++
		}
	}
	if n != 4 { // three ActionNames and one flow_name use acme_refunds
		t.Errorf("got %d ZIS201 findings, want 4: %v", n, res.Findings)
	}
}

// TestPanickingRuleIsContained checks that a bug in a rule becomes an
// error naming the rule and the file, not a crash.
func TestPanickingRuleIsContained(t *testing.T) {
	boom := &rules.Rule{ID: "ZIS900", Severity: config.SeverityError, Analyzer: &analysis.Analyzer{
		Name: "boom", Doc: "panics", Requires: []*analysis.Analyzer{rules.Root},
		Run: func(*analysis.Pass) (any, error) { panic("index out of range") },
	}}
	_, err := Run([]string{refunds}, Options{Rules: []*rules.Rule{boom}, NoConfigSearch: true})
	want := "bundle.json: internal error in rule boom: index out of range; please report it with the file that caused it"
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("err = %v", err)
	}
}

func TestFindingsAreSorted(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.json": `{"resources": {}, "name": 1}`,
		"a.json": `{"zis_template_version": "x"}`,
	})
	res, err := Run([]string{dir}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(res.Findings); i++ {
		a, b := res.Findings[i-1], res.Findings[i]
		if a.File > b.File || (a.File == b.File && (a.Line > b.Line || (a.Line == b.Line && a.Column > b.Column))) {
			t.Errorf("findings out of order: %v before %v", a, b)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	res := &Result{Findings: []Finding{{
		File: "b.json", Line: 3, Column: 5, EndLine: 3, EndColumn: 9,
		Rule: "ZIS302", Name: "unknown_state", Severity: config.SeverityWarning, Message: "m",
	}}}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, res); err != nil {
		t.Fatal(err)
	}
	var got map[string][]map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string][]map[string]any{"diagnostics": {{
		"file": "b.json", "line": 3.0, "column": 5.0, "end_line": 3.0, "end_column": 9.0,
		"rule": "ZIS302", "name": "unknown_state", "severity": "warning", "message": "m",
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	buf.Reset()
	if err := WriteJSON(&buf, &Result{}); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(buf.String()) != "{\n  \"diagnostics\": []\n}" {
		t.Errorf("empty result = %s, want an empty list", buf.String())
	}
}

func TestWriteText(t *testing.T) {
	long := `{"a": "` + strings.Repeat("x", 200) + `", "target": "here", "b": "` + strings.Repeat("y", 200) + `"}`
	src := "{\n\t\"Next\": \"Nowhere\",\n" + long + "\n}"
	col := strings.Index(long, `"here"`) + 1
	res := &Result{
		Sources: map[string][]byte{"f.json": []byte(src)},
		Findings: []Finding{
			{File: "f.json", Line: 2, Column: 10, EndLine: 2, EndColumn: 19, Severity: config.SeverityError, Rule: "ZIS302", Message: "no such state"},
			{File: "f.json", Line: 3, Column: col, EndLine: 3, EndColumn: col + 6, Severity: config.SeverityInfo, Rule: "ZIS999", Message: "long line"},
		},
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, res); err != nil {
		t.Fatal(err)
	}
	window := long[col-1-33 : col-1-33+100]
	want := "f.json:2:10: error: no such state [ZIS302]\n" +
		"  \t\"Next\": \"Nowhere\",\n" +
		"  \t        ^~~~~~~~~\n" +
		"f.json:3:" + strconv.Itoa(col) + ": info: long line [ZIS999]\n" +
		"  …" + window + "…\n" +
		"  " + strings.Repeat(" ", 34) + "^~~~~~\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// Files lists the linted bundles in the order found; Sources may also
// hold a config, which is no bundle.
func TestResultFilesAreTheBundles(t *testing.T) {
	res, err := Run([]string{"../testdata"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"../testdata/orders/bundle.json", "../testdata/refunds/bundle.json"}
	if diff := cmp.Diff(want, res.Files); diff != "" || res.Bundles != len(want) {
		t.Errorf("Files (-want +got), Bundles %d:\n%s", res.Bundles, diff)
	}
}
