package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zislint simulate chooses its flow with flags: a wrong choice names the
// flag, never the event file, which is not what is wrong.
func TestSimulateBlamesTheFlagNotTheEvent(t *testing.T) {
	event := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(event, []byte(`{"ticket": {"id": 1}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--flow", "RefundRequestFlw"},
			`zislint simulate: --flow: the bundle has no flow named "RefundRequestFlw"; its flows are RefundRequestFlow; did you mean "RefundRequestFlow"?` + "\n"},
		{[]string{"--event-source", "support", "--event-type", "ticket.TicketCreated"},
			`zislint simulate: --event-source, --event-type: no job spec of the bundle starts a flow for event_source "support" and event_type "ticket.TicketCreated"` + "\n"},
	} {
		code, _, errOut := runCLI(t, append([]string{"simulate", "--bundle", refundsBundle, "--event", event}, tt.args...)...)
		if code != 2 || errOut != tt.want {
			t.Errorf("exit %d, stderr:\n%s\nwant 2 and:\n%s", code, errOut, tt.want)
		}
		if strings.Contains(errOut, event) {
			t.Errorf("the message blames the event file:\n%s", errOut)
		}
	}
}

// A missing response is to be added to the --responses file; without one,
// the message says to give one.
func TestSimulateMissingResponseNamesTheResponsesFile(t *testing.T) {
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	src := `{"activity_event": {"user_activity": {"type": "refund_request", "profile_id": "p1", "user_id": 1, "properties": {"order_id": "1", "refund_amount": "100.00"}}}}`
	if err := os.WriteFile(event, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	responses := filepath.Join(dir, "responses.yaml")
	if err := os.WriteFile(responses, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "add one to the list of InitiateRefund in a file given with --responses"},
		{[]string{"--responses", responses}, "add one to the list of InitiateRefund in " + responses},
	} {
		args := append([]string{"simulate", "--bundle", refundsBundle, "--event", event, "--flow", "RefundRequestFlow"}, tt.args...)
		code, out, _ := runCLI(t, args...)
		if code != 1 || !strings.Contains(out, tt.want) || strings.Contains(out, event) {
			t.Errorf("exit %d, want 1 and a cause with %q, not naming the event file:\n%s", code, tt.want, out)
		}
	}
}

// When a job spec bound to the fixture's event names a flow the bundle
// lacks, zislint test names that job spec with its line.
func TestTestNamesTheDanglingJobSpec(t *testing.T) {
	dir := copyRefunds(t)
	bundlePath := filepath.Join(dir, "bundle.json")
	editFile(t, bundlePath, `"zis:acme_refunds:flow:RefundRequestFlow"`, `"zis:acme_refunds:flow:RefundFlow"`)
	code, out, _ := runCLI(t, "test", "--format", "json", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	want := bundlePath + `:150:22: job spec \"RefundRequestJobSpec\" starts flow \"RefundFlow\" for event_source \"sunshine\"`
	if !strings.Contains(out, want) {
		t.Errorf("the report lacks %s:\n%s", want, out)
	}
}
