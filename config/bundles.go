package config

import (
	"errors"
	"fmt"
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
	matches, err := filepath.Glob(full)
	switch {
	case err != nil:
		return fmt.Sprintf("bundle %q is not a valid glob: %v", pattern, err)
	case len(matches) == 0:
		return fmt.Sprintf("bundle %q matches no file; write the bundle's path or a glob relative to this file's folder (%s), or the integration's key, connections and environments apply to nothing",
			pattern, displayDir(c.Dir))
	}
	return ""
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
