package bundle

import (
	"errors"
	"testing"
)

func TestNumbersOutOfRange(t *testing.T) {
	b := Parse("b.json", []byte(`{"a": 1e309, "b": [-1e999, 1e308, 1e-400], "c": {"d": 123456789012345678901234567890}}`))
	var got []string
	for _, n := range b.NumbersOutOfRange() {
		got = append(got, n.Text())
	}
	if len(got) != 2 || got[0] != "1e309" || got[1] != "-1e999" {
		t.Errorf("out of range = %v, want [1e309 -1e999]", got)
	}
	if _, err := b.Root.Get("a").Float(); !errors.Is(err, ErrNumberRange) {
		t.Errorf("Float(1e309) error = %v, want ErrNumberRange", err)
	}
	if f, err := b.Root.Get("b").Elems()[2].Float(); err != nil || f != 0 {
		t.Errorf("Float(1e-400) = %v, %v; want 0, nil", f, err)
	}
}
