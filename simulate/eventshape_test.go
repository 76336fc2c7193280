package simulate

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEventCheckShape(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		want    []string // "line: message start"
	}{
		{"shaped like its event", `
event_source: support
event_type: ticket.TicketCreated
event:
  ticket_event:
    type: Ticket Created
    ticket: {id: 4127, status: open, group_id: null, tags: [vip]}
`, nil},
		{"the ticket outside its wrapper", `
event_source: support
event_type: ticket.TicketCreated
event:
  ticket:
    id: 4127
`, []string{"3: the event has no ticket_event key, but ZIS sends ticket.TicketCreated events under it: a flow reads $.input.ticket_event.…, not $.input.ticket.…"}},
		{"values of the wrong type", `
event_source: support
event_type: ticket.StatusChanged
event:
  ticket_event:
    ticket:
      id: "4127"
      tags:
        - vip
        - 7
    current: open
`, []string{
			"6: $.input.ticket_event.ticket.id is a string, but ticket.StatusChanged events carry a number there",
			"9: $.input.ticket_event.ticket.tags[1] is a number, but ticket.StatusChanged events carry a string there",
		}},
		{"an inbound webhook has no known shape", `
event_source: shopfront
event_type: order_created
event: {order: {id: 1}}
`, nil},
		{"an unknown Zendesk event is left to the lint rules", `
event_source: support
event_type: ticket.Created
event: {ticket: {id: 1}}
`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "fixture.yaml", strings.TrimPrefix(tt.fixture, "\n"))
			f, err := LoadFixture(path)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range NewEventCheck(f).Shape() {
				if w.File != path {
					t.Errorf("warning names file %q, want %q", w.File, path)
				}
				got = append(got, fmt.Sprintf("%d: %s", w.Line, w.Msg))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The fixtures of the project's example bundles are shaped like the
// events they name.
func TestExampleFixturesHaveTheirEventsShape(t *testing.T) {
	files, err := filepath.Glob("../testdata/*/tests/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example fixtures: %v", err)
	}
	for _, file := range files {
		f, err := LoadFixture(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range NewEventCheck(f).Shape() {
			t.Errorf("%v", w)
		}
	}
}
