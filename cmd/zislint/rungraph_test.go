package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// visitedIn returns the node IDs a Mermaid diagram paints as visited,
// with the one it paints as the failed state last.
func visitedIn(mermaid string) []string {
	var ids []string
	for _, class := range []string{"visited", "failedhere"} {
		m := regexp.MustCompile(`(?m)^  class (\S+) ` + class + `$`).FindStringSubmatch(mermaid)
		if m != nil {
			ids = append(ids, strings.Split(m[1], ",")...)
		}
	}
	return ids
}

// mermaidBlocks returns the fenced Mermaid blocks of a Markdown text.
func mermaidBlocks(md string) []string {
	var out []string
	for _, part := range strings.Split(md, "```mermaid\n")[1:] {
		block, _, _ := strings.Cut(part, "```")
		out = append(out, block)
	}
	return out
}

func TestSimulateGraphDrawsThePath(t *testing.T) {
	event, resp := simulateFiles(t, "refund_request", "200.00",
		`{"GetUserProfile": [{"status": 200, "body": {"profile": {"attributes": {"membership": "premium"}}}}],
		  "InitiateRefund": [{"status": 201, "body": {}}]}`)
	code, out, errOut := runCLI(t, "simulate", "--graph", "--bundle", refundsBundle, "--flow", "RefundRequestFlow",
		"--event", event, "--responses", resp)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// start, the type check, the conversion, the amount check, the
	// profile, the premium check, the refund, Finish.
	for _, want := range []string{
		`  start -->|"#35;1"| s0`,
		`  s2 -->|"#35;4 · Default"| s3`,
		`  s4 -->|"#35;6 · customer.profile.attributes.membership == #34;premium#34;"| s6`,
		`  s6 -->|"#35;7"| s7`,
		"  class s0,s1,s2,s3,s4,s6,s7 visited\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diagram lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "simulate", "--graph", "--graph-format", "dot", "--bundle", refundsBundle, "--flow", "RefundRequestFlow",
		"--event", event, "--responses", resp)
	if code != exitOK || !strings.HasPrefix(out, `digraph "RefundRequestFlow" {`) || !strings.Contains(out, `s4 -> s6 [label="#6 · customer`) {
		t.Errorf("--graph-format dot: exit %d\n%s", code, out)
	}
}

func TestSimulateGraphMarksTheFailedState(t *testing.T) {
	event, resp := simulateFiles(t, "refund_request", "50", `{"InitiateRefund": [{"status": 500, "body": "down"}]}`)
	code, out, _ := runCLI(t, "simulate", "--graph", "--bundle", refundsBundle, "--flow", "RefundRequestFlow",
		"--event", event, "--responses", resp)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 for a failed run", code)
	}
	if !strings.Contains(out, "  class s6 failedhere\n") || strings.Contains(out, `s6 -->|"#35;`) {
		t.Errorf("InitiateRefund should be marked failed, with no step out of it:\n%s", out)
	}
}

// A fixture whose run leaves the golden's path shows both paths.
func TestTestGraphShowsBothPathsOfAFailure(t *testing.T) {
	dir := copyRefunds(t)
	editFile(t, filepath.Join(dir, "bundle.json"), `"NumericLessThanEquals": 100`, `"NumericLessThanEquals": 50`)
	code, out, errOut := runCLI(t, "test", "--graph", "-run", "refund_100_basic", dir)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	if !strings.HasPrefix(out, "### ❌ $100 refund goes straight to the refund API\n") ||
		!strings.Contains(out, "This run:") || !strings.Contains(out, "The golden's path:") {
		t.Fatalf("output:\n%s", out)
	}
	blocks := mermaidBlocks(out)
	if len(blocks) != 2 {
		t.Fatalf("%d diagrams, want the run's and the golden's:\n%s", len(blocks), out)
	}
	// The run now asks for the profile (and stops: no recorded response);
	// the golden went straight to the refund.
	if got := strings.Join(visitedIn(blocks[0]), ","); got != "s0,s1,s2,s3" {
		t.Errorf("run visits %s, want s0,s1,s2,s3 with s3 failed", got)
	}
	if got := strings.Join(visitedIn(blocks[1]), ","); got != "s0,s1,s2,s6,s7" {
		t.Errorf("golden visits %s, want s0,s1,s2,s6,s7", got)
	}
}

func TestTestGraphPassingFixtures(t *testing.T) {
	code, out, errOut := runCLI(t, "test", "--graph", "../../testdata/refunds")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n, want := len(mermaidBlocks(out)), refundFixtures(t); n != want {
		t.Errorf("%d diagrams for %d passing fixtures:\n%s", n, want, out)
	}
	if strings.Contains(out, "The golden's path") {
		t.Error("a passing fixture shows a second path")
	}
	code, out, _ = runCLI(t, "test", "--graph", "--graph-format", "dot", "../../testdata/refunds")
	if code != exitOK || strings.Count(out, "digraph ") != refundFixtures(t) || !strings.HasPrefix(out, "// fixture ") {
		t.Errorf("dot: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "test", "--graph", "--graph-format", "svg", "../../testdata/refunds"); code != exitUsage || !strings.Contains(errOut, `--graph-format "svg"`) {
		t.Errorf("bad format: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "test", "--graph", "--format", "json", "../../testdata/refunds"); code != exitUsage || !strings.Contains(errOut, "leave out --format json") {
		t.Errorf("--graph with --format json: exit %d, %s", code, errOut)
	}
}

// A golden recorded before a state was renamed names a state the flow no
// longer has; the note says which.
func TestTestGraphNamesStatesTheFlowLost(t *testing.T) {
	dir := copyRefunds(t)
	editFile(t, filepath.Join(dir, "bundle.json"), `"NumericLessThanEquals": 100`, `"NumericLessThanEquals": 50`)
	editFile(t, filepath.Join(dir, "tests", "refund_100_basic.golden.json"), `"InitiateRefund",`, `"StartRefund",`)
	_, out, _ := runCLI(t, "test", "--graph", "-run", "refund_100_basic", dir)
	if !strings.Contains(out, "The golden's path also went through states the flow no longer has: StartRefund.") {
		t.Errorf("no note on the lost state:\n%s", out)
	}
}
