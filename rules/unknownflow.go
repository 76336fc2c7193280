package rules

import (
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const unknownFlowID = "ZIS212"

// UnknownFlow reports a job spec whose flow_name names no flow.
var UnknownFlow = &analysis.Analyzer{
	Name: "unknown_flow",
	Doc: `every job spec's flow_name must name a flow of this bundle

A job spec starts the flow named by flow_name, zis:<integration>:flow:<name>,
where <name> is a flow's properties.name (not its resource key). A job spec
pointing at a missing flow installs fine and then never runs anything. When
a name is close to an existing one, the finding suggests it and offers a
fix.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runUnknownFlow,
}

func runUnknownFlow(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unknownFlowID)
	names := resourceNames(r.in.Bundle, bundle.TypeFlow)
	for _, u := range r.in.Refs {
		if u.Field() != "flow_name" || u.Err() != nil || u.Ref().Kind != bundle.KindFlow || u.Ref().Integration == bundle.CommonKey {
			continue
		}
		if !slices.Contains(names, u.Ref().Name) {
			r.unresolvedResource(u, bundle.TypeFlow, names)
		}
	}
	return nil, nil
}
