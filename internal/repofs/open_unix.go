//go:build unix

package repofs

import (
	"io"
	"io/fs"
	"syscall"
)

// openNonBlock keeps open from waiting for a writer on a FIFO.
const openNonBlock = syscall.O_NONBLOCK

// openedFile is a file open for reading, by its descriptor alone: an
// os.File registers a descriptor with the poller (a failing epoll_ctl for
// a regular file) and sets a finalizer, which for a run over thousands of
// bundles cost more than the read.
type openedFile struct {
	fd   int
	real string // for errors, as os.File names them
}

func openFile(real string) (openedFile, error) {
	var fd int
	err := retryEINTR(func() (err error) {
		fd, err = syscall.Open(real, syscall.O_RDONLY|syscall.O_CLOEXEC|openNonBlock, 0)
		return err
	})
	if err != nil {
		return openedFile{}, &fs.PathError{Op: "open", Path: real, Err: err}
	}
	return openedFile{fd: fd, real: real}, nil
}

// Stat returns the open file's type and size.
func (f openedFile) Stat() (fs.FileMode, int64, error) {
	var st syscall.Stat_t
	if err := retryEINTR(func() error { return syscall.Fstat(f.fd, &st) }); err != nil {
		return 0, 0, &fs.PathError{Op: "stat", Path: f.real, Err: err}
	}
	return typeOf(uint32(st.Mode)), int64(st.Size), nil
}

// Read reads as os.File.Read does: 0 bytes at the end is io.EOF, and
// at most maxRead bytes at a time, which every system takes.
func (f openedFile) Read(p []byte) (int, error) {
	if len(p) > maxRead {
		p = p[:maxRead]
	}
	var n int
	err := retryEINTR(func() (err error) {
		n, err = syscall.Read(f.fd, p)
		return err
	})
	if err != nil {
		return 0, &fs.PathError{Op: "read", Path: f.real, Err: err}
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// maxRead is the most one read asks for, as in os: some systems refuse
// a read of 2 GiB or more.
const maxRead = 1 << 30

func (f openedFile) Close() error { return syscall.Close(f.fd) }

func retryEINTR(call func() error) error {
	for {
		if err := call(); err != syscall.EINTR {
			return err
		}
	}
}

// typeOf is the type bits of a stat mode as an fs.FileMode, as os.Stat
// gives them.
func typeOf(mode uint32) fs.FileMode {
	switch mode & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	}
	return fs.ModeIrregular
}
