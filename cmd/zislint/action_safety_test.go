package main

import (
	"bytes"
	"encoding/json"
	"github.com/zislint/zislint/simulate/runner"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/deploy"
	"github.com/zislint/zislint/internal/textsafe"
	"github.com/zislint/zislint/lint"
)

// runnerCommand is a workflow command as the Actions runner reads one.
type runnerCommand struct {
	name  string
	props map[string]string // unescaped
	data  string            // unescaped
	line  string
}

// runnerCommands reads a step's output the way the runner does: lines
// end at LF, CR or CRLF; a line whose first non-blank characters are
// "::" is a command, ::name[ props]::data, and a line holding "##[" is
// one in the older form, ##[name props]data.
func runnerCommands(output string) []runnerCommand {
	var cmds []runnerCommand
	for _, line := range strings.FieldsFunc(output, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if rest, ok := strings.CutPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::"); ok {
			info, data, _ := strings.Cut(rest, "::")
			name, props, _ := strings.Cut(info, " ")
			c := runnerCommand{name: name, props: map[string]string{}, data: unescapeData(data), line: line}
			for _, p := range strings.Split(props, ",") {
				if k, v, ok := strings.Cut(p, "="); ok {
					c.props[k] = unescapeProperty(v)
				}
			}
			cmds = append(cmds, c)
			continue
		}
		if i := strings.Index(line, "##["); i >= 0 {
			cmds = append(cmds, runnerCommand{name: "##[", line: line})
		}
	}
	return cmds
}

func unescapeData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(s)
}

func unescapeProperty(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

// terminalUnsafe finds the first character that would drive a terminal.
func terminalUnsafe(s string) (int, bool) {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return i, true
		case r == '\r' && !strings.HasPrefix(s[i:], "\r\n"):
			return i, true
		case r < 0x20 && r != '\n' && r != '\t' && r != '\r', r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return i, true
		}
	}
	return 0, false
}

// hostile are names an attacker can give a folder, a fixture, a state or
// a server's answer.
var hostile = []string{
	"x\n::error file=README.md,line=1::forged",
	"x\r::warning::forged by a CR",
	"  \u00a0::add-mask::hidden",
	"old ##[error]form",
	"\x1b]0;title\x07\x1b[2J\u009b31m\u202eevil",
	"[link](https://evil.example) ![img](https://evil.example/i.png) <img src=x> www.evil.example a@evil.example",
	"</summary></details>\n\n<a href=x>out</a>",
	"`code` ``fence`` | pipe |\nrow",
}

// actionWriters feeds a run of the action every way repository and
// server text reaches its log: the lint report, annotations, the test
// report, a plan, and errors printed on stderr. It returns what the
// runner reads and the summary.
func actionWriters(name, message, file string) (log, summary string) {
	var stdout, stderr bytes.Buffer
	out, errOut := textsafe.NewWriter(&stdout), textsafe.NewWriter(&stderr) // as run wraps them
	a := newActionRun(func(string) string { return "" }, out, errOut)
	findings := []lint.Finding{
		{File: file, Line: 1, Column: 1, EndLine: 1, EndColumn: 3, Rule: "ZIS302", Name: name, Severity: config.SeverityError, Message: message},
		{File: file, Line: 2, Column: 1, Rule: "ZIS303", Name: name, Severity: config.SeverityWarning, Message: message},
	}
	res := &lint.Result{Findings: findings, Sources: map[string][]byte{file: []byte(message + "\n" + name)}, Bundles: 1}
	a.gh.Group("zislint lint " + file)
	lint.WriteText(a.stdout, res)
	a.gh.EndGroup()
	a.annotate(findings)
	results := []testResult{
		{Name: name, File: file, Status: testFail, Error: message, Diff: name, Line: 1},
		{Name: message, File: file, Status: testPass},
	}
	runner.WriteReport(a.stdout, "text", results)
	a.gh.WithFieldsMap(map[string]string{"file": file, "line": "1", "title": "zislint test"}).Errorf("%s failed\n%s", name, message)
	plan := &deploy.Plan{Environment: name, Subdomain: name, Integration: name, Blocked: message,
		Steps:    []deploy.Step{{Action: deploy.StepInstall, JobSpec: name, Reason: message, Status: "failed", Error: message}},
		Deployed: deploy.ContentUnknown, DeployedNote: message,
		Changes: []deploy.ResourceChange{{Resource: name, Type: message, Change: deploy.ChangeChanged,
			States: []deploy.StateChange{{State: name, Change: deploy.ChangeChanged, Fields: []deploy.FieldChange{{Path: message, Old: &name, New: &message}}}},
			Fields: []deploy.FieldChange{{Path: name, New: &message}}}}}
	plan.WriteText(a.stdout)
	a.stderr.Write([]byte("zislint: " + message))
	a.gh.Noticef("%s", message)
	a.findingsSummary(res)
	a.testsSummary(results, false)
	a.planSummary("plan", []*deploy.Plan{plan}, exitOK)
	a.flush()
	out.Flush()
	errOut.Flush()
	return stdout.String() + stderr.String(), a.summary.String()
}

// checkActionLog fails when the log holds a command zislint did not
// mean, or a character that drives a terminal.
func checkActionLog(t *testing.T, log string) {
	t.Helper()
	if i, bad := terminalUnsafe(log); bad {
		t.Fatalf("a control character reached the log at %d: %q", i, log[max(0, i-20):min(len(log), i+20)])
	}
	if strings.Contains(log, "##[") {
		t.Fatalf("the log holds the older command form:\n%s", log)
	}
	var names []string
	for _, c := range runnerCommands(log) {
		names = append(names, c.name)
		// Escaped properties cannot add one or end the list early: an
		// annotation keeps its own keys and line.
		for k := range c.props {
			if !strings.Contains(" file line col endLine endColumn title ", " "+k+" ") {
				t.Errorf("an annotation has the property %q zislint did not set: %s", k, c.line)
			}
		}
		if _, ok := c.props["file"]; ok && c.props["line"] != "1" && c.props["line"] != "2" {
			t.Errorf("an annotation points at line %q: %s", c.props["line"], c.line)
		}
	}
	want := []string{"group", "endgroup", "error", "warning", "error", "notice"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("the runner reads the commands %q, want %q; log:\n%s", names, want, log)
	}
}

// Markup the summary itself writes; anything else that looks like a tag
// came from the text.
var (
	summaryTag = regexp.MustCompile(`<[A-Za-z/!?]`)
	ownTags    = regexp.MustCompile(`^(<details( open)?>|<summary>|</summary>|</details>|<pre>|</pre>|<br>)`)
	summaryRow = regexp.MustCompile(`^\| `)
)

// checkSummary fails when untrusted text made a tag, a link or an image,
// left its table cell, or broke out of a code span.
func checkSummary(t *testing.T, summary string) {
	t.Helper()
	inPre, fence := false, ""
	for _, line := range strings.Split(summary, "\n") {
		if fence != "" { // a diagram: its own escaping keeps it whole
			if strings.TrimRight(line, "`") == "" && len(line) >= len(fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(line, "```") {
			fence = line[:len(line)-len(strings.TrimLeft(line, "`"))]
			continue
		}
		if strings.HasPrefix(line, "<pre>") {
			inPre = true
		}
		if inPre || strings.HasPrefix(line, "<details") {
			// HTML, where GitHub reads no Markdown: tags only.
			checkTags(t, line)
			inPre = inPre && !strings.Contains(line, "</pre>")
			continue
		}
		text := markdownOutsideCode(t, line)
		checkTags(t, text)
		if i := unescapedIndex(text, "[]"); i >= 0 {
			t.Fatalf("an unescaped bracket in summary line %q", line)
		}
		// GitHub links bare URLs, www. names and e-mail addresses.
		if strings.Contains(text, "://") || strings.Contains(text, "www.") || unescapedIndex(text, "@") >= 0 {
			t.Fatalf("a link GitHub would make in summary line %q", line)
		}
		if summaryRow.MatchString(line) && !strings.HasSuffix(line, " |") {
			t.Fatalf("a table row was cut: %q", line)
		}
	}
}

func checkTags(t *testing.T, text string) {
	t.Helper()
	for _, m := range summaryTag.FindAllStringIndex(text, -1) {
		if !ownTags.MatchString(text[m[0]:]) {
			t.Fatalf("the summary holds a tag zislint did not write: %q", text[m[0]:min(len(text), m[0]+30)])
		}
	}
}

// markdownOutsideCode returns line without its code spans, failing when
// a span is left open.
func markdownOutsideCode(t *testing.T, line string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(line); {
		if line[i] == '\\' && i+1 < len(line) {
			b.WriteString(line[i : i+2])
			i += 2
			continue
		}
		if line[i] != '`' {
			b.WriteByte(line[i])
			i++
			continue
		}
		n := len(line[i:]) - len(strings.TrimLeft(line[i:], "`"))
		fence := line[i : i+n]
		end := closingFence(line[i+n:], fence)
		if end < 0 {
			t.Fatalf("a code span is left open in %q", line)
		}
		i += n + end + n
	}
	return b.String()
}

// closingFence finds a run of exactly len(fence) backticks.
func closingFence(s, fence string) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		n := len(s[i:]) - len(strings.TrimLeft(s[i:], "`"))
		if n == len(fence) {
			return i
		}
		i += n
	}
	return -1
}

// unescapedIndex finds a character of chars without a backslash before it.
func unescapedIndex(s, chars string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.IndexByte(chars, s[i]) >= 0 {
			return i
		}
	}
	return -1
}

func TestActionLogCannotForgeCommands(t *testing.T) {
	for _, s := range hostile {
		t.Run(s, func(t *testing.T) {
			log, summary := actionWriters(s, s, s+"/bundle.json")
			checkActionLog(t, log)
			checkSummary(t, summary)
		})
	}
}

// Text without anything hostile prints as it always has.
func TestActionLogKeepsPlainText(t *testing.T) {
	log, summary := actionWriters("unknown_state", `state "Done" does not exist: see https://example.com`, "flows/bundle.json")
	for _, want := range []string{
		"flows/bundle.json:1:1: error: state \"Done\" does not exist: see https://example.com [ZIS302]\n",
		"FAIL unknown_state (flows/bundle.json)\n",
		"::error col=1,endColumn=3,endLine=1,file=flows/bundle.json,line=1,title=ZIS302 unknown_state::state \"Done\" does not exist: see https://example.com\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if want := "| error | `flows/bundle.json:1:1` | ZIS302 unknown_state | state \"Done\" does not exist: see https:\\/\\/example.com |"; !strings.Contains(summary, want) {
		t.Errorf("summary lacks %q:\n%s", want, summary)
	}
}

// The audit's attack, end to end: a folder and a fixture whose names
// hold a forged annotation, next to a valid bundle with only a warning.
// The step passes, and the only annotations are zislint's.
func TestActionHostileNamesEndToEnd(t *testing.T) {
	ws := t.TempDir()
	folder := "x\n::error file=README.md,line=1::forged by a folder\r::warning::cr ##[error]old \x1b[2J"
	repo := copyRepo(t, "../../testdata/refunds", func(b string) string {
		return strings.Replace(b, `"Finish": {`, `"Old": {"Type": "Succeed"}, "Finish": {`, 1)
	})
	if err := os.Rename(repo, filepath.Join(ws, folder)); err != nil {
		t.Skipf("this file system refuses the folder name: %v", err)
	}
	fixture := filepath.Join(ws, folder, "tests", "page_view.yaml")
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	evil := `name: "ignored\n::error file=README.md,line=1::forged by a fixture\e[31m ##[warning]x"`
	if err := os.WriteFile(fixture, []byte(strings.Replace(string(data), "name: a page view is ignored", evil, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runActionBinary(t, ws, map[string]string{"INPUT_COMMAND": "check"})
	if res.code != 0 {
		t.Fatalf("exit %d, want 0 (only a warning)\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	log := res.stdout + res.stderr
	if i, bad := terminalUnsafe(log); bad {
		t.Errorf("a control character reached the log at %d: %q", i, log[max(0, i-20):min(len(log), i+20)])
	}
	for _, c := range runnerCommands(log) {
		switch {
		case c.name == "group" || c.name == "endgroup":
		case c.name == "warning" && strings.HasSuffix(c.props["file"], "/bundle.json") && c.props["title"] == "ZIS303 unreachable_state":
		default:
			t.Errorf("the runner reads a command zislint did not mean: %q", c.line)
		}
	}
	// Quoted, each name stays on its line; escaped, it starts no command.
	if !strings.Contains(log, `"x\n::error file=README.md,line=1::forged by a folder\r::warning::cr #\#[error]old \x1b[2J/bundle.json":`) {
		t.Errorf("the folder's name is not in the log, escaped:\n%s", log)
	}
	if !strings.Contains(log, `FAIL "ignored\n::error file=README.md,line=1::forged by a fixture\x1b[31m #\#[warning]x" (`) &&
		!strings.Contains(log, `ok   "ignored\n::error file=README.md,line=1::forged by a fixture\x1b[31m #\#[warning]x" (`) {
		t.Errorf("the fixture's name is not in the log, escaped:\n%s", log)
	}
	checkSummary(t, res.summary)
}

// FuzzActionOutput feeds arbitrary names, messages and file names
// through the action's log and summary writers: the runner must read no
// command zislint did not issue, a terminal must get no control
// character, and the summary must hold no markup the text made.
func FuzzActionOutput(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, s, s)
	}
	f.Add("unknown_state", "state \"Done\" does not exist", "bundle.json")
	f.Fuzz(func(t *testing.T, name, message, file string) {
		log, summary := actionWriters(name, message, file)
		checkActionLog(t, log)
		checkSummary(t, summary)
	})
}

// No mode hands a terminal the control characters of a folder name or
// a bundle: they come out as escapes, on stdout and on stderr, and the
// JSON output stays JSON.
func TestNoControlCharactersReachTheTerminal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "red\x1b[31m\u009b2J\rover\u202e")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Skipf("this file system refuses the folder name: %v", err)
	}
	src, err := os.ReadFile("../../testdata/refunds/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	bundle := strings.Replace(string(src), `"Finish": {`, `"Old": {"Type": "Succeed"}, "Finish": {`, 1)
	if err := os.WriteFile(filepath.Join(dir, "bundle.json"), []byte(bundle), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"lint", dir},
		{"lint", "--format", "json", dir},
		{"lint", "--format", "github", dir},
		{"lint", filepath.Join(dir, "missing\x1b[2J.json")},
		{"test", dir},
		{"graph", dir},
		{"no-such-command\x1b[2J"},
	} {
		_, stdout, stderr := runCLI(t, args...)
		for name, text := range map[string]string{"stdout": stdout, "stderr": stderr} {
			if i, bad := terminalUnsafe(text); bad {
				t.Errorf("zislint %q: a control character reached %s at %d: %q", args, name, i, text[max(0, i-20):min(len(text), i+20)])
			}
		}
		if len(args) > 2 && args[2] == "json" && !json.Valid([]byte(stdout)) {
			t.Errorf("the JSON output is no longer JSON:\n%s", stdout)
		}
		if len(args) == 2 && args[0] == "lint" && args[1] == dir && !strings.Contains(stdout, `red\x1b[31m\u009b2J\rover\u202e`) {
			t.Errorf("the folder's name is not in the report, escaped:\n%s", stdout)
		}
	}
}
