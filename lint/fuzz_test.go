package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/zislint/zislint/rules"
)

// FuzzLint feeds arbitrary bytes through the loader and every rule: no
// input may crash the run or yield a finding outside the file.
func FuzzLint(f *testing.F) {
	seeds, _ := filepath.Glob("../rules/testdata/*/*.json")
	seeds = append(seeds, filepath.Join(refunds, "bundle.json"))
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	for _, path := range append(seeds, corpus...) {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(`{"resources": {"a": {"type": "ZIS::Flow", "properties": {"definition": {"StartAt": "x", "States": {"x": {"Type": "Map", "Iterator": {"StartAt": "y", "States": {"y": {"Type": "Pass", "Next": "y"}}}}}}}}}}`))
	p, err := newPlan(rules.All())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fl := &file{path: "fuzz.json", src: src}
		r := p.lintFile(fl, nil)
		if r.err != nil {
			t.Fatalf("lint error: %v", r.err)
		}
		findings := r.findings
		lines := bytes.Count(src, []byte{'\n'}) + 1
		for _, fd := range findings {
			if fd.Line < 1 || fd.Line > lines || fd.Column < 1 || fd.EndLine < fd.Line {
				t.Fatalf("finding out of range: %+v", fd)
			}
			for _, fix := range fd.Fixes {
				for _, e := range fix.Edits {
					if e.Start < 0 || e.End > len(src) || e.Start > e.End {
						t.Fatalf("fix edit out of range: %+v", e)
					}
				}
			}
		}
		res := &Result{Findings: findings, Sources: map[string][]byte{fl.path: src}}
		var buf bytes.Buffer
		if err := WriteText(&buf, res); err != nil {
			t.Fatal(err)
		}
	})
}
