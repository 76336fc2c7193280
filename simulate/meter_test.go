package simulate

import (
	"strings"
	"testing"
)

// TestRunCopyingIsBounded runs loops that double the document each time
// round: they must end with zislint.DocumentLimit at the looping state,
// long before the transition guard, whose 10,000 rounds of doubling no
// memory holds.
func TestRunCopyingIsBounded(t *testing.T) {
	tests := []struct{ name, states, wantState, wantCause string }{
		{"parameters copy the document twice",
			`"S": {"Type": "Pass", "Parameters": {"a.$": "$", "b.$": "$"}, "Next": "S"}`,
			"S", "copied more than 100000 values"},
		{"a template renders the document into itself",
			`"S": {"Type": "Pass", "Parameters": {"s.$": "{{$}} {{$}}"}, "Next": "S"}`,
			"S", "rendered more than 1 MiB of text"},
		{"jq doubles the document",
			`"S": {"Type": "Action", "ActionName": "zis:common:transform:Jq", "Parameters": {"expr": "[., .]", "data.$": "$"}, "Next": "S"}`,
			"S", "copied more than 100000 values"},
		{"map items copy the document",
			`"S": {"Type": "Pass", "Parameters": {"items": [{"x.$": "$"}, {"x.$": "$"}]}, "Next": "M"},
			 "M": {"Type": "Map", "ItemsPath": "$.items", "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "Next": "S"}`,
			"S", "copied more than 100000 values"},
	}
	// Lowered bounds meet the same loops sooner; TestRunBoundsDefaults
	// checks the real ones.
	defer func(saved struct{ values, bytes int }) { runBounds = saved }(runBounds)
	runBounds.values, runBounds.bytes = 100_000, 1<<20
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := flowBundle(t, tt.states).Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{"k": "v"}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Error == nil || res.Error.Error != errDocumentLimit || res.Error.State != tt.wantState || !strings.Contains(res.Error.Cause, tt.wantCause) {
				t.Fatalf("error = %+v, want %s at %s: %s", res.Error, errDocumentLimit, tt.wantState, tt.wantCause)
			}
			if len(res.States) > 200 {
				t.Errorf("%d transitions: the bound should end a doubling loop within a few dozen", len(res.States))
			}
		})
	}
}

// TestRunBoundsDefaults: the first doubling loop meets the real bound too.
func TestRunBoundsDefaults(t *testing.T) {
	res, err := flowBundle(t, `"S": {"Type": "Pass", "Parameters": {"a.$": "$", "b.$": "$"}, "Next": "S"}`).
		Run(&Fixture{Path: "t.yaml", Flow: "F", Event: map[string]any{"k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error == nil || res.Error.Error != errDocumentLimit || !strings.Contains(res.Error.Cause, "copied more than 5000000 values") {
		t.Fatalf("error = %+v", res.Error)
	}
}
