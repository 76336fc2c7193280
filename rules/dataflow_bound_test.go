package rules

import (
	"fmt"
	"strings"
	"testing"
)

// TestWrittenKeysAreBounded checks that a flow whose states each write a
// key of their own is known up to maxWrittenKeys keys and opaque after,
// so its cost stays linear in states.
func TestWrittenKeysAreBounded(t *testing.T) {
	n := maxWrittenKeys + 2
	var states []string
	for i := range n {
		states = append(states, fmt.Sprintf(`"S%d": {"Type": "Pass", "Result": {"n": %d}, "ResultPath": "$.k%d", "Next": "S%d"}`, i, i, i, i+1))
	}
	states = append(states, fmt.Sprintf(`"S%d": {"Type": "Succeed"}`, n))
	b, f := analyzed(t, flowBundle("S0", strings.Join(states, ",\n"), "ticket.TicketCreated"))
	// The start document holds a few keys of its own (input,
	// account_id, ...), so the bound is met a few states early; well
	// below it the document is known as usual.
	below := maxWrittenKeys - 16
	known := f.Input(stateNamed(t, b, fmt.Sprintf("S%d", below)))
	for path, want := range map[string]Presence{"$.k0": Sure, "$.input.ticket_event.ticket.id": Maybe, "$.nothing": Absent} {
		if got := presence(t, known, path); got != want {
			t.Errorf("with %d keys written, %s is %s, want %s", below, path, presenceNames[got], presenceNames[want])
		}
	}
	past := f.Input(stateNamed(t, b, fmt.Sprintf("S%d", n)))
	if got := presence(t, past, "$.nothing"); got != Open {
		t.Errorf("with %d keys written, $.nothing is %s, want open", n, presenceNames[got])
	}
}
