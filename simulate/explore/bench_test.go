package explore

import (
	"path/filepath"
	"regexp"
	"testing"
)

// benchmarkExplore explores an example from one fixture until every
// transition the example's fixtures cover is covered, and reports the
// time that takes (ns/op) and the runs of the simulator it needs. The
// goal is under 2 s on one core: go test -bench Explore -cpu 1.
func benchmarkExplore(b *testing.B, example, start string) {
	bundle := filepath.Join("..", "..", "testdata", example, "bundle.json")
	filter := regexp.MustCompile("^" + start + "$")
	runs := 0
	for b.Loop() {
		x := New(Options{Seed: 1, Filter: filter, Budget: DefaultBudget})
		x.Bundle(bundle)
		if x.Broken || len(x.Flows) != 1 {
			b.Fatalf("exploring %s broke", bundle)
		}
		if got := x.Flows[0].After.Transitions; got.Covered != got.Total {
			b.Fatalf("%s from %s: %+v covered", example, start, got)
		}
		runs = x.Runs()
	}
	b.ReportMetric(float64(runs), "runs/op")
}

func BenchmarkExploreRefunds(b *testing.B) { benchmarkExplore(b, "refunds", "refund_100_basic") }

func BenchmarkExploreOrders(b *testing.B) { benchmarkExplore(b, "orders", "order_sent") }
