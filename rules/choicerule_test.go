package rules

import "testing"

func TestRulePathText(t *testing.T) {
	p := rulePath{choice: 2}.child("And", 1).child("Not", 0).child("Or", 3)
	if got, want := p.String(), "Choices[2].And[1].Not.Or[3]"; got != want {
		t.Errorf("rule path %q, want %q", got, want)
	}
}
