package deploy

import (
	"context"
	"errors"
	"fmt"
)

// runner plans, and applies, one command for the integrations of an
// environment. Its messages start "zislint <cmd>:", as the command
// line's own do, since they are written while the run goes on.
type runner struct {
	cmd     string
	opts    RunOptions
	api     *Client
	changes bool // whether the command changes the account
	revokes []func()
}

// planAll makes, and unless only shown applies, each integration's
// plan. A plan that fails is reported and the others still run.
func (r *runner) planAll(ctx context.Context, e *environmentRun, conns connectionSecrets) ([]*Plan, error) {
	var plans []*Plan
	var failed bool
	for i, run := range e.runs {
		t, err := NewTarget(e.env.Name, e.subdomain, run.key, run.rendered)
		if err != nil {
			return plans, fmt.Errorf("%s: %w", run.path, err)
		}
		t.Declared = conns.declared[i]
		t.Configs = desiredConfigs(e.env.ConfigsFor(run.in))
		// Configs are read with the integration's own token, so a plan
		// that compares them needs one as much as a deploy; it is revoked
		// when the run ends.
		if r.changes || len(t.Configs) > 0 {
			r.revokes = append(r.revokes, r.integrationToken(ctx, run.key))
		}
		// A new integration gets its token once registered: creating its
		// connections takes it.
		afterRegister := func(ctx context.Context) error {
			r.revokes = append(r.revokes, r.integrationToken(ctx, run.key))
			return nil
		}
		p, ok := r.plan(ctx, t, afterRegister)
		if p != nil {
			plans = append(plans, p)
		}
		failed = failed || !ok
	}
	if failed {
		return plans, ErrIntegrationFailed
	}
	return plans, nil
}

// revoke revokes the tokens the run obtained.
func (r *runner) revoke() {
	for _, revoke := range r.revokes {
		revoke()
	}
}

// integrationToken gives the client a ZIS OAuth token of the integration
// when none is set, and returns what revokes it at the end of the run.
// The token only serves where the admin credential is refused, so
// failing to create one is a warning, not the end of the deploy; an
// integration not registered yet has no OAuth client to create it with.
func (r *runner) integrationToken(ctx context.Context, key string) func() {
	stderr := r.opts.stderr()
	revoke, err := r.api.ObtainIntegrationToken(ctx, key)
	if err != nil && !errors.Is(err, ErrNoOAuthClient) {
		fmt.Fprintf(stderr, "zislint %s: warning: %v; continuing without one (set %s to give one)\n", r.cmd, err, EnvOAuthToken)
	}
	return func() {
		if err := revoke(); err != nil {
			fmt.Fprintf(stderr, "zislint %s: %v\n", r.cmd, err)
		}
	}
}

// plan makes the command's plan for one target and, unless it only
// shows plans, applies it. It reports whether that went well.
func (r *runner) plan(ctx context.Context, t *Target, afterRegister func(context.Context) error) (*Plan, bool) {
	stderr := r.opts.stderr()
	var p *Plan
	var err error
	switch r.cmd {
	case "disable":
		p, err = DisablePlan(ctx, r.api, t)
	case "enable":
		p, err = EnablePlan(ctx, r.api, t)
	default:
		p, err = MakePlan(ctx, r.api, t)
	}
	if err != nil {
		fmt.Fprintf(stderr, "zislint %s: reading the account: %v\n", r.cmd, err)
		return nil, false
	}
	if !r.changes {
		return p, true
	}
	if err := Apply(ctx, r.api, p, ApplyOptions{RegistrationOut: r.opts.RegistrationOut, AfterRegister: afterRegister}); err != nil {
		fmt.Fprintf(stderr, "zislint %s: %v\n", r.cmd, err)
		return p, false
	}
	return p, true
}
