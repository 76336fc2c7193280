package deploy

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// Target is what an environment should run: a rendered bundle under an
// integration key in a Zendesk account.
type Target struct {
	Environment string
	Subdomain   string
	Key         string
	Description string
	Name        string   // the bundle's name, which the registry keys bundles by
	Bundle      []byte   // the rendered bundle, as uploaded
	JobSpecs    []string // job spec names of the bundle, sorted
	Connections []string // connections the bundle's actions use, sorted
	// Declared are the connections zislint.yaml declares, with the
	// secrets of those a deploy creates.
	Declared []DeclaredConnection
	// Configs are the configs zislint.yaml declares for the environment.
	Configs []DesiredConfig
}

// NewTarget reads what a deploy needs to know from a rendered bundle.
func NewTarget(env, subdomain, key string, rendered []byte) (*Target, error) {
	b := bundle.Parse("rendered bundle", rendered)
	if b.Syntax != nil {
		return nil, fmt.Errorf("the rendered bundle is not valid JSON: %s", b.Syntax.Msg)
	}
	t := &Target{Environment: env, Subdomain: subdomain, Key: key, Bundle: rendered}
	t.Name, _ = b.Root.Get("name").Str()
	t.Description, _ = b.Root.Get("description").Str()
	if t.Description == "" {
		t.Description, _ = b.Root.Get("name").Str()
	}
	conns := map[string]bool{}
	for _, res := range b.Resources {
		switch {
		case res.JobSpec != nil && res.Name != nil:
			name, err := ownJobSpecName(key, res.NameText())
			if err != nil {
				return nil, fmt.Errorf("%s: %w; name the job spec with a bare name", b.Position(int(res.Name.Start)), err)
			}
			t.JobSpecs = append(t.JobSpecs, name)
		case res.Action != nil:
			if c, ok := res.Action.Definition.Get("connectionName").Str(); ok && c != "" {
				conns[c] = true
			}
		}
	}
	sort.Strings(t.JobSpecs)
	for c := range conns {
		t.Connections = append(t.Connections, c)
	}
	sort.Strings(t.Connections)
	return t, nil
}

// Step kinds.
const (
	StepRegister  = "register"
	StepUpload    = "upload"
	StepInstall   = "install"
	StepUninstall = "uninstall"
)

// Step statuses after Apply.
const (
	StatusDone   = "done"
	StatusFailed = "failed"
	StatusNotRun = "not run"
)

// Step is one change to the account.
type Step struct {
	Action  string `json:"action"`
	JobSpec string `json:"job_spec,omitempty"`
	// Connection names the connection of a connection step.
	Connection string `json:"connection,omitempty"`
	// Config names the scope of a config step.
	Config string `json:"config,omitempty"`
	Reason string `json:"reason"`
	Status string `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Plan is the list of steps that brings the account to the target. Its
// JSON form is shown on pull requests and read by tools.
type Plan struct {
	Environment string `json:"environment"`
	Subdomain   string `json:"subdomain"`
	Integration string `json:"integration"`
	Exists      bool   `json:"integration_exists"`
	Steps       []Step `json:"steps"`
	// Blocked says why the deploy cannot finish yet (connections to
	// create); the steps before that point still run.
	Blocked            string   `json:"blocked,omitempty"`
	MissingConnections []string `json:"missing_connections,omitempty"`
	// ConflictingConnections say which connections of the account differ
	// from the declared ones in what ZIS cannot change.
	ConflictingConnections []string `json:"conflicting_connections,omitempty"`
	// Configs say what the plan does to each declared config.
	Configs []ConfigChange `json:"configs,omitempty"`
	// Deployed says what the plan knows of the deployed bundle (see the
	// Content constants); DeployedNote says why it is unknown.
	Deployed       string `json:"deployed_content,omitempty"` // absent for disable and enable
	DeployedNote   string `json:"deployed_content_note,omitempty"`
	DeployedBundle string `json:"deployed_bundle_uuid,omitempty"`
	// Changes is how the rendered bundle differs from the deployed one;
	// empty when they are the same or the deployed one is unknown.
	Changes []ResourceChange `json:"changes"`
	// ChangesOmitted counts the resource, state and field changes left out of
	// Changes, past the most a plan lists.
	ChangesOmitted int `json:"changes_omitted,omitempty"`
	target         *Target
}

// What a plan knows of the deployed bundle, in Plan.Deployed.
const (
	ContentNone      = "none"      // no bundle is deployed (or not registered)
	ContentUnchanged = "unchanged" // the deployed bundle is the rendered one
	ContentChanged   = "changed"   // it differs: see Changes
	ContentUnknown   = "unknown"   // it could not be read: see DeployedNote
)

// HasChanges reports whether applying the plan would change the account
// or cannot finish (blocked).
func (p *Plan) HasChanges() bool { return len(p.Steps) > 0 || p.Blocked != "" }

// MakePlan compares the account with the target. It reads the account
// and changes nothing.
func MakePlan(ctx context.Context, api API, t *Target) (*Plan, error) {
	p := &Plan{Environment: t.Environment, Subdomain: t.Subdomain, Integration: t.Key, Steps: []Step{}, Changes: []ResourceChange{}, target: t}
	var err error
	if p.Exists, err = api.IntegrationExists(ctx, t.Key); err != nil {
		return nil, err
	}
	if !p.Exists {
		p.compare(nil)
		p.Steps = append(p.Steps, Step{Action: StepRegister, Reason: "the integration is not registered in this account"})
		p.planConnections(nil)
		if err := p.planConfigs(ctx, api); err != nil {
			return nil, err
		}
		if missing := p.usedNotCreated(nil); len(missing) > 0 {
			// A new integration has no connections yet: an admin creates
			// those the deploy cannot once it is registered.
			p.block(missing)
			return p, nil
		}
		return p.withBundle(nil), nil
	}
	// Read first, so a plan blocked on connections still shows what the
	// merge would change.
	if err := p.readDeployed(ctx, api); err != nil {
		return nil, err
	}
	have, err := api.ListConnections(ctx, t.Key)
	if err != nil {
		return nil, err
	}
	if !p.planConnections(have) {
		return p, nil
	}
	if err := p.planConfigs(ctx, api); err != nil {
		return nil, err
	}
	if missing := p.usedNotCreated(have); len(missing) > 0 {
		p.block(missing)
		return p, nil
	}
	installed, err := installedJobSpecs(ctx, api, t.Key)
	if err != nil {
		return nil, err
	}
	return p.withBundle(installed), nil
}

// installedJobSpecs lists the bare names of the integration's installed
// job specs. A listing that holds a job spec of another integration is
// refused whole: it is hostile or broken, and a plan made from it could
// uninstall what is not the integration's own.
func installedJobSpecs(ctx context.Context, api API, key string) ([]string, error) {
	listed, err := api.ListJobSpecs(ctx, key)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, js := range listed {
		name, err := ownListedJobSpec(key, js)
		if err != nil {
			return nil, fmt.Errorf("the registry's list of the job specs of integration %s: %w; nothing was planned or changed, as the list cannot be trusted", key, err)
		}
		if js.Installed {
			names = append(names, name)
		}
	}
	return names, nil
}

func (p *Plan) block(missing []string) {
	p.MissingConnections = missing
	p.Blocked = fmt.Sprintf("the bundle's actions use connection%s %s, which integration %s does not have in %s yet; create %s (an admin does, for example from the integration's Zendesk app), then deploy again",
		plural(len(missing)), strings.Join(missing, ", "), p.Integration, p.Subdomain, pronoun(len(missing)))
}

// withBundle adds the upload and the installs (an upload leaves earlier
// installs orphaned, so every job spec is installed again) unless the
// deployed bundle is the rendered one, in which case only the job specs
// not installed are; then the uninstalls of job specs that left the
// bundle.
func (p *Plan) withBundle(installed []string) *Plan {
	t := p.target
	isInstalled := map[string]bool{}
	for _, name := range installed {
		isInstalled[name] = true
	}
	if p.Deployed == ContentUnchanged {
		for _, js := range t.JobSpecs {
			if !isInstalled[js] {
				p.Steps = append(p.Steps, Step{Action: StepInstall, JobSpec: js, Reason: "in the deployed bundle, but not installed"})
			}
		}
	} else {
		p.Steps = append(p.Steps, Step{Action: StepUpload, Reason: p.uploadReason()})
		for _, js := range t.JobSpecs {
			p.Steps = append(p.Steps, Step{Action: StepInstall, JobSpec: js, Reason: "installs do not survive an upload"})
		}
	}
	wanted := map[string]bool{}
	for _, js := range t.JobSpecs {
		wanted[js] = true
	}
	for _, name := range installed {
		if !wanted[name] {
			p.Steps = append(p.Steps, Step{Action: StepUninstall, JobSpec: name, Reason: "installed, but no longer in the bundle: it would keep starting its flow"})
		}
	}
	return p
}

func (p *Plan) uploadReason() string {
	n := len(p.target.JobSpecs)
	reason := fmt.Sprintf("upload the bundle (%d job spec%s)", n, plural(n))
	if p.Deployed == ContentUnknown {
		reason += " (deployed content unknown: " + p.DeployedNote + ")"
	}
	return reason
}

func missingConnections(used []string, have []Connection) []string {
	exists := map[string]bool{}
	for _, c := range have {
		exists[c.Name] = true
	}
	var out []string
	for _, u := range used {
		if !exists[u] {
			out = append(out, u)
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// WriteText prints the plan for people: one line a step, + for what is
// added, ~ for the upload, - for what is removed, and the outcome of
// each step once applied.
func (p *Plan) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Plan for integration %s in %s.zendesk.com (environment %s):\n", p.Integration, p.Subdomain, p.Environment)
	if len(p.Steps) == 0 {
		fmt.Fprintln(w, "  no changes")
	}
	p.writeChanges(w)
	for _, c := range p.Configs {
		if c.Change == ConfigUnchanged {
			fmt.Fprintf(w, "  = config %s unchanged\n", c.Scope)
		}
	}
	for _, s := range p.Steps {
		fmt.Fprintf(w, "  %s %s%s\n", sign(s.Action), describe(s), outcome(s))
	}
	if p.Blocked != "" {
		fmt.Fprintf(w, "  ! blocked: %s\n", p.Blocked)
	}
}

func sign(action string) string {
	switch action {
	case StepAdminConnection:
		return "!"
	case StepUninstall:
		return "-"
	case StepUpload, StepReplaceConfig:
		return "~"
	}
	return "+"
}

func describe(s Step) string {
	switch s.Action {
	case StepRegister:
		return "register the integration (" + s.Reason + ")"
	case StepUpload:
		return s.Reason
	case StepCreateConnection:
		return "create connection " + s.Connection + " (" + s.Reason + ")"
	case StepAdminConnection:
		return "for an admin: create OAuth connection " + s.Connection + " (" + s.Reason + ")"
	case StepCreateConfig:
		return "create config " + s.Config + " (" + s.Reason + ")"
	case StepReplaceConfig:
		return "replace config " + s.Config + " (" + s.Reason + ")"
	}
	return s.Action + " job spec " + s.JobSpec + " (" + s.Reason + ")"
}

func outcome(s Step) string {
	switch s.Status {
	case "":
		return ""
	case StatusFailed:
		return ": failed: " + s.Error
	}
	return ": " + s.Status
}
