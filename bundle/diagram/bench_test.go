package diagram

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zislint/zislint/bundle"
)

// largeFlow is a chain of n states where every tenth is a Choice that
// may loop back, so edges carry conditions.
func largeFlow(n int) *bundle.Resource {
	var b strings.Builder
	b.WriteString(`{"resources": {"F": {"type": "ZIS::Flow", "properties": {"name": "F", "definition": {"StartAt": "s0", "States": {`)
	for i := 0; i < n; i++ {
		if i%10 == 9 {
			fmt.Fprintf(&b, `"s%d": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": %d, "Next": "s%d"}], "Default": "s%d"}, `, i, i, i-5, i+1)
		} else {
			fmt.Fprintf(&b, `"s%d": {"Type": "Pass", "Next": "s%d"}, `, i, i+1)
		}
	}
	fmt.Fprintf(&b, `"s%d": {"Type": "Succeed"}}}}}}}`, n)
	return Flows(bundle.Parse("f.json", []byte(b.String())))[0]
}

// BenchmarkDiagram builds and writes both formats; the time per state
// should stay flat as flows grow.
func BenchmarkDiagram(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		f := largeFlow(n)
		b.Run(fmt.Sprintf("states=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				d := Build(f, Options{})
				_ = d.Mermaid()
				_ = d.DOT()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/state")
		})
	}
}
