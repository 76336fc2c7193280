package deploy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
)

// RunOptions are what a run of plan, deploy, disable, enable or render
// needs from the command line (or the GitHub Action).
type RunOptions struct {
	Env             string   // environment of zislint.yaml (required)
	Config          string   // zislint.yaml to use instead of the one found above Paths[0]
	Paths           []string // where to look for zislint.yaml; "." when empty
	BaseURL         string
	Subdomain       string // overrides the environment's
	DryRun          bool
	RegistrationOut string

	// Check lints one bundle, as written (path, with cfg) and as
	// rendered; an error stops the run before any request. It is a
	// function so that deploy need not depend on the linter.
	Check func(cfg *config.Config, path string, rendered []byte) error
	// Getenv reads the credentials and the connections' secrets; nil
	// reads none, which keeps tests hermetic.
	Getenv func(string) string
	// Mask, when set, receives each secret read or obtained while the
	// run goes on (the action hides them from the log).
	Mask func(secret string)
	// Stderr receives warnings, the client's log and the errors of
	// integrations the run goes on past; nil discards them.
	Stderr io.Writer
}

// ErrIntegrationFailed is returned when reading the account for, or
// applying, the plan of some integration failed. Each error was
// written to Stderr as it happened, since the run goes on with the
// other integrations.
var ErrIntegrationFailed = errors.New("an integration's plan could not be made or applied")

// integrationRun is one integration of the config, rendered for the
// environment.
type integrationRun struct {
	in         *config.Integration
	configPath string // the zislint.yaml it comes from
	path       string
	key        string
	rendered   []byte
}

// environmentRun is a run's environment and its rendered integrations.
type environmentRun struct {
	env       *config.Environment
	subdomain string
	runs      []integrationRun
}

func (o *RunOptions) getenv(name string) string {
	if o.Getenv == nil {
		return ""
	}
	return o.Getenv(name)
}

func (o *RunOptions) stderr() io.Writer {
	if o.Stderr == nil {
		return io.Discard
	}
	return o.Stderr
}

// RenderEnvironment renders every integration of the environment, in
// the order of zislint.yaml, without linting them.
func RenderEnvironment(opts RunOptions) ([][]byte, error) {
	e, err := prepare(opts, false)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	for _, r := range e.runs {
		out = append(out, r.rendered)
	}
	return out, nil
}

// RunEnvironment makes the command's plan (cmd is plan, deploy,
// disable or enable) for every integration of the environment and,
// unless the command or DryRun only shows plans, applies it. It
// returns the plans, with each step's outcome once applied. An error
// from Check is returned as is; ErrIntegrationFailed means some plan
// failed (and was reported) while the others ran; any other error
// stopped the run before its integration was read or changed.
func RunEnvironment(ctx context.Context, cmd string, opts RunOptions) ([]*Plan, error) {
	e, err := prepare(opts, true)
	if err != nil {
		return nil, err
	}
	changes := cmd != "plan" && !opts.DryRun
	conns, err := readConnections(e.runs, opts.getenv, cmd == "deploy" && changes)
	if opts.Mask != nil {
		for _, s := range conns.secrets {
			if s != "" {
				opts.Mask(s)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	api, err := newRunClient(opts, e.subdomain, conns.secrets)
	if err != nil {
		return nil, err
	}
	r := &runner{cmd: cmd, opts: opts, api: api, changes: changes}
	defer r.revoke()
	return r.planAll(ctx, e, conns)
}

// prepare loads the environment and renders every integration for it;
// with check, it also lints each bundle as written and as rendered.
func prepare(opts RunOptions, check bool) (*environmentRun, error) {
	cfg, env, subdomain, err := loadEnvironment(opts)
	if err != nil {
		return nil, err
	}
	runs, err := renderAll(cfg, env)
	if err != nil {
		return nil, err
	}
	if check && opts.Check != nil {
		for _, r := range runs {
			if err := opts.Check(cfg, r.path, r.rendered); err != nil {
				return nil, err
			}
		}
	}
	return &environmentRun{env: env, subdomain: subdomain, runs: runs}, nil
}

func loadEnvironment(opts RunOptions) (*config.Config, *config.Environment, string, error) {
	path := opts.Config
	if path == "" {
		start := "."
		if len(opts.Paths) > 0 {
			start = opts.Paths[0]
		}
		found, err := config.Find(start)
		if err != nil {
			return nil, nil, "", err
		}
		if found == "" {
			return nil, nil, "", fmt.Errorf("no %s above %s; deploys need one with integrations and environments", config.FileName, start)
		}
		path = found
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, nil, "", err
	}
	env, err := cfg.Environment(opts.Env)
	if err != nil {
		return nil, nil, "", err
	}
	subdomain := env.Subdomain
	if opts.Subdomain != "" {
		subdomain = opts.Subdomain
	}
	if subdomain == "" {
		return nil, nil, "", fmt.Errorf("environment %s has no subdomain; set it in %s or pass --subdomain", env.Name, cfg.Path)
	}
	return cfg, env, subdomain, nil
}

// renderAll renders every integration's bundle for the environment.
func renderAll(cfg *config.Config, env *config.Environment) ([]integrationRun, error) {
	if len(cfg.Integrations) == 0 {
		return nil, fmt.Errorf("%s declares no integrations", cfg.Path)
	}
	var runs []integrationRun
	var errs []error
	for _, in := range cfg.Integrations {
		path, err := bundleFile(cfg, in)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b, err := bundle.Load(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		key := env.KeyFor(in)
		rendered, err := Render(b, in.Key, key, env.VarsFor(in))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		runs = append(runs, integrationRun{in: in, configPath: cfg.Path, path: path, key: key, rendered: rendered})
	}
	return runs, errors.Join(errs...)
}

// bundleFile finds the one bundle file an integration deploys.
func bundleFile(cfg *config.Config, in *config.Integration) (string, error) {
	if in.Bundle == "" {
		return "", fmt.Errorf("%s: integration %s has no bundle: set the bundle file it deploys", cfg.Path, in.Key)
	}
	matches, err := filepath.Glob(filepath.Join(cfg.Dir, in.Bundle))
	if err != nil || len(matches) != 1 {
		return "", fmt.Errorf("%s: bundle %q of integration %s must name exactly one file, found %d", cfg.Path, in.Bundle, in.Key, len(matches))
	}
	return matches[0], nil
}

func newRunClient(opts RunOptions, subdomain string, secrets []string) (*Client, error) {
	creds, err := CredentialsFromEnv(opts.getenv)
	if err != nil {
		return nil, err
	}
	stderr := opts.stderr()
	for _, w := range creds.Warnings() {
		fmt.Fprintf(stderr, "zislint: warning: %s\n", w)
	}
	return NewClient(ClientOptions{
		Subdomain:   subdomain,
		BaseURL:     opts.BaseURL,
		Credentials: creds,
		Logf:        func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) },
		OnSecret:    opts.Mask,
		Secrets:     secrets,
	})
}

// desiredConfigs are the environment's configs of an integration, as
// the deploy applies them.
func desiredConfigs(configs []config.ZISConfig) []DesiredConfig {
	var out []DesiredConfig
	for _, c := range configs {
		out = append(out, DesiredConfig{Scope: c.Scope, Config: c.Value})
	}
	return out
}
