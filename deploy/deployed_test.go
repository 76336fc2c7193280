package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/zislint/zislint/deploy/zistest"
)

// A second deploy of the same bundle uploads and installs nothing.
func TestSecondDeployHasNoChanges(t *testing.T) {
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	api := fakeClient(t, fake)
	if !deployOnce(t, api, tg) {
		t.Fatal("the first deploy failed")
	}
	before := fake.Counters()
	p, err := MakePlan(context.Background(), api, tg)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(context.Background(), api, p, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if after := fake.Counters(); after.Uploads != before.Uploads || after.Installs != before.Installs || after.Uninstalls != before.Uninstalls {
		t.Errorf("the second deploy changed the account: before %+v, after %+v", before, after)
	}
	if p.HasChanges() || p.Deployed != ContentUnchanged || len(p.Changes) != 0 {
		t.Errorf("plan %+v, want no steps and an unchanged bundle", p)
	}
	if text := planText(p); !strings.Contains(text, "\n  no changes\n") {
		t.Errorf("the plan does not say no changes:\n%s", text)
	}
}

// An upload that worked, then an install that failed: the next run
// installs, and does not upload again.
func TestInterruptedRunInstallsWithoutUploading(t *testing.T) {
	fake := zistest.New(t)
	tg := seededTarget(t, fake)
	api := fakeClient(t, fake)
	fake.QueueFaults(zistest.OpInstall, zistest.Fault{Status: 403})
	if deployOnce(t, api, tg) {
		t.Fatal("the refused install did not stop the deploy")
	}
	p, err := MakePlan(context.Background(), api, tg)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, s := range p.Steps {
		steps = append(steps, s.Action+" "+s.JobSpec)
	}
	want := "install RefundRequestJobSpec,uninstall OldJobSpec"
	if strings.Join(steps, ",") != want {
		t.Errorf("steps %q, want %q", strings.Join(steps, ","), want)
	}
	if err := Apply(context.Background(), api, p, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if c := fake.Counters(); c.Uploads != 1 {
		t.Errorf("%d uploads, want 1", c.Uploads)
	}
	if st := stateOf(fake); !st.Installed["RefundRequestJobSpec"] || st.Installed["OldJobSpec"] {
		t.Errorf("final state %+v", st)
	}
}

// Show Bundle refused or missing: the plan uploads, says why, and does
// not fail.
func TestShowBundleUnavailable(t *testing.T) {
	for _, status := range []int{404, 403} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			fake := zistest.New(t)
			deployed, _ := editedRefunds(t)
			seedDeployed(t, fake, deployed)
			fake.QueueFaults(zistest.OpShowBundle, zistest.Fault{Status: status})
			p := planFor(t, fakeClient(t, fake), deployed)
			want := fmt.Sprintf("upload the bundle (1 job spec) (deployed content unknown: Show Bundle is unavailable (HTTP %d))", status)
			if len(p.Steps) == 0 || p.Steps[0].Action != StepUpload || p.Steps[0].Reason != want {
				t.Fatalf("steps %+v, want first an upload: %s", p.Steps, want)
			}
			if p.Deployed != ContentUnknown || len(p.Changes) != 0 {
				t.Errorf("deployed %q with %d changes, want unknown and none", p.Deployed, len(p.Changes))
			}
			if !strings.Contains(planText(p), "(deployed content unknown: ") {
				t.Errorf("the text plan does not say the content is unknown:\n%s", planText(p))
			}
		})
	}
}

// hostileShow answers Show Bundle with body for one plan of the refunds
// bundle and returns the plan and its text.
func hostileShow(t *testing.T, body string) (*Plan, string) {
	t.Helper()
	fake := zistest.New(t)
	deployed, _ := editedRefunds(t)
	seedDeployed(t, fake, deployed)
	fake.QueueFaults(zistest.OpShowBundle, zistest.Fault{Status: 200, Body: body})
	p := planFor(t, fakeClient(t, fake), deployed)
	return p, planText(p)
}

func TestHostileDeployedBundle(t *testing.T) {
	t.Run("huge", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"name":"x","zis_template_version":"2019-10-14","resources":{`)
		for i := 0; i < 20000; i++ {
			fmt.Fprintf(&b, `"r%d":{"type":"ZIS::Action::Http","properties":{"name":"r%d","definition":{"url":"%s"}}},`, i, i, strings.Repeat("u", 200))
		}
		b.WriteString(`"last":{}}}`)
		p, text := hostileShow(t, b.String())
		if p.ChangesOmitted == 0 || len(text) > 64<<10 {
			t.Errorf("%d changes omitted, %d bytes of text; want the listing cut short", p.ChangesOmitted, len(text))
		}
		if !strings.Contains(text, "more changes not shown") {
			t.Errorf("the text does not say changes were left out")
		}
	})
	t.Run("deep", func(t *testing.T) {
		deep := strings.Repeat(`{"a":[`, 4000) + `1` + strings.Repeat(`]}`, 4000)
		body := `{"name":"x","zis_template_version":"2019-10-14","resources":{"GetUserProfile":{"type":"ZIS::Action::Http","properties":` + deep + `}}}`
		p, text := hostileShow(t, body)
		if p.Deployed != ContentChanged || len(text) > 16<<10 {
			t.Errorf("deployed %q, %d bytes of text", p.Deployed, len(text))
		}
	})
	t.Run("control characters", func(t *testing.T) {
		body := `{"name":"x","zis_template_version":"2019-10-14","resources":{
		  "evil\u001b[2J\nPlan for integration forged":{"type":"ZIS::Flow\r\n+ forged","properties":{"name":"F","definition":{"StartAt":"S","States":{}}}},
		  "RefundRequestFlow":{"type":"ZIS::Flow","properties":{"name":"RefundRequestFlow","definition":{"StartAt":"S","States":{
		    "bad\u202e\u0007state":{"Type":"Pass","Next\n- forged":"x"}}}}}}}`
		p, text := hostileShow(t, body)
		for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			if i > 0 && !strings.HasPrefix(line, "  ") || strings.ContainsAny(line, "\x1b\r\a\u202e") {
				t.Errorf("line %d is not the plan's own: %q", i+1, line)
			}
		}
		data, _ := json.Marshal(p)
		if strings.ContainsAny(string(data), "\x1b\r\a") {
			t.Errorf("the JSON plan holds raw control characters")
		}
	})
	t.Run("not an object", func(t *testing.T) {
		p, _ := hostileShow(t, `[1,2,3]`)
		if p.Deployed != ContentUnknown || p.Steps[0].Action != StepUpload {
			t.Errorf("deployed %q, steps %+v; want unknown and an upload", p.Deployed, p.Steps)
		}
	})
	t.Run("another integration", func(t *testing.T) {
		p, _ := hostileShow(t, `{"integration":"other","name":"x","resources":{}}`)
		if p.Deployed != ContentUnknown || !strings.Contains(p.DeployedNote, "another integration") {
			t.Errorf("deployed %q (%s); want unknown", p.Deployed, p.DeployedNote)
		}
	})
}

// Inside a Map, a changed inner state is listed, not the Map.
func TestDiffMapIterator(t *testing.T) {
	flow := func(inner string) map[string]any {
		obj, err := decodeObject([]byte(`{"resources":{"F":{"type":"ZIS::Flow","properties":{"name":"F","definition":{"StartAt":"M","States":{
		  "M":{"Type":"Map","ItemsPath":"$.items","Iterator":{"StartAt":"I","States":{"I":` + inner + `}}}}}}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		return obj
	}
	changes, _ := diffBundles(flow(`{"Type":"Pass","Result":1}`), flow(`{"Type":"Pass","Result":2}`))
	if len(changes) != 1 || len(changes[0].States) != 1 {
		t.Fatalf("changes %+v, want one state", changes)
	}
	s := changes[0].States[0]
	if s.State != "M / I" || len(s.Fields) != 1 || s.Fields[0].Path != "Result" {
		t.Errorf("state change %+v, want M / I with its Result", s)
	}
}

// A secret inside a value that is shown whole (a headers list removed)
// is redacted too, and a reference to a connection stays readable.
func TestSecretsInsideValuesAreRedacted(t *testing.T) {
	action := func(def string) map[string]any {
		obj, err := decodeObject([]byte(`{"resources":{"A":{"type":"ZIS::Action::Http","properties":{"name":"A","definition":` + def + `}}}}`))
		if err != nil {
			t.Fatal(err)
		}
		return obj
	}
	old := action(`{"url":"https://x.example","headers":[{"key":"X-Api-Key","value":"k3y-0ld-s3cr3t"}],"auth":{"password":"hunter2hunter2"},"note":"Bearer abcdefgh12345678"}`)
	v := action(`{"url":"https://bot:pa55-in-url@x.example/v1?page=2&api_key=qu3ry-s3cr3t&sig={{$.config.sig}}","auth":{"password":"n3w-pa55word"},"connectionName":"{{$.connections.acme.access_token}}"}`)
	changes, _ := diffBundles(old, v)
	data, err := json.Marshal(changes)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, secret := range []string{"k3y-0ld-s3cr3t", "hunter2hunter2", "n3w-pa55word", "abcdefgh12345678", "pa55-in-url", "qu3ry-s3cr3t"} {
		if strings.Contains(text, secret) {
			t.Errorf("the changes show %q: %s", secret, text)
		}
	}
	for _, shownText := range []string{
		`[{\"key\":\"X-Api-Key\",\"value\":[redacted]}]`, "{{$.connections.acme.access_token}}",
		`https://bot:[redacted]@x.example/v1?page=2\u0026api_key=[redacted]\u0026sig={{$.config.sig}}`,
	} {
		if !strings.Contains(text, shownText) {
			t.Errorf("the changes lack %s: %s", shownText, text)
		}
	}
}

// Layout, key order and the spelling of a number are not changes.
func TestDiffComparesByValue(t *testing.T) {
	a, err := decodeObject([]byte(`{"name":"n","resources":{"A":{"type":"ZIS::Action::Http","properties":{"name":"A","definition":{"timeout":100,"retry":[1,2]}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeObject([]byte(`{"resources":{"A":{"properties":{"definition":{"retry":[1.0,2e0],"timeout":100.0},"name":"A"},"type":"ZIS::Action::Http"}},"name":"n"}`))
	if err != nil {
		t.Fatal(err)
	}
	if changes, omitted := diffBundles(a, b); len(changes) != 0 || omitted != 0 {
		t.Errorf("changes %+v, want none", changes)
	}
}

// The client follows the bundle listing's cursor to the end, and picks
// the bundle of the rendered bundle's name over a newer one.
func TestListBundlesPagesAndPick(t *testing.T) {
	fake := zistest.New(t, zistest.WithMaxPageSize(1))
	deployed, _ := editedRefunds(t)
	seedDeployed(t, fake, deployed)
	fake.SeedBundle("acme_refunds", []byte(`{"zis_template_version":"2019-10-14","name":"other","resources":{}}`))
	api := fakeClient(t, fake)
	listed, err := api.ListBundles(context.Background(), "acme_refunds")
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 2 || listed[1].Name != "other" {
		t.Fatalf("listed %+v, want the refunds bundle, then other", listed)
	}
	if n := len(fake.CallsFor(zistest.OpListBundles)); n < 2 {
		t.Errorf("%d listing requests, want one a page", n)
	}
	p := planFor(t, api, deployed)
	if p.DeployedBundle != listed[0].UUID || p.Deployed != ContentUnchanged {
		t.Errorf("compared with %s (%s), want %s and unchanged", p.DeployedBundle, p.Deployed, listed[0].UUID)
	}
}

// A listed uuid that is not a plain segment is refused: it would be
// sent back in Show Bundle's path.
func TestListBundlesRefusesOddUUID(t *testing.T) {
	fake := zistest.New(t)
	deployed, _ := editedRefunds(t)
	seedDeployed(t, fake, deployed)
	fake.QueueFaults(zistest.OpListBundles, zistest.Fault{Status: 200, Body: `{"bundles":[{"uuid":"../../integrations","name":"x"}],"meta":{"has_more":false}}`})
	_, err := fakeClient(t, fake).ListBundles(context.Background(), "acme_refunds")
	if err == nil || !strings.Contains(err.Error(), "no usable uuid") {
		t.Errorf("err = %v, want the uuid refused", err)
	}
}
