package bundle

import (
	"errors"
	"fmt"
	"testing"
	"unsafe"
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

// A RefUse's Ref, cut from its node's text, and its Err are what
// ParseRef returns, for references of every shape, good or not.
func TestRefUseRefIsParseRef(t *testing.T) {
	for _, s := range []string{"zis:k:action:A", "zis:common:transform:Jq", "zis:Bad Key:flow:F", "zis:k:flow:", "zis:k:flow", "x:k:flow:F",
		"zis:k:action:a:b", "zis::action:A", "zis:k::A", ""} {
		n := NewString(s, 0, int32(len(s)))
		u := newRefUse(n, s, "ActionName")
		want, err := ParseRef(s)
		if got := u.Ref(); got != want || fmt.Sprint(u.Err()) != fmt.Sprint(err) {
			t.Errorf("%q: Ref() = %+v, %v; ParseRef = %+v, %v", s, got, u.Err(), want, err)
		}
	}
	if f := newRefUse(nil, "", "flow_name").Field(); f != "flow_name" {
		t.Errorf("Field() = %q, want flow_name", f)
	}
	if size := unsafe.Sizeof(RefUse{}); size != 24 {
		t.Errorf("a RefUse is %d bytes, want 24: a large flow has one per Action state", size)
	}
}
