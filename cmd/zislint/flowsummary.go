package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/bundle/diagram"
	"github.com/zislint/zislint/cmd/zislint/internal/gitbase"
)

// Size limits of the step summary. GitHub refuses a summary over 1 MiB
// and shows nothing of it, so diagrams get what the findings left, less
// a reserve for the test results that follow, and at most diagramBudget.
// Diagrams beyond it become a line naming the command that draws them.
const (
	summaryLimit   = 1<<20 - 1<<10
	summaryReserve = 256 << 10
	diagramBudget  = 512 << 10
)

// fitSummary cuts a summary longer than limit at the last section or
// fixture that fits, so no table or diagram is left half written, and
// says so at the end.
func fitSummary(s string, limit int) string {
	const note = "\n\n**The summary was cut here to stay within GitHub's size limit**; the log has every result.\n"
	if len(s) <= limit {
		return s
	}
	cut := s[:limit-len(note)]
	at := max(strings.LastIndex(cut, "\n## "), strings.LastIndex(cut, "\n### "), strings.LastIndex(cut, "\n<details"))
	if at < 0 {
		at = strings.LastIndex(cut, "\n")
	}
	return s[:max(at, 0)] + note
}

// budget counts down the bytes left for diagrams.
type budget struct{ left int }

// fits takes n bytes from the budget when they fit.
func (b *budget) fits(n int) bool {
	if n > b.left {
		b.left = 0 // keep the order: no smaller diagram after a skipped one
		return false
	}
	b.left -= n
	return true
}

// baseReader reads a bundle as the base branch has it.
type baseReader struct {
	repo *gitbase.Repo
	hash string
}

// base finds the commit a pull request is compared with. Without one
// (not a pull request, no git history in the checkout) it returns nil and
// says why, and every flow is drawn.
func (a *actionRun) base() (*baseReader, string) {
	ref := a.getenv("GITHUB_BASE_REF")
	if ref == "" {
		return nil, "Not a pull request, so every flow is drawn"
	}
	repo, err := gitbase.Open(".")
	if err != nil {
		return nil, fmt.Sprintf("No git repository to compare with %s (%v), so every flow is drawn", ref, err)
	}
	hash, how, err := repo.Base(ref)
	if err != nil {
		return nil, fmt.Sprintf("%v; every flow is drawn", err)
	}
	return &baseReader{repo: repo, hash: hash}, fmt.Sprintf("Compared with %s, commit %s", how, shortHash(hash))
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// read returns the base version of the bundle at file, nil when the base
// has no such file.
func (r *baseReader) read(file string) (*bundle.Bundle, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(r.repo.Root(), abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, fmt.Errorf("%s is outside the repository at %s", file, r.repo.Root())
	}
	src, err := r.repo.ReadFile(r.hash, filepath.ToSlash(rel))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return bundle.Parse(file, src), nil
}

// flowDiagram is one flow for the summary: drawn, or only listed.
type flowDiagram struct {
	file   string
	change *diagram.FlowChange
	d      *diagram.Diagram // nil for a removed flow
}

// flowsSummary draws the flows a pull request changed, each with its
// added, changed and removed states marked; without a base, every flow.
// files are the bundles lint read, sources their bytes.
func (a *actionRun) flowsSummary(files []string, sources map[string][]byte, space *budget) {
	base, how := a.base()
	var items []flowDiagram
	unchanged := 0
	var notes []string
	for _, file := range files {
		head := bundle.Parse(file, sources[file])
		if head.Syntax != nil {
			continue // lint reports it
		}
		var old *bundle.Bundle
		var err error
		compare := base != nil
		if compare {
			if old, err = base.read(file); err != nil {
				notes = append(notes, fmt.Sprintf("%s: cannot read the base version (%s), so its flows are drawn unmarked", codeSpan(file), mdText(err.Error())))
				compare = false
			}
		}
		if !compare {
			for _, f := range diagram.Flows(head) {
				items = append(items, flowDiagram{file: file, d: diagram.Build(f, diagram.Options{})})
			}
			continue
		}
		for _, c := range diagram.Compare(old, head) {
			switch c.Status {
			case diagram.FlowUnchanged:
				unchanged++
			case diagram.FlowRemoved:
				items = append(items, flowDiagram{file: file, change: c})
			default:
				items = append(items, flowDiagram{file: file, change: c, d: diagram.Build(c.Flow, diagram.Options{Change: c})})
			}
		}
	}
	a.writeFlows(how, items, unchanged, notes, base != nil, space)
}

func (a *actionRun) writeFlows(how string, items []flowDiagram, unchanged int, notes []string, compared bool, space *budget) {
	w := &a.summary
	title := "Flows"
	if compared {
		title = "Flows changed"
	}
	fmt.Fprintf(w, "## %s\n\n%s.", title, mdText(how))
	if compared {
		fmt.Fprintf(w, " %d changed, %d unchanged.", len(items), unchanged)
	}
	fmt.Fprint(w, "\n\n")
	for _, n := range notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
	}
	if compared && len(items) > 0 {
		fmt.Fprintln(w, "Marked in the diagrams: added states green, changed yellow, removed grey and dashed.")
		fmt.Fprintln(w)
	}
	for _, it := range items {
		a.writeFlow(it, space)
	}
}

func (a *actionRun) writeFlow(it flowDiagram, space *budget) {
	w := &a.summary
	name := mdText(it.flowName())
	fmt.Fprintf(w, "### %s\n\n%s", name, codeSpan(it.file))
	if it.change != nil {
		fmt.Fprintf(w, " · flow %s", it.change.Status)
		for _, part := range []struct {
			label  string
			states []string
		}{{"added", it.change.Added}, {"changed", it.change.Changed}, {"removed", it.change.Removed}} {
			if len(part.states) > 0 && it.change.Status != diagram.FlowAdded {
				fmt.Fprintf(w, " · %s: %s", part.label, mdText(strings.Join(part.states, ", ")))
			}
		}
	}
	fmt.Fprint(w, "\n\n")
	if it.d == nil {
		return
	}
	text := diagram.Fenced(it.d)
	if !space.fits(len(text)) {
		fmt.Fprintf(w, "Not drawn here, to keep the summary within GitHub's size limit: run %s.\n\n",
			codeSpan("zislint graph --flow "+shellQuote(it.flowName())+" "+shellQuote(it.file)))
		return
	}
	fmt.Fprintf(w, "%s\n", text)
}

func (it flowDiagram) flowName() string {
	if it.change != nil {
		return it.change.Name
	}
	return it.d.Title
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
