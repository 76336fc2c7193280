package lint

import (
	"io/fs"
	"path/filepath"

	"github.com/zislint/zislint/config"
)

// excluder answers, for a path met in a folder walk, whether the
// "exclude:" patterns of the config that governs it leave it out. The
// governing config is the one lint would use for a bundle in the path's
// folder: --config when given, else the nearest zislint.yaml.
type excluder struct {
	explicit string
	finder   *config.Finder            // nil when no search is made
	byDir    map[string]*config.Config // folder → its config, nil for none
	byPath   map[string]*config.Config // config file → parsed, nil when broken
}

// newExcluder returns an excluder searching for configs with finder,
// nil when the current folder is unknown: then there is no search, and
// the run meets the same problem, and says so, when it looks for configs.
func newExcluder(opts Options, finder *config.Finder) *excluder {
	e := &excluder{explicit: opts.ConfigPath, byDir: map[string]*config.Config{}, byPath: map[string]*config.Config{}}
	if opts.ConfigPath == "" && !opts.NoConfigSearch {
		e.finder = finder
	}
	return e
}

// entry is for what a folder walk meets: an excluded folder is not
// entered, so only the path itself need be checked.
func (e *excluder) entry(path string) bool {
	return e.configFor(filepath.Dir(path)).ExcludedEntry(path)
}

// listed is for each folder a walk enters: the config finder reads its
// entries rather than look at the folder's files again.
func (e *excluder) listed(dir string, entries []fs.DirEntry) {
	if e.finder != nil {
		e.finder.Listed(dir, entries)
	}
}

// named is for a file named on the command line and treated as found:
// it is excluded by a pattern naming it or a folder it is in.
func (e *excluder) named(path string) bool {
	return e.configFor(filepath.Dir(path)).Excluded(path)
}

func (e *excluder) configFor(dir string) *config.Config {
	if cfg, ok := e.byDir[dir]; ok {
		return cfg
	}
	path := e.explicit
	if e.finder != nil {
		path = e.finder.Find(dir)
	}
	cfg := e.load(path)
	e.byDir[dir] = cfg
	return cfg
}

// load parses the config file at path once. A config that cannot be
// read or parsed excludes nothing: lint and test report it, with its
// line and column, when they load it for a bundle, and graph draws more
// rather than less.
func (e *excluder) load(path string) *config.Config {
	if path == "" {
		return nil
	}
	if cfg, ok := e.byPath[path]; ok {
		return cfg
	}
	cfg, err := config.Load(path)
	if err != nil {
		cfg = nil
	}
	e.byPath[path] = cfg
	return cfg
}
