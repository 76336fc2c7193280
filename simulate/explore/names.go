package explore

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zislint/zislint/simulate"
)

// namer names found fixtures after the first transition each adds, and
// never twice nor after a file of the tests folder.
type namer struct {
	dir  string
	used map[string]bool
}

func newNamer(dir string) *namer { return &namer{dir: dir, used: map[string]bool{}} }

// next is a free name for a fixture taking t: explore-State-default,
// explore-State-catch, explore-State-Target, with -2, -3... when taken.
func (n *namer) next(t simulate.Transition) string {
	base := "explore-" + slug(t.From) + "-" + slug(label(t))
	name := base
	for i := 2; n.used[name] || n.exists(name); i++ {
		name = base + "-" + strconv.Itoa(i)
	}
	n.used[name] = true
	return name
}

func label(t simulate.Transition) string {
	switch t.Kind {
	case simulate.KindDefault, simulate.KindCatch:
		return t.Kind
	case simulate.KindMapStart:
		return "items"
	case simulate.KindMapEnd:
		return "end"
	}
	return t.To[strings.LastIndex(t.To, "/")+1:] // a state inside a Map by its own name
}

// exists reports whether the tests folder has a fixture or golden of
// that name; an error other than absence counts as taken, to be safe.
func (n *namer) exists(name string) bool {
	for _, ext := range []string{".yaml", ".yml", ".json", simulate.GoldenSuffix} {
		if _, err := os.Lstat(filepath.Join(n.dir, name+ext)); !errors.Is(err, fs.ErrNotExist) {
			return true
		}
	}
	return false
}

// slug keeps letters, digits, '_' and '.', and turns the rest into '-',
// so that a state's name makes a plain file name.
func slug(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-.")
	if out == "" {
		return "state"
	}
	if len(out) > 60 {
		out = out[:60]
	}
	return out
}
