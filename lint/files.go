package lint

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/internal/repofs"
	"github.com/zislint/zislint/rules"
)

// file is a bundle file to lint, read once.
type file struct {
	path string
	src  []byte // read for this file alone and never written: the model shares it (bundle.ParseShared)
	// reread reads the file again, nil when it is not on disk. A large
	// bundle's source is let go while its rules run and read again only
	// when a finding or a format needs it (see lintFile).
	reread func() ([]byte, error)
	sum    uint32 // the CRC of src when it was let go
}

// handOver returns f's source for Root to parse. A large bundle's is
// handed over rather than shared: Root parses it detached (see
// rules.DetachSize), so its bytes are freed as soon as the tree is built,
// and the file is read again only when a finding or a format needs it.
func (f *file) handOver() ([]byte, error) {
	if err := f.restore(); err != nil {
		return nil, err
	}
	src := f.src
	if len(src) >= rules.DetachSize {
		f.letGo()
	}
	return src, nil
}

// letGo drops the source of a file that can be read again.
func (f *file) letGo() {
	if f.reread == nil || f.src == nil {
		return
	}
	f.sum = checksum(f.src)
	f.src = nil
}

// restore reads a let-go source again, and fails when the file changed
// since it was linted: its findings' positions would point elsewhere.
func (f *file) restore() error {
	if f.src != nil || f.reread == nil {
		return nil
	}
	src, err := f.reread()
	if err != nil {
		return err
	}
	if checksum(src) != f.sum {
		return fmt.Errorf("%s changed while it was linted; lint it again", f.path)
	}
	f.src = src
	return nil
}

// checksum is a CRC-32C of src: hardware-assisted, a few milliseconds
// for a 24 MB flow.
func checksum(src []byte) uint32 {
	return crc32.Checksum(src, crc32.MakeTable(crc32.Castagnoli))
}

// goldenSuffix ends the simulator's golden files: results, never bundles.
const goldenSuffix = ".golden.json"

// FindBundles lists the bundle files named by paths, as lint finds them;
// the test command runs the fixtures of the same bundles.
func FindBundles(paths []string) ([]string, error) {
	files, err := collect(paths, Options{})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.path
	}
	return out, nil
}

// collect reads the bundle files named by paths. Files named explicitly
// are always bundles; in directories, a .json file is a bundle when its
// top level has "zis_template_version" or "resources". Hidden
// directories, node_modules and golden files are skipped. Every path goes
// through repofs, so symlinks are followed only inside the repository,
// and a link leading out of it, a FIFO, a device or a file over the size
// limit is an error that names it; those are all reported together.
// What the "exclude:" patterns of the config governing a folder name is
// left out of the walk; a path named explicitly is always linted, except
// for a named file with SkipNonBundles, which is treated as found.
func collect(paths []string, opts Options) ([]*file, error) {
	var out []*file
	finder, _ := config.NewFinder()
	err := collectEach(paths, opts, finder, func(f *file) { out = append(out, f) })
	return out, err
}

// collectEach is collect handing each file to yield as soon as it is read,
// so linting can start while the walk goes on. finder, when not nil,
// finds the configs whose "exclude:" patterns apply; the run shares its
// own, so each folder is looked at once for both.
func collectEach(paths []string, opts Options, finder *config.Finder, yield func(*file)) error {
	var problems []error
	seen := map[string]bool{}
	skipNonBundles := opts.SkipNonBundles
	ex := newExcluder(opts, finder)
	for _, root := range paths {
		if skipNonBundles && ex.named(root) {
			continue
		}
		found, err := repofs.WalkListing(root, isBundleName, skipDir, ex.entry, ex.listed)
		if err != nil {
			problems = append(problems, describe(err))
		}
		for _, f := range found {
			// One file reached twice (by a second argument, or as a link
			// beside its target) is linted once.
			if seen[f.RealPath()] {
				continue
			}
			seen[f.RealPath()] = true
			src, err := f.Read()
			if err != nil {
				problems = append(problems, describe(err))
				continue
			}
			explicit := f.Path == root
			if explicit && !skipNonBundles || bundle.LooksLikeBundle(src) {
				yield(&file{path: f.Path, src: src, reread: f.Read})
			}
		}
	}
	return errors.Join(problems...)
}

// isBundleName reports whether a file found in a folder may be a bundle.
func isBundleName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".json") && !strings.HasSuffix(lower, goldenSuffix)
}

// describe turns each path error of err into "cannot open PATH: why"
// (or "cannot read" for a problem met reading the file).
func describe(err error) error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, describe(e))
		}
		return errors.Join(out...)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		verb := "open"
		if pe.Op == "read" {
			verb = "read"
		}
		return fmt.Errorf("cannot %s %s: %w", verb, pe.Path, pe.Err)
	}
	return err
}

func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules"
}

// unwrapPathError drops the path and operation that the message already
// names.
func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
