package deploy

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/deploy/zistest"
)

// fakeClient is a Client on the fake registry that never really sleeps.
func fakeClient(t *testing.T, fake *zistest.Server) *Client {
	t.Helper()
	c := fake.Credentials()
	client, err := NewClient(ClientOptions{
		Subdomain: "acme-sandbox", BaseURL: fake.URL(),
		Credentials: Credentials{Email: c.Email, APIToken: c.APIToken},
		Budget:      time.Hour,
		Sleep:       func(ctx context.Context, d time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// seededTarget is the refunds bundle on an existing integration that has
// its connection and a job spec left over from an earlier bundle.
func seededTarget(t *testing.T, fake *zistest.Server) *Target {
	t.Helper()
	fake.SeedIntegration("acme_refunds", "refunds")
	fake.SeedConnection("acme_refunds", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	fake.SeedJobSpec("acme_refunds", zistest.JobSpec{Name: "OldJobSpec", EventSource: "support", EventType: "ticket.TicketCreated", FlowName: "zis:acme_refunds:flow:Old", Installed: true})
	src, err := os.ReadFile("../testdata/refunds/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := NewTarget("staging", "acme-sandbox", "acme_refunds", src)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

type finalState struct {
	Bundle    bool
	Installed map[string]bool
}

func stateOf(fake *zistest.Server) finalState {
	ig, _ := fake.Integration("acme_refunds")
	st := finalState{Bundle: ig.Bundle != nil, Installed: map[string]bool{}}
	for _, js := range ig.JobSpecs {
		st.Installed[js.Name] = js.Installed
	}
	return st
}

// deployOnce plans and applies; it reports whether the deploy finished.
func deployOnce(t *testing.T, api API, tg *Target) bool {
	t.Helper()
	p, err := MakePlan(context.Background(), api, tg)
	if err != nil {
		return false
	}
	return Apply(context.Background(), api, p, ApplyOptions{}) == nil
}

// TestInterruptedDeployConverges stops a deploy at each of its steps, with
// a refusal or with a connection dropped after the server did the work,
// and checks that one more run reaches the same state as an undisturbed
// deploy without registering again.
func TestInterruptedDeployConverges(t *testing.T) {
	clean := zistest.New(t)
	tg := seededTarget(t, clean)
	if !deployOnce(t, fakeClient(t, clean), tg) {
		t.Fatal("an undisturbed deploy failed")
	}
	want := stateOf(clean)
	if want.Installed["OldJobSpec"] || !want.Installed["RefundRequestJobSpec"] {
		t.Fatalf("undisturbed deploy state %+v", want)
	}
	ops := []zistest.Op{zistest.OpUpload, zistest.OpInstall, zistest.OpUninstall}
	faults := map[string]zistest.Fault{
		"refused":          {Status: 403},
		"dropped after it": {Drop: true, AfterProcessing: true},
	}
	for _, op := range ops {
		for name, fault := range faults {
			t.Run(string(op)+" "+name, func(t *testing.T) {
				fake := zistest.New(t)
				tg := seededTarget(t, fake)
				fake.QueueFaults(op, fault)
				api := fakeClient(t, fake)
				if deployOnce(t, api, tg) && fault.Status != 0 {
					t.Fatal("a refused step did not stop the deploy")
				}
				if !deployOnce(t, api, tg) {
					t.Fatal("the second run did not finish")
				}
				if diff := cmp.Diff(want, stateOf(fake)); diff != "" {
					t.Errorf("final state (-want +got):\n%s", diff)
				}
				// Uploads and installs are upserts, so the client may repeat
				// them after a drop; only registration must never repeat.
				if c := fake.Counters(); c.Registrations != 0 || c.Uploads > 3 {
					t.Errorf("side effects %+v", c)
				}
			})
		}
	}
}

// TestFaultMixConverges throws rate limits, server errors, dropped
// connections and slow answers at every kind of request.
func TestFaultMixConverges(t *testing.T) {
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	mix := []zistest.Fault{{Status: 429, RetryAfter: "1"}, {Status: 503}, {Status: 429}, {Drop: true}, {Status: 500}, {Delay: time.Millisecond}}
	for _, op := range []zistest.Op{zistest.OpListIntegrations, zistest.OpListConnections, zistest.OpListBundles, zistest.OpShowBundle, zistest.OpListJobSpecs, zistest.OpUpload, zistest.OpInstall, zistest.OpUninstall} {
		fake.QueueFaults(op, mix...)
	}
	api := fakeClient(t, fake)
	for i := 0; i < 3 && !deployOnce(t, api, tg); i++ {
	}
	if diff := cmp.Diff(finalState{Bundle: true, Installed: map[string]bool{"RefundRequestJobSpec": true}}, stateOf(fake)); diff != "" {
		t.Errorf("final state (-want +got):\n%s", diff)
	}
}

// TestDroppedRegistrationIsNotRepeated loses the answer to a registration
// the server carried out: the deploy must find the integration and go on,
// registering once.
func TestDroppedRegistrationIsNotRepeated(t *testing.T) {
	fake := zistest.New(t)
	fake.QueueFaults(zistest.OpRegister, zistest.Fault{Drop: true, AfterProcessing: true})
	src := []byte(`{"zis_template_version": "2019-10-14", "name": "n", "resources": {
	  "F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}}},
	  "J": {"type": "ZIS::JobSpec", "properties": {"name": "J", "event_source": "support", "event_type": "ticket.TicketCreated", "flow_name": "zis:acme_new:flow:F"}}}}`)
	tg, err := NewTarget("staging", "acme-sandbox", "acme_new", src)
	if err != nil {
		t.Fatal(err)
	}
	api := fakeClient(t, fake)
	p, err := MakePlan(context.Background(), api, tg)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(context.Background(), api, p, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if c := fake.Counters(); c.Registrations != 1 || c.Installs != 1 {
		t.Errorf("side effects %+v", c)
	}
	if p.Steps[0].Status != "already registered" {
		t.Errorf("register step: %+v", p.Steps[0])
	}
}
