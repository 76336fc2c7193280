//go:build unix

package main

import (
	"net/http"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

// TestInterruptedDeployRevokesItsToken: SIGTERM during an install ends
// the deploy, and the ZIS OAuth token it created is revoked all the
// same. The signal is sent as in TestDeploySIGTERMPrintsThePlan.
func TestInterruptedDeployRevokesItsToken(t *testing.T) {
	fake := zistest.New(t)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	dir := oauthRepo(t, fake)
	sigtermDuringInstall(fake)
	code, out, errOut := deployCLI(t, fake, "deploy", "--env", "staging", "--base-url", fake.URL(), dir)
	if code != exitFindings {
		t.Fatalf("exit %d; want the interrupted deploy to fail\n%s\n%s", code, out, errOut)
	}
	toks := fake.ZISTokens()
	if len(toks) != 1 || !toks[0].Revoked {
		t.Errorf("ZIS OAuth tokens %+v; want the one created, revoked after the signal", toks)
	}
	if calls := fake.CallsFor(zistest.OpRevokeOAuthToken); len(calls) != 1 || calls[0].Status != http.StatusNoContent {
		t.Errorf("revocations %+v", calls)
	}
	checkNoOAuthSecrets(t, fake, map[string]string{"stdout": out, "stderr": errOut})
}
