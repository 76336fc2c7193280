package rules

import (
	"path/filepath"

	"golang.org/x/tools/go/analysis"
)

// StaleIgnoreID is the id of stale_ignore; the lint driver also reports
// under it the ignore entries that suppressed nothing in the whole run.
const StaleIgnoreID = "ZIS003"

// StaleIgnore reports ignore entries in zislint.yaml that no longer apply.
var StaleIgnore = &analysis.Analyzer{
	Name: "stale_ignore",
	Doc: `every ignore entry in zislint.yaml must still suppress something

An ignore entry (path glob, optional rules, optional JSON pointer) hides
findings. Once the problem is fixed or the state renamed, an entry that
matches nothing would silently hide the next, different problem at that
place, so zislint reports it: the pointer of an entry that names nothing in
a bundle its path matches, and any entry that suppressed no finding in the
run. Remove the entry, or correct its path or pointer.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runStaleIgnore,
}

func runStaleIgnore(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, StaleIgnoreID)
	b := r.in.Bundle
	if r.in.Config == nil || b.Root == nil {
		return nil, nil
	}
	for _, ig := range r.in.Config.Ignores {
		if ig.Pointer != "" && r.in.Config.Matches(ig, b.Path) && b.Root.Pointer(ig.Pointer) == nil {
			r.config(ig.Pos, "ignore entry's pointer %q names nothing in %s; correct the pointer or remove the entry", ig.Pointer, filepath.Base(b.Path))
		}
	}
	return nil, nil
}
