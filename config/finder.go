package config

import (
	"os"
	"path/filepath"

	"github.com/zislint/zislint/internal/repofs"
)

// Finder finds the config file of many folders as Find does, looking at
// each folder once: a folder walk asks about every folder it enters, and
// a folder without a zislint.yaml has its parent's, already known.
type Finder struct {
	cwd   string
	byDir map[string]string // clean absolute folder → config path, "" for none
}

// NewFinder returns a Finder for folders relative to the current one.
func NewFinder() (*Finder, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return &Finder{cwd: cwd, byDir: map[string]string{}}, nil
}

// Find returns the config file that applies to the folder dir, as Find
// does for a folder, or "" when none exists.
func (f *Finder) Find(dir string) string {
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(f.cwd, dir)
	}
	return f.find(filepath.Clean(dir))
}

func (f *Finder) find(dir string) string {
	if p, ok := f.byDir[dir]; ok {
		return p
	}
	candidate := filepath.Join(dir, FileName)
	parent := filepath.Dir(dir)
	var p string
	if _, err := os.Lstat(candidate); err == nil {
		p = candidate // a link is found, and refused when read if it leads outside
	} else if parent != dir && !repofs.IsRepoTop(dir) {
		p = f.find(parent)
	}
	f.byDir[dir] = p
	return p
}

// FindLike is Find with the answer given as the package's Find gives
// it: relative to the working folder when dir is relative, so that a
// config's path in messages is the same either way.
func (f *Finder) FindLike(dir string) string {
	p := f.Find(dir)
	if p == "" || filepath.IsAbs(dir) {
		return p
	}
	if rel, err := filepath.Rel(f.cwd, p); err == nil {
		return rel
	}
	return p
}
