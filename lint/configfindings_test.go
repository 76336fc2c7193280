package lint

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// Findings in zislint.yaml are named like bundle findings, relative to
// the working directory, and span the YAML item they are about, so that
// a GitHub annotation attaches to the file and marks the entry.
func TestConfigFindingsAreRelativeAndSpanTheirItem(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":   "",
		"bundle.json": refundsBundle(t),
		"zislint.yaml": "integrations:\n  - key: acme_refunds\n    bundle: bundle.json\n" +
			"ignore:\n  - {path: bundle.json, rules: [ZIS101]}\n",
		"sub/README": "",
	})
	t.Chdir(filepath.Join(dir, "sub"))
	res, err := Run([]string{".."}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var stale *Finding
	for i, f := range res.Findings {
		if f.Rule == "ZIS003" {
			stale = &res.Findings[i]
		}
	}
	if stale == nil {
		t.Fatalf("no ZIS003 finding for the stale ignore entry: %v", res.Findings)
	}
	wantFile := filepath.Join("..", "zislint.yaml")
	entry := "{path: bundle.json, rules: [ZIS101]}"
	if stale.File != wantFile || stale.Line != 5 || stale.Column != 5 || stale.EndLine != 5 || stale.EndColumn != 5+len(entry) {
		t.Errorf("finding at %s:%d:%d-%d:%d; want %s:5:5-5:%d", stale.File, stale.Line, stale.Column,
			stale.EndLine, stale.EndColumn, wantFile, 5+len(entry))
	}
	var gh bytes.Buffer
	if err := WriteFormat(&gh, "github", res); err != nil {
		t.Fatal(err)
	}
	if want := "::warning file=../zislint.yaml,line=5,col=5,endLine=5,endColumn=41,"; !strings.Contains(gh.String(), want) {
		t.Errorf("github output lacks %s:\n%s", want, gh.String())
	}
}

// A bundle: that matches nothing stops the run with its position instead
// of leaving every bundle without its integration.
func TestConfigBundleTypoStopsTheRun(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":    "",
		"bundle.json":  refundsBundle(t),
		"zislint.yaml": "integrations:\n  - key: acme_refunds\n    bundle: bundel.json\n",
	})
	t.Chdir(dir)
	_, err := Run([]string{"."}, Options{})
	want := `zislint.yaml:3:13: bundle "bundel.json" matches no file`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v; want it to start with %s", err, want)
	}
}
