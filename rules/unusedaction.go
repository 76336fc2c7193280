package rules

import (
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const unusedActionID = "ZIS225"

// UnusedAction reports custom actions that no Action state calls.
var UnusedAction = &analysis.Analyzer{
	Name: "unused_action",
	Doc: `every custom action should be called by an Action state

An Action state calls a custom action by its properties.name, as
zis:<integration>:action:<name>, and only actions of the same bundle can be
called. An action that no ActionName names is dead weight, and often the
sign of a call that points at the wrong name. While some ActionName is
missing, malformed or names no action, or some flow or Map state has no
readable definition or an unknown state type, or the bundle has duplicate
keys or no flow at all, this rule says nothing: the call that is meant may
be hidden there (unknown_action, reference_format, schema, duplicate_key
and required_resources report those).`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runUnusedAction,
}

func runUnusedAction(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unusedActionID)
	if !allCallsVisible(r.in.Bundle) {
		return nil, nil
	}
	actions := resourceNames(r.in.Bundle, bundle.TypeAction)
	called := map[string]bool{}
	for _, u := range r.in.Refs {
		switch {
		case u.Field() != "ActionName":
		case u.Err() != nil:
			return nil, nil
		case u.Ref().Integration == bundle.CommonKey:
		case u.Ref().Kind != bundle.KindAction || !slices.Contains(actions, u.Ref().Name):
			return nil, nil
		default:
			called[u.Ref().Name] = true
		}
	}
	for _, res := range r.in.Bundle.OfType(bundle.TypeAction) {
		if res.Name == nil || called[res.NameText()] {
			continue
		}
		r.key(res.Entry, "action %q is not called by any Action state of this bundle; call it with \"ActionName\": %q, or remove it",
			res.NameText(), bundle.Ref{Integration: r.keyOr("<integration>"), Kind: bundle.KindAction, Name: res.NameText()}.String())
	}
	return nil, nil
}

// allCallsVisible reports whether every flow and Map iterator could be
// read and every Action state has a string ActionName, so that the
// references collected by Root are all the calls there are.
func allCallsVisible(b *bundle.Bundle) bool {
	flows := b.OfType(bundle.TypeFlow)
	if len(flows) == 0 || len(b.Duplicates) > 0 {
		// Without flows required_resources speaks; with duplicate keys the
		// call may sit in the copy a decoder drops.
		return false
	}
	for _, res := range flows {
		if res.Flow.Machine == nil {
			return false
		}
	}
	for m := range b.EachMachine() {
		if len(m.States) == 0 {
			return false
		}
		for _, s := range m.States {
			name := s.Entry.Value().Get("ActionName")
			_, isString := name.Str()
			switch {
			case !isKnownStateType(s.Type()), // Task, Parallel: their calls are invisible to Root
				s.Type() == bundle.StateMap && s.Iterator() == nil,
				s.Type() == bundle.StateAction && !isString,
				s.Type() != bundle.StateAction && name != nil:
				return false
			}
		}
	}
	return true
}

// isKnownStateType reports whether typ is a state type of the flow
// language; a switch, as it is asked about every state.
func isKnownStateType(typ string) bool {
	switch typ {
	case bundle.StateAction, bundle.StateChoice, bundle.StateMap, bundle.StateWait,
		bundle.StateSucceed, bundle.StateFail, bundle.StatePass:
		return true
	}
	return false
}
