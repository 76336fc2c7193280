package lint

import (
	"os"
	"reflect"
	"testing"
)

// Linting many bundles at once gives the findings one worker gives: the
// rules share process-wide caches (parsed paths, domain verdicts, event
// documents) and pooled work arrays between bundles, and no bundle may
// see another's. Run it with -race too.
func TestParallelLintMatchesSerial(t *testing.T) {
	paths := []string{"../rules/testdata", "testdata", "../testdata"}
	if _, err := os.Stat("../../shared/corpus"); err == nil {
		paths = append(paths, "../../shared/corpus")
	}
	serial, err := Run(paths, Options{Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if serial.Bundles < 100 || len(serial.Findings) < 100 {
		t.Fatalf("only %d bundles and %d findings: the test needs many of each", serial.Bundles, len(serial.Findings))
	}
	t.Logf("%d bundles, %d findings", serial.Bundles, len(serial.Findings))
	for range 2 {
		parallel, err := Run(paths, Options{Jobs: 8})
		if err != nil {
			t.Fatal(err)
		}
		if parallel.Bundles != serial.Bundles || !reflect.DeepEqual(parallel.Findings, serial.Findings) {
			t.Fatalf("8 workers found %d findings in %d bundles; one worker %d in %d", len(parallel.Findings), parallel.Bundles, len(serial.Findings), serial.Bundles)
		}
	}
}
