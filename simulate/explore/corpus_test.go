package explore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zislint/zislint/simulate/runner"
)

// TestCorpusFixturesFoundPass explores each bundle of the shared corpus
// of public bundles (none has fixtures, so each flow starts from a
// scaffolded one), writes what it finds into a temporary copy, and runs
// zislint test there: every fixture found must pass as written. The
// corpus is read in place and skipped when absent.
func TestCorpusFixturesFoundPass(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "*bundle*.json"))
	if len(files) == 0 {
		t.Skip("no corpus at ../shared/corpus")
	}
	found := 0
	for _, src := range files {
		t.Run(filepath.Base(src), func(t *testing.T) {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			bundle := filepath.Join(t.TempDir(), "bundle.json")
			if err := os.WriteFile(bundle, data, 0o644); err != nil {
				t.Fatal(err)
			}
			var log strings.Builder
			x := New(Options{Seed: 1, MaxRuns: 5000, Write: true, Log: &log})
			x.Bundle(bundle)
			if x.Broken {
				// Only a bundle whose {{variables}} have no values may not
				// run: without --env, a scaffolded fixture cannot either.
				if !strings.Contains(log.String(), "which have no value") {
					t.Fatalf("exploring broke:\n%s", log.String())
				}
				t.Logf("not explored, as expected: %s", log.String())
				return
			}
			here := 0
			for _, fr := range x.Flows {
				if fr.After.Transitions.Covered < fr.Before.Transitions.Covered {
					t.Errorf("flow %s: coverage fell from %+v to %+v", fr.Flow, fr.Before.Transitions, fr.After.Transitions)
				}
				for _, fd := range fr.Found {
					here++
					if len(fd.Adds) == 0 || !fd.Written {
						t.Errorf("%s: adds %d transitions, written %v", fd.Name, len(fd.Adds), fd.Written)
					}
				}
			}
			found += here
			r := runner.New(runner.Options{})
			r.Bundle(bundle)
			ran := 0
			for _, res := range r.Results {
				if strings.HasPrefix(res.Name, "explore-") {
					ran++
				}
				if res.Status != runner.StatusPass {
					t.Errorf("%s: %s\n%s", res.File, res.Status, runner.Details(res))
				}
			}
			if ran != here {
				t.Errorf("zislint test ran %d of the %d fixtures found", ran, here)
			}
		})
	}
	if found == 0 {
		t.Error("nothing found in the whole corpus")
	}
}
