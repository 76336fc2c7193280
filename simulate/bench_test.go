package simulate

import "testing"

// BenchmarkRefundRuns runs the refund tutorial's three cases over and
// over; runs/s is the figure to watch (the goal is 150,000 on one core;
// README.md gives the latest measure).
func BenchmarkRefundRuns(b *testing.B) {
	p := refundProgram(b)
	fixtures := []*Fixture{
		refundFixture("100.00", "789", "basic"),
		refundFixture("200.00", "456", "premium"),
		refundFixture("200.00", "123", "basic"),
	}
	b.ReportAllocs()
	runs := 0
	for b.Loop() {
		for _, f := range fixtures {
			res, err := p.Run(f)
			if err != nil || res.Status != StatusSucceeded {
				b.Fatal(err, res.Error)
			}
			runs++
		}
	}
	b.ReportMetric(float64(runs)/b.Elapsed().Seconds(), "runs/s")
}
