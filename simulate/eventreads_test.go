package simulate

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/bundle"
)

// Each fixture of testdata/eventreads runs the same flow; the warnings
// name the paths its run read from an event that lacks them.
func TestEventCheckReads(t *testing.T) {
	dir := filepath.Join("testdata", "eventreads")
	b, err := bundle.Load(filepath.Join(dir, "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Compile(b, Options{IntegrationKey: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	bundlePath := filepath.Join(dir, "bundle.json")
	tests := []struct {
		fixture string
		want    []string // "line: message"
	}{
		{"complete.yaml", nil},
		{"no_status.yaml", []string{
			`6: the event has no $.input.ticket_event.ticket.status, which state "CheckStatus" reads (` + bundlePath +
				`:33:32); add it, or the run takes the way a missing value takes: the comparison does not match`,
			`6: the event has no $.input.ticket_event.ticket.external_id, which state "Tag" reads (` + bundlePath +
				`:58:40); add it, or the run takes the way a missing value takes: the placeholder renders as empty text`,
		}},
		// The run ends at the Choice: Tag's reads are not the fixture's concern.
		{"closed.yaml", nil},
		// Shape warns that ticket_event is missing; nothing is added below it.
		{"outside_wrapper.yaml", nil},
		// Without an event type the catalogue says nothing: every read counts.
		{"flow_named.yaml", []string{
			`5: the event has no $.input.ticket_event.ticket.id, which state "Tag" reads (` + bundlePath +
				`:57:33); add it, or the run takes the way a missing value takes: the state fails`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			f, err := LoadFixture(filepath.Join(dir, tt.fixture))
			if err != nil {
				t.Fatal(err)
			}
			run, err := prog.Run(f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range NewEventCheck(f).Reads(prog, b, run) {
				if w.File != f.Path {
					t.Errorf("warning names file %q, want %q", w.File, f.Path)
				}
				got = append(got, fmt.Sprintf("%d: %s", w.Line, w.Msg))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
