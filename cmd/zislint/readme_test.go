package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/deploy/zistest/zisfake"
)

// The README's shell examples are run as written, so they cannot drift
// from the command. The convention, which README.md states under
// Development:
//
//   - Blocks fenced as ```sh, ```bash or ```console are examples; other
//     fences (text, yaml, json) are not run. In a console block only
//     lines starting with the "$ " prompt are commands.
//   - A command starting with "zislint" or "go run ./cmd/zislint" is run,
//     with a line ending in "\" joined to the next; other commands (go
//     test, go install) are not.
//   - A trailing "# exit N" comment is the exit status the command must
//     end with; without one it must exit 0. A trailing "# not run: why"
//     comment marks a command the test cannot run (one that needs
//     credentials or a Zendesk account).
//   - A session against the local fake registry: in a block, a command
//     "go run ./deploy/zistest/cmd/zisfake FLAGS &" starts the fake in
//     this test's process with those flags on a free port, and the
//     block's later commands have "http://" + its -addr replaced by the
//     fake's address; the fake stops at the end of the block. An
//     "export NAME=value" line sets NAME for the block's later commands.
//
// Commands run with bash in the repository's root (a copy of it, so that
// an example writing a file leaves the checkout as it was), with zislint
// on PATH as this test binary, and offline: no Zendesk credentials in
// the environment. A pipeline into a program that is not installed (dot)
// runs its zislint stage alone.

// readmeCommand is one runnable example of the README.
type readmeCommand struct {
	line     int    // where it starts in README.md
	text     string // as written, continuation lines joined
	wantExit int
	notRun   string // why it is not run, from "# not run: why"
	block    int    // which shell block it is in, counting from 1
	// env holds the block's "export NAME=value" lines before it.
	env []string
	// fakeArgs, for a command that starts the local fake, are its flags.
	fakeArgs []string
}

const fakeCommand = "go run ./deploy/zistest/cmd/zisfake"

var (
	exitComment   = regexp.MustCompile(`#\s*exit\s+(\d+)\s*$`)
	notRunComment = regexp.MustCompile(`#\s*not run:?\s*(.*?)\s*$`)
	shellFences   = map[string]bool{"sh": true, "bash": true, "console": true}
	exportLine    = regexp.MustCompile(`^export\s+([A-Za-z_][A-Za-z0-9_]*=\S*)$`)
)

// readmeCommands returns the zislint commands of the shell blocks of a
// Markdown document.
func readmeCommands(markdown string) ([]readmeCommand, error) {
	var out []readmeCommand
	var env []string
	lines := strings.Split(markdown, "\n")
	fence, open, block := "", false, 0
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		if strings.HasPrefix(trimmed, "```") {
			if open {
				open = false
			} else {
				fence, open = strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), true
				block, env = block+1, nil
			}
			continue
		}
		if !open || !shellFences[fence] {
			continue
		}
		start := i
		text := trimmed
		if fence == "console" {
			var isCommand bool
			if text, isCommand = strings.CutPrefix(text, "$ "); !isCommand {
				continue
			}
		}
		for strings.HasSuffix(text, `\`) && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, `\`) + " " + strings.TrimSpace(lines[i])
		}
		if m := exportLine.FindStringSubmatch(text); m != nil {
			env = append(env, m[1])
			continue
		}
		c := readmeCommand{line: start + 1, text: text, block: block, env: env}
		if rest, ok := strings.CutPrefix(text, fakeCommand); ok {
			args, err := fakeFlags(rest)
			if err != nil {
				return nil, errors.New("README.md:" + strconv.Itoa(c.line) + ": " + err.Error())
			}
			c.fakeArgs = args
		} else if !isZislintCommand(text) {
			continue
		}
		if m := exitComment.FindStringSubmatch(text); m != nil {
			n, err := strconv.Atoi(m[1])
			if err != nil || n > 255 {
				return nil, errors.New("README.md:" + strconv.Itoa(c.line) + ": bad exit status in " + strconv.Quote(text))
			}
			c.wantExit = n
		}
		if m := notRunComment.FindStringSubmatch(text); m != nil {
			c.notRun = m[1]
			if c.notRun == "" {
				return nil, errors.New("README.md:" + strconv.Itoa(c.line) + `: "# not run" needs a reason, as in "# not run: needs credentials"`)
			}
		}
		out = append(out, c)
	}
	if open {
		return nil, errors.New("README.md: a ``` block is not closed")
	}
	return out, nil
}

// fakeFlags splits the flags of a command starting the fake, as bash
// would for the simple words the README uses: quotes ('…' or "…") group,
// a trailing "&" and "# comment" are dropped.
func fakeFlags(rest string) ([]string, error) {
	var args []string
	var word strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range rest {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				args, inWord = append(args, word.String()), false
				word.Reset()
			}
		case r == '#' && !inWord:
			return trimBackground(args), nil
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("an unclosed quote in the zisfake command")
	}
	if inWord {
		args = append(args, word.String())
	}
	args = trimBackground(args)
	if len(args) > 0 && strings.HasSuffix(args[len(args)-1], "&") {
		return nil, errors.New("write the zisfake command's \"&\" apart from its last flag")
	}
	return args, nil
}

func trimBackground(args []string) []string {
	if len(args) > 0 && args[len(args)-1] == "&" {
		return args[:len(args)-1]
	}
	return args
}

func isZislintCommand(text string) bool {
	return strings.HasPrefix(text, "zislint ") || text == "zislint" || strings.HasPrefix(text, "go run ./cmd/zislint")
}

// asRun is the command as the test runs it: zislint is the name on PATH.
func (c readmeCommand) asRun() string {
	return strings.Replace(c.text, "go run ./cmd/zislint", "zislint", 1)
}

// missingPrograms lists the programs of the command's pipeline, other
// than zislint, that are not installed.
func (c readmeCommand) missingPrograms() []string {
	var missing []string
	for _, stage := range strings.Split(c.asRun(), "|")[1:] {
		fields := strings.Fields(stage)
		if len(fields) == 0 {
			continue
		}
		if _, err := exec.LookPath(fields[0]); err != nil {
			missing = append(missing, fields[0])
		}
	}
	return missing
}

func TestReadmeCommandsParse(t *testing.T) {
	md := "text\n```sh\ngo run ./cmd/zislint lint x  # exit 1\ngo test ./...\nzislint graph \\\n  --flow F .   # what it draws\n```\n" +
		"```text\nzislint lint --help\n```\n```console\n$ zislint version\nzislint (devel)\n$ zislint plan --env prod  # not run: needs credentials\n```\n"
	got, err := readmeCommands(md)
	if err != nil {
		t.Fatal(err)
	}
	want := []readmeCommand{
		{line: 3, text: "go run ./cmd/zislint lint x  # exit 1", wantExit: 1, block: 1},
		{line: 5, text: "zislint graph  --flow F .   # what it draws", block: 1},
		{line: 12, text: "zislint version", block: 3},
		{line: 14, text: "zislint plan --env prod  # not run: needs credentials", notRun: "needs credentials", block: 3},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(readmeCommand{})); diff != "" {
		t.Errorf("readmeCommands (-want +got):\n%s", diff)
	}
	if run := want[0].asRun(); run != "zislint lint x  # exit 1" {
		t.Errorf("asRun = %q", run)
	}
	for _, bad := range []string{"```sh\nzislint x # not run\n```\n", "```sh\nzislint x\n", "```sh\n" + fakeCommand + " -x 'a\n```\n"} {
		if _, err := readmeCommands(bad); err == nil {
			t.Errorf("readmeCommands(%q) gave no error", bad)
		}
	}
}

func TestReadmeSessionParse(t *testing.T) {
	md := "```console\n$ " + fakeCommand + " -addr 127.0.0.1:8080 \\\n    -connection 'a:z:oauth:*.zendesk.com' &\nzisfake: listening\n" +
		"$ export ZENDESK_OAUTH_CLIENT_ID=local\n$ zislint plan --base-url http://127.0.0.1:8080 .\n```\n" +
		"```sh\nzislint version\n```\n"
	got, err := readmeCommands(md)
	if err != nil {
		t.Fatal(err)
	}
	want := []readmeCommand{
		{line: 2, text: fakeCommand + " -addr 127.0.0.1:8080  -connection 'a:z:oauth:*.zendesk.com' &", block: 1,
			fakeArgs: []string{"-addr", "127.0.0.1:8080", "-connection", "a:z:oauth:*.zendesk.com"}},
		{line: 6, text: "zislint plan --base-url http://127.0.0.1:8080 .", block: 1, env: []string{"ZENDESK_OAUTH_CLIENT_ID=local"}},
		{line: 9, text: "zislint version", block: 2},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(readmeCommand{})); diff != "" {
		t.Errorf("readmeCommands (-want +got):\n%s", diff)
	}
	for rest, want := range map[string][]string{
		` -a "x y" -b z # comment`: {"-a", "x y", "-b", "z"},
		` -c a#b &`:                {"-c", "a#b"},
		``:                         nil,
	} {
		if got, err := fakeFlags(rest); err != nil || !cmp.Equal(want, got) {
			t.Errorf("fakeFlags(%q) = %q, %v; want %q", rest, got, err, want)
		}
	}
	if _, err := fakeFlags(" -addr x&"); err == nil {
		t.Error(`fakeFlags took a "&" joined to a flag`)
	}
}

// TestReadmeCommands runs every zislint example of README.md.
func TestReadmeCommands(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	commands, err := readmeCommands(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	// Too few means the parser lost them, not that the README has none.
	if len(commands) < 8 {
		t.Fatalf("found %d zislint commands in README.md's shell blocks; the README has more", len(commands))
	}
	root := copyRepository(t, "../..")
	bin := filepath.Dir(zislintBinary(t))
	env := offlineEnv(bin)
	fake := &readmeFake{}
	defer fake.stop(t)
	for _, c := range commands {
		fake.enterBlock(t, c.block)
		if c.fakeArgs != nil {
			fake.start(t, c)
			continue
		}
		t.Run(strconv.Itoa(c.line), func(t *testing.T) {
			if c.notRun != "" {
				t.Skipf("README.md:%d: not run: %s", c.line, c.notRun)
			}
			script := fake.address(c.asRun())
			if missing := c.missingPrograms(); len(missing) > 0 {
				script, _, _ = strings.Cut(script, "|")
				t.Logf("README.md:%d: %s not installed; running only %q", c.line, strings.Join(missing, ", "), script)
			}
			cmd := exec.Command(bash, "-c", "set -o pipefail; "+script)
			cmd.Dir, cmd.Env = root, append(append([]string(nil), env...), c.env...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exitErr *exec.ExitError
			switch {
			case errors.As(err, &exitErr):
				code = exitErr.ExitCode()
			case err != nil:
				t.Fatal(err)
			}
			if code != c.wantExit {
				t.Errorf("README.md:%d: %s\nexit %d, the README says %d\nstdout:\n%s\nstderr:\n%s",
					c.line, c.text, code, c.wantExit, lastLines(stdout.String(), 20), lastLines(stderr.String(), 20))
			}
			if strings.Contains(stderr.String(), "goroutine ") {
				t.Errorf("README.md:%d: the command panicked:\n%s", c.line, lastLines(stderr.String(), 20))
			}
		})
	}
}

// readmeFake is the local fake registry of a README session: started in
// this process by a block's zisfake command, stopped when the block ends.
type readmeFake struct {
	block   int
	running *zisfake.Running
	logs    *lockedBuffer
	from    string // "http://" + the README's -addr
}

// enterBlock stops the fake of an earlier block.
func (f *readmeFake) enterBlock(t *testing.T, block int) {
	if block != f.block {
		f.stop(t)
		f.block = block
	}
}

func (f *readmeFake) start(t *testing.T, c readmeCommand) {
	t.Helper()
	f.stop(t)
	f.logs = &lockedBuffer{}
	o, err := zisfake.ParseArgs(c.fakeArgs, f.logs)
	if err != nil {
		t.Fatalf("README.md:%d: %s: %v", c.line, c.text, err)
	}
	f.from, o.Addr = "http://"+o.Addr, "127.0.0.1:0"
	if f.running, err = zisfake.Start(o, f.logs); err != nil {
		t.Fatalf("README.md:%d: starting the fake: %v", c.line, err)
	}
}

// address points a command of the session at the fake's real address.
func (f *readmeFake) address(script string) string {
	if f.running == nil {
		return script
	}
	return strings.ReplaceAll(script, f.from, f.running.URL())
}

func (f *readmeFake) stop(t *testing.T) {
	if f.running == nil {
		return
	}
	if err := f.running.Stop(); err != nil {
		t.Errorf("stopping the README's fake: %v", err)
	}
	// Its log is what a user sees in the terminal: no secret there.
	checkNoOAuthSecrets(t, f.running.Fake, map[string]string{"the log of the README's fake": f.logs.String()})
	if t.Failed() {
		t.Logf("the fake's log:\n%s", lastLines(f.logs.String(), 40))
	}
	f.running = nil
}

// offlineEnv is the environment the examples run in: PATH with the
// zislint stand-in first, and nothing that could reach an account.
func offlineEnv(bin string) []string {
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "PATH", strings.HasPrefix(name, "ZENDESK_"), strings.HasPrefix(name, "ZIS"), strings.HasPrefix(name, "GITHUB_"),
			strings.HasPrefix(name, "INPUT_"):
			continue
		}
		env = append(env, kv)
	}
	return env
}

// copyRepository copies the repository at from, without its .git, into
// a new folder marked as a git work tree, and returns it.
func copyRepository(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a file another package's test made and removed meanwhile
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		switch {
		case d.Name() == ".git" && rel == ".git":
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err == nil {
				var src []byte
				if src, err = os.ReadFile(path); err == nil {
					return os.WriteFile(target, src, info.Mode().Perm())
				}
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		return nil // sockets and pipes are no part of the repository
	})
	if err != nil {
		t.Fatalf("copying the repository: %v", err)
	}
	if err := os.Mkdir(filepath.Join(to, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return to
}
