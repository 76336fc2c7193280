package main

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/deploy"
	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/simulate"
	"github.com/zislint/zislint/simulate/runner"
)

// summaryRows bounds each table: GitHub caps a step summary at 1 MiB.
const summaryRows = 500

func (a *actionRun) findingsSummary(res *lint.Result) {
	w := &a.summary
	fmt.Fprintf(w, "## zislint lint\n\n%d bundle%s checked: %d error%s, %d warning%s, %d info\n\n",
		res.Bundles, plural(res.Bundles), res.Count(config.SeverityError), plural(res.Count(config.SeverityError)), res.Count(config.SeverityWarning), plural(res.Count(config.SeverityWarning)), res.Count(config.SeverityInfo))
	if len(res.Findings) == 0 {
		return
	}
	fmt.Fprintln(w, "| severity | where | rule | message |\n|---|---|---|---|")
	for i, f := range res.Findings {
		if i == summaryRows {
			fmt.Fprintf(w, "\n%d more findings are not shown here; run zislint lint for all of them.\n", len(res.Findings)-i)
			break
		}
		where := codeSpan(fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column))
		fmt.Fprintf(w, "| %s | %s | %s %s | %s |\n", f.Severity, where, f.Rule, mdText(f.Name), mdText(f.Message))
	}
	fmt.Fprintln(w)
}

func (a *actionRun) testsSummary(results []testResult, broken bool) {
	w := &a.summary
	fmt.Fprintf(w, "## zislint test\n\n")
	if broken {
		fmt.Fprintf(w, "**A bundle or fixture could not run**; the log says why.\n\n")
	}
	if len(results) == 0 {
		if !broken {
			fmt.Fprintf(w, "No fixtures found.\n\n")
		}
		return
	}
	fmt.Fprintln(w, "| result | fixture | file |\n|---|---|---|")
	for _, r := range results {
		mark := "✅ pass"
		if r.Status != "pass" {
			mark = "❌ " + r.Status
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", mark, mdText(r.Name), codeSpan(r.File))
	}
	fmt.Fprintln(w)
	for _, r := range results {
		if r.Status == "pass" {
			continue
		}
		fmt.Fprintf(w, "<details><summary>%s</summary>\n\n<pre>%s</pre>\n\n</details>\n\n", htmlLine(r.Name), htmlText(firstLines(runner.Details(r), 30)))
	}
}

// coverLimit bounds the untaken transitions listed per flow.
const coverLimit = 10

// coverageSummary tables what the fixtures covered of each flow, with
// the transitions no fixture took; every name came from a bundle, so
// each is escaped.
func (a *actionRun) coverageSummary(p *runner.CoverProfile, min float64) {
	if len(p.Flows) == 0 {
		return
	}
	w := &a.summary
	fmt.Fprintf(w, "### Coverage\n\nTransitions taken: %d of %d (%s)", p.Total.Transitions.Covered, p.Total.Transitions.Total, runner.Percent(p.Total.Transitions))
	if min > 0 {
		fmt.Fprintf(w, "; coverage-min %v%%", min)
	}
	fmt.Fprint(w, ".\n\n| flow | bundle | states | transitions | not taken |\n|---|---|---|---|---|\n")
	for i, fc := range p.Flows {
		if i == summaryRows {
			fmt.Fprintf(w, "\n%d more flows are not shown here; run zislint test --cover for all of them.\n", len(p.Flows)-i)
			break
		}
		fmt.Fprintf(w, "| %s | %s | %d/%d | %d/%d (%s) | %s |\n", mdText(fc.Flow), codeSpan(fc.Bundle),
			fc.States.Covered, fc.States.Total, fc.Transitions.Covered, fc.Transitions.Total, runner.Percent(fc.Transitions), untaken(fc))
	}
	fmt.Fprintln(w)
}

// coverageDiagrams draws each flow that has untaken transitions with
// them dashed in red, within the summary's diagram budget.
func (a *actionRun) coverageDiagrams(p *runner.CoverProfile, results []testResult, space *budget) {
	models := map[string]*bundle.Bundle{}
	for _, r := range results {
		if r.Model != nil {
			models[r.Bundle] = r.Model
		}
	}
	w := &a.summary
	for _, fc := range p.Flows {
		b := models[fc.Bundle]
		if len(fc.Uncovered) == 0 || b == nil {
			continue
		}
		f := diagram.FindFlow(b, fc.Flow)
		if f == nil {
			continue
		}
		text := diagram.Fenced(diagram.Build(f, diagram.Options{Coverage: flowCoverage(p, b, f)}))
		fmt.Fprintf(w, "<details><summary>Untaken transitions of flow %s, dashed in red</summary>\n\n", htmlLine(fc.Flow))
		if space.fits(len(text)) {
			fmt.Fprintf(w, "%s\n", text)
		} else {
			fmt.Fprintf(w, "Not drawn here, to keep the summary within GitHub's size limit: run %s, then %s.\n\n",
				codeSpan("zislint test --cover-profile cover.json "+shellQuote(fc.Bundle)),
				codeSpan("zislint graph --cover-profile cover.json --flow "+shellQuote(fc.Flow)+" "+shellQuote(fc.Bundle)))
		}
		fmt.Fprint(w, "</details>\n\n")
	}
}

// untaken lists a flow's untaken transitions for a table cell.
func untaken(fc simulate.FlowCoverage) string {
	var cells []string
	for i, t := range fc.Uncovered {
		if i == coverLimit {
			cells = append(cells, fmt.Sprintf("and %d more", len(fc.Uncovered)-i))
			break
		}
		cells = append(cells, codeSpan(fmt.Sprintf("%d:%d %s → %s (%s)", t.Line, t.Column, t.From, t.To, t.Kind)))
	}
	return strings.Join(cells, "<br>")
}

func (a *actionRun) planSummary(command string, plans []*deploy.Plan, code int) {
	w := &a.summary
	fmt.Fprintf(w, "## zislint %s\n\n", command)
	if code != exitOK {
		fmt.Fprintf(w, "**The %s did not finish**; see the log for the reason.\n\n", command)
	}
	for _, p := range plans {
		fmt.Fprintf(w, "Integration %s in %s (environment %s)\n\n", codeSpan(p.Integration), codeSpan(p.Subdomain+".zendesk.com"), mdText(p.Environment))
		changesSummary(w, p)
		fmt.Fprintln(w, "| step | job spec, connection or config | why | outcome |\n|---|---|---|---|")
		for _, s := range p.Steps {
			outcome := s.Status
			if s.Error != "" {
				outcome += ": " + s.Error
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", mdText(s.Action), mdText(s.JobSpec+s.Connection+s.Config), mdText(s.Reason), mdText(outcome))
		}
		if len(p.Steps) == 0 {
			fmt.Fprintln(w, "| no changes | | | |")
		}
		if p.Blocked != "" {
			fmt.Fprintf(w, "\n**Blocked:** %s\n", mdText(p.Blocked))
		}
		fmt.Fprintln(w)
	}
}

// pathsSummary draws, for each fixture, the path its run took; for a
// fixture whose run left its golden's path, the golden's path too. Failed
// fixtures come first and open, since they are what a reviewer looks at.
func (a *actionRun) pathsSummary(results []testResult, space *budget) {
	var drawn []testResult
	for _, r := range results {
		if r.Run != nil {
			drawn = append(drawn, r)
		}
	}
	if len(drawn) == 0 {
		return
	}
	w := &a.summary
	fmt.Fprint(w, "### Paths taken\n\nEach fixture's run drawn on its flow: visited states blue, edges numbered in the order taken, the state a run failed in red.\n\n")
	sort.SliceStable(drawn, func(i, j int) bool { return drawn[i].Status != testPass && drawn[j].Status == testPass })
	for _, r := range drawn {
		run, want := testGraphs(r)
		text := diagram.Fenced(run)
		if want != nil {
			text = "This run:\n\n" + text + "\nThe golden's path:\n\n" + diagram.Fenced(want) + "\n" + unmatchedNote(want)
		}
		open := ""
		if r.Status != testPass {
			open = " open"
		}
		fmt.Fprintf(w, "<details%s><summary>%s %s · flow %s</summary>\n\n", open, statusMark(r.Status),
			htmlLine(r.Name), htmlLine(run.Title))
		if space.fits(len(text)) {
			fmt.Fprintf(w, "%s\n", text)
		} else {
			fmt.Fprintf(w, "Not drawn here, to keep the summary within GitHub's size limit: run %s.\n\n",
				codeSpan("zislint test --graph -run "+shellQuote(regexp.QuoteMeta(runner.FixtureName(r.File)))+" "+shellQuote(r.Bundle)))
		}
		fmt.Fprint(w, "</details>\n\n")
	}
}

// changesSummary tables how the rendered bundle differs from the deployed
// one: a row for each resource, state and field, as the text plan lists
// them. Every name and value came from the bundle or the server, so each
// is a code span.
func changesSummary(w io.Writer, p *deploy.Plan) {
	if p.Deployed == deploy.ContentUnknown {
		fmt.Fprintf(w, "Deployed content unknown: %s.\n\n", mdText(p.DeployedNote))
	}
	if len(p.Changes) == 0 {
		return
	}
	fmt.Fprintln(w, "| change | resource | state | field | deployed → rendered |\n|---|---|---|---|---|")
	rows := 0
	row := func(change, resource, state string, f *deploy.FieldChange) bool {
		if rows == summaryRows {
			return false
		}
		rows++
		field, values := "", ""
		if f != nil {
			field = codeSpan(f.Path)
			values = valueSpan(f.Old) + " → " + valueSpan(f.New)
		}
		if state != "" {
			state = codeSpan(state)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", changeMark(change), resource, state, field, values)
		return true
	}
	for _, c := range p.Changes {
		resource := "bundle"
		if c.Type != deploy.BundleType {
			resource = codeSpan(c.Resource) + " " + mdText(c.Type)
		}
		ok := row(c.Change, resource, "", nil)
		for _, s := range c.States {
			ok = ok && row(s.Change, resource, s.State, nil)
			for i := range s.Fields {
				ok = ok && row(deploy.ChangeChanged, resource, s.State, &s.Fields[i])
			}
		}
		for i := range c.Fields {
			ok = ok && row(fieldChange(c.Fields[i]), resource, "", &c.Fields[i])
		}
		if !ok {
			break
		}
	}
	if omitted := countChanges(p) - rows + p.ChangesOmitted; omitted > 0 {
		fmt.Fprintf(w, "\n%d more changes are not shown here; run zislint plan for the list.\n", omitted)
	}
	fmt.Fprintln(w)
}

func changeMark(change string) string {
	switch change {
	case deploy.ChangeAdded:
		return "+ added"
	case deploy.ChangeRemoved:
		return "− removed"
	}
	return "~ changed"
}

func fieldChange(f deploy.FieldChange) string {
	switch {
	case f.Old == nil:
		return deploy.ChangeAdded
	case f.New == nil:
		return deploy.ChangeRemoved
	}
	return deploy.ChangeChanged
}

// valueSpan is an old or new value, or a dash where there is none.
func valueSpan(v *string) string {
	if v == nil {
		return "—"
	}
	return codeSpan(*v)
}

// countChanges counts the rows the plan's changes make.
func countChanges(p *deploy.Plan) int {
	n := 0
	for _, c := range p.Changes {
		n += 1 + len(c.Fields)
		for _, s := range c.States {
			n += 1 + len(s.Fields)
		}
	}
	return n
}
