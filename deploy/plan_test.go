package deploy

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// memAPI is an API kept in memory, recording the calls made.
type memAPI struct {
	registered bool
	installed  map[string]bool
	conns      []Connection
	calls      []string
	failOn     string // a call that fails once
}

func (m *memAPI) note(call string) error {
	m.calls = append(m.calls, call)
	if call == m.failOn {
		m.failOn = ""
		return errors.New("503 Service Unavailable")
	}
	return nil
}

func (m *memAPI) IntegrationExists(context.Context, string) (bool, error) { return m.registered, nil }
func (m *memAPI) RegisterIntegration(_ context.Context, key, _ string) (*Registration, error) {
	if err := m.note("register " + key); err != nil {
		return nil, err
	}
	if m.registered {
		return nil, ErrExists
	}
	m.registered = true
	return &Registration{Identifier: "zis_" + key, Secret: "s3cr3t-client-secret"}, nil
}
func (m *memAPI) UploadBundle(_ context.Context, key string, _ []byte) error {
	return m.note("upload " + key)
}

// ListBundles lists none: memAPI keeps no bundle, so every plan uploads.
func (m *memAPI) ListBundles(context.Context, string) ([]BundleInfo, error) { return nil, nil }
func (m *memAPI) ShowBundle(context.Context, string, string) ([]byte, error) {
	return nil, errors.New("memAPI lists no bundles")
}
func (m *memAPI) ListJobSpecs(context.Context, string) ([]JobSpec, error) {
	var out []JobSpec
	for _, name := range sortedNames(m.installed) {
		out = append(out, JobSpec{Name: name, Installed: m.installed[name]})
	}
	return out, nil
}
func (m *memAPI) InstallJobSpec(_ context.Context, _, name string) error {
	if err := m.note("install " + name); err != nil {
		return err
	}
	m.installed[name] = true
	return nil
}
func (m *memAPI) UninstallJobSpec(_ context.Context, _, name string) error {
	if err := m.note("uninstall " + name); err != nil {
		return err
	}
	m.installed[name] = false
	return nil
}
func (m *memAPI) ListConnections(context.Context, string) ([]Connection, error) { return m.conns, nil }
func (m *memAPI) CreateConnection(_ context.Context, _ string, d DeclaredConnection) error {
	if err := m.note("create connection " + d.Name); err != nil {
		return err
	}
	m.conns = append(m.conns, Connection{Name: d.Name, Type: d.Type, AllowedDomain: d.AllowedDomain})
	return nil
}

func (m *memAPI) GetConfig(context.Context, string, string) (map[string]any, bool, error) {
	return nil, false, nil
}
func (m *memAPI) CreateConfig(_ context.Context, _, scope string, _ map[string]any) error {
	return m.note("create config " + scope)
}
func (m *memAPI) ReplaceConfig(_ context.Context, _, scope string, _ map[string]any) error {
	return m.note("replace config " + scope)
}

func sortedNames(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func refundTarget(t *testing.T) *Target {
	src, err := os.ReadFile("../testdata/refunds/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := NewTarget("staging", "acme-sandbox", "acme_refunds", src)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestNewTarget(t *testing.T) {
	tg := refundTarget(t)
	if diff := cmp.Diff([]string{"RefundRequestJobSpec"}, tg.JobSpecs); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"zendesk"}, tg.Connections); diff != "" {
		t.Error(diff)
	}
}

func TestFirstDeployStopsForConnections(t *testing.T) {
	api := &memAPI{installed: map[string]bool{}}
	p, err := MakePlan(context.Background(), api, refundTarget(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 1 || p.Steps[0].Action != StepRegister || p.Blocked == "" {
		t.Fatalf("plan = %+v", p)
	}
	out := filepath.Join(t.TempDir(), "registration.json")
	err = Apply(context.Background(), api, p, ApplyOptions{RegistrationOut: out})
	if err == nil || err.Error() != p.Blocked {
		t.Errorf("err = %v", err)
	}
	info, statErr := os.Stat(out)
	if statErr != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("registration file: %v %v", info, statErr)
	}
}

func TestDeployConvergesAndUninstallsRemoved(t *testing.T) {
	api := &memAPI{registered: true, installed: map[string]bool{"OldJobSpec": true}, conns: []Connection{{Name: "zendesk", Type: "oauth"}}}
	tg := refundTarget(t)
	p, err := MakePlan(context.Background(), api, tg)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	p.WriteText(&text)
	want := `Plan for integration acme_refunds in acme-sandbox.zendesk.com (environment staging):
  bundle changes (deployed -> rendered):
    + "CreateZendeskTicket" (ZIS::Action::Http)
    + "GetUserProfile" (ZIS::Action::Http)
    + "InitiateRefund" (ZIS::Action::Http)
    + "RefundRequestFlow" (ZIS::Flow)
    + "RefundRequestJobSpec" (ZIS::JobSpec)
  ~ upload the bundle (1 job spec)
  + install job spec RefundRequestJobSpec (installs do not survive an upload)
  - uninstall job spec OldJobSpec (installed, but no longer in the bundle: it would keep starting its flow)
`
	if diff := cmp.Diff(want, text.String()); diff != "" {
		t.Errorf("plan text (-want +got):\n%s", diff)
	}
	// The install fails once: the run stops, and a new plan converges.
	api.failOn = "install RefundRequestJobSpec"
	if err := Apply(context.Background(), api, p, ApplyOptions{}); err == nil {
		t.Fatal("the failed install was not reported")
	}
	if p.Steps[2].Status != StatusNotRun {
		t.Errorf("steps after the failure: %+v", p.Steps)
	}
	p, _ = MakePlan(context.Background(), api, tg)
	if err := Apply(context.Background(), api, p, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{"OldJobSpec": false, "RefundRequestJobSpec": true}, api.installed); diff != "" {
		t.Errorf("installed (-want +got):\n%s", diff)
	}
}

func TestDisableAndEnable(t *testing.T) {
	api := &memAPI{registered: true, installed: map[string]bool{"RefundRequestJobSpec": true, "Other": false}}
	tg := refundTarget(t)
	p, err := DisablePlan(context.Background(), api, tg)
	if err != nil || Apply(context.Background(), api, p, ApplyOptions{}) != nil {
		t.Fatal(err)
	}
	if api.installed["RefundRequestJobSpec"] {
		t.Error("disable left the job spec installed")
	}
	p, err = EnablePlan(context.Background(), api, tg)
	if err != nil {
		t.Fatal(err)
	}
	if Apply(context.Background(), api, p, ApplyOptions{}) != nil || !api.installed["RefundRequestJobSpec"] {
		t.Error("enable did not install the job spec")
	}
}

// TestDisableBeforeDeploy: disabling an integration the account does
// not have says so instead of passing on the registry's 404.
func TestDisableBeforeDeploy(t *testing.T) {
	api := &memAPI{installed: map[string]bool{}}
	p, err := DisablePlan(context.Background(), api, refundTarget(t))
	want := "integration acme_refunds is not registered in acme-sandbox.zendesk.com, so there is nothing to disable; deploy it first (zislint deploy --env staging)"
	if p != nil || err == nil || err.Error() != want {
		t.Errorf("plan %+v, err %v; want %q", p, err, want)
	}
}

// TestEnableBeforeDeploy: enabling what was never deployed says to
// deploy first, and installs nothing.
func TestEnableBeforeDeploy(t *testing.T) {
	for _, tt := range []struct {
		name string
		api  *memAPI
		want string
	}{
		{"not registered", &memAPI{installed: map[string]bool{}}, "integration acme_refunds is not registered in acme-sandbox.zendesk.com, so there is nothing to enable; deploy it first (zislint deploy --env staging)"},
		{"registered, no bundle", &memAPI{registered: true, installed: map[string]bool{}}, "integration acme_refunds in acme-sandbox.zendesk.com has no job spec RefundRequestJobSpec: its bundle was never uploaded, or has changed since; deploy it first (zislint deploy --env staging)"},
		{"another bundle's job specs", &memAPI{registered: true, installed: map[string]bool{"Other": false}}, "has no job spec RefundRequestJobSpec"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := EnablePlan(context.Background(), tt.api, refundTarget(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
			if p != nil || len(tt.api.calls) != 0 {
				t.Errorf("plan %+v, calls %v; want neither", p, tt.api.calls)
			}
		})
	}
}
