package simulate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/internal/repofs"
)

// linkedRepo is a repository with a bundle folder whose tests folder,
// fixture and golden are links to files outside it.
func linkedRepo(t *testing.T) (repo, outside string) {
	t.Helper()
	base := t.TempDir()
	repo, outside = filepath.Join(base, "repo"), filepath.Join(base, "outside")
	for _, dir := range []string{filepath.Join(repo, ".git"), filepath.Join(repo, "tests"), filepath.Join(outside, "tests")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"outside/tests/a.yaml", "outside/secret.yaml", "outside/victim.golden.json"} {
		if err := os.WriteFile(filepath.Join(base, name), []byte("name: SECRET_TEXT\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"linked-tests":           filepath.Join(outside, "tests"),
		"tests/evil.yaml":        filepath.Join(outside, "secret.yaml"),
		"tests/evil.golden.json": filepath.Join(outside, "victim.golden.json"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(repo, name)); err != nil {
			t.Skip("no symlinks here:", err)
		}
	}
	return repo, outside
}

func TestFixturesAndGoldensStayInside(t *testing.T) {
	repo, outside := linkedRepo(t)
	bundle := filepath.Join(repo, "bundle.json")
	if _, err := FindFixtures(bundle, filepath.Join(repo, "linked-tests")); !errors.Is(err, repofs.ErrOutside) {
		t.Errorf("FindFixtures through a link outside: %v", err)
	}
	files, err := FindFixtures(bundle, "")
	if err != nil || len(files) != 1 {
		t.Fatalf("FindFixtures = %v, %v", files, err)
	}
	if _, err := LoadFixture(files[0]); !errors.Is(err, repofs.ErrOutside) || strings.Contains(err.Error(), "SECRET_TEXT") {
		t.Errorf("LoadFixture through a link outside: %v", err)
	}
	golden := GoldenPath(files[0])
	if _, err := CompareGolden(golden, &Result{}); !errors.Is(err, repofs.ErrOutside) || strings.Contains(err.Error(), "SECRET_TEXT") {
		t.Errorf("CompareGolden through a link outside: %v", err)
	}
	if _, err := WriteGolden(golden, &Result{}); !errors.Is(err, repofs.ErrOutside) {
		t.Errorf("WriteGolden through a link outside: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(outside, "victim.golden.json")); string(got) != "name: SECRET_TEXT\n" {
		t.Errorf("the golden outside was written: %q", got)
	}
}
