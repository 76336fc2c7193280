package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiffPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"testdata/x.json":                   "testdata/x.json",
		"./testdata/../x.json":              "x.json",
		filepath.Join(wd, "sub", "b.json"):  "sub/b.json",
		filepath.Join(wd, "..", "b.json"):   strings.TrimLeft(filepath.ToSlash(filepath.Join(filepath.Dir(wd), "b.json")), "/"),
		filepath.Join("..", "other", "b.x"): strings.TrimLeft(filepath.ToSlash(filepath.Join(filepath.Dir(wd), "other", "b.x")), "/"),
	} {
		if got := diffPath(path); got != want {
			t.Errorf("diffPath(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestWriteFixDiff(t *testing.T) {
	fr := &FixResult{Files: []FixedFile{
		{Path: "a.json", Old: []byte("{\n  \"x\": 1\n}\n"), New: []byte("{\n  \"x\": 2\n}\n")},
		{Path: "same.json", Old: []byte("{}\n"), New: []byte("{}\n")},
	}}
	var buf bytes.Buffer
	if err := WriteFixDiff(&buf, fr); err != nil {
		t.Fatal(err)
	}
	want := "--- a/a.json\n+++ b/a.json\n@@ -1,3 +1,3 @@\n {\n-  \"x\": 1\n+  \"x\": 2\n }\n"
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}
