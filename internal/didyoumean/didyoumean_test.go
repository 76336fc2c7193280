package didyoumean

import "testing"

func TestNearest(t *testing.T) {
	states := []string{"GetUserProfile", "CheckRefundAmount", "Finish", "InitiateRefund"}
	tests := []struct{ name, want string }{
		{"Finsh", "Finish"},
		{"finish", "Finish"},                    // case alone
		{"GetUserProfil", "GetUserProfile"},     // one edit
		{"CheckRefundAmt", "CheckRefundAmount"}, // three edits on a long name
		{"Start", ""},                           // nothing close
		{"X", ""},                               // too short to guess
		{"InitiateRefunds", "InitiateRefund"},   // plural
		{"Refund", ""},                          // no qualified form among these
	}
	for _, tt := range tests {
		if got := Nearest(tt.name, states); got != tt.want {
			t.Errorf("Nearest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		max  int
		want int
	}{
		{"kitten", "sitting", 10, 3},
		{"", "abc", 10, 3},
		{"same", "same", 10, 0},
		{"abcdef", "uvwxyz", 3, 3}, // capped at max
		{"a", "abcdefgh", 3, 3},    // length gap alone exceeds max
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.max); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.want)
		}
	}
}

func TestHint(t *testing.T) {
	if got := Hint("--verison", []string{"--version", "--help"}); got != `; did you mean "--version"?` {
		t.Errorf("Hint = %q", got)
	}
	if got := Hint("deploy", []string{"lint", "test"}); got != "" {
		t.Errorf("Hint with nothing close = %q, want none", got)
	}
}

func TestNearestQualifiedForm(t *testing.T) {
	events := []string{"ticket.TicketCreated", "ticket.CommentAdded", "user.UserCreated", "organization.OrganizationCreated"}
	for name, want := range map[string]string{
		"TicketCreated":  "ticket.TicketCreated",
		"commentadded":   "ticket.CommentAdded",
		"ticket.Created": "", // already qualified: only edits count
		"Created":        "", // no candidate ends so
	} {
		if got := Nearest(name, events); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", name, got, want)
		}
	}
	// Two qualified forms: no guess between them.
	if got := Nearest("Changed", []string{"ticket.Changed", "organization.Changed"}); got != "" {
		t.Errorf("Nearest with two qualified forms = %q, want none", got)
	}
}
