package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/internal/linediff"
	"github.com/zislint/zislint/internal/linediff/difftest"
	"github.com/zislint/zislint/rules"
)

// finding returns a finding in file "f" at line 1, column col, whose
// first fix is edits.
func finding(rule string, col int, edits ...Edit) Finding {
	return Finding{File: "f", Line: 1, Column: col, Rule: rule, Fixes: []Fix{{Message: "fix", Edits: edits}}}
}

func edit(start, end int, text string) Edit {
	return Edit{Start: start, End: end, New: []byte(text)}
}

func fixOne(t *testing.T, src string, fs ...Finding) (string, *FixResult) {
	t.Helper()
	fr := ApplyFixes(&Result{Findings: fs, Sources: map[string][]byte{"f": []byte(src)}})
	switch len(fr.Files) {
	case 0:
		return src, fr
	case 1:
		if string(fr.Files[0].Old) != src {
			t.Errorf("Old = %q, want the source %q", fr.Files[0].Old, src)
		}
		return string(fr.Files[0].New), fr
	}
	t.Fatalf("fixed %d files, want at most 1", len(fr.Files))
	return "", nil
}

func TestApplyFixes(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		findings []Finding
		want     string
		fixed    int
		skipped  []string // rule: reason
	}{
		{
			name:     "single edit",
			src:      `{"Next": "Finsh"}`,
			findings: []Finding{finding("ZIS302", 10, edit(9, 16, `"Finish"`))},
			want:     `{"Next": "Finish"}`,
			fixed:    1,
		},
		{
			name:     "multiple edits in one fix",
			src:      "aaa bbb ccc",
			findings: []Finding{finding("R1", 1, edit(8, 11, "C"), edit(0, 3, "A"))},
			want:     "A bbb C",
			fixed:    1,
		},
		{
			name:     "deletion only",
			src:      `{"a": 1, "a": 2}`,
			findings: []Finding{finding("ZIS002", 10, edit(1, 9, ""))},
			want:     `{"a": 2}`,
			fixed:    1,
		},
		{
			name: "edits at the start and end of the file",
			src:  "middle",
			findings: []Finding{
				finding("R1", 1, edit(0, 0, "<")),
				finding("R2", 7, edit(6, 6, ">")),
			},
			want:  "<middle>",
			fixed: 2,
		},
		{
			name:     "delete everything",
			src:      "gone",
			findings: []Finding{finding("R1", 1, edit(0, 4, ""))},
			want:     "",
			fixed:    1,
		},
		{
			name: "touching edits both apply",
			src:  "abcdef",
			findings: []Finding{
				finding("R1", 1, edit(0, 3, "X")),
				finding("R2", 4, edit(3, 6, "Y")),
			},
			want:  "XY",
			fixed: 2,
		},
		{
			name: "overlapping fix skipped",
			src:  "abcdef",
			findings: []Finding{
				finding("R1", 1, edit(0, 4, "X")),
				finding("R2", 3, edit(2, 6, "Y")),
				finding("R3", 5, edit(5, 6, "Z")),
			},
			// R3 overlaps only R2, which was skipped.
			want:    "XeZ",
			fixed:   2,
			skipped: []string{"R2: " + SkipOverlap},
		},
		{
			name: "a fix is all or nothing",
			src:  "abcdef",
			findings: []Finding{
				finding("R1", 1, edit(1, 2, "B")),
				finding("R2", 1, edit(4, 5, "E"), edit(1, 2, "b2")),
			},
			want:    "aBcdef",
			fixed:   1,
			skipped: []string{"R2: " + SkipOverlap},
		},
		{
			name: "insertions at one offset conflict",
			src:  "ab",
			findings: []Finding{
				finding("R1", 2, edit(1, 1, "x")),
				finding("R2", 2, edit(1, 1, "y")),
				finding("R3", 2, edit(1, 2, "z")),
			},
			want:    "axb",
			fixed:   1,
			skipped: []string{"R2: " + SkipOverlap, "R3: " + SkipOverlap},
		},
		{
			name: "an insertion inside a replaced range conflicts",
			src:  "abc",
			findings: []Finding{
				finding("R1", 1, edit(0, 3, "X")),
				finding("R2", 2, edit(1, 1, "y")),
			},
			want:    "X",
			fixed:   1,
			skipped: []string{"R2: " + SkipOverlap},
		},
		{
			name: "the same edit from two findings is made once",
			src:  "abc",
			findings: []Finding{
				finding("R1", 1, edit(1, 2, "B")),
				finding("R2", 1, edit(1, 2, "B")),
			},
			want:  "aBc",
			fixed: 2,
		},
		{
			name:     "edits of one fix that overlap each other",
			src:      "abc",
			findings: []Finding{finding("R1", 1, edit(0, 2, "X"), edit(1, 3, "Y"))},
			want:     "abc",
			skipped:  []string{"R1: " + SkipSelfOverlap},
		},
		{
			name: "edits outside the file",
			src:  "abc",
			findings: []Finding{
				finding("R1", 1, edit(2, 4, "X")),
				finding("R2", 1, edit(-1, 0, "X")),
				finding("R3", 1, edit(2, 1, "X")),
			},
			want:    "abc",
			skipped: []string{"R1: " + SkipOutOfRange, "R2: " + SkipOutOfRange, "R3: " + SkipOutOfRange},
		},
		{
			name:     "a fix without edits",
			src:      "abc",
			findings: []Finding{finding("R1", 1)},
			want:     "abc",
			skipped:  []string{"R1: " + SkipNoEdits},
		},
		{
			name: "only the first fix counts; findings without fixes are ignored",
			src:  "abc",
			findings: []Finding{
				{File: "f", Rule: "R0"},
				{File: "f", Rule: "R1", Fixes: []Fix{{Edits: []Edit{edit(0, 1, "A")}}, {Edits: []Edit{edit(2, 3, "C")}}}},
			},
			want:  "Abc",
			fixed: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fr := fixOne(t, tt.src, tt.findings...)
			if got != tt.want {
				t.Errorf("fixed source = %q, want %q", got, tt.want)
			}
			if fr.Fixed() != tt.fixed {
				t.Errorf("Fixed() = %d, want %d", fr.Fixed(), tt.fixed)
			}
			var skipped []string
			for _, s := range fr.Skipped {
				skipped = append(skipped, s.Finding.Rule+": "+s.Reason)
			}
			if strings.Join(skipped, "\n") != strings.Join(tt.skipped, "\n") {
				t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(skipped, "\n"), strings.Join(tt.skipped, "\n"))
			}
		})
	}
}

func TestApplyFixesPerFile(t *testing.T) {
	res := &Result{
		Findings: []Finding{
			{File: "b", Rule: "R1", Fixes: []Fix{{Edits: []Edit{edit(0, 1, "B")}}}},
			{File: "a", Rule: "R1", Fixes: []Fix{{Edits: []Edit{edit(0, 1, "A")}}}},
			// The same offsets in another file do not conflict.
			{File: "a", Rule: "R2", Line: 3, Column: 4, Fixes: []Fix{{Edits: []Edit{edit(0, 1, "Z")}}}},
			{File: "missing", Rule: "R3", Fixes: []Fix{{Edits: []Edit{edit(0, 1, "Z")}}}},
		},
		Sources: map[string][]byte{"a": []byte("a."), "b": []byte("b."), "untouched": []byte("u")},
	}
	fr := ApplyFixes(res)
	if len(fr.Files) != 2 || fr.Files[0].Path != "a" || string(fr.Files[0].New) != "A." ||
		fr.Files[1].Path != "b" || string(fr.Files[1].New) != "B." {
		t.Fatalf("files = %+v", fr.Files)
	}
	if len(fr.Skipped) != 2 {
		t.Fatalf("skipped = %+v", fr.Skipped)
	}
	if s := fr.Skipped[0]; s.Finding.File != "a" || s.Finding.Line != 3 || s.Finding.Column != 4 || s.Reason != SkipOverlap {
		t.Errorf("first skipped = %+v", s)
	}
	if s := fr.Skipped[1]; s.Finding.File != "missing" || s.Reason != SkipNoSource {
		t.Errorf("second skipped = %+v", s)
	}
	if string(res.Sources["a"]) != "a." {
		t.Errorf("ApplyFixes changed the sources: %q", res.Sources["a"])
	}
}

// TestFixRefunds breaks the example bundle in two ways that have fixes,
// fixes it and lints it again.
func TestFixRefunds(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(refunds, "bundle.json"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), `"Default": "Finish"`, `"Default": "Finsh"`, 1)
	broken = strings.Replace(broken, `"Type": "Succeed"`, `"Type": "Fail", "Type": "Succeed"`, 1)
	path := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run([]string{path}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	fr := ApplyFixes(res)
	if fr.Fixed() != 2 || len(fr.Skipped) != 0 || len(fr.Files) != 1 {
		t.Fatalf("fixed %d, skipped %v, files %d; want 2 fixed in one file\nfindings: %+v", fr.Fixed(), fr.Skipped, len(fr.Files), res.Findings)
	}
	if got := string(fr.Files[0].New); got != string(src) {
		t.Errorf("fixed bundle differs from the original:\n%s", got)
	}
	if err := WriteFixed(fr); err != nil {
		t.Fatal(err)
	}
	again, err := Run([]string{path}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Findings) != 0 {
		t.Errorf("findings after fixing: %+v", again.Findings)
	}
}

func TestWriteFixed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(path, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	fr := &FixResult{Files: []FixedFile{{Path: link, Old: []byte("old"), New: []byte("new")}}}
	if err := WriteFixed(fr); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("file = %q, %v; want new", got, err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v, %v", info.Mode(), err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, %v; want 0600", info.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left files behind: %v", entries)
	}

	// The file changed after linting: refuse, and leave it alone.
	fr = &FixResult{Files: []FixedFile{{Path: path, Old: []byte("old"), New: []byte("newer")}}}
	err = WriteFixed(fr)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "changed since it was linted") {
		t.Errorf("err = %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file = %q after refusing", got)
	}
}

// FuzzFix lints arbitrary bytes, applies the fixes and diffs the result:
// nothing may panic, the diff must turn the input into the fixed text,
// and fixing valid JSON must keep it valid.
func FuzzFix(f *testing.F) {
	seeds, _ := filepath.Glob("../rules/testdata/*/*.json")
	for _, path := range seeds {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(`{"a": 1, "a": 2, "a": 3}`))
	f.Add([]byte(`{"resources": {"f": {"type": "ZIS::Flow", "properties": {"name": "f", "definition": {"StartAt": "x", "States": {"x": {"Type": "Succeed", "Next": "y", "Next": "x"}}}}}}}`))
	p, err := newPlan(rules.All())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fl := &file{path: "f", src: src}
		r := p.lintFile(fl, nil)
		if r.err != nil {
			t.Fatalf("lint error: %v", r.err)
		}
		findings := r.findings
		fr := ApplyFixes(&Result{Findings: findings, Sources: map[string][]byte{"f": src}})
		if len(fr.Files) == 0 {
			return
		}
		fixed := fr.Files[0].New
		if json.Valid(src) && !json.Valid(fixed) {
			t.Fatalf("fixing valid JSON broke it:\n%s\n->\n%s", src, fixed)
		}
		var buf bytes.Buffer
		if err := linediff.Write(&buf, "a/f", "b/f", src, fixed); err != nil {
			t.Fatal(err)
		}
		difftest.Check(t, string(src), string(fixed), buf.String())
	})
}
