package lint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// excludeRepo is a repository whose zislint.yaml excludes a folder of
// broken bundles and one file pattern; sub/ has a config of its own with
// its own exclusion.
func excludeRepo(t *testing.T) string {
	t.Helper()
	good := refundsBundle(t)
	dir := writeFiles(t, map[string]string{
		"zislint.yaml":               "exclude:\n  - cases\n  - '**/*.draft.json'\n",
		"integrations/bundle.json":   good,
		"integrations/x.draft.json":  `{"resources": {`,
		"cases/broken/bundle.json":   `{"resources": {`,
		"sub/zislint.yaml":           "exclude:\n  - old\n",
		"sub/bundle.json":            good,
		"sub/old/bundle.json":        `{"resources": {`,
		"sub/cases/bundle.json":      good, // the root's "cases" is not sub's
		"sub/deeper/y.draft.json":    good, // nor is its "**/*.draft.json"
		"elsewhere/zislint.yaml.bak": "",
	})
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func lintedFiles(t *testing.T, dir string, res *Result) []string {
	t.Helper()
	var out []string
	for _, f := range res.Files {
		rel, err := filepath.Rel(dir, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	slices.Sort(out)
	return out
}

func TestExcludeLeavesFoldersOutOfTheWalk(t *testing.T) {
	dir := excludeRepo(t)
	res, err := Run([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"integrations/bundle.json", "sub/bundle.json", "sub/cases/bundle.json", "sub/deeper/y.draft.json"}
	if got := lintedFiles(t, dir, res); !slices.Equal(got, want) {
		t.Errorf("linted %v, want %v", got, want)
	}
	if len(res.Findings) != 0 {
		t.Errorf("findings %v; want none", res.Findings)
	}
}

func TestExcludeKeepsNamedPaths(t *testing.T) {
	dir := excludeRepo(t)
	named := filepath.Join(dir, "cases", "broken")
	res, err := Run([]string{named, filepath.Join(dir, "integrations", "x.draft.json")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cases/broken/bundle.json", "integrations/x.draft.json"}
	if got := lintedFiles(t, dir, res); !slices.Equal(got, want) {
		t.Errorf("named paths: linted %v, want %v", got, want)
	}

	// A hook names every file; with --skip-non-bundles a named file is
	// treated as found, so the exclusions apply to it.
	res, err = Run([]string{filepath.Join(dir, "integrations", "x.draft.json"), filepath.Join(dir, "integrations", "bundle.json")},
		Options{SkipNonBundles: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := lintedFiles(t, dir, res); !slices.Equal(got, []string{"integrations/bundle.json"}) {
		t.Errorf("--skip-non-bundles: linted %v, want only integrations/bundle.json", got)
	}
}

func TestExcludeFromExplicitConfig(t *testing.T) {
	dir := excludeRepo(t)
	cfg := filepath.Join(dir, "sub", "zislint.yaml")
	res, err := Run([]string{filepath.Join(dir, "sub")}, Options{ConfigPath: cfg, NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"sub/bundle.json", "sub/cases/bundle.json", "sub/deeper/y.draft.json"}
	if got := lintedFiles(t, dir, res); !slices.Equal(got, want) {
		t.Errorf("--config sub/zislint.yaml: linted %v, want %v", got, want)
	}
	// Without any config, nothing is excluded.
	res, err = Run([]string{filepath.Join(dir, "sub")}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := lintedFiles(t, dir, res); !slices.Contains(got, "sub/old/bundle.json") {
		t.Errorf("without a config: linted %v, want sub/old/bundle.json among them", got)
	}
}

// TestBrokenConfigStillReported: a config that cannot be parsed excludes
// nothing, and the run stops on it with its position, as before.
func TestBrokenConfigStillReported(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"zislint.yaml": "exclude:\n  - ../up\n",
		"bundle.json":  refundsBundle(t),
	})
	_, err := Run([]string{dir}, Options{})
	if err == nil || !strings.Contains(err.Error(), `zislint.yaml:2:5: exclude pattern "../up" leaves this file's folder`) {
		t.Errorf("err = %v; want the config error with its position", err)
	}
}
