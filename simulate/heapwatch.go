package simulate

import (
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// heapWatch publishes the process's cumulative heap allocations while a
// jq run is under way, so that a run can compare them with what they were
// at its start in one atomic load. Reading the counter itself takes a
// fraction of a microsecond, too slow for every few interpreter steps;
// a program that doubles a string needs only a few steps per doubling.
//
// One goroutine polls the counter every heapPoll while runs are active
// and sleeps otherwise. Memory can pass a bound by what the process
// allocates in one poll plus one step, which the bound allows for.
var heapWatch = &allocWatch{wake: make(chan struct{}, 1)}

const (
	heapPoll      = time.Millisecond
	heapIdlePolls = 100
)

type allocWatch struct {
	allocs atomic.Uint64 // cumulative heap bytes allocated, as last read
	active atomic.Int64  // runs under way
	awake  atomic.Bool   // the poller is publishing
	begun  atomic.Uint64 // runs begun so far
	once   sync.Once
	wake   chan struct{}
}

// begin marks a run as started and returns the count to compare with.
// While the poller is awake the published count is at most one poll old;
// after it slept, the run reads the counter itself, since the published
// one would charge it with what the process allocated in between.
func (w *allocWatch) begin() uint64 {
	w.once.Do(func() { go w.poll() })
	w.active.Add(1)
	w.begun.Add(1)
	if w.awake.Load() {
		return w.allocs.Load()
	}
	now := readAllocs()
	w.allocs.Store(now)
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return now
}

func (w *allocWatch) end() { w.active.Add(-1) }

// poll publishes the count every heapPoll, and sleeps once no run was
// active for heapIdlePolls polls in a row: staying awake a little while
// spares a test suite's back-to-back runs from waking it each time.
func (w *allocWatch) poll() {
	w.awake.Store(true)
	tick := time.NewTicker(heapPoll)
	defer tick.Stop()
	idle, seen := 0, w.begun.Load()
	for {
		// Idle means no run under way and none begun since the last
		// poll: runs of a few microseconds are rarely caught under way.
		if now := w.begun.Load(); w.active.Load() == 0 && now == seen {
			idle++
		} else {
			idle, seen = 0, now
		}
		if idle > heapIdlePolls {
			w.awake.Store(false)
			tick.Stop()
			<-w.wake
			w.awake.Store(true)
			tick.Reset(heapPoll)
			idle = 0
		}
		w.allocs.Store(readAllocs())
		<-tick.C
	}
}

// readAllocs reads the cumulative bytes allocated on the heap, or 0 on a
// Go without the metric, which turns the memory bound off.
func readAllocs() uint64 {
	var sample [1]metrics.Sample
	sample[0].Name = "/gc/heap/allocs:bytes"
	metrics.Read(sample[:])
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}
