package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// ApplyOptions control Apply.
type ApplyOptions struct {
	// RegistrationOut, when set, receives the registration response
	// (with the OAuth client secret) as JSON, mode 0600. The secret is
	// never printed.
	RegistrationOut string
	// AfterRegister, when set, runs once the integration is registered
	// (or found registered) if a later step takes the integration's ZIS
	// OAuth token (connections, configs): the command obtains the token
	// there, as it cannot exist before the registration.
	AfterRegister func(ctx context.Context) error
}

// Apply runs the plan's steps in order and records each one's status.
// It stops at the first failure; the steps not run are marked so, and
// running a new plan later converges, since every step is safe to repeat.
// A plan blocked on missing connections returns an error after its steps.
func Apply(ctx context.Context, api API, p *Plan, opts ApplyOptions) error {
	for i := range p.Steps {
		s := &p.Steps[i]
		err := p.run(ctx, api, s, opts)
		if err != nil {
			s.Status, s.Error = StatusFailed, err.Error()
			for j := i + 1; j < len(p.Steps); j++ {
				p.Steps[j].Status = StatusNotRun
			}
			return fmt.Errorf("%s failed: %w", describe(*s), err)
		}
		if s.Status == "" {
			s.Status = StatusDone
		}
	}
	if p.Blocked != "" {
		return errors.New(p.Blocked)
	}
	return nil
}

func (p *Plan) run(ctx context.Context, api API, s *Step, opts ApplyOptions) error {
	key := p.Integration
	switch s.Action {
	case StepRegister:
		reg, err := api.RegisterIntegration(ctx, key, p.target.Description)
		if errors.Is(err, ErrExists) {
			s.Status = "already registered"
			err = nil
		}
		if err != nil {
			return err
		}
		if err := saveRegistration(opts.RegistrationOut, reg); err != nil {
			return err
		}
		if opts.AfterRegister != nil && p.needsIntegrationToken() {
			return opts.AfterRegister(ctx)
		}
		return nil
	case StepCreateConnection:
		d, ok := p.target.declared(s.Connection)
		if !ok {
			return fmt.Errorf("connection %s is not declared", s.Connection)
		}
		err := api.CreateConnection(ctx, key, d)
		if errors.Is(err, ErrConnectionExists) {
			// Created by an interrupted run, or by someone since the
			// plan: the next plan checks its type and domain.
			s.Status = "already exists"
			return nil
		}
		return err
	case StepAdminConnection:
		s.Status = StatusForAdmin
		return nil
	case StepCreateConfig, StepReplaceConfig:
		return p.applyConfig(ctx, api, s)
	case StepUpload:
		return api.UploadBundle(ctx, key, p.target.Bundle)
	case StepInstall:
		return api.InstallJobSpec(ctx, key, s.JobSpec)
	case StepUninstall:
		return api.UninstallJobSpec(ctx, key, s.JobSpec)
	}
	return fmt.Errorf("unknown step %q", s.Action)
}

// needsIntegrationToken reports whether a step takes the integration's
// ZIS OAuth token.
func (p *Plan) needsIntegrationToken() bool {
	for _, s := range p.Steps {
		switch s.Action {
		case StepCreateConnection, StepCreateConfig, StepReplaceConfig:
			return true
		}
	}
	return false
}

// saveRegistration writes the registration where asked, readable by the
// owner only: it holds the OAuth client secret.
func saveRegistration(path string, reg *Registration) error {
	if path == "" || reg == nil {
		return nil
	}
	data, err := json.MarshalIndent(reg, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("saving the registration: %w", err)
	}
	if err := f.Chmod(0o600); err != nil { // an existing file keeps its mode otherwise
		f.Close()
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// DisablePlan uninstalls every installed job spec of the integration,
// which stops it without deleting anything (the docs recommend it before
// data migrations).
func DisablePlan(ctx context.Context, api API, t *Target) (*Plan, error) {
	if err := mustBeRegistered(ctx, api, t, "disable"); err != nil {
		return nil, err
	}
	p := &Plan{Environment: t.Environment, Subdomain: t.Subdomain, Integration: t.Key, Exists: true, Steps: []Step{}, Changes: []ResourceChange{}, target: t}
	installed, err := installedJobSpecs(ctx, api, t.Key)
	if err != nil {
		return nil, err
	}
	for _, name := range installed {
		p.Steps = append(p.Steps, Step{Action: StepUninstall, JobSpec: name, Reason: "disable the integration"})
	}
	return p, nil
}

// EnablePlan installs the bundle's job specs again. Installing a job
// spec the registry does not have fails with a bare 404, so it first
// checks that the integration is registered and has the bundle's job
// specs, and otherwise says to deploy.
func EnablePlan(ctx context.Context, api API, t *Target) (*Plan, error) {
	if err := mustBeRegistered(ctx, api, t, "enable"); err != nil {
		return nil, err
	}
	missing, err := jobSpecsNotUploaded(ctx, api, t)
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("integration %s in %s.zendesk.com has no job spec%s %s: its bundle was never uploaded, or has changed since; deploy it first (zislint deploy --env %s)",
			t.Key, t.Subdomain, plural(len(missing)), strings.Join(missing, ", "), t.Environment)
	}
	p := &Plan{Environment: t.Environment, Subdomain: t.Subdomain, Integration: t.Key, Exists: true, Steps: []Step{}, Changes: []ResourceChange{}, target: t}
	for _, js := range t.JobSpecs {
		p.Steps = append(p.Steps, Step{Action: StepInstall, JobSpec: js, Reason: "enable the integration"})
	}
	return p, nil
}

// mustBeRegistered says to deploy first when the integration is not
// registered in the account, rather than letting the registry answer the
// command's first request with a bare 404.
func mustBeRegistered(ctx context.Context, api API, t *Target, verb string) error {
	exists, err := api.IntegrationExists(ctx, t.Key)
	if err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("integration %s is not registered in %s.zendesk.com, so there is nothing to %s; deploy it first (zislint deploy --env %s)", t.Key, t.Subdomain, verb, t.Environment)
	}
	return nil
}

// jobSpecsNotUploaded lists the bundle's job specs the registry does not
// have. A 404 on the listing means the integration has none.
func jobSpecsNotUploaded(ctx context.Context, api API, t *Target) ([]string, error) {
	listed, err := api.ListJobSpecs(ctx, t.Key)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		listed, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, js := range listed {
		name, err := ownListedJobSpec(t.Key, js)
		if err != nil {
			return nil, fmt.Errorf("the registry's list of the job specs of integration %s: %w; nothing was changed, as the list cannot be trusted", t.Key, err)
		}
		have[name] = true
	}
	var missing []string
	for _, js := range t.JobSpecs {
		if !have[js] {
			missing = append(missing, js)
		}
	}
	return missing, nil
}
