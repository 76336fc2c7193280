package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const requiredResourcesID = "ZIS102"

// RequiredResources reports a bundle without a flow or without a job spec.
var RequiredResources = &analysis.Analyzer{
	Name: "required_resources",
	Doc: `a bundle needs at least one flow and one job spec

ZIS runs nothing by itself: a job spec binds an event to a flow, and a flow
calls the actions. A bundle without a flow has nothing to run, and one
without a job spec never starts its flows. Actions can only be called from
flows of the same bundle, so an actions-only bundle is not useful either.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runRequiredResources,
}

func runRequiredResources(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, requiredResourcesID)
	b := r.in.Bundle
	res := b.Root.Get("resources")
	if res == nil || res.Kind() != bundle.Object {
		return nil, nil // the schema rule reports a missing "resources"
	}
	m := b.Root.Member("resources")
	flows, jobSpecs := len(b.OfType(bundle.TypeFlow)), len(b.OfType(bundle.TypeJobSpec))
	switch {
	case flows == 0 && jobSpecs == 0:
		r.key(m, "the bundle has neither a %s nor a %s; add a flow, and a job spec that starts it when an event happens", bundle.TypeFlow, bundle.TypeJobSpec)
	case flows == 0:
		r.key(m, "the bundle has no %s resource; add the flow its job specs should start", bundle.TypeFlow)
	case jobSpecs == 0:
		r.key(m, "the bundle has no %s resource, so none of its flows ever starts; add a job spec that binds an event to a flow", bundle.TypeJobSpec)
	}
	return nil, nil
}
