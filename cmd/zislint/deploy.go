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
	"syscall"

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
		rendered, err := deploy.RenderEnvironment(f.options(paths, stderr))
		if err != nil {
			fmt.Fprintf(stderr, "zislint %s: %v\n", cmd, err)
			return exitUsage
		}
		for _, b := range rendered {
			stdout.Write(b)
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

// stopSignals end a deploy early: SIGINT from a terminal, SIGTERM from a
// cancelled CI job (which kills the process a few seconds later). Either
// cancels the requests in flight, and the plans are still printed, each
// step with its status (done, failed, not run), so the reader knows what
// the account holds.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// deployEnv runs the command for the environment and maps its outcome
// to an exit status. It returns the plans, with each step's outcome
// once applied.
func deployEnv(cmd string, f deployFlags, paths []string, stderr io.Writer) ([]*deploy.Plan, int) {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	plans, err := deploy.RunEnvironment(ctx, cmd, f.options(paths, stderr))
	var lintErr *lintFailure
	switch {
	case err == nil:
		return plans, exitOK
	case errors.As(err, &lintErr):
		lintErr.write(stderr)
		return plans, exitFindings
	case errors.Is(err, deploy.ErrIntegrationFailed): // already reported
		return plans, exitFindings
	default:
		fmt.Fprintf(stderr, "zislint %s: %v\n", cmd, err)
		return plans, exitUsage
	}
}

// options are the deploy's options for the flags. Credentials and the
// connections' secrets come from the process's environment.
func (f deployFlags) options(paths []string, stderr io.Writer) deploy.RunOptions {
	return deploy.RunOptions{
		Env: f.env, Config: f.config, Paths: paths,
		BaseURL: f.baseURL, Subdomain: f.subdomain,
		DryRun: f.dryRun, RegistrationOut: f.registrationOut,
		Check:  lintBundle,
		Getenv: os.Getenv,
		Mask:   f.mask,
		Stderr: stderr,
	}
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

// lintBundle lints a bundle as written (with its config) and as
// rendered (with the environment's key): no deploy of a bundle with
// errors.
func lintBundle(cfg *config.Config, path string, rendered []byte) error {
	src, err := lint.Run([]string{path}, lint.Options{ConfigPath: cfg.Path})
	if err != nil {
		return err
	}
	name := path + " (rendered)"
	res, err := lint.RunSource(name, rendered, lint.Options{NoConfigSearch: true})
	if err != nil {
		return err
	}
	for _, r := range []*lint.Result{src, res} {
		if r.Count(config.SeverityError) > 0 {
			r.Sources[name] = rendered
			return &lintFailure{path: path, res: r}
		}
	}
	return nil
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
