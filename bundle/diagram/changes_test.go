package diagram

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
)

// change is what a test compares of a FlowChange.
type change struct {
	Key, Name               string
	Status                  FlowStatus
	Added, Changed, Removed []string
}

func compareSources(t *testing.T, base, head string) []change {
	t.Helper()
	var b *bundle.Bundle
	if base != "" {
		b = bundle.Parse("base.json", []byte(base))
	}
	var out []change
	for _, c := range Compare(b, bundle.Parse("head.json", []byte(head))) {
		out = append(out, change{c.Key, c.Name, c.Status, c.Added, c.Changed, c.Removed})
	}
	return out
}

const twoFlows = `{"resources": {
  "A": {"type": "ZIS::Flow", "properties": {"name": "A", "definition": {"StartAt": "x", "States": {
    "x": {"Type": "Wait", "Seconds": 100, "Next": "y"}, "y": {"Type": "Succeed"}}}}},
  "B": {"type": "ZIS::Flow", "properties": {"name": "B", "definition": {"StartAt": "m", "States": {
    "m": {"Type": "Map", "ItemsPath": "$.i", "Iterator": {"StartAt": "in", "States": {"in": {"Type": "Pass", "End": true}}}, "End": true}}}}}}}`

func TestCompareIgnoresLayoutAndNumberSpelling(t *testing.T) {
	// Reindented, keys reordered, 100 written as 1e2.
	head := `{"resources": {"B": {"properties": {"definition": {"States": {"m": {"End": true, "Iterator": {"States": {"in": {"End": true, "Type": "Pass"}}, "StartAt": "in"},
	  "ItemsPath": "$.i", "Type": "Map"}}, "StartAt": "m"}, "name": "B"}, "type": "ZIS::Flow"},
	  "A": {"type": "ZIS::Flow", "properties": {"name": "A", "definition": {"States": {"y": {"Type": "Succeed"}, "x": {"Next": "y", "Seconds": 1e2, "Type": "Wait"}}, "StartAt": "x"}}}}}`
	want := []change{{Key: "B", Name: "B", Status: FlowUnchanged}, {Key: "A", Name: "A", Status: FlowUnchanged}}
	if diff := cmp.Diff(want, compareSources(t, twoFlows, head)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCompareFindsAddedChangedAndRemoved(t *testing.T) {
	// A loses y and gains z; the iterator state of B changes, not the Map;
	// C is new.
	head := `{"resources": {
  "A": {"type": "ZIS::Flow", "properties": {"name": "A", "definition": {"StartAt": "x", "States": {
    "x": {"Type": "Wait", "Seconds": 100, "Next": "z"}, "z": {"Type": "Succeed"}}}}},
  "B": {"type": "ZIS::Flow", "properties": {"name": "B", "definition": {"StartAt": "m", "States": {
    "m": {"Type": "Map", "ItemsPath": "$.i", "Iterator": {"StartAt": "in", "States": {"in": {"Type": "Pass", "Result": 1, "End": true}}}, "End": true}}}}},
  "C": {"type": "ZIS::Flow", "properties": {"name": "C", "definition": {"StartAt": "c", "States": {"c": {"Type": "Succeed"}}}}}}}`
	want := []change{
		{Key: "A", Name: "A", Status: FlowChanged, Added: []string{"z"}, Changed: []string{"x"}, Removed: []string{"y"}},
		{Key: "B", Name: "B", Status: FlowChanged, Changed: []string{"m / in"}},
		{Key: "C", Name: "C", Status: FlowAdded, Added: []string{"c"}},
	}
	if diff := cmp.Diff(want, compareSources(t, twoFlows, head)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCompareRemovedFlowsAndNewBundles(t *testing.T) {
	head := `{"resources": {"A": {"type": "ZIS::Flow", "properties": {"name": "A", "definition": {"StartAt": "x", "States": {
	  "x": {"Type": "Wait", "Seconds": 100, "Next": "y"}, "y": {"Type": "Succeed"}}}}}}}`
	want := []change{{Key: "A", Name: "A", Status: FlowUnchanged}, {Key: "B", Name: "B", Status: FlowRemoved}}
	if diff := cmp.Diff(want, compareSources(t, twoFlows, head)); diff != "" {
		t.Errorf("a flow removed (-want +got):\n%s", diff)
	}
	want = []change{
		{Key: "A", Name: "A", Status: FlowAdded, Added: []string{"x", "y"}},
		{Key: "B", Name: "B", Status: FlowAdded, Added: []string{"m", "m / in"}},
	}
	if diff := cmp.Diff(want, compareSources(t, "", twoFlows)); diff != "" {
		t.Errorf("a new bundle (-want +got):\n%s", diff)
	}
}

func TestCompareStartAtAloneChangesTheFlow(t *testing.T) {
	base := `{"resources": {"A": {"type": "ZIS::Flow", "properties": {"name": "A", "definition": {"StartAt": "x", "States": {
	  "x": {"Type": "Succeed"}, "y": {"Type": "Succeed"}}}}}}}`
	head := `{"resources": {"A": {"type": "ZIS::Flow", "properties": {"name": "A", "definition": {"StartAt": "y", "States": {
	  "x": {"Type": "Succeed"}, "y": {"Type": "Succeed"}}}}}}}`
	want := []change{{Key: "A", Name: "A", Status: FlowChanged}}
	if diff := cmp.Diff(want, compareSources(t, base, head)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
