package explore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/simulate"
)

func TestWriteFixtureRefusesWhatYAMLWouldChange(t *testing.T) {
	dir := t.TempDir()
	fixture := func(event map[string]any) *Found {
		return &Found{Name: "explore-x", File: filepath.Join(dir, "explore-x.yaml"), From: "seed.yaml",
			Fixture: &simulate.Fixture{Flow: "F", Event: event, Account: simulate.Account{Subdomain: "acme", AccountID: 10543210.0},
				Responses: map[string][]simulate.Response{"A": {{Status: 429, Body: map[string]any{"n": 1.5, "s": "100.00"}}}}}}
	}
	// Bytes that are not UTF-8 would be written as !!binary and read back
	// as base64 text.
	if err := writeFixture(fixture(map[string]any{"a": "\xff"}), 1); err == nil || !strings.Contains(err.Error(), "do not read back") {
		t.Errorf("writing a non-UTF-8 string: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "explore-x.yaml")); err == nil {
		t.Fatal("the fixture was written anyway")
	}
	good := fixture(map[string]any{"yes": "no", "n": 38712000101.0, "t": "2024-01-01T00:00:00Z", "null": nil})
	if err := writeFixture(good, 1); err != nil {
		t.Fatal(err)
	}
	back, err := simulate.LoadFixture(good.File)
	if err != nil || !sameFixture(good.Fixture, back) {
		t.Errorf("read back: %v, %+v", err, back)
	}
	if err := writeFixture(good, 1); err == nil || !strings.Contains(err.Error(), "never overwrites") {
		t.Errorf("writing over it: %v", err)
	}
}
