package runner

import (
	"errors"
	"fmt"
	"github.com/zislint/zislint/internal/repofs"
	"io/fs"
	"path/filepath"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/simulate"
)

// ConfigCache loads each zislint.yaml once, however many bundles share it.
type ConfigCache struct {
	loaded map[string]*config.Config
	errs   map[string]error
}

func NewConfigCache() *ConfigCache {
	return &ConfigCache{loaded: map[string]*config.Config{}, errs: map[string]error{}}
}

// forBundle returns the config that applies to the bundle at path: the
// explicit file when given, else the nearest zislint.yaml; nil when none
// exists. A nil *config.Config is usable: IntegrationFor and TestsDir
// return nothing.
func (c *ConfigCache) ForBundle(path, explicit string) (*config.Config, error) {
	cfgPath := explicit
	if cfgPath == "" {
		found, err := config.Find(filepath.Dir(path))
		if err != nil || found == "" {
			return nil, err
		}
		cfgPath = found
	}
	if cfg, ok := c.loaded[cfgPath]; ok {
		return cfg, c.errs[cfgPath]
	}
	cfg, err := config.Load(cfgPath)
	if err != nil && errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("config %s: %w", cfgPath, repofs.WithoutPath(err))
	}
	c.loaded[cfgPath], c.errs[cfgPath] = cfg, err
	return cfg, err
}

// compileModel compiles b, the bundle at path (as written or rendered),
// for the integration cfg assigns it; without one, the key is inferred
// from the bundle as lint infers it.
func compileModel(path string, b *bundle.Bundle, cfg *config.Config) (*simulate.Program, error) {
	key, _ := b.InferKey()
	opts := simulate.Options{IntegrationKey: key}
	if in := cfg.IntegrationFor(path); in != nil {
		opts.IntegrationKey, opts.Connections = in.Key, in.Connections
	}
	prog, err := simulate.Compile(b, opts)
	if err != nil {
		err = lintedCause(b, cfg, err)
	}
	return prog, err
}

// lintedCause replaces a compile error by the lint error inside the part
// of the bundle the simulator refused, so that test and simulate show a
// defect at the same line and column, with the same words, as lint. A
// compile error lint has no finding for is returned as it is.
func lintedCause(b *bundle.Bundle, cfg *config.Config, err error) error {
	var ce *simulate.CompileError
	if !errors.As(err, &ce) {
		return err
	}
	opts := lint.Options{Jobs: 1, NoConfigSearch: true}
	if cfg != nil { // nil: no zislint.yaml applies
		opts.ConfigPath = cfg.Path
	}
	res, lerr := lint.RunSource(b.Path, b.Src, opts)
	if lerr != nil {
		return err
	}
	startLine, startCol := b.Line(ce.Start)
	endLine, endCol := b.Line(ce.End)
	for _, f := range res.Findings {
		inside := !before(f.Line, f.Column, startLine, startCol) && before(f.Line, f.Column, endLine, endCol)
		if f.Severity == config.SeverityError && inside {
			return fmt.Errorf("%s:%d:%d: %s [%s]; the simulator cannot run the bundle until it is fixed", f.File, f.Line, f.Column, f.Message, f.Rule)
		}
	}
	return err
}

// before reports whether Line:col a comes before Line:col b.
func before(aLine, aCol, bLine, bCol int) bool {
	return aLine < bLine || aLine == bLine && aCol < bCol
}
