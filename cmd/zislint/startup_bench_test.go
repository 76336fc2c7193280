package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildBinary builds zislint once into a temporary folder; start-up can
// only be measured on a real process. ZISLINT_BENCH_BIN names a binary to
// measure instead, to compare an older build in the same run.
func buildBinary(b *testing.B) string {
	if bin := os.Getenv("ZISLINT_BENCH_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(b.TempDir(), "zislint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// processCPU runs the binary and returns the user plus system CPU time of
// the whole process, which does not depend on how busy the machine is the
// way wall time does.
func processCPU(b *testing.B, env []string, bin string, args ...string) (time.Duration, []byte) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			b.Fatal(err)
		}
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), stderr.Bytes()
}

// BenchmarkStartup execs "zislint version" and "zislint lint
// testdata/refunds" in turn and reports the CPU of each whole process, the
// ratio lint/version (the cost of linting one bundle over start-up), and
// the package init time that GODEBUG=inittrace=1 reports.
func BenchmarkStartup(b *testing.B) {
	bin := buildBinary(b)
	refunds := filepath.Join("..", "..", "testdata", "refunds")
	var version, lint, initTime time.Duration
	for b.Loop() {
		v, _ := processCPU(b, nil, bin, "version")
		l, _ := processCPU(b, nil, bin, "lint", refunds)
		_, trace := processCPU(b, []string{"GODEBUG=inittrace=1"}, bin, "version")
		version, lint, initTime = version+v, lint+l, initTime+sumInit(trace)
	}
	n := float64(b.N)
	b.ReportMetric(float64(version.Microseconds())/n, "version-cpu-µs/op")
	b.ReportMetric(float64(lint.Microseconds())/n, "lint-cpu-µs/op")
	b.ReportMetric(float64(lint)/float64(version), "lint/version")
	b.ReportMetric(float64(initTime.Microseconds())/n, "init-µs/op")
}

// sumInit adds the clock times of the "init P @T ms, X ms clock" lines
// of an inittrace.
func sumInit(trace []byte) time.Duration {
	var total time.Duration
	sc := bufio.NewScanner(bytes.NewReader(trace))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 7 || f[0] != "init" || f[6] != "clock," {
			continue
		}
		ms, err := strconv.ParseFloat(f[4], 64)
		if err == nil {
			total += time.Duration(ms * float64(time.Millisecond))
		}
	}
	return total
}
