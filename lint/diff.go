package lint

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zislint/zislint/internal/linediff"
)

// WriteFixDiff writes a unified diff of every fixed file, labelled
// a/<path> and b/<path> so that patch -p1 and git apply take it from the
// current directory.
func WriteFixDiff(w io.Writer, fr *FixResult) error {
	bw := bufio.NewWriter(w)
	for _, f := range fr.Files {
		name := diffPath(f.Path)
		if err := linediff.Write(bw, "a/"+name, "b/"+name, f.Old, f.New); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// diffPath names path relative to the current directory when it lies
// inside it, else relative to the root, since patch refuses names that
// are absolute or climb out with "..".
func diffPath(path string) string {
	p := path
	if abs, err := filepath.Abs(path); err == nil {
		p = abs
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && filepath.IsLocal(rel) {
				p = rel
			}
		}
	}
	p = strings.TrimPrefix(p, filepath.VolumeName(p))
	return strings.TrimLeft(filepath.ToSlash(p), "/")
}
