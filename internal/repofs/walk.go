package repofs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// File is a file found by Walk, checked to lie inside the repository.
type File struct {
	Path string // as reached from the walked path
	real string // resolved, no symlinks left
	// regular is set when the walk saw a regular file there, so reading
	// need not look again before it opens.
	regular bool
}

// Read reads the file as ReadFile does, without resolving it again.
func (f File) Read() ([]byte, error) { return readReal(f.Path, f.real, f.regular) }

// RealPath is the file's path with every symlink resolved: two Files with
// the same RealPath are the same file.
func (f File) RealPath() string { return f.real }

// Walk lists the regular files that path names: path itself when it is a
// file, else the files below it whose name match accepts, in lexical
// order, skipping folders whose name skip accepts (never path itself).
// Symlinked folders and files are followed when they stay inside the
// repository, each real folder entered once, so a link cycle ends. What
// would be read but cannot be (a link leading outside, a FIFO, a device,
// a dangling link) is returned in the error, one line each, alongside
// the files that can; a folder link leading outside is one of them, as
// bundles under it would otherwise go missing without a word.
func Walk(path string, match, skip func(name string) bool) ([]File, error) {
	return WalkExcluding(path, match, skip, nil)
}

// WalkExcluding walks as Walk does and also leaves out every file and
// folder below path for which exclude, given the path as reached, returns
// true: a config's "exclude:" patterns, which need the whole path, not the
// name. A nil exclude leaves out nothing more.
func WalkExcluding(path string, match, skip func(name string) bool, exclude func(path string) bool) ([]File, error) {
	return WalkListing(path, match, skip, exclude, nil)
}

// WalkListing walks as WalkExcluding does and also hands listed each
// folder it enters, as reached, with the entries it holds, before it
// looks at them: a caller that would otherwise look for files in those
// folders (a config, .git) can read the listing instead. A nil listed
// is not called.
func WalkListing(path string, match, skip func(name string) bool, exclude func(path string) bool, listed func(dir string, entries []fs.DirEntry)) ([]File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		r, err := rootOf(path)
		if err != nil {
			return nil, err
		}
		real, err := r.resolve("open", path)
		if err != nil {
			return nil, err
		}
		return []File{{Path: path, real: real}}, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	r, err := rootOfFolder(abs)
	if err != nil {
		return nil, err
	}
	real, err := r.resolve("open", path)
	if err != nil {
		return nil, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if exclude == nil {
		exclude = func(string) bool { return false }
	}
	if listed == nil {
		listed = func(string, []fs.DirEntry) {}
	}
	w := &walker{root: r, cwd: cwd, match: match, skip: skip, exclude: exclude, listed: listed, entered: map[string]bool{}}
	w.folder(path, real)
	// Folder links come last, so a folder that is also reached by its own
	// name is listed under it, and a link to it adds nothing.
	for len(w.links) > 0 {
		next := w.links[0]
		w.links = w.links[1:]
		w.folder(next.Path, next.real)
	}
	return w.files, errors.Join(w.problems...)
}

type walker struct {
	root        root
	cwd         string
	match, skip func(name string) bool
	exclude     func(path string) bool
	listed      func(dir string, entries []fs.DirEntry)
	entered     map[string]bool // real folders already walked
	files       []File
	links       []File // folder links to walk once the folders are done
	problems    []error
}

func (w *walker) folder(dir, real string) {
	if w.entered[real] {
		return // reached again through a link: a cycle or a second way in
	}
	w.entered[real] = true
	w.claim(dir)
	entries, err := os.ReadDir(real)
	if err != nil {
		w.problems = append(w.problems, withPath(err, dir))
		return
	}
	w.listed(dir, entries)
	for _, e := range entries {
		w.entry(filepath.Join(dir, e.Name()), filepath.Join(real, e.Name()), e)
	}
}

// claim records the walk's root for the folder dir, so that reading its
// files later by path judges them against the same root.
func (w *walker) claim(dir string) {
	abs := dir
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(w.cwd, abs) // filepath.Abs, without asking for the current folder again
	}
	roots.LoadOrStore([2]string{w.cwd, abs}, w.root)
}

func (w *walker) entry(path, real string, e fs.DirEntry) {
	name := e.Name()
	mode := e.Type()
	if mode&fs.ModeSymlink != 0 {
		w.link(path, name)
		return
	}
	switch {
	case mode.IsDir():
		if !w.skip(name) && !w.exclude(path) {
			w.folder(path, real)
		}
	case !w.match(name), w.exclude(path):
	case mode.IsRegular():
		w.files = append(w.files, File{Path: path, real: real, regular: true})
	default:
		w.problems = append(w.problems, notRegular("open", path, mode))
	}
}

// link follows a symlink found in the walk.
func (w *walker) link(path, name string) {
	info, statErr := os.Stat(path)
	isDir := statErr == nil && info.IsDir()
	if isDir && w.skip(name) || !isDir && !w.match(name) || w.exclude(path) {
		return
	}
	real, err := w.root.resolve("open", path)
	switch {
	case err != nil:
		w.problems = append(w.problems, err)
	case isDir:
		w.links = append(w.links, File{Path: path, real: real})
	case !info.Mode().IsRegular():
		w.problems = append(w.problems, notRegular("open", path, info.Mode()))
	default:
		w.files = append(w.files, File{Path: path, real: real, regular: true})
	}
}
