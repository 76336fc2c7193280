package main

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/simulate/runner"
)

// The runner's names, as the report writers of this command use them.
type (
	testResult  = runner.Result
	testWarning = runner.Warning
)

// Statuses of one fixture in zislint test's report.
const (
	testPass    = runner.StatusPass
	testFail    = runner.StatusFail
	testUpdated = runner.StatusUpdated
	testError   = runner.StatusError
)

func runTest(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("zislint test", flag.ContinueOnError)
	fset.SetOutput(stderr)
	update := fset.Bool("update", false, "write each fixture's golden file from its run instead of comparing with it")
	runPattern := fset.String("run", "", "run only the fixtures whose file name or name matches this regular expression")
	format := fset.String("format", "text", "output format: "+strings.Join(runner.Formats, ", "))
	addMaxFileSize(fset)
	env := fset.String("env", "", "fill the bundle's {{name}} variables from this environment of zislint.yaml (a fixture's vars: win)")
	graph := fset.Bool("graph", false, "print each fixture's path drawn on its flow instead of the report (and the golden's path when they differ)")
	graphFormat := fset.String("graph-format", "markdown", "with --graph: "+strings.Join(diagram.Formats, ", "))
	var cover coverFlags
	fset.BoolVar(&cover.text, "cover", false, "after the report, print the states and transitions of each flow the fixtures covered, and where the others are")
	fset.StringVar(&cover.profile, "cover-profile", "", "write the coverage of each flow to this file as JSON (see the README)")
	fset.Float64Var(&cover.min, "cover-min", 0, "fail when the fixtures take less than this percentage of all transitions")
	var scaffold runner.ScaffoldOptions
	fset.StringVar(&scaffold.Name, "new", "", "write tests/NAME.yaml for the bundle's job spec, with a sample event and response stubs, and record its golden")
	fset.StringVar(&scaffold.JobSpec, "job-spec", "", "with --new: the job spec (resource key) whose event starts the run")
	fset.StringVar(&scaffold.Flow, "flow", "", "with --new: the flow to run (its name or key)")
	var explore exploreFlags
	explore.add(fset)
	paths, err := parseInterleaved(fset, args)
	if err != nil {
		return exitUsage
	}
	if explore.wanted(fset) {
		return runExplore(explore, fset, paths, *env, *runPattern, stdout, stderr)
	}
	if scaffold.Name != "" || scaffold.JobSpec != "" || scaffold.Flow != "" {
		return runScaffold(scaffold, paths, *env, stdout, stderr)
	}
	if *graph && *format != "text" {
		fmt.Fprintf(stderr, "zislint test: --graph prints diagrams instead of the report; leave out --format %s\n", *format)
		return exitUsage
	}
	if *graph && !slices.Contains(diagram.Formats, *graphFormat) {
		fmt.Fprintf(stderr, "zislint test: --graph-format %q: use one of %s\n", *graphFormat, strings.Join(diagram.Formats, ", "))
		return exitUsage
	}
	if !slices.Contains(runner.Formats, *format) {
		fmt.Fprintf(stderr, "zislint test: --format %q: use one of %s\n", *format, strings.Join(runner.Formats, ", "))
		return exitUsage
	}
	if msg := cover.check(*format, *graph); msg != "" {
		fmt.Fprintf(stderr, "zislint test: %s\n", msg)
		return exitUsage
	}
	filter, bundles, ok := testTargets(*runPattern, paths, stderr)
	if !ok {
		return exitUsage
	}
	t := runner.New(runner.Options{Update: *update, Env: *env, Filter: filter, Log: stderr})
	for _, b := range bundles {
		t.Bundle(b)
	}
	report := func() error { return runner.WriteReport(stdout, *format, t.Results) }
	if *graph {
		report = func() error { return writeTestGraphs(stdout, *graphFormat, t.Results) }
	}
	if err := report(); err != nil {
		fmt.Fprintf(stderr, "zislint test: %v\n", err)
		return exitUsage
	}
	t.Summarize()
	code := exitOK
	switch {
	case t.Broken:
		return exitUsage
	case t.Failed() > 0:
		code = exitFindings
	}
	if cover.wanted() {
		code = max(code, cover.report(t.Results, stdout, stderr))
	}
	return code
}

// coverFlags are the coverage flags of zislint test.
type coverFlags struct {
	text    bool
	profile string
	min     float64
}

func (c coverFlags) wanted() bool { return c.text || c.profile != "" || c.min > 0 }

// check returns what is wrong with the flags, or "".
func (c coverFlags) check(format string, graph bool) string {
	switch {
	case c.min < 0 || c.min > 100:
		return fmt.Sprintf("--cover-min %v: give a percentage from 0 to 100", c.min)
	case c.text && (format != "text" || graph):
		return "--cover prints text after the text report; for other tools, write --cover-profile FILE"
	}
	return ""
}

// report measures the coverage of the runs, prints and writes it as the
// flags ask, and returns exitFindings when it is below --cover-min.
func (c coverFlags) report(results []testResult, stdout, stderr io.Writer) int {
	p := runner.Cover(results)
	if c.text {
		if err := runner.WriteCoverText(stdout, p); err != nil {
			fmt.Fprintf(stderr, "zislint test: %v\n", err)
			return exitUsage
		}
	}
	if c.profile != "" {
		if err := runner.WriteCoverProfile(c.profile, p); err != nil {
			fmt.Fprintf(stderr, "zislint test: --cover-profile: %v\n", err)
			return exitUsage
		}
	}
	if got := p.Total.Transitions.Percent(); got < c.min {
		fmt.Fprintf(stderr, "zislint test: the fixtures take %s of the transitions, below --cover-min %v%%\n", runner.Percent(p.Total.Transitions), c.min)
		return exitFindings
	}
	return exitOK
}

// runScaffold writes a new fixture for the one bundle under paths and
// records its golden, printing the fixture's path and its first run.
func runScaffold(o runner.ScaffoldOptions, paths []string, env string, stdout, stderr io.Writer) int {
	if o.Name == "" {
		fmt.Fprintln(stderr, "zislint test: --job-spec and --flow go with --new NAME")
		return exitUsage
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	bundles, err := lint.FindBundles(paths)
	if err == nil && len(bundles) != 1 {
		err = fmt.Errorf("--new writes a fixture for one bundle, and %s holds %d; name the bundle file", strings.Join(paths, ", "), len(bundles))
	}
	if err != nil {
		fmt.Fprintf(stderr, "zislint test: %v\n", err)
		return exitUsage
	}
	o.Bundle = bundles[0]
	path, res, err := runner.Scaffold(o, runner.Options{Env: env, Log: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "zislint test: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	if err := runner.WriteReport(stdout, "text", []testResult{res}); err != nil {
		fmt.Fprintf(stderr, "zislint test: %v\n", err)
		return exitUsage
	}
	if res.Status == testFail {
		return exitFindings
	}
	return exitOK
}

// testTargets reads the -run pattern and finds the bundles a test run
// covers (the working directory when paths is empty); on a usage error
// it says why on stderr and ok is false.
func testTargets(runPattern string, paths []string, stderr io.Writer) (filter *regexp.Regexp, bundles []string, ok bool) {
	filter, err := regexp.Compile(runPattern)
	if err != nil {
		fmt.Fprintf(stderr, "zislint test: -run: %v\n", err)
		return nil, nil, false
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	bundles, err = lint.FindBundles(paths)
	if err == nil && len(bundles) == 0 {
		err = fmt.Errorf("no bundles in %s", strings.Join(paths, ", "))
	}
	if err != nil {
		fmt.Fprintf(stderr, "zislint test: %v\n", err)
		return nil, nil, false
	}
	return filter, bundles, true
}
