package gitbase

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runGit runs the git CLI in dir with a fixed identity and date and without
// the user's or system's configuration, and returns its trimmed stdout.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	args = append([]string{"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com", "GIT_AUTHOR_DATE=2024-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com", "GIT_COMMITTER_DATE=2024-01-02T03:04:05Z",
	)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

type testRepo struct {
	t   *testing.T
	dir string
}

// newRepo creates an empty repository in a temporary directory.
func newRepo(t *testing.T) testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git CLI not found:", err)
	}
	dir := filepath.Join(t.TempDir(), "repo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	runGit(t, dir, "init", "-q")
	return testRepo{t, dir}
}

func (r testRepo) git(args ...string) string {
	r.t.Helper()
	return runGit(r.t, r.dir, args...)
}

func (r testRepo) write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit commits everything in the work tree and returns the new HEAD.
func (r testRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func open(t *testing.T, dir string) *Repo {
	t.Helper()
	repo, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

func checkBase(t *testing.T, repo *Repo, baseRef, wantHash, wantHow string) {
	t.Helper()
	h, how, err := repo.Base(baseRef)
	if err != nil {
		t.Fatalf("Base(%q): %v", baseRef, err)
	}
	if h != wantHash || how != wantHow {
		t.Errorf("Base(%q) = %s, %q; want %s, %q", baseRef, h, how, wantHash, wantHow)
	}
}

func checkRead(t *testing.T, repo *Repo, hash, path, want string) {
	t.Helper()
	got, err := repo.ReadFile(hash, path)
	if err != nil {
		t.Fatalf("ReadFile(%.12s, %q): %v", hash, path, err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("ReadFile(%.12s, %q) mismatch (-want +got):\n%s", hash, path, diff)
	}
}

func checkNotExist(t *testing.T, repo *Repo, hash, path, wantInMsg string) {
	t.Helper()
	got, err := repo.ReadFile(hash, path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadFile(%.12s, %q) = %q, %v; want an fs.ErrNotExist error", hash, path, got, err)
	}
	if !strings.Contains(err.Error(), wantInMsg) {
		t.Errorf("ReadFile(%.12s, %q) error %q does not mention %q", hash, path, err, wantInMsg)
	}
}

// featureRepo makes two commits on main and a feature branch (checked out)
// that changes flows/a.json and adds flows/new.json.
func featureRepo(t *testing.T) (r testRepo, main1, main2, feature string) {
	r = newRepo(t)
	r.write("flows/a.json", "{\"v\": 1}\n")
	r.write("flows/b.json", "{\"b\": true}\n")
	main1 = r.commit("one")
	r.write("flows/a.json", "{\"v\": 2}\n")
	main2 = r.commit("two")
	r.git("checkout", "-q", "-b", "feature")
	r.write("flows/a.json", "{\"v\": 3}\n")
	r.write("flows/new.json", "{}\n")
	feature = r.commit("three")
	return r, main1, main2, feature
}

func TestBaseLocalBranchAndReadOldVersion(t *testing.T) {
	r, main1, main2, feature := featureRepo(t)
	repo := open(t, r.dir)
	checkBase(t, repo, "main", main2, "main (local branch)")
	checkBase(t, repo, "refs/heads/main", main2, "main (local branch)")
	checkRead(t, repo, main2, "flows/a.json", "{\"v\": 2}\n")
	checkRead(t, repo, main1, "flows/a.json", "{\"v\": 1}\n")
	checkRead(t, repo, feature, "flows/a.json", "{\"v\": 3}\n")
	checkRead(t, repo, main2, "./flows//b.json", "{\"b\": true}\n")
}

func TestReadFileAddedOnBranchIsNotExist(t *testing.T) {
	r, _, main2, feature := featureRepo(t)
	repo := open(t, r.dir)
	checkRead(t, repo, feature, "flows/new.json", "{}\n")
	checkNotExist(t, repo, main2, "flows/new.json", "no such file")
	checkNotExist(t, repo, main2, "nodir/new.json", "no such file")
	checkNotExist(t, repo, main2, "flows/a.json/x", "flows/a.json is a file")
}

func TestReadFileDirectoryAtBase(t *testing.T) {
	r := newRepo(t)
	r.write("flows/sub/x.json", "x\n")
	base := r.commit("dir")
	if err := os.RemoveAll(filepath.Join(r.dir, "flows", "sub")); err != nil {
		t.Fatal(err)
	}
	r.write("flows/sub", "now a file\n")
	head := r.commit("file")
	repo := open(t, r.dir)
	checkNotExist(t, repo, base, "flows/sub", "is a directory")
	checkNotExist(t, repo, base, "flows", "is a directory")
	checkRead(t, repo, base, "flows/sub/x.json", "x\n")
	checkRead(t, repo, head, "flows/sub", "now a file\n")
}

func TestReadFileErrors(t *testing.T) {
	r, _, main2, _ := featureRepo(t)
	if err := os.Symlink("a.json", filepath.Join(r.dir, "flows", "link.json")); err != nil {
		t.Skip("symlinks not supported:", err)
	}
	head := r.commit("link")
	blob := r.git("rev-parse", main2+":flows/a.json")
	repo := open(t, r.dir)
	for _, c := range []struct{ hash, path, want string }{
		{"main", "flows/a.json", "not a full commit hash"},
		{main2[:12], "flows/a.json", "not a full commit hash"},
		{strings.Repeat("0", 40), "flows/a.json", "not in the object store"},
		{blob, "flows/a.json", "not in the object store"}, // a blob is not a commit
		{main2, "", "not a file path"},
		{main2, ".", "not a file path"},
		{main2, "../flows/a.json", "not a file path"},
		{main2, "/flows/a.json", "not a file path"},
		{head, "flows/link.json", "symbolic link"},
	} {
		got, err := repo.ReadFile(c.hash, c.path)
		if err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadFile(%q, %q) = %q, %v; want an error (not fs.ErrNotExist) mentioning %q", c.hash, c.path, got, err, c.want)
		}
	}
}

func TestBaseFromCloneUsesOrigin(t *testing.T) {
	src, _, main2, _ := featureRepo(t)
	dst := filepath.Join(t.TempDir(), "clone")
	runGit(t, filepath.Dir(dst), "clone", "-q", "file://"+src.dir, dst)
	c := testRepo{t, dst}
	// A local main that differs from origin/main: origin/main must win.
	c.git("checkout", "-q", "main")
	c.write("local.txt", "local\n")
	c.commit("local only")
	c.git("checkout", "-q", "-b", "pr")
	repo := open(t, dst)
	if got := c.git("rev-parse", "refs/remotes/origin/main"); got != main2 {
		t.Fatalf("origin/main = %s, want %s", got, main2)
	}
	checkBase(t, repo, "main", main2, "origin/main")
	checkRead(t, repo, main2, "flows/a.json", "{\"v\": 2}\n")
}

// mergeRepo builds what actions/checkout sees on a pull_request event:
// HEAD detached at a merge commit of the feature branch into main, with no
// local main branch.
func mergeRepo(t *testing.T) (r testRepo, baseTip, merge string) {
	r, _, _, _ = featureRepo(t)
	r.git("checkout", "-q", "main")
	r.write("flows/b.json", "{\"b\": false}\n")
	baseTip = r.commit("main moves on")
	r.git("checkout", "-q", "--detach", "main")
	r.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
	merge = r.git("rev-parse", "HEAD")
	r.git("branch", "-q", "-D", "main")
	r.git("branch", "pr-merge", merge)
	return r, baseTip, merge
}

func TestBaseMergeCommitFirstParent(t *testing.T) {
	r, baseTip, merge := mergeRepo(t)
	repo := open(t, r.dir)
	const how = "HEAD^1 (first parent of the merge commit)"
	checkBase(t, repo, "main", baseTip, how)
	checkBase(t, repo, "", baseTip, how)
	checkRead(t, repo, baseTip, "flows/a.json", "{\"v\": 2}\n")
	checkRead(t, repo, merge, "flows/a.json", "{\"v\": 3}\n")
	checkNotExist(t, repo, baseTip, "flows/new.json", "no such file")
}

func TestBaseNoMergeNoRef(t *testing.T) {
	r, _, _, _ := featureRepo(t)
	repo := open(t, r.dir)
	_, _, err := repo.Base("")
	if !errors.Is(err, ErrNoBase) || !strings.Contains(err.Error(), "HEAD is not a merge commit") {
		t.Errorf(`Base("") error = %v; want ErrNoBase saying HEAD is not a merge commit`, err)
	}
	_, _, err = repo.Base("develop")
	if !errors.Is(err, ErrNoBase) || !strings.Contains(err.Error(), "refs/remotes/origin/develop (not found)") {
		t.Errorf(`Base("develop") error = %v; want ErrNoBase listing refs/remotes/origin/develop`, err)
	}
	_, _, err = repo.Base("../../HEAD")
	if !errors.Is(err, ErrNoBase) || !strings.Contains(err.Error(), "not a valid ref name") {
		t.Errorf(`Base("../../HEAD") error = %v; want ErrNoBase saying the ref name is invalid`, err)
	}
}

func TestBaseShallowClone(t *testing.T) {
	src, baseTip, merge := mergeRepo(t)
	clone := func(depth string) testRepo {
		dst := filepath.Join(t.TempDir(), "clone")
		// --depth implies --single-branch: like actions/checkout, the clone
		// gets the merge commit and no refs for main.
		runGit(t, filepath.Dir(dst), "clone", "-q", "--depth", depth, "--branch", "pr-merge", "file://"+src.dir, dst)
		c := testRepo{t, dst}
		if got := c.git("rev-parse", "HEAD"); got != merge {
			t.Fatalf("HEAD = %s, want the merge commit %s", got, merge)
		}
		if _, err := os.Stat(filepath.Join(dst, ".git", "shallow")); err != nil {
			t.Fatalf("clone with depth %s is not shallow: %v", depth, err)
		}
		return c
	}

	t.Run("depth1", func(t *testing.T) {
		c := clone("1")
		repo := open(t, c.dir)
		h, how, err := repo.Base("main")
		if !errors.Is(err, ErrNoBase) {
			t.Fatalf(`Base("main") = %s, %q, %v; want ErrNoBase`, h, how, err)
		}
		for _, want := range []string{"fetch-depth: 0", "not in the object store", "refs/remotes/origin/main (not found)"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
		// The base commit is absent: that is not the same as a missing file.
		if _, err := repo.ReadFile(baseTip, "flows/a.json"); err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile at the absent base commit: err = %v; want an error that is not fs.ErrNotExist", err)
		}
	})
	t.Run("depth2", func(t *testing.T) {
		c := clone("2")
		repo := open(t, c.dir)
		checkBase(t, repo, "main", baseTip, "HEAD^1 (first parent of the merge commit)")
		checkRead(t, repo, baseTip, "flows/a.json", "{\"v\": 2}\n")
		checkNotExist(t, repo, baseTip, "flows/new.json", "no such file")
	})
}

func TestReadAfterGC(t *testing.T) {
	r := newRepo(t)
	// A file large enough for git to store one version as a delta of the other.
	var big strings.Builder
	for i := range 2000 {
		big.WriteString("line ")
		big.WriteString(strings.Repeat("x", i%50))
		big.WriteString("\n")
	}
	v1 := big.String()
	v2 := strings.Replace(v1, "line xxx\n", "line changed\n", 1)
	r.write("flows/big.json", v1)
	base := r.commit("one")
	r.git("checkout", "-q", "-b", "feature")
	r.write("flows/big.json", v2)
	head := r.commit("two")
	r.git("gc", "-q", "--prune=now")

	gitDir := filepath.Join(r.dir, ".git")
	if _, err := os.Stat(filepath.Join(gitDir, "refs", "heads", "main")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("refs/heads/main is still a loose ref after gc (err = %v)", err)
	}
	if loose, _ := filepath.Glob(filepath.Join(gitDir, "objects", "??", "*")); len(loose) > 0 {
		t.Fatalf("loose objects left after gc: %v", loose)
	}
	idx, _ := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "*.idx"))
	if len(idx) != 1 {
		t.Fatalf("want one pack index after gc, got %v", idx)
	}
	if out := r.git("verify-pack", "-v", idx[0]); !strings.Contains(out, "chain length = 1") {
		t.Fatalf("pack has no deltas; verify-pack -v:\n%s", out)
	}

	repo := open(t, r.dir)
	checkBase(t, repo, "main", base, "main (local branch)")
	checkRead(t, repo, base, "flows/big.json", v1)
	checkRead(t, repo, head, "flows/big.json", v2)
}

func TestOpenFromSubdirectory(t *testing.T) {
	r, _, main2, _ := featureRepo(t)
	repo := open(t, filepath.Join(r.dir, "flows"))
	if repo.Root() != r.dir {
		t.Errorf("Root() = %q, want %q", repo.Root(), r.dir)
	}
	checkRead(t, repo, main2, "flows/a.json", "{\"v\": 2}\n")
}

func TestOpenOutsideRepository(t *testing.T) {
	dir := t.TempDir()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			t.Skipf("temporary directory %s is inside a git repository (%s)", dir, d)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "not inside a git repository") {
		t.Errorf("Open(%q) error = %v; want it to name the directory and say it is not inside a git repository", dir, err)
	}
	if _, err := Open(filepath.Join(dir, "missing")); err == nil {
		t.Error("Open of a missing directory succeeded")
	}
}

func TestOpenLinkedWorktree(t *testing.T) {
	r, _, main2, _ := featureRepo(t)
	wt := filepath.Join(t.TempDir(), "wt")
	r.git("worktree", "add", "-q", "-b", "other", wt, "main")
	w := testRepo{t, wt}
	w.write("flows/a.json", "{\"v\": \"wt\"}\n")
	head := w.commit("in worktree")

	repo := open(t, filepath.Join(wt, "flows"))
	if repo.Root() != wt {
		t.Errorf("Root() = %q, want %q", repo.Root(), wt)
	}
	checkBase(t, repo, "main", main2, "main (local branch)")
	checkRead(t, repo, main2, "flows/a.json", "{\"v\": 2}\n")
	checkRead(t, repo, head, "flows/a.json", "{\"v\": \"wt\"}\n")
}

func TestOpenRelativeGitdirFile(t *testing.T) {
	// As in a submodule: .git is a file with a path relative to its directory.
	r, _, main2, _ := featureRepo(t)
	store := filepath.Join(filepath.Dir(r.dir), "store")
	if err := os.Mkdir(store, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(r.dir, ".git"), filepath.Join(store, "repo.git")); err != nil {
		t.Fatal(err)
	}
	r.write(".git", "gitdir: ../store/repo.git\n")
	if got := r.git("rev-parse", "main"); got != main2 {
		t.Fatalf("git itself does not follow the .git file: main = %s, want %s", got, main2)
	}
	repo := open(t, r.dir)
	checkBase(t, repo, "main", main2, "main (local branch)")
	checkRead(t, repo, main2, "flows/a.json", "{\"v\": 2}\n")

	r.write(".git", "not a gitdir line\n")
	if _, err := Open(r.dir); err == nil || !strings.Contains(err.Error(), "gitdir:") {
		t.Errorf("Open with a malformed .git file: err = %v; want one mentioning gitdir:", err)
	}
}

func TestSharedCloneAlternates(t *testing.T) {
	src, _, main2, _ := featureRepo(t)
	dst := filepath.Join(t.TempDir(), "shared")
	runGit(t, filepath.Dir(dst), "clone", "-q", "--shared", src.dir, dst)
	if _, err := os.Stat(filepath.Join(dst, ".git", "objects", "info", "alternates")); err != nil {
		t.Fatalf("clone --shared wrote no alternates file: %v", err)
	}
	repo := open(t, dst)
	checkBase(t, repo, "main", main2, "origin/main")
	checkRead(t, repo, main2, "flows/a.json", "{\"v\": 2}\n")
}

// When the checkout is the pull request's head and main moved on since
// the branch started, the base is where the branch left main, so main's
// newer changes do not count as the pull request's.
func TestBaseIsTheForkPointWhenMainMovedOn(t *testing.T) {
	r, _, main2, _ := featureRepo(t)
	r.git("checkout", "-q", "main")
	r.write("flows/b.json", "{\"b\": false}\n")
	main3 := r.commit("main moves on")
	r.git("checkout", "-q", "feature")
	repo := open(t, r.dir)
	checkBase(t, repo, "main", main2, "main (local branch), where HEAD's branch left it")
	checkRead(t, repo, main2, "flows/b.json", "{\"b\": true}\n")
	// With main merged into the branch, main's tip is the merge base.
	r.git("merge", "-q", "--no-edit", "main")
	checkBase(t, repo, "main", main3, "main (local branch)")
}
