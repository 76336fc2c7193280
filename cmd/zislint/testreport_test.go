package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zislint/zislint/lint"
)

// A golden whose fixture was deleted or renamed fails, in every format,
// instead of sitting there looking like coverage.
func TestTestReportsOrphanGolden(t *testing.T) {
	dir := copyRefunds(t)
	fixture := filepath.Join(dir, "tests", "page_view.yaml")
	if err := os.Rename(fixture, filepath.Join(dir, "tests", "page_view.txt")); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(dir, "tests", "page_view.golden.json")
	code, out, errOut := runCLI(t, "test", dir)
	want := "FAIL page_view (" + golden + ")\n    golden with no fixture: there is no page_view.yaml, .yml or .json beside it;"
	if code != exitFindings || !strings.Contains(out, want) {
		t.Errorf("exit %d, want %d and %q in:\n%s\n%s", code, exitFindings, want, out, errOut)
	}
	// -run leaves it out like any other test it does not select.
	if code, out, _ := runCLI(t, "test", "-run", "refund_100", dir); code != exitOK || strings.Contains(out, "page_view") {
		t.Errorf("-run refund_100: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, "test", "--format", "github", dir)
	if code != exitFindings || !strings.Contains(out, "::error file="+lint.EscapeGitHubProperty(golden)+",line=1,title=zislint test::page_view failed%0Agolden with no fixture") {
		t.Errorf("github: exit %d:\n%s", code, out)
	}
}

// A bundle the simulator cannot run is in the json and github reports,
// which tools read, and not only on standard error.
func TestTestReportsBundleThatCannotRun(t *testing.T) {
	dir := copyRefunds(t)
	bundlePath := filepath.Join(dir, "bundle.json")
	editFile(t, bundlePath, `| tonumber"`, `| tonumber("`)
	code, out, _ := runCLI(t, "test", "--format", "json", dir)
	var report struct {
		Tests []map[string]string `json:"tests"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != exitUsage || len(report.Tests) != 1 {
		t.Fatalf("exit %d, want %d and one entry:\n%s", code, exitUsage, out)
	}
	r := report.Tests[0]
	if r["status"] != "error" || r["file"] != bundlePath || r["bundle"] != bundlePath ||
		!strings.HasPrefix(r["error"], bundlePath+":80:92: ") || !strings.Contains(r["error"], "[ZIS604]") {
		t.Errorf("entry = %v", r)
	}
	code, out, _ = runCLI(t, "test", "--format", "github", dir)
	want := "::error file=" + lint.EscapeGitHubProperty(bundlePath) + ",line=80,title=zislint test::the bundle cannot run%0A"
	if code != exitUsage || !strings.HasPrefix(out, want) {
		t.Errorf("github: exit %d:\n%s\nwant the prefix\n%s", code, out, want)
	}
	// Text reports it once, on standard error.
	code, out, errOut := runCLI(t, "test", dir)
	if code != exitUsage || out != "" || strings.Count(errOut, ":80:92:") != 1 {
		t.Errorf("text: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// A fixture whose event is not shaped like its event_type passes with a
// warning at the value's line, in every format.
func TestTestWarnsOfEventShape(t *testing.T) {
	dir := copyRefunds(t)
	fixture := filepath.Join(dir, "tests", "page_view.yaml")
	editFile(t, fixture, "user_id: 38712000303", `user_id: "38712000303"`)
	if code, out, errOut := runCLI(t, "test", "-update", "-run", "page_view", dir); code != exitOK {
		t.Fatalf("-update: exit %d:\n%s\n%s", code, out, errOut)
	}
	msg := "$.input.activity_event.user_activity.user_id is a string, but activity.UserActivityCreated events carry a number there"
	code, out, _ := runCLI(t, "test", "-run", "page_view", dir)
	want := "ok   a page view is ignored (" + fixture + ")\n    warning: " + fixture + ":13:7: " + msg + "\n"
	if code != exitOK || out != want {
		t.Errorf("text: exit %d, want %d and\n%s\ngot\n%s", code, exitOK, want, out)
	}
	code, out, _ = runCLI(t, "test", "-run", "page_view", "--format", "github", dir)
	wantGitHub := "::warning file=" + lint.EscapeGitHubProperty(fixture) + ",line=13,col=7,title=zislint test::" + lint.EscapeGitHubData("a page view is ignored: "+msg) + "\n"
	if code != exitOK || out != wantGitHub {
		t.Errorf("github: exit %d:\n%s", code, out)
	}
	_, out, _ = runCLI(t, "test", "-run", "page_view", "--format", "json", dir)
	var report struct {
		Tests []struct {
			Status   string        `json:"status"`
			Warnings []testWarning `json:"warnings"`
		} `json:"tests"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantJSON := []testWarning{{File: fixture, Line: 13, Column: 7, Message: msg}}
	if len(report.Tests) != 1 || report.Tests[0].Status != testPass || !slices.Equal(report.Tests[0].Warnings, wantJSON) {
		t.Errorf("json: %+v", report.Tests)
	}
}
