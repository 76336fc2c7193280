package rules

import (
	"math"
	"testing"
	"time"

	"github.com/zislint/zislint/bundle"
)

// BenchmarkDataFlowGrowth analyses the 10,000-state flow of
// BenchmarkDataFlow once and the 1,000-state flow ten times in each
// iteration, alternately, and reports the ratio of their fastest times
// (growth): 1 means the cost grows linearly with the states. Run in the
// same iterations, both meet the same load on a shared machine, and the
// fastest of each is the one least slowed by it.
func BenchmarkDataFlowGrowth(b *testing.B) {
	small, large := prepareFlow(b, 1000), prepareFlow(b, 10000)
	fastSmall, fastLarge := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for i := 0; b.Loop(); i++ {
		var tSmall, tLarge time.Duration
		if i%2 == 0 {
			tSmall = small.timeAnalyses(b, 10)
			tLarge = large.timeAnalyses(b, 1)
		} else {
			tLarge = large.timeAnalyses(b, 1)
			tSmall = small.timeAnalyses(b, 10)
		}
		fastSmall, fastLarge = min(fastSmall, tSmall), min(fastLarge, tLarge)
	}
	b.ReportMetric(float64(fastLarge)/float64(fastSmall), "growth")
	b.ReportMetric(float64(fastLarge.Nanoseconds())/10000, "ns/state")
}

// preparedFlow is a parsed long flow and its graphs.
type preparedFlow struct {
	bun    *bundle.Bundle
	graphs []*bundle.Graph
	last   *bundle.State
}

func prepareFlow(b *testing.B, n int) preparedFlow {
	bun := bundle.Parse("long.json", []byte(longFlow(n)))
	var graphs []*bundle.Graph
	for _, m := range bun.Machines() {
		graphs = append(graphs, bundle.NewGraph(m))
	}
	states := bun.Machines()[0].States
	if len(states) != n {
		b.Fatalf("the flow has %d states, want %d", len(states), n)
	}
	return preparedFlow{bun, graphs, states[n-1]}
}

// timeAnalyses analyses the flow times times, from scratch.
func (p preparedFlow) timeAnalyses(b *testing.B, times int) time.Duration {
	start := time.Now()
	for range times {
		if analyzeFlows(p.bun, p.graphs).Input(p.last) == nil {
			b.Fatal("the last state is not reached")
		}
	}
	return time.Since(start)
}
