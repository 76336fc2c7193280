package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/zislint/zislint/lint"
	"github.com/zislint/zislint/rules"
)

// BenchmarkDataFlowRules lints a long flow with the rules that read the
// data-flow analysis, the analysis included. Its ns/state should stay
// flat from 1,000 to 10,000 states: the cost is linear.
func BenchmarkDataFlowRules(b *testing.B) {
	var selected []*rules.Rule
	for _, id := range []string{"ZIS226", "ZIS227", "ZIS228", "ZIS231"} {
		selected = append(selected, rules.Lookup(id))
	}
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("states=%d", n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "long.json")
			if err := os.WriteFile(path, []byte(rules.LongFlow(n)), 0o644); err != nil {
				b.Fatal(err)
			}
			opts := lint.Options{NoConfigSearch: true, Jobs: 1, Rules: selected}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				res, err := lint.Run([]string{path}, opts)
				if err != nil {
					b.Fatal(err)
				}
				if res.Bundles != 1 || len(res.Findings) != 0 {
					b.Fatalf("linted %d bundles with %d findings, want 1 bundle and none", res.Bundles, len(res.Findings))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/state")
		})
	}
}
