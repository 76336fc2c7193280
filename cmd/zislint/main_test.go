package main

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// cliName is the name the test binary answers to as zislint itself.
const cliName = "zislint"

// TestMain lets the test binary stand in for the zislint command: run
// through a link named zislint, it is the CLI, not the tests. Tests that
// need a real process (the GitHub Action's environment, the README's
// shell examples) run it that way instead of building the command a
// second time, which with the Dockerfile's -trimpath recompiled every
// dependency and the standard library and made the first go test of a
// fresh clone take about a minute.
func TestMain(m *testing.M) {
	if filepath.Base(os.Args[0]) == cliName {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	if bin := os.Getenv(peakHelperEnv); bin != "" {
		os.Exit(peakRSSHelper(bin, os.Args[1:]))
	}
	code := m.Run()
	if binaryPath != "" {
		os.RemoveAll(filepath.Dir(binaryPath))
	}
	os.Exit(code)
}

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// zislintBinary returns the path of a link named zislint to this test
// binary, in a folder of its own, so that folder can go first on PATH.
func zislintBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		self, err := os.Executable()
		if err != nil {
			binaryErr = err
			return
		}
		dir, err := os.MkdirTemp("", "zislint-cli-test")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, cliName)
		binaryErr = os.Symlink(self, binaryPath)
	})
	if binaryErr != nil {
		t.Fatalf("preparing the zislint command: %v", binaryErr)
	}
	return binaryPath
}
