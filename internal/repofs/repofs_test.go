//go:build unix

package repofs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// repo makes a repository (a folder with .git) holding files, and a
// secret file beside it, outside. It returns both folders.
func repo(t *testing.T, files map[string]string) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root, outside = filepath.Join(base, "repo"), filepath.Join(base, "outside")
	for _, dir := range []string{filepath.Join(root, ".git"), outside} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(outside, "secret.json"), `{"resources": "SECRET"}`)
	for name, content := range files {
		write(t, filepath.Join(root, name), content)
	}
	return root, outside
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
}

// wantRefusal checks that err is kind, names path and never quotes the
// secret.
func wantRefusal(t *testing.T, err error, kind error, path string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want %v", err, kind)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || strings.Contains(msg, "SECRET") {
		t.Errorf("error %q should name %s and quote nothing of the file", msg, path)
	}
}

func TestReadFileRefusesWhatLeadsOutside(t *testing.T) {
	root, outside := repo(t, map[string]string{"real.json": "{}", "sub/in.json": "[]"})
	symlink(t, filepath.Join(outside, "secret.json"), filepath.Join(root, "abs.json"))
	symlink(t, "../outside/secret.json", filepath.Join(root, "rel.json"))
	symlink(t, outside, filepath.Join(root, "outdir"))
	symlink(t, "/dev/zero", filepath.Join(root, "zero.json"))
	for _, name := range []string{"abs.json", "rel.json", "outdir/secret.json", "zero.json"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(root, name)
			_, err := ReadFile(path)
			wantRefusal(t, err, ErrOutside, path)
		})
	}
}

func TestReadFileFollowsLinksInside(t *testing.T) {
	root, _ := repo(t, map[string]string{"real.json": "{}", "sub/in.json": "[]"})
	symlink(t, "real.json", filepath.Join(root, "link.json"))
	symlink(t, "sub", filepath.Join(root, "linkdir"))
	for name, want := range map[string]string{"link.json": "{}", "linkdir/in.json": "[]"} {
		got, err := ReadFile(filepath.Join(root, name))
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
}

func TestReadFileRefusesNonRegularFiles(t *testing.T) {
	root, _ := repo(t, nil)
	fifo := filepath.Join(root, "pipe.json")
	mkfifo(t, fifo) // opening it for reading would wait for a writer forever
	_, err := ReadFile(fifo)
	wantRefusal(t, err, ErrNotRegular, fifo)
	if !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("error %q should say what the file is", err)
	}
	_, err = ReadFile(root)
	wantRefusal(t, err, ErrNotRegular, root)
}

func TestReadFileLimit(t *testing.T) {
	root, _ := repo(t, map[string]string{"big.json": strings.Repeat(" ", 2048), "fits.json": strings.Repeat(" ", 1024)})
	defer SetMaxFileSize(MaxFileSize())
	SetMaxFileSize(1024)
	big := filepath.Join(root, "big.json")
	_, err := ReadFile(big)
	wantRefusal(t, err, ErrTooLarge, big)
	if !strings.Contains(err.Error(), "1024 bytes") || !strings.Contains(err.Error(), FlagName) {
		t.Errorf("error %q should give the limit and the flag that raises it", err)
	}
	if got, err := ReadFile(filepath.Join(root, "fits.json")); err != nil || len(got) != 1024 {
		t.Errorf("a file of exactly the limit: %d bytes, %v", len(got), err)
	}
}

func TestReadFileMissing(t *testing.T) {
	root, _ := repo(t, nil)
	symlink(t, "gone.json", filepath.Join(root, "dangling.json"))
	for _, name := range []string{"none.json", "dangling.json"} {
		if _, err := ReadFile(filepath.Join(root, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: error %v, want one wrapping fs.ErrNotExist", name, err)
		}
	}
}

func TestWriteFileStaysInside(t *testing.T) {
	root, outside := repo(t, map[string]string{"real.json": "old", "sub/keep.txt": ""})
	secret := filepath.Join(outside, "secret.json")
	symlink(t, secret, filepath.Join(root, "out.json"))
	symlink(t, outside, filepath.Join(root, "outdir"))
	symlink(t, filepath.Join(outside, "new.json"), filepath.Join(root, "dangling.json"))
	for _, name := range []string{"out.json", "outdir/secret.json", "outdir/fresh.json"} {
		path := filepath.Join(root, name)
		err := WriteFile(path, []byte("PWNED"), 0o644)
		wantRefusal(t, err, ErrOutside, path)
	}
	if err := WriteFile(filepath.Join(root, "dangling.json"), []byte("PWNED"), 0o644); err == nil {
		t.Error("writing through a dangling link succeeded")
	}
	if got, _ := os.ReadFile(secret); strings.Contains(string(got), "PWNED") {
		t.Fatal("the file outside was overwritten")
	}
	if _, err := os.Lstat(filepath.Join(outside, "fresh.json")); err == nil {
		t.Fatal("a file was created outside")
	}
	if _, err := os.Lstat(filepath.Join(outside, "new.json")); err == nil {
		t.Fatal("a file was created outside through a dangling link")
	}
}

func TestWriteFileThroughLinkInside(t *testing.T) {
	root, _ := repo(t, map[string]string{"real.json": "old"})
	real, link := filepath.Join(root, "real.json"), filepath.Join(root, "link.json")
	symlink(t, "real.json", link)
	if err := os.Chmod(real, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(link)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the link is no longer a link: %v %v", info, err)
	}
	got, _ := os.ReadFile(real)
	info, _ = os.Stat(real)
	if string(got) != "new" || info.Mode().Perm() != 0o600 {
		t.Errorf("target holds %q with mode %v; want \"new\" with 0600", got, info.Mode().Perm())
	}
	fifo := filepath.Join(root, "pipe.json")
	mkfifo(t, fifo)
	wantRefusal(t, WriteFile(fifo, []byte("x"), 0o644), ErrNotRegular, fifo)
}

func TestWalk(t *testing.T) {
	root, outside := repo(t, map[string]string{
		"a.json": "{}", "sub/b.json": "{}", "sub/deep/c.json": "{}", "notes.txt": "", ".hidden/d.json": "{}",
	})
	symlink(t, "sub", filepath.Join(root, "linkdir"))          // a folder inside: walked
	symlink(t, "..", filepath.Join(root, "sub", "deep", "up")) // a cycle: entered once
	symlink(t, "a.json", filepath.Join(root, "same.json"))     // a file inside: listed
	symlink(t, "gone", filepath.Join(root, "gone.txt"))        // not matched: ignored
	match := func(name string) bool { return strings.HasSuffix(name, ".json") }
	skip := func(name string) bool { return strings.HasPrefix(name, ".") }

	files, err := Walk(root, match, skip)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.json", "same.json", "sub/b.json", "sub/deep/c.json"}
	if got := relPaths(t, root, files); !slices.Equal(got, want) {
		t.Errorf("Walk = %v, want %v", got, want)
	}

	// A folder link given as the path is walked like the folder.
	files, err = Walk(filepath.Join(root, "linkdir"), match, skip)
	want = []string{"linkdir/b.json", "linkdir/deep/c.json"}
	if got := relPaths(t, root, files); err != nil || !slices.Equal(got, want) {
		t.Errorf("Walk(linkdir) = %v, %v; want %v", got, err, want)
	}

	// What leads outside, and what is no file, is reported, never listed.
	symlink(t, outside, filepath.Join(root, "outdir"))
	symlink(t, filepath.Join(outside, "secret.json"), filepath.Join(root, "secret.json"))
	symlink(t, "/dev/zero", filepath.Join(root, "zero.json"))
	mkfifo(t, filepath.Join(root, "pipe.json"))
	files, err = Walk(root, match, skip)
	if got := relPaths(t, root, files); !slices.Equal(got, []string{"a.json", "same.json", "sub/b.json", "sub/deep/c.json"}) {
		t.Errorf("Walk with bad entries listed %v", got)
	}
	for _, name := range []string{"outdir", "secret.json", "zero.json", "pipe.json"} {
		if err == nil || !strings.Contains(err.Error(), filepath.Join(root, name)+":") {
			t.Errorf("Walk's error %v does not report %s", err, name)
		}
	}
	if !errors.Is(err, ErrOutside) || !errors.Is(err, ErrNotRegular) {
		t.Errorf("Walk's error %v should wrap ErrOutside and ErrNotRegular", err)
	}

	// A folder link outside given as the path is refused too.
	_, err = Walk(filepath.Join(root, "outdir"), match, skip)
	wantRefusal(t, err, ErrOutside, filepath.Join(root, "outdir"))
}

func relPaths(t *testing.T, root string, files []File) []string {
	t.Helper()
	var out []string
	for _, f := range files {
		rel, err := filepath.Rel(root, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Read(); err != nil {
			t.Errorf("reading %s: %v", rel, err)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

func TestReadDir(t *testing.T) {
	root, outside := repo(t, map[string]string{"tests/a.yaml": ""})
	symlink(t, "tests", filepath.Join(root, "linked"))
	symlink(t, outside, filepath.Join(root, "outdir"))
	if entries, err := ReadDir(filepath.Join(root, "linked")); err != nil || len(entries) != 1 {
		t.Errorf("ReadDir(linked) = %v, %v", entries, err)
	}
	_, err := ReadDir(filepath.Join(root, "outdir"))
	wantRefusal(t, err, ErrOutside, filepath.Join(root, "outdir"))
}

func TestRootOf(t *testing.T) {
	root, _ := repo(t, map[string]string{"a/b/c.json": ""})
	if got, err := RootOf(filepath.Join(root, "a", "b", "c.json")); err != nil || got != root {
		t.Errorf("RootOf = %q, %v; want the folder with .git, %q", got, err, root)
	}
	// A link to another work tree does not make a root of its own.
	other, _ := repo(t, map[string]string{"x.json": ""})
	symlink(t, other, filepath.Join(root, "a", "other"))
	if got, _ := RootOf(filepath.Join(root, "a", "other", "x.json")); got != root {
		t.Errorf("RootOf through a link to another repository = %q, want %q", got, root)
	}
	if _, err := ReadFile(filepath.Join(root, "a", "other", "x.json")); !errors.Is(err, ErrOutside) {
		t.Errorf("reading into another repository through a link: %v, want ErrOutside", err)
	}
	// Without .git, a path outside the current folder has its folder as root.
	plain := t.TempDir()
	if got, _ := RootOf(filepath.Join(plain, "x.json")); got != plain {
		t.Errorf("RootOf without .git = %q, want %q", got, plain)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "1024": 1024, "64K": 64 << 10, "64kb": 64 << 10, "10M": 10 << 20, "10MiB": 10 << 20, "2G": 2 << 30} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "ten", "1T", "99999999999G", "1.5M"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) succeeded", in)
		}
	}
}

// A file that grows after it was measured is still cut off at the limit,
// and one that shrank or grew within it is read whole.
func TestReadLimitedIgnoresTheMeasuredSize(t *testing.T) {
	text := strings.Repeat("x", 3000)
	if _, err := readLimited(strings.NewReader(text), "f", 10, 2048); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a file grown past the limit: %v", err)
	}
	for _, size := range []int64{0, 10, 3000, 5000} {
		got, err := readLimited(strings.NewReader(text), "f", size, 4096)
		if err != nil || string(got) != text {
			t.Errorf("measured %d: read %d bytes, %v", size, len(got), err)
		}
	}
}

// A folder below one already read, reached through a link to another
// checkout that holds .git, keeps the root of the files read before it:
// a config's tests: folder cannot borrow another repository's root.
func TestDerivedPathsKeepTheirRoot(t *testing.T) {
	for _, withGit := range []bool{true, false} {
		base := t.TempDir()
		plain, other := filepath.Join(base, "plain"), filepath.Join(base, "other")
		write(t, filepath.Join(plain, "zislint.yaml"), "")
		write(t, filepath.Join(other, "sub", ".git", "HEAD"), "")
		write(t, filepath.Join(other, "sub", "tests", "a.yaml"), "SECRET")
		if withGit {
			write(t, filepath.Join(plain, ".git", "HEAD"), "")
		}
		symlink(t, other, filepath.Join(plain, "evil"))
		if _, err := ReadFile(filepath.Join(plain, "zislint.yaml")); err != nil {
			t.Fatal(err)
		}
		tests := filepath.Join(plain, "evil", "sub", "tests")
		if _, err := ReadDir(tests); !errors.Is(err, ErrOutside) {
			t.Errorf("withGit %v: ReadDir through a link to another checkout: %v", withGit, err)
		}
		if _, err := ReadFile(filepath.Join(tests, "a.yaml")); !errors.Is(err, ErrOutside) {
			t.Errorf("withGit %v: ReadFile through a link to another checkout: %v", withGit, err)
		}
	}
}

// TestWalkExcluding leaves out what exclude names, by path: folders are
// not entered (a broken file or a link leading outside there is never
// looked at), files and file links are not listed, and the walked path
// itself is always walked.
func TestWalkExcluding(t *testing.T) {
	root, outside := repo(t, map[string]string{
		"a.json": "{}", "skip/b.json": "{}", "keep/skip/c.json": "{}", "keep/d.json": "{}",
	})
	symlink(t, outside, filepath.Join(root, "skip", "outdir")) // would be an error if looked at
	symlink(t, "a.json", filepath.Join(root, "alias.json"))
	match := func(name string) bool { return strings.HasSuffix(name, ".json") }
	skip := func(string) bool { return false }
	var asked []string
	exclude := func(p string) bool {
		rel, _ := filepath.Rel(root, p)
		asked = append(asked, filepath.ToSlash(rel))
		return slices.Contains([]string{"skip", "keep/d.json", "alias.json"}, filepath.ToSlash(rel))
	}
	files, err := WalkExcluding(root, match, skip, exclude)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.json", "keep/skip/c.json"}
	if got := relPaths(t, root, files); !slices.Equal(got, want) {
		t.Errorf("WalkExcluding = %v, want %v", got, want)
	}
	if slices.Contains(asked, "skip/b.json") || slices.Contains(asked, ".") {
		t.Errorf("exclude was asked about %v; want neither the walked path nor what lies in an excluded folder", asked)
	}

	// An excluded folder named as the path is walked all the same.
	files, err = WalkExcluding(filepath.Join(root, "skip"), match, skip, func(string) bool { return false })
	if got := relPaths(t, root, files); !slices.Equal(got, []string{"skip/b.json"}) || !errors.Is(err, ErrOutside) {
		t.Errorf("WalkExcluding(skip) = %v, %v; want skip/b.json and the link outside reported", got, err)
	}
}
