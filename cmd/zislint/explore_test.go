package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExploreUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--write", "../../testdata/refunds"}, "--write, --budget and --seed go with --explore"},
		{[]string{"--seed", "3", "../../testdata/refunds"}, "go with --explore"},
		{[]string{"--explore", "--budget", "0s", "../../testdata/refunds"}, "--budget 0s: give a duration above zero"},
		{[]string{"--explore", "-update", "../../testdata/refunds"}, "--update does not go with --explore"},
		{[]string{"--explore", "--cover", "../../testdata/refunds"}, "--cover does not go with --explore"},
		{[]string{"--explore", "--format", "json", "../../testdata/refunds"}, "--format does not go with --explore"},
		{[]string{"--explore", "-run", "(", "../../testdata/refunds"}, "-run: error parsing regexp"},
		{[]string{"--explore", t.TempDir()}, "no bundles in"},
	} {
		code, out, errOut := runCLI(t, append([]string{"test"}, c.args...)...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("test %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, out, errOut, c.want)
		}
	}
}

func TestExploreFromOneFixtureIsRepeatable(t *testing.T) {
	// A budget far beyond need: a busy machine must not cut the search short.
	args := []string{"test", "--explore", "--budget", "10m", "--seed", "5", "-run", "refund_100", "../../testdata/refunds"}
	code, out, errOut := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	for _, want := range []string{
		"explore: ../../testdata/refunds/bundle.json flow RefundRequestFlow, from refund_100_basic.yaml\n",
		"  found ../../testdata/refunds/tests/explore-CheckEventSourceAndType-default.yaml (from refund_100_basic.yaml)\n",
		"      adds: ../../testdata/refunds/bundle.json:74:26 CheckEventSourceAndType → Finish (default)\n",
		"  coverage: transitions 4/10 (40.0%) → 10/10 (100.0%), states 5/8 (62.5%) → 8/8 (100.0%)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "0 transitions not reached; --write saves the new fixtures") {
		t.Errorf("stderr: %q", errOut)
	}
	if _, err := os.Stat("../../testdata/refunds/tests/explore-CheckEventSourceAndType-default.yaml"); err == nil {
		t.Fatal("exploring without --write wrote a fixture into testdata")
	}
	_, again, errAgain := runCLI(t, args...)
	if again != out || errAgain != errOut {
		t.Errorf("the same seed gave another output:\n%s\n---\n%s", out, again)
	}
}

func TestExploreWriteThenTest(t *testing.T) {
	dir := copyRefunds(t)
	for _, name := range []string{"page_view", "refund_200_basic", "refund_200_premium", "refund_api_down"} {
		for _, ext := range []string{".yaml", ".golden.json"} {
			if err := os.Remove(filepath.Join(dir, "tests", name+ext)); err != nil {
				t.Fatal(err)
			}
		}
	}
	code, out, errOut := runCLI(t, "test", "--explore", "--budget", "10m", "--write", dir)
	if code != exitOK || !strings.Contains(out, "  wrote ") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "test", "--cover-min", "100", dir)
	if code != exitOK {
		t.Errorf("zislint test after --explore --write: exit %d\n%s%s", code, out, errOut)
	}
	if n := strings.Count(out, "ok   explore-"); n < 2 {
		t.Errorf("%d explored fixtures ran:\n%s", n, out)
	}
}

// TestReadmeExploreExampleIsTheCommandOutput holds the README's example
// of --explore to what the command prints, standard error included.
func TestReadmeExploreExampleIsTheCommandOutput(t *testing.T) {
	code, out, errOut := runCLI(t, "test", "--explore", "--budget", "10m", "-run", "refund_100", "../../testdata/refunds")
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	example := "$ zislint test --explore -run refund_100 testdata/refunds\n" + strings.ReplaceAll(out+errOut, "../../", "")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```console\n"+example+"```\n") {
		t.Errorf("README.md lacks the output of zislint test --explore; it is now:\n%s", example)
	}
}

func TestExploreABundleThatCannotRun(t *testing.T) {
	broken := brokenBundle(t, `"Finish": {`, `"Done": {`)
	code, out, errOut := runCLI(t, "test", "--explore", broken)
	if code != exitUsage || out != "" {
		t.Fatalf("exit %d, stdout %q; want exit 2 and no report", code, out)
	}
	// Lint's error for the spot, once, not once per flow or fixture.
	if n := strings.Count(errOut, "[ZIS302]"); n != 1 || !strings.Contains(errOut, broken+":") {
		t.Errorf("stderr names the defect %d times, want once with its position:\n%s", n, errOut)
	}
}
