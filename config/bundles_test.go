package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRepo makes a git work tree holding files (path → content) and
// returns its folder.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		path := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// A bundle: that names no file used to switch the integration off in
// silence; Load now stops with the position of the value.
func TestLoadRefusesBundleMatchingNothing(t *testing.T) {
	tests := []struct {
		name, bundle, want string
	}{
		{"typo", "bundel.json", `zislint.yaml:3:13: bundle "bundel.json" matches no file`},
		{"glob", "'flows/*.jsn'", `zislint.yaml:3:13: bundle "flows/*.jsn" matches no file`},
		{"right file", "bundle.json", ""},
		{"right glob", "flows/*.json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := writeRepo(t, map[string]string{
				"bundle.json":      "{}",
				"flows/one.json":   "{}",
				"zislint.yaml":     "integrations:\n  - key: acme\n    bundle: " + tt.bundle + "\n",
				"flows/notes.yaml": "",
			})
			_, err := Load(filepath.Join(repo, FileName))
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Load: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Load = %v; want an error containing %s", err, tt.want)
			}
		})
	}
}

// Find answers a relative question with a path relative to the working
// directory, as bundle paths in findings are, and an absolute one with an
// absolute path.
func TestFindKeepsTheInputRelative(t *testing.T) {
	repo := writeRepo(t, map[string]string{"zislint.yaml": "", "a/b/bundle.json": "{}"})
	t.Chdir(filepath.Join(repo, "a"))
	got, err := Find("b")
	if want := filepath.Join("..", FileName); err != nil || got != want {
		t.Errorf("Find(b) = %q, %v; want %q", got, err, want)
	}
	abs := filepath.Join(repo, "a", "b")
	got, err = Find(abs)
	if want := filepath.Join(repo, FileName); err != nil || got != want {
		t.Errorf("Find(%s) = %q, %v; want %q", abs, got, err, want)
	}
}

func TestTokenEnd(t *testing.T) {
	src := strings.Join([]string{
		`integrations:`,                           // 1
		`  - key: acme   # the production key`,    // 2
		`    connections:`,                        // 3
		`      - {name: "a, b}", type: oauth}`,    // 4
		`ignore:`,                                 // 5
		`  - {path: x.json,`,                      // 6
		`     rules: [ZIS101]}`,                   // 7
		`rules: {ZIS104: 'it''s', ZIS105: error}`, // 8
	}, "\n")
	tests := []struct {
		name string
		at   Pos
		want Pos
	}{
		{"block mapping: the entry without its comment", Pos{2, 5}, Pos{2, 14}},
		{"flow mapping with a quoted brace", Pos{4, 9}, Pos{4, 37}},
		{"flow mapping over two lines", Pos{6, 5}, Pos{7, 22}},
		{"plain value ending at a brace", Pos{8, 34}, Pos{8, 39}},
		{"single-quoted with a doubled quote", Pos{8, 17}, Pos{8, 24}},
		{"outside the file", Pos{20, 1}, Pos{20, 1}},
		{"past the end of the line", Pos{1, 40}, Pos{1, 40}},
	}
	for _, tt := range tests {
		if got := TokenEnd([]byte(src), tt.at); got != tt.want {
			t.Errorf("%s: TokenEnd(%v) = %v, want %v", tt.name, tt.at, got, tt.want)
		}
	}
}

// The folder of the config is a name, not a pattern: brackets or stars in
// it do not make a right bundle: look wrong.
func TestCheckBundlesInAFolderNamedLikeAGlob(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"[draft] *x?/bundle.json":  "{}",
		"[draft] *x?/zislint.yaml": "integrations:\n  - key: acme\n    bundle: bundle.json\n",
	})
	if _, err := Load(filepath.Join(repo, "[draft] *x?", FileName)); err != nil {
		t.Errorf("Load: %v", err)
	}
}

// anyMatch stops at the first file a pattern names, through folder
// globs, file globs and folder names holding glob characters.
func TestAnyMatch(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"a/one/other.txt", "a/two/bundle.json", "b[x]/c/bundle.json", "flat.json"} {
		path := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := escapeGlob(root)
	tests := []struct {
		pattern string
		want    bool
	}{
		{"flat.json", true}, {"missing.json", false}, {"*.json", true}, {"*.yaml", false},
		{"a/*/bundle.json", true}, {"a/*/missing.json", false}, {"a/*/*.json", true}, {"a/*/*.yaml", false},
		{"*/*/bundle.json", true}, {escapeGlob("b[x]") + "/*/bundle.json", true}, {"b?x?/c/bundle.json", true},
	}
	for _, tt := range tests {
		got, err := anyMatch(base + "/" + tt.pattern)
		if err != nil || got != tt.want {
			t.Errorf("anyMatch(%q) = %v, %v; want %v", tt.pattern, got, err, tt.want)
		}
	}
	if _, err := anyMatch(base + "/a/[/bundle.json"); err == nil {
		t.Error("a bad pattern was accepted")
	}
}
