// Package repofs is the one way zislint opens files. zislint runs on pull
// requests, so file and folder names, symlinks and sizes are chosen by
// whoever opens one. Every read and write here stays inside the
// repository the path belongs to, touches only regular files, and reads
// at most MaxFileSize bytes.
//
// The repository of a path is its root: for a path inside the current
// folder, the nearest folder at or above the current folder that holds
// .git (the git work tree), else the current folder itself; for any other
// path, the nearest folder above it that holds .git, else the folder the
// path is in. A symlink is followed only when its target, fully
// resolved, lies inside that root.
package repofs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Problems, for errors.Is; each comes wrapped in an *fs.PathError whose
// Err says what to do.
var (
	ErrOutside    = errors.New("outside the repository")
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

// problem is a refusal with its explanation.
type problem struct {
	kind error
	msg  string
}

func (p *problem) Error() string { return p.msg }
func (p *problem) Unwrap() error { return p.kind }

func refuse(op, path string, kind error, format string, args ...any) error {
	return &fs.PathError{Op: op, Path: path, Err: &problem{kind: kind, msg: fmt.Sprintf(format, args...)}}
}

// root is a repository root: the folder as found and its real path.
type root struct {
	dir, real string
}

// roots caches the root of each folder, keyed by the current folder and
// the folder, so a walk of a thousand bundles looks for .git once a folder.
var roots sync.Map // [2]string{cwd, dir} → root

// RootOf returns the repository root of path (see the package doc).
func RootOf(path string) (string, error) {
	r, err := rootOf(path)
	return r.dir, err
}

func rootOf(path string) (root, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return root{}, err
	}
	return rootOfFolder(filepath.Dir(abs))
}

// rootOfFolder returns the root of the files in the folder dir, which is
// absolute and clean.
func rootOfFolder(dir string) (root, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return root{}, err
	}
	key := [2]string{cwd, dir}
	if r, ok := roots.Load(key); ok {
		return r.(root), nil
	}
	r, ok := inheritedRoot(cwd, dir)
	if !ok {
		r = root{dir: findRoot(cwd, dir)}
		if r.real, err = filepath.EvalSymlinks(r.dir); err != nil {
			return root{}, err
		}
	}
	roots.Store(key, r)
	return r, nil
}

// inheritedRoot returns the root already settled for a folder above dir.
// A path zislint derives from the repository's content (a config's
// tests: folder, a fixture) lies below a file it has read already, and is
// judged by that file's root: looking for .git afresh below it could
// find one through a symlink, in another checkout, and take it for the
// root.
func inheritedRoot(cwd, dir string) (root, bool) {
	for parent := filepath.Dir(dir); parent != dir; dir, parent = parent, filepath.Dir(parent) {
		if r, ok := roots.Load([2]string{cwd, parent}); ok {
			return r.(root), true
		}
	}
	return root{}, false
}

// findRoot decides the root of the files in dir. Inside the current
// folder, only the current folder and its parents are looked at for
// .git: they are where the user (or the workflow) chose to run, while the
// folders below are the repository's own content and may be symlinks to
// anywhere. Outside it, dir and the folders above it are searched,
// skipping symlinked ones, so a link to another work tree does not become
// a root of its own.
func findRoot(cwd, dir string) string {
	if within(cwd, dir) {
		if top := gitTop(cwd, false); top != "" {
			return top
		}
		return cwd
	}
	if top := gitTop(dir, true); top != "" {
		return top
	}
	return dir
}

// gitTop returns the nearest folder at or above dir holding .git, or "".
func gitTop(dir string, skipLinks bool) string {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil && !(skipLinks && isLink(dir)) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func isLink(path string) bool {
	info, err := os.Lstat(path)
	return err == nil && info.Mode()&fs.ModeSymlink != 0
}

// IsRepoTop reports whether dir is the top of a git work tree, where a
// search upwards for zislint's own files stops.
func IsRepoTop(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, ".git"))
	return err == nil
}

// within reports whether path is dir or lies below it; both are clean
// and absolute.
func within(dir, path string) bool {
	if path == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(path, dir)
}

// Inside reports whether the path, lexically, lies inside the repository
// root of from: config files use it for the paths they name.
func Inside(from, path string) (root string, ok bool, err error) {
	r, err := rootOf(from)
	if err != nil {
		return "", false, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false, err
	}
	return r.dir, within(r.dir, abs), nil
}

// resolve returns the real path of path after checking that it lies
// inside r. A missing file is an *fs.PathError wrapping fs.ErrNotExist.
func (r root) resolve(op, path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && isLink(path) {
			return "", refuse(op, path, fs.ErrNotExist, "it is a symlink to a file that does not exist")
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			// Name the path asked for, not the folder where resolving stopped.
			return "", &fs.PathError{Op: op, Path: path, Err: pe.Err}
		}
		return "", err
	}
	if !within(r.real, real) {
		return "", refuse(op, path, ErrOutside, "it leads to %s, outside the repository %s; zislint only follows symlinks that stay inside it", real, r.dir)
	}
	return real, nil
}

// kindOf names what a non-regular file is, for messages.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

func notRegular(op, path string, m fs.FileMode) error {
	return refuse(op, path, ErrNotRegular, "it is %s, not a regular file; zislint reads only regular files", kindOf(m))
}
