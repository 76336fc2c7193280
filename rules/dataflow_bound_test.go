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
	atBound := f.Input(stateNamed(t, b, fmt.Sprintf("S%d", maxWrittenKeys)))
	for path, want := range map[string]Presence{"$.k0": Sure, "$.input.ticket_event.ticket.id": Maybe, "$.nothing": Absent} {
		if got := presence(t, atBound, path); got != want {
			t.Errorf("with %d keys written, %s is %s, want %s", maxWrittenKeys, path, presenceNames[got], presenceNames[want])
		}
	}
	past := f.Input(stateNamed(t, b, fmt.Sprintf("S%d", maxWrittenKeys+1)))
	if got := presence(t, past, "$.nothing"); got != Open {
		t.Errorf("past %d keys written, $.nothing is %s, want open", maxWrittenKeys, presenceNames[got])
	}
}
