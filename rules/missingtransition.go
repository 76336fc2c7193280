package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const missingTransitionID = "ZIS304"

// MissingTransition reports states that say neither where to go nor that
// the run ends.
var MissingTransition = &analysis.Analyzer{
	Name: "missing_transition",
	Doc: `every Action, Map, Wait and Pass state needs Next or "End": true

After an Action, Map, Wait or Pass state runs, the flow goes to the state
named by Next, or ends there if the state has "End": true. A state with
neither is rejected. Succeed and Fail end the run by themselves, and Choice
states move on through their rules and Default.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runMissingTransition,
}

func runMissingTransition(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, missingTransitionID)
	for s := range r.in.Bundle.States() {
		if !needsTransition(s.Type()) || s.Next() != nil || s.IsEnd() {
			continue
		}
		end := s.End()
		if end != nil && end.Kind() != bundle.Bool {
			continue // the schema rule reports an End that is not a boolean
		}
		if end != nil {
			r.node(end, "state %q has \"End\": false and no Next; add \"Next\" with the state to run after it, or set \"End\": true", s.Name)
			continue
		}
		r.key(s.Entry, "%s state %q has neither Next nor \"End\": true; add \"Next\" with the state to run after it, or \"End\": true if the run ends here", s.Type(), s.Name)
	}
	return nil, nil
}

func needsTransition(typ string) bool {
	switch typ {
	case bundle.StateAction, bundle.StateMap, bundle.StateWait, bundle.StatePass:
		return true
	}
	return false
}
