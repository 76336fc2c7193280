package runner

import (
	"strings"
	"testing"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/simulate"
)

// A bundle with two flows, of which the fixtures run one: the other is
// in the profile with nothing covered, and the total adds both. Counted
// by hand: Ran has 2 states and 1 transition (A→B); Idle has 3 states
// and 2 transitions (C→D by Next, C→E by Catch).
func TestCoverListsFlowsNoFixtureRuns(t *testing.T) {
	src := `{"zis_template_version": "2019-10-14", "name": "t", "resources": {
	  "Ran": {"type": "ZIS::Flow", "properties": {"name": "Ran", "definition": {"StartAt": "A", "States": {
	    "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}}},
	  "Idle": {"type": "ZIS::Flow", "properties": {"name": "Idle", "definition": {"StartAt": "C", "States": {
	    "C": {"Type": "Action", "ActionName": "zis:common:action:LoadConfig", "Parameters": {"scope": "s"},
	          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "E"}], "Next": "D"},
	    "D": {"Type": "Succeed"}, "E": {"Type": "Fail"}}}}}}}`
	b := bundle.Parse("t.json", []byte(src))
	p, err := simulate.Compile(b, simulate.Options{IntegrationKey: "t"})
	if err != nil {
		t.Fatal(err)
	}
	run, err := p.Run(&simulate.Fixture{Path: "t.yaml", Flow: "Ran"})
	if err != nil {
		t.Fatal(err)
	}
	results := []Result{
		{Name: "orphan golden", Status: StatusFail}, // no model: left out
		{Name: "ran", Model: b, Run: run, Status: StatusPass},
	}
	prof := Cover(results)
	if len(prof.Flows) != 2 {
		t.Fatalf("flows = %+v", prof.Flows)
	}
	ran, idle := prof.Flows[0], prof.Flows[1]
	if ran.Flow != "Ran" || ran.States != (simulate.Count{Covered: 2, Total: 2}) || ran.Transitions != (simulate.Count{Covered: 1, Total: 1}) {
		t.Errorf("Ran = %+v", ran)
	}
	if idle.Flow != "Idle" || idle.States != (simulate.Count{Covered: 0, Total: 3}) || idle.Transitions != (simulate.Count{Covered: 0, Total: 2}) {
		t.Errorf("Idle = %+v", idle)
	}
	if prof.Total.States != (simulate.Count{Covered: 2, Total: 5}) || prof.Total.Transitions != (simulate.Count{Covered: 1, Total: 3}) {
		t.Errorf("total = %+v", prof.Total)
	}
	var text strings.Builder
	if err := WriteCoverText(&text, prof); err != nil {
		t.Fatal(err)
	}
	if want := "coverage: total: states 2/5 (40.0%), transitions 1/3 (33.3%)\n"; !strings.HasSuffix(text.String(), want) {
		t.Errorf("text:\n%s", text.String())
	}
}
