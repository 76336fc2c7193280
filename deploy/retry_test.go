package deploy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7", 7 * time.Second, true},
		{" 119 ", 119 * time.Second, true},
		{"120", retryAfterCap, true},
		{"9223372036854775807", retryAfterCap, true},
		// Too large for an int64: capped, not ignored.
		{"99999999999999999999999", retryAfterCap, true},
		{"+99999999999999999999999", retryAfterCap, true},
		{"-1", 0, false},
		{"-99999999999999999999999", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{now.Add(time.Hour).Format(http.TimeFormat), retryAfterCap, true},
		{"Fri, 31 Dec 9999 23:59:59 GMT", retryAfterCap, true},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestRetryAfterTooLargeToParse replays a 429 whose Retry-After has more
// digits than an int64 holds: the client waits the capped time, as for
// any large value, instead of falling back to its short backoff.
func TestRetryAfterTooLargeToParse(t *testing.T) {
	handler, n := failing([]int{429}, "99999999999999999999999", okJobSpecs)
	h := newHarness(t, handler, func(o *ClientOptions) { o.Budget = 5 * time.Minute })
	if _, err := h.c.ListJobSpecs(context.Background(), "acme"); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(h.Waits()) != fmt.Sprint([]time.Duration{retryAfterCap}) || n.Load() != 2 {
		t.Errorf("waits %v after %d requests; want [%v]", h.Waits(), n.Load(), retryAfterCap)
	}
	// With a budget shorter than the cap, the call stops at once and
	// says why, as it does for Retry-After: 600.
	handler, _ = failing([]int{429}, "99999999999999999999999", okJobSpecs)
	h = newHarness(t, handler, func(o *ClientOptions) { o.Budget = time.Minute })
	_, err := h.c.ListJobSpecs(context.Background(), "acme")
	if !errors.Is(err, ErrBudget) || !strings.Contains(err.Error(), "waiting 2m0s more") || len(h.Waits()) != 0 {
		t.Errorf("got %v, waits %v", err, h.Waits())
	}
}
