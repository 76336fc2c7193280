package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/zislint/zislint/deploy/zistest/zisfake"
)

// lockedBuffer collects the fake's log, written by its serving
// goroutines while the test runs the command.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startZisfake starts the local fake as `zisfake -addr 127.0.0.1:0 ARGS`
// would, and stops it when the test ends.
func startZisfake(t *testing.T, logw *lockedBuffer, args ...string) *zisfake.Running {
	t.Helper()
	o, err := zisfake.ParseArgs(append([]string{"-addr", "127.0.0.1:0"}, args...), logw)
	if err != nil {
		t.Fatal(err)
	}
	r, err := zisfake.Start(o, logw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Stop(); err != nil {
			t.Errorf("stopping the fake: %v", err)
		}
	})
	return r
}

// TestSessionAgainstZisfake is the README's session against the local
// fake, through its real HTTP server: the admin's connection seeded from
// a flag, client credentials only, plan, deploy, and a plan with no
// changes; no secret in the command's output or the fake's log.
func TestSessionAgainstZisfake(t *testing.T) {
	var logs lockedBuffer
	r := startZisfake(t, &logs, "-connection", "acme_refunds_dev:zendesk:oauth:*.zendesk.com")
	dir := oauthRepo(t, r.Fake)
	common := []string{"--env", "staging", "--base-url", r.URL(), dir}
	texts := map[string]string{}

	code, out, errOut := runCLI(t, append([]string{"plan"}, common...)...)
	if code != 0 || !strings.Contains(out, "~ upload the bundle (1 job spec)") || !strings.Contains(out, "+ install job spec RefundRequestJobSpec") {
		t.Fatalf("first plan: exit %d\n%s\n%s", code, out, errOut)
	}
	texts["first plan"] = out + errOut
	code, out, errOut = runCLI(t, append([]string{"deploy"}, common...)...)
	if code != 0 || !strings.Contains(out, "upload the bundle (1 job spec): done") {
		t.Fatalf("deploy: exit %d\n%s\n%s", code, out, errOut)
	}
	texts["deploy"] = out + errOut
	code, out, errOut = runCLI(t, append([]string{"plan", "--detailed-exitcode"}, common...)...)
	if code != 0 || !strings.Contains(out, "no changes") {
		t.Errorf("second plan: exit %d\n%s\n%s", code, out, errOut)
	}
	texts["second plan"] = out + errOut

	st := zisfake.Snapshot(r.Fake)
	if len(st.Integrations) != 1 || len(st.Integrations[0].JobSpecs) != 1 || !st.Integrations[0].JobSpecs[0].Installed {
		t.Errorf("state after the deploy: %+v; want the job spec installed", st)
	}
	log := logs.String()
	for _, want := range []string{"POST /oauth/tokens 200", "POST /api/services/zis/registry/acme_refunds_dev/bundles 200",
		"POST /api/services/zis/registry/job_specs/install 200"} {
		if !strings.Contains(log, want) {
			t.Errorf("the fake's log has no %q:\n%s", want, log)
		}
	}
	texts["the fake's log"] = log
	checkNoOAuthSecrets(t, r.Fake, texts)
}
