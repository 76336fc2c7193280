package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A defect that stops the simulator is shown by test and simulate at the
// line and column, and in the words, lint shows it with.
func TestCompileErrorsMatchLint(t *testing.T) {
	finding := regexp.MustCompile(`(?m)^(\S+:\d+:\d+): error: (.*)$`)
	for _, tt := range []struct{ name, old, new string }{
		{"jq syntax", `| tonumber"`, `| tonumber("`},
		{"path syntax", `"$.refund_amount_num",`, `"$.refund amount[",`},
		{"template", `{{$.profile_id}}`, `{{$.profile_id}`},
		{"state type", `"Type": "Succeed"`, `"Type": "Succed"`},
		{"dangling next", `"Next": "Finish"`, `"Next": "Finsh"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyRefunds(t)
			bundlePath := filepath.Join(dir, "bundle.json")
			editFile(t, bundlePath, tt.old, tt.new)
			_, lintOut, _ := runCLI(t, "lint", dir)
			m := finding.FindStringSubmatch(lintOut)
			if m == nil {
				t.Fatalf("lint reports no error:\n%s", lintOut)
			}
			want := m[1] + ": " + m[2]
			code, _, errOut := runCLI(t, "test", dir)
			if code != exitUsage || !strings.Contains(errOut, "zislint test: "+want+"; the simulator cannot run") {
				t.Errorf("test: exit %d, stderr:\n%s\nwant %d and lint's\n%s", code, errOut, exitUsage, want)
			}
			code, _, errOut = runCLI(t, "simulate", "--bundle", bundlePath, "--flow", "RefundRequestFlow",
				"--event", filepath.Join(dir, "tests", "page_view.yaml"))
			if code != exitUsage || !strings.Contains(errOut, "zislint simulate: "+want+"; the simulator cannot run") {
				t.Errorf("simulate: exit %d, stderr:\n%s\nwant %d and lint's\n%s", code, errOut, exitUsage, want)
			}
		})
	}
}

// Without a zislint.yaml the cause is found all the same.
func TestCompileErrorWithoutConfig(t *testing.T) {
	dir := copyRefunds(t)
	if err := os.Remove(filepath.Join(dir, "zislint.yaml")); err != nil {
		t.Fatal(err)
	}
	bundlePath := filepath.Join(dir, "bundle.json")
	editFile(t, bundlePath, `| tonumber"`, `| tonumber("`)
	code, _, errOut := runCLI(t, "test", dir)
	if code != exitUsage || !strings.Contains(errOut, bundlePath+":80:92: ") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}
