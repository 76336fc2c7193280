package repofs

import (
	"io"
	"io/fs"
	"os"
)

// ReadFile reads the regular file at path, inside its repository, of at
// most MaxFileSize bytes. Errors are *fs.PathError: a missing file wraps
// fs.ErrNotExist; the refusals wrap ErrOutside, ErrNotRegular or
// ErrTooLarge and say what to do.
func ReadFile(path string) ([]byte, error) {
	r, err := rootOf(path)
	if err != nil {
		return nil, err
	}
	real, err := r.resolve("read", path)
	if err != nil {
		return nil, err
	}
	return readReal(path, real, false)
}

// readReal reads real, the resolved and checked path of path. Unless the
// caller already knows real is a regular file, it looks before it opens,
// so a FIFO or a device is refused without blocking or reading forever;
// opening with O_NONBLOCK and checking the open file again closes the gap
// if the file was swapped in between.
func readReal(path, real string, knownRegular bool) ([]byte, error) {
	if !knownRegular {
		info, err := os.Stat(real)
		if err != nil {
			return nil, withPath(err, path)
		}
		if !info.Mode().IsRegular() {
			return nil, notRegular("read", path, info.Mode())
		}
	}
	return readOpened(path, real)
}

// readOpened opens real and reads it whole after checking, on the open
// file, that it is regular and not over the limit.
func readOpened(path, real string) ([]byte, error) {
	f, err := openFile(real)
	if err != nil {
		return nil, withPath(err, path)
	}
	defer f.Close()
	mode, size, err := f.Stat()
	if err != nil {
		return nil, withPath(err, path)
	}
	if !mode.IsRegular() {
		return nil, notRegular("read", path, mode)
	}
	limit := MaxFileSize()
	if size > limit {
		return nil, tooLarge("read", path, limit)
	}
	return readLimited(f, path, size, limit)
}

// readLimited reads f to its end, as os.ReadFile does, into a buffer
// sized from the file's size, stopping with an error past limit bytes:
// a file still growing (or lying about its size) is cut off there.
func readLimited(f io.Reader, path string, size, limit int64) ([]byte, error) {
	data := make([]byte, 0, min(size, limit)+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			return nil, tooLarge("read", path, limit)
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, withPath(err, path)
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // let append pick the next size
		}
	}
}

// withPath names path, as the caller gave it, in an error about real.
func withPath(err error, path string) error {
	if pe, ok := err.(*fs.PathError); ok {
		return &fs.PathError{Op: pe.Op, Path: path, Err: pe.Err}
	}
	return err
}

// ReadDir lists the folder dir, which must lie inside the repository
// (following a symlink that stays inside it). The files it holds are
// read with ReadFile, which checks each of them.
func ReadDir(dir string) ([]fs.DirEntry, error) {
	r, err := rootOf(dir)
	if err != nil {
		return nil, err
	}
	real, err := r.resolve("open", dir)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(real)
	return entries, withPath(err, dir)
}
