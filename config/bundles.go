package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// CheckBundles reports each integration whose bundle: names no file. A
// typo there would otherwise leave every bundle without its integration:
// its connections and key would go unchecked and lint would pass. Parse
// does not look at the disk, so callers that have the repository at hand
// call this after it; Load does.
func (c *Config) CheckBundles() error {
	if c == nil {
		return nil
	}
	var errs []error
	for _, in := range c.Integrations {
		if in.Bundle == "" {
			continue
		}
		if msg := c.bundleProblem(in.Bundle); msg != "" {
			errs = append(errs, &Error{File: c.Path, Pos: in.BundlePos, Msg: msg})
		}
	}
	return errors.Join(errs...)
}

// bundleProblem says why pattern, relative to the config's folder, names
// no file, or returns "".
func (c *Config) bundleProblem(pattern string) string {
	full := pattern
	if !filepath.IsAbs(pattern) {
		// Only the pattern is a glob: a folder named "[draft]" is a name.
		full = filepath.Join(escapeGlob(c.Dir), pattern)
	}
	found, err := anyMatch(full)
	switch {
	case err != nil:
		return fmt.Sprintf("bundle %q is not a valid glob: %v", pattern, err)
	case !found:
		return fmt.Sprintf("bundle %q matches no file; write the bundle's path or a glob relative to this file's folder (%s), or the integration's key, connections and environments apply to nothing",
			pattern, displayDir(c.Dir))
	}
	return ""
}

// anyMatch reports whether the glob pattern matches a file. It stops at
// the first match: filepath.Glob would list every folder a pattern such
// as integrations/*/bundle.json names, one directory read each.
func anyMatch(pattern string) (bool, error) {
	if _, err := filepath.Match(pattern, ""); err != nil {
		return false, err
	}
	dir, file := filepath.Split(pattern)
	if dir == "" || !hasMeta(dir) {
		matches, err := filepath.Glob(pattern) // one directory read at most
		return len(matches) > 0, err
	}
	dirs, err := filepath.Glob(filepath.Clean(dir))
	if err != nil {
		return false, err
	}
	for _, d := range dirs {
		if !hasMeta(file) {
			if _, err := os.Lstat(filepath.Join(d, file)); err == nil {
				return true, nil
			}
			continue
		}
		if matches, err := filepath.Glob(filepath.Join(escapeGlob(d), file)); len(matches) > 0 || err != nil {
			return len(matches) > 0, err
		}
	}
	return false, nil
}

func hasMeta(path string) bool {
	magic := `*?[\`
	if runtime.GOOS == "windows" {
		magic = `*?[`
	}
	return strings.ContainsAny(path, magic)
}

// displayDir names a folder for a message: "." reads as "this folder".
func displayDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// escapeGlob quotes the characters filepath.Match treats as special.
// Windows has no escape character; there, such folder names stay special.
func escapeGlob(s string) string {
	if runtime.GOOS == "windows" {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
