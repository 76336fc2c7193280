package memo

import (
	"strconv"
	"sync"
	"testing"
)

// An answer is worked out once per key while the table has room, and
// every time once it is full; many goroutines may ask at once.
func TestTableWorksOutEachAnswerOnceUpToItsBound(t *testing.T) {
	table := Table[int]{Max: 3}
	var mu sync.Mutex
	works := map[string]int{}
	work := func(key string) int {
		mu.Lock()
		works[key]++
		mu.Unlock()
		n, _ := strconv.Atoi(key)
		return n * 10
	}
	for _, key := range []string{"1", "2", "3", "1", "2", "3"} {
		if got, want := table.Get(key, work), work(key); got != want {
			t.Fatalf("Get(%s) = %d, want %d", key, got, want)
		}
	}
	for _, key := range []string{"1", "2", "3"} {
		if works[key] != 3 { // once by Get, twice by the test's own calls
			t.Errorf("%s worked out %d times by Get, want once", key, works[key]-2)
		}
	}
	for range 2 {
		table.Get("4", work)
	}
	if works["4"] != 2 {
		t.Errorf("past its bound the table kept an answer: worked out %d times, want 2", works["4"])
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() { table.Get(strconv.Itoa(i%4+1), work) })
	}
	wg.Wait()
}
