package diagram_test

import (
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/lint"
)

// The states a diagram marks are the states the linter reports: both
// read bundle.NewGraph. Checked on the rules' own examples, the example
// repositories and the corpus.
func TestDiagramMarksAgreeWithTheLinter(t *testing.T) {
	var files []string
	for _, pattern := range []string{
		"../../rules/testdata/unreachable_state/*.json",
		"../../rules/testdata/no_exit/*.json",
		"../../testdata/*/bundle.json",
		"../../../shared/corpus/*.json",
	} {
		matches, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, matches...)
	}
	checked, marks := 0, 0
	for _, file := range files {
		b, err := bundle.Load(file)
		if err != nil || b.Syntax != nil || len(diagram.Flows(b)) == 0 {
			continue
		}
		res, err := lint.Run([]string{file}, lint.Options{NoConfigSearch: true})
		if err != nil {
			t.Fatal(err)
		}
		unreachable, neverEnds := drawnMarks(b)
		marks += len(unreachable) + len(neverEnds)
		if diff := cmp.Diff(reported(res, "ZIS303", `^state ("(?:[^"\\]|\\.)*") is unreachable`), unreachable); diff != "" {
			t.Errorf("%s: unreachable states, linter (-) vs diagram (+):\n%s", file, diff)
		}
		// no_exit reports each loop once, at its first state; the
		// diagram marks every state of the loop.
		for _, name := range reported(res, "ZIS306", `^once the run reaches state ("(?:[^"\\]|\\.)*")`) {
			if !slices.Contains(neverEnds, name) {
				t.Errorf("%s: the linter says %q never ends; the diagram does not mark it", file, name)
			}
		}
		checked++
	}
	if checked < 10 || marks < 10 {
		t.Errorf("only %d bundles and %d marked states checked", checked, marks)
	}
}

// drawnMarks returns the names of the states the diagrams of b mark as
// unreachable and as never ending, sorted.
func drawnMarks(b *bundle.Bundle) (unreachable, neverEnds []string) {
	for _, f := range diagram.Flows(b) {
		d := diagram.Build(f, diagram.Options{})
		var walk func(c *diagram.Cluster)
		walk = func(c *diagram.Cluster) {
			for _, n := range c.Nodes {
				if n.Marks&diagram.MarkUnreachable != 0 {
					unreachable = append(unreachable, n.Lines[0])
				}
				if n.Marks&diagram.MarkNeverEnds != 0 {
					neverEnds = append(neverEnds, n.Lines[0])
				}
			}
			for _, sub := range c.Clusters {
				walk(sub)
			}
		}
		walk(&d.Root)
	}
	sort.Strings(unreachable)
	return unreachable, neverEnds
}

// reported returns the state names quoted in the findings of one rule.
func reported(res *lint.Result, rule, pattern string) []string {
	re := regexp.MustCompile(pattern)
	var names []string
	for _, f := range res.Findings {
		if f.Rule != rule {
			continue
		}
		if m := re.FindStringSubmatch(f.Message); m != nil {
			if name, err := strconv.Unquote(m[1]); err == nil {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}
