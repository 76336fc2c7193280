package rules

import (
	"testing"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
)

func TestTypes(t *testing.T) {
	lit, _, serr := bundle.ParseJSON([]byte(`{"s": "x", "n": 1, "b": true, "z": null, "a": [1], "e": [], "o": {"k": 1}}`))
	if serr != nil {
		t.Fatal(serr)
	}
	doc := literalShape(lit)
	nullableNumber := eventValue(&events.Node{Kind: events.KindNumber, Nullable: true})
	tests := []struct {
		name  string
		value *DocValue
		want  JSONTypes // 0: not known
	}{
		{"string literal", doc.at(segments("s")), TypeString},
		{"number literal", doc.at(segments("n")), TypeNumber},
		{"boolean literal", doc.at(segments("b")), TypeBoolean},
		{"null literal", doc.at(segments("z")), TypeNull},
		// A non-empty array is opaque, so that reading an item is never
		// taken for a read of nothing; its type goes with it.
		{"array literal", doc.at(segments("a")), 0},
		{"empty array literal", doc.at(segments("e")), TypeArray},
		{"object literal", doc.at(segments("o")), TypeObject},
		{"two literals joined", joinValues(doc.at(segments("s")), doc.at(segments("n"))), TypeString | TypeNumber},
		{"a literal joined with a leaf of unknown type", joinValues(doc.at(segments("s")), leafValue), 0},
		{"a literal joined with an event value", joinValues(doc.at(segments("s")), nullableNumber), TypeString | TypeNumber | TypeNull},
		{"a nullable event number", nullableNumber, TypeNumber | TypeNull},
		{"an event value of type any", eventValue(&events.Node{Kind: events.KindAny}), 0},
		{"a leaf nobody typed", leafValue, 0},
		{"an opaque value", opaqueValue, 0},
		{"keys written on an unknown leaf", leafValue.with(segments("k"), leafValue), TypeObject},
	}
	for _, tt := range tests {
		got, ok := tt.value.Types()
		if ok != (tt.want != 0) || got != tt.want {
			t.Errorf("%s: Types() = %v (%s), %v; want %v (%s)", tt.name, uint8(got), got, ok, uint8(tt.want), tt.want)
		}
	}
	if !sameValue(doc.at(segments("s")), literalLeaf(lit.Get("s"))) || sameValue(doc.at(segments("s")), doc.at(segments("n"))) {
		t.Error("sameValue does not tell literal types apart")
	}
	if got := (TypeNumber | TypeNull).String(); got != "a number or null" {
		t.Errorf("String() = %q", got)
	}
	if got := (TypeObject | TypeArray | TypeString).String(); got != "a string or an array or an object" {
		t.Errorf("String() = %q", got)
	}
}

func segments(keys ...string) []bundle.Segment {
	out := make([]bundle.Segment, len(keys))
	for i, k := range keys {
		out[i] = bundle.Segment{Name: k}
	}
	return out
}
