package explore

import (
	"slices"
	"testing"
)

func TestJqPathsAndStrings(t *testing.T) {
	for _, c := range []struct {
		expr    string
		paths   []string
		strings []string
	}{
		{".activity_event.user_activity.properties.refund_amount | tonumber",
			[]string{".activity_event.user_activity.properties.refund_amount"}, nil},
		{".input.order as $o | [$o.items[] | . + {order_id: $o.id}]",
			[]string{".input.order", ".input.order.items", ".input.order.id"}, nil},
		{`if .ticket.priority == "urgent" then "high" else "low" end`,
			[]string{".ticket.priority"}, []string{"urgent", "high", "low"}},
		// A path applied to a call's result or a string is not the input's.
		{`(.a | keys).b, "x".y, $__loc__.file`, []string{".a"}, []string{"x"}},
	} {
		if got := jqPaths(c.expr); !slices.Equal(got, c.paths) {
			t.Errorf("jqPaths(%q) = %q, want %q", c.expr, got, c.paths)
		}
		if got := jqStrings(c.expr); !slices.Equal(got, c.strings) {
			t.Errorf("jqStrings(%q) = %q, want %q", c.expr, got, c.strings)
		}
	}
}
