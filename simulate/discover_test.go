package simulate

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFindFixtures(t *testing.T) {
	dir := t.TempDir()
	bundlePath := writeFile(t, dir, "bundle.json", "{}")
	for _, name := range []string{
		"tests/b.json", "tests/a.yaml", "tests/c.YML",
		"tests/a.golden.json", "tests/b.golden.json", // results, not fixtures
		"tests/notes.txt", "tests/.draft.yaml", // neither
		"tests/sub/d.yaml", // only the folder itself is read
		"other/e.yaml",
	} {
		writeFile(t, dir, name, "")
	}
	got, err := FindFixtures(bundlePath, "")
	if err != nil {
		t.Fatal(err)
	}
	tests := filepath.Join(dir, "tests")
	want := []string{filepath.Join(tests, "a.yaml"), filepath.Join(tests, "b.json"), filepath.Join(tests, "c.YML")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("default folder (-want +got):\n%s", diff)
	}

	// A configured folder replaces the default one.
	got, err = FindFixtures(bundlePath, filepath.Join(dir, "other"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{filepath.Join(dir, "other", "e.yaml")}, got); diff != "" {
		t.Errorf("configured folder (-want +got):\n%s", diff)
	}
}

func TestFindFixturesMissingFolder(t *testing.T) {
	dir := t.TempDir()
	bundlePath := writeFile(t, dir, "bundle.json", "{}")
	// No tests folder: the bundle simply has no fixtures.
	got, err := FindFixtures(bundlePath, "")
	if err != nil || got != nil {
		t.Errorf("FindFixtures = %v, %v; want nil, nil", got, err)
	}
	// A configured folder that is missing is a mistake in the config.
	_, err = FindFixtures(bundlePath, filepath.Join(dir, "nope"))
	if err == nil || !strings.Contains(err.Error(), "cannot read the fixture folder") {
		t.Errorf("err = %v, want a missing folder error", err)
	}
}

func TestFindFixturesSharedGolden(t *testing.T) {
	dir := t.TempDir()
	bundlePath := writeFile(t, dir, "bundle.json", "{}")
	writeFile(t, dir, "tests/a.yaml", "")
	writeFile(t, dir, "tests/a.json", "")
	_, err := FindFixtures(bundlePath, "")
	if err == nil || !strings.Contains(err.Error(), "would share the golden") {
		t.Errorf("err = %v, want the shared golden error", err)
	}
}

func TestGoldenPath(t *testing.T) {
	for in, want := range map[string]string{
		"tests/refund.yaml": "tests/refund.golden.json",
		"tests/refund.yml":  "tests/refund.golden.json",
		"tests/refund.json": "tests/refund.golden.json",
		"tests/a.b.yaml":    "tests/a.b.golden.json",
	} {
		if got := GoldenPath(in); got != want {
			t.Errorf("GoldenPath(%q) = %q, want %q", in, got, want)
		}
	}
}
