package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/deploy/zistest"
)

var update = flag.Bool("update", false, "rewrite the golden files from the code")

// refunds is the refunds bundle decoded, for tests to edit.
func refunds(t *testing.T) map[string]any {
	t.Helper()
	src, err := os.ReadFile("../testdata/refunds/bundle.json")
	if err != nil {
		t.Fatal(err)
	}
	obj, err := decodeObject(src)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// dig walks obj down the keys; it fails the test on a missing one.
func dig(t *testing.T, obj map[string]any, keys ...string) map[string]any {
	t.Helper()
	for _, k := range keys {
		next, ok := obj[k].(map[string]any)
		if !ok {
			t.Fatalf("no object %q in %v", k, keys)
		}
		obj = next
	}
	return obj
}

// Secrets the diff must never show.
const (
	deployedKey = "old-secret-value-123"
	renderedKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
)

// editedRefunds returns the deployed and the rendered refunds bundles:
// in the rendered one a state was added, one removed and one changed, an
// action removed and one changed (a hard-coded key replaced by a bearer
// token), a job spec changed and one added.
func editedRefunds(t *testing.T) (deployed, rendered []byte) {
	old := refunds(t)
	dig(t, old, "resources", "InitiateRefund", "properties", "definition")["headers"] = []any{
		map[string]any{"key": "X-Api-Key", "value": deployedKey},
	}
	v := refunds(t)
	res := dig(t, v, "resources")
	states := dig(t, res, "RefundRequestFlow", "properties", "definition", "States")
	states["Notify"] = map[string]any{"Type": "Pass", "Result": "notified", "Next": "Finish"}
	delete(states, "CheckForPremiumMembership")
	choice := dig(t, states, "CheckRefundAmount")["Choices"].([]any)[0].(map[string]any)
	choice["NumericLessThanEquals"] = json.Number("150")
	delete(res, "GetUserProfile")
	def := dig(t, res, "InitiateRefund", "properties", "definition")
	def["url"] = "https://refunds.acme-store.example/api/v2/refunds"
	def["headers"] = []any{map[string]any{"key": "Authorization", "value": "Bearer " + renderedKey}}
	dig(t, res, "RefundRequestJobSpec", "properties")["event_type"] = "activity.UserActivityUpdated"
	res["NightlyJobSpec"] = map[string]any{"type": "ZIS::JobSpec", "properties": map[string]any{
		"name": "NightlyJobSpec", "event_source": "sunshine", "event_type": "activity.UserActivityCreated",
		"flow_name": "zis:acme_refunds:flow:RefundRequestFlow",
	}}
	return encode(t, old), encode(t, v)
}

// seedDeployed registers acme_refunds with its connection and deployed
// bundle, every job spec of it installed.
func seedDeployed(t *testing.T, fake *zistest.Server, deployed []byte) {
	t.Helper()
	fake.SeedIntegration("acme_refunds", "refunds")
	fake.SeedConnection("acme_refunds", zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com"})
	fake.SeedBundle("acme_refunds", deployed)
	fake.SeedInstalled("acme_refunds", "RefundRequestJobSpec")
}

func planFor(t *testing.T, api API, rendered []byte) *Plan {
	t.Helper()
	tg, err := NewTarget("staging", "acme-sandbox", "acme_refunds", rendered)
	if err != nil {
		t.Fatal(err)
	}
	p, err := MakePlan(context.Background(), api, tg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func planText(p *Plan) string {
	var b bytes.Buffer
	p.WriteText(&b)
	return b.String()
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestPlanDiffText(t *testing.T) {
	fake := zistest.New(t)
	deployed, rendered := editedRefunds(t)
	seedDeployed(t, fake, deployed)
	p := planFor(t, fakeClient(t, fake), rendered)
	text := planText(p)
	checkGolden(t, "plan_diff.golden", text)
	for _, secret := range []string{deployedKey, renderedKey} {
		if strings.Contains(text, secret) {
			t.Errorf("the plan shows the secret %q:\n%s", secret, text)
		}
	}
}

// jsonChange is the part of a change the JSON test compares.
type jsonChange struct {
	Resource, Type, Change string
	States                 []string
	Fields                 []string
}

func TestPlanDiffJSON(t *testing.T) {
	fake := zistest.New(t)
	deployed, rendered := editedRefunds(t)
	seedDeployed(t, fake, deployed)
	p := planFor(t, fakeClient(t, fake), rendered)
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Deployed string `json:"deployed_content"`
		Changes  []struct {
			Resource, Type, Change string
			States                 []struct{ State, Change string }
			Fields                 []struct {
				Path     string
				Old, New *string
			}
		}
	}
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	var got []jsonChange
	for _, c := range out.Changes {
		jc := jsonChange{Resource: c.Resource, Type: c.Type, Change: c.Change}
		for _, s := range c.States {
			jc.States = append(jc.States, s.Change+" "+s.State)
		}
		for _, f := range c.Fields {
			jc.Fields = append(jc.Fields, f.Path+": "+str(f.Old)+" -> "+str(f.New))
		}
		got = append(got, jc)
	}
	want := []jsonChange{
		{Resource: "GetUserProfile", Type: "ZIS::Action::Http", Change: "removed"},
		{Resource: "InitiateRefund", Type: "ZIS::Action::Http", Change: "changed", Fields: []string{
			`properties.definition.headers[0].key: "X-Api-Key" -> "Authorization"`,
			`properties.definition.headers[0].value: [redacted] -> [redacted]`,
			`properties.definition.url: "https://refunds.acme-store.example/api/v1/refunds" -> "https://refunds.acme-store.example/api/v2/refunds"`,
		}},
		{Resource: "NightlyJobSpec", Type: "ZIS::JobSpec", Change: "added"},
		{Resource: "RefundRequestFlow", Type: "ZIS::Flow", Change: "changed", States: []string{
			"removed CheckForPremiumMembership", "changed CheckRefundAmount", "added Notify",
		}},
		{Resource: "RefundRequestJobSpec", Type: "ZIS::JobSpec", Change: "changed", Fields: []string{
			`properties.event_type: "activity.UserActivityCreated" -> "activity.UserActivityUpdated"`,
		}},
	}
	if out.Deployed != ContentChanged {
		t.Errorf("deployed_content %q, want %q", out.Deployed, ContentChanged)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func str(s *string) string {
	if s == nil {
		return "(none)"
	}
	return *s
}
