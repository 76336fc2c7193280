package rules

import (
	"strings"
	"testing"
)

// What a comparison that is never true does, by the rules around it.
func TestConsequence(t *testing.T) {
	tests := []struct {
		within []string
		want   string
	}{
		{nil, "the rule never matches"},
		{[]string{"And"}, "the rule never matches"},
		{[]string{"Or"}, "the Or it is in rests on its other tests"},
		{[]string{"Not"}, "the rule always matches"},
		{[]string{"Not", "Not"}, "the rule never matches"},
		{[]string{"Or", "Not"}, "the rule always matches"},
		{[]string{"And", "Not"}, "the And it is in rests on its other tests"},
		{[]string{"Not", "And"}, "the rule always matches"},
		{[]string{"Not", "Or"}, "the Or it is in rests on its other tests"},
	}
	for _, tt := range tests {
		if got := consequence(tt.within); !strings.HasPrefix(got, tt.want) {
			t.Errorf("consequence(%v) = %q, want it to start with %q", tt.within, got, tt.want)
		}
	}
}

func TestComparisonFit(t *testing.T) {
	tests := []struct {
		op    string
		types JSONTypes
		want  string
	}{
		{"StringEquals", TypeNumber, "compare numbers with NumericEquals"},
		{"NumericLessThanEquals", TypeString | TypeNull, "compare strings with StringLessThanEquals"},
		{"NumericGreaterThanPath", TypeString, "compare strings with a String comparison"},
		{"StringEqualsPath", TypeNumber, "compare numbers with NumericEqualsPath"},
		{"NumericEquals", TypeBoolean, "compare booleans with BooleanEquals"},
		{"StringEquals", TypeNull, "test for null with IsNull"},
		{"BooleanEquals", TypeArray, "no comparison tests an array as a whole: compare a value inside it"},
		{"TimestampLessThan", TypeNumber | TypeBoolean, "make the value one type before comparing it"},
	}
	for _, tt := range tests {
		cmp, ok := parseComparison(tt.op)
		if !ok {
			t.Fatalf("%s is not recognised", tt.op)
		}
		if got := cmp.fit(tt.types); got != tt.want {
			t.Errorf("%s on %s: fit = %q, want %q", tt.op, tt.types, got, tt.want)
		}
	}
	for _, op := range []string{"IsPresent", "IsNull", "BooleanLessThan", "StringMatches", "NumericEqualsTo"} {
		if _, ok := parseComparison(op); ok {
			t.Errorf("%s is taken for a typed comparison", op)
		}
	}
}
