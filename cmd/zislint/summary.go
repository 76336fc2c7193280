package main

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/deploy"
	"github.com/zislint/zislint/lint"
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
		fmt.Fprintf(w, "<details><summary>%s</summary>\n\n<pre>%s</pre>\n\n</details>\n\n", htmlLine(r.Name), htmlText(firstLines(details(r), 30)))
	}
}

func (a *actionRun) planSummary(command string, plans []*deploy.Plan, code int) {
	w := &a.summary
	fmt.Fprintf(w, "## zislint %s\n\n", command)
	if code != exitOK {
		fmt.Fprintf(w, "**The %s did not finish**; see the log for the reason.\n\n", command)
	}
	for _, p := range plans {
		fmt.Fprintf(w, "Integration %s in %s (environment %s)\n\n", codeSpan(p.Integration), codeSpan(p.Subdomain+".zendesk.com"), mdText(p.Environment))
		fmt.Fprintln(w, "| step | job spec | why | outcome |\n|---|---|---|---|")
		for _, s := range p.Steps {
			outcome := s.Status
			if s.Error != "" {
				outcome += ": " + s.Error
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", mdText(s.Action), mdText(s.JobSpec), mdText(s.Reason), mdText(outcome))
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
		if r.run != nil {
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
				codeSpan("zislint test --graph -run "+shellQuote(regexp.QuoteMeta(fixtureName(r.File)))+" "+shellQuote(r.Bundle)))
		}
		fmt.Fprint(w, "</details>\n\n")
	}
}
