package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/internal/didyoumean"
	"github.com/zislint/zislint/internal/repofs"
	"github.com/zislint/zislint/internal/textsafe"
	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/rules"
)

// Exit statuses.
const (
	exitOK       = 0 // nothing reached the fail level
	exitFindings = 1 // a finding reached the fail level
	exitUsage    = 2 // bad usage, config or I/O
	exitChanges  = 3 // plan --detailed-exitcode: the plan has changes
)

const usage = `zislint checks Zendesk Integration Services (ZIS) bundles.

Usage:
  zislint lint [--format text|json|sarif|github] [--fail-level error|warning|info] [--config FILE]
               [--fix [--dry-run]] [--skip-non-bundles] [PATH ...]
  zislint rules [ID|NAME]
  zislint schema
  zislint version
  zislint test [-update] [-run REGEX] [--env NAME] [--format text|json|github] [--graph [--graph-format F]] [PATH ...]
  zislint test --explore [--write] [--budget DURATION] [--seed N] [-run REGEX] [--env NAME] [PATH ...]
  zislint simulate --bundle FILE --fixture FILE [--config FILE] [--env NAME] [--graph [--graph-format F]]
  zislint simulate --bundle FILE (--flow NAME | --event-source S --event-type T) --event FILE
               [--responses FILE] [--subdomain S] [--config FILE] [--env NAME] [--graph [--graph-format F]]
  zislint graph [--format mermaid|dot|markdown] [--flow NAME] [PATH ...]
  zislint plan|deploy|render|disable|enable --env NAME [--config FILE] [--base-url URL]
               [--subdomain S] [--format text|json] [--detailed-exitcode] [--dry-run]
               [--registration-out FILE] [PATH]

Commands:
  lint     lint bundle files, or every bundle in the given folders (default: .)
  test     run each bundle's fixtures in the simulator and compare with their goldens
  simulate run one flow once, from a test fixture or an event file, and print the result as JSON
  graph    draw each flow as a diagram: states by type, Choice conditions in words
  plan     show what a deploy to an environment would change in the account
  deploy   register, upload, install and uninstall to match the bundle
  render   print the bundle as rendered for an environment
  disable  uninstall every job spec of the integration; enable installs them again
  action   run as the GitHub Action (reads INPUT_* variables; see action.yml)
  rules    list every rule, or print one rule's documentation and examples
  schema   print the JSON Schema of a bundle, for editors
  version  print the version zislint was built from

lint --fix applies the rules' suggested fixes to the files, lints them again
and reports, and exits on, what remains. With --dry-run it prints the fixes as
a unified diff instead, changes nothing, and exits on the findings as they are.

Files are read only inside the repository (the git work tree holding the
current folder or the path, else the current folder): a symlink leading out
of it, a FIFO or a device is an error, never read. No file larger than 32M is
read; lint, test, graph, simulate and the deploy commands take
--max-file-size N (bytes, or with K, M or G) to change that.

Exit status: 0 when no finding reaches the fail level, 1 when one does,
2 for usage, config or I/O errors. test exits 1 when a fixture fails,
simulate when the run fails. plan --detailed-exitcode exits 0 when the plan
has no changes and 3 when it has some (1 and 2 keep their meaning).
`

// run runs the command args name. Everything it prints passes
// textsafe's escaping on the way out: a bundle, a fixture or a server
// answer can hold control characters, and no mode may hand those to the
// terminal (or the log viewer) that shows the output.
func run(args []string, stdout, stderr io.Writer) int {
	// Each run starts from the default; only its own flag changes it.
	repofs.SetMaxFileSize(repofs.DefaultMaxFileSize)
	out, errOut := textsafe.NewWriter(stdout), textsafe.NewWriter(stderr)
	defer errOut.Flush()
	defer out.Flush()
	return dispatch(args, out, errOut)
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "lint":
		return runLint(args[1:], stdout, stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "test":
		return runTest(args[1:], stdout, stderr)
	case "simulate":
		return runSimulate(args[1:], stdout, stderr)
	case "graph":
		return runGraph(args[1:], stdout, stderr)
	case "action":
		return runAction(args[1:], stdout, stderr)
	case "plan", "deploy", "render", "disable", "enable":
		return runDeploy(args[0], args[1:], stdout, stderr)
	case "schema":
		stdout.Write(bundle.SchemaJSON)
		return exitOK
	case "version":
		return runVersion(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "zislint: unknown command %q%s\n\n%s", args[0], commandHint(args[0]), usage)
	return exitUsage
}

// commands are the command names, for suggestions.
var commands = []string{"lint", "test", "simulate", "graph", "plan", "deploy", "render", "disable", "enable",
	"action", "rules", "schema", "version", "help"}

// commandHint suggests the command a mistyped one was meant to be; a
// flag such as --version is matched without its dashes.
func commandHint(arg string) string {
	name := strings.TrimLeft(arg, "-")
	if best := didyoumean.Nearest(name, commands); best != "" {
		return "; did you mean " + strconv.Quote("zislint "+best) + "?"
	}
	return ""
}

func runLint(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zislint lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: "+strings.Join(lint.Formats, ", "))
	failLevel := fs.String("fail-level", "error", "lowest severity that makes zislint exit 1: error, warning or info")
	cfgPath := fs.String("config", "", "config file to use instead of the zislint.yaml found above each bundle")
	fix := fs.Bool("fix", false, "apply the suggested fixes to the files, then lint them again")
	dryRun := fs.Bool("dry-run", false, "with --fix: print the fixes as a unified diff instead of writing them")
	addMaxFileSize(fs)
	skipNonBundles := fs.Bool("skip-non-bundles", false, "skip named files that do not look like bundles, as in folders (for hooks that name every JSON file)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return exitUsage
	}
	level, err := config.ParseSeverity(*failLevel)
	if err != nil || level == config.SeverityOff {
		fmt.Fprintf(stderr, "zislint lint: --fail-level %q: use error, warning or info\n", *failLevel)
		return exitUsage
	}
	if !slices.Contains(lint.Formats, *format) {
		fmt.Fprintf(stderr, "zislint lint: --format %q: use one of %s\n", *format, strings.Join(lint.Formats, ", "))
		return exitUsage
	}
	if *dryRun && !*fix {
		fmt.Fprintln(stderr, "zislint lint: --dry-run only goes with --fix")
		return exitUsage
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	// The formats and --fix read the sources of files with findings alone.
	opts := lint.Options{ConfigPath: *cfgPath, SkipNonBundles: *skipNonBundles, SourcesOfFindingsOnly: true, BoundMemory: true}
	res, err := lint.Run(paths, opts)
	if err != nil {
		fmt.Fprintf(stderr, "zislint: %v\n", err)
		return exitUsage
	}
	if *fix {
		fixes := lint.ApplyFixes(res)
		if *dryRun {
			// stdout is the patch alone, so it can go straight to patch -p1.
			if err := lint.WriteFixDiff(stdout, fixes); err != nil {
				fmt.Fprintf(stderr, "zislint: %v\n", err)
				return exitUsage
			}
			lint.WriteFixSummary(stderr, fixes, true)
			return exitStatus(res, level)
		}
		if err := lint.WriteFixed(fixes); err != nil {
			fmt.Fprintf(stderr, "zislint: %v\n", err)
			return exitUsage
		}
		lint.WriteFixSummary(stderr, fixes, false)
		if len(fixes.Files) > 0 {
			if res, err = lint.Run(paths, opts); err != nil {
				fmt.Fprintf(stderr, "zislint: linting again after fixing: %v\n", err)
				return exitUsage
			}
		}
	}
	if err := lint.WriteFormat(stdout, *format, res); err != nil {
		fmt.Fprintf(stderr, "zislint: %v\n", err)
		return exitUsage
	}
	if *format == "text" {
		summarize(stderr, res)
	}
	return exitStatus(res, level)
}

// addMaxFileSize adds --max-file-size, the limit on every file zislint
// reads from the repository.
func addMaxFileSize(fs *flag.FlagSet) {
	fs.Var(repofs.NewSizeFlag(), "max-file-size", "largest file to read (bundle, config, fixture, golden), in bytes or with K, M or G")
}

func exitStatus(res *lint.Result, level config.Severity) int {
	if res.Max() >= level {
		return exitFindings
	}
	return exitOK
}

// summarize prints a one-line count to stderr, so stdout stays the report.
func summarize(w io.Writer, res *lint.Result) {
	fmt.Fprintf(w, "%d bundle%s checked: %d error%s, %d warning%s, %d info\n",
		res.Bundles, plural(res.Bundles),
		res.Count(config.SeverityError), plural(res.Count(config.SeverityError)),
		res.Count(config.SeverityWarning), plural(res.Count(config.SeverityWarning)),
		res.Count(config.SeverityInfo))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// parseInterleaved parses flags that may come before, between or after
// the positional arguments, as users type them.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if hint := flagHint(fs, err); hint != "" {
				fmt.Fprintln(fs.Output(), hint)
			}
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// flagHint suggests the flag an undefined one was meant to be; the flag
// package has already printed the error and the usage, so the hint is
// the last line, where the eye lands.
func flagHint(fs *flag.FlagSet, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: ")
	if !ok {
		return ""
	}
	name = strings.TrimLeft(name, "-")
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	best := didyoumean.Nearest(name, names)
	if best == "" {
		return ""
	}
	return fmt.Sprintf("%s: unknown flag %q; did you mean \"--%s\"?", fs.Name(), "--"+name, best)
}

func runRules(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		for _, r := range rules.All() {
			fmt.Fprintf(stdout, "%s  %-22s %-8s %s\n", r.ID, r.Name(), r.Severity, r.Summary())
		}
		return exitOK
	case 1:
		r := rules.Lookup(args[0])
		if r == nil {
			fmt.Fprintf(stderr, "zislint rules: no rule %q; run \"zislint rules\" for the list%s\n", args[0], rules.UnknownHint(args[0]))
			return exitUsage
		}
		if err := explain(stdout, r); err != nil {
			fmt.Fprintf(stderr, "zislint rules: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	fmt.Fprintln(stderr, "zislint rules: give at most one rule id or name")
	return exitUsage
}

func explain(w io.Writer, r *rules.Rule) error {
	fail, pass, err := r.Examples()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s %s (default severity: %s)\n\n%s\n\n", r.ID, r.Name(), r.Severity, r.Analyzer.Doc)
	fmt.Fprintf(w, "Failing example:\n\n%s\nPassing example:\n\n%s", showExample(fail), showExample(pass))
	return nil
}

// showExample prints an example's bundle, and its config when it has one.
func showExample(e rules.Example) string {
	if e.Config == "" {
		return indent(e.Bundle)
	}
	return indent(e.Bundle) + "\n  with zislint.yaml:\n\n" + indent(e.Config)
}

func indent(s string) string {
	lines := strings.SplitAfter(strings.TrimRight(s, "\n")+"\n", "\n")
	return "    " + strings.Join(lines[:len(lines)-1], "    ")
}
