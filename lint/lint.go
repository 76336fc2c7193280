// Package lint is zislint's driver: it finds bundles and their configs,
// runs the rules' analyzers on each bundle, and turns their diagnostics
// into findings with file, range, rule and severity.
package lint

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/internal/repofs"
	"github.com/zislint/zislint/rules"
)

// Finding is one diagnostic, ready for any output format.
type Finding struct {
	File      string          `json:"file"`
	Line      int             `json:"line"`
	Column    int             `json:"column"`
	EndLine   int             `json:"end_line"`
	EndColumn int             `json:"end_column"`
	Rule      string          `json:"rule"`
	Name      string          `json:"name"`
	Severity  config.Severity `json:"-"`
	Message   string          `json:"message"`
	// Fixes are the rule's suggested edits, as byte offsets in File.
	Fixes []Fix `json:"-"`
}

// Fix is a suggested fix: edits to one file.
type Fix struct {
	Message string
	Edits   []Edit
}

// Edit replaces the bytes [Start, End) of a file with New.
type Edit struct {
	Start, End int
	New        []byte
}

// Options control a lint run.
type Options struct {
	// ConfigPath, when set, is used for every bundle instead of the
	// zislint.yaml found by walking up from each one.
	ConfigPath string
	// NoConfigSearch skips looking for zislint.yaml above the bundles; only
	// ConfigPath, if set, applies. Tests use it to stay hermetic.
	NoConfigSearch bool
	// Rules to run; nil means all.
	Rules []*rules.Rule
	// Jobs is how many bundles are linted at once; 0 means GOMAXPROCS.
	Jobs int
	// SkipNonBundles treats named files as files found in folders are
	// treated: one that does not look like a bundle is skipped instead of
	// linted. Hooks such as pre-commit name every JSON file of a commit.
	SkipNonBundles bool
	// SourcesOfFindingsOnly keeps in Result.Sources only the bundles that
	// have findings (and the configs), and lets go of each other bundle's
	// bytes as soon as it is linted. The formats quote only the lines
	// findings point at, so their output is the same, and a run over
	// thousands of clean bundles does not hold them all.
	SourcesOfFindingsOnly bool
	// BoundMemory sets a soft memory limit for the process while large
	// bundles are linted (see memoryBudget), for a command that owns the
	// process.
	BoundMemory bool
}

// Result is the outcome of a lint run.
type Result struct {
	Findings []Finding // sorted by file, line, column, rule
	Bundles  int       // how many bundle files were linted
	// Files are the bundle files linted, in the order they were found.
	Files []string
	// Sources holds the bytes of each linted file, and of each config a
	// finding points into, for formats that quote them.
	Sources map[string][]byte
}

// Max returns the highest severity among the findings.
func (r *Result) Max() config.Severity {
	max := config.SeverityOff
	for _, f := range r.Findings {
		if f.Severity > max {
			max = f.Severity
		}
	}
	return max
}

// Count returns how many findings have severity s.
func (r *Result) Count(s config.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Run lints the bundles found under paths. Its error is for problems that
// stop the run (unreadable paths, broken configs); problems in bundles
// are findings.
func Run(paths []string, opts Options) (*Result, error) {
	return run(func(finder *config.Finder, yield func(*file)) error {
		return collectEach(paths, opts, finder, yield)
	}, opts)
}

// RunSource lints src as the bundle file path, whether or not the file
// exists; deploys use it on a bundle rendered for an environment.
func RunSource(path string, src []byte, opts Options) (*Result, error) {
	return run(func(_ *config.Finder, yield func(*file)) error {
		yield(&file{path: path, src: src})
		return nil
	}, opts)
}

// job is one bundle to lint and, once linted, its result.
type job struct {
	f       *file
	lc      *loadedConfig
	out     fileResult
	dropped bool // its source was let go (SourcesOfFindingsOnly)
}

// run lints the files each yields. Each file is linted as soon as it is
// found, while the walk goes on, so with SourcesOfFindingsOnly a clean
// bundle's bytes are let go before the next ones are read, and a run
// over thousands of bundles never holds them all. An error of the walk, a
// config or the plan still fails the whole run, as if nothing had been
// linted.
func run(each func(finder *config.Finder, yield func(*file)) error, opts Options) (*Result, error) {
	cfgs := newConfigs(opts.ConfigPath, opts.NoConfigSearch)
	selected := opts.Rules
	if selected == nil {
		selected = rules.All()
	}
	plan, planErr := newPlan(selected)
	var jobs []*job
	// A few jobs may wait, so the walk and the workers seldom wait on
	// each other; few enough that their sources cost nothing to hold.
	work := make(chan *job, 16)
	done := lintEach(plan, opts, work)
	walkErr := each(cfgs.finder, func(f *file) {
		cfgs.resolve(f)
		j := &job{f: f}
		jobs = append(jobs, j)
		if planErr == nil && cfgs.err() == nil {
			j.lc = cfgs.forFile(f.path)
			work <- j
		}
	})
	close(work)
	<-done
	if walkErr != nil {
		return nil, walkErr
	}
	if err := cfgs.err(); err != nil {
		return nil, err
	}
	if planErr != nil {
		return nil, planErr
	}
	res := &Result{Bundles: len(jobs), Sources: make(map[string][]byte, len(jobs))}
	ignores := map[*loadedConfig][]ignoreState{}
	for _, j := range jobs {
		if err := j.out.err; err != nil {
			return nil, err
		}
		if !j.dropped {
			res.Sources[j.f.path] = j.f.src
		}
		res.Files = append(res.Files, j.f.path)
		res.Findings = append(res.Findings, j.out.findings...)
		if lc := cfgs.forFile(j.f.path); lc != nil {
			ignores[lc] = mergeStates(ignores[lc], j.out.ignores)
		}
	}
	for lc, states := range ignores {
		res.Findings = append(res.Findings, staleIgnores(lc, states)...)
	}
	for path, lc := range cfgs.loaded {
		if lc.cfg != nil {
			res.Sources[path] = lc.src
		}
	}
	spanConfigFindings(res.Findings, cfgs)
	sortFindings(res.Findings)
	res.Findings = dedupe(res.Findings)
	return res, nil
}

// spanConfigFindings gives each finding in a config file that marks a
// single column the extent of the YAML item there, so the json, github
// and sarif formats carry a real end and annotations cover the item.
func spanConfigFindings(fs []Finding, cfgs *configs) {
	for i := range fs {
		f := &fs[i]
		lc := cfgs.loaded[f.File]
		if lc == nil || lc.cfg == nil || f.EndLine != f.Line || f.EndColumn != f.Column {
			continue
		}
		end := config.TokenEnd(lc.src, config.Pos{Line: f.Line, Col: f.Column})
		f.EndLine, f.EndColumn = end.Line, end.Col
	}
}

// dedupe drops repeated findings from sorted ones: a finding in a config
// file is reported by every bundle that config applies to.
func dedupe(fs []Finding) []Finding {
	return slices.CompactFunc(fs, func(a, b Finding) bool {
		return a.File == b.File && a.Line == b.Line && a.Column == b.Column && a.Rule == b.Rule && a.Message == b.Message
	})
}

// mergeStates keeps, per ignore entry, the furthest state any bundle
// reached.
func mergeStates(acc, next []ignoreState) []ignoreState {
	if acc == nil {
		return append([]ignoreState(nil), next...)
	}
	for i, s := range next {
		acc[i] = max(acc[i], s)
	}
	return acc
}

// forEach calls fn(0..n-1) on up to jobs goroutines.
// lintEach lints the jobs that come on work with opts.Jobs workers
// (GOMAXPROCS when 0), and closes the returned channel once work is
// closed and every job is done.
func lintEach(p *plan, opts Options, work <-chan *job) <-chan struct{} {
	workers := opts.Jobs
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				release := func() {}
				if opts.BoundMemory {
					release = budget.hold(j.f.src)
				}
				j.out = p.lintFile(j.f, j.lc)
				release()
				if opts.SourcesOfFindingsOnly && len(j.out.findings) == 0 {
					j.f.src, j.dropped = nil, true
				} else if err := j.f.restore(); err != nil && j.out.err == nil {
					j.out.err = err
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// configs finds, loads and caches the config file of each bundle.
type configs struct {
	explicit string
	noSearch bool
	byDir    map[string]string // bundle dir → config path ("" for none)
	// finder looks at each folder once: sibling bundle folders share
	// their parents' answers. Nil when the working folder is unknown,
	// and config.Find says why.
	finder *config.Finder
	loaded map[string]*loadedConfig
	errs   []error
}

type loadedConfig struct {
	cfg         *config.Config
	src         []byte
	sev         map[string]config.Severity // rule id → configured severity
	ignoreRules []map[string]bool          // per ignore entry: rule ids, nil for all
}

func newConfigs(explicit string, noSearch bool) *configs {
	finder, _ := config.NewFinder()
	return &configs{explicit: explicit, noSearch: noSearch, byDir: map[string]string{}, finder: finder,
		loaded: map[string]*loadedConfig{}}
}

func (c *configs) err() error { return errors.Join(c.errs...) }

func (c *configs) pathFor(bundlePath string) string {
	if c.explicit != "" || c.noSearch {
		return c.explicit
	}
	dir := filepath.Dir(bundlePath)
	if p, ok := c.byDir[dir]; ok {
		return p
	}
	if c.finder != nil {
		p := c.finder.FindLike(dir)
		c.byDir[dir] = p
		return p
	}
	p, err := config.Find(dir)
	if err != nil {
		c.errs = append(c.errs, err)
	}
	c.byDir[dir] = p
	return p
}

func (c *configs) resolve(f *file) {
	path := c.pathFor(f.path)
	if path == "" || c.loaded[path] != nil {
		return
	}
	src, err := repofs.ReadFile(path)
	if err != nil {
		c.errs = append(c.errs, fmt.Errorf("reading config: %w", err))
		c.loaded[path] = &loadedConfig{}
		return
	}
	cfg, err := config.Parse(path, src)
	if err == nil {
		err = cfg.CheckBundles()
	}
	if err != nil {
		c.errs = append(c.errs, err)
		c.loaded[path] = &loadedConfig{}
		return
	}
	sev, err := severities(cfg)
	c.errs = append(c.errs, err)
	ign, err := ignoreRules(cfg)
	c.errs = append(c.errs, err)
	c.loaded[path] = &loadedConfig{cfg: cfg, src: src, sev: sev, ignoreRules: ign}
}

// forFile returns the loaded config for a bundle, or nil. resolve must
// have been called for every file first; after that this is read-only and
// safe for concurrent use.
func (c *configs) forFile(bundlePath string) *loadedConfig {
	path := c.explicit
	if path == "" {
		path = c.byDir[filepath.Dir(bundlePath)]
	}
	if lc := c.loaded[path]; lc != nil && lc.cfg != nil {
		return lc
	}
	return nil
}

// severities maps the config's rule settings to rule ids, reporting
// names that match no rule.
func severities(cfg *config.Config) (map[string]config.Severity, error) {
	out := map[string]config.Severity{}
	var errs []error
	for _, s := range cfg.Rules {
		r := rules.Lookup(s.Rule)
		if r == nil {
			errs = append(errs, &config.Error{File: cfg.Path, Pos: s.Pos,
				Msg: fmt.Sprintf("unknown rule %q; run \"zislint rules\" for the list of ids and names%s", s.Rule, rules.UnknownHint(s.Rule))})
			continue
		}
		out[r.ID] = s.Severity
	}
	return out, errors.Join(errs...)
}

// severity is the rule's effective severity under lc.
func (lc *loadedConfig) severity(r *rules.Rule) config.Severity {
	if lc != nil {
		if s, ok := lc.sev[r.ID]; ok {
			return s
		}
	}
	return r.Severity
}

// byAnalyzer indexes rules by their analyzer.
func byAnalyzer(rs []*rules.Rule) map[*analysis.Analyzer]*rules.Rule {
	m := make(map[*analysis.Analyzer]*rules.Rule, len(rs))
	for _, r := range rs {
		m[r.Analyzer] = r
	}
	return m
}
