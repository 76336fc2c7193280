package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/rules"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// brokenBundle writes the refunds bundle with one state renamed, so
// "Finish" is missing (an error) and the renamed state unreachable.
func brokenBundle(t *testing.T, old, new string) string {
	t.Helper()
	src, err := os.ReadFile("../../testdata/refunds/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(path, bytes.Replace(src, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLintExitCodes(t *testing.T) {
	broken := brokenBundle(t, `"Finish": {`, `"Done": {`)
	// Renaming a resource key only draws the name_mismatch warning.
	warnOnly := brokenBundle(t, `"InitiateRefund": {
      "type"`, `"StartRefund": {
      "type"`)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{"lint", "../../testdata/refunds"}, 0},
		{"errors", []string{"lint", broken}, 1},
		{"warning below fail level", []string{"lint", "--config", "../../testdata/refunds/zislint.yaml", warnOnly}, 0},
		{"warning at fail level", []string{"lint", warnOnly, "--fail-level", "warning"}, 1},
		{"unknown flag", []string{"lint", "--nope"}, 2},
		{"bad fail level", []string{"lint", "--fail-level", "fatal", "../../testdata/refunds"}, 2},
		{"bad format", []string{"lint", "--format", "xml", "../../testdata/refunds"}, 2},
		{"missing path", []string{"lint", "no/such/dir"}, 2},
		{"missing config", []string{"lint", "--config", "no/such.yaml", "../../testdata/refunds"}, 2},
		{"no command", nil, 2},
		{"unknown command", []string{"frobnicate"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
		})
	}
}

func TestLintTextOutput(t *testing.T) {
	broken := brokenBundle(t, `"Finish": {`, `"Done": {`)
	code, out, errOut := runCLI(t, "lint", broken)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	first := strings.SplitN(out, "\n", 2)[0]
	want := broken + `:74:26: error: Default of state "CheckEventSourceAndType" names "Finish", which is no state of the flow "RefundRequestFlow" [ZIS302]`
	if first != want {
		t.Errorf("first line:\n got %s\nwant %s", first, want)
	}
	if !strings.Contains(errOut, "1 bundle checked: 3 errors, 0 warnings, 0 info") {
		t.Errorf("summary on stderr = %q", errOut)
	}
}

func TestLintJSONOutput(t *testing.T) {
	broken := brokenBundle(t, `"Finish": {`, `"Done": {`)
	code, out, _ := runCLI(t, "lint", "--format", "json", broken)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Diagnostics []struct {
			File      string
			Line      int
			Column    int
			EndLine   int `json:"end_line"`
			EndColumn int `json:"end_column"`
			Rule      string
			Name      string
			Severity  string
			Message   string
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	// Three references to the renamed state; the state itself is not
	// also reported as unreachable.
	if len(got.Diagnostics) != 3 {
		t.Fatalf("got %d diagnostics, want 3:\n%s", len(got.Diagnostics), out)
	}
	d := got.Diagnostics[0]
	if d.File != broken || d.Line != 74 || d.Column != 26 || d.EndLine != 74 || d.EndColumn != 34 || d.Rule != "ZIS302" || d.Name != "unknown_state" || d.Severity != "error" {
		t.Errorf("first diagnostic = %+v", d)
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := runCLI(t, "rules")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, r := range rules.All() {
		if !strings.Contains(out, r.ID+"  "+r.Name()) {
			t.Errorf("rules list lacks %s %s", r.ID, r.Name())
		}
	}
	code, out, _ = runCLI(t, "rules", "unknown_state")
	if code != 0 || !strings.HasPrefix(out, "ZIS302 unknown_state (default severity: error)") ||
		!strings.Contains(out, "Failing example:") || !strings.Contains(out, "Passing example:") {
		t.Errorf("rules unknown_state: exit %d\n%s", code, out)
	}
	if code, _, _ := runCLI(t, "rules", "ZIS999"); code != 2 {
		t.Errorf("rules ZIS999: exit %d, want 2", code)
	}
}

func TestSchemaCommand(t *testing.T) {
	code, out, _ := runCLI(t, "schema")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["$schema"] == nil {
		t.Errorf("schema: exit %d, output not a JSON Schema", code)
	}
}

func TestLintSARIFOutput(t *testing.T) {
	broken := brokenBundle(t, `"Finish": {`, `"Done": {`)
	code, out, errOut := runCLI(t, "lint", "--format", "sarif", broken)
	if code != 1 {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut)
	}
	var got struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Version != "2.1.0" || len(got.Runs) != 1 || got.Runs[0].Tool.Driver.Name != "zislint" {
		t.Fatalf("not a zislint SARIF 2.1.0 log with one run:\n%s", out)
	}
	run := got.Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("got %d results, want 3:\n%s", len(run.Results), out)
	}
	r := run.Results[0]
	if r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
		t.Errorf("ruleIndex %d does not point at %s", r.RuleIndex, r.RuleID)
	}
	if len(r.Locations) != 1 {
		t.Fatalf("first result has %d locations", len(r.Locations))
	}
	loc := r.Locations[0].PhysicalLocation
	// The bundle sits in a temporary folder outside the working
	// directory, so it cannot be relative to it.
	wantURI := "file://" + filepath.ToSlash(broken)
	reg := loc.Region
	if r.RuleID != "ZIS302" || r.Level != "error" || loc.ArtifactLocation.URI != wantURI ||
		reg.StartLine != 74 || reg.StartColumn != 26 || reg.EndLine != 74 || reg.EndColumn != 34 {
		t.Errorf("first result = %+v, want ZIS302 error at %s 74:26-74:34", r, wantURI)
	}
}

func TestLintGitHubOutput(t *testing.T) {
	broken := brokenBundle(t, `"Finish": {`, `"Done": {`)
	code, out, errOut := runCLI(t, "lint", "--format", "github", broken)
	if code != 1 {
		t.Fatalf("exit %d\nstderr:\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), out)
	}
	want := "::error file=" + broken + `,line=74,col=26,endLine=74,endColumn=34,title=ZIS302 unknown_state::Default of state "CheckEventSourceAndType" names "Finish", which is no state of the flow "RefundRequestFlow"`
	if lines[0] != want {
		t.Errorf("first line:\n got %s\nwant %s", lines[0], want)
	}
	for _, l := range lines {
		cmd, rest, ok := strings.Cut(l, " ")
		props, _, ok2 := strings.Cut(rest, "::")
		if !ok || !ok2 || (cmd != "::error" && cmd != "::warning" && cmd != "::notice") || !strings.HasPrefix(props, "file=") {
			t.Errorf("not a workflow command: %s", l)
		}
	}
}

// fixableBundle writes the refunds bundle with two mistakes that have
// fixes: a typo in a state name and a key written twice.
func fixableBundle(t *testing.T) (path string, original []byte) {
	t.Helper()
	original, err := os.ReadFile("../../testdata/refunds/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(original, []byte(`"Default": "Finish"`), []byte(`"Default": "Finsh"`), 1)
	broken = bytes.Replace(broken, []byte(`"method": "GET",`), []byte(`"method": "POST", "method": "GET",`), 1)
	path = filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(path, broken, 0o640); err != nil {
		t.Fatal(err)
	}
	// WriteFile's mode is masked by the umask; set it for the check below.
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	return path, original
}

func TestLintFix(t *testing.T) {
	path, original := fixableBundle(t)
	code, out, errOut := runCLI(t, "lint", "--fix", path)
	if code != 0 {
		t.Errorf("exit %d, want 0 (no error left)\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Both fixes undo the breakage exactly, so every other byte, layout
	// included, must be as it was.
	if !bytes.Equal(got, original) {
		t.Errorf("fixed file differs from the original:\n%s", got)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("mode after fixing = %v, %v; want 0640", info.Mode(), err)
	}
	for _, rule := range []string{"ZIS002", "ZIS302"} {
		if strings.Contains(out, rule) {
			t.Errorf("the report after fixing still has %s:\n%s", rule, out)
		}
	}
	if !strings.Contains(errOut, "fixed 2 findings in 1 file; 0 skipped\n") {
		t.Errorf("stderr lacks the fix summary:\n%s", errOut)
	}

	// Nothing left to fix: nothing changes.
	code, _, errOut = runCLI(t, "lint", "--fix", path)
	if got2, _ := os.ReadFile(path); code != 0 || !bytes.Equal(got2, original) || !strings.Contains(errOut, "fixed 0 findings in 0 files; 0 skipped") {
		t.Errorf("second --fix: exit %d\n%s", code, errOut)
	}
}

func TestLintFixDryRun(t *testing.T) {
	path, _ := fixableBundle(t)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "lint", "--fix", "--dry-run", path)
	if code != 1 {
		t.Errorf("exit %d, want 1 for the findings before fixing\nstderr:\n%s", code, errOut)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("--dry-run changed the file")
	}
	if !strings.HasPrefix(out, "--- a/") {
		t.Errorf("stdout is not a unified diff:\n%s", out)
	}
	for _, want := range []string{
		"\n+++ b/",
		"\n-              \"Default\": \"Finsh\"\n+              \"Default\": \"Finish\"\n",
		"\n-          \"method\": \"POST\", \"method\": \"GET\",\n+          \"method\": \"GET\",\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "fixed 2 findings in 1 file; 0 skipped (dry run: no file changed)") {
		t.Errorf("stderr lacks the fix summary:\n%s", errOut)
	}
}

func TestLintFixReportsSkipped(t *testing.T) {
	// Next on a Succeed state draws two fixes on the same bytes: remove
	// the member (ZIS305) and correct its target (ZIS302). The first wins.
	path := brokenBundle(t, `"Type": "Succeed"`, `"Type": "Succeed", "Next": "Finsh"`)
	code, out, errOut := runCLI(t, "lint", "--fix", path)
	if code != 0 {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, path+":138:42: ZIS302 unknown_state: overlapping fix skipped; run again\n") ||
		!strings.Contains(errOut, "fixed 1 finding in 1 file; 1 skipped\n") {
		t.Errorf("stderr:\n%s", errOut)
	}
	if got, _ := os.ReadFile(path); bytes.Contains(got, []byte("Finsh")) {
		t.Errorf("Next was not removed:\n%s", got)
	}
}

func TestLintDryRunNeedsFix(t *testing.T) {
	path, _ := fixableBundle(t)
	code, out, errOut := runCLI(t, "lint", "--dry-run", path)
	if code != 2 || out != "" || !strings.Contains(errOut, "--dry-run only goes with --fix") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// pre-commit names every JSON file of a commit; --skip-non-bundles lints
// only the bundles among them.
func TestLintSkipNonBundles(t *testing.T) {
	dir := t.TempDir()
	pkg := filepath.Join(dir, "package.json")
	if err := os.WriteFile(pkg, []byte(`{"name": "tooling", "version": "1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	bundle := "../../testdata/refunds/bundle.json"
	if code, _, errOut := runCLI(t, "lint", pkg); code != exitFindings {
		t.Errorf("a named file is a bundle by default: exit %d, %s", code, errOut)
	}
	code, _, errOut := runCLI(t, "lint", "--skip-non-bundles", pkg, bundle)
	if code != exitOK || !strings.Contains(errOut, "1 bundle checked") {
		t.Errorf("exit %d, stderr %q; want the bundle alone checked", code, errOut)
	}
	code, _, errOut = runCLI(t, "lint", "--skip-non-bundles", pkg)
	if code != exitOK || !strings.Contains(errOut, "0 bundles checked") {
		t.Errorf("exit %d, stderr %q; want nothing checked", code, errOut)
	}
}
