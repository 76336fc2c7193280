package main

import (
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

// TestEnableBeforeDeploy: enable on an account that never got the
// integration says to deploy first and sends no install.
func TestEnableBeforeDeploy(t *testing.T) {
	fake := zistest.New(t)
	dir := deployRepo(t, fake)
	code, _, errOut := deployCLI(t, fake, "enable", "--env", "staging", "--base-url", fake.URL(), dir)
	if code != 1 || !strings.Contains(errOut, "integration acme_refunds_dev is not registered") || !strings.Contains(errOut, "deploy it first (zislint deploy --env staging)") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	if n := len(fake.CallsFor(zistest.OpInstall)); n != 0 {
		t.Errorf("%d install requests sent; want none", n)
	}
}
