package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

const shopKey = "sk-live-77c1-SHOP-KEY-never-printed"

// shopConfig is the refunds example's zislint.yaml with an API-key
// connection whose key comes from SHOP_KEY.
const shopConfig = `integrations:
  - key: acme_refunds
    bundle: bundle.json
    connections:
      - {name: zendesk, type: oauth, allowed_domain: "*.zendesk.com"}
      - name: shop
        type: api_key
        allowed_domain: api.shop.example
        header_name: X-Api-Key
        secret_env: SHOP_KEY
environments:
  staging: {subdomain: acme-sandbox, integrations: {acme_refunds: {key: acme_refunds_dev}}}
`

func writeShopConfig(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "zislint.yaml"), []byte(shopConfig), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDeployCreatesConnectionFromSecretEnv(t *testing.T) {
	fake := zistest.New(t)
	dir := deployRepo(t, fake)
	writeShopConfig(t, dir)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	t.Setenv("SHOP_KEY", shopKey)
	common := []string{"--env", "staging", "--base-url", fake.URL(), dir}

	code, planJSON, errOut := deployCLI(t, fake, append([]string{"plan", "--format", "json"}, common...)...)
	if code != 0 || !strings.Contains(planJSON, `"action": "create_connection"`) || !strings.Contains(planJSON, `"connection": "shop"`) {
		t.Fatalf("plan: exit %d\n%s\n%s", code, planJSON, errOut)
	}
	code, out, deployErr := deployCLI(t, fake, append([]string{"deploy"}, common...)...)
	if code != 0 || !strings.Contains(out, "+ create connection shop (api_key to api.shop.example, secret from SHOP_KEY): done") {
		t.Fatalf("deploy: exit %d\n%s\n%s", code, out, deployErr)
	}
	for name, text := range map[string]string{"plan JSON": planJSON, "plan stderr": errOut, "deploy stdout": out, "deploy stderr": deployErr} {
		if strings.Contains(text, shopKey) {
			t.Errorf("the connection's secret was printed in the %s", name)
		}
	}
	ig, _ := fake.Integration("acme_refunds_dev")
	found := false
	for _, c := range ig.Connections {
		found = found || (c.Name == "shop" && c.Secret == shopKey && c.HeaderName == "X-Api-Key")
	}
	if !found {
		t.Errorf("connections %+v; want shop created with the key of SHOP_KEY", ig.Connections)
	}
}

func TestDeployMissingSecretEnvSendsNothing(t *testing.T) {
	fake := zistest.New(t)
	dir := deployRepo(t, fake)
	writeShopConfig(t, dir)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	t.Setenv("SHOP_KEY", "")
	code, out, errOut := deployCLI(t, fake, "deploy", "--env", "staging", "--base-url", fake.URL(), dir)
	want := "zislint.yaml:6:9: connection shop: environment variable SHOP_KEY is not set (or empty); set it to the connection's API key"
	if code != exitUsage || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if calls := fake.Calls(); len(calls) != 0 {
		t.Errorf("%d requests sent before the error; want none", len(calls))
	}
	// A plan (a pull request's, say) needs no secret: it shows the
	// creation and what the deploy will need.
	code, out, errOut = deployCLI(t, fake, "plan", "--env", "staging", "--base-url", fake.URL(), dir)
	if code != 0 || !strings.Contains(out, "+ create connection shop (api_key to api.shop.example, secret from SHOP_KEY, not set here: the deploy needs it)") {
		t.Errorf("plan without the secret: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestActionMasksConnectionSecrets(t *testing.T) {
	fake := zistest.New(t)
	repo := copyRepo(t, "../../testdata/refunds", nil)
	writeShopConfig(t, repo)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	creds := fake.Credentials()
	env := map[string]string{"INPUT_COMMAND": "deploy", "INPUT_ENVIRONMENT": "staging", "ZISLINT_BASE_URL": fake.URL(),
		"ZENDESK_EMAIL": creds.Email, "ZENDESK_API_TOKEN": creds.APIToken, "SHOP_KEY": shopKey}
	res := runActionBinary(t, repo, env)
	if res.code != 0 || !strings.Contains(res.summary, "| create_connection | shop |") {
		t.Fatalf("deploy: exit %d\n%s\n%s\n%s", res.code, res.stdout, res.stderr, res.summary)
	}
	mask, plan := strings.Index(res.stdout, "::add-mask::"+shopKey), strings.Index(res.stdout, "Plan for")
	if mask < 0 || plan < mask {
		t.Errorf("the secret is not masked before the plan prints:\n%s", res.stdout)
	}
	var plans []map[string]any
	if err := json.Unmarshal([]byte(res.outputs["plan"]), &plans); err != nil {
		t.Fatalf("plan output: %v", err)
	}
	for name, text := range map[string]string{"stdout": withoutMasks(res.stdout), "stderr": res.stderr, "summary": res.summary, "plan": res.outputs["plan"]} {
		if strings.Contains(text, shopKey) {
			t.Errorf("the connection's secret was written to %s", name)
		}
	}
}

func TestDeployAppliesConfigs(t *testing.T) {
	fake := zistest.New(t)
	dir := deployRepo(t, fake)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	withConfig := func(threshold string) {
		src, err := os.ReadFile(filepath.Join(dir, "zislint.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		env := "  staging:\n    subdomain: acme-sandbox\n    integrations:\n      acme_refunds:\n        key: acme_refunds_dev\n" +
			"        vars: {host: api.sandbox.example}\n        configs:\n          refund_settings: {endpoint: \"https://{{host}}/refunds\", threshold: " + threshold + "}\n"
		head, _, _ := strings.Cut(string(src), "  staging:")
		if err := os.WriteFile(filepath.Join(dir, "zislint.yaml"), []byte(head+env), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	common := []string{"deploy", "--env", "staging", "--base-url", fake.URL(), dir}
	withConfig("100")
	code, out, errOut := deployCLI(t, fake, common...)
	if code != 0 || !strings.Contains(out, `+ create config refund_settings (keys "endpoint", "threshold"): done`) {
		t.Fatalf("first deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	if got := string(fake.Configs("acme_refunds_dev")["refund_settings"]); got != `{"endpoint":"https://api.sandbox.example/refunds","threshold":100}` {
		t.Errorf("stored config %s", got)
	}
	withConfig("150")
	code, out, errOut = deployCLI(t, fake, common...)
	if code != 0 || !strings.Contains(out, `~ replace config refund_settings (changes keys "threshold"): done`) {
		t.Fatalf("second deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = deployCLI(t, fake, common...)
	if code != 0 || !strings.Contains(out, "= config refund_settings unchanged") || !strings.Contains(out, "no changes") {
		t.Fatalf("third deploy: exit %d\n%s\n%s", code, out, errOut)
	}
}
