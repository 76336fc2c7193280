package rules

import (
	"strings"
	"sync"

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
// It is built on first use, like the catalogue it reads.
var legacyEventReplacement = sync.OnceValue(legacyReplacements)

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
// They are built on first use, as most runs never need them.
var eventIndex = sync.OnceValue(indexEvents)

type eventMaps struct {
	sourceOf map[string]string
	bySource map[string][]string
}

func indexEvents() eventMaps {
	m := eventMaps{sourceOf: map[string]string{}, bySource: map[string][]string{}}
	for _, e := range events.All() {
		m.sourceOf[e.Type] = e.Source
		m.bySource[e.Source] = append(m.bySource[e.Source], e.Type)
	}
	return m
}

func eventSourceOf(eventType string) (string, bool) {
	s, ok := eventIndex().sourceOf[eventType]
	return s, ok
}

func eventsBySource(source string) []string { return eventIndex().bySource[source] }

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
	for _, t := range eventsBySource(source) {
		if strings.EqualFold(t, want) {
			return t
		}
	}
	return ""
}
