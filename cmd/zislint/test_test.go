package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zislint/zislint/lint"
)

// copyRefunds copies the refund example (bundle, zislint.yaml, fixtures
// and goldens) into a temporary folder and returns it.
func copyRefunds(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := "../../testdata/refunds"
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(src, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTestPass(t *testing.T) {
	code, out, errOut := runCLI(t, "test", "../../testdata/refunds")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"ok   $100 refund goes straight to the refund API (../../testdata/refunds/tests/refund_100_basic.yaml)\n",
		"ok   $200 refund for a premium member goes to the refund API (../../testdata/refunds/tests/refund_200_premium.yaml)\n",
		"ok   $200 refund for a basic member creates a ticket (../../testdata/refunds/tests/refund_200_basic.yaml)\n",
		"ok   a page view is ignored (../../testdata/refunds/tests/page_view.yaml)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if want := fmt.Sprintf("%d fixtures in 1 bundle: %d passed, 0 failed\n", refundFixtures(t), refundFixtures(t)); errOut != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
}

// The goldens of the example hold what the tutorial says each case does.
func TestRefundGoldens(t *testing.T) {
	read := func(name string) map[string]any {
		t.Helper()
		data, err := os.ReadFile("../../testdata/refunds/tests/" + name + ".golden.json")
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	last := func(g map[string]any) map[string]any {
		reqs := g["requests"].([]any)
		return reqs[len(reqs)-1].(map[string]any)
	}
	for _, c := range []struct{ name, order, amount string }{
		{"refund_100_basic", "789", "100.00"},
		{"refund_200_premium", "456", "200.00"},
	} {
		req := last(read(c.name))
		body := req["body"].(map[string]any)
		if req["method"] != "POST" || req["url"] != "https://refunds.acme-store.example/api/v1/refunds" ||
			body["order_id"] != c.order || body["refund_amount"] != c.amount || body["user_profile_id"] == nil {
			t.Errorf("%s: last request %v, want the refund POST for order %s", c.name, req, c.order)
		}
	}
	req := last(read("refund_200_basic"))
	ticket, _ := req["body"].(map[string]any)["ticket"].(map[string]any)
	if req["method"] != "POST" || req["url"] != "https://acme.zendesk.com/api/v2/tickets.json" ||
		ticket["subject"] != "Refund request for order 123" ||
		ticket["comment"].(map[string]any)["body"] != "Hi,\n I'm requesting a $200.00 refund for order 123." {
		t.Errorf("refund_200_basic: last request %v, want the ticket POST", req)
	}
	if reqs := read("page_view")["requests"].([]any); len(reqs) != 0 {
		t.Errorf("page_view made requests: %v", reqs)
	}
}

func TestTestFailShowsDiff(t *testing.T) {
	dir := copyRefunds(t)
	editFile(t, filepath.Join(dir, "tests", "refund_100_basic.golden.json"), `"refund_amount": "100.00"`, `"refund_amount": "99.00"`)
	code, out, errOut := runCLI(t, "test", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	fixture := filepath.Join(dir, "tests", "refund_100_basic.yaml")
	for _, want := range []string{
		"FAIL $100 refund goes straight to the refund API (" + fixture + ")\n",
		"    the run differs from " + filepath.Join(dir, "tests", "refund_100_basic.golden.json") + "\n",
		`    requests[0].body.refund_amount (state "InitiateRefund"): want "99.00", got "100.00"` + "\n",
		"    --- want (golden)\n    +++ got (this run)\n",
		`"99.00"`,
		`"100.00"`,
		"ok   a page view is ignored",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, fmt.Sprintf("%d fixtures in 1 bundle: %d passed, 1 failed", refundFixtures(t), refundFixtures(t)-1)) {
		t.Errorf("stderr: %s", errOut)
	}
}

func TestTestUpdate(t *testing.T) {
	dir := copyRefunds(t)
	tests := filepath.Join(dir, "tests")
	golden := filepath.Join(tests, "refund_200_basic.golden.json")
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(golden); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(tests, "refund_100_basic.golden.json"), `"100.00"`, `"1.00"`)

	code, out, errOut := runCLI(t, "test", "-update", dir)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, line := range []string{
		"UPDATED $200 refund for a basic member creates a ticket (" + filepath.Join(tests, "refund_200_basic.yaml") + ")",
		"UPDATED $100 refund goes straight to the refund API",
		"ok   a page view is ignored", // unchanged goldens are not rewritten
	} {
		if !strings.Contains(out, line) {
			t.Errorf("stdout lacks %q:\n%s", line, out)
		}
	}
	if !strings.Contains(errOut, fmt.Sprintf("%d fixtures in 1 bundle: %d passed, 0 failed, 2 updated", refundFixtures(t), refundFixtures(t)-2)) {
		t.Errorf("stderr: %s", errOut)
	}
	got, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("rewritten golden differs from the committed one:\n%s", got)
	}
	if code, out, _ := runCLI(t, "test", dir); code != 0 {
		t.Errorf("after -update: exit %d\n%s", code, out)
	}
}

func TestTestMissingGolden(t *testing.T) {
	dir := copyRefunds(t)
	golden := filepath.Join(dir, "tests", "page_view.golden.json")
	if err := os.Remove(golden); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "test", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	want := "FAIL a page view is ignored (" + filepath.Join(dir, "tests", "page_view.yaml") + ")\n    " +
		golden + ": no golden file; run zislint test -update to write it, then review it\n"
	if !strings.Contains(out, want) {
		t.Errorf("stdout lacks %q:\n%s", want, out)
	}
}

func TestTestRunFilter(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string // fixture names run
	}{
		{"premium", []string{"$200 refund for a premium member goes to the refund API"}}, // file name
		{"basic member", []string{"$200 refund for a basic member creates a ticket"}},    // fixture name
		{"^refund_200", []string{"$200 refund for a basic member creates a ticket", "$200 refund for a premium member goes to the refund API"}},
		{"page_view.yaml$", []string{"a page view is ignored"}},
	}
	line := regexp.MustCompile(`(?m)^ok   (.*) \(`)
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			code, out, errOut := runCLI(t, "test", "-run", tt.pattern, "../../testdata/refunds")
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			var got []string
			for _, m := range line.FindAllStringSubmatch(out, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("ran %q, want %q", got, tt.want)
			}
		})
	}
	code, _, errOut := runCLI(t, "test", "-run", "nothing-matches", "../../testdata/refunds")
	if code != 0 || !strings.Contains(errOut, `no fixture matches -run "nothing-matches"`) {
		t.Errorf("no match: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "test", "-run", "(", "../../testdata/refunds"); code != 2 {
		t.Errorf("bad -run: exit %d, want 2", code)
	}
}

func TestTestUnusedResponses(t *testing.T) {
	dir := copyRefunds(t)
	fixture := filepath.Join(dir, "tests", "refund_100_basic.yaml")
	// A $100 refund never looks up the profile, so this response is never
	// consumed, though the golden still agrees.
	editFile(t, fixture, "responses:\n", "responses:\n  GetUserProfile:\n    - status: 200\n      body: {profile: {attributes: {membership: basic}}}\n")
	code, out, _ := runCLI(t, "test", "-run", "refund_100", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	if !strings.Contains(out, "FAIL $100 refund") || !strings.Contains(out, "    responses never used: GetUserProfile#") {
		t.Errorf("stdout:\n%s", out)
	}
	// GitHub annotations point at the responses entry.
	_, out, _ = runCLI(t, "test", "-run", "refund_100", "--format", "github", dir)
	if want := "::error file=" + lint.EscapeGitHubProperty(fixture) + ",line=18,title=zislint test::$100 refund goes straight to the refund API failed%0Aresponses never used: GetUserProfile#"; !strings.HasPrefix(out, want) {
		t.Errorf("github output:\n%s\nwant prefix:\n%s", out, want)
	}
}

func TestTestBrokenFixture(t *testing.T) {
	dir := copyRefunds(t)
	broken := filepath.Join(dir, "tests", "broken.yaml")
	if err := os.WriteFile(broken, []byte("flow: RefundRequestFlow\nevent: {}\nrespones: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unknownFlow := filepath.Join(dir, "tests", "unknown_flow.yaml")
	if err := os.WriteFile(unknownFlow, []byte("# a flow the bundle lacks\nflow: NoSuchFlow\nevent: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "test", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"FAIL broken (" + broken + ")\n    " + broken + `:3:1: unknown key "respones" in the fixture; known keys are:`,
		"FAIL unknown_flow (" + unknownFlow + ")\n",
		`the bundle has no flow named "NoSuchFlow"`,
		"ok   a page view is ignored", // the others still run
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI(t, "test", "--format", "github", dir)
	for _, want := range []string{
		"::error file=" + lint.EscapeGitHubProperty(broken) + ",line=3,title=zislint test::broken failed%0A",
		"::error file=" + lint.EscapeGitHubProperty(unknownFlow) + ",line=2,title=zislint test::unknown_flow failed%0A",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("github output lacks %q:\n%s", want, out)
		}
	}
}

// TestTestHostileFixtures: fixtures built to crash the loader (a <<
// merge of itself, merges doubling at each level) fail alone, with their
// position, and the other fixtures still run; -run leaves them out
// before their values are read.
func TestTestHostileFixtures(t *testing.T) {
	dir := copyRefunds(t)
	self := filepath.Join(dir, "tests", "merge_self.yaml")
	if err := os.WriteFile(self, []byte("flow: RefundRequestFlow\nevent: &self\n  a: 1\n  <<: *self\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var bomb strings.Builder
	bomb.WriteString("flow: RefundRequestFlow\nevent:\n  m0: &m0 {a: 1}\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&bomb, "  m%d: &m%d {<<: [*m%d, *m%d]}\n", i, i, i-1, i-1)
	}
	doubling := filepath.Join(dir, "tests", "merge_doubling.yaml")
	if err := os.WriteFile(doubling, []byte(bomb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "test", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"FAIL merge_self (" + self + ")\n    " + self + ":4:7: this << merge names a mapping that contains it",
		"FAIL merge_doubling (" + doubling + ")\n    " + doubling + ":",
		"too large or nested too deeply",
		"ok   a page view is ignored", // the others still run
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runCLI(t, "test", "-run", "page_view", dir)
	if code != 0 || strings.Contains(out, "merge_") {
		t.Errorf("-run page_view: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestTestJSONOutput(t *testing.T) {
	dir := copyRefunds(t)
	editFile(t, filepath.Join(dir, "tests", "page_view.golden.json"), `"page_view"`, `"click"`)
	code, out, _ := runCLI(t, "test", "--format", "json", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var report struct {
		Tests []map[string]string `json:"tests"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(report.Tests) != refundFixtures(t) {
		t.Fatalf("%d tests, want 4:\n%s", len(report.Tests), out)
	}
	first := report.Tests[0]
	if first["name"] != "a page view is ignored" || first["status"] != "fail" ||
		first["file"] != filepath.Join(dir, "tests", "page_view.yaml") || first["bundle"] != filepath.Join(dir, "bundle.json") ||
		!strings.Contains(first["diff"], `output.input.activity_event.user_activity.type: want "click", got "page_view"`+"\n--- want (golden)\n") || !strings.Contains(first["error"], "differs from") {
		t.Errorf("first test: %v", first)
	}
	for _, r := range report.Tests[1:] {
		if r["status"] != "pass" || r["diff"] != "" || r["error"] != "" {
			t.Errorf("test %v, want a pass", r)
		}
	}
	// Every key is always there, so consumers need not test for them.
	for _, key := range []string{"name", "file", "bundle", "status", "diff", "error"} {
		if !strings.Contains(out, `"`+key+`": `) {
			t.Errorf("no %q key in:\n%s", key, out)
		}
	}
}

func TestTestGitHubOutput(t *testing.T) {
	dir := copyRefunds(t)
	editFile(t, filepath.Join(dir, "tests", "page_view.golden.json"), `"page_view"`, `"click"`)
	code, out, _ := runCLI(t, "test", "--format", "github", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one annotation, got:\n%s", out)
	}
	want := "::error file=" + lint.EscapeGitHubProperty(filepath.Join(dir, "tests", "page_view.yaml")) + ",line=1,title=zislint test::a page view is ignored failed%0Athe run differs from "
	if !strings.HasPrefix(lines[0], want) || !strings.Contains(lines[0], "%0A--- want (golden)%0A+++ got (this run)%0A") {
		t.Errorf("annotation:\n%s\nwant prefix:\n%s", lines[0], want)
	}
}

func TestTestConfiguredFolder(t *testing.T) {
	dir := copyRefunds(t)
	if err := os.Rename(filepath.Join(dir, "tests"), filepath.Join(dir, "fixtures")); err != nil {
		t.Fatal(err)
	}
	// Without the config naming it, the folder is not found.
	code, _, errOut := runCLI(t, "test", dir)
	if code != 0 || !strings.Contains(errOut, "no fixtures to run") {
		t.Errorf("without tests: exit %d, stderr %q", code, errOut)
	}
	editFile(t, filepath.Join(dir, "zislint.yaml"), "    bundle: bundle.json\n", "    bundle: bundle.json\n    tests: fixtures\n")
	code, out, errOut := runCLI(t, "test", filepath.Join(dir, "bundle.json"))
	if code != 0 || strings.Count(out, "ok   ") != refundFixtures(t) {
		t.Errorf("with tests: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	editFile(t, filepath.Join(dir, "zislint.yaml"), "tests: fixtures", "tests: nowhere")
	code, _, errOut = runCLI(t, "test", dir)
	if code != 2 || !strings.Contains(errOut, "cannot read the fixture folder") {
		t.Errorf("missing configured folder: exit %d, stderr %q", code, errOut)
	}
}

func TestTestExitCodes(t *testing.T) {
	brokenDir := copyRefunds(t)
	editFile(t, filepath.Join(brokenDir, "bundle.json"), `"StartAt": "CheckEventSourceAndType",`, `"StartAt": "CheckEventSourceAndType"`)
	badConfig := copyRefunds(t)
	editFile(t, filepath.Join(badConfig, "zislint.yaml"), "    bundle: bundle.json\n", "    bundel: bundle.json\n")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"pass", []string{"test", "../../testdata/refunds"}, 0},
		{"bundle file", []string{"test", "../../testdata/refunds/bundle.json"}, 0},
		{"broken bundle", []string{"test", brokenDir}, 2},
		{"broken config", []string{"test", badConfig}, 2},
		{"no such path", []string{"test", "no/such/dir"}, 2},
		{"no bundles", []string{"test", t.TempDir()}, 2},
		{"bad format", []string{"test", "--format", "sarif", "../../testdata/refunds"}, 2},
		{"unknown flag", []string{"test", "--nope"}, 2},
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

func TestFindBundlesSkipsGoldens(t *testing.T) {
	dir := copyRefunds(t)
	// A golden of a flow whose output holds "resources" still is no bundle.
	if err := os.WriteFile(filepath.Join(dir, "tests", "x.golden.json"), []byte(`{"resources": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "node_modules"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "node_modules", "b.json"), []byte(`{"resources": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := lint.FindBundles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != filepath.Join(dir, "bundle.json") {
		t.Errorf("FindBundles = %v, want only the bundle", got)
	}
}

func TestTestUnknownResponseAction(t *testing.T) {
	dir := copyRefunds(t)
	fixture := filepath.Join(dir, "tests", "refund_100_basic.yaml")
	editFile(t, fixture, "  InitiateRefund:\n", "  InitiateRefunds:\n")
	code, out, _ := runCLI(t, "test", "-run", "refund_100", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	want := "    " + fixture + `:18: responses for "InitiateRefunds", which is no custom action of the bundle; its custom actions are CreateZendeskTicket, GetUserProfile, InitiateRefund` + "\n"
	if !strings.Contains(out, want) {
		t.Errorf("stdout lacks %q:\n%s", want, out)
	}
}

func TestTestIncompleteFixture(t *testing.T) {
	dir := copyRefunds(t)
	fixture := filepath.Join(dir, "tests", "refund_200_basic.yaml")
	// Without the ticket response, the run stops at CreateZendeskTicket;
	// even -update must not record that as the expected outcome.
	src, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	src, _, found := bytes.Cut(src, []byte("  CreateZendeskTicket:\n")) // the last entry
	if !found {
		t.Fatal("no CreateZendeskTicket responses in the fixture")
	}
	if err := os.WriteFile(fixture, src, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "test", "-update", "-run", "refund_200_basic", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	if !strings.Contains(out, "    the fixture is incomplete: no recorded response for call 1 of action CreateZendeskTicket") ||
		!strings.Contains(out, "; golden updated") {
		t.Errorf("stdout:\n%s", out)
	}
}

// refundFixtures counts the refund example's fixtures, so adding one does
// not break these tests.
func refundFixtures(t *testing.T) int {
	t.Helper()
	files, err := filepath.Glob("../../testdata/refunds/tests/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no refund fixtures: %v", err)
	}
	return len(files)
}
