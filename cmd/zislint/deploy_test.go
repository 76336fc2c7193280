package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/deploy/zistest"
)

// deployRepo copies the refunds example into a temp dir and points the
// credentials at the fake registry.
func deployRepo(t *testing.T, fake *zistest.Server) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"bundle.json", "zislint.yaml"} {
		src, err := os.ReadFile(filepath.Join("../../testdata/refunds", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := fake.Credentials()
	t.Setenv("ZENDESK_EMAIL", c.Email)
	t.Setenv("ZENDESK_API_TOKEN", c.APIToken)
	t.Setenv("ZIS_OAUTH_TOKEN", "")
	return dir
}

// deployCLI runs a deploy command and checks that no secret of the fake
// registry shows in what it printed.
func deployCLI(t *testing.T, fake *zistest.Server, args ...string) (int, string, string) {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	secrets := []string{fake.Credentials().APIToken, fake.Credentials().BasicHeader()}
	if ig, ok := fake.Integration("acme_refunds_dev"); ok && ig.Secret != "" {
		secrets = append(secrets, ig.Secret)
	}
	for _, s := range secrets {
		if s != "" && (strings.Contains(out, s) || strings.Contains(errOut, s)) {
			t.Fatalf("a secret was printed by %v", args)
		}
	}
	return code, out, errOut
}

func TestDeployAgainstFakeRegistry(t *testing.T) {
	fake := zistest.New(t)
	dir := deployRepo(t, fake)
	common := []string{"--env", "staging", "--base-url", fake.URL(), dir}
	regOut := filepath.Join(t.TempDir(), "registration.json")

	// First deploy: registers, then stops for the zendesk connection.
	code, out, errOut := deployCLI(t, fake, append([]string{"deploy", "--registration-out", regOut}, common...)...)
	if code != 1 || !strings.Contains(out, "+ register the integration") || !strings.Contains(errOut, "connection zendesk") {
		t.Fatalf("first deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	ig, ok := fake.Integration("acme_refunds_dev")
	if !ok || ig.Secret == "" {
		t.Fatal("the integration was not registered under the environment's key")
	}
	saved, err := os.ReadFile(regOut)
	info, _ := os.Stat(regOut)
	if err != nil || !strings.Contains(string(saved), ig.Secret) || info.Mode().Perm() != 0o600 {
		t.Errorf("registration file: %v, mode %v", err, info.Mode())
	}

	// The admin creates the connection; the next deploy uploads and installs.
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	code, out, errOut = deployCLI(t, fake, append([]string{"deploy"}, common...)...)
	if code != 0 {
		t.Fatalf("second deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	ig, _ = fake.Integration("acme_refunds_dev")
	if !strings.Contains(string(ig.Bundle), "zis:acme_refunds_dev:flow:RefundRequestFlow") || !installed(ig, "RefundRequestJobSpec") {
		t.Fatalf("after deploy: bundle rendered? job specs %+v", ig.JobSpecs)
	}

	// A job spec that left the bundle is uninstalled, and one that lost
	// its install (uninstalled by hand, say) is installed again, without
	// an upload; an install that fails stops the run, and the next run
	// converges.
	fake.SeedJobSpec("acme_refunds_dev", zistest.JobSpec{Name: "OldJobSpec", EventSource: "support", EventType: "ticket.TicketCreated", FlowName: "zis:acme_refunds_dev:flow:Old", Installed: true})
	fake.SeedJobSpec("acme_refunds_dev", zistest.JobSpec{Name: "RefundRequestJobSpec", EventSource: "sunshine", EventType: "activity.UserActivityCreated", FlowName: "zis:acme_refunds_dev:flow:RefundRequestFlow", InBundle: true})
	code, out, _ = deployCLI(t, fake, append([]string{"plan"}, common...)...)
	if code != 0 || !strings.Contains(out, "- uninstall job spec OldJobSpec") || strings.Contains(out, "upload") {
		t.Fatalf("plan: exit %d\n%s", code, out)
	}
	fake.QueueFaults(zistest.OpInstall, zistest.Fault{Status: 403})
	if code, out, _ = deployCLI(t, fake, append([]string{"deploy"}, common...)...); code != 1 || !strings.Contains(out, "not run") {
		t.Fatalf("deploy with a failing install: exit %d\n%s", code, out)
	}
	before := fake.Counters()
	if code, out, errOut = deployCLI(t, fake, append([]string{"deploy"}, common...)...); code != 0 {
		t.Fatalf("re-run: exit %d\n%s\n%s", code, out, errOut)
	}
	ig, _ = fake.Integration("acme_refunds_dev")
	if installed(ig, "OldJobSpec") || !installed(ig, "RefundRequestJobSpec") {
		t.Errorf("did not converge: %+v", ig.JobSpecs)
	}
	// The bundle was deployed already: neither run uploads it again.
	if after := fake.Counters(); after.Registrations != before.Registrations || after.Uploads != before.Uploads {
		t.Errorf("side effects: before %+v, after %+v", before, after)
	}

	// disable and enable.
	if code, _, _ := deployCLI(t, fake, append([]string{"disable"}, common...)...); code != 0 {
		t.Fatal("disable failed")
	}
	if ig, _ = fake.Integration("acme_refunds_dev"); installed(ig, "RefundRequestJobSpec") {
		t.Error("disable left the job spec installed")
	}
	if code, _, _ := deployCLI(t, fake, append([]string{"enable"}, common...)...); code != 0 {
		t.Fatal("enable failed")
	}
	if ig, _ = fake.Integration("acme_refunds_dev"); !installed(ig, "RefundRequestJobSpec") {
		t.Error("enable did not install the job spec")
	}
}

func installed(ig zistest.Integration, name string) bool {
	for _, js := range ig.JobSpecs {
		if js.Name == name {
			return js.Installed
		}
	}
	return false
}

func TestDeployUsageErrors(t *testing.T) {
	t.Setenv("ZENDESK_EMAIL", "")
	t.Setenv("ZENDESK_API_TOKEN", "")
	t.Setenv("ZIS_OAUTH_TOKEN", "")
	tests := [][]string{
		{"deploy", "../../testdata/refunds"},                                                       // no --env
		{"plan", "--env", "qa", "../../testdata/refunds"},                                          // unknown environment
		{"plan", "--env", "staging", "../../testdata/refunds"},                                     // no credentials
		{"plan", "--env", "staging", "--base-url", "http://example.com", "../../testdata/refunds"}, // http off loopback
	}
	for _, args := range tests {
		if code, _, errOut := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errOut)
		}
	}
}

func TestRenderCommand(t *testing.T) {
	code, out, _ := runCLI(t, "render", "--env", "staging", "../../testdata/refunds")
	if code != 0 || !strings.Contains(out, `"zis:acme_refunds_dev:action:InitiateRefund"`) || strings.Contains(out, "zis:acme_refunds:") {
		t.Errorf("render: exit %d\n%s", code, out)
	}
}

// plan --detailed-exitcode: 0 once the account matches the bundle, 3
// when the bundle changed; the JSON plan lists the changes.
func TestPlanDetailedExitCode(t *testing.T) {
	fake := zistest.New(t)
	dir := deployRepo(t, fake)
	fake.SeedIntegration("acme_refunds_dev", "")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	common := []string{"--env", "staging", "--base-url", fake.URL(), dir}
	plan := append([]string{"plan", "--detailed-exitcode"}, common...)
	if code, out, errOut := deployCLI(t, fake, plan...); code != exitChanges {
		t.Fatalf("plan before the first deploy: exit %d, want %d\n%s\n%s", code, exitChanges, out, errOut)
	}
	if code, out, errOut := deployCLI(t, fake, append([]string{"deploy"}, common...)...); code != 0 {
		t.Fatalf("deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := deployCLI(t, fake, plan...)
	if code != exitOK || !strings.Contains(out, "no changes") {
		t.Fatalf("plan after the deploy: exit %d, want 0 and no changes\n%s\n%s", code, out, errOut)
	}

	path := filepath.Join(dir, "bundle.json")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), `"refund_request"`, `"refund_requested"`, 1)
	if edited == string(src) {
		t.Fatal("the edit did not apply")
	}
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = deployCLI(t, fake, append(plan, "--format", "json")...)
	if code != exitChanges {
		t.Fatalf("plan of an edited bundle: exit %d, want %d\n%s\n%s", code, exitChanges, out, errOut)
	}
	var got struct {
		Deployed string `json:"deployed_content"`
		Changes  []struct {
			Resource string
			States   []struct{ State, Change string }
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Deployed != "changed" || len(got.Changes) != 1 || got.Changes[0].Resource != "RefundRequestFlow" ||
		len(got.Changes[0].States) != 1 || got.Changes[0].States[0].State != "CheckEventSourceAndType" {
		t.Errorf("changes %+v, want the one state of RefundRequestFlow", got)
	}
	// Without the flag, a plan with changes exits 0 as before.
	if code, _, _ := deployCLI(t, fake, append([]string{"plan"}, common...)...); code != exitOK {
		t.Errorf("plan without --detailed-exitcode: exit %d, want 0", code)
	}
}

// The README's example of a plan's changes is what the command prints
// when the deployed bundle holds a hard-coded key, an action and a Pass
// state that the rendered one dropped, and a lower refund threshold.
func TestReadmePlanExampleIsTheCommandOutput(t *testing.T) {
	fake := zistest.New(t)
	dir := deployRepo(t, fake)
	fake.SeedIntegration("acme_refunds_dev", "")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	common := []string{"--env", "staging", "--base-url", fake.URL(), dir}
	if code, out, errOut := deployCLI(t, fake, append([]string{"deploy"}, common...)...); code != 0 {
		t.Fatalf("deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	ig, _ := fake.Integration("acme_refunds_dev")
	var deployed map[string]any
	if err := json.Unmarshal(ig.Bundle, &deployed); err != nil {
		t.Fatal(err)
	}
	res := object(t, deployed, "resources")
	object(t, res, "InitiateRefund", "properties", "definition")["headers"] = []any{map[string]any{"key": "X-Api-Key", "value": "4f1e9c0d7b2a"}}
	res["LegacyWebhook"] = map[string]any{"type": "ZIS::Action::Http", "properties": map[string]any{
		"name": "LegacyWebhook", "definition": map[string]any{"method": "POST", "url": "https://hooks.acme-store.example/refunds"},
	}}
	object(t, res, "RefundRequestFlow", "properties", "definition", "States")["Finish"] = map[string]any{"Type": "Pass", "End": true}
	data, err := json.Marshal(deployed)
	if err != nil {
		t.Fatal(err)
	}
	fake.SeedBundle("acme_refunds_dev", data)
	fake.SeedInstalled("acme_refunds_dev", "RefundRequestJobSpec")
	path := filepath.Join(dir, "bundle.json")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), `"NumericLessThanEquals": 100`, `"NumericLessThanEquals": 150`, 1)
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := deployCLI(t, fake, append([]string{"plan", "--detailed-exitcode"}, common...)...)
	if code != exitChanges || strings.Contains(out, "4f1e9c0d7b2a") {
		t.Fatalf("plan: exit %d, want %d and the key redacted\n%s\n%s", code, exitChanges, out, errOut)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "<!-- zislint plan of an edited testdata/refunds: kept equal to the command's output by cmd/zislint/deploy_test.go -->\n```text\n"
	_, after, ok := strings.Cut(string(readme), marker)
	if !ok {
		t.Fatal("README.md lacks the plan example after its marker")
	}
	shown, _, _ := strings.Cut(after, "```\n")
	if diff := cmp.Diff(out, shown); diff != "" {
		t.Errorf("README.md's plan example differs from the command's output (-command +README); paste the command's output:\n%s", diff)
	}
}

// object walks obj down the keys, failing the test on a missing one.
func object(t *testing.T, obj map[string]any, keys ...string) map[string]any {
	t.Helper()
	for _, k := range keys {
		next, ok := obj[k].(map[string]any)
		if !ok {
			t.Fatalf("no object %q on the way to %v", k, keys)
		}
		obj = next
	}
	return obj
}
