package main

import (
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

// oauthRepo is deployRepo with only the fake's OAuth client in the
// environment: no API token, no ZIS OAuth token.
func oauthRepo(t *testing.T, fake *zistest.Server) string {
	t.Helper()
	dir := deployRepo(t, fake)
	c := fake.Credentials()
	t.Setenv("ZENDESK_EMAIL", "")
	t.Setenv("ZENDESK_API_TOKEN", "")
	t.Setenv("ZENDESK_OAUTH_TOKEN", "")
	t.Setenv("ZENDESK_OAUTH_SCOPE", "")
	t.Setenv("ZENDESK_OAUTH_CLIENT_ID", c.ClientID)
	t.Setenv("ZENDESK_OAUTH_CLIENT_SECRET", c.ClientSecret)
	return dir
}

// oauthSecrets is every secret of the fake that must never be printed:
// the client secret, each access token and ZIS OAuth token it issued,
// and the registration's OAuth client secret.
func oauthSecrets(fake *zistest.Server) []string {
	secrets := append([]string{fake.Credentials().ClientSecret}, fake.AccessTokens()...)
	for _, z := range fake.ZISTokens() {
		secrets = append(secrets, z.Token)
	}
	for _, ig := range fake.State().Integrations {
		secrets = append(secrets, ig.Secret)
	}
	return secrets
}

func checkNoOAuthSecrets(t *testing.T, fake *zistest.Server, texts map[string]string) {
	t.Helper()
	for _, secret := range oauthSecrets(fake) {
		for name, text := range texts {
			if secret != "" && strings.Contains(text, secret) {
				t.Errorf("%s holds the secret %q", name, secret)
			}
		}
	}
}

func TestDeployWithClientCredentialsOnly(t *testing.T) {
	fake := zistest.New(t)
	dir := oauthRepo(t, fake)
	common := []string{"--env", "staging", "--base-url", fake.URL(), dir}

	// First deploy registers, then waits for the connection.
	code, out, errOut := deployCLI(t, fake, append([]string{"deploy"}, common...)...)
	if code != 1 || !strings.Contains(out, "+ register the integration") {
		t.Fatalf("first deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	checkNoOAuthSecrets(t, fake, map[string]string{"stdout": out, "stderr": errOut})
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	code, out, errOut = deployCLI(t, fake, append([]string{"deploy"}, common...)...)
	if code != 0 {
		t.Fatalf("second deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	checkNoOAuthSecrets(t, fake, map[string]string{"stdout": out, "stderr": errOut})
	ig, _ := fake.Integration("acme_refunds_dev")
	if c := fake.Counters(); c.Registrations != 1 || c.Uploads != 1 || !installed(ig, "RefundRequestJobSpec") {
		t.Errorf("counters %+v, job specs %+v; want registered, uploaded and installed", c, ig.JobSpecs)
	}
	for _, call := range fake.Calls() {
		if call.Op != zistest.OpOAuthToken && call.Auth != zistest.AuthBearer {
			t.Errorf("%s %s sent %s auth", call.Method, call.Path, call.Auth)
		}
	}
	if strings.Contains(errOut, "2027-04-30") {
		t.Errorf("a warning about API tokens without one:\n%s", errOut)
	}
	// The second deploy created a ZIS OAuth token of the integration
	// and revoked it before it ended.
	toks := fake.ZISTokens()
	if len(toks) != 1 || toks[0].Integration != "acme_refunds_dev" || !toks[0].Revoked {
		t.Errorf("ZIS OAuth tokens %+v; want one of the integration, revoked", toks)
	}

	// With only the client credentials, the plan still reads what is
	// deployed: nothing changed, so nothing to upload or install.
	code, out, errOut = deployCLI(t, fake, append([]string{"plan", "--detailed-exitcode"}, common...)...)
	if code != 0 || !strings.Contains(out, "no changes") {
		t.Errorf("plan after the deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	checkNoOAuthSecrets(t, fake, map[string]string{"stdout": out, "stderr": errOut})
	if c := fake.Counters(); c.Uploads != 1 {
		t.Errorf("the plan uploaded: %+v", c)
	}
}

func TestDeployWithAPITokenWarns(t *testing.T) {
	fake := zistest.New(t)
	dir := deployRepo(t, fake)
	code, _, errOut := deployCLI(t, fake, "plan", "--env", "staging", "--base-url", fake.URL(), dir)
	if code != 0 || !strings.Contains(errOut, "2027-04-30") || !strings.Contains(errOut, "ZENDESK_OAUTH_CLIENT_ID") {
		t.Errorf("exit %d; want a warning naming the cutoff and the replacement:\n%s", code, errOut)
	}
}

func TestFailedDeployRevokesItsToken(t *testing.T) {
	fake := zistest.New(t)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	dir := oauthRepo(t, fake)
	fake.QueueFaults(zistest.OpUpload, zistest.Fault{Status: 400})
	code, out, errOut := deployCLI(t, fake, "deploy", "--env", "staging", "--base-url", fake.URL(), dir)
	if code != exitFindings {
		t.Fatalf("exit %d; want the upload to fail\n%s\n%s", code, out, errOut)
	}
	if toks := fake.ZISTokens(); len(toks) != 1 || !toks[0].Revoked {
		t.Errorf("ZIS OAuth tokens %+v; want the one created, revoked", toks)
	}
	checkNoOAuthSecrets(t, fake, map[string]string{"stdout": out, "stderr": errOut})
}

func TestPlanCreatesNoToken(t *testing.T) {
	fake := zistest.New(t)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	dir := oauthRepo(t, fake)
	for _, args := range [][]string{{"plan"}, {"deploy", "--dry-run"}} {
		if code, _, errOut := deployCLI(t, fake, append(args, "--env", "staging", "--base-url", fake.URL(), dir)...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
	}
	if n := len(fake.CallsFor(zistest.OpCreateOAuthToken)); n != 0 {
		t.Errorf("%d ZIS OAuth tokens created by commands that change nothing", n)
	}
}

func TestActionMasksOAuthSecrets(t *testing.T) {
	fake := zistest.New(t)
	repo := copyRepo(t, "../../testdata/refunds", nil)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	creds := fake.Credentials()
	const given = "given-admin-access-token-6e1d"
	env := map[string]string{"INPUT_COMMAND": "deploy", "INPUT_ENVIRONMENT": "staging", "ZISLINT_BASE_URL": fake.URL(),
		"ZENDESK_OAUTH_CLIENT_ID": creds.ClientID, "ZENDESK_OAUTH_CLIENT_SECRET": creds.ClientSecret, "ZENDESK_OAUTH_TOKEN": given}
	res := runActionBinary(t, repo, env)
	if res.code != 0 || fake.Counters().Uploads != 1 {
		t.Fatalf("deploy: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	lines := strings.Split(res.stdout, "\n")
	if len(lines) < 2 || lines[0] != "::add-mask::"+creds.ClientSecret || lines[1] != "::add-mask::"+given {
		t.Errorf("the action does not mask the client secret and the access token first:\n%s", res.stdout)
	}
	// Tokens obtained while it runs are masked before they could show.
	for _, secret := range oauthSecrets(fake)[1:] {
		if strings.Contains(res.stdout, secret) && !strings.Contains(res.stdout, "::add-mask::"+secret) {
			t.Errorf("%q shows without a mask", secret)
		}
	}
	for _, tok := range fake.AccessTokens() {
		if !strings.Contains(res.stdout, "::add-mask::"+tok) {
			t.Errorf("the access token %q obtained at run time is not masked", tok)
		}
	}
	if toks := fake.ZISTokens(); len(toks) != 1 || !strings.Contains(res.stdout, "::add-mask::"+toks[0].Token) || !toks[0].Revoked {
		t.Errorf("the ZIS OAuth token is not masked or not revoked: %+v", toks)
	}
	checkNoOAuthSecrets(t, fake, map[string]string{"stdout": withoutMasks(res.stdout), "stderr": res.stderr, "summary": res.summary,
		"plan": res.outputs["plan"]})
	if strings.Contains(withoutMasks(res.stdout)+res.stderr, given) {
		t.Error("the given access token was printed")
	}
}
