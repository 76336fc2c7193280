package deploy

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

func TestOwnJobSpecName(t *testing.T) {
	for _, tc := range []struct {
		name, want, owner, errHas string
	}{
		{name: "on_create", want: "on_create"},
		{name: "zis:acme:job_spec:on_create", want: "on_create"},
		{name: "zis:victim:job_spec:x", owner: "victim"},
		{name: "zis:acme_other:job_spec:x", owner: "acme_other"},
		{name: "zis:acme:job_spec:zis:victim:job_spec:x", errHas: "holds a colon"},
		{name: "victim:x", errHas: "holds a colon"},
		{name: "zis:victim:flow:x", errHas: "not of the form"},
		{name: "zis::job_spec:x", errHas: "not of the form"},
		{name: "", errHas: "is empty"},
		{name: "zis:acme:job_spec:", errHas: "is not of the form"},
		{name: "x\n  - uninstall job spec y", errHas: "control characters"},
	} {
		got, err := ownJobSpecName("acme", tc.name)
		var fe *ForeignJobSpecError
		switch {
		case tc.want != "":
			if err != nil || got != tc.want {
				t.Errorf("ownJobSpecName(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
			}
		case !errors.As(err, &fe) || fe.Owner != tc.owner || !strings.Contains(err.Error(), tc.errHas):
			t.Errorf("ownJobSpecName(%q) = %q, %v; want a refusal (owner %q, %q)", tc.name, got, err, tc.owner, tc.errHas)
		}
	}
}

// hostileRegistry answers for integration acme with a job spec listing
// chosen by the test, accepts every install and uninstall, and records
// the job_spec_name of each.
type hostileRegistry struct {
	listing map[string]any
	mu      sync.Mutex
	changes []string
}

func (h *hostileRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/services/zis/registry/integrations":
		writeJSON(w, 200, map[string]any{"integrations": []map[string]any{{"name": "acme"}}})
	case "/api/services/zis/integrations/acme/connections/all":
		writeJSON(w, 200, map[string]any{"oauth": []map[string]any{{"name": "zendesk"}}})
	case "/api/services/zis/registry/acme/job_specs":
		writeJSON(w, 200, h.listing)
	case "/api/services/zis/registry/acme/bundles":
		writeJSON(w, 200, map[string]any{})
	case "/api/services/zis/registry/job_specs/install":
		h.mu.Lock()
		h.changes = append(h.changes, r.Method+" "+r.URL.Query().Get("job_spec_name"))
		h.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	default:
		zisError(w, 404, "", "no such path")
	}
}

func (h *hostileRegistry) Changes() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.changes...)
}

func listingOf(specs ...map[string]any) map[string]any {
	return map[string]any{"job_specs": specs, "meta": map[string]any{"has_more": false}}
}

// TestHostileListingTouchesNoOtherIntegration replays the attack of a
// listing that slips another integration's job spec into acme's: no plan
// is made from it, and nothing of the victim is installed or uninstalled.
func TestHostileListingTouchesNoOtherIntegration(t *testing.T) {
	own := map[string]any{"name": "on_create", "integration": "acme", "installed": true}
	for _, tc := range []struct {
		name    string
		foreign map[string]any
	}{
		{"qualified name of another integration", map[string]any{"name": "zis:victim:job_spec:x", "integration": "acme", "installed": true}},
		{"integration field of another integration", map[string]any{"name": "x", "integration": "victim", "installed": true}},
		{"both", map[string]any{"name": "zis:victim:job_spec:x", "integration": "victim", "installed": true}},
		{"qualified name inside acme's", map[string]any{"name": "zis:acme:job_spec:zis:victim:job_spec:x", "installed": true}},
		{"not installed, still foreign", map[string]any{"name": "zis:victim:job_spec:x", "installed": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := &hostileRegistry{listing: listingOf(own, tc.foreign)}
			h := newHarness(t, reg)
			tg, err := NewTarget("staging", "acme", "acme", []byte(zisBundle))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for name, plan := range map[string]func() (*Plan, error){
				"deploy":  func() (*Plan, error) { return MakePlan(ctx, h.c, tg) },
				"disable": func() (*Plan, error) { return DisablePlan(ctx, h.c, tg) },
			} {
				p, err := plan()
				var fe *ForeignJobSpecError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), "nothing was planned or changed") {
					t.Errorf("%s: plan %+v, error %v; want the listing refused", name, p, err)
				}
				if p != nil {
					Apply(ctx, h.c, p, ApplyOptions{})
				}
			}
			for _, c := range reg.Changes() {
				if strings.Contains(c, "victim") {
					t.Errorf("sent %s", c)
				}
			}
		})
	}
	t.Run("own listing still plans", func(t *testing.T) {
		reg := &hostileRegistry{listing: listingOf(own, map[string]any{"name": "zis:acme:job_spec:old", "integration": "acme", "installed": true})}
		h := newHarness(t, reg)
		tg, err := NewTarget("staging", "acme", "acme", []byte(zisBundle))
		if err != nil {
			t.Fatal(err)
		}
		p, err := MakePlan(context.Background(), h.c, tg)
		if err != nil {
			t.Fatal(err)
		}
		last := p.Steps[len(p.Steps)-1]
		if last.Action != StepUninstall || last.JobSpec != "old" {
			t.Errorf("last step %+v; want the uninstall of old", last)
		}
	})
}

// TestBundleNamingAnotherIntegrationsJobSpec: a bundle's job spec name is
// what a plan installs, so one that names another integration's job
// spec stops the deploy before anything is sent, with its position.
func TestBundleNamingAnotherIntegrationsJobSpec(t *testing.T) {
	src := strings.Replace(zisBundle, `"name": "on_tags"`, `"name": "zis:victim:job_spec:on_tags"`, 1)
	_, err := NewTarget("staging", "acme", "acme", []byte(src))
	var fe *ForeignJobSpecError
	if !errors.As(err, &fe) || fe.Owner != "victim" || !strings.HasPrefix(err.Error(), "rendered bundle:8:") {
		t.Errorf("NewTarget: %v; want a refusal at rendered bundle:8", err)
	}
}

// TestClientRefusesForeignJobSpecs: the Client is the last gate, for a
// plan built by hand or by a caller without the checks.
func TestClientRefusesForeignJobSpecs(t *testing.T) {
	reg := &hostileRegistry{}
	h := newHarness(t, reg)
	ctx := context.Background()
	for _, name := range []string{"zis:victim:job_spec:x", "zis:acme:job_spec:zis:victim:job_spec:x", "victim:x"} {
		for verb, call := range map[string]func(context.Context, string, string) error{
			"install": h.c.InstallJobSpec, "uninstall": h.c.UninstallJobSpec,
		} {
			var fe *ForeignJobSpecError
			if err := call(ctx, "acme", name); !errors.As(err, &fe) {
				t.Errorf("%s %q: %v; want a refusal", verb, name, err)
			}
		}
	}
	p := &Plan{Integration: "acme", Steps: []Step{{Action: StepUninstall, JobSpec: "zis:victim:job_spec:x"}}}
	if err := Apply(ctx, h.c, p, ApplyOptions{}); err == nil || p.Steps[0].Status != StatusFailed {
		t.Errorf("a hand-made plan: %v, %+v", err, p.Steps)
	}
	if c := reg.Changes(); len(c) != 0 {
		t.Errorf("sent %v", c)
	}
}

// TestNoBareNameFallbackOnceTheFormIsKnown: the fake registry, like an
// admin's view of a real one, resolves a bare job_spec_name in every
// integration. Once the qualified form has worked, a 404 means "not
// installed" and the bare name, which here would uninstall the victim's
// job spec of the same name, is not sent.
func TestNoBareNameFallbackOnceTheFormIsKnown(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t)
	srv.SeedIntegration("acme", "acme")
	srv.SeedIntegration("victim", "victim")
	srv.SeedJobSpec("acme", zistest.JobSpec{Name: "on_create", EventSource: "support", EventType: "ticket.TicketCreated", FlowName: "zis:acme:flow:f"})
	srv.SeedJobSpec("victim", zistest.JobSpec{Name: "shared", EventSource: "support", EventType: "ticket.TicketCreated", FlowName: "zis:victim:flow:f", Installed: true})
	zc := newZisClient(t, srv, "basic")
	if err := zc.InstallJobSpec(ctx, "acme", "on_create"); err != nil {
		t.Fatal(err)
	}
	// acme has no job spec "shared" (it was removed meanwhile, say).
	if err := zc.UninstallJobSpec(ctx, "acme", "shared"); err != nil {
		t.Errorf("uninstalling a job spec that is not there: %v", err)
	}
	if err := zc.InstallJobSpec(ctx, "acme", "shared"); err == nil {
		t.Error("installing a job spec that is not there succeeded")
	}
	for _, c := range srv.Calls() {
		if n := c.Query.Get("job_spec_name"); n == "shared" {
			t.Errorf("sent the bare name: %s %s", c.Method, n)
		}
	}
	ig, _ := srv.Integration("victim")
	if len(ig.JobSpecs) != 1 || !ig.JobSpecs[0].Installed {
		t.Errorf("the victim's job spec was changed: %+v", ig.JobSpecs)
	}
}
