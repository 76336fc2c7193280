package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/internal/textsafe"
	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/simulate"
)

// testFormats are the output formats of zislint test.
var testFormats = []string{"text", "json", "github"}

// Statuses of one fixture in zislint test's report.
const (
	testPass    = "pass"
	testFail    = "fail"
	testUpdated = "updated"
	// testError is a bundle that cannot run, in the json and github
	// formats; text prints it on standard error.
	testError = "error"
)

// testWarning is a problem of a fixture that does not fail it.
type testWarning struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// eventShapeWarnings are the places where a fixture's event differs from
// the documented shape of its event_type.
func eventShapeWarnings(f *simulate.Fixture) []testWarning {
	var out []testWarning
	for _, w := range simulate.CheckEventShape(f) {
		out = append(out, testWarning{File: w.File, Line: w.Line, Message: w.Msg})
	}
	return out
}

// testResult is one fixture's outcome. Its JSON form is the json
// format's contract; line is where a GitHub annotation points.
type testResult struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Bundle string `json:"bundle"`
	Status string `json:"status"`
	Diff   string `json:"diff"`
	Error  string `json:"error"`
	// Warnings do not fail the fixture: its event is not shaped like
	// the documented event it names.
	Warnings []testWarning `json:"warnings,omitempty"`
	line     int
	// For drawing the run: the bundle, the run and, when the golden
	// holds another path, the golden's result.
	model *bundle.Bundle
	run   *simulate.Result
	want  *simulate.Result
}

func runTest(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("zislint test", flag.ContinueOnError)
	fset.SetOutput(stderr)
	update := fset.Bool("update", false, "write each fixture's golden file from its run instead of comparing with it")
	runPattern := fset.String("run", "", "run only the fixtures whose file name or name matches this regular expression")
	format := fset.String("format", "text", "output format: "+strings.Join(testFormats, ", "))
	addMaxFileSize(fset)
	env := fset.String("env", "", "fill the bundle's {{name}} variables from this environment of zislint.yaml (a fixture's vars: win)")
	graph := fset.Bool("graph", false, "print each fixture's path drawn on its flow instead of the report (and the golden's path when they differ)")
	graphFormat := fset.String("graph-format", "markdown", "with --graph: "+strings.Join(diagram.Formats, ", "))
	paths, err := parseInterleaved(fset, args)
	if err != nil {
		return exitUsage
	}
	if *graph && *format != "text" {
		fmt.Fprintf(stderr, "zislint test: --graph prints diagrams instead of the report; leave out --format %s\n", *format)
		return exitUsage
	}
	if *graph && !slices.Contains(diagram.Formats, *graphFormat) {
		fmt.Fprintf(stderr, "zislint test: --graph-format %q: use one of %s\n", *graphFormat, strings.Join(diagram.Formats, ", "))
		return exitUsage
	}
	if !slices.Contains(testFormats, *format) {
		fmt.Fprintf(stderr, "zislint test: --format %q: use one of %s\n", *format, strings.Join(testFormats, ", "))
		return exitUsage
	}
	filter, err := regexp.Compile(*runPattern)
	if err != nil {
		fmt.Fprintf(stderr, "zislint test: -run: %v\n", err)
		return exitUsage
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	bundles, err := lint.FindBundles(paths)
	if err != nil {
		fmt.Fprintf(stderr, "zislint test: %v\n", err)
		return exitUsage
	}
	if len(bundles) == 0 {
		fmt.Fprintf(stderr, "zislint test: no bundles in %s\n", strings.Join(paths, ", "))
		return exitUsage
	}
	t := &tester{update: *update, env: *env, filter: filter, stderr: stderr, configs: newConfigCache()}
	for _, b := range bundles {
		t.bundle(b)
	}
	report := func() error { return writeTestReport(stdout, *format, t.results) }
	if *graph {
		report = func() error { return writeTestGraphs(stdout, *graphFormat, t.results) }
	}
	if err := report(); err != nil {
		fmt.Fprintf(stderr, "zislint test: %v\n", err)
		return exitUsage
	}
	t.summarize()
	switch {
	case t.broken:
		return exitUsage
	case t.failed > 0:
		return exitFindings
	}
	return exitOK
}

// tester runs the fixtures of one bundle after another, collecting
// their results. A bundle that cannot run (a broken config or bundle) is
// reported on stderr and makes the exit status 2, but the other bundles
// still run, so one bad file does not hide the state of the rest.
type tester struct {
	update  bool
	env     string // --env: the environment whose variables fill the bundle
	filter  *regexp.Regexp
	stderr  io.Writer
	configs *configCache
	results []testResult
	bundles int // bundles with fixtures to run
	found   int // fixture files found, before -run
	failed  int
	broken  bool
}

// failRender records a fixture whose bundle could not be rendered or
// compiled for it: its vars do not fit the bundle's variables, or the
// rendered bundle does not compile.
func (t *tester) failRender(f *simulate.Fixture, err error, res *testResult) {
	res.Name = f.Name
	res.Status, res.Error = testFail, err.Error()
	res.line = errorLine(err)
}

func (t *tester) fail(format string, args ...any) {
	fmt.Fprintf(t.stderr, "zislint test: "+format+"\n", args...)
	t.broken = true
}

func (t *tester) bundle(path string) {
	cfg, err := t.configs.forBundle(path, "")
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
	runner, err := newBundleRunner(path, cfg, t.env)
	if err != nil {
		t.fail("%v", err)
		t.results = append(t.results, bundleErrorResult(path, err))
		return
	}
	if len(runner.uses) == 0 {
		// A bundle that cannot compile fails as a whole, once.
		if _, err := runner.program(nil); err != nil {
			t.fail("%v", err)
			t.results = append(t.results, bundleErrorResult(path, err))
			return
		}
	}
	for _, l := range todo {
		res := testResult{Name: fixtureName(l.file), File: l.file, Bundle: path, line: 1, model: runner.b}
		if l.err == nil {
			res.Warnings = eventShapeWarnings(l.f)
			prog, err := runner.program(l.f)
			if err != nil {
				t.failRender(l.f, err, &res)
			} else {
				t.runFixture(prog, l.f, &res)
			}
		} else {
			res.Status, res.Error = testFail, l.err.Error()
			res.line = errorLine(l.err)
		}
		if res.Status == testFail {
			t.failed++
		}
		t.results = append(t.results, res)
	}
}

// orphans reports each golden of the fixture folder that no fixture
// writes, as a failure: a test someone deleted or renamed the fixture of,
// which would otherwise look covered.
func (t *tester) orphans(bundlePath string, fixtures []string, testsDir string) {
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
		t.results = append(t.results, testResult{Name: name, File: g, Bundle: bundlePath, Status: testFail, line: 1,
			Error: fmt.Sprintf("golden with no fixture: there is no %s.yaml, .yml or .json beside it; restore or rename its fixture, or delete the golden", name)})
	}
}

// bundleErrorResult records a bundle the simulator cannot run, so that
// the json and github formats, read by tools, report it too; its line is
// the defect's when the message starts with the bundle's position.
func bundleErrorResult(path string, err error) testResult {
	res := testResult{Name: "the bundle cannot run", File: path, Bundle: path, Status: testError, Error: err.Error(), line: 1}
	if rest, ok := strings.CutPrefix(res.Error, path+":"); ok {
		if line, _, ok := strings.Cut(rest, ":"); ok {
			if n, err := strconv.Atoi(line); err == nil && n > 0 {
				res.line = n
			}
		}
	}
	return res
}

// selected applies -run to the fixture's file name (with and without its
// extension) and to its name. A fixture that is not YAML has only its
// file name to match.
func (t *tester) selected(file, name string) bool {
	base := filepath.Base(file)
	return t.filter.MatchString(base) || t.filter.MatchString(fixtureName(file)) || t.filter.MatchString(name)
}

func fixtureName(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func (t *tester) runFixture(prog *simulate.Program, f *simulate.Fixture, res *testResult) {
	res.Name = f.Name
	if err := checkResponseNames(prog, f); err != nil {
		res.Status, res.Error = testFail, err.Error()
		res.line = errorLine(err)
		return
	}
	run, err := prog.Run(f)
	if err != nil {
		// The fixture asks for a flow or event the bundle does not have.
		res.Status, res.Error = testFail, err.Error()
		res.line = firstLine(f, "flow", "event_source", "event_type")
		return
	}
	res.run = run
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
			problems = append(problems, fmt.Sprintf("writing %s: %v", golden, pathErr(err)))
		case changed:
			res.Status = testUpdated
		default:
			res.Status = testPass
		}
	} else {
		diff, err := simulate.CompareGolden(golden, run)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case diff != "":
			res.Diff = diff
			problems = append(problems, "the run differs from "+golden)
			res.want, _ = simulate.LoadGolden(golden) // only to draw; the diff already says what differs
		default:
			res.Status = testPass
		}
	}
	// A response no call consumed means the fixture expects calls the
	// flow no longer makes, even when the golden agrees: fail, and point
	// at the first such entry.
	if unused := run.UnusedResponses(); len(unused) > 0 {
		problems = append(problems, "responses never used: "+strings.Join(unused, ", "))
		if len(problems) == 1 && res.Diff == "" {
			action, _, _ := strings.Cut(unused[0], "#")
			res.line = firstLine(f, "responses."+action, "responses")
		}
	}
	if len(problems) > 0 {
		if res.Status == testUpdated {
			// Say so, since FAIL alone would hide that the file changed.
			problems = append(problems, "golden updated")
		}
		res.Status, res.Error = testFail, strings.Join(problems, "; ")
	}
}

// checkResponseNames reports responses recorded for an action the
// bundle does not have: most likely a typo, which would otherwise show
// only as a missing response in one place and an unused one in another.
func checkResponseNames(prog *simulate.Program, f *simulate.Fixture) error {
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

func (t *tester) summarize() {
	counts := map[string]int{}
	for _, r := range t.results {
		counts[r.Status]++
	}
	ran := len(t.results) - counts[testError]
	if ran == 0 {
		switch {
		case t.broken:
			// The errors above say why nothing ran.
		case t.found > 0:
			fmt.Fprintf(t.stderr, "zislint test: no fixture matches -run %q\n", t.filter.String())
		default:
			fmt.Fprintf(t.stderr, "zislint test: no fixtures to run; put them in a %s folder beside the bundle, or set tests: in zislint.yaml\n", simulate.TestsFolder)
		}
		return
	}
	msg := fmt.Sprintf("%d fixture%s in %d bundle%s: %d passed, %d failed",
		ran, plural(ran), t.bundles, plural(t.bundles), counts[testPass], counts[testFail])
	if t.update {
		msg += fmt.Sprintf(", %d updated", counts[testUpdated])
	}
	fmt.Fprintln(t.stderr, msg)
}

func writeTestReport(w io.Writer, format string, results []testResult) error {
	var b strings.Builder
	switch format {
	case "json":
		if results == nil {
			results = []testResult{}
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Tests []testResult `json:"tests"`
		}{results})
	case "github":
		for _, r := range results {
			switch r.Status {
			case testFail:
				fmt.Fprintf(&b, "::error file=%s,line=%d,title=zislint test::%s\n",
					lint.EscapeGitHubProperty(r.File), r.line, lint.EscapeGitHubData(r.Name+" failed\n"+details(r)))
			case testError:
				fmt.Fprintf(&b, "::error file=%s,line=%d,title=zislint test::%s\n",
					lint.EscapeGitHubProperty(r.File), r.line, lint.EscapeGitHubData(r.Name+"\n"+r.Error))
			case testUpdated:
				fmt.Fprintf(&b, "::notice file=%s,line=1,title=zislint test::%s\n",
					lint.EscapeGitHubProperty(r.File), lint.EscapeGitHubData(r.Name+": golden updated"))
			}
			for _, w := range r.Warnings {
				fmt.Fprintf(&b, "::warning file=%s,line=%d,title=zislint test::%s\n",
					lint.EscapeGitHubProperty(w.File), w.Line, lint.EscapeGitHubData(r.Name+": "+w.Message))
			}
		}
	default:
		for _, r := range results {
			if r.Status == testError {
				continue // already on standard error, where text reports it
			}
			label := map[string]string{testPass: "ok  ", testFail: "FAIL", testUpdated: "UPDATED"}[r.Status]
			fmt.Fprintf(&b, "%s %s (%s)\n", label, textsafe.Name(r.Name), textsafe.Name(r.File))
			if r.Status == testFail {
				b.WriteString(indentLines(details(r), "    "))
			}
			for _, w := range r.Warnings {
				fmt.Fprintf(&b, "    warning: %s:%d: %s\n", textsafe.Name(w.File), w.Line, textsafe.Escape(w.Message))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// details is what a failure shows: its problems, then the diff.
func details(r testResult) string {
	return strings.TrimRight(strings.TrimRight(r.Error, "\n")+"\n"+r.Diff, "\n")
}

func indentLines(s, prefix string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line != "" {
			b.WriteString(prefix)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// configCache loads each zislint.yaml once, however many bundles share it.
type configCache struct {
	loaded map[string]*config.Config
	errs   map[string]error
}

func newConfigCache() *configCache {
	return &configCache{loaded: map[string]*config.Config{}, errs: map[string]error{}}
}

// forBundle returns the config that applies to the bundle at path: the
// explicit file when given, else the nearest zislint.yaml; nil when none
// exists. A nil *config.Config is usable: IntegrationFor and TestsDir
// return nothing.
func (c *configCache) forBundle(path, explicit string) (*config.Config, error) {
	cfgPath := explicit
	if cfgPath == "" {
		found, err := config.Find(filepath.Dir(path))
		if err != nil || found == "" {
			return nil, err
		}
		cfgPath = found
	}
	if cfg, ok := c.loaded[cfgPath]; ok {
		return cfg, c.errs[cfgPath]
	}
	cfg, err := config.Load(cfgPath)
	if err != nil && errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("config %s: %w", cfgPath, pathErr(err))
	}
	c.loaded[cfgPath], c.errs[cfgPath] = cfg, err
	return cfg, err
}

// compileBundle loads and compiles the bundle at path for the integration
// cfg assigns it; without one, the key is inferred from the bundle as
// lint infers it.
func compileBundle(path string, cfg *config.Config) (*simulate.Program, *bundle.Bundle, error) {
	b, err := bundle.Load(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", path, pathErr(err))
	}
	prog, err := compileModel(path, b, cfg)
	return prog, b, err
}

// compileModel compiles b, the bundle at path (as written or rendered),
// as compileBundle does.
func compileModel(path string, b *bundle.Bundle, cfg *config.Config) (*simulate.Program, error) {
	key, _ := b.InferKey()
	opts := simulate.Options{IntegrationKey: key}
	if in := cfg.IntegrationFor(path); in != nil {
		opts.IntegrationKey, opts.Connections = in.Key, in.Connections
	}
	prog, err := simulate.Compile(b, opts)
	if err != nil {
		err = lintedCause(b, cfg, err)
	}
	return prog, err
}

// lintedCause replaces a compile error by the lint error inside the part
// of the bundle the simulator refused, so that test and simulate show a
// defect at the same line and column, with the same words, as lint. A
// compile error lint has no finding for is returned as it is.
func lintedCause(b *bundle.Bundle, cfg *config.Config, err error) error {
	var ce *simulate.CompileError
	if !errors.As(err, &ce) {
		return err
	}
	opts := lint.Options{Jobs: 1, NoConfigSearch: true}
	if cfg != nil { // nil: no zislint.yaml applies
		opts.ConfigPath = cfg.Path
	}
	res, lerr := lint.RunSource(b.Path, b.Src, opts)
	if lerr != nil {
		return err
	}
	startLine, startCol := b.Line(ce.Start)
	endLine, endCol := b.Line(ce.End)
	for _, f := range res.Findings {
		inside := !before(f.Line, f.Column, startLine, startCol) && before(f.Line, f.Column, endLine, endCol)
		if f.Severity == config.SeverityError && inside {
			return fmt.Errorf("%s:%d:%d: %s [%s]; the simulator cannot run the bundle until it is fixed", f.File, f.Line, f.Column, f.Message, f.Rule)
		}
	}
	return err
}

// before reports whether line:col a comes before line:col b.
func before(aLine, aCol, bLine, bCol int) bool {
	return aLine < bLine || aLine == bLine && aCol < bCol
}
