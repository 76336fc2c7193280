// Package gitbase reads files of a git repository at another revision, for
// the action's pull-request check ("which flows changed against the base
// branch").
//
// It runs in process: the action's image is FROM scratch and has no git
// binary. go-git reads the object store (loose objects, packfiles, deltas,
// packed refs, shallow clones, alternates), but only its storage packages are
// imported, never the root git package or a transport, so no HTTP or SSH
// client code is linked in. Commits and trees are decoded here rather than
// with go-git's plumbing/object, which would also link OpenPGP signature
// verification (about 0.7 MB) for nothing, and whose Tree.File reports a
// missing blob as "file not found", which would make an incomplete clone
// look like an added file.
package gitbase

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// ErrNoBase is returned (wrapped) by Base when no base commit can be found.
var ErrNoBase = errors.New("no base commit to compare against")

// Repo is a git repository opened for reading.
// Its methods may be called from several goroutines; they take turns,
// because go-git does not document its storage as safe for concurrent use.
type Repo struct {
	root string
	mu   sync.Mutex
	st   *filesystem.Storage
}

// Open opens the repository whose work tree contains dir.
//
// It searches dir and its parents for .git, which may be a directory or a
// "gitdir: <path>" file as git writes in linked worktrees and submodules;
// a linked worktree's "commondir" is followed to the shared objects and refs.
// Nothing is read beyond checking that the git directory has a HEAD, so Open
// is cheap.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("gitbase: %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("gitbase: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("gitbase: %s is not a directory", abs)
	}
	for d := abs; ; {
		dotGit := filepath.Join(d, ".git")
		fi, err := os.Stat(dotGit)
		switch {
		case err == nil:
			gitDir := dotGit
			if !fi.IsDir() {
				if gitDir, err = readGitdirFile(dotGit); err != nil {
					return nil, err
				}
			}
			st, err := openStorage(gitDir)
			if err != nil {
				return nil, fmt.Errorf("gitbase: %s (found from %s): %w", dotGit, abs, err)
			}
			return &Repo{root: d, st: st}, nil
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("gitbase: %w", err)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil, fmt.Errorf("gitbase: %s is not inside a git repository (no .git in it or any parent directory)", abs)
		}
		d = parent
	}
}

// readGitdirFile returns the git directory a ".git" file points to. A
// relative path is relative to the directory holding the file (submodules
// write "gitdir: ../.git/modules/name").
func readGitdirFile(dotGit string) (string, error) {
	b, err := os.ReadFile(dotGit)
	if err != nil {
		return "", fmt.Errorf("gitbase: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	p, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return "", fmt.Errorf(`gitbase: %s is a file but does not start with "gitdir:"`, dotGit)
	}
	p = strings.TrimSpace(p)
	if p == "" {
		return "", fmt.Errorf(`gitbase: %s: empty "gitdir:" line`, dotGit)
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(dotGit), p)
	}
	return p, nil
}

// openStorage opens the object and reference store of gitDir.
func openStorage(gitDir string) (*filesystem.Storage, error) {
	if _, err := os.Stat(filepath.Join(gitDir, "HEAD")); err != nil {
		return nil, fmt.Errorf("%s is not a git directory: %w", gitDir, err)
	}
	var repoFS billy.Filesystem = osfs.New(gitDir)
	// A linked worktree (git worktree add) keeps only HEAD and the index in
	// its own git directory; objects and refs live in the "commondir".
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common := strings.TrimSpace(string(b))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitDir, common)
		}
		if _, err := os.Stat(common); err != nil {
			return nil, fmt.Errorf("commondir of %s: %w", gitDir, err)
		}
		repoFS = dotgit.NewRepositoryFilesystem(repoFS, osfs.New(common))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return filesystem.NewStorageWithOptions(repoFS, cache.NewObjectLRUDefault(), filesystem.Options{
		// objects/info/alternates (git clone --shared or --reference) holds
		// absolute paths, which go-git resolves against this filesystem; the
		// default would resolve them inside the git directory and fail.
		AlternatesFS: osfs.New(string(filepath.Separator)),
	}), nil
}

// Root returns the absolute path of the work tree's root directory: the
// directory holding .git.
func (r *Repo) Root() string { return r.root }

// Base finds the commit to compare a pull request against, given
// GITHUB_BASE_REF (e.g. "main"; empty outside pull_request events).
//
// Tried in order:
//   - refs/remotes/origin/<baseRef> and refs/heads/<baseRef> (only when
//     baseRef != ""), which exist after actions/checkout with fetch-depth: 0,
//     narrowed to their merge base with HEAD (see forkPoint);
//   - HEAD^1, when HEAD is a merge commit whose first parent is present in
//     the object store: on pull_request events actions/checkout checks out
//     GitHub's merge commit, whose first parent is the base branch tip, so
//     fetch-depth: 2 is enough.
//
// A ref whose commit is missing from the object store is skipped, so a
// shallow clone falls through to ErrNoBase rather than failing later.
// Base returns the full commit hash and a short description of how it was
// found, for messages ("origin/main", "HEAD^1 (first parent of the merge
// commit)"). When nothing works the error wraps ErrNoBase, lists what was
// tried and says how to fix the checkout.
func (r *Repo) Base(baseRef string) (hash string, how string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()

	var tried []string
	if name := strings.TrimPrefix(baseRef, "refs/heads/"); name != "" {
		for _, c := range []struct{ ref, how string }{
			{"refs/remotes/origin/" + name, "origin/" + name},
			{"refs/heads/" + name, name + " (local branch)"},
		} {
			h, why := r.resolveCommit(plumbing.ReferenceName(c.ref))
			if why == "" {
				return r.forkPoint(h, c.how)
			}
			tried = append(tried, c.ref+" ("+why+")")
		}
	}

	h, why := r.firstParentOfMergeHead()
	if why == "" {
		return h.String(), "HEAD^1 (first parent of the merge commit)", nil
	}
	tried = append(tried, "HEAD^1 ("+why+")")

	return "", "", fmt.Errorf("gitbase: %w in %s: tried %s; check the repository out with full history "+
		"(actions/checkout with `fetch-depth: 0`, or `fetch-depth: 2` on pull_request events, "+
		"which checks out GitHub's merge commit together with its parents)",
		ErrNoBase, r.root, strings.Join(tried, ", "))
}

// maxWalk bounds the commits mergeBase reads from each side, so a huge
// history costs a bounded time; past it the branch tip is used.
const maxWalk = 20000

// forkPoint narrows a base branch tip to its merge base with HEAD. When
// the checkout is the pull request's head rather than GitHub's merge
// commit, the base branch may have moved on since the branch started, and
// comparing with its tip would count those commits as the pull request's
// changes. For a merge commit the merge base is the tip itself. Without
// enough history for a merge base, the tip is the best there is.
func (r *Repo) forkPoint(tip plumbing.Hash, how string) (string, string, error) {
	head, why := r.resolveCommit(plumbing.HEAD)
	if why != "" {
		return tip.String(), how, nil
	}
	if mb, ok := r.mergeBase(tip, head); ok && mb != tip {
		return mb.String(), how + ", where HEAD's branch left it", nil
	}
	return tip.String(), how, nil
}

// mergeBase returns the common ancestor of a and b nearest to b (found
// breadth first from b), or false when the history in the object store
// does not reach one within maxWalk commits.
func (r *Repo) mergeBase(a, b plumbing.Hash) (plumbing.Hash, bool) {
	ofA := map[plumbing.Hash]bool{}
	r.walk(a, func(h plumbing.Hash) bool { ofA[h] = true; return true })
	var found plumbing.Hash
	ok := false
	r.walk(b, func(h plumbing.Hash) bool {
		if ofA[h] {
			found, ok = h, true
			return false
		}
		return true
	})
	return found, ok
}

// walk visits start and its ancestors breadth first, at most maxWalk of
// them, until visit returns false. Commits missing from a shallow clone
// end their line quietly.
func (r *Repo) walk(start plumbing.Hash, visit func(plumbing.Hash) bool) {
	seen := map[plumbing.Hash]bool{start: true}
	queue := []plumbing.Hash{start}
	for len(queue) > 0 && len(seen) <= maxWalk {
		h := queue[0]
		queue = queue[1:]
		if !visit(h) {
			return
		}
		_, parents, err := r.commit(h)
		if err != nil {
			continue
		}
		for _, p := range parents {
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
}

// resolveCommit resolves name to a commit present in the object store. On
// failure it returns a short reason instead of an error: Base only reports
// why each candidate was skipped.
func (r *Repo) resolveCommit(name plumbing.ReferenceName) (plumbing.Hash, string) {
	if err := name.Validate(); err != nil {
		return plumbing.ZeroHash, "not a valid ref name"
	}
	ref, err := storer.ResolveReference(r.st, name)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, "not found"
	}
	if err != nil {
		return plumbing.ZeroHash, err.Error()
	}
	if _, err := r.st.EncodedObject(plumbing.CommitObject, ref.Hash()); err != nil {
		return plumbing.ZeroHash, "commit " + ref.Hash().String() + " not in the object store"
	}
	return ref.Hash(), ""
}

// firstParentOfMergeHead returns HEAD^1 when HEAD is a merge commit and
// HEAD^1 is in the object store, or a short reason why not.
func (r *Repo) firstParentOfMergeHead() (plumbing.Hash, string) {
	head, why := r.resolveCommit(plumbing.HEAD)
	if why != "" {
		return plumbing.ZeroHash, "HEAD: " + why
	}
	_, parents, err := r.commit(head)
	if err != nil {
		return plumbing.ZeroHash, err.Error()
	}
	if len(parents) < 2 {
		return plumbing.ZeroHash, "HEAD is not a merge commit"
	}
	if _, err := r.st.EncodedObject(plumbing.CommitObject, parents[0]); err != nil {
		return plumbing.ZeroHash, "first parent " + parents[0].String() + " not in the object store (shallow clone?)"
	}
	return parents[0], ""
}

// ReadFile returns the content of the regular file at path (slash-separated,
// relative to Root) in commit hash (full hex hash, as returned by Base).
//
// When there is no file at path in that commit, the error satisfies
// errors.Is(err, fs.ErrNotExist); this includes a directory or a submodule
// at path, since for "did this file change" the answer is the same as for a
// missing path: the file is new. A symbolic link is not followed and is an
// error. A commit, tree or blob missing from the object store (shallow or
// partial clone) is an error that does not match fs.ErrNotExist, so it is
// never mistaken for an added file.
func (r *Repo) ReadFile(hash, path string) ([]byte, error) {
	if !plumbing.IsHash(hash) {
		return nil, fmt.Errorf("gitbase: %q is not a full commit hash", hash)
	}
	p, err := cleanPath(path)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()

	commit := plumbing.NewHash(hash)
	short := hash[:12]
	tree, _, err := r.commit(commit)
	if err != nil {
		return nil, err
	}
	notExist := func(why string) error {
		return fmt.Errorf("gitbase: %s at commit %s: %s: %w", p, short, why, fs.ErrNotExist)
	}
	names := strings.Split(p, "/") // never empty: cleanPath rejects ""
	for i, name := range names {
		entries, err := r.object(plumbing.TreeObject, tree)
		if err != nil {
			return nil, err
		}
		mode, h, ok, err := findEntry(entries, name)
		if err != nil {
			return nil, fmt.Errorf("gitbase: tree %s at commit %s: %w", tree, short, err)
		}
		if !ok {
			return nil, notExist("no such file")
		}
		at := strings.Join(names[:i+1], "/")
		last := i == len(names)-1
		switch mode & 0o170000 {
		case 0o040000:
			if last {
				return nil, notExist("is a directory")
			}
			tree = h
		case 0o100000:
			if last {
				return r.object(plumbing.BlobObject, h)
			}
			return nil, notExist(at + " is a file, not a directory")
		case 0o160000:
			return nil, notExist(at + " is a submodule")
		case 0o120000:
			return nil, fmt.Errorf("gitbase: %s at commit %s: %s is a symbolic link, which is not followed", p, short, at)
		default:
			return nil, fmt.Errorf("gitbase: %s at commit %s: %s has unknown mode %o", p, short, at, mode)
		}
	}
	return nil, notExist("no such file")
}

// cleanPath checks that p names something below the work-tree root and
// returns it in the form trees use ("a/b", no "." or empty elements).
func cleanPath(p string) (string, error) {
	c := path.Clean(p)
	if p == "" || path.IsAbs(c) || c == "." || c == ".." || strings.HasPrefix(c, "../") || strings.ContainsRune(c, 0) {
		return "", fmt.Errorf("gitbase: %q is not a file path relative to the repository root", p)
	}
	return c, nil
}

// object reads the content of an object of type t.
func (r *Repo) object(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	o, err := r.st.EncodedObject(t, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, fmt.Errorf("gitbase: %s %s is not in the object store of %s (shallow or partial clone?)", t, h, r.root)
	}
	if err != nil {
		return nil, fmt.Errorf("gitbase: reading %s %s: %w", t, h, err)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("gitbase: reading %s %s: %w", t, h, err)
	}
	defer rd.Close()
	b := make([]byte, 0, max(o.Size(), 0))
	b, err = readAll(rd, b)
	if err != nil {
		return nil, fmt.Errorf("gitbase: reading %s %s: %w", t, h, err)
	}
	return b, nil
}

// readAll is io.ReadAll into a preallocated buffer.
func readAll(rd io.Reader, b []byte) ([]byte, error) {
	w := bytes.NewBuffer(b)
	_, err := w.ReadFrom(rd)
	return w.Bytes(), err
}

// commit decodes the tree and parent hashes from a commit object's headers
// ("tree <hex>", "parent <hex>"..., then a blank line and the message).
func (r *Repo) commit(h plumbing.Hash) (tree plumbing.Hash, parents []plumbing.Hash, err error) {
	b, err := r.object(plumbing.CommitObject, h)
	if err != nil {
		return tree, nil, err
	}
	haveTree := false
	for len(b) > 0 {
		line, rest, _ := bytes.Cut(b, []byte("\n"))
		b = rest
		if len(line) == 0 {
			break // end of headers
		}
		if v, ok := bytes.CutPrefix(line, []byte("tree ")); ok && plumbing.IsHash(string(v)) {
			tree, haveTree = plumbing.NewHash(string(v)), true
		} else if v, ok := bytes.CutPrefix(line, []byte("parent ")); ok && plumbing.IsHash(string(v)) {
			parents = append(parents, plumbing.NewHash(string(v)))
		}
	}
	if !haveTree {
		return tree, nil, fmt.Errorf("gitbase: commit %s has no tree header", h)
	}
	return tree, parents, nil
}

// findEntry looks name up in a tree object's content: a sequence of
// "<octal mode> <name>\x00<binary hash>" entries.
func findEntry(tree []byte, name string) (mode uint32, h plumbing.Hash, ok bool, err error) {
	for len(tree) > 0 {
		sp := bytes.IndexByte(tree, ' ')
		nul := bytes.IndexByte(tree, 0)
		if sp < 0 || nul < sp || len(tree) < nul+1+len(h) {
			return 0, h, false, errors.New("malformed tree object")
		}
		m, perr := strconv.ParseUint(string(tree[:sp]), 8, 32)
		if perr != nil {
			return 0, h, false, errors.New("malformed tree object")
		}
		if string(tree[sp+1:nul]) == name {
			copy(h[:], tree[nul+1:])
			return uint32(m), h, true, nil
		}
		tree = tree[nul+1+len(h):]
	}
	return 0, h, false, nil
}
