package rules

import (
	"slices"
	"testing"

	"github.com/zislint/zislint/events"
)

func TestIsLiteralSecret(t *testing.T) {
	for _, s := range []string{"hunter2", "Bearer abc123", "Basic dXNlcjpwYXNz", "abc{{$.x}}", "token abc"} {
		if !isLiteralSecret(s) {
			t.Errorf("isLiteralSecret(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "  ", "$.input.token", "{{$.token}}", "Bearer {{$.token}}", "{{$.a}}{{$.b}}",
		"{{api_token}}", "%API_TOKEN%", "${TOKEN}", "*****", "Bearer", "true", "null"} {
		if isLiteralSecret(s) {
			t.Errorf("isLiteralSecret(%q) = true, want false", s)
		}
	}
}

func TestHasRandomWord(t *testing.T) {
	for _, s := range []string{"c3Lq9Vx7Tn2Bw8Rk5Hm4Zp1Y", "key=aB3dE5fG7hJ9kL1mN2pQ4rS6", "emVuZGVzay1zeW5jOldpbnRlcjIwMjQ=", "k7q2m9x4z8w1p5r3t6y0v2b8"} {
		if !hasRandomWord(s) {
			t.Errorf("hasRandomWord(%q) = false, want true", s)
		}
	}
	for _, s := range []string{
		"application/json",
		"3f2b8c1e-9d4a-4e7b-b5c6-0a1d2e3f4a5b",        // UUID
		"33a64df551425fcc55e4d42a148795d9f25f89d4",    // SHA-1, ETag
		"https://crm.acme.example/a1b2c3d4e5f6g7h8i9", // URL
		"support-team-eu-west-2024",                   // readable
		"aaaaaaaaaaaaaaaaaaaa11",                      // long but not random
		"{{$.token}}",
		"c3Lq9Vx7Tn2Bw8R", // short
	} {
		if hasRandomWord(s) {
			t.Errorf("hasRandomWord(%q) = true, want false", s)
		}
	}
}

func TestEventCatalog(t *testing.T) {
	for _, e := range events.All() {
		if eventIndex().sourceOf[e.Type] != e.Source || !slices.Contains(eventsBySource(e.Source), e.Type) {
			t.Errorf("event %q of source %q is not indexed", e.Type, e.Source)
		}
	}
	for legacy, current := range legacyEventReplacement() {
		if eventIndex().sourceOf[legacy] != sourceSunshine || eventIndex().sourceOf[current] != sourceSupport {
			t.Errorf("legacy %q -> %q: sources %q, %q", legacy, current, eventIndex().sourceOf[legacy], eventIndex().sourceOf[current])
		}
	}
	tests := []struct{ typ, source, want string }{
		{"ticket.Created", sourceSupport, "ticket.TicketCreated"},
		{"ticket.created", sourceSupport, "ticket.TicketCreated"},
		{"user.Merged", sourceSupport, "user.UserMerged"},
		{"customobject.RecordChanged", sourceSupport, "customobject.CustomObjectRecordChanged"},
		{"ticket.StatusChanged", sourceSupport, ""}, // ticket.TicketStatusChanged does not exist
		{"ticket.", sourceSupport, ""},
		{"ticket", sourceSupport, ""},
		{"activity.Created", sourceSunshine, ""},
	}
	for _, tt := range tests {
		if got := expandEventNoun(tt.typ, tt.source); got != tt.want {
			t.Errorf("expandEventNoun(%q, %q) = %q, want %q", tt.typ, tt.source, got, tt.want)
		}
	}
}
