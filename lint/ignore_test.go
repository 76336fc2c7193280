package lint

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A bundle with an unreachable state (ZIS303) in RefundRequestFlow and a
// resource key that differs from its name (ZIS203).
func ignoreFixture(t *testing.T, ignores string) string {
	bundle := refundsBundle(t)
	bundle = strings.Replace(bundle, `"Finish": {
              "Type": "Succeed"
            }`, `"Finish": {
              "Type": "Succeed"
            },
            "Old": {
              "Type": "Succeed"
            }`, 1)
	bundle = strings.Replace(bundle, `"InitiateRefund": {
      "type"`, `"StartRefund": {
      "type"`, 1)
	return writeFiles(t, map[string]string{
		"integrations/refunds/bundle.json": bundle,
		"zislint.yaml":                     "integrations: [{key: acme_refunds}]\nignore:\n" + ignores,
	})
}

func rulesAndLines(res *Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, filepath.Base(f.File)+":"+strconv.Itoa(f.Line)+" "+f.Rule)
	}
	return out
}

func TestIgnore(t *testing.T) {
	tests := []struct {
		name, ignores string
		want          []string
	}{
		{"by rule", "  - {path: integrations/*/bundle.json, rules: [unreachable_state]}\n",
			[]string{"bundle.json:46 ZIS203"}},
		{"by pointer", "  - {path: integrations/refunds/bundle.json, pointer: /resources/RefundRequestFlow/properties/definition/States/Old}\n",
			[]string{"bundle.json:46 ZIS203"}},
		{"pointer elsewhere keeps the finding", "  - {path: integrations/refunds/bundle.json, pointer: /resources/GetUserProfile}\n",
			[]string{"bundle.json:46 ZIS203", "bundle.json:140 ZIS303", "zislint.yaml:3 ZIS003"}},
		{"whole file; the later entry is stale", "  - {path: \"integrations/*/*.json\"}\n  - {path: integrations/refunds/bundle.json, rules: [ZIS203]}\n",
			[]string{"zislint.yaml:4 ZIS003"}},
		{"pointer naming nothing", "  - {path: integrations/refunds/bundle.json, pointer: /resources/Gone}\n",
			[]string{"bundle.json:46 ZIS203", "bundle.json:140 ZIS303", "zislint.yaml:3 ZIS003"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := ignoreFixture(t, tt.ignores)
			res, err := Run([]string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rulesAndLines(res)); diff != "" {
				t.Errorf("findings (-want +got):\n%s\n%v", diff, res.Findings)
			}
		})
	}
}

func TestIgnoreOutsideTheRunIsNotStale(t *testing.T) {
	dir := ignoreFixture(t, "  - {path: other/bundle.json}\n")
	res, err := Run([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Rule == "ZIS003" {
			t.Errorf("an entry for a bundle outside the run was reported: %v", f)
		}
	}
}

func TestIgnoreUnknownRule(t *testing.T) {
	dir := ignoreFixture(t, "  - {path: a.json, rules: [ZIS999]}\n")
	_, err := Run([]string{dir}, Options{})
	if err == nil || !strings.Contains(err.Error(), `zislint.yaml:3:5: ignore entry names unknown rule "ZIS999"`) {
		t.Errorf("err = %v", err)
	}
}

func TestIgnoreUnknownRuleSuggests(t *testing.T) {
	dir := ignoreFixture(t, "  - {path: a.json, rules: [hardcoded_secrets]}\n")
	_, err := Run([]string{dir}, Options{})
	want := `ignore entry names unknown rule "hardcoded_secrets"; run "zislint rules" for the list of ids and names; did you mean "hardcoded_secret"?`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %s", err, want)
	}
}
