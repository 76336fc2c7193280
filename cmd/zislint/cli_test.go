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
	if !strings.Contains(errOut, "1 bundle checked: 3 errors, 1 warning, 0 info") {
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
	if len(got.Diagnostics) != 4 {
		t.Fatalf("got %d diagnostics, want 4:\n%s", len(got.Diagnostics), out)
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
