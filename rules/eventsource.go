package rules

import (
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const eventSourceID = "ZIS222"

// EventSource points out job specs that listen to an inbound webhook.
var EventSource = &analysis.Analyzer{
	Name: "event_source",
	Doc: `an event_source other than support or sunshine must be an inbound webhook

Zendesk's own events come from "support" and "sunshine". Any other
event_source is legitimate only as the source_system of an inbound webhook
of the integration (created with the Inbound Webhooks API), and the
event_type must then equal that webhook's event_type. zislint cannot see
the webhooks, so this is information, not an error: make sure the webhook
exists, or fix the source when a Zendesk event was meant. A documented
Zendesk event under another source is an error of event_type instead.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runEventSource,
}

func runEventSource(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, eventSourceID)
	for _, res := range r.in.Bundle.OfType(bundle.TypeJobSpec) {
		js := res.JobSpec
		source, ok := js.EventSource.Str()
		if !ok || source == "" || slices.Contains(zendeskSources, source) || bundle.LooksLikePlaceholder(source) {
			continue
		}
		webhook := "source_system " + quote(source)
		if typ, ok := js.EventType.Str(); ok {
			if _, documented := eventSourceOf(typ); documented {
				continue // event_type reports the source as wrong
			}
			if !bundle.LooksLikePlaceholder(typ) {
				webhook += " and event_type " + quote(typ)
			}
		}
		r.reportName(js.EventSource,
			"event_source "+quote(source)+" is not a Zendesk event source (support, sunshine); inbound webhooks use their own source names, so make sure an inbound webhook with "+webhook+" exists",
			source, zendeskSources)
	}
	return nil, nil
}
