package lint

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// file is a bundle file to lint, read once.
type file struct {
	path string
	src  []byte
}

// goldenSuffix ends the simulator's golden files: results, never bundles.
const goldenSuffix = ".golden.json"

// FindBundles lists the bundle files named by paths, as lint finds them;
// the test command runs the fixtures of the same bundles.
func FindBundles(paths []string) ([]string, error) {
	files, err := collect(paths, false)
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
// directories, node_modules and golden files are skipped.
func collect(paths []string, skipNonBundles bool) ([]*file, error) {
	var out []*file
	seen := map[string]bool{}
	add := func(path string, src []byte) {
		if clean := filepath.Clean(path); !seen[clean] {
			seen[clean] = true
			out = append(out, &file{path: path, src: src})
		}
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("cannot open %s: %w", root, unwrapPathError(err))
		}
		if !info.IsDir() {
			src, err := os.ReadFile(root)
			if err != nil {
				return nil, fmt.Errorf("cannot read %s: %w", root, unwrapPathError(err))
			}
			if !skipNonBundles || bundle.LooksLikeBundle(src) {
				add(root, src)
			}
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
			}
			if d.IsDir() {
				if path != root && skipDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			lower := strings.ToLower(path)
			if !strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, goldenSuffix) {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
			}
			if bundle.LooksLikeBundle(src) {
				add(path, src)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
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
