package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/deploy"
	"github.com/zislint/zislint/internal/repofs"
	"github.com/zislint/zislint/internal/textsafe"
	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/simulate/runner"
)

// annotationLimit is how many annotations of each level GitHub keeps for
// a step; the rest are dropped silently, so zislint chooses which.
const annotationLimit = 10

// runAction is the entrypoint of the container action: it reads the
// inputs GitHub passes as INPUT_* variables, runs the command, and
// publishes annotations, outputs and a step summary.
func runAction(args []string, stdout, stderr io.Writer) int {
	return newActionRun(os.Getenv, stdout, stderr).run()
}

// actionRun is one run of the action. Its stdout and stderr are the
// step's log, which the runner reads for workflow commands: everything
// the run prints from the repository or a server goes through stdout and
// stderr, which neutralize commands line by line; only the commands gh
// issues, the annotations, masks and groups zislint means, reach the log
// as commands.
type actionRun struct {
	getenv    func(string) string
	gh        *githubactions.Action
	stdout    *textsafe.WorkflowWriter
	stderr    *textsafe.WorkflowWriter
	summary   strings.Builder
	outputs   [][2]string
	publishOK bool
}

func newActionRun(getenv func(string) string, stdout, stderr io.Writer) *actionRun {
	a := &actionRun{
		getenv:    getenv,
		stdout:    textsafe.NewWorkflowWriter(stdout),
		stderr:    textsafe.NewWorkflowWriter(stderr),
		publishOK: true,
	}
	commands := &commandWriter{log: a.stdout, w: stdout}
	a.gh = githubactions.New(githubactions.WithWriter(commands), githubactions.WithGetenv(getenv))
	return a
}

// commandWriter is the path of the commands zislint means to issue. It
// ends the log's pending line first, so a command starts a line of its
// own and keeps its place among the lines printed before it. The
// library escapes the separators of a command (%, CR, LF, and : and ,
// in properties); this also escapes the control characters it leaves
// and the older "##[" form, since the runner logs an annotation's text
// as a line of its own.
type commandWriter struct {
	log *textsafe.WorkflowWriter
	w   io.Writer
}

func (c *commandWriter) Write(p []byte) (int, error) {
	if err := c.log.Flush(); err != nil {
		return 0, err
	}
	line := strings.ReplaceAll(textsafe.Escape(string(p)), "##[", `#\#[`)
	if _, err := io.WriteString(c.w, line); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (a *actionRun) run() int {
	defer a.flush()
	a.maskSecrets() // before anything else can print
	if ws := a.getenv("GITHUB_WORKSPACE"); ws != "" {
		// Annotations and SARIF name files relative to the repository.
		if err := os.Chdir(ws); err != nil {
			fmt.Fprintf(a.stderr, "zislint action: GITHUB_WORKSPACE: %v\n", err)
			return exitUsage
		}
	}
	if size := a.input("max-file-size", ""); size != "" {
		if err := repofs.NewSizeFlag().Set(size); err != nil {
			a.gh.Errorf("zislint action: max-file-size: %v", err)
			return exitUsage
		}
	}
	command := a.input("command", "check")
	var code int
	switch command {
	case "check":
		code = a.check()
	case "plan", "deploy", "disable":
		code = a.deploy(command)
	default:
		a.gh.Errorf("zislint action: unknown command %q; use check, plan, deploy or disable", command)
		return exitUsage
	}
	if err := a.publish(); err != nil {
		a.gh.Errorf("zislint could not publish its results: %v", err)
		return max(code, exitFindings) // never a clean run without results
	}
	return code
}

// maskSecrets asks GitHub to hide the credentials, and the Basic
// authorization made from them, in every log line. Tokens obtained while
// the deploy runs are masked as they arrive (deployFlags.mask).
func (a *actionRun) maskSecrets() {
	email, token := strings.TrimSpace(a.getenv(deploy.EnvEmail)), strings.TrimSpace(a.getenv(deploy.EnvAPIToken))
	for _, name := range []string{deploy.EnvClientSecret, deploy.EnvAccessToken, deploy.EnvAPIToken, deploy.EnvOAuthToken} {
		a.addMask(a.getenv(name))
	}
	if token != "" {
		basic := email + "/token:" + token
		a.gh.AddMask(basic)
		a.gh.AddMask(base64.StdEncoding.EncodeToString([]byte(basic)))
	}
}

// addMask masks a secret, trimmed as the deploy reads it too.
func (a *actionRun) addMask(secret string) {
	if s := strings.TrimSpace(secret); s != "" {
		a.gh.AddMask(s)
	}
}

// flush writes the last line of the log, when it has no newline.
func (a *actionRun) flush() {
	a.stdout.Flush()
	a.stderr.Flush()
}

func (a *actionRun) input(name, def string) string {
	if v := strings.TrimSpace(a.gh.GetInput(name)); v != "" {
		return v
	}
	return def
}

func (a *actionRun) output(name, value string) { a.outputs = append(a.outputs, [2]string{name, value}) }

// check lints and runs the fixtures' tests.
func (a *actionRun) check() int {
	path := a.input("path", ".")
	level, err := config.ParseSeverity(a.input("fail-level", "error"))
	if err != nil || level == config.SeverityOff {
		a.gh.Errorf("zislint action: fail-level %q: use error, warning or info", a.input("fail-level", ""))
		return exitUsage
	}
	a.gh.Group("zislint lint " + path)
	res, err := lint.Run([]string{path}, lint.Options{ConfigPath: a.input("config", ""), BoundMemory: true})
	if err == nil {
		lint.WriteText(a.stdout, res)
	}
	a.gh.EndGroup()
	if err != nil {
		a.gh.Errorf("zislint lint: %v", err)
		return exitUsage
	}
	if a.input("annotations", "true") != "false" {
		a.annotate(res.Findings)
	}
	code := exitOK
	if res.Max() >= level {
		code = exitFindings
	}
	if sarif := a.input("sarif-file", ""); sarif != "" {
		if err := writeSARIF(sarif, res); err != nil {
			a.gh.Errorf("zislint: writing SARIF: %v", err)
			a.publishOK = false
		}
		a.output("sarif-file", sarif)
	}
	a.output("errors", fmt.Sprint(res.Count(config.SeverityError)))
	a.output("warnings", fmt.Sprint(res.Count(config.SeverityWarning)))
	a.findingsSummary(res)
	space := &budget{left: min(diagramBudget, summaryLimit-summaryReserve-a.summary.Len())}
	a.flowsSummary(res.Files, res.Sources, space)
	return max(code, a.tests(path, res.Files, space))
}

func writeSARIF(path string, res *lint.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := lint.WriteFormat(f, "sarif", res); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// annotate turns findings into annotations: errors first, then warnings,
// then notes, at most annotationLimit of each, and a note saying how many
// more there are (all of them are in the summary).
func (a *actionRun) annotate(findings []lint.Finding) {
	shown := map[config.Severity]int{}
	hidden := 0
	for _, sev := range []config.Severity{config.SeverityError, config.SeverityWarning, config.SeverityInfo} {
		for _, f := range findings {
			if f.Severity != sev {
				continue
			}
			if shown[sev] == annotationLimit {
				hidden++
				continue
			}
			shown[sev]++
			gh := a.gh.WithFieldsMap(map[string]string{
				"file": f.File, "line": fmt.Sprint(f.Line), "col": fmt.Sprint(f.Column),
				"endLine": fmt.Sprint(f.EndLine), "endColumn": fmt.Sprint(f.EndColumn),
				"title": f.Rule + " " + f.Name,
			})
			switch sev {
			case config.SeverityError:
				gh.Errorf("%s", f.Message)
			case config.SeverityWarning:
				gh.Warningf("%s", f.Message)
			default:
				gh.Noticef("%s", f.Message)
			}
		}
	}
	if hidden > 0 {
		a.gh.Noticef("zislint found %d more findings than GitHub shows as annotations; the job summary lists all of them", hidden)
	}
}

// tests runs the fixtures of the bundles lint found under path.
func (a *actionRun) tests(path string, bundles []string, space *budget) int {
	coverMin, err := a.coverageMin()
	if err != nil {
		a.gh.Errorf("zislint action: %v", err)
		return exitUsage
	}
	a.gh.Group("zislint test " + path)
	// environment, when set, fills the variables the fixtures leave open.
	t := runner.New(runner.Options{Env: a.input("environment", ""), Log: a.stdout})
	for _, b := range bundles {
		t.Bundle(b)
	}
	runner.WriteReport(a.stdout, "text", t.Results)
	a.gh.EndGroup()
	passed, cannotRun := 0, 0
	for _, r := range t.Results {
		what := r.Name + " failed"
		switch r.Status {
		case testPass:
			passed++
			continue
		case testError:
			cannotRun++
			what = r.Name
		}
		a.gh.WithFieldsMap(map[string]string{"file": r.File, "line": fmt.Sprint(max(r.Line, 1)), "title": "zislint test"}).
			Errorf("%s\n%s", what, firstLines(runner.Details(r), 20))
	}
	failed := len(t.Results) - passed
	if t.Broken && cannotRun == 0 {
		failed++ // a bundle whose fixtures could not run at all
		a.gh.Errorf("zislint test: a bundle or fixture under %s could not run; the log above says why", path)
	}
	a.output("tests-passed", fmt.Sprint(passed))
	a.output("tests-failed", fmt.Sprint(failed))
	a.testsSummary(t.Results, t.Broken)
	profile := runner.Cover(t.Results)
	a.coverageSummary(profile, coverMin)
	a.coverageDiagrams(profile, t.Results, space)
	a.pathsSummary(t.Results, space)
	if t.Broken || passed < len(t.Results) {
		return exitFindings // a bundle that cannot run fails the check
	}
	if got := profile.Total.Transitions; got.Percent() < coverMin {
		a.gh.Errorf("zislint test: the fixtures take %s of the transitions, below coverage-min %v%%", runner.Percent(got), coverMin)
		return exitFindings
	}
	return exitOK
}

// coverageMin reads the coverage-min input: a percentage of transitions
// the fixtures must take, 0 when unset.
func (a *actionRun) coverageMin() (float64, error) {
	text := a.input("coverage-min", "")
	if text == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(text, "%"), 64)
	if err != nil || !(v >= 0 && v <= 100) {
		return 0, fmt.Errorf("coverage-min %q: give a percentage from 0 to 100", text)
	}
	return v, nil
}

// deploy runs plan, deploy or disable for the environment input.
func (a *actionRun) deploy(command string) int {
	// ZISLINT_BASE_URL points the action at a proxy or a test registry,
	// as --base-url does on the command line.
	f := deployFlags{env: a.input("environment", ""), config: a.input("config", ""), format: "text", baseURL: a.getenv("ZISLINT_BASE_URL"),
		mask: a.addMask}
	if f.env == "" {
		a.gh.Errorf("zislint action: command %s needs the environment input", command)
		return exitUsage
	}
	a.gh.Group("zislint " + command + " --env " + f.env)
	plans, code := deployEnv(command, f, []string{a.input("path", ".")}, a.stdout)
	for _, p := range plans {
		p.WriteText(a.stdout)
	}
	a.gh.EndGroup()
	data, err := json.Marshal(plans)
	if err != nil {
		a.publishOK = false
	}
	a.output("plan", string(data))
	a.planSummary(command, plans, code)
	if code != exitOK {
		a.gh.Errorf("zislint %s --env %s did not finish; the job summary shows which steps ran", command, f.env)
	}
	return code
}

// publish writes the outputs and the step summary.
func (a *actionRun) publish() error {
	var errs []error
	if !a.publishOK {
		errs = append(errs, errors.New("an output could not be produced"))
	}
	if err := writeOutputs(a.getenv("GITHUB_OUTPUT"), a.outputs); err != nil {
		errs = append(errs, err)
	}
	if err := a.writeSummary(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (a *actionRun) writeSummary() (err error) {
	if a.getenv("GITHUB_STEP_SUMMARY") == "" {
		return errors.New("GITHUB_STEP_SUMMARY is not set")
	}
	defer func() { // the library panics when the file cannot be written
		if v := recover(); v != nil {
			err = fmt.Errorf("writing the step summary: %v", v)
		}
	}()
	a.gh.AddStepSummary(fitSummary(a.summary.String(), summaryLimit))
	return nil
}

// writeOutputs appends name<<DELIMITER blocks to the GITHUB_OUTPUT file.
// The library's SetOutput uses one fixed delimiter, so a value that
// contains it (an API message, a file's text) could end the block early
// and set other outputs; each value here gets a random delimiter that it
// does not contain.
func writeOutputs(path string, outputs [][2]string) error {
	if len(outputs) == 0 {
		return nil
	}
	if path == "" {
		return errors.New("GITHUB_OUTPUT is not set")
	}
	var b strings.Builder
	for _, o := range outputs {
		delim, err := delimiterFor(o[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o[0], delim, o[1], delim)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("writing outputs: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("writing outputs: %w", err)
	}
	return f.Close()
}

func delimiterFor(value string) (string, error) {
	for {
		var raw [16]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return "", err
		}
		d := "ZISLINT_" + hex.EncodeToString(raw[:])
		if !strings.Contains(value, d) {
			return d, nil
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}
