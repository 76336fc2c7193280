package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

// actionResult is what a run of the action left behind.
type actionResult struct {
	code           int
	stdout, stderr string
	outputs        map[string]string
	summary        string
	outputFile     string
}

// runActionBinary runs `zislint action` with the variables GitHub sets.
func runActionBinary(t *testing.T, workspace string, env map[string]string) actionResult {
	t.Helper()
	tmp := t.TempDir()
	outFile, summaryFile := filepath.Join(tmp, "output"), filepath.Join(tmp, "summary")
	for _, f := range []string{outFile, summaryFile} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(zislintBinary(t), "action")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + tmp,
		"GITHUB_WORKSPACE=" + workspace, "GITHUB_OUTPUT=" + outFile, "GITHUB_STEP_SUMMARY=" + summaryFile,
		"GITHUB_EVENT_NAME=pull_request", "GITHUB_REF=refs/pull/7/merge", "GITHUB_ACTIONS=true"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := actionResult{stdout: stdout.String(), stderr: stderr.String(), outputFile: outFile}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	res.outputs = parseOutputs(t, outFile)
	summary, _ := os.ReadFile(summaryFile)
	res.summary = string(summary)
	return res
}

// parseOutputs reads name<<DELIM blocks the way the runner does.
func parseOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		name, delim, ok := strings.Cut(sc.Text(), "<<")
		if !ok {
			t.Fatalf("output line %q is not name<<DELIMITER", sc.Text())
		}
		var lines []string
		for sc.Scan() && sc.Text() != delim {
			lines = append(lines, sc.Text())
		}
		out[name] = strings.Join(lines, "\n")
	}
	return out
}

func copyRepo(t *testing.T, from string, edit func(bundle string) string) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if rel == "bundle.json" && edit != nil {
			data = []byte(edit(string(data)))
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestActionCheckClean(t *testing.T) {
	repo := copyRepo(t, "../../testdata/refunds", nil)
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check", "INPUT_SARIF-FILE": "zislint.sarif"})
	if res.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if res.outputs["errors"] != "0" || res.outputs["tests-failed"] != "0" || res.outputs["tests-passed"] == "0" || res.outputs["sarif-file"] != "zislint.sarif" {
		t.Errorf("outputs %v", res.outputs)
	}
	if strings.Contains(res.stdout, "::error") || !strings.Contains(res.summary, "## zislint test") {
		t.Errorf("stdout:\n%s\nsummary:\n%s", res.stdout, res.summary)
	}
	var sarif map[string]any
	data, err := os.ReadFile(filepath.Join(repo, "zislint.sarif"))
	if err != nil || json.Unmarshal(data, &sarif) != nil || sarif["version"] != "2.1.0" {
		t.Errorf("SARIF file: %v", err)
	}
}

func TestActionCheckFailing(t *testing.T) {
	repo := copyRepo(t, "../../testdata/refunds", func(b string) string {
		return strings.Replace(b, `"Finish": {`, `"Done": {`, 1)
	})
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check"})
	if res.code != 1 {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	want := "::error col=26,endColumn=34,endLine=74,file=bundle.json,line=74,title=ZIS302 unknown_state::"
	if !strings.Contains(res.stdout, want) {
		t.Errorf("no annotation %q in\n%s", want, res.stdout)
	}
	if res.outputs["errors"] == "0" || !strings.Contains(res.summary, "| error | `bundle.json:74:26` | ZIS302 unknown_state |") {
		t.Errorf("outputs %v\nsummary:\n%s", res.outputs, res.summary)
	}
	if res.outputs["tests-failed"] == "0" {
		t.Errorf("the fixtures of a broken flow passed: %v", res.outputs)
	}
}

func TestActionAnnotationLimit(t *testing.T) {
	// Twelve unreachable states: ten warnings annotated, a note for the rest.
	repo := copyRepo(t, "../../testdata/refunds", func(b string) string {
		var extra strings.Builder
		for i := 0; i < 12; i++ {
			extra.WriteString(`"Old` + string(rune('A'+i)) + `": {"Type": "Succeed"}, `)
		}
		return strings.Replace(b, `"Finish": {`, extra.String()+`"Finish": {`, 1)
	})
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check"})
	if n := strings.Count(res.stdout, "::warning "); n != annotationLimit {
		t.Errorf("%d warning annotations, want %d", n, annotationLimit)
	}
	if !strings.Contains(res.stdout, "::notice::zislint found 2 more findings than GitHub shows as annotations") {
		t.Errorf("no note about the hidden findings:\n%s", res.stdout)
	}
	if strings.Count(res.summary, "unreachable_state") != 12 {
		t.Errorf("the summary does not list every finding:\n%s", res.summary)
	}
}

func TestActionDeploy(t *testing.T) {
	fake := zistest.New(t)
	repo := copyRepo(t, "../../testdata/refunds", nil)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	creds := fake.Credentials()
	env := map[string]string{"INPUT_COMMAND": "plan", "INPUT_ENVIRONMENT": "staging", "ZISLINT_BASE_URL": fake.URL(),
		"ZENDESK_EMAIL": creds.Email, "ZENDESK_API_TOKEN": creds.APIToken}
	res := runActionBinary(t, repo, env)
	if res.code != 0 || !strings.Contains(res.stdout, "::add-mask::"+creds.APIToken) {
		t.Fatalf("plan: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	var plans []map[string]any
	if err := json.Unmarshal([]byte(res.outputs["plan"]), &plans); err != nil || len(plans) != 1 || plans[0]["integration"] != "acme_refunds_dev" {
		t.Fatalf("plan output %q: %v", res.outputs["plan"], err)
	}
	if !strings.Contains(res.summary, "| install | RefundRequestJobSpec |") || fake.Counters().Uploads != 0 {
		t.Errorf("plan summary:\n%s", res.summary)
	}
	env["INPUT_COMMAND"] = "deploy"
	res = runActionBinary(t, repo, env)
	if res.code != 0 || fake.Counters().Uploads != 1 || !strings.Contains(res.summary, "| done |") {
		t.Fatalf("deploy: exit %d\n%s\n%s\n%s", res.code, res.stdout, res.stderr, res.summary)
	}
	// A plan of an edited bundle tables the changed state and field.
	edited := copyRepo(t, "../../testdata/refunds", func(b string) string {
		return strings.Replace(b, `"refund_request"`, `"refund_requested"`, 1)
	})
	env["INPUT_COMMAND"] = "plan"
	res = runActionBinary(t, edited, env)
	wantRows := []string{
		"| ~ changed | `RefundRequestFlow` ZIS::Flow | `CheckEventSourceAndType` |  |  |",
		"| ~ changed | `RefundRequestFlow` ZIS::Flow | `CheckEventSourceAndType` | `Choices[0].StringEquals` | `\"refund_request\"` → `\"refund_requested\"` |",
	}
	for _, row := range wantRows {
		if res.code != 0 || !strings.Contains(res.summary, row) {
			t.Errorf("plan of an edited bundle: exit %d; the summary lacks %q:\n%s", res.code, row, res.summary)
		}
	}
	// No credential may appear anywhere the action writes, apart from
	// the mask commands, which the runner consumes and never shows.
	for _, secret := range []string{creds.APIToken, creds.BasicHeader()} {
		for name, text := range map[string]string{"stdout": withoutMasks(res.stdout), "stderr": res.stderr, "summary": res.summary, "plan": res.outputs["plan"]} {
			if strings.Contains(text, secret) {
				t.Errorf("a credential was written to %s", name)
			}
		}
	}
}

func TestActionPublishFailureIsNotClean(t *testing.T) {
	repo := copyRepo(t, "../../testdata/refunds", nil)
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check", "GITHUB_OUTPUT": repo}) // a folder: unwritable as a file
	if res.code == 0 || !strings.Contains(res.stdout, "zislint could not publish its results") {
		t.Errorf("exit %d\n%s", res.code, res.stdout)
	}
}

func TestOutputsCannotBeForged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out")
	evil := "x\n_GitHubActionsFileCommandDelimeter_\nerrors<<EOF\n0\nEOF"
	if err := writeOutputs(path, [][2]string{{"plan", evil}, {"errors", "3"}}); err != nil {
		t.Fatal(err)
	}
	got := parseOutputs(t, path)
	if got["plan"] != evil || got["errors"] != "3" || len(got) != 2 {
		t.Errorf("outputs = %q", got)
	}
}

func withoutMasks(stdout string) string {
	var keep []string
	for _, line := range strings.Split(stdout, "\n") {
		if !strings.HasPrefix(line, "::add-mask::") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
