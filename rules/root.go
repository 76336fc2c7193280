package rules

import (
	"bytes"
	"fmt"
	"go/token"
	"reflect"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
)

// Root parses the bundle and resolves the integration it belongs to.
// Every rule requires it and reads its *Input from pass.ResultOf.
//
// The driver passes the bundle file as pass.OtherFiles[0] and, when a
// zislint.yaml applies, that file as pass.OtherFiles[1]; both are read
// through pass.ReadFile.
var Root = &analysis.Analyzer{
	Name:       "bundle",
	Doc:        "parse the bundle file and resolve its integration key; the input of every rule",
	Run:        runRoot,
	ResultType: reflect.TypeOf((*Input)(nil)),
}

// Input is what every rule starts from.
type Input struct {
	Bundle      *bundle.Bundle
	Config      *config.Config      // nil when no zislint.yaml applies
	Integration *config.Integration // the config entry for this bundle, or nil
	// Key is the integration key in effect: the configured one, else the
	// one the bundle's own references use most; "" when unknown.
	Key string
	// KeySource says where Key comes from, for messages.
	KeySource string
	// Refs are the bundle's fully qualified references, in source order.
	Refs []RefUse
	file *token.File
	// configFile is the config's token.File, for findings in the config.
	// It is added to the FileSet, with its line table, only when a
	// finding needs it: nearly no bundle has one, and adding it for each
	// was a few allocations and a scan of the config per bundle.
	configFile     *token.File
	configFileOnce sync.Once
	fset           *token.FileSet
	configPath     string
	configSrc      []byte
	// targets are the bundle's action targets, listed once for the
	// rules about connections (see actionTargets).
	targetsOnce sync.Once
	targets     []actionTarget
}

// actionTargets lists the targets of the bundle's HTTP actions once for
// the three rules that read them; they only read the list.
func (in *Input) actionTargets() []actionTarget {
	in.targetsOnce.Do(func() { in.targets = actionTargets(in.Bundle) })
	return in.targets
}

// RefUse is one zis:<integration>:<kind>:<name> reference in the bundle.
type RefUse = bundle.RefUse

// Pos converts a byte offset in the bundle to a token.Pos.
func (in *Input) Pos(offset int) token.Pos { return in.file.Pos(offset) }

// ConfigPos converts a position in the config file to a token.Pos; it
// returns token.NoPos without a config.
func (in *Input) ConfigPos(p config.Pos) token.Pos {
	in.configFileOnce.Do(func() {
		if in.fset != nil {
			in.configFile = fileFor(in.fset, in.configPath, in.configSrc)
		}
	})
	f := in.configFile
	if f == nil || p.Line < 1 || p.Line > f.LineCount() {
		return token.NoPos
	}
	off := f.Offset(f.LineStart(p.Line)) + p.Col - 1
	return f.Pos(min(off, f.Size()))
}

// DetachSize is the size from which Root parses a bundle detached from
// its source (bundle.ParseDetached): a driver that can read the file
// again then drops the source while the rules run. A flow of 100,000
// states is 24 MB, and its source was a fifth of lint's peak memory;
// below a megabyte the copy would cost more than it frees.
const DetachSize = 1 << 20

func runRoot(pass *analysis.Pass) (any, error) {
	if len(pass.OtherFiles) == 0 {
		return nil, fmt.Errorf("no bundle file to analyze")
	}
	path := pass.OtherFiles[0]
	src, err := pass.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// The driver (lint.plan) hands over a buffer read for this bundle
	// alone and never written, so the model may share its bytes; a large
	// one it may let go of once parsed, so the model copies out its text.
	parse := bundle.ParseShared
	if len(src) >= DetachSize {
		parse = bundle.ParseDetached
	}
	// The token.File comes first: src is then last used by the parse,
	// and a detached parse's source is garbage as soon as it is copied.
	in := &Input{file: fileFor(pass.Fset, path, src)}
	in.Bundle = parse(path, src)
	if len(pass.OtherFiles) > 1 {
		if in.Config, err = in.loadConfig(pass, pass.OtherFiles[1]); err != nil {
			return nil, err
		}
		in.Integration = in.Config.IntegrationFor(path)
	}
	in.Refs = in.Bundle.References()
	in.Key, in.KeySource = effectiveKey(in)
	return in, nil
}

func (in *Input) loadConfig(pass *analysis.Pass, path string) (*config.Config, error) {
	src, err := pass.ReadFile(path)
	if err != nil {
		return nil, err
	}
	in.fset, in.configPath, in.configSrc = pass.Fset, path, src
	return parsedConfigs.parse(path, src)
}

// parsedConfigs keeps the configs Root parsed: a repository's bundles
// share one zislint.yaml, and parsing it again for each bundle cost about
// a tenth of the linting time. An entry is kept by path with the content
// it was parsed from, so an edited file is parsed anew; rules only read a
// Config.
var parsedConfigs = &configCache{entries: map[string]configEntry{}}

// configCacheSize bounds the cache for long-running callers (fuzzing,
// an editor integration) that see many configs.
const configCacheSize = 64

type configCache struct {
	mu      sync.Mutex
	entries map[string]configEntry
}

type configEntry struct {
	src []byte // the content parsed, to tell an edited file
	cfg *config.Config
	err error
}

func (c *configCache) parse(path string, src []byte) (*config.Config, error) {
	c.mu.Lock()
	e, ok := c.entries[path]
	c.mu.Unlock()
	// Comparing the content, rather than keying by it, spares a copy of
	// the config per bundle.
	if ok && bytes.Equal(e.src, src) {
		return e.cfg, e.err
	}
	cfg, err := config.Parse(path, src)
	c.mu.Lock()
	if len(c.entries) >= configCacheSize {
		clear(c.entries)
	}
	c.entries[path] = configEntry{bytes.Clone(src), cfg, err}
	c.mu.Unlock()
	return cfg, err
}

// fileFor returns the token.File the driver registered for path, adding
// one when the caller did not.
func fileFor(fset *token.FileSet, path string, src []byte) *token.File {
	var found *token.File
	fset.Iterate(func(f *token.File) bool {
		if f.Name() == path && f.Size() == len(src) {
			found = f
			return false
		}
		return true
	})
	if found == nil {
		found = fset.AddFile(path, -1, len(src))
		found.SetLinesForContent(src)
	}
	return found
}

// KeyUses returns the places that name an integration key: valid
// references outside zis:common and a top-level "integration" field
// (present when a bundle was saved from the Show Bundle API).
func (in *Input) KeyUses() []KeyUse {
	uses := make([]KeyUse, 0, len(in.Refs)+1)
	for u := range in.keyUses {
		uses = append(uses, u)
	}
	return uses
}

// keyUses yields what KeyUses lists, in its order, without the list: a
// bundle's rules only look for the few uses that differ.
func (in *Input) keyUses(yield func(KeyUse) bool) {
	if n := in.Bundle.Root.Get("integration"); n != nil {
		if s, ok := n.Str(); ok {
			if !yield(KeyUse{Key: s, Node: n, What: integrationField}) {
				return
			}
		}
	}
	for _, r := range in.Refs {
		if r.Err() == nil && r.Ref().Integration != bundle.CommonKey {
			if !yield(KeyUse{Key: r.Ref().Integration, Node: r.Node, What: r.Field()}) {
				return
			}
		}
	}
}

const integrationField = `the "integration" field`

// KeyUse is one place naming an integration key.
type KeyUse struct {
	Key  string
	Node *bundle.Node
	What string
}

// effectiveKey picks the configured key, else the one the bundle names
// itself.
func effectiveKey(in *Input) (key, source string) {
	if in.Integration != nil {
		return in.Integration.Key, "the integration key set in " + in.Config.Path
	}
	key, fromField := in.Bundle.InferKeyFrom(in.Refs)
	switch {
	case key == "":
		return "", ""
	case fromField:
		return key, "the bundle's \"integration\" field"
	}
	return key, "the integration key most of this bundle's references use"
}
