package events

import (
	"strings"
	"sync"
	"unicode"
)

// The documentation pages, one per family.
const (
	pageBase          = "https://developer.zendesk.com/api-reference/integration-services/trigger-events/"
	pageIntroduction  = pageBase + "introduction/"
	pageTickets       = pageBase + "ticket-events/"
	pageUsers         = pageBase + "user-events/"
	pageOrganizations = pageBase + "organization-events/"
	pageCustomObjects = pageBase + "custom-object-events/"
	pageLegacyObjects = pageBase + "legacy-custom-object-events/"
	pageActivities    = pageBase + "activity-events/"
)

// document wraps an event object in the flow's initial document. Source:
// the introduction page: account_id, integration_key and subdomain beside
// input, which holds the event under its wrapper key.
func document(wrapper string, event *Node) *Node {
	return obj(
		f("account_id", num(81402)),
		f("integration_key", str("acme_sync")),
		f("subdomain", str("acme-support")),
		f("input", required(obj(f(wrapper, required(event))))),
	)
}

// meta is the envelope every Zendesk event carries. The Events Connector
// pages show an actor_id in it that the ZIS pages do not, so it is open.
func meta(withSequence bool) *Node {
	m := openObj(
		f("version", str("1.0")),
		f("occurred_at", str("2026-03-14T09:26:53Z")),
		f("ref", str("7-3141592653")),
	)
	if withSequence {
		m.Fields["sequence"] = obj(
			f("id", str("9F2C61D0B7A84E3F8C1D5A7E20B4C6D8")),
			f("position", num(1)),
			f("total", num(1)),
		)
	}
	return m
}

// Ticket events. Source: pageTickets and pageIntroduction, whose
// examples list the ticket object's keys; nulls as in the examples
// (group_id) and as the ticket resource allows (unassigned, no
// organization, no type or priority, no external id).
func ticketObject() *Node {
	return obj(
		f("id", num(4127)),
		f("created_at", str("2026-03-14T09:20:11Z")),
		f("updated_at", str("2026-03-14T09:26:53Z")),
		f("type", orNull(str("incident"))),
		f("priority", orNull(str("normal"))),
		f("status", str("open")),
		f("requester_id", num(52001)),
		f("submitter_id", num(52001)),
		f("assignee_id", orNull(num(63018))),
		f("organization_id", orNull(num(70044))),
		f("group_id", orNull(num(88120))),
		f("brand_id", num(360001)),
		f("form_id", num(360077)),
		f("external_id", orNull(str("ORD-20931"))),
		f("tags", list(str("refund_request"))),
		f("via", obj(f("channel", str("email")))),
	)
}

// ticketComment is the comment a Comment Created event carries. The
// stored ZIS page did not show it; the Events Connector sends the same
// ticket_event body, and its Comment Created example (as copied in public
// test fixtures) has these keys.
func ticketComment() *Node {
	return obj(
		f("id", num(19872001)),
		f("body", str("Could you refund order 20931? It arrived damaged.")),
		f("is_public", boolean(true)),
		f("author", obj(f("id", num(52001)), f("name", str("Dana Reyes")), f("is_staff", boolean(false)))),
	)
}

// change is one event of a family: its tag, its documented name when
// that is not derived from the tag, whether the ZIS page confirms its
// properties, and those properties.
type change struct {
	tag, name string
	confirmed bool
	props     []field
}

// ticketChanges are the ticket events' own properties. An entry with
// confirmed false was not read on the ZIS page: its wrapper stays open
// and its values are KindAny, so that no check relies on a guess.
func ticketChanges() []change {
	return []change{
		{"TicketCreated", "", true, nil},
		// "previous - The previous assigned agent ID, current - the current one".
		{"AgentAssignmentChanged", "", true, []field{f("previous", orNull(num(63011))), f("current", orNull(num(63018)))}},
		{"GroupAssignmentChanged", "", false, changed(88100, 88120)},
		{"OrganizationChanged", "", false, changed(70040, 70044)},
		{"BrandChanged", "", false, changed(360000, 360001)},
		{"TicketFormChanged", "Form Changed", false, changed(360070, 360077)},
		// An attachment object with id, content_url, content_type, filename
		// and is_public; the rest of the example is cut off in the stored
		// page, hence open.
		{"AttachmentLinkedToComment", "Attachment Linked to Comment", false, []field{f("attachment", openObj(
			f("id", num(9061)),
			f("content_url", str("https://acme-support.zendesk.com/attachments/token/k2Hq/?name=receipt.pdf")),
			f("content_type", str("application/pdf")),
			f("filename", str("receipt.pdf")),
			f("is_public", boolean(true)),
		))}},
		{"AttachmentRedactedFromComment", "Attachment Redacted from Comment", false, nil},
		{"CommentAdded", "Comment Created", false, []field{f("comment", ticketComment())}},
		{"CommentMadePrivate", "", false, nil},
		{"CommentRedacted", "", false, nil},
		// Listed with variants per field type (checkbox, date, text, ...), as
		// on the organization page, whose example shows the custom_field
		// object; previous/current follow the field's type.
		{"CustomFieldChanged", "", false, []field{
			f("custom_field", obj(f("id", num(360210)), f("title", str("Order number")), f("field_type", str("text")))),
			f("previous", anyOf(nil)), f("current", anyOf("20931")),
		}},
		{"DescriptionChanged", "", false, changed("Printer jams", "Printer jams on page two")},
		{"ExternalIdChanged", "External ID Changed", false, changed("ORD-20930", "ORD-20931")},
		{"PriorityChanged", "", false, changed("normal", "high")},
		{"StatusChanged", "", false, changed("new", "open")},
		{"SubjectChanged", "", false, changed("Refund", "Refund for order 20931")},
		{"TagsChanged", "", false, nil},
		{"TaskDueAtChanged", "", false, changed(nil, "2026-03-20T17:00:00Z")},
		{"TicketTypeChanged", "", false, changed("question", "incident")},
		{"CcsChanged", "Email CCs Changed", false, nil},
		{"FollowersChanged", "", false, nil},
		{"RequesterChanged", "", false, changed(52000, 52001)},
		{"SubmitterChanged", "", false, changed(52000, 52001)},
		{"ProblemLinkChanged", "", false, changed(nil, 4100)},
		{"MarkedAsSpam", "Ticket Marked as Spam", false, nil},
		{"TicketMerged", "", false, nil},
		{"TicketPermanentlyDeleted", "", false, nil},
		{"TicketSoftDeleted", "", false, nil},
		{"TicketUndeleted", "", false, nil},
	}
}

// changed is the previous/current pair of a change event whose value
// types the catalogue has not confirmed.
func changed(previous, current any) []field {
	return []field{f("previous", anyOf(previous)), f("current", anyOf(current))}
}

// User events. Source: pageUsers for the tags. The user object's keys
// (created_at, default_group_id, email, external_id, id, organization_id,
// role, updated_at) and the Active Status Changed and Alias Changed names
// are from Zendesk's Events Connector page for users
// (developer.zendesk.com/api-reference/event-connectors/events-for-amazon-eventbridge/users),
// which documents the same user_event body.
func userObject() *Node {
	return obj(
		f("id", num(52001)),
		f("external_id", orNull(str("CRM-5521"))),
		f("role", str("end-user")),
		f("email", str("dana.reyes@example.com")),
		f("created_at", str("2025-11-02T14:05:00Z")),
		f("updated_at", str("2026-03-14T09:26:53Z")),
		f("organization_id", orNull(num(70044))),
		f("default_group_id", orNull(num(88120))),
	)
}

func userChanges() []change {
	return []change{
		{"UserCreated", "", false, nil},
		{"UserMerged", "", false, nil},
		// "previous - The previous active status, current - the current one";
		// current is false when the user was soft deleted.
		{"UserIsActiveChanged", "Active Status Changed", true, []field{f("previous", boolean(true)), f("current", boolean(false))}},
		{"LastLoginChanged", "", false, nil},
		{"UserAliasChanged", "Alias Changed", false, changed("", "Dana R.")},
		{"CustomFieldChanged", "", false, nil},
		{"UserDetailsChanged", "", false, nil},
		{"ExternalIdChanged", "External ID Changed", false, changed(nil, "CRM-5521")},
		{"UserNameChanged", "", false, changed("Dana", "Dana Reyes")},
		{"UserNotesChanged", "", false, nil},
		{"UserPhotoChanged", "", false, nil},
		{"TagsChanged", "", false, nil},
		{"TimeZoneChanged", "", false, nil},
		{"CustomRoleChanged", "", false, nil},
		{"UserRoleChanged", "", false, changed("end-user", "agent")},
		{"UserDefaultGroupChanged", "", false, changed(88100, 88120)},
		{"UserGroupAdded", "", false, nil},
		{"UserGroupRemoved", "", false, nil},
		{"OnlyPrivateCommentsChanged", "", false, nil},
		{"UserIdentityChanged", "", false, nil},
		{"UserIdentityCreated", "", false, nil},
		{"UserIdentityRemoved", "", false, nil},
		{"UserOrganizationAdded", "", false, nil},
		{"UserOrganizationRemoved", "", false, nil},
	}
}

// Organization events. Source: pageOrganizations (its Custom Field
// Changed example). The tags themselves could not be read in the page's
// list: they are the likely ones, marked TagConfirmed false.
func organizationObject() *Node {
	return obj(
		f("id", num(70044)),
		f("external_id", orNull(str("ACCT-118"))),
		f("name", str("Northwind Traders")),
		f("created_at", str("2024-06-01T08:00:00Z")),
		f("updated_at", str("2026-03-14T09:26:53Z")),
		f("shared_tickets", boolean(false)),
		f("shared_comments", boolean(false)),
		f("group_id", orNull(num(88120))),
	)
}

func organizationChanges() []change {
	return []change{
		// A custom_field object (id, title, field_type) and previous/current
		// values whose type follows field_type (boolean for a checkbox).
		{"CustomFieldChanged", "", true, []field{
			f("custom_field", obj(f("id", num(360501)), f("title", str("Priority account")), f("field_type", str("checkbox")))),
			f("previous", anyOf(false)), f("current", anyOf(true)),
		}},
		{"OrganizationCreated", "", false, nil},
		{"OrganizationDeleted", "", false, nil},
		{"ExternalIdChanged", "External ID Changed", false, changed("ACCT-117", "ACCT-118")},
		{"NameChanged", "", false, changed("Northwind", "Northwind Traders")},
		{"TagsChanged", "", false, nil},
	}
}

// Custom object record events. Source: pageCustomObjects, whose examples
// all carry the record below; its custom_object_fields hold whatever
// fields the object defines.
func customObjectRecord() *Node {
	return obj(
		f("account_id", num(81402)),
		f("custom_object_key", str("vehicle")),
		f("external_id", orNull(str("VIN-4Y1SL65848Z411439"))),
		f("id", str("01HQ7R2M5K9XB3T4V6W8Y0Z1A2")),
		f("name", str("Fleet van 12")),
		f("custom_object_fields", openObj(f("plate", anyOf("KX-482-TR")))),
		f("created_at", str("2026-01-09T10:12:00Z")),
		f("created_by_user_id", num(63018)),
		f("updated_at", str("2026-03-14T09:26:53Z")),
		f("updated_by_user_id", num(63018)),
	)
}

// Legacy (Sunshine) custom object events. Source: pageLegacyObjects. Note
// that account_id is a string here, unlike everywhere else.
func legacyCustomObject() *Node {
	return obj(
		f("account_id", str("81402")),
		f("object_type", str("vehicle")),
		f("id", str("5b0f9c7e-1a2d-11ef-8c3b-2f6a4d9e0b71")),
		f("external_id", orNull(str("VIN-4Y1SL65848Z411439"))),
		f("attributes", openObj(f("plate", anyOf("KX-482-TR")))),
		f("created_at", str("2026-01-09T10:12:00Z")),
		f("updated_at", str("2026-03-14T09:26:53Z")),
	)
}

// Activity events. Source: pageActivities; namespace and properties are
// free-form, defined by whoever records the activity.
func userActivity() *Node {
	return obj(
		f("created_at", str("2026-03-14T09:26:53Z")),
		f("description", str("Customer renewed the annual plan")),
		f("id", str("K7QW3ZP9RT")),
		f("namespace", openObj(f("ref_id", anyOf("eu-store")))),
		f("profile_id", str("P4M8XN2VCB")),
		f("properties", openObj(f("plan", anyOf("annual")))),
		f("source", str("billing")),
		f("type", str("plan_renewed")),
		f("user_id", num(52001)),
	)
}

// catalog is every known event, in the order the rules suggest from. It
// is built on first use: most zislint commands never look at events, and
// building it at start-up cost every command a millisecond.
var catalog = sync.OnceValue(buildCatalog)

// The objects and tables the catalogue is built from are functions, not
// package variables, so that building them, too, waits for first use.

func buildCatalog() []*Event {
	var out []*Event
	family := func(ns, wrapper, resource string, object func() *Node, page string, tagConfirmed bool, changes []change) {
		for _, c := range changes {
			e := &Event{
				Source: SourceSupport, Type: ns + "." + c.tag, Name: nameOf(c.tag, c.name),
				Wrapper: wrapper, Page: page, TagConfirmed: tagConfirmed, PropertiesConfirmed: c.confirmed,
			}
			e.document = sync.OnceValue(func() *Node {
				body := obj(f("meta", meta(true)), f("type", str(e.Name)), f(resource, object())).with(c.props...)
				body.Open = !c.confirmed
				return document(wrapper, body)
			})
			out = append(out, e)
		}
	}
	family("ticket", "ticket_event", "ticket", ticketObject, pageTickets, true, ticketChanges())
	family("user", "user_event", "user", userObject, pageUsers, true, userChanges())
	family("organization", "organization_event", "organization", organizationObject, pageOrganizations, false, organizationChanges())
	out = append(out, customObjectEvents()...)
	out = append(out, activityEvents()...)
	out = append(out, legacyCustomObjectEvents()...)
	return out
}

func customObjectEvents() []*Event {
	var out []*Event
	for _, tag := range []string{"CustomObjectRecordCreated", "CustomObjectRecordChanged", "CustomObjectRecordDeleted"} {
		e := &Event{Source: SourceSupport, Type: "customobject." + tag, Name: nameOf(tag, ""),
			Wrapper: "custom_object_event", Page: pageCustomObjects, TagConfirmed: true, PropertiesConfirmed: true}
		// The deleted record's example was not among the parts of the
		// page read.
		unread := tag == "CustomObjectRecordDeleted"
		e.PropertiesConfirmed = !unread
		e.document = sync.OnceValue(func() *Node {
			body := obj(f("meta", meta(false)), f("type", str(e.Name)), f("custom_object_record", customObjectRecord()))
			body.Open = unread
			return document(e.Wrapper, body)
		})
		out = append(out, e)
	}
	return out
}

func activityEvents() []*Event {
	e := &Event{Source: SourceSunshine, Type: "activity.UserActivityCreated", Name: "User Activity Created",
		Wrapper: "activity_event", Page: pageActivities, TagConfirmed: true, PropertiesConfirmed: true}
	e.document = sync.OnceValue(func() *Node {
		return document(e.Wrapper, obj(f("meta", meta(false)), f("type", str(e.Name)), f("user_activity", userActivity())))
	})
	return []*Event{e}
}

func legacyCustomObjectEvents() []*Event {
	changedEvent := &Event{Source: SourceSunshine, Type: "customobject.CustomObjectChanged", Name: "Custom Object Changed",
		Wrapper: "custom_object_event", Page: pageLegacyObjects, TagConfirmed: true, PropertiesConfirmed: true,
		Successor: "customobject.CustomObjectRecordChanged"}
	changedEvent.document = sync.OnceValue(func() *Node {
		return document(changedEvent.Wrapper,
			obj(f("meta", meta(false)), f("type", str(changedEvent.Name)), f("custom_object", legacyCustomObject())))
	})
	deleted := &Event{Source: SourceSunshine, Type: "customobject.CustomObjectDeleted", Name: "Custom Object Deleted",
		Wrapper: "custom_object_event", Page: pageLegacyObjects, TagConfirmed: true, PropertiesConfirmed: true,
		Successor: "customobject.CustomObjectRecordDeleted"}
	// A deleted legacy object is known only by its id.
	deleted.document = sync.OnceValue(func() *Node {
		return document(deleted.Wrapper,
			obj(f("meta", meta(false)), f("type", str(deleted.Name)), f("object_id", str("5b0f9c7e-1a2d-11ef-8c3b-2f6a4d9e0b71"))))
	})
	return []*Event{changedEvent, deleted}
}

// nameOf is the payload's "type" value: the documented one when given,
// else the tag's words ("StatusChanged" → "Status Changed"), which is
// how every documented name that could be read is formed.
func nameOf(tag, documented string) string {
	if documented != "" {
		return documented
	}
	var b strings.Builder
	for i, r := range tag {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
