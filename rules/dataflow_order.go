package rules

import "github.com/zislint/zislint/bundle"

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

// stateQueue, a binary heap, hands out the queued states lowest rank
// first, each once however often it was pushed before its turn.
type stateQueue struct {
	rank   []int
	queued []bool
	items  []int
}

func newStateQueue(rank []int) *stateQueue {
	return &stateQueue{rank: rank, queued: make([]bool, len(rank))}
}

func (q *stateQueue) push(i int) {
	if q.queued[i] {
		return
	}
	q.queued[i] = true
	q.items = append(q.items, i)
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
	return top
}

func (q *stateQueue) Len() int { return len(q.items) }

func (q *stateQueue) less(i, j int) bool { return q.rank[q.items[i]] < q.rank[q.items[j]] }
