package explore

import "time"

// budget bounds a whole exploration: by a deadline on a clock, and by a
// count of runs (for tests, which must not depend on the machine's
// speed).
type budget struct {
	now      func() time.Time
	deadline time.Time
	runs     int
	maxRuns  int // 0: no limit
	out      bool
}

func newBudget(o Options) *budget {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	b := &budget{now: now, maxRuns: o.MaxRuns}
	if o.Budget > 0 {
		b.deadline = now().Add(o.Budget)
	}
	return b
}

// charge counts one run, and reports false, without counting it, once
// the budget is spent.
func (b *budget) charge() bool {
	if b.spent() {
		return false
	}
	b.runs++
	return true
}

// spent reports whether the deadline has passed or the runs are used up.
func (b *budget) spent() bool {
	if !b.out {
		b.out = b.maxRuns > 0 && b.runs >= b.maxRuns || !b.deadline.IsZero() && !b.now().Before(b.deadline)
	}
	return b.out
}
