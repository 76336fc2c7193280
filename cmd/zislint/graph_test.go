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
