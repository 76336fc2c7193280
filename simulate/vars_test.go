package simulate

import (
	"strings"
	"testing"
)

func TestFixtureVars(t *testing.T) {
	src := "flow: F\nevent: {}\nvars:\n  base_url: https://api.example.com\n  empty: \"\"\n"
	f, err := ParseFixture("f.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Vars["base_url"] != "https://api.example.com" || f.Vars["empty"] != "" || len(f.Vars) != 2 || f.Line["vars.base_url"] != 4 {
		t.Errorf("Vars = %v, lines %v", f.Vars, f.Line)
	}
	_, err = ParseFixture("f.yaml", []byte("flow: F\nevent: {}\nvars: {base_url: [a]}\n"))
	if want := "f.yaml:3:18: variable base_url must be a string"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %s", err, want)
	}
	_, err = ParseFixture("f.yaml", []byte("flow: F\nevent: {}\nvars: [a]\n"))
	if want := "f.yaml:3:7: vars must be a mapping"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %s", err, want)
	}
}
