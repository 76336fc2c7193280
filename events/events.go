// Package events is zislint's catalogue of the Zendesk events a ZIS job
// spec can listen to: for each, its event_source and event_type, the key
// it sits under in the flow's $.input, and the shape of the document the
// flow starts with, from which a sample payload is built.
//
// The data comes from Zendesk's ZIS trigger-event reference (the page of
// each family is cited beside it in catalog.go). What the documentation
// leaves open is marked in the data: a value of unknown type is KindAny,
// an object that may carry more keys than listed is Open, and an event
// whose own properties or tag could not be confirmed says so in
// PropertiesConfirmed and TagConfirmed.
//
// Events of inbound webhooks (any other event_source) have no known
// shape: their body is whatever the sender posts.
//
// Everything returned is shared: callers must not modify it.
package events

import (
	"slices"
	"strings"
	"sync"
)

// The event sources of Zendesk's own events. Any other event_source is
// an inbound webhook's source_system.
const (
	SourceSupport  = "support"
	SourceSunshine = "sunshine"
)

// Event is one documented trigger event.
type Event struct {
	Source string // "support" or "sunshine"
	Type   string // the job spec's event_type, e.g. "ticket.TicketCreated"
	// Name is the value of the payload's "type" key, e.g. "Comment
	// Created" for ticket.CommentAdded: the documented one where it could
	// be read, else the tag's words ("StatusChanged" → "Status Changed").
	Name string
	// Wrapper is the key of $.input the event sits under, e.g.
	// "ticket_event".
	Wrapper string
	// Page is the documentation page the event is described on.
	Page string
	// TagConfirmed is false for the event types zislint believes exist
	// but could not read in Zendesk's list (the organization events).
	TagConfirmed bool
	// PropertiesConfirmed is false when the event's own properties (those
	// beside meta, type and the resource object) could not be read in
	// the documentation; its wrapper object is then Open.
	PropertiesConfirmed bool
	// Successor names the current event that replaces a legacy one.
	Successor string
	// document builds the event's Document once, on first use.
	document func() *Node
}

// Document is the shape of the whole document the flow starts with:
// account_id, integration_key, subdomain and input. Each event's is
// built when first asked for: a run looks at the documents of the one
// or two events its job specs name, and building all of them cost a
// one-bundle lint a millisecond.
func (e *Event) Document() *Node { return e.document() }

// Input is the shape of $.input.
func (e *Event) Input() *Node { return e.Document().Fields["input"] }

// Find looks a path up in the event's document. A path that starts with
// "$" is read from the document's root ("$.input.ticket_event.ticket.id");
// any other from $.input ("ticket_event.ticket.id"). ok and open are as
// for Node.Lookup.
func (e *Event) Find(path string) (node *Node, ok, open bool) {
	if strings.HasPrefix(path, "$") {
		return e.Document().Lookup(path)
	}
	return e.Input().Lookup(path)
}

// Paths lists the documented paths below $.input, such as
// "ticket_event.ticket.id".
func (e *Event) Paths() []string { return e.Input().Paths() }

// Sample builds a realistic document for the event, as a flow would
// receive it, from the event's shape.
func (e *Event) Sample() map[string]any {
	doc, _ := e.Document().Sample().(map[string]any)
	return doc
}

// All lists every known event, in catalogue order.
func All() []*Event { return slices.Clone(catalog()) }

// Lookup finds the event of a job spec's event_source and event_type.
func Lookup(source, eventType string) (*Event, bool) {
	e, ok := byType()[eventType]
	if !ok || e.Source != source {
		return nil, false
	}
	return e, true
}

// ByType finds a documented event by its event_type alone, whatever its
// source, so that a caller can tell a misplaced event from an unknown
// one.
func ByType(eventType string) (*Event, bool) {
	e, ok := byType()[eventType]
	return e, ok
}

// Types lists the event types of a source, in catalogue order.
func Types(source string) []string {
	var out []string
	for _, e := range catalog() {
		if e.Source == source {
			out = append(out, e.Type)
		}
	}
	return out
}

// Sources lists Zendesk's own event sources.
func Sources() []string { return []string{SourceSupport, SourceSunshine} }

// IsZendeskSource tells Zendesk's own event sources from inbound
// webhooks' source systems.
func IsZendeskSource(source string) bool { return slices.Contains(Sources(), source) }

var byType = sync.OnceValue(indexByType)

func indexByType() map[string]*Event {
	m := make(map[string]*Event, len(catalog()))
	for _, e := range catalog() {
		m[e.Type] = e
	}
	return m
}
