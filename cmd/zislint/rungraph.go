package main

import (
	"fmt"
	"github.com/zislint/zislint/simulate/runner"
	"io"
	"slices"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/simulate"
)

// runDiagram draws the flow res ran with the run's path on it. Prog.Run
// only returns results for flows of the bundle, so the flow is there.
func runDiagram(b *bundle.Bundle, res *simulate.Result) *diagram.Diagram {
	f := diagram.FindFlow(b, res.Flow)
	if f == nil {
		return &diagram.Diagram{Title: res.Flow}
	}
	p := &diagram.Path{States: res.States}
	if res.Status != simulate.StatusSucceeded && res.Error != nil {
		p.Failed = res.Error.State
	}
	return diagram.Build(f, diagram.Options{Path: p})
}

// samePath reports whether two runs went through the same states.
func samePath(a, b *simulate.Result) bool {
	return a.Status == b.Status && slices.Equal(a.States, b.States)
}

// testGraphs are the diagrams of one fixture: its run and, when the
// golden took another path, the golden's.
func testGraphs(r testResult) (run, want *diagram.Diagram) {
	if r.Run == nil {
		return nil, nil
	}
	run = runDiagram(r.Model, r.Run)
	if r.Want != nil && !samePath(r.Want, r.Run) {
		want = runDiagram(r.Model, r.Want)
	}
	return run, want
}

// writeTestGraphs prints each fixture's path drawn on its flow: in
// Markdown, a section per fixture with its outcome; in the raw formats,
// the diagrams one after another, each after a comment naming it.
func writeTestGraphs(w io.Writer, format string, results []testResult) error {
	var b strings.Builder
	for i, r := range results {
		run, want := testGraphs(r)
		if format == "markdown" {
			markdownFixture(&b, r, run, want)
			continue
		}
		if i > 0 {
			b.WriteString("\n")
		}
		comment := "%%"
		if format == "dot" {
			comment = "//"
		}
		fmt.Fprintf(&b, "%s fixture %s (%s): %s\n", comment, oneLineText(r.Name), oneLineText(r.File), r.Status)
		for _, d := range []*diagram.Diagram{run, want} {
			if d == nil {
				continue
			}
			text, err := diagram.Render(format, d)
			if err != nil {
				return err
			}
			b.WriteString(text)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownFixture(b *strings.Builder, r testResult, run, want *diagram.Diagram) {
	fmt.Fprintf(b, "### %s %s\n\n%s\n\n", statusMark(r.Status), mdText(r.Name), codeSpan(r.File))
	if r.Status == testFail {
		fmt.Fprintf(b, "```\n%s\n```\n\n", strings.ReplaceAll(runner.Details(r), "```", "'''"))
	}
	if run == nil {
		return
	}
	if want != nil {
		b.WriteString("This run:\n\n")
	}
	b.WriteString(diagram.Fenced(run) + "\n")
	if want != nil {
		b.WriteString("The golden's path:\n\n" + diagram.Fenced(want) + "\n")
	}
	b.WriteString(unmatchedNote(want))
}

// unmatchedNote names the states of a path the flow no longer has, as a
// golden recorded before a state was renamed or removed; "" when none.
func unmatchedNote(d *diagram.Diagram) string {
	if d == nil || len(d.Unmatched) == 0 {
		return ""
	}
	return fmt.Sprintf("The golden's path also went through states the flow no longer has: %s.\n\n",
		mdText(strings.Join(d.Unmatched, ", ")))
}

func statusMark(status string) string {
	switch status {
	case testPass:
		return "✅"
	case testUpdated:
		return "📝"
	}
	return "❌"
}

// oneLineText keeps a name on its comment line.
func oneLineText(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}
