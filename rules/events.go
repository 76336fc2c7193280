package rules

import (
	"strings"

	"github.com/zislint/zislint/events"
)

// The event sources of Zendesk's own events. Any other event_source is an
// inbound webhook's source_system.
const (
	sourceSupport  = events.SourceSupport
	sourceSunshine = events.SourceSunshine
)

var zendeskSources = events.Sources()

// legacyEventReplacement maps each legacy custom object event to its
// current counterpart under "support".
var legacyEventReplacement = legacyReplacements()

func legacyReplacements() map[string]string {
	m := map[string]string{}
	for _, e := range events.All() {
		if e.Successor != "" {
			m[e.Type] = e.Successor
		}
	}
	return m
}

// eventNamespaceNoun is the word the documented tags of a namespace repeat
// after the dot (ticket.TicketCreated), which people tend to leave out
// (ticket.Created, seen in third-party notes, is not a documented tag).
var eventNamespaceNoun = map[string]string{
	"ticket":       "Ticket",
	"user":         "User",
	"organization": "Organization",
	"customobject": "CustomObject",
}

const orgListUnconfirmed = " (zislint's list of organization events is not confirmed by Zendesk's documentation)"

// eventSourceOf maps each documented event type to its event_source;
// eventsBySource lists them per source, in catalog order, for suggestions.
// Both come from the events catalogue, zislint's one list of documented
// events (its package documentation gives the sources).
var eventSourceOf, eventsBySource = indexEvents()

func indexEvents() (map[string]string, map[string][]string) {
	of := map[string]string{}
	by := map[string][]string{}
	for _, e := range events.All() {
		of[e.Type] = e.Source
		by[e.Source] = append(by[e.Source], e.Type)
	}
	return of, by
}

// expandEventNoun turns ticket.Created into ticket.TicketCreated when the
// latter is a documented event of source, matching case-insensitively;
// it returns "" otherwise.
func expandEventNoun(eventType, source string) string {
	ns, rest, ok := strings.Cut(eventType, ".")
	noun := eventNamespaceNoun[strings.ToLower(ns)]
	if !ok || noun == "" || rest == "" {
		return ""
	}
	want := ns + "." + noun + rest
	for _, t := range eventsBySource[source] {
		if strings.EqualFold(t, want) {
			return t
		}
	}
	return ""
}
