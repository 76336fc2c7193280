package simulate

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/zislint/zislint/internal/repofs"
)

// TestsFolder is the folder beside a bundle that holds its fixtures when
// zislint.yaml names no other.
const TestsFolder = "tests"

// GoldenSuffix ends the name of a fixture's golden file: the golden of
// refund.yaml is refund.golden.json.
const GoldenSuffix = ".golden.json"

// FindFixtures lists the fixture files of the bundle at bundlePath,
// sorted: the .yaml, .yml and .json files (goldens excepted) directly in
// testsDir, or, when testsDir is "", in the tests folder beside the
// bundle. The caller resolves a configured testsDir against the config
// file's folder. A missing default folder means the bundle has no
// fixtures; a missing configured folder is an error, since the config
// names it on purpose.
func FindFixtures(bundlePath string, testsDir string) ([]string, error) {
	dir, explicit := testsDir, testsDir != ""
	if !explicit {
		dir = filepath.Join(filepath.Dir(bundlePath), TestsFolder)
	}
	entries, err := repofs.ReadDir(dir)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if pe, ok := err.(*fs.PathError); ok {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot read the fixture folder %s: %w", dir, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !IsFixtureName(e.Name()) {
			continue
		}
		out = append(out, filepath.Join(dir, e.Name()))
	}
	sort.Strings(out)
	// refund.yaml and refund.json would write the same golden.
	goldens := map[string]string{}
	for _, p := range out {
		g := GoldenPath(p)
		if other, ok := goldens[g]; ok {
			return nil, fmt.Errorf("fixtures %s and %s would share the golden %s; rename one", other, p, g)
		}
		goldens[g] = p
	}
	return out, nil
}

// OrphanGoldens lists, sorted, the golden files in the folder of
// fixtures that belong to none of them: left behind when a fixture was
// deleted or renamed, they would otherwise sit there unchecked.
func OrphanGoldens(fixtures []string, bundlePath, testsDir string) ([]string, error) {
	dir := testsDir
	if dir == "" {
		dir = filepath.Join(filepath.Dir(bundlePath), TestsFolder)
	}
	entries, err := repofs.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // FindFixtures has said what a missing folder means
	}
	if err != nil {
		return nil, err
	}
	owned := map[string]bool{}
	for _, f := range fixtures {
		owned[GoldenPath(f)] = true
	}
	var out []string
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if !e.IsDir() && strings.HasSuffix(e.Name(), GoldenSuffix) && !owned[path] {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out, nil
}

// IsFixtureName reports whether a file name is a fixture's: YAML or
// JSON, and not a golden.
func IsFixtureName(name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, ".") || strings.HasSuffix(lower, GoldenSuffix) {
		return false
	}
	switch filepath.Ext(lower) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// GoldenPath returns the golden file of the fixture at path: X.yaml has
// X.golden.json beside it.
func GoldenPath(fixturePath string) string {
	return strings.TrimSuffix(fixturePath, filepath.Ext(fixturePath)) + GoldenSuffix
}
