package rules

import "strings"

// The event sources of Zendesk's own events. Any other event_source is an
// inbound webhook's source_system.
const (
	sourceSupport  = "support"
	sourceSunshine = "sunshine"
)

var zendeskSources = []string{sourceSupport, sourceSunshine}

// zendeskEventList is the catalog of documented Zendesk events a job spec
// can listen to, by event_source. It is data, kept apart from the rule so
// that it can be brought up to date on its own.
//
// Source: Zendesk's ZIS trigger-event reference
// (developer.zendesk.com/api-reference/integration-services/trigger-events/:
// ticket-events, user-events, organization-events, custom-object-events,
// legacy-custom-object-events, activity-events), as collected in section 4
// ("Job specs and trigger events") of the project's ZIS facts reference.
var zendeskEventList = []struct {
	source string
	types  []string
}{
	{sourceSupport, prefixed("ticket.",
		"TicketCreated", "AgentAssignmentChanged", "GroupAssignmentChanged",
		"OrganizationChanged", "BrandChanged", "TicketFormChanged",
		"AttachmentLinkedToComment", "AttachmentRedactedFromComment",
		"CommentAdded", "CommentMadePrivate", "CommentRedacted",
		"CustomFieldChanged", "DescriptionChanged", "ExternalIdChanged",
		"PriorityChanged", "StatusChanged", "SubjectChanged", "TagsChanged",
		"TaskDueAtChanged", "TicketTypeChanged", "CcsChanged",
		"FollowersChanged", "RequesterChanged", "SubmitterChanged",
		"ProblemLinkChanged", "MarkedAsSpam", "TicketMerged",
		"TicketPermanentlyDeleted", "TicketSoftDeleted", "TicketUndeleted")},
	{sourceSupport, prefixed("user.",
		"UserCreated", "UserMerged", "UserIsActiveChanged", "LastLoginChanged",
		"UserAliasChanged", "CustomFieldChanged", "UserDetailsChanged",
		"ExternalIdChanged", "UserNameChanged", "UserNotesChanged",
		"UserPhotoChanged", "TagsChanged", "TimeZoneChanged",
		"CustomRoleChanged", "UserRoleChanged", "UserDefaultGroupChanged",
		"UserGroupAdded", "UserGroupRemoved", "OnlyPrivateCommentsChanged",
		"UserIdentityChanged", "UserIdentityCreated", "UserIdentityRemoved",
		"UserOrganizationAdded", "UserOrganizationRemoved")},
	// PROBABLE, NOT CONFIRMED: the organization-events page could not be
	// read in full, so these tags are the likely ones, not a verified list.
	// Messages about organization events say so (see orgListUnconfirmed).
	{sourceSupport, prefixed("organization.",
		"CustomFieldChanged", "OrganizationCreated", "OrganizationDeleted",
		"ExternalIdChanged", "NameChanged", "TagsChanged")},
	{sourceSupport, prefixed("customobject.",
		"CustomObjectRecordCreated", "CustomObjectRecordChanged",
		"CustomObjectRecordDeleted")},
	{sourceSunshine, prefixed("activity.", "UserActivityCreated")},
	// Legacy custom objects, superseded by the record events above.
	{sourceSunshine, prefixed("customobject.", "CustomObjectChanged", "CustomObjectDeleted")},
}

// legacyEventReplacement maps each legacy custom object event to its
// current counterpart under "support".
var legacyEventReplacement = map[string]string{
	"customobject.CustomObjectChanged": "customobject.CustomObjectRecordChanged",
	"customobject.CustomObjectDeleted": "customobject.CustomObjectRecordDeleted",
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

func prefixed(prefix string, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// eventSourceOf maps each documented event type to its event_source;
// eventsBySource lists them per source, in catalog order, for suggestions.
var eventSourceOf, eventsBySource = indexEvents()

func indexEvents() (map[string]string, map[string][]string) {
	of := map[string]string{}
	by := map[string][]string{}
	for _, group := range zendeskEventList {
		for _, t := range group.types {
			of[t] = group.source
			by[group.source] = append(by[group.source], t)
		}
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
