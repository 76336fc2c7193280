//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// refundsRepo copies the refund example into repo/refunds of a
// repository (a folder with .git) and makes a folder outside it holding
// a secret. It returns the repository and the outside folder.
func refundsRepo(t *testing.T) (repo, outside string) {
	t.Helper()
	base := t.TempDir()
	repo, outside = filepath.Join(base, "repo"), filepath.Join(base, "outside")
	for _, dir := range []string{filepath.Join(repo, ".git"), outside} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(copyRefunds(t), filepath.Join(repo, "refunds")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.json"), []byte(`{"resources": {"SECRET_TEXT": {}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return repo, outside
}

func symlinkOrSkip(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Skip("no symlinks here:", err)
	}
}

// A folder link inside the repository, given as the path, is walked
// alike by lint, test and graph (lint found 0 bundles and passed; test
// and graph failed).
func TestCommandsWalkAFolderLinkArgument(t *testing.T) {
	repo, _ := refundsRepo(t)
	linkdir := filepath.Join(repo, "linkdir")
	symlinkOrSkip(t, "refunds", linkdir)
	code, _, errOut := runCLI(t, "lint", linkdir)
	if code != exitOK || !strings.HasPrefix(errOut, "1 bundle checked") {
		t.Errorf("lint linkdir: exit %d, %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "test", linkdir)
	if code != exitOK || !strings.Contains(out, "ok ") {
		t.Errorf("test linkdir: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "graph", linkdir)
	if code != exitOK || !strings.Contains(out, "flowchart") {
		t.Errorf("graph linkdir: exit %d\n%s%s", code, out, errOut)
	}
}

// What leads out of the repository is an error that names it, for every
// command, and nothing of the file outside is printed.
func TestCommandsRefuseLinksOutside(t *testing.T) {
	for _, cmd := range [][]string{{"lint"}, {"lint", "--fix"}, {"test"}, {"test", "-update"}, {"graph"}} {
		t.Run(strings.Join(cmd, " "), func(t *testing.T) {
			repo, outside := refundsRepo(t)
			evil := filepath.Join(repo, "refunds", "evil.json")
			symlinkOrSkip(t, filepath.Join(outside, "secret.json"), evil)
			code, out, errOut := runCLI(t, append(cmd, repo)...)
			if code != exitUsage || !strings.Contains(errOut, evil) || !strings.Contains(errOut, "outside the repository") {
				t.Errorf("exit %d, stderr:\n%s", code, errOut)
			}
			if strings.Contains(out+errOut, "SECRET_TEXT") {
				t.Errorf("the file outside was printed:\n%s%s", out, errOut)
			}
			if got, _ := os.ReadFile(filepath.Join(outside, "secret.json")); !strings.Contains(string(got), "SECRET_TEXT") {
				t.Errorf("the file outside was written: %s", got)
			}
		})
	}
}

// test -update never writes a golden through a link leading outside, and
// a fixture linked to /dev/zero or a FIFO is reported, not read forever.
func TestTestRefusesFixturesAndGoldensOutside(t *testing.T) {
	repo, outside := refundsRepo(t)
	tests := filepath.Join(repo, "refunds", "tests")
	victim := filepath.Join(outside, "victim.json")
	if err := os.WriteFile(victim, []byte("untouched"), 0o644); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(tests, "page_view.golden.json")
	if err := os.Remove(golden); err != nil {
		t.Fatal(err)
	}
	symlinkOrSkip(t, victim, golden)
	symlinkOrSkip(t, "/dev/zero", filepath.Join(tests, "zero.yaml"))
	if err := syscall.Mkfifo(filepath.Join(tests, "pipe.yaml"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	code, out, errOut := runCLI(t, "test", "-update", repo)
	if code == exitOK {
		t.Fatalf("test -update passed:\n%s%s", out, errOut)
	}
	for _, want := range []string{
		"page_view.golden.json: it leads to " + victim + ", outside the repository",
		"zero.yaml: it leads to /dev/zero, outside the repository",
		"pipe.yaml: it is a named pipe (FIFO), not a regular file",
	} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("output lacks %q:\n%s%s", want, out, errOut)
		}
	}
	if got, _ := os.ReadFile(victim); string(got) != "untouched" {
		t.Errorf("the file outside was written: %q", got)
	}
}

// zislint.yaml may not send tests: or bundle: out of the repository.
func TestConfigPathsOutsideAreConfigErrors(t *testing.T) {
	repo, _ := refundsRepo(t)
	cfg := filepath.Join(repo, "refunds", "zislint.yaml")
	editFile(t, cfg, "    bundle: bundle.json\n", "    bundle: bundle.json\n    tests: ../../etc\n")
	for _, cmd := range []string{"lint", "test"} {
		code, _, errOut := runCLI(t, cmd, repo)
		if want := cfg + `:6:12: tests "../../etc" leads outside the repository`; code != exitUsage || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stderr lacks %q:\n%s", cmd, code, want, errOut)
		}
	}
	editFile(t, cfg, "tests: ../../etc", "tests: /etc")
	code, _, errOut := runCLI(t, "lint", repo)
	if want := cfg + `:6:12: tests "/etc" leads outside`; code != exitUsage || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, errOut)
	}
}

func TestMaxFileSizeFlag(t *testing.T) {
	repo, _ := refundsRepo(t)
	bundle := filepath.Join(repo, "refunds", "bundle.json")
	for _, cmd := range []string{"lint", "test", "graph"} {
		code, _, errOut := runCLI(t, cmd, "--max-file-size", "1K", repo)
		if want := bundle + ": the file is larger than 1024 bytes (1K); raise the limit with --max-file-size"; code != exitUsage || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stderr lacks %q:\n%s", cmd, code, want, errOut)
		}
	}
	// The limit lasts one run, and a big enough one lets the files through.
	if code, _, errOut := runCLI(t, "lint", repo); code != exitOK {
		t.Errorf("lint after a run with a small limit: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "lint", "--max-file-size", "1M", repo); code != exitOK {
		t.Errorf("lint --max-file-size 1M: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "lint", "--max-file-size", "lots", repo); code != exitUsage || !strings.Contains(errOut, `"lots" is not a size`) {
		t.Errorf("lint --max-file-size lots: exit %d\n%s", code, errOut)
	}
}

// The action, run in a workspace holding a link to a file outside it,
// fails the check naming the link and publishes nothing of the file.
func TestActionRefusesLinksOutside(t *testing.T) {
	repo, outside := refundsRepo(t)
	evil := filepath.Join(repo, "refunds", "evil.json")
	symlinkOrSkip(t, filepath.Join(outside, "secret.json"), evil)
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check"})
	all := res.stdout + res.stderr + res.summary + strings.Join(mapValues(res.outputs), "\n")
	if res.code == 0 || !strings.Contains(all, "refunds/evil.json") || !strings.Contains(all, "outside the repository") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	if strings.Contains(all, "SECRET_TEXT") {
		t.Errorf("the file outside was published:\n%s", all)
	}
}

func TestActionMaxFileSize(t *testing.T) {
	repo, _ := refundsRepo(t)
	res := runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check", "INPUT_MAX-FILE-SIZE": "1K"})
	if res.code == 0 || !strings.Contains(res.stdout+res.stderr, "larger than 1024 bytes (1K); raise the limit with --max-file-size") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	res = runActionBinary(t, repo, map[string]string{"INPUT_COMMAND": "check", "INPUT_MAX-FILE-SIZE": "big"})
	if res.code != exitUsage || !strings.Contains(res.stdout+res.stderr, `max-file-size: "big" is not a size`) {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
