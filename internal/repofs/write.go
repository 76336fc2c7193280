package repofs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile replaces the file at path with data, inside its repository.
// An existing file keeps its permissions, and a symlink to a file inside
// the repository stays a link (its target is written); a link leading
// outside, to nothing or to something other than a regular file is
// refused. The data goes to a temporary file beside the target that is
// then renamed over it, so a failed write never leaves half a file. perm
// is for a file that does not exist yet.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	r, err := rootOf(path)
	if err != nil {
		return err
	}
	target, err := r.writeTarget(path)
	if err != nil {
		return err
	}
	if info, err := os.Stat(target); err == nil {
		if !info.Mode().IsRegular() {
			return notRegular("write", path, info.Mode())
		}
		perm = info.Mode().Perm()
	}
	return replace(path, target, data, perm)
}

// writeTarget returns the real path to write for path: the resolved file
// when it exists, else the new name in its resolved folder.
func (r root) writeTarget(path string) (string, error) {
	if _, err := os.Lstat(path); err == nil {
		return r.resolve("write", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	dir, err := r.resolve("write", filepath.Dir(path))
	if pe, ok := err.(*fs.PathError); ok {
		pe.Path = path // the folder is the culprit, but the file is what the user knows
	}
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(path)), nil
}

func replace(path, target string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".zislint-*")
	if err != nil {
		return withPath(err, path)
	}
	werr := func() error {
		if _, err := tmp.Write(data); err != nil {
			return err
		}
		if err := tmp.Chmod(perm); err != nil {
			return err
		}
		if err := tmp.Sync(); err != nil {
			return err
		}
		return tmp.Close()
	}()
	if werr == nil {
		werr = os.Rename(tmp.Name(), target)
	}
	if werr != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return &fs.PathError{Op: "write", Path: path, Err: unwrap(werr)}
	}
	return nil
}

// WithoutPath returns the error an *fs.PathError in err wraps, for a
// message that names the path already; other errors come back as they
// are.
func WithoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
