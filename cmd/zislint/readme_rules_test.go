package main

import (
	"os"
	"strings"
	"testing"

	"github.com/zislint/zislint/rules"
)

// The README's Rules table has a row for every rule, with its id, name
// and default severity.
func TestReadmeListsEveryRule(t *testing.T) {
	src, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules.All() {
		row := "| " + r.ID + " | " + r.Name() + " | " + r.Severity.String() + " |"
		if !strings.Contains(string(src), row) {
			t.Errorf("README.md has no Rules row starting %q", row)
		}
	}
}
