//go:build !unix

package repofs

import (
	"io/fs"
	"os"
)

// openNonBlock is 0 where FIFOs do not block an open.
const openNonBlock = 0

// openedFile is a file open for reading.
type openedFile struct{ *os.File }

func openFile(real string) (openedFile, error) {
	f, err := os.OpenFile(real, os.O_RDONLY|openNonBlock, 0)
	return openedFile{f}, err
}

// Stat returns the open file's type and size.
func (f openedFile) Stat() (fs.FileMode, int64, error) {
	info, err := f.File.Stat()
	if err != nil {
		return 0, 0, err
	}
	return info.Mode(), info.Size(), nil
}
