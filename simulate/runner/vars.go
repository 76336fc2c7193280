package runner

import (
	"fmt"
	"github.com/zislint/zislint/internal/repofs"
	"maps"
	"slices"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/deploy"
	"github.com/zislint/zislint/simulate"
)

// Bundle gives the simulator the bundle a run needs. A bundle that
// uses {{name}} variables cannot run as written (ZIS would send the
// braces), so it is rendered first: with the fixture's vars: over the
// values of the environment chosen with --env. Integration keys are left
// as written, so a fixture and its golden hold for every environment.
type Bundle struct {
	path    string
	cfg     *config.Config
	b       *bundle.Bundle // as written
	uses    []string       // the variables the bundle uses, sorted
	env     string         // the --env name, or ""
	envVars map[string]string
	progs   map[string]*simulate.Program // by the values that rendered it
}

// NewBundle loads the bundle at path. envName, when set, must name
// an environment of cfg.
func NewBundle(path string, cfg *config.Config, envName string) (*Bundle, error) {
	b, err := bundle.Load(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, repofs.WithoutPath(err))
	}
	r := &Bundle{path: path, cfg: cfg, b: b, uses: deploy.Variables(b), env: envName, progs: map[string]*simulate.Program{}}
	if envName == "" {
		return r, nil
	}
	if cfg == nil {
		return nil, fmt.Errorf("--env %s: no %s applies to %s, so it has no environments", envName, config.FileName, path)
	}
	env, err := cfg.Environment(envName)
	if err != nil {
		return nil, fmt.Errorf("--env: %w", err)
	}
	r.envVars = env.VarsFor(cfg.IntegrationFor(path))
	return r, nil
}

// Program compiles the bundle for a run with the fixture's vars (nil for
// none). It is compiled once per set of values.
func (r *Bundle) Program(f *simulate.Fixture) (*simulate.Program, error) {
	values, err := r.values(f)
	if err != nil {
		return nil, err
	}
	key := renderKey(values)
	if p, ok := r.progs[key]; ok {
		return p, nil
	}
	b := r.b
	if len(r.uses) > 0 {
		// The key stays: only the variables are filled in.
		src, err := deploy.Render(r.b, "", "", values)
		if err != nil {
			return nil, err
		}
		b = bundle.Parse(r.path, src)
	}
	p, err := compileModel(r.path, b, r.cfg)
	if err != nil {
		return nil, err
	}
	r.progs[key] = p
	return p, nil
}

// values merges the environment's values and the fixture's, and reports
// fixture values the bundle has no use for and variables left without
// one.
func (r *Bundle) values(f *simulate.Fixture) (map[string]string, error) {
	values := map[string]string{}
	var fixtureVars map[string]string
	if f != nil {
		fixtureVars = f.Vars
	}
	for _, name := range slices.Sorted(maps.Keys(fixtureVars)) {
		if !slices.Contains(r.uses, name) {
			return nil, &simulate.LoadError{File: f.Path, Line: firstLine(f, "vars."+name, "vars"),
				Msg: fmt.Sprintf("vars: %s is no variable of %s; %s", name, r.path, r.usesText())}
		}
	}
	for _, name := range r.uses {
		if v, ok := fixtureVars[name]; ok {
			values[name] = v
		} else if v, ok := r.envVars[name]; ok {
			values[name] = v
		}
	}
	var missing []string
	for _, name := range r.uses {
		if _, ok := values[name]; !ok {
			missing = append(missing, "{{"+name+"}}")
		}
	}
	if len(missing) == 0 {
		return values, nil
	}
	return nil, r.missingError(f, missing)
}

func (r *Bundle) usesText() string {
	if len(r.uses) == 0 {
		return "it uses no {{name}} variables"
	}
	return "its variables are " + strings.Join(r.uses, ", ")
}

// missingError says which variables have no value and where to give
// them one, pointing at the fixture when there is one.
func (r *Bundle) missingError(f *simulate.Fixture, missing []string) error {
	where := "set it under vars: in the fixture, or run with --env NAME to take values from an environment of " + config.FileName
	if r.env != "" {
		where = fmt.Sprintf("set it under vars: in the fixture, or in environment %s of %s", r.env, config.FileName)
	}
	which := "which has no value"
	if len(missing) > 1 {
		which = "which have no value"
		where = strings.Replace(where, "set it", "set them", 1)
	}
	msg := fmt.Sprintf("%s uses %s, %s for this run; %s", r.path, strings.Join(missing, ", "), which, where)
	if f == nil || f.Line == nil {
		if r.env == "" {
			msg = fmt.Sprintf("%s uses %s, %s; run with --env NAME to take values from an environment of %s", r.path, strings.Join(missing, ", "), which, config.FileName)
		}
		return fmt.Errorf("%s", msg)
	}
	return &simulate.LoadError{File: f.Path, Line: firstLine(f, "vars"), Msg: msg}
}

// renderKey identifies a set of values.
func renderKey(values map[string]string) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(values)) {
		fmt.Fprintf(&b, "%q=%q;", name, values[name])
	}
	return b.String()
}

// Model is the bundle as written, before any variable is filled in.
func (r *Bundle) Model() *bundle.Bundle { return r.b }

// Variables are the {{name}} variables the bundle uses, sorted.
func (r *Bundle) Variables() []string { return r.uses }
