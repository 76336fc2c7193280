package diagram

import (
	"testing"

	"github.com/zislint/zislint/bundle"
)

func TestConditionInWords(t *testing.T) {
	for _, c := range []struct{ rule, want string }{
		{`{"Variable": "$.refund_amount_num", "NumericLessThanEquals": 100}`, `refund_amount_num <= 100`},
		{`{"Variable": "$.customer.tier", "StringEquals": "premium"}`, `customer.tier == "premium"`},
		{`{"Variable": "$.a", "StringEquals": "say \"hi\""}`, `a == "say \"hi\""`},
		{`{"Variable": "$.n", "NumericGreaterThanPath": "$.limit"}`, `n > limit`},
		{`{"Variable": "$.on", "BooleanEquals": false}`, `on == false`},
		{`{"Variable": "$.x", "IsPresent": true}`, `x is present`},
		{`{"Variable": "$.x", "IsPresent": false}`, `x is absent`},
		{`{"Variable": "$.x", "IsNull": false}`, `x is not null`},
		{`{"Variable": "$.when", "TimestampLessThan": "2026-01-01T00:00:00Z"}`, `when before "2026-01-01T00:00:00Z"`},
		{`{"Variable": "$.s", "StringMatches": "log-*.txt"}`, `s matches "log-*.txt"`},
		{`{"Variable": "$", "IsString": true}`, `the document is a string`},
		{`{"And": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Variable": "$.b", "IsNull": true}]}`, `a > 1 and b is null`},
		{`{"Or": [{"Variable": "$.a", "StringEquals": "x"}, {"Not": {"Variable": "$.b", "IsPresent": true}}]}`, `a == "x" or not (b is present)`},
		{`{"Not": {"And": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.b", "IsNull": true}]}}`, `not (a is null and b is null)`},
		{`{"Variable": "$.a", "Next": "X"}`, `a ?`},
		{`{"NumericEquals": 1}`, `? == 1`},
		{`{"And": []}`, `?`},
		{`{"Or": [{"And": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.b", "IsNull": true}]}, {"Variable": "$.c", "IsNull": true}]}`, `(a is null and b is null) or c is null`},
		{`"not an object"`, `?`},
	} {
		root, _, err := bundle.ParseJSON([]byte(c.rule))
		if err != nil {
			t.Fatalf("%s: %v", c.rule, err)
		}
		if got := Condition(root); got != c.want {
			t.Errorf("Condition(%s) = %q, want %q", c.rule, got, c.want)
		}
	}
}

func TestShortActionName(t *testing.T) {
	for in, want := range map[string]string{
		"zis:acme_refunds:action:GetUserProfile": "GetUserProfile",
		"zis:common:transform:Jq":                "Jq",
		"zis:common:action:LoadConfig":           "LoadConfig",
		"plain":                                  "plain",
		"trailing:":                              "trailing:",
	} {
		if got := ShortActionName(in); got != want {
			t.Errorf("ShortActionName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEdgeTextKeepsLongPathsShort(t *testing.T) {
	for _, c := range []struct {
		steps []int
		label string
		want  string
	}{
		{nil, "Default", "Default"},
		{[]int{4}, "", "#4"},
		{[]int{4}, "Default", "#4 · Default"},
		{[]int{5, 7, 9}, "each item", "#5, #7, #9 · each item"},
		{[]int{5, 7, 9, 11, 13}, "each item", "#5, #7 … #13 (5×)"},
	} {
		// The label follows the steps, even when they are cut short.
		want := c.want
		if len(c.steps) > 3 {
			want += " · " + c.label
		}
		if got := edgeText(&Edge{Steps: c.steps, Label: c.label}); got != want {
			t.Errorf("edgeText(%v, %q) = %q, want %q", c.steps, c.label, got, want)
		}
	}
}
