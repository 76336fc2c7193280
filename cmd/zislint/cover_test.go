package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateCoverGoldens = flag.Bool("update-cover", false, "rewrite testdata/orders_cover.* from zislint graph --cover-profile")

// The refund flow, counted by hand: 8 states and 10 transitions (the
// three Choice states have a rule and a Default each, and Next out of
// ConvertRefundAmountToNum, GetUserProfile, CreateZendeskTicket and
// InitiateRefund). Its five fixtures take every one.
func TestCoverRefundExample(t *testing.T) {
	code, out, errOut := runCLI(t, "test", "--cover", "../../testdata/refunds")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	want := "coverage: ../../testdata/refunds/bundle.json flow RefundRequestFlow: states 8/8 (100.0%), transitions 10/10 (100.0%)\n" +
		"coverage: total: states 8/8 (100.0%), transitions 10/10 (100.0%)\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("coverage section:\n%s\nwant it to end with:\n%s", out, want)
	}
}

// The two "basic" fixtures visit every state but miss two transitions:
// the Default of CheckEventSourceAndType (a non-refund event) and the
// premium rule of CheckForPremiumMembership. Lines and columns are
// where the targets are written in testdata/refunds/bundle.json.
func TestCoverListsUntakenTransitions(t *testing.T) {
	code, out, errOut := runCLI(t, "test", "--cover", "-run", "basic", "../../testdata/refunds")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	b := "../../testdata/refunds/bundle.json"
	want := "coverage: " + b + " flow RefundRequestFlow: states 8/8 (100.0%), transitions 8/10 (80.0%)\n" +
		"    not taken: " + b + ":74:26 CheckEventSourceAndType → Finish (default)\n" +
		"    not taken: " + b + ":112:27 CheckForPremiumMembership → InitiateRefund (choice)\n" +
		"coverage: total: states 8/8 (100.0%), transitions 8/10 (80.0%)\n"
	if _, section, _ := strings.Cut(out, "coverage: "); "coverage: "+section != want {
		t.Errorf("stdout:\n%s\nwant the coverage section:\n%s", out, want)
	}
}

// The profile's JSON is a contract: exactly these keys, these values.
func TestCoverProfileContract(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "cover.json")
	if code, out, errOut := runCLI(t, "test", "--cover-profile", profile, "-run", "basic", "../../testdata/refunds"); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(profile)
	if err != nil {
		t.Fatal(err)
	}
	var got any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	count := func(covered, total float64) any { return map[string]any{"covered": covered, "total": total} }
	edge := func(from, to, kind string, line, col float64) any {
		return map[string]any{"from": from, "to": to, "kind": kind, "line": line, "column": col}
	}
	want := map[string]any{
		"flows": []any{map[string]any{
			"bundle": "../../testdata/refunds/bundle.json", "flow": "RefundRequestFlow",
			"states": count(8, 8), "transitions": count(8, 10),
			"uncovered": []any{
				edge("CheckEventSourceAndType", "Finish", "default", 74, 26),
				edge("CheckForPremiumMembership", "InitiateRefund", "choice", 112, 27),
			},
		}},
		"total": map[string]any{"states": count(8, 8), "transitions": count(8, 10)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profile (-want +got):\n%s", diff)
	}
}

func TestCoverMinExitCodes(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"every transition taken", []string{"--cover-min", "100"}, exitOK, ""},
		{"8 of 10 meets 80", []string{"--cover-min", "80", "-run", "basic"}, exitOK, ""},
		{"8 of 10 is below 80.5", []string{"--cover-min", "80.5", "-run", "basic"}, exitFindings,
			"the fixtures take 80.0% of the transitions, below --cover-min 80.5%"},
		{"not a percentage", []string{"--cover-min", "101"}, exitUsage, "--cover-min 101: give a percentage from 0 to 100"},
		{"--cover needs the text report", []string{"--cover", "--format", "json"}, exitUsage, "--cover prints text"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append(append([]string{"test"}, c.args...), "../../testdata/refunds")...)
			if code != c.code || !strings.Contains(errOut, c.msg) {
				t.Errorf("exit %d, want %d; stderr should hold %q\n%s%s", code, c.code, c.msg, out, errOut)
			}
		})
	}
}

// The overlay drawn from a profile of two order fixtures, which never
// reach the Catch into SyncFailed: that edge is red and dashed, the
// others solid. The goldens are the command's own output, rewritten
// with go test -run TestGraphCoverOverlay -update-cover and reviewed.
func TestGraphCoverOverlay(t *testing.T) {
	dir := t.TempDir()
	profile := filepath.Join(dir, "cover.json")
	bundlePath := "../../testdata/orders/bundle.json"
	if code, out, errOut := runCLI(t, "test", "--cover-profile", profile, "-run", "order_sent|switched_off", bundlePath); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, format := range []string{"mermaid", "dot"} {
		code, out, errOut := runCLI(t, "graph", "--format", format, "--cover-profile", profile, bundlePath)
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		golden := filepath.Join("testdata", "orders_cover."+map[string]string{"mermaid": "mmd", "dot": "dot"}[format])
		if *updateCoverGoldens {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), out); diff != "" {
			t.Errorf("%s (-want +got):\n%s", golden, diff)
		}
	}
}

// What the overlay must show, whatever the golden holds: only the Catch
// is drawn as missed.
func TestGraphCoverOverlayMarksOnlyTheMissedCatch(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "cover.json")
	bundlePath := "../../testdata/orders/bundle.json"
	if code, _, errOut := runCLI(t, "test", "--cover-profile", profile, "-run", "order_sent|switched_off", bundlePath); code != exitOK {
		t.Fatal(errOut)
	}
	_, out, _ := runCLI(t, "graph", "--format", "dot", "--cover-profile", profile, bundlePath)
	var missed []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "->") && strings.Contains(line, missedColorForTest) {
			missed = append(missed, strings.TrimSpace(line))
		}
	}
	if len(missed) != 1 || !strings.Contains(missed[0], "catch States.ALL") || !strings.Contains(missed[0], "style=dashed") {
		t.Errorf("missed edges = %q; want only the dashed Catch", missed)
	}
	_, plain, _ := runCLI(t, "graph", "--format", "dot", bundlePath)
	if strings.Contains(plain, missedColorForTest) {
		t.Error("without --cover-profile an edge is drawn as missed")
	}
}

const missedColorForTest = "#dc2626"

func TestGraphCoverProfileErrors(t *testing.T) {
	code, _, errOut := runCLI(t, "graph", "--cover-profile", filepath.Join(t.TempDir(), "none.json"), "../../testdata/orders")
	if code != exitUsage || !strings.Contains(errOut, "--cover-profile") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("[1,"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "graph", "--cover-profile", bad, "../../testdata/orders")
	if code != exitUsage || !strings.Contains(errOut, "not a coverage profile") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// The action tables the coverage of each flow in the step summary and
// fails the step below coverage-min.
func TestActionCoverage(t *testing.T) {
	full := copyRepo(t, "../../testdata/refunds", nil)
	res := runActionBinary(t, full, map[string]string{"INPUT_COMMAND": "check", "INPUT_COVERAGE-MIN": "100"})
	if res.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	row := "| RefundRequestFlow | `bundle.json` | 8/8 | 10/10 (100.0%) |  |"
	if !strings.Contains(res.summary, "### Coverage\n\nTransitions taken: 10 of 10 (100.0%); coverage-min 100%.") || !strings.Contains(res.summary, row) {
		t.Errorf("summary lacks the coverage table:\n%s", res.summary)
	}
	if strings.Contains(res.summary, "Untaken transitions") {
		t.Error("a fully covered flow is drawn as having untaken transitions")
	}

	// Without the premium fixture, CheckForPremiumMembership's rule is
	// never taken: 9 of 10, below 95.
	partial := copyRepo(t, "../../testdata/refunds", nil)
	for _, f := range []string{"refund_200_premium.yaml", "refund_200_premium.golden.json"} {
		if err := os.Remove(filepath.Join(partial, "tests", f)); err != nil {
			t.Fatal(err)
		}
	}
	res = runActionBinary(t, partial, map[string]string{"INPUT_COMMAND": "check", "INPUT_COVERAGE-MIN": "95"})
	if res.code != exitFindings || !strings.Contains(res.stdout, "::error::zislint test: the fixtures take 90.0%25 of the transitions, below coverage-min 95%25") {
		t.Errorf("exit %d, want 1 with the reason\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.summary, "| 8/8 | 9/10 (90.0%) | `112:27 CheckForPremiumMembership → InitiateRefund (choice)` |") {
		t.Errorf("summary lacks the untaken rule:\n%s", res.summary)
	}
	// The flow is drawn with that one rule red: in Mermaid, one linkStyle
	// naming one edge.
	_, drawn, _ := strings.Cut(res.summary, "<details><summary>Untaken transitions of flow RefundRequestFlow, dashed in red</summary>")
	if !strings.Contains(drawn, "```mermaid") || !regexp.MustCompile(`linkStyle \d+ stroke:#dc2626`).MatchString(drawn) {
		t.Errorf("summary does not draw the untaken transition:\n%s", res.summary)
	}

	res = runActionBinary(t, full, map[string]string{"INPUT_COMMAND": "check", "INPUT_COVERAGE-MIN": "lots"})
	if res.code != exitUsage || !strings.Contains(res.stdout, `coverage-min "lots": give a percentage from 0 to 100`) {
		t.Errorf("exit %d\n%s", res.code, res.stdout)
	}
}

// A flow's name is the bundle author's text: in the summary it cannot
// open HTML.
func TestActionCoverageEscapesNames(t *testing.T) {
	repo := copyRepo(t, "../../testdata/refunds", func(b string) string {
		return strings.Replace(b, `"name": "RefundRequestFlow"`, `"name": "<img src=x>*Flow*"`, 1)
	})
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check"})
	if strings.Contains(res.summary, "<img") || !strings.Contains(res.summary, "| &lt;img src=x&gt;*Flow* |") {
		t.Errorf("the flow name reached the summary unescaped:\n%s", res.summary)
	}
	if !strings.Contains(res.summary, "### Coverage") || !strings.Contains(res.summary, "0/8") {
		t.Errorf("the renamed flow, which no fixture runs, is not in the coverage table:\n%s", res.summary)
	}
}

// copyExample copies a testdata example into a temporary folder.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	return copyRepo(t, filepath.Join("../../testdata", name), nil)
}

func TestNewFixtureFromTheJobSpec(t *testing.T) {
	dir := copyExample(t, "refunds")
	code, out, errOut := runCLI(t, "test", "--new", "scaffolded", dir)
	fixture := filepath.Join(dir, "tests", "scaffolded.yaml")
	// The stubs answer every custom action the flow can call; the sample
	// event is no refund request, so the run calls none and says so.
	if code != exitFindings || !strings.HasPrefix(out, "wrote "+fixture+"\nFAIL scaffolded ("+fixture+")\n") ||
		!strings.Contains(out, "responses never used: CreateZendeskTicket#1, GetUserProfile#1, InitiateRefund#1; golden updated") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	text, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"name: scaffolded\nevent_source: sunshine\nevent_type: activity.UserActivityCreated\n",
		"event:\n  activity_event:\n",
		"responses:\n  # called by CreateZendeskTicket; one entry per call, in order\n  CreateZendeskTicket:\n    - status: 200\n      body: {}\n",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("fixture lacks %q:\n%s", want, text)
		}
	}
	golden := filepath.Join(dir, "tests", "scaffolded.golden.json")
	if _, err := os.Stat(golden); err != nil {
		t.Fatalf("no golden: %v", err)
	}
	// Once the unused stubs are gone, the fixture passes against the
	// golden --new recorded.
	trimmed := string(text[:strings.Index(string(text), "responses:")])
	if err := os.WriteFile(fixture, []byte(trimmed), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, "test", "-run", "^scaffolded$", dir); code != exitOK {
		t.Errorf("the scaffolded fixture without its stubs: exit %d\n%s%s", code, out, errOut)
	}

	// It never overwrites.
	code, _, errOut = runCLI(t, "test", "--new", "scaffolded", dir)
	if again, _ := os.ReadFile(fixture); code != exitUsage || !strings.Contains(errOut, "exists; --new does not overwrite") || string(again) != trimmed {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// The order bundle's event is not in the catalogue, and its action is
// called from inside a Map's iterator.
func TestNewFixtureForACustomEvent(t *testing.T) {
	dir := copyExample(t, "orders")
	code, out, errOut := runCLI(t, "test", "--new", "custom", "--flow", "OrderSyncFlow", dir)
	if code == exitUsage {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	text, err := os.ReadFile(filepath.Join(dir, "tests", "custom.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# zislint's event catalogue has no ", "event: {}\n", "  # called by Send; one entry per call, in order\n  PostItem:\n"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("fixture lacks %q:\n%s", want, text)
		}
	}
}

func TestNewFixtureErrors(t *testing.T) {
	dir := copyExample(t, "refunds")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--new", "../escape"}, `--new "../escape": give a file name`},
		{[]string{"--new", "x", "--job-spec", "Nope"}, `has no job spec "Nope"; its job specs are RefundRequestJobSpec`},
		{[]string{"--new", "x", "--flow", "Nope"}, `has no flow "Nope"; its flows are RefundRequestFlow`},
		{[]string{"--job-spec", "RefundRequestJobSpec"}, "--job-spec and --flow go with --new NAME"},
	} {
		code, _, errOut := runCLI(t, append(append([]string{"test"}, c.args...), dir)...)
		if code != exitUsage || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, want 2 with %q: %s", c.args, code, c.msg, errOut)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "tests")); len(entries) != 10 {
		t.Errorf("a refused --new wrote files: %d in tests", len(entries))
	}
}
