package deploy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
)

const renderInput = `{
  "resources": {
    "Notify": {"type": "ZIS::Action::Http", "properties": {"name": "Notify", "definition": {
      "url": "{{refund_url}}/refunds",
      "requestBody": {"text.$": "Order {{$.order_id}} ({{ env_label }})"}}}},
    "Flow": {"type": "ZIS::Flow", "properties": {"name": "Flow", "definition": {"StartAt": "A", "States": {
      "A": {"Type": "Action", "ActionName": "zis:acme:action:Notify", "End": true}}}}},
    "Job": {"type": "ZIS::JobSpec", "properties": {"flow_name": "zis:acme:flow:Flow", "note": "zis:acme_other:flow:X"}}
  }
}`

func TestRender(t *testing.T) {
	b := bundle.Parse("bundle.json", []byte(renderInput))
	out, err := Render(b, "acme", "acme_dev", map[string]string{"refund_url": "https://staging.example/api", "env_label": "staging \"eu\""})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		`"{{refund_url}}/refunds"`, `"https://staging.example/api/refunds"`,
		`"Order {{$.order_id}} ({{ env_label }})"`, `"Order {{$.order_id}} (staging \"eu\")"`,
		`"zis:acme:action:Notify"`, `"zis:acme_dev:action:Notify"`,
		`"zis:acme:flow:Flow"`, `"zis:acme_dev:flow:Flow"`,
	).Replace(renderInput)
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Errorf("render (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"env_label", "refund_url"}, Variables(b)); diff != "" {
		t.Errorf("Variables (-want +got):\n%s", diff)
	}
}

func TestRenderUndefinedVariable(t *testing.T) {
	b := bundle.Parse("bundle.json", []byte(renderInput))
	_, err := Render(b, "acme", "acme", map[string]string{"refund_url": "x"})
	want := "bundle.json:5:56: variable {{env_label}} has no value in this environment; set it under vars: of the integration in the environment, in zislint.yaml"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestRenderKeepsUnchangedBytes(t *testing.T) {
	src := "{\n\t\"a\":   \"zis:k:flow:F\" ,\"b\":1}"
	out, err := Render(bundle.Parse("b.json", []byte(src)), "k", "k", nil)
	if err != nil || string(out) != src {
		t.Errorf("Render changed an unchanged bundle: %q, %v", out, err)
	}
}
