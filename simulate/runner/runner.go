// Package runner is zislint test's runner: each fixture of a bundle run
// by the simulator and compared with its golden, orphan goldens, and
// the report. The command line, the GitHub action and editors share it.
// It sits beside simulate, a floor above it, because it renders {{vars}}
// with deploy and explains compile errors with lint's findings.
package runner

import (
	"errors"
	"fmt"
	"github.com/zislint/zislint/internal/repofs"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/simulate"
)

// Warning is a problem of a fixture that does not fail it.
type Warning struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"` // 0 when only the line is known
	Message string `json:"message"`
}

// warnings turns the simulator's fixture warnings into the report's.
func warnings(list []*simulate.LoadError) []Warning {
	var out []Warning
	for _, w := range list {
		out = append(out, Warning{File: w.File, Line: w.Line, Column: w.Col, Message: w.Msg})
	}
	return out
}

// Statuses of one fixture in the report.
const (
	StatusPass    = "pass"
	StatusFail    = "fail"
	StatusUpdated = "updated"
	// StatusError is a bundle that cannot run, in the json and github
	// formats; text prints it on standard error.
	StatusError = "error"
)

// Result is one fixture's outcome. Its JSON form is the json format's
// contract; Line is where a GitHub annotation points.
type Result struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Bundle string `json:"bundle"`
	Status string `json:"status"`
	Diff   string `json:"diff"`
	Error  string `json:"error"`
	// Warnings do not fail the fixture: its event is not shaped like
	// the documented event it names, or lacks a value its run read.
	Warnings []Warning `json:"warnings,omitempty"`
	Line     int       `json:"-"`
	// For drawing the run: the bundle, the run and, when the golden
	// holds another path, the golden's result.
	Model *bundle.Bundle   `json:"-"`
	Run   *simulate.Result `json:"-"`
	Want  *simulate.Result `json:"-"`
}

// Options are what a caller chooses for a test run.
type Options struct {
	// Update writes each fixture's golden from its run instead of
	// comparing with it.
	Update bool
	// Env is the environment of zislint.yaml whose variables fill the
	// bundle's {{name}} variables; a fixture's vars: win.
	Env string
	// Filter keeps the fixtures whose file name or name it matches; nil
	// keeps all.
	Filter *regexp.Regexp
	// Log receives the problems that stop a bundle from running, and
	// the summary line.
	Log io.Writer
}

// Runner runs the fixtures of one bundle after another, collecting
// their results. A bundle that cannot run (a broken config or bundle) is
// reported on Log and sets Broken, but the other bundles still run, so
// one bad file does not hide the state of the rest.
type Runner struct {
	update  bool
	env     string
	filter  *regexp.Regexp
	stderr  io.Writer
	configs *ConfigCache
	Results []Result
	bundles int // bundles with fixtures to run
	found   int // fixture files found, before the filter
	failed  int
	// Broken is set when a bundle or config could not be read or run.
	Broken bool
}

// New returns a runner with no results yet.
func New(o Options) *Runner {
	filter := o.Filter
	if filter == nil {
		filter = regexp.MustCompile("")
	}
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	return &Runner{update: o.Update, env: o.Env, filter: filter, stderr: log, configs: NewConfigCache()}
}

// Failed is the number of fixtures (and orphan goldens) that failed.
func (t *Runner) Failed() int { return t.failed }

// failRender records a fixture whose bundle could not be rendered or
// compiled for it: its vars do not fit the bundle's variables, or the
// rendered bundle does not compile.
func (t *Runner) failRender(f *simulate.Fixture, err error, res *Result) {
	res.Name = f.Name
	res.Status, res.Error = StatusFail, err.Error()
	res.Line = errorLine(err)
}

func (t *Runner) fail(format string, args ...any) {
	fmt.Fprintf(t.stderr, "zislint test: "+format+"\n", args...)
	t.Broken = true
}

// Bundle runs the fixtures of the bundle at path.
func (t *Runner) Bundle(path string) {
	cfg, err := t.configs.ForBundle(path, "")
	if err != nil {
		t.fail("%v", err)
		return
	}
	files, err := simulate.FindFixtures(path, cfg.TestsDir(cfg.IntegrationFor(path)))
	if err != nil {
		t.fail("%v", err)
		return
	}
	type loaded struct {
		file string
		f    *simulate.Fixture
		err  error
	}
	t.found += len(files)
	t.orphans(path, files, cfg.TestsDir(cfg.IntegrationFor(path)))
	var todo []loaded
	for _, file := range files {
		// -run decides before the fixture's values are read, so one it
		// leaves out cannot fail the others; one that fails to load
		// fails alone, with its position.
		f, kept, err := simulate.LoadFixtureIf(file, func(name string) bool { return t.selected(file, name) })
		if kept {
			todo = append(todo, loaded{file, f, err})
		}
	}
	if len(todo) == 0 {
		return // a bundle without fixtures is not an error: not every bundle has tests
	}
	t.bundles++
	runner, err := NewBundle(path, cfg, t.env)
	if err != nil {
		t.fail("%v", err)
		t.Results = append(t.Results, bundleErrorResult(path, err))
		return
	}
	if len(runner.uses) == 0 {
		// A bundle that cannot compile fails as a whole, once.
		if _, err := runner.Program(nil); err != nil {
			t.fail("%v", err)
			t.Results = append(t.Results, bundleErrorResult(path, err))
			return
		}
	}
	for _, l := range todo {
		res := Result{Name: FixtureName(l.file), File: l.file, Bundle: path, Line: 1, Model: runner.b}
		if l.err == nil {
			check := simulate.NewEventCheck(l.f)
			res.Warnings = warnings(check.Shape())
			prog, err := runner.Program(l.f)
			if err != nil {
				t.failRender(l.f, err, &res)
			} else {
				t.runFixture(prog, l.f, &res)
				res.Warnings = append(res.Warnings, warnings(check.Reads(prog, runner.b, res.Run))...)
			}
		} else {
			res.Status, res.Error = StatusFail, l.err.Error()
			res.Line = errorLine(l.err)
		}
		if res.Status == StatusFail {
			t.failed++
		}
		t.Results = append(t.Results, res)
	}
}

// orphans reports each golden of the fixture folder that no fixture
// writes, as a failure: a test someone deleted or renamed the fixture of,
// which would otherwise look covered.
func (t *Runner) orphans(bundlePath string, fixtures []string, testsDir string) {
	goldens, err := simulate.OrphanGoldens(fixtures, bundlePath, testsDir)
	if err != nil {
		t.fail("%v", err)
		return
	}
	for _, g := range goldens {
		name := strings.TrimSuffix(filepath.Base(g), simulate.GoldenSuffix)
		if !t.filter.MatchString(filepath.Base(g)) && !t.filter.MatchString(name) {
			continue
		}
		t.failed++
		t.Results = append(t.Results, Result{Name: name, File: g, Bundle: bundlePath, Status: StatusFail, Line: 1,
			Error: fmt.Sprintf("golden with no fixture: there is no %s.yaml, .yml or .json beside it; restore or rename its fixture, or delete the golden", name)})
	}
}

// bundleErrorResult records a bundle the simulator cannot run, so that
// the json and github formats, read by tools, report it too; its line is
// the defect's when the message starts with the bundle's position.
func bundleErrorResult(path string, err error) Result {
	res := Result{Name: "the bundle cannot run", File: path, Bundle: path, Status: StatusError, Error: err.Error(), Line: 1}
	if rest, ok := strings.CutPrefix(res.Error, path+":"); ok {
		if line, _, ok := strings.Cut(rest, ":"); ok {
			if n, err := strconv.Atoi(line); err == nil && n > 0 {
				res.Line = n
			}
		}
	}
	return res
}

// selected applies -run to the fixture's file name (with and without its
// extension) and to its name. A fixture that is not YAML has only its
// file name to match.
func (t *Runner) selected(file, name string) bool {
	base := filepath.Base(file)
	return t.filter.MatchString(base) || t.filter.MatchString(FixtureName(file)) || t.filter.MatchString(name)
}

func FixtureName(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func (t *Runner) runFixture(prog *simulate.Program, f *simulate.Fixture, res *Result) {
	res.Name = f.Name
	if err := CheckResponseNames(prog, f); err != nil {
		res.Status, res.Error = StatusFail, err.Error()
		res.Line = errorLine(err)
		return
	}
	run, err := prog.Run(f)
	if err != nil {
		// The fixture asks for a flow or event the bundle does not have.
		res.Status, res.Error = StatusFail, err.Error()
		res.Line = firstLine(f, "flow", "event_source", "event_type")
		return
	}
	res.Run = run
	golden := simulate.GoldenPath(f.Path)
	var problems []string
	// A run that stopped for want of a recorded response says nothing
	// about the flow; recording it in a golden would hide the gap.
	if run.Error != nil && run.Error.Error == simulate.ErrFixture {
		problems = append(problems, "the fixture is incomplete: "+run.Error.Cause)
	}
	if t.update {
		changed, err := simulate.WriteGolden(golden, run)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("writing %s: %v", golden, repofs.WithoutPath(err)))
		case changed:
			res.Status = StatusUpdated
		default:
			res.Status = StatusPass
		}
	} else {
		diff, err := simulate.CompareGolden(golden, run)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case diff != "":
			res.Diff = diff
			problems = append(problems, "the run differs from "+golden)
			res.Want, _ = simulate.LoadGolden(golden) // only to draw; the diff already says what differs
		default:
			res.Status = StatusPass
		}
	}
	// A response no call consumed means the fixture expects calls the
	// flow no longer makes, even when the golden agrees: fail, and point
	// at the first such entry.
	if unused := run.UnusedResponses(); len(unused) > 0 {
		problems = append(problems, "responses never used: "+strings.Join(unused, ", "))
		if len(problems) == 1 && res.Diff == "" {
			action, _, _ := strings.Cut(unused[0], "#")
			res.Line = firstLine(f, "responses."+action, "responses")
		}
	}
	if len(problems) > 0 {
		if res.Status == StatusUpdated {
			// Say so, since FAIL alone would hide that the file changed.
			problems = append(problems, "golden updated")
		}
		res.Status, res.Error = StatusFail, strings.Join(problems, "; ")
	}
}

// CheckResponseNames reports responses recorded for an action the
// bundle does not have: most likely a typo, which would otherwise show
// only as a missing response in one place and an unused one in another.
func CheckResponseNames(prog *simulate.Program, f *simulate.Fixture) error {
	actions := prog.ActionNames()
	var unknown []string
	for name := range f.Responses {
		if !slices.Contains(actions, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	var errs []error
	for _, name := range unknown {
		line := firstLine(f, "responses."+name, "responses")
		errs = append(errs, &simulate.LoadError{File: f.Path, Line: line,
			Msg: fmt.Sprintf("responses for %q, which is no custom action of the bundle; its custom actions are %s",
				name, strings.Join(actions, ", "))})
	}
	return errors.Join(errs...)
}

// firstLine returns the line of the first of keys the fixture has, or 1.
func firstLine(f *simulate.Fixture, keys ...string) int {
	for _, k := range keys {
		if n := f.Line[k]; n > 0 {
			return n
		}
	}
	return 1
}

// errorLine returns the line of the first *simulate.LoadError in err, or 1.
func errorLine(err error) int {
	var le *simulate.LoadError
	if errors.As(err, &le) {
		return le.Line
	}
	return 1
}

// Summarize writes the count of fixtures by outcome to Log, or why
// nothing ran.
func (t *Runner) Summarize() {
	counts := map[string]int{}
	for _, r := range t.Results {
		counts[r.Status]++
	}
	ran := len(t.Results) - counts[StatusError]
	if ran == 0 {
		switch {
		case t.Broken:
			// The errors above say why nothing ran.
		case t.found > 0:
			fmt.Fprintf(t.stderr, "zislint test: no fixture matches -run %q\n", t.filter.String())
		default:
			fmt.Fprintf(t.stderr, "zislint test: no fixtures to run; put them in a %s folder beside the bundle, or set tests: in zislint.yaml\n", simulate.TestsFolder)
		}
		return
	}
	msg := fmt.Sprintf("%d fixture%s in %d bundle%s: %d passed, %d failed",
		ran, plural(ran), t.bundles, plural(t.bundles), counts[StatusPass], counts[StatusFail])
	if t.update {
		msg += fmt.Sprintf(", %d updated", counts[StatusUpdated])
	}
	fmt.Fprintln(t.stderr, msg)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
