package simulate

import (
	"encoding/json"
	"strings"
	"testing"
)

// jqFlow compiles a one-state flow running expr, with a Retry and a
// Catch, which a bound must not trigger: it ends the run.
func jqFlow(t testing.TB, expr string) *Program {
	t.Helper()
	quoted, _ := json.Marshal(expr)
	return flowBundle(t, `"S": {"Type": "Action", "ActionName": "zis:common:transform:Jq",
		"Parameters": {"expr": `+string(quoted)+`, "data.$": "$.input"}, "ResultPath": "$.out",
		"Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
		"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
		"Caught": {"Type": "Succeed"}`)
}

// TestJqRunsAreBounded runs the programs an attacker would write: each
// must end the run with zislint.JqLimit naming the state and the bound.
func TestJqRunsAreBounded(t *testing.T) {
	tests := []struct{ name, expr, wantCause string }{
		{"endless recursion", "def f: f; f", "more than 10000000 steps"},
		{"until false", "until(false; .)", "more than 10000000 steps"},
		{"repeat", "repeat(.)", "more than 10000 results"},
		{"repeat collected", "[repeat(.)]", "more than 10000000 steps"},
		{"huge range", "range(1e12)", "more than 10000 results"},
		{"huge range collected", "[range(1e12)]", "more than 10000000 steps"},
		{"doubling string", `"ab" | until(false; . + .)`, "allocated more than 64 MiB"},
		{"doubling array", `[1] | until(false; . + .)`, "allocated more than 64 MiB"},
		{"shared halves", `reduce range(64) as $i (1; [., .])`, "more than 1000000 values"},
		{"deep nesting", `reduce range(5000) as $i (1; [.])`, "1000 levels of nesting"},
		{"long text", `"0123456789abcdef" * 3000000`, "32 MiB of text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The doubling programs meet a lowered memory bound, in a
			// fraction of the time 512 MiB takes on a slow machine.
			if strings.Contains(tt.name, "doubling") {
				defer func(saved uint64) { jqBounds.alloc = saved }(jqBounds.alloc)
				jqBounds.alloc = 64 << 20
			}
			res, err := jqFlow(t, tt.expr).Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Error == nil || res.Error.Error != errJqLimit || res.Error.State != "S" ||
				!strings.Contains(res.Error.Cause, "state S: ") || !strings.Contains(res.Error.Cause, tt.wantCause) {
				t.Fatalf("error = %+v, want %s in state S: %s", res.Error, errJqLimit, tt.wantCause)
			}
			if strings.Join(res.States, " ") != "S" {
				t.Errorf("states = %v: a bound must end the run, not reach Retry or Catch", res.States)
			}
		})
	}
}

// TestJqBoundsLeaveRealWorkAlone runs a transform far larger than a flow
// needs; it must finish untouched by the bounds.
func TestJqBoundsLeaveRealWorkAlone(t *testing.T) {
	res, err := jqFlow(t, `[range(20000) | {id: ., name: "item \(.)"}] | map(select(.id % 2 == 0)) | length`).
		Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != nil || res.Output.(map[string]any)["out"] != float64(10000) {
		t.Fatalf("error = %+v, output = %v", res.Error, res.Output)
	}
}
