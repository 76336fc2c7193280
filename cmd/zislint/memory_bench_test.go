package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/zislint/zislint/internal/benchgen"
)

// peakHelperEnv makes the test binary a helper that runs the zislint
// binary it names with the helper's arguments and prints the child's peak
// RSS. Linux counts the memory of the process a child was started from
// in the child's peak, so zislint is started from this small, fresh
// process rather than from the benchmark, which has just built large
// inputs.
const peakHelperEnv = "ZISLINT_PEAK_RSS_OF"

func peakRSSHelper(bin string, args []string) int {
	cmd := exec.Command(bin, args...)
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	if !cmd.ProcessState.Success() {
		fmt.Fprintf(os.Stderr, "zislint %v: %v\n", args, cmd.ProcessState)
		return 1
	}
	fmt.Println(cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024) // Linux counts KiB
	return 0
}

// peakRSS runs zislint with args through the helper and returns the peak
// resident memory of the zislint process in bytes.
func peakRSS(b *testing.B, bin string, args ...string) int64 {
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), peakHelperEnv+"="+bin)
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("zislint %v: %v", args, err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkPeakMemory execs "zislint lint" on a bundle with one flow of
// 100,000 states, and on a repository of 10,000 bundles of 20 states,
// and reports the peak RSS of each process: in MB, and for the large flow
// also over the file's size.
func BenchmarkPeakMemory(b *testing.B) {
	bin := buildBinary(b)
	b.Run("flow=100000", func(b *testing.B) {
		dir := b.TempDir()
		path := filepath.Join(dir, "bundle.json")
		src := benchgen.Bundle("bench", 100000)
		if err := os.WriteFile(path, src, 0o644); err != nil {
			b.Fatal(err)
		}
		var peak int64
		for b.Loop() {
			peak = max(peak, peakRSS(b, bin, "lint", path))
		}
		b.ReportMetric(float64(peak)/1e6, "peak-MB")
		b.ReportMetric(float64(peak)/float64(len(src)), "peak/file")
	})
	b.Run("bundles=10000", func(b *testing.B) {
		dir := b.TempDir()
		if err := benchgen.Repo(dir, 10000, 20); err != nil {
			b.Fatal(err)
		}
		var peak int64
		for b.Loop() {
			peak = max(peak, peakRSS(b, bin, "lint", dir))
		}
		b.ReportMetric(float64(peak)/1e6, "peak-MB")
	})
}
