package rules

import (
	"container/heap"

	"github.com/zislint/zislint/bundle"
)

// reversePostorder ranks the states reachable from g's start so that,
// loops aside, every state comes after all the states that lead to it:
// each is then computed once, from its complete input. Unreached states
// rank last.
func reversePostorder(g *bundle.Graph) []int {
	n := len(g.Machine.States)
	post := make([]int, 0, n)
	seen := make([]bool, n)
	type frame struct{ state, next int }
	stack := []frame{{g.Start.Index, 0}}
	seen[g.Start.Index] = true
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(g.Succ[top.state]) {
			t := g.Succ[top.state][top.next]
			top.next++
			if !seen[t] {
				seen[t] = true
				stack = append(stack, frame{t, 0})
			}
			continue
		}
		post = append(post, top.state)
		stack = stack[:len(stack)-1]
	}
	rank := make([]int, n)
	for i := range rank {
		rank[i] = n
	}
	for i, s := range post {
		rank[s] = len(post) - 1 - i
	}
	return rank
}

// stateQueue hands out the queued states lowest rank first, each once
// however often it was pushed before its turn.
type stateQueue struct {
	rank   []int
	queued []bool
	items  []int
}

func newStateQueue(rank []int) *stateQueue {
	return &stateQueue{rank: rank, queued: make([]bool, len(rank))}
}

func (q *stateQueue) push(i int) {
	if !q.queued[i] {
		q.queued[i] = true
		heap.Push(q, i)
	}
}

func (q *stateQueue) pop() int {
	i := heap.Pop(q).(int)
	q.queued[i] = false
	return i
}

// The heap.Interface methods; callers use push and pop.
func (q *stateQueue) Len() int           { return len(q.items) }
func (q *stateQueue) Less(i, j int) bool { return q.rank[q.items[i]] < q.rank[q.items[j]] }
func (q *stateQueue) Swap(i, j int)      { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *stateQueue) Push(x any)         { q.items = append(q.items, x.(int)) }
func (q *stateQueue) Pop() any {
	last := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return last
}
