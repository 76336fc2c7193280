package rules

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const eventTypeID = "ZIS221"

// EventType checks a job spec's event against the documented Zendesk
// events.
var EventType = &analysis.Analyzer{
	Name: "event_type",
	Doc: `a job spec's event_type must be a documented Zendesk event of its event_source

Zendesk's own events come from two sources. "support" has the ticket.*,
user.* and organization.* events and the custom object record events
(customobject.CustomObjectRecordCreated, ...Changed, ...Deleted);
"sunshine" has activity.UserActivityCreated and the legacy custom object
events customobject.CustomObjectChanged and ...Deleted. The tags repeat the
object's name: ticket.TicketCreated, not ticket.Created (a form found in
third-party notes, which never fires). ZIS accepts a job spec with any
event_type, and a misspelled one simply never starts the flow. A close
match is suggested with a fix; an event under the wrong source is reported
with the right one. Other event sources are inbound webhooks and are not
checked here (see event_source). Template variables are left to
placeholder. The organization tags are not confirmed by Zendesk's
documentation yet, and findings about them say so.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runEventType,
}

func runEventType(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, eventTypeID)
	for _, res := range r.in.Bundle.OfType(bundle.TypeJobSpec) {
		js := res.JobSpec
		source, okSource := js.EventSource.Str()
		typ, okType := js.EventType.Str()
		// Empty values are schema's, template variables placeholder's.
		if !okSource || !okType || source == "" || typ == "" || bundle.LooksLikePlaceholder(source) || bundle.LooksLikePlaceholder(typ) {
			continue
		}
		owner, documented := eventSourceOf(typ)
		switch {
		case documented && owner == source:
		case documented && slices.Contains(zendeskSources, source):
			r.wrongEventSource(js, typ, owner, source)
		case documented:
			// A webhook could in theory reuse a Zendesk tag, but a
			// documented tag under a source that is not Zendesk's is far
			// more likely a mistyped source that never fires.
			r.span(int(js.EventSource.Start), int(js.EventSource.End()),
				"event_source "+quote(source)+" is not a Zendesk event source, but "+quote(typ)+" is a Zendesk event of source "+quote(owner)+"; set \"event_source\": "+quote(owner),
				r.replaceString(js.EventSource, "use "+quote(owner), owner))
		case slices.Contains(zendeskSources, source):
			r.unknownEvent(js.EventType, typ, source)
		}
	}
	return nil, nil
}

// wrongEventSource reports a documented event under the other Zendesk
// source, with a fix that sets the right one.
func (r *reporter) wrongEventSource(js *bundle.JobSpec, typ, owner, source string) {
	msg := "event_type " + quote(typ) + " is an event of source " + quote(owner) + ", not " + quote(source) + "; set \"event_source\": " + quote(owner)
	if current, ok := legacyEventReplacement()[typ]; ok {
		msg = "event_type " + quote(typ) + " is a legacy custom object event of source " + quote(owner) + ", not " + quote(source) +
			"; set \"event_source\": " + quote(owner) + ", or, for the current custom objects, keep " + quote(source) + " and use " + quote(current)
	}
	r.span(int(js.EventSource.Start), int(js.EventSource.End()), msg, r.replaceString(js.EventSource, "use "+quote(owner), owner))
}

// unknownEvent reports an event type that source does not have, with the
// closest documented one when there is one.
func (r *reporter) unknownEvent(n *bundle.Node, typ, source string) {
	msg := "event_type " + quote(typ) + " is not a documented Zendesk event of source " + quote(source)
	if strings.HasPrefix(strings.ToLower(typ), "organization.") {
		msg += orgListUnconfirmed
	}
	best := expandEventNoun(typ, source)
	if best == "" {
		best = suggest(typ, eventsBySource(source))
	}
	if best != "" {
		r.span(int(n.Start), int(n.End()), msg+"; did you mean "+quote(best)+"?", r.replaceString(n, "use "+quote(best), best))
		return
	}
	other := sourceSunshine
	if source == sourceSunshine {
		other = sourceSupport
	}
	if near := suggest(typ, eventsBySource(other)); near != "" {
		r.node(n, "%s; did you mean %q, an event of source %q?", msg, near, other)
		return
	}
	r.node(n, "%s; %s", msg, sourceEventsHint[source])
}

var sourceEventsHint = map[string]string{
	sourceSupport:  "its events are the ticket.*, user.* and organization.* events and customobject.CustomObjectRecordCreated, ...Changed and ...Deleted",
	sourceSunshine: "its events are activity.UserActivityCreated, customobject.CustomObjectChanged and customobject.CustomObjectDeleted",
}
