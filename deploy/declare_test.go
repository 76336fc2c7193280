package deploy

import (
	"strings"
	"testing"

	"github.com/zislint/zislint/config"
)

func TestDeclareReadsSecretsThroughGetenv(t *testing.T) {
	c := &config.Connection{Name: "shop", Type: config.ConnAPIKey, SecretEnv: "SHOP_KEY"}
	env := map[string]string{"SHOP_KEY": "k"}
	d, err := declare(c, func(name string) string { return env[name] }, true)
	if err != nil || d.Secret != "k" || d.From != "SHOP_KEY" || d.Unset {
		t.Fatalf("declare = %+v, %v", d, err)
	}
}

func TestDeclareUnsetSecret(t *testing.T) {
	c := &config.Connection{Name: "shop", Type: config.ConnAPIKey, SecretEnv: "SHOP_KEY"}
	none := func(string) string { return "" }
	// A plan shows the creation without the secret.
	d, err := declare(c, none, false)
	if err != nil || !d.Unset || d.Secret != "" {
		t.Fatalf("not strict: declare = %+v, %v", d, err)
	}
	// A deploy stops before any request.
	_, err = declare(c, none, true)
	if err == nil || !strings.Contains(err.Error(), "environment variable SHOP_KEY is not set") || !strings.Contains(err.Error(), "API key") {
		t.Fatalf("strict: err = %v", err)
	}
}

func TestRunEnvironmentNeedsAConfig(t *testing.T) {
	_, err := RunEnvironment(t.Context(), "plan", RunOptions{Env: "staging", Paths: []string{t.TempDir()}})
	if err == nil || !strings.Contains(err.Error(), "deploys need one with integrations and environments") {
		t.Fatalf("err = %v", err)
	}
}
