package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// git runs a git command in dir with a fixed identity and no user config.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// prRepo is the refund example in a git repository: the tutorial on
// main, and a branch that raises the threshold and adds a state after
// the ticket.
func prRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := copyRepo(t, "../../testdata/refunds", nil)
	git(t, repo, "init", "-q")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "the tutorial")
	git(t, repo, "checkout", "-q", "-b", "raise-threshold")
	editFile(t, filepath.Join(repo, "bundle.json"), `"NumericLessThanEquals": 100`, `"NumericLessThanEquals": 150`)
	editFile(t, filepath.Join(repo, "bundle.json"), `"Next": "Finish"`, `"Next": "Notify"`) // the ticket's
	editFile(t, filepath.Join(repo, "bundle.json"), `"Finish": {`, `"Notify": {"Type": "Pass", "Next": "Finish"}, "Finish": {`)
	git(t, repo, "commit", "-q", "-am", "raise the threshold")
	return repo
}

// summarySection returns the summary from the heading to the next "## ".
func summarySection(summary, heading string) string {
	_, after, ok := strings.Cut(summary, heading+"\n")
	if !ok {
		return ""
	}
	if i := strings.Index(after, "\n## "); i >= 0 {
		return after[:i]
	}
	return after
}

func TestActionSummaryShowsChangedFlows(t *testing.T) {
	repo := prRepo(t)
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check", "GITHUB_BASE_REF": "main"})
	section := summarySection(res.summary, "## Flows changed")
	if section == "" {
		t.Fatalf("no changed-flows section; exit %d\nsummary:\n%s\nstdout:\n%s", res.code, res.summary, res.stdout)
	}
	for _, want := range []string{
		"Compared with main (local branch), commit ",
		"1 changed, 0 unchanged.",
		"### RefundRequestFlow\n\n`bundle.json` · flow changed · added: Notify · changed: CheckRefundAmount, CreateZendeskTicket\n",
		"```mermaid\nflowchart TD\n",
		`s2{"CheckRefundAmount<br/>changed"}`,
		`s2 -->|"refund_amount_num #60;= 150"| s6`,
		"  class s2,s5 changed\n",
		"  class s7 added\n",
		`s7["Notify<br/>added"]`,
	} {
		if !strings.Contains(section, want) {
			t.Errorf("section lacks %q:\n%s", want, section)
		}
	}
}

func TestActionSummaryShowsFixturePaths(t *testing.T) {
	repo := copyRepo(t, "../../testdata/refunds", func(b string) string {
		return strings.Replace(b, `"NumericLessThanEquals": 100`, `"NumericLessThanEquals": 50`, 1)
	})
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check"})
	if res.code != exitFindings {
		t.Fatalf("exit %d, want 1 for the fixture that now takes another path", res.code)
	}
	paths := summarySection(res.summary, "## zislint test")
	_, paths, _ = strings.Cut(paths, "### Paths taken\n")
	if got, want := strings.Count(paths, "<details"), refundFixtures(t); got != want {
		t.Errorf("%d fixtures drawn, want %d:\n%s", got, want, paths)
	}
	// The failed fixture comes first, open, with both paths.
	first, _, _ := strings.Cut(paths, "</details>")
	for _, want := range []string{"<details open><summary>❌ $100 refund goes straight to the refund API · flow RefundRequestFlow</summary>",
		"This run:", "The golden's path:"} {
		if !strings.Contains(first, want) {
			t.Errorf("first fixture lacks %q:\n%s", want, first)
		}
	}
	if n := strings.Count(first, "```mermaid"); n != 2 {
		t.Errorf("%d diagrams for the failed fixture, want 2", n)
	}
}

func TestActionSummaryWithoutBase(t *testing.T) {
	for _, c := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"not a pull request", nil, "Not a pull request, so every flow is drawn."},
		{"no git repository", map[string]string{"GITHUB_BASE_REF": "main"}, "No git repository to compare with main ("},
	} {
		t.Run(c.name, func(t *testing.T) {
			repo := copyRepo(t, "../../testdata/refunds", nil)
			env := map[string]string{"INPUT_COMMAND": "check"}
			for k, v := range c.env {
				env[k] = v
			}
			res := runActionBinary(t, repo, env)
			section := summarySection(res.summary, "## Flows")
			if !strings.Contains(section, c.want) || !strings.Contains(section, "### RefundRequestFlow") ||
				strings.Count(section, "```mermaid") != 1 || strings.Contains(section, " changed\n") {
				t.Errorf("want every flow drawn unmarked after %q:\n%s", c.want, section)
			}
		})
	}
}

// A shallow clone without the base commit falls back to every flow and
// says how to fetch the base.
func TestActionSummaryShallowCheckout(t *testing.T) {
	origin := prRepo(t)
	clone := t.TempDir()
	git(t, clone, "clone", "-q", "--depth", "1", "--branch", "raise-threshold", "file://"+origin, "work")
	res := runActionBinary(t, filepath.Join(clone, "work"), map[string]string{"INPUT_COMMAND": "check", "GITHUB_BASE_REF": "main"})
	section := summarySection(res.summary, "## Flows")
	if !strings.Contains(section, "fetch-depth: 0") || strings.Count(section, "```mermaid") != 1 {
		t.Errorf("want a fetch-depth hint and every flow drawn:\n%s", section)
	}
}

// bigFlowBundle writes a bundle whose one flow is a chain of n states.
func bigFlowBundle(t *testing.T, dir, name string, n int) string {
	t.Helper()
	var states strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&states, `"step %d": {"Type": "Pass", "Next": "step %d"}, `, i, i+1)
	}
	fmt.Fprintf(&states, `"step %d": {"Type": "Succeed"}`, n)
	src := fmt.Sprintf(`{"zis_template_version": "2019-10-14", "name": "big", "resources": {"%s": {"type": "ZIS::Flow",
	  "properties": {"name": "%s", "definition": {"StartAt": "step 0", "States": {%s}}}}}}`, name, name, states.String())
	path := filepath.Join(dir, name+".json")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Diagrams past the budget are listed with the command that draws them,
// and the summary stays under GitHub's 1 MiB.
func TestFlowsSummaryKeepsWithinTheSizeLimit(t *testing.T) {
	dir := t.TempDir()
	var files []string
	sources := map[string][]byte{}
	for i := 0; i < 6; i++ {
		path := bigFlowBundle(t, dir, fmt.Sprintf("flow%d", i), 3000)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files, sources[path] = append(files, path), src
	}
	a := newActionRun(func(string) string { return "" }, os.Stdout, os.Stderr)
	a.flowsSummary(files, sources, &budget{left: diagramBudget})
	summary := a.summary.String()
	if len(summary) >= 1<<20 || len(summary) < diagramBudget/2 {
		t.Errorf("summary is %d bytes; want diagrams up to the budget and under 1 MiB", len(summary))
	}
	drawn, listed := strings.Count(summary, "```mermaid"), strings.Count(summary, "Not drawn here")
	if drawn == 0 || listed == 0 || drawn+listed != len(files) {
		t.Errorf("%d drawn and %d listed of %d flows", drawn, listed, len(files))
	}
	if !strings.Contains(summary, "run `zislint graph --flow flow5 "+filepath.Join(dir, "flow5.json")+"`.") {
		t.Errorf("the last flow should point to zislint graph:\n%s", summary[len(summary)-400:])
	}
}

func TestFitSummaryCutsAtABoundary(t *testing.T) {
	body := "## zislint lint\n\n| a |\n|---|\n" + strings.Repeat("| row |\n", 100) + "\n## Flows\n\n### F\n\n```mermaid\nflowchart TD\n" +
		strings.Repeat("  s0 --> s1\n", 200) + "```\n"
	if got := fitSummary(body, len(body)); got != body {
		t.Error("a summary within the limit must stay as it is")
	}
	got := fitSummary(body, len(body)-10)
	if len(got) > len(body)-10 || !strings.HasSuffix(got, "stay within GitHub's size limit**; the log has every result.\n") {
		t.Fatalf("cut summary is %d bytes, limit %d:\n%s", len(got), len(body)-10, got)
	}
	if strings.Contains(got, "```mermaid") || strings.Count(got, "| row |\n") != 100 || !strings.Contains(got, "## Flows\n\n\n**The summary was cut") {
		t.Errorf("want the cut before the flow's heading, after the whole table:\n%s", got[len(got)-300:])
	}
}
