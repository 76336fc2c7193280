package events

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEveryEventIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range All() {
		if seen[e.Type] {
			t.Errorf("%s is listed twice", e.Type)
		}
		seen[e.Type] = true
		if !IsZendeskSource(e.Source) {
			t.Errorf("%s: source %q is not a Zendesk source", e.Type, e.Source)
		}
		ns, _, _ := strings.Cut(e.Type, ".")
		if !strings.HasSuffix(e.Wrapper, "_event") || e.Name == "" || !strings.HasPrefix(e.Page, pageBase) {
			t.Errorf("%s: wrapper %q, name %q, page %q", e.Type, e.Wrapper, e.Name, e.Page)
		}
		if ns == "ticket" && e.Wrapper != "ticket_event" || ns == "user" && e.Wrapper != "user_event" || ns == "organization" && e.Wrapper != "organization_event" {
			t.Errorf("%s sits under %q", e.Type, e.Wrapper)
		}
		body, ok, _ := e.Find(e.Wrapper)
		if !ok || body.Kind != KindObject || !body.Required {
			t.Fatalf("%s: no required object under $.input.%s", e.Type, e.Wrapper)
		}
		if _, ok := body.Fields["meta"]; !ok {
			t.Errorf("%s: no meta", e.Type)
		}
		if typ, ok := body.Fields["type"]; !ok || typ.Example != e.Name {
			t.Errorf("%s: type field does not hold %q", e.Type, e.Name)
		}
		if !e.PropertiesConfirmed && !body.Open {
			t.Errorf("%s: unconfirmed properties but a closed event object", e.Type)
		}
	}
}

func TestSamplesHaveTheirOwnShape(t *testing.T) {
	for _, e := range All() {
		sample := e.Sample()
		if got := e.Document().Check(sample); len(got) > 0 {
			t.Errorf("%s: sample does not fit its shape: %v", e.Type, got)
		}
		// The sample is what a flow would get from JSON: a round trip
		// through encoding/json must not change it.
		raw, err := json.Marshal(sample)
		if err != nil {
			t.Fatalf("%s: %v", e.Type, err)
		}
		var back map[string]any
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatalf("%s: %v", e.Type, err)
		}
		if diff := cmp.Diff(back, sample); diff != "" {
			t.Errorf("%s: sample changes through JSON (-json +sample):\n%s", e.Type, diff)
		}
		input, _ := sample["input"].(map[string]any)
		if len(input) != 1 || input[e.Wrapper] == nil {
			t.Errorf("%s: sample input is %v, want only %q", e.Type, input, e.Wrapper)
		}
		if got := input[e.Wrapper].(map[string]any)["type"]; got != e.Name {
			t.Errorf("%s: sample type = %v, want %q", e.Type, got, e.Name)
		}
	}
}

// TestDocumentedFacts checks facts read in Zendesk's trigger-event pages.
func TestDocumentedFacts(t *testing.T) {
	tests := []struct {
		source, event, path string
		want                Kind
	}{
		{"support", "ticket.TicketCreated", "ticket_event.ticket.id", KindNumber},
		{"support", "ticket.TicketCreated", "$.input.ticket_event.type", KindString},
		{"support", "ticket.TicketCreated", "ticket_event.ticket.tags[0]", KindString},
		{"support", "ticket.TicketCreated", "ticket_event.ticket.via.channel", KindString},
		{"support", "ticket.TicketCreated", "ticket_event.meta.sequence.position", KindNumber},
		{"support", "ticket.TicketCreated", "$.account_id", KindNumber},
		{"support", "ticket.TicketCreated", "$.subdomain", KindString},
		{"support", "ticket.TicketCreated", "$.integration_key", KindString},
		{"support", "ticket.AgentAssignmentChanged", "ticket_event.current", KindNumber},
		{"support", "ticket.StatusChanged", "ticket_event.ticket.status", KindString},
		{"support", "user.UserIsActiveChanged", "user_event.previous", KindBoolean},
		{"support", "user.UserCreated", "user_event.user.email", KindString},
		{"support", "organization.CustomFieldChanged", "organization_event.custom_field.field_type", KindString},
		{"support", "organization.CustomFieldChanged", "organization_event.organization.shared_tickets", KindBoolean},
		{"support", "customobject.CustomObjectRecordCreated", "custom_object_event.custom_object_record.id", KindString},
		{"support", "customobject.CustomObjectRecordChanged", "custom_object_event.custom_object_record.created_by_user_id", KindNumber},
		{"sunshine", "customobject.CustomObjectChanged", "custom_object_event.custom_object.account_id", KindString},
		{"sunshine", "customobject.CustomObjectDeleted", "custom_object_event.object_id", KindString},
		{"sunshine", "activity.UserActivityCreated", "activity_event.user_activity.user_id", KindNumber},
	}
	for _, tt := range tests {
		e, ok := Lookup(tt.source, tt.event)
		if !ok {
			t.Errorf("Lookup(%q, %q) found nothing", tt.source, tt.event)
			continue
		}
		n, ok, _ := e.Find(tt.path)
		if !ok || n.Kind != tt.want {
			t.Errorf("%s: %s: found %v, kind %v, want %s", tt.event, tt.path, ok, kindOrNil(n), tt.want)
		}
	}
}

func kindOrNil(n *Node) Kind {
	if n == nil {
		return "nil"
	}
	return n.Kind
}

func TestFindTellsMissingFromUnknown(t *testing.T) {
	created, _ := Lookup("support", "ticket.TicketCreated")
	record, _ := Lookup("support", "customobject.CustomObjectRecordCreated")
	status, _ := Lookup("support", "ticket.StatusChanged")
	tests := []struct {
		e        *Event
		path     string
		ok, open bool
		name     string
	}{
		// The mistake a public bundle makes: the ticket is under ticket_event.
		{created, "ticket.id", false, false, "wrong wrapper"},
		{created, "$.input.ticket.id", false, false, "wrong wrapper from the root"},
		{created, "ticket_event.ticket.subject", false, false, "not in the ticket object"},
		{created, "ticket_event.ticket.tags.name", false, false, "key below an array"},
		{record, "custom_object_event.custom_object_record.custom_object_fields.color", false, true, "free-form fields"},
		{status, "ticket_event.previous", true, false, "listed, type unknown"},
		{status, "ticket_event.changed_by", false, true, "unconfirmed event properties"},
		{created, "ticket_event.meta.actor_id", false, true, "open meta"},
	}
	for _, tt := range tests {
		_, ok, open := tt.e.Find(tt.path)
		if ok != tt.ok || open != tt.open {
			t.Errorf("%s (%s): Find(%q) = ok %v open %v, want %v %v", tt.e.Type, tt.name, tt.path, ok, open, tt.ok, tt.open)
		}
	}
}

func TestLookup(t *testing.T) {
	if _, ok := Lookup("sunshine", "ticket.TicketCreated"); ok {
		t.Error("ticket.TicketCreated found under sunshine")
	}
	if e, ok := ByType("ticket.TicketCreated"); !ok || e.Source != "support" {
		t.Errorf("ByType(ticket.TicketCreated) = %v, %v", e, ok)
	}
	if _, ok := Lookup("my_webhook", "order.created"); ok {
		t.Error("an inbound-webhook event was found")
	}
	legacy, _ := Lookup("sunshine", "customobject.CustomObjectDeleted")
	if succ, ok := ByType(legacy.Successor); !ok || succ.Source != "support" {
		t.Errorf("legacy successor %q: %v", legacy.Successor, succ)
	}
	for _, e := range All() {
		if !slices.Contains(Types(e.Source), e.Type) {
			t.Errorf("Types(%q) lacks %s", e.Source, e.Type)
		}
		if got := e.Type[:strings.Index(e.Type, ".")]; got == "organization" == e.TagConfirmed {
			t.Errorf("%s: TagConfirmed = %v", e.Type, e.TagConfirmed)
		}
	}
}

func TestPaths(t *testing.T) {
	e, _ := Lookup("support", "ticket.TicketCreated")
	paths := e.Paths()
	for _, want := range []string{"ticket_event", "ticket_event.ticket.id", "ticket_event.ticket.tags", "ticket_event.ticket.tags[*]", "ticket_event.meta.sequence.total"} {
		if !slices.Contains(paths, want) {
			t.Errorf("Paths() lacks %q", want)
		}
	}
	if !slices.IsSorted(paths) {
		t.Error("Paths() is not sorted")
	}
	for _, p := range paths {
		if _, ok, _ := e.Find(p); !ok {
			t.Errorf("listed path %q is not found", p)
		}
	}
}

func TestSplitPath(t *testing.T) {
	tests := map[string][]string{
		"$.input.ticket_event.ticket.id": {"input", "ticket_event", "ticket", "id"},
		"ticket_event.ticket.tags[0]":    {"ticket_event", "ticket", "tags", "0"},
		"a['b'].c[*]":                    {"a", "b", "c", "*"},
		"$":                              nil,
		"a[":                             {"a", "["},
	}
	for in, want := range tests {
		if diff := cmp.Diff(want, Segments(in)); diff != "" {
			t.Errorf("Segments(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestCheck(t *testing.T) {
	e, _ := Lookup("support", "ticket.TicketCreated")
	tests := []struct {
		name string
		doc  string
		want []Mismatch
	}{
		{"partial document of the right shape", `{"input":{"ticket_event":{"type":"Ticket Created","ticket":{"id":7,"group_id":null,"tags":["a"]}}}}`, nil},
		{"wrong wrapper", `{"input":{"ticket":{"id":7}}}`, []Mismatch{{Path: "input.ticket_event", Missing: true, Want: KindObject}}},
		{"id as a string", `{"input":{"ticket_event":{"ticket":{"id":"7","tags":[1]}}}}`, []Mismatch{
			{Path: "input.ticket_event.ticket.id", Want: KindNumber, Got: KindString},
			{Path: "input.ticket_event.ticket.tags[0]", Want: KindString, Got: KindNumber},
		}},
		{"null where not nullable", `{"input":{"ticket_event":{"ticket":{"status":null}}}}`, []Mismatch{
			{Path: "input.ticket_event.ticket.status", Want: KindString, Got: "null"},
		}},
		{"input not an object", `{"input":[]}`, []Mismatch{{Path: "input", Want: KindObject, Got: KindArray}}},
	}
	for _, tt := range tests {
		var doc any
		if err := json.Unmarshal([]byte(tt.doc), &doc); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, e.Document().Check(doc)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	if got := (Mismatch{Path: "input.x", Want: KindNumber, Got: KindString}).String(); got != "input.x is a string, want a number" {
		t.Errorf("String() = %q", got)
	}
}

// Odd paths and values are answered, never a panic.
func TestOddInput(t *testing.T) {
	e, _ := Lookup("support", "ticket.TicketCreated")
	for _, path := range []string{"", "$", "[", "]", "a[", "ticket_event..ticket", "ticket_event.ticket.tags[x]", "ticket_event.ticket.id.more", "$$.x"} {
		e.Find(path)
	}
	for _, v := range []any{nil, "x", 1, []any{nil}, map[string]any{"input": nil}, map[string]any{"input": map[string]any{"ticket_event": []any{1}}}} {
		if got := e.Document().Check(v); len(got) == 0 {
			t.Errorf("Check(%#v) found nothing wrong", v)
		}
	}
	if got := (&Node{Kind: KindArray}).Paths(); len(got) != 0 {
		t.Errorf("Paths of an array of unknown elements = %v", got)
	}
	if _, ok, _ := (&Node{Kind: KindArray}).Lookup("[0]"); ok {
		t.Error("an array of unknown elements has a known element")
	}
}

// Each event's document is built once, on first use, and every caller
// gets that same document, from any goroutine.
func TestDocumentBuiltOnce(t *testing.T) {
	for _, e := range All() {
		docs := make([]*Node, 4)
		var wg sync.WaitGroup
		for i := range docs {
			wg.Go(func() { docs[i] = e.Document() })
		}
		wg.Wait()
		for _, d := range docs {
			if d == nil || d != docs[0] {
				t.Fatalf("%s: Document returned %p and %p", e.Type, d, docs[0])
			}
		}
	}
}
