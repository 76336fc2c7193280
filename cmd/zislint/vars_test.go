package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

const (
	productionRefundURL = "https://refunds.acme-store.example/api/v1"
	stagingRefundURL    = "https://staging.refunds.example.com/api"
)

// variableRefunds is the refund example with the refund API's address
// taken from a {{refund_url}} variable that both environments define, as
// README's Environments section shows.
func variableRefunds(t *testing.T) string {
	t.Helper()
	dir := copyRefunds(t)
	editFile(t, filepath.Join(dir, "bundle.json"), `"url": "`+productionRefundURL+`/refunds"`, `"url": "{{refund_url}}/refunds"`)
	cfg := "integrations:\n  - key: acme_refunds\n    bundle: bundle.json\n    connections:\n" +
		"      - {name: zendesk, type: oauth, allowed_domain: \"*.zendesk.com\"}\n" +
		"environments:\n" +
		"  staging: {subdomain: acme-sandbox, integrations: {acme_refunds: {key: acme_refunds_dev, vars: {refund_url: \"" + stagingRefundURL + "\"}}}}\n" +
		"  production: {subdomain: acme, integrations: {acme_refunds: {vars: {refund_url: \"" + productionRefundURL + "\"}}}}\n"
	if err := os.WriteFile(filepath.Join(dir, "zislint.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// setFixtureVars appends vars: to every fixture of dir.
func setFixtureVars(t *testing.T, dir, vars string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "tests", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s: %v", dir, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, append(src, []byte("vars: "+vars+"\n")...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A variable some environment defines is valid in the bundle as written:
// lint passes, and so does the lint a deploy runs first.
func TestLintAcceptsVariablesAnEnvironmentDefines(t *testing.T) {
	dir := variableRefunds(t)
	if code, out, errOut := runCLI(t, "lint", dir); code != 0 {
		t.Errorf("lint: exit %d\n%s%s", code, out, errOut)
	}
	editFile(t, filepath.Join(dir, "zislint.yaml"), "vars: {refund_url: \""+productionRefundURL+"\"}", "vars: {}")
	editFile(t, filepath.Join(dir, "zislint.yaml"), "vars: {refund_url: \""+stagingRefundURL+"\"}", "vars: {}")
	code, out, _ := runCLI(t, "lint", dir)
	want := "variable {{refund_url}} has no value in any environment of " + filepath.Join(dir, "zislint.yaml") + " (production, staging)"
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("lint with the variable defined nowhere: exit %d, want 1 and %q in\n%s", code, want, out)
	}
}

// test --env renders the bundle with the environment's values: the
// production value reproduces the goldens, the staging one shows in the
// diff of the request's url.
func TestTestEnvFillsVariables(t *testing.T) {
	dir := variableRefunds(t)
	if code, out, errOut := runCLI(t, "test", "--env", "production", dir); code != 0 {
		t.Fatalf("test --env production: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ := runCLI(t, "test", "--env", "staging", "-run", "refund_100_basic", dir)
	if code != 1 || !strings.Contains(out, `got "`+stagingRefundURL+`/refunds"`) {
		t.Errorf("test --env staging: exit %d, want 1 with the staging url in the diff:\n%s", code, out)
	}
	code, _, errOut := runCLI(t, "test", "--env", "prod", dir)
	if code != 2 || !strings.Contains(errOut, `has no environment "prod"; its environments are [production staging]`) {
		t.Errorf("test --env prod: exit %d\n%s", code, errOut)
	}
}

// Without a value, each fixture fails with the variable named and both
// ways to give it one.
func TestTestNamesAVariableWithoutValue(t *testing.T) {
	dir := variableRefunds(t)
	code, out, _ := runCLI(t, "test", "-run", "refund_100_basic", dir)
	want := filepath.Join(dir, "tests", "refund_100_basic.yaml") + ":1: " + filepath.Join(dir, "bundle.json") +
		" uses {{refund_url}}, which has no value for this run; set it under vars: in the fixture, or run with --env NAME"
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d, want 1 and %q in\n%s", code, want, out)
	}
}

// A fixture's vars: make its golden independent of the environments and
// win over --env; a name the bundle does not use is pointed at.
func TestFixtureVars(t *testing.T) {
	dir := variableRefunds(t)
	setFixtureVars(t, dir, `{refund_url: "`+productionRefundURL+`"}`)
	for _, args := range [][]string{{"test", dir}, {"test", "--env", "staging", dir}} {
		if code, out, errOut := runCLI(t, args...); code != 0 {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	fixture := filepath.Join(dir, "tests", "refund_100_basic.yaml")
	editFile(t, fixture, "vars: {refund_url:", "vars: {refund_uri:")
	code, out, _ := runCLI(t, "test", "-run", "refund_100_basic", dir)
	if want := "vars: refund_uri is no variable of " + filepath.Join(dir, "bundle.json") + "; its variables are refund_url"; code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d, want 1 and %q in\n%s", code, want, out)
	}
}

// simulate --env runs a bundle with variables once; without it, the
// variable is named.
func TestSimulateEnv(t *testing.T) {
	dir := variableRefunds(t)
	event := filepath.Join(t.TempDir(), "event.yaml")
	writeEvent := "activity_event:\n  user_activity: {source: online_order, type: refund_request, profile_id: p1, user_id: 1, properties: {order_id: \"7\", refund_amount: \"50.00\"}}\n"
	if err := os.WriteFile(event, []byte(writeEvent), 0o644); err != nil {
		t.Fatal(err)
	}
	responses := filepath.Join(t.TempDir(), "responses.yaml")
	if err := os.WriteFile(responses, []byte("InitiateRefund:\n  - {status: 201, body: {id: rf_7}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"simulate", "--bundle", filepath.Join(dir, "bundle.json"), "--flow", "RefundRequestFlow", "--event", event, "--responses", responses}
	code, out, errOut := runCLI(t, append(args, "--env", "staging")...)
	if code != 0 || !strings.Contains(out, `"url": "`+stagingRefundURL+`/refunds"`) {
		t.Errorf("simulate --env staging: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, args...)
	if code != 2 || !strings.Contains(errOut, "uses {{refund_url}}, which has no value; run with --env NAME") {
		t.Errorf("simulate without --env: exit %d\n%s", code, errOut)
	}
}

// simulate --fixture fills the variables from the fixture's vars:, and
// from --env for those it leaves out.
func TestSimulateFixtureVars(t *testing.T) {
	dir := variableRefunds(t)
	fixture := filepath.Join(dir, "tests", "refund_100_basic.yaml")
	args := []string{"simulate", "--bundle", filepath.Join(dir, "bundle.json"), "--fixture", fixture}
	code, out, errOut := runCLI(t, append(args, "--env", "staging")...)
	if code != 0 || !strings.Contains(out, `"url": "`+stagingRefundURL+`/refunds"`) {
		t.Errorf("simulate --fixture --env staging: exit %d\n%s%s", code, out, errOut)
	}
	setFixtureVars(t, dir, `{refund_url: "https://fixture.example.com"}`)
	code, out, errOut = runCLI(t, append(args, "--env", "staging")...)
	if code != 0 || !strings.Contains(out, `"url": "https://fixture.example.com/refunds"`) {
		t.Errorf("simulate --fixture with vars: exit %d\n%s%s", code, out, errOut)
	}
}

// graph draws the bundle as written: variables do not stop it.
func TestGraphDrawsBundleWithVariables(t *testing.T) {
	dir := variableRefunds(t)
	code, out, errOut := runCLI(t, "graph", dir)
	if code != 0 || !strings.Contains(out, "InitiateRefund") {
		t.Errorf("graph: exit %d\n%s%s", code, out, errOut)
	}
}

// plan lints the bundle as written and as rendered, then reads the
// account: a variable the environment defines no longer stops it.
func TestPlanWithVariables(t *testing.T) {
	fake := zistest.New(t)
	dir := variableRefunds(t)
	c := fake.Credentials()
	t.Setenv("ZENDESK_EMAIL", c.Email)
	t.Setenv("ZENDESK_API_TOKEN", c.APIToken)
	t.Setenv("ZIS_OAUTH_TOKEN", "")
	code, out, errOut := runCLI(t, "plan", "--env", "staging", "--base-url", fake.URL(), dir)
	if code != 0 || !strings.Contains(out, "Plan for integration acme_refunds_dev") {
		t.Errorf("plan: exit %d\n%s%s", code, out, errOut)
	}
}

// The pull-request check passes on a repository whose bundle uses a
// variable and whose fixtures set it.
func TestActionCheckWithVariables(t *testing.T) {
	dir := variableRefunds(t)
	setFixtureVars(t, dir, `{refund_url: "`+productionRefundURL+`"}`)
	res := runActionBinary(t, dir, map[string]string{"INPUT_COMMAND": "check"})
	if res.code != 0 || res.outputs["errors"] != "0" || res.outputs["tests-failed"] != "0" || res.outputs["tests-passed"] == "0" {
		t.Errorf("check: exit %d, outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.stderr)
	}
}

// With the environment input, check fills the variables the fixtures
// leave open from that environment.
func TestActionCheckEnvironmentFillsVariables(t *testing.T) {
	dir := variableRefunds(t)
	res := runActionBinary(t, dir, map[string]string{"INPUT_COMMAND": "check", "INPUT_ENVIRONMENT": "production"})
	if res.code != 0 || res.outputs["tests-failed"] != "0" || res.outputs["tests-passed"] == "0" {
		t.Errorf("check: exit %d, outputs %v\n%s%s", res.code, res.outputs, res.stdout, res.stderr)
	}
}
