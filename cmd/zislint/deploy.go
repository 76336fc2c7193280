package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/deploy"
	"github.com/zislint/zislint/lint"
)

// deployFlags are the flags the deploy commands share.
type deployFlags struct {
	env, config, baseURL, subdomain string
	format, registrationOut         string
	dryRun                          bool
	detailedExitCode                bool
	// mask, when set, receives each secret the client obtains while it
	// runs (the action hides them from the log); not a flag.
	mask func(secret string)
}

func (f *deployFlags) register(fs *flag.FlagSet, cmd string) {
	fs.StringVar(&f.env, "env", "", "environment of zislint.yaml to use (required)")
	fs.StringVar(&f.config, "config", "", "config file to use instead of the zislint.yaml found above PATH")
	fs.StringVar(&f.baseURL, "base-url", "", "API base URL instead of https://<subdomain>.zendesk.com (http only for loopback)")
	fs.StringVar(&f.subdomain, "subdomain", "", "Zendesk subdomain, overriding the environment's")
	switch cmd {
	case "plan":
		fs.StringVar(&f.format, "format", "text", "output format: text or json")
		fs.BoolVar(&f.detailedExitCode, "detailed-exitcode", false, "exit 0 when the plan has no changes and 3 when it has some (1 and 2 keep their meaning)")
	case "deploy":
		fs.BoolVar(&f.dryRun, "dry-run", false, "print the plan and change nothing")
		fs.StringVar(&f.registrationOut, "registration-out", "", "write the registration response, with its OAuth client secret, to this file (mode 0600)")
	}
}

// integrationRun is one integration of the config, rendered for the
// environment.
type integrationRun struct {
	in         *config.Integration
	configPath string // the zislint.yaml it comes from
	path       string
	key        string
	rendered   []byte
}

// runDeploy handles plan, deploy, render, disable and enable.
func runDeploy(cmd string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zislint "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f deployFlags
	f.register(fs, cmd)
	addMaxFileSize(fs)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return exitUsage
	}
	if f.env == "" {
		fmt.Fprintf(stderr, "zislint %s: --env is required: name the environment of zislint.yaml to use\n", cmd)
		return exitUsage
	}
	if f.format != "" && f.format != "text" && f.format != "json" {
		fmt.Fprintf(stderr, "zislint %s: --format %q: use text or json\n", cmd, f.format)
		return exitUsage
	}
	if cmd == "render" {
		runs, _, _, err := prepare(f, paths, false)
		if err != nil {
			fmt.Fprintf(stderr, "zislint %s: %v\n", cmd, err)
			return exitUsage
		}
		for _, r := range runs {
			stdout.Write(r.rendered)
		}
		return exitOK
	}
	plans, code := deployEnv(cmd, f, paths, stderr)
	for _, p := range plans {
		writePlan(stdout, f.format, p)
	}
	if f.detailedExitCode && code == exitOK && anyChanges(plans) {
		return exitChanges
	}
	return code
}

// anyChanges reports whether a plan would change an account or is
// blocked, for --detailed-exitcode.
func anyChanges(plans []*deploy.Plan) bool {
	for _, p := range plans {
		if p.HasChanges() {
			return true
		}
	}
	return false
}

// prepare loads the environment and renders every integration for it;
// with check, it also lints each bundle as written and as rendered.
func prepare(f deployFlags, paths []string, check bool) ([]integrationRun, *config.Environment, string, error) {
	cfg, env, subdomain, err := loadEnvironment(f, paths)
	if err != nil {
		return nil, nil, "", err
	}
	runs, err := renderAll(cfg, env)
	if err != nil {
		return nil, nil, "", err
	}
	if !check {
		return runs, env, subdomain, nil
	}
	return runs, env, subdomain, lintCheck(cfg, runs)
}

// stopSignals end a deploy early: SIGINT from a terminal, SIGTERM from a
// cancelled CI job (which kills the process a few seconds later). Either
// cancels the requests in flight, and the plans are still printed, each
// step with its status (done, failed, not run), so the reader knows what
// the account holds.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// deployEnv makes the command's plan for every integration and, unless
// the command only shows plans, applies it. It returns the plans, with
// each step's outcome once applied, and the exit status.
func deployEnv(cmd string, f deployFlags, paths []string, stderr io.Writer) ([]*deploy.Plan, int) {
	runs, env, subdomain, err := prepare(f, paths, true)
	var lintErr *lintFailure
	switch {
	case errors.As(err, &lintErr):
		lintErr.write(stderr)
		return nil, exitFindings
	case err != nil:
		fmt.Fprintf(stderr, "zislint %s: %v\n", cmd, err)
		return nil, exitUsage
	}
	changes := cmd != "plan" && !f.dryRun
	conns, err := readConnections(runs, os.Getenv, cmd == "deploy" && changes)
	if f.mask != nil {
		for _, s := range conns.secrets {
			if s != "" {
				f.mask(s)
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "zislint %s: %v\n", cmd, err)
		return nil, exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	api, err := newClient(f, subdomain, conns.secrets, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "zislint %s: %v\n", cmd, err)
		return nil, exitUsage
	}
	var plans []*deploy.Plan
	code := exitOK
	var revokes []func()
	defer func() {
		for _, revoke := range revokes {
			revoke()
		}
	}()
	for i, r := range runs {
		t, err := deploy.NewTarget(env.Name, subdomain, r.key, r.rendered)
		if err != nil {
			fmt.Fprintf(stderr, "zislint %s: %s: %v\n", cmd, r.path, err)
			return plans, exitUsage
		}
		t.Declared = conns.declared[i]
		t.Configs = desiredConfigs(env.ConfigsFor(r.in))
		if changes {
			revokes = append(revokes, integrationToken(ctx, cmd, api, r.key, stderr))
		}
		// A new integration gets its token once registered: creating its
		// connections takes it.
		afterRegister := func(ctx context.Context) error {
			revokes = append(revokes, integrationToken(ctx, cmd, api, r.key, stderr))
			return nil
		}
		p, c := runPlan(ctx, cmd, f, api, t, afterRegister, stderr)
		if p != nil {
			plans = append(plans, p)
		}
		code = max(code, c)
	}
	return plans, code
}

func loadEnvironment(f deployFlags, paths []string) (*config.Config, *config.Environment, string, error) {
	path := f.config
	if path == "" {
		start := "."
		if len(paths) > 0 {
			start = paths[0]
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
	env, err := cfg.Environment(f.env)
	if err != nil {
		return nil, nil, "", err
	}
	subdomain := env.Subdomain
	if f.subdomain != "" {
		subdomain = f.subdomain
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
		rendered, err := deploy.Render(b, in.Key, key, env.VarsFor(in))
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

// lintFailure is a bundle with lint errors, which stops a deploy.
type lintFailure struct {
	path string
	res  *lint.Result
}

func (e *lintFailure) Error() string { return e.path + " has lint errors; fix them before deploying" }

func (e *lintFailure) write(w io.Writer) {
	lint.WriteText(w, e.res)
	fmt.Fprintf(w, "zislint: %v\n", e)
}

// lintCheck lints each bundle as written (with its config) and as
// rendered (with the environment's key): no deploy of a bundle with
// errors.
func lintCheck(cfg *config.Config, runs []integrationRun) error {
	for _, r := range runs {
		src, err := lint.Run([]string{r.path}, lint.Options{ConfigPath: cfg.Path})
		if err != nil {
			return err
		}
		name := r.path + " (rendered)"
		rendered, err := lint.RunSource(name, r.rendered, lint.Options{NoConfigSearch: true})
		if err != nil {
			return err
		}
		for _, res := range []*lint.Result{src, rendered} {
			if res.Count(config.SeverityError) > 0 {
				res.Sources[name] = r.rendered
				return &lintFailure{path: r.path, res: res}
			}
		}
	}
	return nil
}

func newClient(f deployFlags, subdomain string, secrets []string, stderr io.Writer) (*deploy.Client, error) {
	creds, err := deploy.CredentialsFromEnv(os.Getenv)
	if err != nil {
		return nil, err
	}
	for _, w := range creds.Warnings() {
		fmt.Fprintf(stderr, "zislint: warning: %s\n", w)
	}
	return deploy.NewClient(deploy.ClientOptions{
		Subdomain:   subdomain,
		BaseURL:     f.baseURL,
		Credentials: creds,
		Logf:        func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) },
		OnSecret:    f.mask,
		Secrets:     secrets,
	})
}

// desiredConfigs are the environment's configs of an integration, as
// the deploy applies them.
func desiredConfigs(configs []config.ZISConfig) []deploy.DesiredConfig {
	var out []deploy.DesiredConfig
	for _, c := range configs {
		out = append(out, deploy.DesiredConfig{Scope: c.Scope, Config: c.Value})
	}
	return out
}

// integrationToken gives the client a ZIS OAuth token of the integration
// when none is set, and returns what revokes it at the end of the run.
// The token only serves where the admin credential is refused, so
// failing to create one is a warning, not the end of the deploy; an
// integration not registered yet has no OAuth client to create it with.
func integrationToken(ctx context.Context, cmd string, api *deploy.Client, key string, stderr io.Writer) func() {
	revoke, err := api.ObtainIntegrationToken(ctx, key)
	if err != nil && !errors.Is(err, deploy.ErrNoOAuthClient) {
		fmt.Fprintf(stderr, "zislint %s: warning: %v; continuing without one (set %s to give one)\n", cmd, err, deploy.EnvOAuthToken)
	}
	return func() {
		if err := revoke(); err != nil {
			fmt.Fprintf(stderr, "zislint %s: %v\n", cmd, err)
		}
	}
}

// runPlan makes the command's plan for one target and, unless it only
// shows plans, applies it.
func runPlan(ctx context.Context, cmd string, f deployFlags, api deploy.API, t *deploy.Target, afterRegister func(context.Context) error, stderr io.Writer) (*deploy.Plan, int) {
	var p *deploy.Plan
	var err error
	switch cmd {
	case "disable":
		p, err = deploy.DisablePlan(ctx, api, t)
	case "enable":
		p, err = deploy.EnablePlan(ctx, api, t)
	default:
		p, err = deploy.MakePlan(ctx, api, t)
	}
	if err != nil {
		fmt.Fprintf(stderr, "zislint %s: reading the account: %v\n", cmd, err)
		return nil, exitFindings
	}
	if cmd == "plan" || f.dryRun {
		return p, exitOK
	}
	if err := deploy.Apply(ctx, api, p, deploy.ApplyOptions{RegistrationOut: f.registrationOut, AfterRegister: afterRegister}); err != nil {
		fmt.Fprintf(stderr, "zislint %s: %v\n", cmd, err)
		return p, exitFindings
	}
	return p, exitOK
}

func writePlan(w io.Writer, format string, p *deploy.Plan) {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(p)
		return
	}
	p.WriteText(w)
}
