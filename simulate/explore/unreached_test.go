package explore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flowBundle writes a bundle of one flow, Probe, whose states are
// states (a JSON object's members), and one fixture for it with the
// event given.
func flowBundle(t *testing.T, states, event string) string {
	t.Helper()
	dir := t.TempDir()
	bundle := `{"zis_template_version": "2019-10-14", "name": "probe", "resources": {
  "Probe": {"type": "ZIS::Flow", "properties": {"name": "Probe", "definition": {
    "StartAt": "Start", "States": {` + states + `}}}}}}`
	fixture := "flow: Probe\nevent: " + event + "\n"
	if err := os.MkdirAll(filepath.Join(dir, "tests"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"bundle.json": bundle, "tests/start.yaml": fixture} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "bundle.json")
}

func TestUnreachedTransitionsSayWhy(t *testing.T) {
	cases := []struct {
		name, states, event string
		want                []string // a reason for each unreached transition, in source order
	}{
		{"a Jq output", `
      "Start": {"Type": "Action", "ActionName": "zis:common:transform:Jq",
                "Parameters": {"expr": "1", "data.$": "$.input"}, "ResultPath": "$.n", "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 2, "Next": "Two"}], "Default": "Done"},
      "Two": {"Type": "Succeed"},
      "Done": {"Type": "Succeed"}`, "{}",
			[]string{"guarded by a Jq output it cannot steer: $.n is written by state Start"}},
		{"a Pass constant", `
      "Start": {"Type": "Pass", "Result": {"on": false}, "ResultPath": "$.flag", "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [{"Variable": "$.flag.on", "BooleanEquals": true, "Next": "On"}], "Default": "Done"},
      "On": {"Type": "Succeed"},
      "Done": {"Type": "Succeed"}`, "{}",
			[]string{"guarded by a constant: $.flag.on is written by Pass state Start"}},
		{"conditions that never hold together", `
      "Start": {"Type": "Choice", "Choices": [{"And": [
                  {"Variable": "$.input.x", "NumericGreaterThan": 5},
                  {"Variable": "$.input.x", "NumericLessThan": 3}], "Next": "Never"}], "Default": "Done"},
      "Never": {"Type": "Succeed"},
      "Done": {"Type": "Succeed"}`, "{x: 1}",
			[]string{"no value tried for $.input.x, $.input.x takes it; its conditions may never hold together"}},
		{"a state after an unreached one", `
      "Start": {"Type": "Pass", "Result": "fixed", "ResultPath": "$.mode", "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [{"Variable": "$.mode", "StringEquals": "other", "Next": "Other"}], "Default": "Done"},
      "Other": {"Type": "Pass", "Next": "Done"},
      "Done": {"Type": "Succeed"}`, "{}",
			[]string{"guarded by a constant: $.mode is written by Pass state Start", "no run reached state Other"}},
		{"a Catch on a state that cannot fail", `
      "Start": {"Type": "Pass", "Result": 1, "ResultPath": "$.one", "Next": "Done",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
      "Failed": {"Type": "Fail", "Error": "Failed"},
      "Done": {"Type": "Succeed"}`, "{}",
			[]string{"no change tried made state Start fail"}},
		{"a Choice inside a Map over constant items", `
      "Start": {"Type": "Pass", "Result": [{"kind": "book"}], "ResultPath": "$.items", "Next": "Each"},
      "Each": {"Type": "Map", "ItemsPath": "$.items", "Next": "Done", "Iterator": {"StartAt": "Kind", "States": {
        "Kind": {"Type": "Choice", "Choices": [{"Variable": "$.kind", "StringEquals": "gift", "Next": "Gift"}], "Default": "Plain"},
        "Gift": {"Type": "Succeed"},
        "Plain": {"Type": "Succeed"}}}},
      "Done": {"Type": "Succeed"}`, "{}",
			[]string{"guarded by a constant: $.kind of each item of $.items is written by Pass state Start", "no run reached state Each/Gift"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := exploreOne(t, flowBundle(t, c.states, c.event), Options{Seed: 1})
			fr := x.Flows[0]
			var got []string
			for _, u := range fr.Unreached {
				got = append(got, u.Reason)
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("reasons:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if x.BudgetSpent() {
				t.Error("the search ran out of budget instead of giving up")
			}
		})
	}
}
