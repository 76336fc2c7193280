package lint

import (
	"math"
	"slices"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/rules"
)

// dataRules splits the rules into those that read the data-flow
// analysis (directly or through another analyzer) and the others.
func dataRules() (data, other []*rules.Rule) {
	for _, r := range rules.All() {
		if requires(r.Analyzer, rules.DataFlow) {
			data = append(data, r)
		} else {
			other = append(other, r)
		}
	}
	return data, other
}

func requires(a, target *analysis.Analyzer) bool {
	for _, req := range a.Requires {
		if req == target || requires(req, target) {
			return true
		}
	}
	return false
}

func TestDataRulesAreFound(t *testing.T) {
	data, other := dataRules()
	ids := map[string]bool{}
	for _, r := range data {
		ids[r.ID] = true
	}
	for _, id := range []string{"ZIS226", "ZIS229", "ZIS230"} {
		if !ids[id] {
			t.Errorf("%s does not count as a data rule", id)
		}
	}
	if len(data)+len(other) != len(rules.All()) || len(other) == 0 {
		t.Errorf("%d data rules and %d others, of %d", len(data), len(other), len(rules.All()))
	}
}

// BenchmarkDataRulesShare lints the repository of BenchmarkLintRepo with
// every rule and without the rules that read the data-flow analysis, in
// the same iteration, alternately, and reports the data rules' share of
// the lint time (data-%) as the median over iterations, with the fastest
// run of each half: on a shared machine both halves of a pair see about
// the same load, and the median and the minimum pass over the spikes.
func BenchmarkDataRulesShare(b *testing.B) {
	dir := benchRepo(b, repoBundles, repoStates)
	_, other := dataRules()
	lintOnce := func(selected []*rules.Rule) time.Duration {
		start := time.Now()
		res, err := Run([]string{dir}, Options{Jobs: 1, Rules: selected})
		if err != nil || res.Bundles != repoBundles || len(res.Findings) != 0 {
			b.Fatalf("bundles %d, findings %d, err %v", res.Bundles, len(res.Findings), err)
		}
		return time.Since(start)
	}
	var shares []float64
	fastestAll, fastestNoData := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for i := 0; b.Loop(); i++ {
		var all, noData time.Duration
		// Alternate which half runs first, so neither always runs on a
		// warmer cache.
		if i%2 == 0 {
			all, noData = lintOnce(nil), lintOnce(other)
		} else {
			noData = lintOnce(other)
			all = lintOnce(nil)
		}
		shares = append(shares, 100*float64(all-noData)/float64(all))
		fastestAll, fastestNoData = min(fastestAll, all), min(fastestNoData, noData)
	}
	slices.Sort(shares)
	b.ReportMetric(shares[len(shares)/2], "data-%")
	b.ReportMetric(float64(fastestAll.Microseconds())/1000, "all-min-ms")
	b.ReportMetric(float64(fastestNoData.Microseconds())/1000, "nodata-min-ms")
}
