package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

// TestDeployEverythingWithClientCredentialsOnly is issue 13's whole
// promise in one run: with only an OAuth client's credentials, a deploy
// of a new integration registers it, creates its API-key connection from
// a secret in the environment and its config, uploads and installs; the
// next plan has no changes; and no secret is ever printed.
func TestDeployEverythingWithClientCredentialsOnly(t *testing.T) {
	fake := zistest.New(t)
	dir := oauthRepo(t, fake)
	cfg := strings.Replace(shopConfig,
		"integrations: {acme_refunds: {key: acme_refunds_dev}}",
		"integrations: {acme_refunds: {key: acme_refunds_dev, configs: {refund_settings: {threshold: 100}}}}", 1)
	if cfg == shopConfig {
		t.Fatal("the config did not change; update the test to the shop config's layout")
	}
	if err := os.WriteFile(filepath.Join(dir, "zislint.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHOP_KEY", shopKey)
	common := []string{"--env", "staging", "--base-url", fake.URL(), dir}
	outputs := map[string]string{}

	// The bundle uses the zendesk OAuth connection, which only an admin
	// can create: the first deploy registers the integration, creates
	// what it can (the API-key connection, the config) and stops before
	// the upload.
	code, out, errOut := runCLI(t, append([]string{"deploy"}, common...)...)
	outputs["first deploy"] = out + errOut
	for _, want := range []string{"+ register the integration", "create connection shop", "create config refund_settings"} {
		if code != 1 || !strings.Contains(out, want) {
			t.Fatalf("first deploy: exit %d, want %q\n%s\n%s", code, want, out, errOut)
		}
	}
	if c := fake.Counters(); c.Uploads != 0 {
		t.Errorf("the first deploy uploaded without the OAuth connection: %+v", c)
	}
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})

	code, out, errOut = runCLI(t, append([]string{"deploy"}, common...)...)
	outputs["second deploy"] = out + errOut
	for _, want := range []string{"upload the bundle (1 job spec): done", "install job spec RefundRequestJobSpec (installs do not survive an upload): done"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("second deploy: exit %d, want %q\n%s\n%s", code, want, out, errOut)
		}
	}
	ig, _ := fake.Integration("acme_refunds_dev")
	if !installed(ig, "RefundRequestJobSpec") || fake.Configs("acme_refunds_dev")["refund_settings"] == nil {
		t.Errorf("integration %+v, configs %v; want installed and the config stored", ig, fake.Configs("acme_refunds_dev"))
	}

	code, out, errOut = runCLI(t, append([]string{"plan", "--detailed-exitcode"}, common...)...)
	outputs["plan after"] = out + errOut
	if code != 0 || !strings.Contains(out, "no changes") {
		t.Errorf("plan after the deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	checkNoOAuthSecrets(t, fake, outputs)
	for name, text := range outputs {
		if strings.Contains(text, shopKey) {
			t.Errorf("the connection's secret was printed in the %s", name)
		}
	}
	for _, call := range fake.Calls() {
		if call.Auth == zistest.AuthBasic {
			t.Errorf("%s %s used the API token, which this run does not have", call.Method, call.Path)
		}
	}
}
