//go:build unix

package lint

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/zislint/zislint/internal/repofs"
)

// hostileRepo is a repository (a folder with .git) holding a bundle, and
// a bundle outside it whose text must never be printed.
func hostileRepo(t *testing.T) (repo, outside string) {
	t.Helper()
	base := t.TempDir()
	repo, outside = filepath.Join(base, "repo"), filepath.Join(base, "outside")
	secret := strings.Replace(refundsBundle(t), `"InitiateRefund"`, `"SECRET_TEXT"`, 1)
	writeAll(t, base, map[string]string{
		"repo/.git/HEAD":             "",
		"repo/bundles/bundle.json":   refundsBundle(t),
		"outside/secret.json":        secret,
		"outside/bundles/other.json": secret,
	})
	return repo, outside
}

func writeAll(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func link(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Skip("no symlinks here:", err)
	}
}

// Each attack of the audit: the lint stops with an error naming the file,
// reads nothing outside and never blocks.
func TestLintRefusesWhatLeadsOutside(t *testing.T) {
	tests := []struct {
		name  string
		plant func(t *testing.T, repo, outside string) // makes repo/bundles/evil.json or repo/evil
		want  string
	}{
		{"link to /dev/zero", func(t *testing.T, repo, _ string) {
			link(t, "/dev/zero", filepath.Join(repo, "bundles", "evil.json"))
		}, "outside the repository"},
		{"link to a bundle outside", func(t *testing.T, repo, outside string) {
			link(t, filepath.Join(outside, "secret.json"), filepath.Join(repo, "bundles", "evil.json"))
		}, "outside the repository"},
		{"relative link climbing out", func(t *testing.T, repo, _ string) {
			link(t, "../../outside/secret.json", filepath.Join(repo, "bundles", "evil.json"))
		}, "outside the repository"},
		{"folder link outside", func(t *testing.T, repo, outside string) {
			link(t, filepath.Join(outside, "bundles"), filepath.Join(repo, "bundles", "evil"))
		}, "outside the repository"},
		{"FIFO", func(t *testing.T, repo, _ string) {
			if err := syscall.Mkfifo(filepath.Join(repo, "bundles", "evil.json"), 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, "named pipe (FIFO), not a regular file"},
		{"config linked outside", func(t *testing.T, repo, outside string) {
			link(t, filepath.Join(outside, "secret.json"), filepath.Join(repo, "zislint.yaml"))
		}, "outside the repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo, outside := hostileRepo(t)
			tt.plant(t, repo, outside)
			res, err := Run([]string{repo}, Options{})
			if err == nil {
				t.Fatalf("lint passed with %d bundles", res.Bundles)
			}
			if msg := err.Error(); !strings.Contains(msg, filepath.Join(repo)) || !strings.Contains(msg, tt.want) || strings.Contains(msg, "SECRET_TEXT") {
				t.Errorf("error %q should name the file, say %q and quote nothing", msg, tt.want)
			}
		})
	}
}

// Links inside the repository keep working, and a folder link given as
// the path is walked like the folder.
func TestLintFollowsLinksInside(t *testing.T) {
	repo, _ := hostileRepo(t)
	link(t, "bundles", filepath.Join(repo, "linkdir"))
	link(t, "bundle.json", filepath.Join(repo, "bundles", "alias.json"))
	res, err := Run([]string{filepath.Join(repo, "linkdir")}, Options{})
	if err != nil || res.Bundles != 1 {
		t.Fatalf("lint linkdir: %v bundles, %v; want the one bundle behind the link", res, err)
	}
	if want := filepath.Join(repo, "linkdir", "alias.json"); res.Files[0] != want {
		t.Errorf("linted %v, want %s (a file and its link are one bundle)", res.Files, want)
	}
	if res, err = Run([]string{repo}, Options{}); err != nil || res.Bundles != 1 {
		t.Errorf("lint of the repository: %v, %v; want one bundle", res, err)
	}
}

func TestLintFileSizeLimit(t *testing.T) {
	repo, _ := hostileRepo(t)
	defer repofs.SetMaxFileSize(repofs.MaxFileSize())
	repofs.SetMaxFileSize(1000)
	_, err := Run([]string{repo}, Options{})
	if err == nil || !strings.Contains(err.Error(), "larger than 1000 bytes") || !strings.Contains(err.Error(), "--max-file-size") {
		t.Errorf("err = %v; want the limit and how to raise it", err)
	}
}

// --fix never writes through a link leading outside: the file outside
// stays as it was, and so does the link.
func TestWriteFixedRefusesLinksOutside(t *testing.T) {
	repo, outside := hostileRepo(t)
	secret := filepath.Join(outside, "secret.json")
	evil := filepath.Join(repo, "bundles", "evil.json")
	link(t, secret, evil)
	before, _ := os.ReadFile(secret)
	fr := &FixResult{Files: []FixedFile{{Path: evil, Old: before, New: []byte("PWNED")}}}
	err := WriteFixed(fr)
	if err == nil || !strings.Contains(err.Error(), "outside the repository") || strings.Contains(err.Error(), "SECRET_TEXT") {
		t.Errorf("err = %v", err)
	}
	if after, _ := os.ReadFile(secret); string(after) != string(before) {
		t.Fatal("the file outside the repository was written")
	}
}
