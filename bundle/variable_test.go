package bundle

import (
	"reflect"
	"testing"
)

func TestVariables(t *testing.T) {
	s := "{{ base_url }}/tickets/{{$.id}}?lang={{locale}}&x={{}}"
	want := []Variable{{"base_url", 0, 14}, {"locale", 37, 47}}
	if got := Variables(s); !reflect.DeepEqual(got, want) {
		t.Errorf("Variables(%q) = %v, want %v", s, got, want)
	}
	if got := Variables("Refund for {{$.order_id}}"); got != nil {
		t.Errorf("a ZIS placeholder is no variable: %v", got)
	}
}
