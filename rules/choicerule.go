package rules

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const choiceRuleID = "ZIS308"

// ChoiceRule checks the shape of each Choice rule.
var ChoiceRule = &analysis.Analyzer{
	Name: "choice_rule",
	Doc: `each Choice rule makes exactly one test

A Choice rule is either one comparison of a Variable (StringEquals,
NumericLessThan, IsPresent, ...) or one logical combination (And, Or, Not)
of nested rules. A rule with two comparisons, or with a comparison and an
And, leaves it unclear which one ZIS applies; a comparison without a
Variable has nothing to compare. Timestamp operators compare RFC 3339 times
such as 2024-05-01T09:30:00Z, so their value must be one. (The JSON type of
each operator's value is checked by the schema rule.)`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runChoiceRule,
}

func runChoiceRule(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, choiceRuleID)
	for s := range r.in.Bundle.States() {
		if s.Type() != bundle.StateChoice {
			continue
		}
		for i, rule := range s.Entry.Value().Get("Choices").Elems() {
			r.checkRule(rule, bundle.ChoicePlace(i), s.Name)
		}
	}
	return nil, nil
}

// ruleParts are the members that are not tests.
var ruleParts = map[string]bool{"Next": true, "Comment": true, "Variable": true}

// checkRule checks the rule found at path in state.
func (r *reporter) checkRule(rule *bundle.Node, path bundle.RulePlace, state string) {
	if rule == nil || rule.Kind() != bundle.Object {
		return
	}
	where := func() string { return fmt.Sprintf("%s of state %q", path, state) }
	// Only the first two tests matter: one is right, a second is reported.
	var tests [2]*bundle.Member
	count := 0
	members := rule.Members()
	for i := range members {
		if m := &members[i]; !ruleParts[m.Key()] {
			if count < len(tests) {
				tests[count] = m
			}
			count++
		}
	}
	switch {
	case count == 0:
		r.span(int(rule.Start), int(rule.Start)+1, where()+" makes no test; add a comparison such as \"StringEquals\" or combine rules with And, Or or Not")
		return
	case count > 1:
		r.key(tests[1], "%s makes more than one test (%s and %s); split it into two rules, or combine them with \"And\"", where(), keyName(tests[0].Key()), keyName(tests[1].Key()))
	}
	test := tests[0]
	switch test.Key() {
	case "And", "Or":
		for j, sub := range test.Value().Elems() {
			r.checkRule(sub, path.Child(test.Key(), j), state)
		}
		return
	case "Not":
		r.checkRule(test.Value(), path.Child("Not", 0), state)
		return
	}
	if rule.Member("Variable") == nil {
		r.key(test, "%s compares with %s but has no \"Variable\"; add the path of the value to test, e.g. \"Variable\": \"$.input.ticket_event.ticket.status\"", where(), keyName(test.Key()))
	}
	if strings.HasPrefix(test.Key(), "Timestamp") && !strings.HasSuffix(test.Key(), "Path") {
		if v, ok := test.Value().Str(); ok {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				r.node(test.Value(), "%s: %s compares RFC 3339 timestamps, and %q is not one; write e.g. \"2024-05-01T09:30:00Z\"", where(), test.Key(), v)
			}
		}
	}
}
