package lint

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/internal/repofs"
	"github.com/zislint/zislint/rules"
)

// plan is the analyzers to run on each bundle, in Requires order.
type plan struct {
	order []*analysis.Analyzer
	rules map[*analysis.Analyzer]*rules.Rule
	// spent lists, per analyzer of order, the analyzers whose results
	// no later one requires once it has run: a result is dropped then,
	// so that the data-flow analysis of a large flow is not kept alive
	// beside what the expression rules build after it.
	spent [][]*analysis.Analyzer
}

// newPlan orders the analyzers of selected (all rules when nil).
func newPlan(selected []*rules.Rule) (*plan, error) {
	if selected == nil {
		selected = rules.All()
	}
	roots := rules.Analyzers(selected)
	if err := analysis.Validate(roots); err != nil {
		return nil, fmt.Errorf("internal error: invalid analyzers: %v", err)
	}
	p := &plan{rules: byAnalyzer(selected)}
	seen := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		p.order = append(p.order, a)
	}
	for _, a := range roots {
		visit(a)
	}
	p.spent = lastUses(p.order)
	return p, nil
}

// lastUses returns, per analyzer of order, the analyzers it is the last
// in order to require. Root is never among them: its Input is read
// after every analyzer has run.
func lastUses(order []*analysis.Analyzer) [][]*analysis.Analyzer {
	last := map[*analysis.Analyzer]int{}
	for i, a := range order {
		for _, req := range a.Requires {
			last[req] = i
		}
	}
	spent := make([][]*analysis.Analyzer, len(order))
	for _, a := range order { // in order, so that each list is too
		if i, ok := last[a]; ok && a != rules.Root {
			spent[i] = append(spent[i], a)
		}
	}
	return spent
}

// fileResult is what linting one bundle yields.
type fileResult struct {
	findings []Finding
	ignores  []ignoreState // per ignore entry of the bundle's config
	err      error
}

// lintFile runs the plan on one bundle. Each bundle gets its own
// FileSet, so positions are resolved right here and no state is shared
// between bundles. The bundle's token.File has no line table: positions
// in it are byte offsets, and lines and columns come from a LineIndex
// built when the first finding needs one.
func (p *plan) lintFile(f *file, lc *loadedConfig) fileResult {
	fset := token.NewFileSet()
	tf := fset.AddFile(f.path, -1, len(f.src))
	at := &positioner{fset: fset, tf: tf, f: f} // its lines come from Root's bundle
	other := []string{f.path}
	var cfgSrc []byte
	if lc != nil {
		other = append(other, lc.cfg.Path)
		cfgSrc = lc.src
	}
	readFile := func(name string) ([]byte, error) {
		switch {
		case name == f.path:
			return f.handOver()
		case lc != nil && name == lc.cfg.Path:
			return cfgSrc, nil
		}
		return repofs.ReadFile(name)
	}
	var found []located
	results := make(map[*analysis.Analyzer]any, len(p.order)) // sized once: it holds every analyzer's result
	// One Pass serves every analyzer in turn: rules use it only while they
	// run, and a Pass and its Report closure per analyzer per bundle were
	// a tenth of the bytes allocated in linting a repository.
	var rule *rules.Rule
	sev := config.SeverityError
	pass := &analysis.Pass{
		Fset:       fset,
		OtherFiles: other,
		ReadFile:   readFile,
		ResultOf:   results, // holds what an analyzer requires, as it runs after them
		Report: func(d analysis.Diagnostic) {
			if sev == config.SeverityOff {
				return
			}
			offset := -1
			if fset.File(d.Pos) == tf {
				offset = tf.Offset(d.Pos)
			}
			found = append(found, located{at.finding(rule, sev, d), offset})
		},
	}
	for i, a := range p.order {
		rule = p.rules[a]
		sev = config.SeverityError
		if rule != nil {
			sev = lc.severity(rule)
		}
		pass.Analyzer = a
		res, err := runSafely(a, pass)
		if err != nil {
			return fileResult{err: fmt.Errorf("%s: %w", f.path, err)}
		}
		results[a] = res
		if a == rules.Root {
			at.afterRoot(res)
		}
		for _, done := range p.spent[i] {
			delete(results, done)
		}
	}
	if len(found) > 0 {
		if err := f.restore(); err != nil {
			return fileResult{err: err}
		}
	}
	if in, ok := results[rules.Root].(*rules.Input); ok && lc != nil && len(lc.cfg.Ignores) > 0 {
		findings, states := applyIgnores(lc, f.path, in, found)
		return fileResult{findings: findings, ignores: states}
	}
	findings := make([]Finding, len(found))
	for i, l := range found {
		findings[i] = l.Finding
	}
	return fileResult{findings: findings}
}

// runSafely runs an analyzer, turning a panic into an error that says
// where, so a bug in one rule never takes the run down with a trace.
func runSafely(a *analysis.Analyzer, pass *analysis.Pass) (res any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error in rule %s: %v; please report it with the file that caused it", a.Name, v)
		}
	}()
	return a.Run(pass)
}

// positioner resolves the positions of one bundle's findings.
type positioner struct {
	fset  *token.FileSet
	tf    *token.File // the bundle's
	f     *file
	lines *bundle.LineIndex // the bundle's, once Root has parsed it
}

// afterRoot takes the line table of the bundle Root parsed, and takes
// back the source of a large bundle that Root could not parse detached
// (one with a syntax error or a duplicate key keeps its source).
func (at *positioner) afterRoot(res any) {
	in, ok := res.(*rules.Input)
	if !ok {
		return
	}
	at.lines = in.Bundle.Lines()
	if at.f.src == nil && in.Bundle.Src != nil {
		at.f.src = in.Bundle.Src
	}
}

// lineIndex returns the bundle's line table, or one of the file's source
// should a finding come before Root's bundle.
func (at *positioner) lineIndex() *bundle.LineIndex {
	if at.lines == nil {
		at.lines = bundle.NewLineIndex(at.f.src)
	}
	return at.lines
}

func (at *positioner) finding(r *rules.Rule, sev config.Severity, d analysis.Diagnostic) Finding {
	start := at.position(d.Pos)
	end := start
	if d.End.IsValid() {
		end = at.position(d.End)
	}
	f := Finding{
		File: start.Filename, Line: start.Line, Column: start.Column,
		EndLine: end.Line, EndColumn: end.Column,
		Rule: d.Category, Severity: sev, Message: d.Message,
	}
	if r != nil {
		f.Name = r.Name()
	}
	for _, sf := range d.SuggestedFixes {
		fix := Fix{Message: sf.Message}
		for _, e := range sf.TextEdits {
			fix.Edits = append(fix.Edits, Edit{Start: at.tf.Offset(e.Pos), End: at.tf.Offset(e.End), New: e.NewText})
		}
		f.Fixes = append(f.Fixes, fix)
	}
	return f
}

// position resolves pos: in the bundle through its LineIndex, elsewhere
// (the config) through the FileSet, placing anything in an empty file
// (which has no lines) at 1:1.
func (at *positioner) position(pos token.Pos) token.Position {
	if at.fset.File(pos) == at.tf {
		offset := at.tf.Offset(pos)
		line, col := at.lineIndex().Position(offset)
		if offset == at.tf.Size() && line > 1 && col == 1 {
			// The end of a file that ends in a newline: go/token, which
			// these positions came from before, counts no line after
			// the last newline, and the output stays as it was.
			line, col = at.lineIndex().Position(offset - 1)
			col++
		}
		return token.Position{Filename: at.tf.Name(), Offset: offset, Line: line, Column: col}
	}
	p := at.fset.Position(pos)
	if p.Line == 0 {
		p.Line, p.Column = 1, 1
	}
	return p
}
