//go:build unix

package main

import (
	"net/http"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zislint/zislint/deploy/zistest"
)

func TestStopSignals(t *testing.T) {
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if !slices.Contains(stopSignals, sig) {
			t.Errorf("%v does not stop a deploy", sig)
		}
	}
}

// TestDeploySIGTERMPrintsThePlan replays a cancelled CI job: SIGTERM
// arrives while a deploy waits on a slow install. The deploy stops at
// once and prints its plan with each step's status, as for SIGINT;
// before, SIGTERM killed it with nothing printed.
//
// The signal goes to this test process. That is safe: it is sent only
// once the deploy's request is on the wire, so the deploy's handler is
// registered, and the handler stays until the deploy has seen it. The
// test is not parallel, so no other test runs meanwhile.
func TestDeploySIGTERMPrintsThePlan(t *testing.T) {
	fake := zistest.New(t)
	fake.SeedIntegration("acme_refunds_dev", "refunds")
	fake.SeedConnection("acme_refunds_dev", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	dir := deployRepo(t, fake)
	sigtermDuringInstall(fake)

	start := time.Now()
	code, out, errOut := deployCLI(t, fake, "deploy", "--env", "staging", "--base-url", fake.URL(), dir)
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("the deploy took %s: SIGTERM did not stop it", elapsed)
	}
	if code != exitFindings {
		t.Errorf("exit %d; want %d", code, exitFindings)
	}
	for _, want := range []string{
		"~ upload the bundle (1 job spec): done",
		"+ install job spec RefundRequestJobSpec (installs do not survive an upload): failed: ",
		"context canceled",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the printed plan lacks %q:\n%s\nstderr:\n%s", want, out, errOut)
		}
	}
}

// sigtermDuringInstall sends SIGTERM to this process once the deploy's
// first install is on the wire, and holds that install long enough that
// only the signal can end it (the fake stops waiting when the client
// goes away).
func sigtermDuringInstall(fake *zistest.Server) {
	installing := make(chan struct{}, 1)
	fake.SetFaultHook(func(seq int, op zistest.Op, r *http.Request) *zistest.Fault {
		if op != zistest.OpInstall {
			return nil
		}
		select {
		case installing <- struct{}{}:
		default:
		}
		return &zistest.Fault{Delay: time.Minute}
	})
	go func() {
		select {
		case <-installing:
			syscall.Kill(os.Getpid(), syscall.SIGTERM)
		case <-time.After(time.Minute):
		}
	}()
}
