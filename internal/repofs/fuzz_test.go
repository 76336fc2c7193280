package repofs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseSize: no input panics, and every size it accepts is positive
// and reads back the same once written.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"1", "64K", "10MiB", "2gb", "", "-1", "9223372036854775807", "8G", " 3 M "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			return
		}
		if n <= 0 {
			t.Fatalf("ParseSize(%q) = %d", s, n)
		}
		if back, err := ParseSize(formatSize(n)); err != nil || back != n {
			t.Fatalf("ParseSize(%q) = %d, written %q, read back %d, %v", s, n, formatSize(n), back, err)
		}
	})
}

// Pools the tree builder of FuzzRepository picks from: folders, names,
// and link targets inside, outside, cyclic, dangling and special.
var (
	fuzzDirs    = []string{".", "a", "a/b", "e"}
	fuzzNames   = []string{"a", "b", "c.json", "d.json", "e"}
	fuzzTargets = []string{"..", "../..", "../../..", ".", "/dev/zero", "/", "c.json", "a", "a/b", "../c.json",
		"../../outside/s.json", "../outside", "missing", "OUTSIDE", "OUTSIDE/s.json", "b"}
)

// FuzzRepository builds a repository of folders, files and symlinks from
// the input, then walks, reads and writes every path in it: nothing
// outside the repository is ever read or written, and nothing blocks.
func FuzzRepository(f *testing.F) {
	f.Add([]byte{2, 0, 0, 2, 0, 4, 1, 0, 2})
	f.Add([]byte{0, 0, 0, 2, 1, 2, 2, 2, 3, 1, 1, 2, 2, 0, 14})
	f.Add([]byte{2, 0, 2, 2, 0, 3, 2, 0, 10, 2, 1, 1, 11})
	f.Fuzz(func(t *testing.T, ops []byte) {
		base := t.TempDir()
		root, outside := filepath.Join(base, "repo"), filepath.Join(base, "outside")
		for _, dir := range []string{filepath.Join(root, ".git"), outside} {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		secret := filepath.Join(outside, "s.json")
		if err := os.WriteFile(secret, []byte("SECRET"), 0o644); err != nil {
			t.Fatal(err)
		}
		var made []string
		for i := 0; i+2 < len(ops) && i < 60; i += 3 {
			dir := fuzzDirs[int(ops[i+1])%len(fuzzDirs)]
			name := fuzzNames[int(ops[i+2])%len(fuzzNames)]
			path := filepath.Join(root, dir, name)
			if parent, err := filepath.EvalSymlinks(filepath.Dir(path)); err != nil || parent != filepath.Dir(path) {
				continue // building through a link would build outside
			}
			switch ops[i] % 3 {
			case 0:
				os.Mkdir(path, 0o755)
			case 1:
				if f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
					f.WriteString("{}")
					f.Close()
				}
			case 2:
				target := strings.ReplaceAll(fuzzTargets[int(ops[i+2])%len(fuzzTargets)], "OUTSIDE", outside)
				os.Symlink(target, path)
			}
			made = append(made, path)
		}
		realRoot, _ := filepath.EvalSymlinks(root)
		files, _ := Walk(root, func(string) bool { return true }, func(string) bool { return false })
		for _, file := range files {
			if !within(realRoot, file.RealPath()) {
				t.Fatalf("Walk listed %s, which is %s", file.Path, file.RealPath())
			}
			if data, err := file.Read(); err == nil && string(data) == "SECRET" {
				t.Fatalf("read the secret through %s", file.Path)
			}
		}
		for _, path := range made {
			if data, err := ReadFile(path); err == nil && string(data) == "SECRET" {
				t.Fatalf("read the secret through %s", path)
			}
			WriteFile(path, []byte("PWNED"), 0o644)
			WriteFile(filepath.Join(path, "new.json"), []byte("PWNED"), 0o644)
		}
		if data, _ := os.ReadFile(secret); string(data) != "SECRET" {
			t.Fatalf("the file outside was written")
		}
		if entries, _ := os.ReadDir(outside); len(entries) != 1 {
			t.Fatalf("files were created outside: %v", entries)
		}
	})
}
