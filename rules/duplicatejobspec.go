package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const duplicateJobSpecID = "ZIS223"

// DuplicateJobSpec reports job specs that start the same flow for the
// same event.
var DuplicateJobSpec = &analysis.Analyzer{
	Name: "duplicate_job_spec",
	Doc: `no two job specs may start the same flow for the same event

Each installed job spec starts its flow on its own, so two job specs with
the same event_source, event_type and flow_name run the flow twice for
every event: two comments, two tags, two calls to the external service.
Names differ, so ZIS accepts both. Keep one of them.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runDuplicateJobSpec,
}

func runDuplicateJobSpec(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, duplicateJobSpecID)
	type trigger struct{ source, typ, flow string }
	first := map[trigger]*bundle.Resource{}
	for _, res := range r.in.Bundle.OfType(bundle.TypeJobSpec) {
		js := res.JobSpec
		source, ok1 := js.EventSource.Str()
		typ, ok2 := js.EventType.Str()
		flow, ok3 := js.FlowName.Str()
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		t := trigger{source, typ, flow}
		prev, seen := first[t]
		if !seen {
			first[t] = res
			continue
		}
		r.key(res.Entry, "job spec %q has the same event_source, event_type and flow_name as job spec %q, so once both are installed %s runs twice for every %s event; remove one of them",
			res.Key, prev.Key, quote(flow), quote(typ))
	}
	return nil, nil
}
