package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

func settings(threshold int) DesiredConfig {
	return DesiredConfig{Scope: "refund_settings", Config: map[string]any{"threshold": threshold, "endpoint": "https://api.shop.example/refunds"}}
}

// applyPlan plans and applies, failing the test on an error.
func applyPlan(t *testing.T, api API, tg *Target) *Plan {
	t.Helper()
	p, err := MakePlan(context.Background(), api, tg)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(context.Background(), api, p, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	return p
}

func storedConfig(t *testing.T, fake *zistest.Server, scope string) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(fake.Configs("acme_refunds")[scope], &out); err != nil {
		t.Fatalf("config %s: %v", scope, err)
	}
	return out
}

func TestConfigCreatedReplacedUnchanged(t *testing.T) {
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	fake.SeedConfig("acme_refunds", "other_scope", map[string]any{"keep": "me"})
	client := tokenClient(t, fake)

	tg.Configs = []DesiredConfig{settings(100)}
	first := applyPlan(t, client, tg)
	text := printedPlan(t, first)
	if !strings.Contains(text, `+ create config refund_settings (keys "endpoint", "threshold"): done`) || first.Steps[0].Action != StepCreateConfig {
		t.Errorf("first plan:\n%s", text)
	}
	if got := storedConfig(t, fake, "refund_settings"); got["threshold"] != 100.0 {
		t.Errorf("stored %v", got)
	}

	tg.Configs = []DesiredConfig{settings(150)}
	second := applyPlan(t, client, tg)
	text = printedPlan(t, second)
	if !strings.Contains(text, `~ replace config refund_settings (changes keys "threshold"): done`) ||
		len(second.Configs) != 1 || second.Configs[0].Change != ConfigReplace || strings.Join(second.Configs[0].Keys, ",") != "threshold" {
		t.Errorf("second plan:\n%s", text)
	}
	if got := storedConfig(t, fake, "refund_settings"); got["threshold"] != 150.0 {
		t.Errorf("stored %v", got)
	}

	third := applyPlan(t, client, tg)
	text = printedPlan(t, third)
	if !strings.Contains(text, "= config refund_settings unchanged") || len(third.Steps) != 0 || third.HasChanges() {
		t.Errorf("third plan:\n%s", text)
	}

	// The scope zislint.yaml does not declare was never read or written.
	if got := storedConfig(t, fake, "other_scope"); got["keep"] != "me" {
		t.Errorf("other_scope became %v", got)
	}
	for _, op := range []zistest.Op{zistest.OpListConfigs, zistest.OpCreateConfig, zistest.OpReplaceConfig} {
		for _, c := range fake.CallsFor(op) {
			if strings.Contains(c.Path, "other_scope") || c.Query.Get("filter[scope]") != "refund_settings" && op == zistest.OpListConfigs {
				t.Errorf("%s %s?%s touched an undeclared scope", c.Method, c.Path, c.Query.Encode())
			}
			if c.Auth != zistest.AuthBearer {
				t.Errorf("%s %s sent %s auth; want the ZIS OAuth token", c.Method, c.Path, c.Auth)
			}
		}
	}
}

func TestInterruptedConfigCreateConverges(t *testing.T) {
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	tg.Configs = []DesiredConfig{settings(100)}
	client := tokenClient(t, fake)
	// The config is stored, but the answer never arrives: the create
	// reads the scope, finds it, and replaces it with the same object.
	fake.QueueFaults(zistest.OpCreateConfig, zistest.Fault{Drop: true, AfterProcessing: true})
	p := applyPlan(t, client, tg)
	if p.Steps[0].Status != "replaced (it existed)" {
		t.Errorf("steps %+v", p.Steps)
	}
	if n := len(fake.CallsFor(zistest.OpCreateConfig)); n != 1 {
		t.Errorf("%d creates; want one, never repeated", n)
	}
	again, err := MakePlan(context.Background(), client, tg)
	if err != nil || again.HasChanges() {
		t.Errorf("the next plan: %v %+v", err, again)
	}
}

func TestConfigsNeedTheIntegrationsToken(t *testing.T) {
	fake := zistest.New(t)
	seededTarget(t, fake)
	fake.SeedIntegration("other", "other")
	client := fakeClient(t, fake)
	_, _, err := client.GetConfig(context.Background(), "acme_refunds", "refund_settings")
	if err == nil || !strings.Contains(err.Error(), "ZIS OAuth token") {
		t.Errorf("with the admin credential: %v; want it refused", err)
	}
	if _, err := client.ObtainIntegrationToken(context.Background(), "other"); err != nil {
		t.Fatal(err)
	}
	client.zisTokens.Store("acme_refunds", mustLoadToken(t, client, "other"))
	err = client.CreateConfig(context.Background(), "acme_refunds", "s", map[string]any{"a": 1})
	if err == nil || !strings.Contains(err.Error(), "integration mismatch") || len(fake.Configs("acme_refunds")) != 0 {
		t.Errorf("with another integration's token: %v", err)
	}
}

// newIntegrationTarget is a new integration, acme_new, whose deploy
// creates a connection and a config before its upload.
func newIntegrationTarget(t *testing.T) *Target {
	t.Helper()
	src := []byte(`{"zis_template_version": "2019-10-14", "name": "n", "resources": {
	  "F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}}},
	  "J": {"type": "ZIS::JobSpec", "properties": {"name": "J", "event_source": "support", "event_type": "ticket.TicketCreated", "flow_name": "zis:acme_new:flow:F"}}}}`)
	tg, err := NewTarget("staging", "acme-sandbox", "acme_new", src)
	if err != nil {
		t.Fatal(err)
	}
	tg.Declared = []DeclaredConnection{shopConnection()}
	tg.Configs = []DesiredConfig{settings(100)}
	return tg
}

// deployAsCommand plans and applies as the deploy command does: with the
// integration's ZIS OAuth token when it is registered, else obtained
// once the registration is done. It reports whether the deploy finished.
func deployAsCommand(t *testing.T, client *Client, tg *Target) bool {
	t.Helper()
	ctx := context.Background()
	obtain := func(ctx context.Context) error {
		revoke, err := client.ObtainIntegrationToken(ctx, tg.Key)
		t.Cleanup(func() { revoke() })
		if errors.Is(err, ErrNoOAuthClient) {
			return nil
		}
		return err
	}
	if err := obtain(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := MakePlan(ctx, client, tg)
	if err != nil {
		return false
	}
	return Apply(ctx, client, p, ApplyOptions{AfterRegister: obtain}) == nil
}

type newIntegrationState struct {
	Connections []string
	Configs     map[string]string
	Installed   []string
}

func newIntegrationStateOf(fake *zistest.Server) newIntegrationState {
	st := newIntegrationState{Configs: map[string]string{}}
	ig, _ := fake.Integration("acme_new")
	for _, c := range ig.Connections {
		st.Connections = append(st.Connections, c.Name+"="+c.Secret)
	}
	for _, js := range ig.JobSpecs {
		if js.Installed {
			st.Installed = append(st.Installed, js.Name)
		}
	}
	for scope, raw := range fake.Configs("acme_new") {
		st.Configs[scope] = string(raw)
	}
	return st
}

// TestInterruptedNewIntegrationConverges stops the deploy of a new
// integration at its connection, its config and its upload, refused or
// with the answer lost after the server did the work; the next run ends
// where an undisturbed deploy does, registering once and creating the
// connection and the config once.
func TestInterruptedNewIntegrationConverges(t *testing.T) {
	clean := zistest.New(t)
	if !deployAsCommand(t, fakeClient(t, clean), newIntegrationTarget(t)) {
		t.Fatal("an undisturbed deploy failed")
	}
	want := newIntegrationStateOf(clean)
	if len(want.Connections) != 1 || len(want.Configs) != 1 || len(want.Installed) != 1 {
		t.Fatalf("undisturbed deploy state %+v", want)
	}
	faults := map[string]zistest.Fault{"refused": {Status: 403}, "dropped after it": {Drop: true, AfterProcessing: true}}
	for _, op := range []zistest.Op{zistest.OpCreateConnection, zistest.OpCreateConfig, zistest.OpUpload} {
		for name, fault := range faults {
			t.Run(string(op)+" "+name, func(t *testing.T) {
				fake := zistest.New(t)
				fake.QueueFaults(op, fault)
				client := fakeClient(t, fake)
				if deployAsCommand(t, client, newIntegrationTarget(t)) && fault.Status != 0 {
					t.Fatal("a refused step did not stop the deploy")
				}
				if !deployAsCommand(t, client, newIntegrationTarget(t)) {
					t.Fatal("the second run did not finish")
				}
				if got := newIntegrationStateOf(fake); !reflect.DeepEqual(got, want) {
					t.Errorf("final state %+v, want %+v", got, want)
				}
				c := fake.Counters()
				if c.Registrations != 1 || len(fake.CallsFor(zistest.OpCreateConnection)) > 2 || len(fake.CallsFor(zistest.OpCreateConfig)) > 2 {
					t.Errorf("side effects %+v", c)
				}
			})
		}
	}
}
