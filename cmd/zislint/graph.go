package main

import (
	"flag"
	"fmt"
	"github.com/zislint/zislint/internal/repofs"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/simulate/runner"
)

// runGraph draws every flow of the bundles under the given paths.
func runGraph(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zislint graph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "mermaid", "output format: "+strings.Join(diagram.Formats, ", "))
	addMaxFileSize(fs)
	flow := fs.String("flow", "", "draw only this flow (its properties.name or resource key)")
	coverProfile := fs.String("cover-profile", "", "draw the transitions the fixtures took solid and the others dashed in red, from this file of zislint test --cover-profile")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "zislint graph: %v\n", err)
		return exitUsage
	}
	if !slices.Contains(diagram.Formats, *format) {
		return fail(fmt.Errorf("--format %q: use one of %s", *format, strings.Join(diagram.Formats, ", ")))
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var profile *runner.CoverProfile
	if *coverProfile != "" {
		if profile, err = runner.ReadCoverProfile(*coverProfile); err != nil {
			return fail(fmt.Errorf("--cover-profile: %w", repofs.WithoutPath(err)))
		}
	}
	diagrams, skipped, err := graphDiagrams(paths, *flow, profile)
	// A bundle that is not valid JSON is left out, not the end of the
	// run: graph is for seeing the flows that can be drawn.
	for _, problem := range skipped {
		fmt.Fprintf(stderr, "zislint graph: skipped %v\n", problem)
	}
	if err != nil {
		return fail(err)
	}
	for i, d := range diagrams {
		text, err := diagram.Render(*format, d)
		if err != nil {
			return fail(err)
		}
		if i > 0 {
			text = "\n" + text
		}
		if _, err := io.WriteString(stdout, text); err != nil {
			return fail(err)
		}
	}
	return exitOK
}

// graphDiagrams builds the diagrams of the flows under paths, or only of
// the flow named flow. Bundles that cannot be read or parsed are
// returned in skipped; err is set when nothing could be drawn.
func graphDiagrams(paths []string, flow string, profile *runner.CoverProfile) (out []*diagram.Diagram, skipped []error, err error) {
	files, err := lint.FindBundles(paths)
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("no bundle found in %s", strings.Join(paths, ", "))
	}
	var names []string
	for _, file := range files {
		b, err := loadForGraph(file)
		if err != nil {
			skipped = append(skipped, err)
			continue
		}
		for _, f := range diagram.Flows(b) {
			names = append(names, diagram.FlowName(f))
			if flow == "" || diagram.FindFlow(b, flow) == f {
				out = append(out, diagram.Build(f, diagram.Options{Coverage: flowCoverage(profile, b, f)}))
			}
		}
	}
	switch {
	case len(out) > 0:
		return out, skipped, nil
	case flow != "" && len(names) > 0:
		err = fmt.Errorf("no flow named %q; the flows are %s", flow, strings.Join(quoteAll(names), ", "))
	case len(skipped) == len(files):
		err = fmt.Errorf("no bundle could be drawn: %s", countNoun(len(skipped), "bundle", "bundles")+" skipped")
	default:
		err = fmt.Errorf("no flow with a definition in %s", strings.Join(files, ", "))
	}
	if len(skipped) > 0 && len(skipped) < len(files) {
		err = fmt.Errorf("%w (%s skipped)", err, countNoun(len(skipped), "bundle", "bundles"))
	}
	return nil, skipped, err
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// loadForGraph reads a bundle that must at least be valid JSON.
func loadForGraph(file string) (*bundle.Bundle, error) {
	b, err := bundle.Load(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", file, repofs.WithoutPath(err))
	}
	if b.Syntax != nil {
		return nil, fmt.Errorf("%s: %s; run zislint lint on the bundle", b.Position(b.Syntax.Offset), b.Syntax.Msg)
	}
	return b, nil
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

// flowCoverage is what the profile says of the flow f of bundle b, or nil
// when the profile has nothing on it (no profile, or one of other
// bundles): such a flow is drawn without coverage rather than as never
// run.
func flowCoverage(profile *runner.CoverProfile, b *bundle.Bundle, f *bundle.Resource) *diagram.Coverage {
	if profile == nil {
		return nil
	}
	for _, fc := range profile.Flows {
		if filepath.Clean(fc.Bundle) != filepath.Clean(b.Path) || fc.Flow != diagram.FlowName(f) {
			continue
		}
		c := &diagram.Coverage{Bundle: b, Uncovered: map[[2]int]bool{}}
		for _, t := range fc.Uncovered {
			c.Uncovered[[2]int{t.Line, t.Column}] = true
		}
		return c
	}
	return nil
}
