package config

import (
	"io/fs"
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
	// listed holds what folders listed by a walk, not yet asked about,
	// contain: asking then needs no look at the disk.
	listed map[string]listing
}

// listing is what a folder's listing says of it.
type listing struct{ config, repoTop bool }

// NewFinder returns a Finder for folders relative to the current one.
func NewFinder() (*Finder, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	return &Finder{cwd: cwd, byDir: map[string]string{}, listed: map[string]listing{}}, nil
}

// Listed tells the finder the entries of the folder dir, as a folder
// walk just read them: whether it holds a config (of any kind: a link
// is found, as by Find) and whether it is the top of a git work tree are
// then read from them when dir is asked about, instead of looking again.
func (f *Finder) Listed(dir string, entries []fs.DirEntry) {
	dir = f.abs(dir)
	if _, known := f.byDir[dir]; known {
		return
	}
	var l listing
	for _, e := range entries {
		switch e.Name() {
		case FileName:
			l.config = true
		case repoMarker:
			l.repoTop = true
		}
	}
	f.listed[dir] = l
}

// repoMarker is the entry that makes a folder the top of a git work
// tree, as repofs.IsRepoTop sees it.
const repoMarker = ".git"

func (f *Finder) abs(dir string) string {
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(f.cwd, dir)
	}
	return filepath.Clean(dir)
}

// Find returns the config file that applies to the folder dir, as Find
// does for a folder, or "" when none exists.
func (f *Finder) Find(dir string) string {
	return f.find(f.abs(dir))
}

func (f *Finder) find(dir string) string {
	if p, ok := f.byDir[dir]; ok {
		return p
	}
	candidate := filepath.Join(dir, FileName)
	parent := filepath.Dir(dir)
	var p string
	if f.hasConfig(dir, candidate) {
		p = candidate // a link is found, and refused when read if it leads outside
	} else if parent != dir && !f.isRepoTop(dir) {
		p = f.find(parent)
	}
	delete(f.listed, dir) // answered for good in byDir
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

func (f *Finder) hasConfig(dir, candidate string) bool {
	if l, ok := f.listed[dir]; ok {
		return l.config
	}
	_, err := os.Lstat(candidate)
	return err == nil
}

func (f *Finder) isRepoTop(dir string) bool {
	if l, ok := f.listed[dir]; ok {
		return l.repoTop
	}
	return repofs.IsRepoTop(dir)
}
