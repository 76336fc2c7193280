package runner

import (
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures of the project's example bundles hold every value their
// runs read from the event: the runner warns of none, and they pass.
func TestExampleFixturesHoldWhatTheirRunsRead(t *testing.T) {
	bundles, err := filepath.Glob("../../testdata/*/bundle.json")
	if err != nil || len(bundles) == 0 {
		t.Fatalf("no example bundles: %v", err)
	}
	var log strings.Builder
	r := New(Options{Log: &log})
	for _, b := range bundles {
		r.Bundle(b)
	}
	if r.Broken || len(r.Results) == 0 {
		t.Fatalf("the examples did not run:\n%s", log.String())
	}
	for _, res := range r.Results {
		if res.Status != StatusPass {
			t.Errorf("%s: %s %s", res.File, res.Status, res.Error)
		}
		for _, w := range res.Warnings {
			t.Errorf("%s:%d: %s", w.File, w.Line, w.Message)
		}
	}
}
