package bundle

import (
	"errors"
	"testing"
)

func TestParseRef(t *testing.T) {
	tests := []struct {
		in      string
		want    Ref
		wantErr error
	}{
		{"zis:acme:action:AddTag", Ref{"acme", "action", "AddTag"}, nil},
		{"zis:common:transform:Jq", Ref{"common", "transform", "Jq"}, nil},
		{"zis:acme:flow:a:b", Ref{"acme", "flow", "a:b"}, nil}, // the name keeps further colons
		{"zis:Acme:flow:F", Ref{"Acme", "flow", "F"}, ErrRefIntegration},
		{"zis::flow:F", Ref{"", "flow", "F"}, ErrRefIntegration},
		{"zis:acme:flow:", Ref{}, ErrRefShape},
		{"zis:acme:flow", Ref{}, ErrRefShape},
		{"zis:acme", Ref{}, ErrRefShape},
		{"zis:", Ref{}, ErrRefShape},
		{"zis", Ref{}, ErrRefShape},
		{"ZIS:acme:flow:F", Ref{}, ErrRefShape},
		{"", Ref{}, ErrRefShape},
	}
	for _, tt := range tests {
		got, err := ParseRef(tt.in)
		if got != tt.want || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
			t.Errorf("ParseRef(%q) = %+v, %v; want %+v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseRefAllocatesNothingForAValidReference(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseRef("zis:acme:action:AddTag") }); n != 0 {
		t.Errorf("ParseRef allocates %v times", n)
	}
}
