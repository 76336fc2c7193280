package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExcluded(t *testing.T) {
	src := "exclude:\n  - rules/testdata\n  - '*.draft.json'\n  - '**/fixtures'\n  - ./tmp/\n"
	c, err := Parse(filepath.Join("repo", FileName), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want bool
	}{
		{"repo/rules/testdata", true},
		{"repo/rules/testdata/syntax/example_fail.json", true},
		{"repo/rules", false},
		{"repo/rules/testdata2/x.json", false},
		{"repo/testdata/refunds/bundle.json", false},
		{"repo/a.draft.json", true},
		{"repo/sub/a.draft.json", false}, // * does not cross a folder
		{"repo/fixtures", true},
		{"repo/a/b/fixtures/c.json", true},
		{"repo/a/fixtures2/c.json", false},
		{"repo/tmp/x.json", true},
		{"repo", false},
		{"other/rules/testdata/x.json", false}, // outside the config's folder
	}
	for _, tt := range tests {
		if got := c.Excluded(tt.path); got != tt.want {
			t.Errorf("Excluded(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	var none *Config
	if none.Excluded("repo/x.json") {
		t.Error("a nil config excludes a file")
	}
}

func TestExcludeErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"exclude: rules/testdata\n", "x.yaml:1:10: exclude must be a list"},
		{"exclude:\n  - /abs\n", `x.yaml:2:5: exclude pattern "/abs" must be a slash-separated path relative to this file's folder`},
		{"exclude:\n  - ../other\n", `x.yaml:2:5: exclude pattern "../other" leaves this file's folder`},
		{"exclude:\n  - .\n", `x.yaml:2:5: exclude pattern "." would exclude everything`},
		{"exclude:\n  - a/**/b\n", `x.yaml:2:5: exclude pattern "a/**/b" uses "**" other than at its start`},
		{"exclude:\n  - 'a[b'\n", `x.yaml:2:5: exclude pattern "a[b" is not a valid glob: syntax error in pattern`},
		{"exclude:\n  - {a: b}\n", "x.yaml:2:5: an exclude pattern must be a string"},
	}
	for _, tt := range tests {
		_, err := Parse("x.yaml", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v; want an error containing %q", tt.src, err, tt.want)
		}
	}
}

func TestExcludedEntry(t *testing.T) {
	c, err := Parse(filepath.Join("repo", FileName), []byte("exclude:\n  - rules/testdata\n  - '**/fixtures'\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want bool
	}{
		{"repo/rules/testdata", true},
		{"repo/rules/testdata/syntax", false}, // only named by the folder it is in
		{"repo/a/b/fixtures", true},
		{"repo/a/fixtures/c.json", false},
		{"repo/rules", false},
	}
	for _, tt := range tests {
		if got := c.ExcludedEntry(tt.path); got != tt.want {
			t.Errorf("ExcludedEntry(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

// TestFinderAgreesWithFind: the Finder a walk uses finds, for every
// folder, the config Find does, up to the repository's top and not past.
func TestFinderAgreesWithFind(t *testing.T) {
	base := t.TempDir()
	for _, p := range []string{"above/" + FileName, "above/repo/.git/x", "above/repo/a/b/c/x", "above/repo/a/" + FileName, "above/repo/d/e/x"} {
		path := filepath.Join(base, p)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := NewFinder()
	if err != nil {
		t.Fatal(err)
	}
	// A finder told each folder's listing, as a walk tells it, finds the
	// same without looking at the folders again.
	told, err := NewFinder()
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		entries, err := os.ReadDir(path)
		told.Listed(path, entries)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(base, "above", "repo")
	want := map[string]string{
		"a/b/c": filepath.Join(repo, "a", FileName),
		"a/b":   filepath.Join(repo, "a", FileName),
		"a":     filepath.Join(repo, "a", FileName),
		"d/e":   "", // the config above the repository is not its own
		".":     "",
	}
	for rel, w := range want {
		dir := filepath.Join(repo, rel)
		found, err := Find(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Find(dir); got != found || got != w {
			t.Errorf("for %s: Finder.Find = %q, Find = %q; want %q", rel, got, found, w)
		}
		if got := told.Find(dir); got != w {
			t.Errorf("for %s: Finder.Find after Listed = %q, want %q", rel, got, w)
		}
	}
	if got := f.Find(filepath.Join(base, "above")); got != filepath.Join(base, "above", FileName) {
		t.Errorf("Finder.Find(above) = %q", got)
	}
}

func TestFinderFindLikeAgreesWithFindOnRelativeFolders(t *testing.T) {
	base := t.TempDir()
	for _, p := range []string{"repo/.git/x", "repo/a/b/x", "repo/a/" + FileName, "repo/" + FileName, "repo/c/d/x"} {
		path := filepath.Join(base, p)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(filepath.Join(base, "repo", "c"))
	f, err := NewFinder()
	if err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{"d": "../" + FileName, ".": "../" + FileName, "../a/b": "../a/" + FileName,
		filepath.Join(base, "repo", "a"): filepath.Join(base, "repo", "a", FileName)} {
		found, err := Find(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.FindLike(dir); got != found || got != want {
			t.Errorf("for %s: Finder.FindLike = %q, Find = %q; want %q", dir, got, found, want)
		}
	}
}
