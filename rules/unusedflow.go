package rules

import (
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const unusedFlowID = "ZIS224"

// UnusedFlow reports flows that no job spec starts.
var UnusedFlow = &analysis.Analyzer{
	Name: "unused_flow",
	Doc: `every flow should be started by a job spec

A flow runs only when a job spec's flow_name, zis:<integration>:flow:<name>,
names its properties.name. A flow that no job spec names is uploaded and
never runs: usually a job spec is missing or points at the wrong name, or
the flow is left over and can go. While some flow_name is missing,
malformed or names no flow, this rule says nothing: fixing that reference
may be what starts the flow (unknown_flow and reference_format report it);
nor when the bundle has no job spec or duplicate keys (required_resources
and duplicate_key report those).`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runUnusedFlow,
}

func runUnusedFlow(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unusedFlowID)
	jobSpecs := r.in.Bundle.OfType(bundle.TypeJobSpec)
	if len(jobSpecs) == 0 || len(r.in.Bundle.Duplicates) > 0 {
		// Without job specs required_resources speaks; with duplicate keys
		// the job spec meant may be the copy a decoder drops.
		return nil, nil
	}
	for _, js := range jobSpecs {
		if _, ok := js.JobSpec.FlowName.Str(); !ok {
			return nil, nil
		}
	}
	flows := resourceNames(r.in.Bundle, bundle.TypeFlow)
	started := map[string]bool{}
	for _, u := range r.in.Refs {
		if u.Field() != "flow_name" {
			continue
		}
		if u.Err() != nil || u.Ref().Kind != bundle.KindFlow || u.Ref().Integration == bundle.CommonKey || !slices.Contains(flows, u.Ref().Name) {
			return nil, nil
		}
		started[u.Ref().Name] = true
	}
	for _, res := range r.in.Bundle.OfType(bundle.TypeFlow) {
		if res.Name == nil || started[res.NameText()] {
			continue
		}
		r.key(res.Entry, "flow %q is not started by any job spec of this bundle, so it never runs; add a job spec with \"flow_name\": %q, or remove the flow",
			res.NameText(), bundle.Ref{Integration: r.keyOr("<integration>"), Kind: bundle.KindFlow, Name: res.NameText()}.String())
	}
	return nil, nil
}

// keyOr returns the bundle's integration key, or fallback when unknown.
func (r *reporter) keyOr(fallback string) string {
	if r.in.Key != "" {
		return r.in.Key
	}
	return fallback
}
