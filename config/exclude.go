package config

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// Exclude is one "exclude:" pattern: files and folders matching it are
// not entered when zislint walks a folder.
type Exclude struct {
	// Pattern is a glob, slash-separated and relative to Config.Dir; a
	// leading "**/" lets it start at any depth.
	Pattern string
	Pos     Pos
}

// anyDepth starts a pattern that may match below any folder.
const anyDepth = "**/"

// Excluded reports whether an "exclude:" pattern covers path: the path
// itself, relative to the config's folder, or one of the folders it is
// in. Paths outside that folder are never excluded by this config.
func (c *Config) Excluded(p string) bool { return c.excluded(p, true) }

// ExcludedEntry reports whether an "exclude:" pattern names path itself,
// not only a folder it is in: a folder walk, which does not enter an
// excluded folder, asks this of what it meets, so a folder named to it
// is walked even when it lies in an excluded one.
func (c *Config) ExcludedEntry(p string) bool { return c.excluded(p, false) }

func (c *Config) excluded(p string, withFolders bool) bool {
	if c == nil || len(c.Excludes) == 0 {
		return false
	}
	rel, err := relPath(c.Dir, p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return false
	}
	parts := strings.Split(rel, "/")
	for _, ex := range c.Excludes {
		if excludeMatches(ex.Pattern, parts, withFolders) {
			return true
		}
	}
	return false
}

// excludeMatches matches pattern against the path of parts, or, with
// withFolders, against the folders it is in too. A pattern starting with
// "**/" may start at any depth.
func excludeMatches(pattern string, parts []string, withFolders bool) bool {
	rest, deep := strings.CutPrefix(pattern, anyDepth)
	lastStart := 0
	if deep {
		lastStart = len(parts) - 1
	}
	firstEnd := len(parts)
	if withFolders {
		firstEnd = 1
	}
	for start := 0; start <= lastStart; start++ {
		for end := max(start+1, firstEnd); end <= len(parts); end++ {
			if ok, _ := path.Match(rest, strings.Join(parts[start:end], "/")); ok {
				return true
			}
		}
	}
	return false
}

// excludes decodes "exclude:", a list of globs.
func (d *decoder) excludes(n *yaml.Node, c *Config) {
	d.sequence(n, "exclude", func(item *yaml.Node) {
		pattern := d.scalar(item, "an exclude pattern")
		if pattern == "" {
			return
		}
		if msg := excludeProblem(pattern); msg != "" {
			d.errorf(pos(item), "exclude pattern %q %s", pattern, msg)
			return
		}
		c.Excludes = append(c.Excludes, Exclude{Pattern: path.Clean(pattern), Pos: pos(item)})
	})
}

// excludeProblem says what is wrong with an exclude pattern, or "".
func excludeProblem(pattern string) string {
	rest := strings.TrimPrefix(pattern, anyDepth)
	clean := path.Clean(rest)
	switch {
	case strings.HasPrefix(pattern, "/") || strings.Contains(pattern, `\`):
		return "must be a slash-separated path relative to this file's folder, e.g. rules/testdata"
	case clean == ".." || strings.HasPrefix(clean, "../"):
		return "leaves this file's folder; a config excludes only what lies below it"
	case clean == ".":
		return "would exclude everything; remove the entry, or list the folders to skip"
	case strings.Contains(rest, "**"):
		return `uses "**" other than at its start; "**/" may only begin a pattern, as in **/fixtures`
	}
	if _, err := path.Match(rest, ""); err != nil {
		return "is not a valid glob: " + err.Error()
	}
	return ""
}
