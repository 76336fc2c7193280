package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// typeRules are the rules that judge types and fields by the data-flow
// analysis; on bundles people run, they must say nothing.
var typeRules = map[string]bool{"ZIS229": true, "ZIS230": true}

// TestTypeRulesAreQuietOnRealBundles lints the valid corpus bundles, the
// project's example bundles and the bundle of Zendesk's refund tutorial
// (from the shared seeds) and expects no choice_type or jq_field
// finding.
func TestTypeRulesAreQuietOnRealBundles(t *testing.T) {
	paths, err := filepath.Glob("../testdata/*/bundle.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example bundles: %v", err)
	}
	for name, defects := range corpusVerdicts {
		if p := filepath.Join(corpusDir, name); defects == nil && fileExists(p) {
			paths = append(paths, p)
		}
	}
	if tutorial := refundTutorialBundle(t); tutorial != "" {
		paths = append(paths, tutorial)
	}
	res, err := Run(paths, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Bundles != len(paths) {
		t.Errorf("linted %d bundles of %d", res.Bundles, len(paths))
	}
	for _, f := range res.Findings {
		if typeRules[f.Rule] {
			t.Errorf("%s:%d:%d: %s %s", f.File, f.Line, f.Column, f.Rule, f.Message)
		}
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// refundTutorialBundle writes the complete bundle of the refund tutorial
// (a seed page; the bundle is its last JSON block naming the job spec
// with its type) to a temporary file and returns its path, or "" when
// the seed is absent.
func refundTutorialBundle(t *testing.T) string {
	src, err := os.ReadFile("../../shared/seeds/001_4a6a60ee0fe4738e.txt")
	if err != nil {
		t.Logf("refund tutorial seed not available: %v", err)
		return ""
	}
	var block []byte
	for _, line := range bytes.Split(src, []byte("\n")) {
		if trimmed := bytes.TrimSpace(line); bytes.HasPrefix(trimmed, []byte("{")) &&
			bytes.Contains(line, []byte(`"RefundRequestJobSpec": {      "type"`)) {
			block = trimmed
		}
	}
	if !json.Valid(block) || !strings.Contains(string(block), `"zis:common:transform:Jq"`) {
		t.Fatalf("the refund tutorial seed holds no complete bundle")
	}
	// The tutorial writes INTEGRATION for the reader's integration key;
	// with it, no job spec names the flow and its event stays unknown.
	block = bytes.ReplaceAll(block, []byte("zis:INTEGRATION:"), []byte("zis:refunds:"))
	path := filepath.Join(t.TempDir(), "refund_tutorial.json")
	if err := os.WriteFile(path, block, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The tutorial is analysed with its event: a misspelt key in its Jq
// program and a numeric test of a string draw both rules.
func TestTypeRulesSeeTheRefundTutorial(t *testing.T) {
	path := refundTutorialBundle(t)
	if path == "" {
		t.Skip("no refund tutorial seed")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for old, new := range map[string]string{
		`".activity_event.user_activity.properties.refund_amount | tonumber"`: `".activity_event.user_activty.properties.refund_amount | tonumber"`,
		`"StringEquals": "refund_request"`:                                    `"NumericEquals": 5`,
	} {
		if !bytes.Contains(src, []byte(old)) {
			t.Fatalf("the tutorial no longer holds %s", old)
		}
		src = bytes.Replace(src, []byte(old), []byte(new), 1)
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run([]string{path}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range res.Findings {
		got[f.Rule]++
	}
	if got["ZIS229"] != 1 || got["ZIS230"] != 1 {
		t.Errorf("findings by rule: %v, want one ZIS229 and one ZIS230", got)
	}
}
