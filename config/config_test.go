package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

func TestParse(t *testing.T) {
	src := `integrations:
  - key: acme_refunds
    bundle: integrations/refunds/bundle.json
    connections:
      - {name: zendesk, type: oauth, allowed_domain: "*.zendesk.com"}
      - name: shop
        type: api_key
        header_name: X-Shop-Key
        allowed_domain: api.shop.example
rules:
  ZIS104: warning
  unreachable_state: off
`
	c, err := Parse("zislint.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path: "zislint.yaml", Dir: ".",
		Integrations: []*Integration{{
			Key: "acme_refunds", Bundle: "integrations/refunds/bundle.json", Pos: Pos{2, 5}, BundlePos: Pos{3, 13},
			Connections: []*Connection{
				{Name: "zendesk", Type: "oauth", AllowedDomain: "*.zendesk.com", Pos: Pos{5, 9}},
				{Name: "shop", Type: "api_key", HeaderName: "X-Shop-Key", AllowedDomain: "api.shop.example", Pos: Pos{6, 9}},
			},
		}},
		Rules: []RuleSetting{
			{Rule: "ZIS104", Severity: SeverityWarning, Pos: Pos{11, 3}},
			{Rule: "unreachable_state", Severity: SeverityOff, Pos: Pos{12, 3}},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown top key", "integration:\n  - key: a\n", []string{
			`x.yaml:1:1: unknown key "integration" in the config; known keys are: environments, exclude, ignore, integrations, rules`}},
		{"unknown integration key", "integrations:\n  - key: a\n    bundel: b.json\n", []string{
			`x.yaml:3:5: unknown key "bundel" in an integration; known keys are: bundle, connections, key, tests`}},
		{"bad key", "integrations:\n  - key: Acme\n", []string{
			`x.yaml:2:10: integration key "Acme" must be lower case (a-z, 0-9, '_' and '-'); try "acme"`}},
		{"missing key", "integrations:\n  - bundle: b.json\n", []string{
			`x.yaml:2:5: integration has no "key:"; set it to the integration key registered with ZIS`}},
		{"bad severity", "rules:\n  ZIS101: fatal\n", []string{
			`x.yaml:2:11: rule ZIS101: severity "fatal" is not one of off, info, warning, error`}},
		{"not a list", "integrations: {key: a}\n", []string{
			`x.yaml:1:15: integrations must be a list`}},
		{"several without bundle", "integrations:\n  - key: a\n  - key: b\n    bundle: b.json\n", []string{
			`x.yaml:2:5: integration "a" needs "bundle:" (the bundle file or glob it applies to) when there are several integrations`}},
		{"duplicate integration", "integrations:\n  - {key: a, bundle: x.json}\n  - {key: a, bundle: y.json}\n", []string{
			`x.yaml:3:5: integration "a" is declared twice`}},
		{"connection without name", "integrations:\n  - key: a\n    connections:\n      - {type: oauth}\n", []string{
			`x.yaml:4:9: connection has no "name:"`}},
		{"invalid yaml", "integrations:\n  - key: [a\n", []string{
			`x.yaml:1:1: invalid YAML: did not find expected ',' or ']'`}},
		{"ignore without path", "ignore:\n  - rules: [ZIS303]\n", []string{
			`x.yaml:2:5: ignore entry has no "path:"; set the bundle file or glob it applies to, relative to this file`}},
		{"bad pointer", "ignore:\n  - {path: a.json, pointer: resources/X}\n", []string{
			`x.yaml:2:29: ignore pointer "resources/X" must be a JSON pointer starting with '/', e.g. /resources/MyFlow`}},
		{"bad glob", "ignore:\n  - {path: \"[a\"}\n", []string{
			`x.yaml:2:12: ignore path "[a" is not a valid glob: syntax error in pattern`}},
		{"tests not a string", "integrations:\n  - key: a\n    tests: [x]\n", []string{
			`x.yaml:3:12: tests must be a string`}},
		{"empty tests", "integrations:\n  - key: a\n    tests: \"\"\n", []string{
			`x.yaml:3:12: tests must name a folder of simulator fixtures, relative to this file`}},
		{"two problems", "rules: {A: x}\nother: 1\n", []string{
			`x.yaml:1:12: rule A: severity "x" is not one of off, info, warning, error`,
			`x.yaml:2:1: unknown key "other" in the config; known keys are: environments, exclude, ignore, integrations, rules`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.src))
			if err == nil {
				t.Fatal("Parse succeeded, want errors")
			}
			got := strings.Split(err.Error(), "\n")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseIgnore(t *testing.T) {
	c, err := Parse("zislint.yaml", []byte("ignore:\n  - {path: legacy/*.json, rules: ZIS303}\n  - path: a.json\n    rules: [ZIS101, name_mismatch]\n    pointer: /resources/Old\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []*Ignore{
		{Path: "legacy/*.json", Rules: []string{"ZIS303"}, Pos: Pos{2, 5}},
		{Path: "a.json", Rules: []string{"ZIS101", "name_mismatch"}, Pointer: "/resources/Old", Pos: Pos{3, 5}},
	}
	if diff := cmp.Diff(want, c.Ignores); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	if !c.Matches(c.Ignores[0], "legacy/x.json") || c.Matches(c.Ignores[0], "new/x.json") {
		t.Error("Matches does not follow the glob")
	}
}

func TestParseEmpty(t *testing.T) {
	c, err := Parse("zislint.yaml", nil)
	if err != nil || len(c.Integrations) != 0 {
		t.Fatalf("Parse(empty) = %+v, %v", c, err)
	}
}

func TestFindWalksUp(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(root, "a", FileName)
	if err := os.WriteFile(cfg, []byte("rules: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bundlePath := filepath.Join(deep, "bundle.json")
	if err := os.WriteFile(bundlePath, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, start := range []string{deep, bundlePath} {
		got, err := Find(start)
		if err != nil || got != cfg {
			t.Errorf("Find(%s) = %q, %v; want %q", start, got, err, cfg)
		}
	}
}

func TestIntegrationFor(t *testing.T) {
	c, err := Parse(filepath.Join("repo", FileName), []byte(`integrations:
  - {key: refunds, bundle: integrations/refunds/bundle.json}
  - {key: shop, bundle: "integrations/shop/*.json"}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"repo/integrations/refunds/bundle.json":   "refunds",
		"repo/integrations/shop/main.json":        "shop",
		"repo/integrations/other/bundle.json":     "",
		"repo/integrations/refunds/./bundle.json": "refunds",
	}
	for path, want := range tests {
		got := ""
		if in := c.IntegrationFor(path); in != nil {
			got = in.Key
		}
		if got != want {
			t.Errorf("IntegrationFor(%s) = %q, want %q", path, got, want)
		}
	}
}

func TestSeverity(t *testing.T) {
	for _, name := range []string{"off", "info", "warning", "error"} {
		s, err := ParseSeverity(name)
		if err != nil || s.String() != name {
			t.Errorf("ParseSeverity(%s) = %v, %v", name, s, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal) succeeded")
	}
}

func TestTestsDir(t *testing.T) {
	c, err := Parse(filepath.Join("repo", "zislint.yaml"), []byte("integrations:\n  - key: a\n    bundle: a.json\n    tests: fixtures/a\n  - key: b\n    bundle: b.json\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Integrations[0].Tests, "fixtures/a"; got != want {
		t.Errorf("Tests = %q, want %q", got, want)
	}
	if got, want := c.TestsDir(c.Integrations[0]), filepath.Join("repo", "fixtures", "a"); got != want {
		t.Errorf("TestsDir = %q, want %q", got, want)
	}
	// Without tests: the caller falls back to the folder beside the bundle.
	if got := c.TestsDir(c.Integrations[1]); got != "" {
		t.Errorf("TestsDir without tests: = %q, want \"\"", got)
	}
	if got := c.TestsDir(nil); got != "" {
		t.Errorf("TestsDir(nil) = %q, want \"\"", got)
	}
}

func TestEnvironments(t *testing.T) {
	c, err := Parse("zislint.yaml", []byte(`integrations:
  - key: acme_refunds
environments:
  staging: {subdomain: acme-sandbox, integrations: {acme_refunds: {key: acme_refunds_dev, vars: {refund_url: "https://staging.example/api"}}}}
  production: {subdomain: acme}
`))
	if err != nil {
		t.Fatal(err)
	}
	in := c.Integrations[0]
	staging, err := c.Environment("staging")
	if err != nil {
		t.Fatal(err)
	}
	prod, _ := c.Environment("production")
	if staging.Subdomain != "acme-sandbox" || staging.KeyFor(in) != "acme_refunds_dev" || staging.VarsFor(in)["refund_url"] != "https://staging.example/api" {
		t.Errorf("staging = %+v", staging)
	}
	if prod.KeyFor(in) != "acme_refunds" || prod.VarsFor(in) != nil {
		t.Errorf("production = %+v", prod)
	}
	if _, err := c.Environment("qa"); err == nil || err.Error() != `zislint.yaml has no environment "qa"; its environments are [production staging]` {
		t.Errorf("err = %v", err)
	}
}

func TestEnvironmentErrors(t *testing.T) {
	_, err := Parse("x.yaml", []byte(`integrations: [{key: a}]
environments:
  staging: {subdomain: Acme.zendesk.com, integrations: {b: {key: B}, a: {vars: {"1x": y}, color: red}}}
`))
	want := []string{
		`x.yaml:3:24: subdomain "Acme.zendesk.com" is not a Zendesk subdomain; write the part before .zendesk.com, e.g. acme`,
		`x.yaml:3:66: integration key "B" must be lower case (a-z, 0-9, '_' and '-'); try "b"`,
		`x.yaml:3:81: variable name "1x" must start with a letter or '_' and use letters, digits, '_', '.' and '-'`,
		`x.yaml:3:91: unknown key "color" in integration a of environment staging; known keys are: configs, key, vars`,
		`x.yaml:3:57: environment staging configures integration "b", which is not under integrations:`,
	}
	if err == nil {
		t.Fatal("no error")
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// A pull request's config must not point zislint at files outside the
// repository: bundle: and tests: are read, and test -update writes goldens
// into tests:.
func TestPathsStayInsideTheRepository(t *testing.T) {
	repo := filepath.Join(t.TempDir(), "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(repo, "sub", FileName)
	tests := []struct {
		name, src, want string // want "" for no error
	}{
		{"parent of the repository", "integrations:\n  - key: a\n    bundle: ../../etc/passwd\n",
			`:3:13: bundle "../../etc/passwd" leads outside the repository ` + repo + `; name a path inside it, relative to this file`},
		{"absolute path outside", "integrations:\n  - key: a\n    tests: /etc\n",
			`:3:12: tests "/etc" leads outside the repository ` + repo + `;`},
		{"glob climbing out", "integrations:\n  - key: a\n    bundle: ../../*/x.json\n", `:3:13: bundle "../../*/x.json" leads outside`},
		{"sibling folder inside", "integrations:\n  - key: a\n    bundle: ../bundles/*.json\n    tests: ../tests\n", ""},
		{"absolute path inside", "integrations:\n  - key: a\n    tests: " + filepath.Join(repo, "tests") + "\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(path, []byte(tt.src))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), path+tt.want)):
				t.Errorf("error %v, want one containing %q", err, path+tt.want)
			}
		})
	}
}

// A zislint.yaml above the git work tree belongs to no repository.
func TestFindStopsAtTheRepositoryTop(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, FileName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(repo); got != "" || err != nil {
		t.Errorf("Find = %q, %v; want none", got, err)
	}
}

// A zislint.yaml linked to a file outside is refused, its content unread.
func TestLoadRefusesConfigLinkedOutside(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(base, "secret")
	if err := os.WriteFile(secret, []byte("root:x:0:0:SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(repo, FileName)); err != nil {
		t.Fatal(err)
	}
	found, err := Find(repo)
	if err != nil || found == "" {
		t.Fatalf("Find = %q, %v", found, err)
	}
	_, err = Load(found)
	if err == nil || !strings.Contains(err.Error(), "outside the repository") || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("Load = %v; want a refusal that quotes nothing", err)
	}
}

// FuzzConfigPaths: whatever a config's bundle: and tests: say, Parse
// never panics, and a config it accepts names paths inside the
// repository.
func FuzzConfigPaths(f *testing.F) {
	for _, s := range []string{"bundle.json", "../../etc/passwd", "/etc", "a/../../b", "sub/*.json", "..", ".", "a/..//../x", "\x00", "~/x"} {
		f.Add(s)
	}
	repo := filepath.Join(f.TempDir(), "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(repo, "sub", FileName)
	f.Fuzz(func(t *testing.T, value string) {
		src, err := yaml.Marshal(map[string]any{"integrations": []map[string]string{{"key": "a", "bundle": value, "tests": value}}})
		if err != nil {
			return
		}
		c, err := Parse(path, src)
		if err != nil {
			return
		}
		in := c.Integrations[0]
		for _, got := range []string{in.Bundle, in.Tests} {
			if !filepath.IsAbs(got) {
				got = filepath.Join(c.Dir, got)
			}
			if rel, err := filepath.Rel(repo, got); err != nil || !filepath.IsLocal(rel) && rel != "." {
				t.Fatalf("accepted %q, which leads to %s", value, got)
			}
		}
	})
}

func TestConnectionSecretsFromEnvironment(t *testing.T) {
	src := `integrations:
  - key: acme
    connections:
      - name: shop
        type: api_key
        allowed_domain: api.shop.example
        header_name: X-Api-Key
        secret_env: SHOP_KEY
      - name: erp
        type: basic_auth
        allowed_domain: erp.example
        username_env: ERP_USER
        password_env: ERP_PASS
`
	c, err := Parse("zislint.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	conns := c.Integrations[0].Connections
	if conns[0].SecretEnv != "SHOP_KEY" || !conns[0].Creatable() || conns[1].UsernameEnv != "ERP_USER" || conns[1].PasswordEnv != "ERP_PASS" {
		t.Errorf("connections = %+v %+v", *conns[0], *conns[1])
	}
}

func TestConnectionSecretEnvErrors(t *testing.T) {
	for _, tc := range []struct{ conn, want string }{
		{"{name: a, type: api_key, allowed_domain: x.example, secret_env: K}", `zislint.yaml:4:9: connection a (api_key) needs "header_name:"`},
		{"{name: a, type: basic_auth, allowed_domain: x.example, username_env: U}", `zislint.yaml:4:9: connection a (basic_auth) takes its credentials from "username_env:" and "password_env:" together`},
		{"{name: a, type: bearer_token, secret_env: T}", `zislint.yaml:4:9: connection a needs "allowed_domain:"`},
		{"{name: a, type: oauth, allowed_domain: x.example, secret_env: T}", `zislint.yaml:4:9: connection a is an OAuth connection`},
		{"{name: a, type: bearer_token, allowed_domain: x.example, secret_env: 'sk-live-123'}", `zislint.yaml:4:78: secret_env must name an environment variable`},
	} {
		src := "integrations:\n  - key: acme\n    connections:\n      - " + tc.conn + "\n"
		_, err := Parse("zislint.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want %q", tc.conn, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "sk-live-123") {
			t.Errorf("the error quotes what may be a secret: %v", err)
		}
	}
}

func TestEnvironmentConfigs(t *testing.T) {
	src := `integrations:
  - key: acme
environments:
  staging:
    subdomain: acme-sandbox
    integrations:
      acme:
        configs:
          acme_settings: {endpoint: "https://{{host}}/refunds", threshold: 100, tags: [a, b], on: true, none: null}
        vars: {host: api.sandbox.example}
`
	c, err := Parse("zislint.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := c.Environments["staging"].ConfigsFor(c.Integrations[0])
	want := []ZISConfig{{Scope: "acme_settings", Pos: Pos{9, 11}, Value: map[string]any{
		"endpoint": "https://api.sandbox.example/refunds", "threshold": 100, "tags": []any{"a", "b"}, "on": true, "none": nil}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("configs (-want +got):\n%s", diff)
	}
}

func TestEnvironmentConfigErrors(t *testing.T) {
	for _, tc := range []struct{ configs, want string }{
		{"{'acme_*': {a: 1}}", `zislint.yaml:7:24: config scope "acme_*" must be`},
		{"{s: [1]}", "zislint.yaml:7:27: config s must be an object"},
		{"{s: {url: '{{nope}}'}}", "zislint.yaml:7:33: variable {{nope}} has no value in this environment"},
		{"[a]", "zislint.yaml:7:23: configs must map each scope"},
	} {
		src := "integrations:\n  - key: acme\nenvironments:\n  staging:\n    subdomain: acme\n    integrations:\n      acme: {configs: " + tc.configs + "}\n"
		_, err := Parse("zislint.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %v, want %q", tc.configs, err, tc.want)
		}
	}
}
