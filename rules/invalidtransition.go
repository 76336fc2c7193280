package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const invalidTransitionID = "ZIS305"

// InvalidTransition reports transitions a state type cannot have.
var InvalidTransition = &analysis.Analyzer{
	Name: "invalid_transition",
	Doc: `Next and End must not conflict or appear where they do not belong

A state either goes to Next or ends the run with "End": true, never both.
Succeed and Fail states end the run by themselves and take neither Next
nor End; the fix removes the stray field. Choice states move on only
through their rules' Next and their Default, so Next or End on a Choice
state is ignored at best.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runInvalidTransition,
}

func runInvalidTransition(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, invalidTransitionID)
	for s := range r.in.Bundle.States() {
		r.checkTransitions(s)
	}
	return nil, nil
}

func (r *reporter) checkTransitions(s *bundle.State) {
	obj := s.Entry.Value()
	switch {
	case s.Terminal():
		for _, field := range [...]string{"Next", "End"} {
			if m := obj.Member(field); m != nil {
				r.span(int(m.KeyStart), int(m.KeyEnd()),
					s.Type()+" state "+quote(s.Name)+" ends the run by itself and takes no "+field+"; remove it",
					r.removeFix(obj, m, "remove "+field)...)
			}
		}
	case s.Type() == bundle.StateChoice:
		for _, field := range [...]string{"Next", "End"} {
			if m := obj.Member(field); m != nil {
				r.key(m, "Choice state %q takes no %s: it moves on through its Choices' Next and its Default; move the target into Default", s.Name, field)
			}
		}
	case s.Next() != nil && s.IsEnd():
		r.key(obj.Member("End"), "state %q has both Next and \"End\": true; keep Next to continue to %s, or remove it to end the run here", s.Name, jsonText(s.Next()))
	}
}

// removeFix deletes member m from obj.
func (r *reporter) removeFix(obj *bundle.Node, m *bundle.Member, message string) []analysis.SuggestedFix {
	start, end, ok := obj.RemovalSpan(int(m.KeyStart))
	if !ok {
		return nil
	}
	return []analysis.SuggestedFix{{Message: message, TextEdits: []analysis.TextEdit{{Pos: r.in.Pos(start), End: r.in.Pos(end)}}}}
}
