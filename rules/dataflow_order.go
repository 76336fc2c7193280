package rules

import (
	"sync"

	"github.com/zislint/zislint/bundle"
)

// fixpointScratch holds the work arrays of one machine's fixed point,
// reused from machine to machine and bundle to bundle: the analyses run
// one after the other, and each used to allocate its own. release
// clears the only pointers they hold, so a pooled one keeps nothing
// else alive.
type fixpointScratch struct {
	rank   []int32 // per state: its place in reverse postorder
	visits []int32 // per state: how often it was computed
	queued []bool  // per state: waiting in items
	items  []int32 // the queue's binary heap of states
	stack  []dfsFrame
	outs   []edgeOut // transfer's, from state to state
}

// release clears the documents and states left in the scratch and
// returns it to the pool.
func (sc *fixpointScratch) release() {
	clear(sc.outs[:cap(sc.outs)])
	sc.outs = sc.outs[:0]
	scratches.Put(sc)
}

// scratches pools the fixed points' work arrays.
var scratches = sync.Pool{New: func() any { return new(fixpointScratch) }}

// dfsFrame is a state on reversePostorder's stack and the next of its
// successors to look at.
type dfsFrame struct{ state, next int32 }

// begin returns an empty queue over g's states, ranked in reverse
// postorder.
func (sc *fixpointScratch) begin(g *bundle.Graph) *stateQueue {
	n := len(g.Machine.States)
	sc.rank = resized(sc.rank, n)
	sc.visits = resized(sc.visits, n)
	clear(sc.visits)
	sc.queued = resized(sc.queued, n)
	clear(sc.queued)
	sc.items = sc.items[:0]
	sc.stack = reversePostorder(g, sc.rank, sc.stack[:0])
	return (*stateQueue)(sc)
}

// resized returns s with length n, reusing its array when it is large
// enough; the contents are not cleared.
func resized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// reversePostorder ranks, in rank, the states reachable from g's start
// so that, loops aside, every state comes after all the states that lead
// to it: each is then computed once, from its complete input. Unreached
// states rank last. stack is the walk's buffer, returned for reuse.
func reversePostorder(g *bundle.Graph, rank []int32, stack []dfsFrame) []dfsFrame {
	// rank first holds -1 for a state not yet seen, -2 for one on the
	// walk, then the state's place in postorder once it is finished.
	for i := range rank {
		rank[i] = -1
	}
	finished := int32(0)
	// Each state is pushed once at most: room for all of them spares the
	// growing of the stack, which for a long flow left twice its final
	// size to the collector.
	if cap(stack) < len(rank) {
		stack = make([]dfsFrame, 0, len(rank))
	}
	stack = append(stack, dfsFrame{int32(g.Start.Index), 0})
	rank[g.Start.Index] = -2
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if succ := g.Succ(int(top.state)); int(top.next) < len(succ) {
			t := succ[top.next]
			top.next++
			if rank[t] == -1 {
				rank[t] = -2
				stack = append(stack, dfsFrame{int32(t), 0})
			}
			continue
		}
		rank[top.state] = finished
		finished++
		stack = stack[:len(stack)-1]
	}
	n := int32(len(rank))
	for i, post := range rank {
		if post < 0 {
			rank[i] = n
		} else {
			rank[i] = finished - 1 - post
		}
	}
	return stack
}

// stateQueue, a binary heap, hands out the queued states lowest rank
// first, each once however often it was pushed before its turn. It
// lives in the scratch arrays.
type stateQueue fixpointScratch

func (q *stateQueue) push(i int) {
	if q.queued[i] {
		return
	}
	q.queued[i] = true
	q.items = append(q.items, int32(i))
	for c := len(q.items) - 1; c > 0; {
		parent := (c - 1) / 2
		if !q.less(c, parent) {
			break
		}
		q.items[c], q.items[parent] = q.items[parent], q.items[c]
		c = parent
	}
}

func (q *stateQueue) pop() int {
	top := q.items[0]
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items = q.items[:last]
	for p := 0; ; {
		least, l, r := p, 2*p+1, 2*p+2
		if l < last && q.less(l, least) {
			least = l
		}
		if r < last && q.less(r, least) {
			least = r
		}
		if least == p {
			break
		}
		q.items[p], q.items[least] = q.items[least], q.items[p]
		p = least
	}
	q.queued[top] = false
	return int(top)
}

// visit counts a computation of state i and returns how many there were.
func (q *stateQueue) visit(i int) int32 {
	q.visits[i]++
	return q.visits[i]
}

func (q *stateQueue) Len() int { return len(q.items) }

func (q *stateQueue) less(i, j int) bool { return q.rank[q.items[i]] < q.rank[q.items[j]] }
