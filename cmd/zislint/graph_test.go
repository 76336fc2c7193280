package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The command prints what the diagram package's goldens hold, which are
// reviewed there.
func TestGraphPrintsTheGoldenDiagrams(t *testing.T) {
	for _, c := range []struct{ format, golden string }{
		{"mermaid", "refunds.mmd"},
		{"dot", "refunds.dot"},
	} {
		want, err := os.ReadFile(filepath.Join("../../bundle/diagram/testdata", c.golden))
		if err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCLI(t, "graph", "--format", c.format, "../../testdata/refunds")
		if code != exitOK || errOut != "" {
			t.Fatalf("--format %s: exit %d, stderr %q", c.format, code, errOut)
		}
		if diff := cmp.Diff(string(want), out); diff != "" {
			t.Errorf("--format %s (-want +got):\n%s", c.format, diff)
		}
	}
}

func TestGraphMarkdownOfSeveralBundles(t *testing.T) {
	code, out, errOut := runCLI(t, "graph", "--format", "markdown", "../../testdata")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"### OrderSyncFlow\n\n```mermaid\nflowchart TD\n", "### RefundRequestFlow\n\n```mermaid\nflowchart TD\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "```mermaid"); n != 2 {
		t.Errorf("%d diagrams, want 2", n)
	}
}

func TestGraphOneFlow(t *testing.T) {
	code, out, _ := runCLI(t, "graph", "--flow", "OrderSyncFlow", "../../testdata")
	if code != exitOK || strings.Count(out, "flowchart TD") != 1 || !strings.Contains(out, "%% flow OrderSyncFlow") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestGraphErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "bundle.json")
	if err := os.WriteFile(broken, []byte("{\"zis_template_version\": \"2019-10-14\",\n \"resources\": {,}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flow", []string{"--flow", "Nope", "../../testdata/refunds"}, `no flow named "Nope"; the flows are "RefundRequestFlow"`},
		{"bad format", []string{"--format", "png", "../../testdata/refunds"}, `--format "png": use one of mermaid, dot, markdown`},
		{"not JSON", []string{broken}, broken + ":2:16: unexpected ','"},
		{"no bundle", []string{dir + "/none"}, "none"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"graph"}, c.args...)...)
			if code != exitUsage || out != "" || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and stderr holding %q", code, out, errOut, c.want)
			}
		})
	}
}

// The README shows the refund flow as the command draws it.
func TestReadmeDiagramIsTheCommandOutput(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- zislint graph testdata/refunds: kept equal to the command's output by cmd/zislint/graph_test.go -->\n```mermaid\n"
	_, after, ok := strings.Cut(string(readme), marker)
	if !ok {
		t.Fatal("README.md lacks the refund flow's diagram after its marker")
	}
	shown, _, _ := strings.Cut(after, "```\n")
	_, out, _ := runCLI(t, "graph", "../../testdata/refunds")
	if diff := cmp.Diff(out, shown); diff != "" {
		t.Errorf("README.md's diagram differs from zislint graph testdata/refunds (-command +README); paste the command's output:\n%s", diff)
	}
}

// TestGraphDrawsWhatItCan: a bundle that is not JSON is skipped with its
// position on stderr; the others are drawn and the exit status is 0.
// Only when nothing can be drawn does graph exit 2.
func TestGraphDrawsWhatItCan(t *testing.T) {
	dir := t.TempDir()
	refunds, err := os.ReadFile("../../testdata/refunds/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "a_broken", "bundle.json")
	for path, src := range map[string]string{
		broken: "{\"zis_template_version\": \"2019-10-14\",\n \"resources\": {,}}",
		filepath.Join(dir, "refunds", "bundle.json"): string(refunds),
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	skippedLine := "zislint graph: skipped " + broken + ":2:16: unexpected ','"
	for _, args := range [][]string{{dir}, {"--flow", "RefundRequestFlow", dir}} {
		code, out, errOut := runCLI(t, append([]string{"graph"}, args...)...)
		if code != exitOK || strings.Count(out, "flowchart TD") != 1 || !strings.Contains(out, "%% flow RefundRequestFlow") {
			t.Errorf("graph %q: exit %d, stdout:\n%s\nwant exit 0 and the refund flow", args, code, out)
		}
		if !strings.Contains(errOut, skippedLine) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("graph %q: stderr %q; want one line holding %q", args, errOut, skippedLine)
		}
	}

	code, out, errOut := runCLI(t, "graph", "--flow", "Nope", dir)
	if want := `no flow named "Nope"; the flows are "RefundRequestFlow" (1 bundle skipped)`; code != exitUsage || out != "" || !strings.Contains(errOut, want) {
		t.Errorf("unknown flow: exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, want)
	}
	code, out, errOut = runCLI(t, "graph", filepath.Dir(broken))
	if want := "no bundle could be drawn: 1 bundle skipped"; code != exitUsage || out != "" || !strings.Contains(errOut, skippedLine) || !strings.Contains(errOut, want) {
		t.Errorf("only a broken bundle: exit %d, stdout %q, stderr %q; want exit 2, the skipped line and %q", code, out, errOut, want)
	}
}

// TestRepositoryRootIsCleanAndDrawable: from the repository's root,
// where the walk meets the rules' deliberately broken test cases, the
// root zislint.yaml's exclude: keeps lint clean and graph whole; test
// from the root runs the example integrations' fixtures.
func TestRepositoryRootIsCleanAndDrawable(t *testing.T) {
	t.Chdir("../..")
	code, out, errOut := runCLI(t, "lint", ".")
	if code != exitOK || strings.Contains(out, "error:") || strings.Contains(out, "warning:") {
		t.Errorf("zislint lint . from the root: exit %d, stderr %q, report:\n%s", code, errOut, out)
	}
	code, out, errOut = runCLI(t, "test", ".")
	if code != exitOK || !strings.Contains(out, "ok   $200 refund for a basic member creates a ticket") {
		t.Errorf("zislint test . from the root: exit %d, stderr %q, report:\n%s", code, errOut, out)
	}
	code, out, errOut = runCLI(t, "graph", "--format", "markdown", "--flow", "RefundRequestFlow", ".")
	if code != exitOK || errOut != "" || !strings.HasPrefix(out, "### RefundRequestFlow\n") {
		t.Errorf("zislint graph --flow RefundRequestFlow . from the root: exit %d, stderr %q, stdout:\n%s", code, errOut, out)
	}
}
