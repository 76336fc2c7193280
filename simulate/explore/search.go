package explore

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/zislint/zislint/internal/lazyre"
	"github.com/zislint/zislint/simulate"
)

// Bounds of the search for one flow.
const (
	// maxRepairs is how often a candidate that ran out of recorded
	// responses gets more, each time doubling the action's list: enough
	// for a Map of 100 items whose calls are all retried.
	maxRepairs = 12
	// maxResponses caps one action's list, however it grows.
	maxResponses = 1000
	// staleRuns ends the random phase: that many combined mutations in a
	// row that add nothing, and the rest is taken for unreachable.
	staleRuns = 2000
)

// entry is a fixture the search keeps, with its run.
type entry struct {
	f       *simulate.Fixture
	res     *simulate.Result
	origin  string          // the file name of the fixture it started from
	visited map[string]bool // the states its run went through, Map iterations folded
	muts    []mutation      // its mutations, listed when first needed
}

// search looks for fixtures that take a flow's transitions no fixture
// took yet.
type search struct {
	run         func(*simulate.Fixture) (*simulate.Result, error)
	model       *flowModel
	dict        []any
	transitions []simulate.Transition
	covered     map[simulate.Step]bool
	left        int // transitions not covered yet
	corpus      []*entry
	found       []Found
	rng         *rand.Rand
	budget      *budget
	cover       *simulate.Coverage
}

func newSearch(model *flowModel, cover *simulate.Coverage, seed uint64, b *budget,
	run func(*simulate.Fixture) (*simulate.Result, error)) *search {
	s := &search{run: run, model: model, dict: dictionary(model.conds, model.literals), transitions: cover.Transitions(),
		covered: map[simulate.Step]bool{}, rng: rand.New(rand.NewPCG(seed, 0x7a69736c696e74)), budget: b, cover: cover}
	s.left = len(s.transitions)
	return s
}

// seed adds a fixture the search starts from, and what its run covers.
func (s *search) seed(f *simulate.Fixture, res *simulate.Result, origin string) {
	s.cover.Add(res)
	s.take(res)
	s.corpus = append(s.corpus, newEntry(f, res, origin))
}

func newEntry(f *simulate.Fixture, res *simulate.Result, origin string) *entry {
	return &entry{f: f, res: res, origin: origin, visited: visitedStates(res)}
}

// iteration matches the item number of a Map iteration in a state's
// name as a run records it ("SendItems[0]/Send").
var iteration = lazyre.New(`\[[0-9]+\]/`)

func visitedStates(res *simulate.Result) map[string]bool {
	out := map[string]bool{}
	for _, s := range res.States {
		out[iteration().ReplaceAllString(s, "/")] = true
	}
	return out
}

// take marks the transitions of the run covered and returns those it
// covered first, in the flow's order.
func (s *search) take(res *simulate.Result) []simulate.Transition {
	steps := map[simulate.Step]bool{}
	for _, st := range res.Steps() {
		steps[st] = true
	}
	var added []simulate.Transition
	for _, t := range s.transitions {
		if steps[t.Step()] && !s.covered[t.Step()] {
			s.covered[t.Step()] = true
			added = append(added, t)
		}
	}
	s.left -= len(added)
	return added
}

func (s *search) done() bool { return s.left == 0 || s.budget.spent() }

// explore first tries every single mutation of every fixture kept, in
// an order the seed shuffles, keeping what adds coverage (and mutating
// that in turn); then combines mutations at random until the budget is
// spent or staleRuns combinations in a row add nothing.
func (s *search) explore() {
	for i := 0; i < len(s.corpus) && !s.done(); i++ {
		e := s.corpus[i]
		for _, m := range s.mutationsOf(e) {
			if s.done() {
				return
			}
			s.attempt(e, m)
		}
	}
	for stale := 0; stale < staleRuns && !s.done(); stale++ {
		e := s.corpus[s.rng.IntN(len(s.corpus))]
		muts := s.mutationsOf(e)
		if len(muts) == 0 {
			continue
		}
		picked := make([]mutation, 2+s.rng.IntN(3))
		for i := range picked {
			picked[i] = muts[s.rng.IntN(len(muts))]
		}
		if s.attempt(e, picked...) {
			stale = 0
		}
	}
}

func (s *search) mutationsOf(e *entry) []mutation {
	if e.muts == nil {
		e.muts = s.mutations(e)
		s.rng.Shuffle(len(e.muts), func(i, j int) { e.muts[i], e.muts[j] = e.muts[j], e.muts[i] })
	}
	return e.muts
}

// attempt runs a copy of the entry's fixture changed by muts, and keeps
// it when it takes a transition no fixture took.
func (s *search) attempt(e *entry, muts ...mutation) bool {
	f := copyFixture(e.f)
	changed := false
	for _, m := range muts {
		changed = m(f) || changed
	}
	if !changed {
		return false
	}
	res, ok := s.try(f)
	if !ok {
		return false
	}
	added := s.take(res)
	if len(added) == 0 {
		return false
	}
	s.cover.Add(res)
	kept := newEntry(f, res, e.origin)
	s.corpus = append(s.corpus, kept)
	s.found = append(s.found, Found{Fixture: f, Run: res, From: e.origin, Adds: added})
	return true
}

// try runs a candidate. One that runs out of recorded responses gets
// more (copies of the action's last one) and runs again; responses the
// final run did not use are dropped, so that the fixture passes as a
// test. A candidate that still lacks responses, or names no flow, fails.
func (s *search) try(f *simulate.Fixture) (*simulate.Result, bool) {
	for repairs := 0; ; repairs++ {
		if !s.budget.charge() {
			return nil, false
		}
		res, err := s.run(f)
		if err != nil {
			return nil, false
		}
		if res.Error == nil || res.Error.Error != simulate.ErrFixture {
			trimUnused(f, res.UnusedResponses())
			return res, true
		}
		if repairs == maxRepairs || !s.repair(f, res.Error.State) {
			return nil, false
		}
	}
}

// repair doubles the responses of the action the state calls.
func (s *search) repair(f *simulate.Fixture, state string) bool {
	action := s.model.calls[state]
	if action == "" {
		return false
	}
	list := f.Responses[action]
	last := simulate.Response{Status: 200, Body: map[string]any{}}
	if len(list) > 0 {
		last = list[len(list)-1]
	}
	n := max(1, len(list))
	if len(list)+n > maxResponses {
		return false
	}
	for range n {
		list = append(list, simulate.Response{Status: last.Status, Body: copyValue(last.Body), Headers: last.Headers})
	}
	if f.Responses == nil {
		f.Responses = map[string][]simulate.Response{}
	}
	f.Responses[action] = list
	return true
}

// trimUnused drops the responses a run left unused ("Action#n", from 1):
// calls consume an action's responses in order, so they end its list.
func trimUnused(f *simulate.Fixture, unused []string) {
	for _, u := range unused {
		action, n, _ := strings.Cut(u, "#")
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 || i > len(f.Responses[action]) {
			continue
		}
		f.Responses[action] = f.Responses[action][:i-1]
	}
	for action, list := range f.Responses {
		if len(list) == 0 {
			delete(f.Responses, action)
		}
	}
}
