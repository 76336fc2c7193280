package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/zislint/zislint/internal/benchgen"
)

// peakRSS runs zislint with args and returns the peak resident memory of
// the process in bytes, as the kernel counted it.
func peakRSS(b *testing.B, bin string, args ...string) int64 {
	cmd := exec.Command(bin, args...)
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			b.Fatal(err)
		}
	}
	if !cmd.ProcessState.Success() {
		b.Fatalf("zislint %v: %v", args, cmd.ProcessState)
	}
	return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // Linux counts KiB
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
