package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zislint/zislint/bundle"
)

// longFlow is a flow of n states in blocks of ten: a Choice that skips
// or takes a branch of actions writing a few keys, which join again, so
// that the analysis meets joins as well as writes.
func longFlow(n int) string {
	var states []string
	for i := 0; i < n; i++ {
		next := fmt.Sprintf("S%d", i+1)
		if i == n-1 {
			states = append(states, fmt.Sprintf(`"S%d": {"Type": "Succeed"}`, i))
			break
		}
		switch {
		case i%10 == 0:
			states = append(states, fmt.Sprintf(`"S%d": {"Type": "Choice", "Choices": [{"Variable": "$.input.ticket_event.ticket.status", "StringEquals": "open", "Next": %q}], "Default": "S%d"}`,
				i, next, min(i+9, n-1)))
		case i%3 == 0:
			states = append(states, fmt.Sprintf(`"S%d": {"Type": "Pass", "Result": {"n": %d}, "ResultPath": "$.pass%d", "Next": %q}`, i, i, i%7, next))
		default:
			states = append(states, fmt.Sprintf(`"S%d": {"Type": "Action", "ActionName": "zis:acme:action:A", "Parameters": {"id.$": "$.input.ticket_event.ticket.id"}, "ResultPath": "$.r%d", "Next": %q}`, i, i%5, next))
		}
	}
	return flowBundle("S0", strings.Join(states, ",\n"), "ticket.TicketCreated")
}

// BenchmarkDataFlow shows the analysis's cost growing linearly with the
// number of states: compare the ns/state of states=1000 and states=10000.
func BenchmarkDataFlow(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("states=%d", n), func(b *testing.B) {
			bun := bundle.Parse("long.json", []byte(longFlow(n)))
			var graphs []*bundle.Graph
			for _, m := range bun.Machines() {
				graphs = append(graphs, bundle.NewGraph(m))
			}
			if got := len(bun.Machines()[0].States); got != n {
				b.Fatalf("the flow has %d states, want %d", got, n)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				f := analyzeFlows(bun, graphs)
				if f.Input(bun.Machines()[0].States[n-1]) == nil {
					b.Fatal("the last state is not reached")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/state")
		})
	}
}
