package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const choiceDefaultID = "ZIS307"

// ChoiceDefault warns about Choice states without a Default.
var ChoiceDefault = &analysis.Analyzer{
	Name: "choice_default",
	Doc: `a Choice state should have a Default

When none of a Choice state's rules matches and there is no Default, the
run fails and ZIS retries the whole flow. Events
you did not plan for are the common case, so name the state to go to
otherwise, usually a Succeed state that ends the run quietly.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runChoiceDefault,
}

func runChoiceDefault(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, choiceDefaultID)
	for s := range r.in.Bundle.States() {
		if s.Type() == bundle.StateChoice && s.Default() == nil {
			r.key(s.Entry, "Choice state %q has no Default: when no rule matches, the run fails; add \"Default\" with the state to go to otherwise", s.Name)
		}
	}
	return nil, nil
}
