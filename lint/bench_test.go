package lint

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zislint/zislint/internal/benchgen"
)

// genBundle returns a realistic bundle with one flow of n states, two
// actions and a job spec.
func genBundle(key string, n int) []byte { return benchgen.Bundle(key, n) }

// benchRepo writes count bundles of states states each under a temp dir,
// with a zislint.yaml covering them.
func benchRepo(b *testing.B, count, states int) string {
	dir := b.TempDir()
	if err := benchgen.Repo(dir, count, states); err != nil {
		b.Fatal(err)
	}
	return dir
}

func TestGeneratedBundlesAreClean(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{3, 4, 20, 101} {
		path := filepath.Join(dir, fmt.Sprintf("b%d.json", n))
		if err := os.WriteFile(path, genBundle("bench", n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run([]string{dir}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("generated bundles draw findings: %v", res.Findings[:min(5, len(res.Findings))])
	}
}

const repoBundles, repoStates = 1000, 20

// BenchmarkLintRepo lints 1,000 bundles of 20 states, one at a time, with
// every rule: the cost to compare with BenchmarkDecodeRepo.
func BenchmarkLintRepo(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	b.ResetTimer()
	for b.Loop() {
		res, err := Run([]string{dir}, Options{Jobs: 1})
		if err != nil || res.Bundles != repoBundles || len(res.Findings) != 0 {
			b.Fatalf("bundles %d, findings %d, err %v", res.Bundles, len(res.Findings), err)
		}
	}
}

// BenchmarkLintRepoParallel is the same run on all cores, as users get it.
func BenchmarkLintRepoParallel(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run([]string{dir}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeRepo walks the same repository and only decodes each
// bundle with encoding/json: the floor a linter is measured against.
func BenchmarkDecodeRepo(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	b.ResetTimer()
	for b.Loop() {
		decodeRepo(b, dir)
	}
}

// BenchmarkLargeFlow lints one flow of growing size; ns/state staying
// flat shows the rules are linear in the number of states.
func BenchmarkLargeFlow(b *testing.B) {
	p, err := newPlan(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1000, 10000, 100000} {
		src := genBundle("bench", n)
		b.Run(fmt.Sprintf("states=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				r := p.lintFile(&file{path: "large.json", src: src}, nil)
				if r.err != nil || len(r.findings) != 0 {
					b.Fatalf("findings %v, err %v", r.findings[:min(3, len(r.findings))], r.err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/state")
		})
	}
}

// BenchmarkLintOverDecode lints the repository of BenchmarkLintRepo and
// decodes it with encoding/json in the same iteration, alternately, and
// reports lint time over decode time: both halves see the same load on a
// shared machine, so the ratio is steadier than two separate benchmarks.
// It reports the ratio of wall times and, steadier still on a busy
// machine, of the CPU time the process used in each half.
func BenchmarkLintOverDecode(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	var lintTime, decodeTime, lintCPU, decodeCPU time.Duration
	cpuOK := true
	for b.Loop() {
		start, cpu0 := time.Now(), mustCPU(&cpuOK)
		res, err := Run([]string{dir}, Options{Jobs: 1})
		if err != nil || res.Bundles != repoBundles || len(res.Findings) != 0 {
			b.Fatalf("bundles %d, findings %d, err %v", res.Bundles, len(res.Findings), err)
		}
		lintTime += time.Since(start)
		cpu1 := mustCPU(&cpuOK)
		lintCPU += cpu1 - cpu0
		start = time.Now()
		decodeRepo(b, dir)
		decodeTime += time.Since(start)
		decodeCPU += mustCPU(&cpuOK) - cpu1
	}
	b.ReportMetric(float64(lintTime)/float64(decodeTime), "lint/decode")
	b.ReportMetric(float64(lintTime.Microseconds())/float64(b.N), "lint-µs/op")
	b.ReportMetric(float64(decodeTime.Microseconds())/float64(b.N), "decode-µs/op")
	if cpuOK && decodeCPU > 0 {
		b.ReportMetric(float64(lintCPU)/float64(decodeCPU), "lint/decode-cpu")
	}
}

// mustCPU reads the process's CPU time, clearing ok when it cannot.
func mustCPU(ok *bool) time.Duration {
	d, measured := processCPU()
	*ok = *ok && measured
	return d
}

// decodeRepo reads every bundle under dir and decodes it with
// encoding/json: the floor a linter is measured against.
func decodeRepo(b *testing.B, dir string) {
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v any
		n++
		return json.Unmarshal(src, &v)
	})
	if err != nil || n != repoBundles {
		b.Fatal(n, err)
	}
}
