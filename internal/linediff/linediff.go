// Package linediff writes unified diffs of text, for lint --fix --dry-run
// and for showing how a simulator run differs from its golden.
package linediff

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// diffContext is how many unchanged lines surround each change in a hunk,
// as diff -u and git diff print them.
const diffContext = 3

// diffBudget bounds the steps (and, in 4-byte units, the memory) the line
// diff may spend on the changed middle of a file. Fixes change a few lines
// of bundle-sized files and need a tiny fraction of it; past it, the
// changed region is printed as one replacement, still a valid patch.
var diffBudget = 1 << 23

// Write writes the unified diff that turns old into new, with
// the labels as given on the --- and +++ lines. It writes nothing when
// the two are equal.
func Write(w io.Writer, oldLabel, newLabel string, old, new []byte) error {
	bw := bufio.NewWriter(w)
	writeUnifiedDiff(bw, oldLabel, newLabel, old, new)
	return bw.Flush()
}

// diffOp is one line of an edit script. a and b are where it stands in
// the old and the new lines: the line itself for the side it belongs to,
// the position of the next line on the other side.
type diffOp struct {
	kind byte // ' ', '-' or '+'
	a, b int
}

func writeUnifiedDiff(w *bufio.Writer, oldLabel, newLabel string, old, new []byte) {
	a, b := splitLines(old), splitLines(new)
	ops := lineDiff(a, b)
	first := true
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(0, i-diffContext)
		end := i // end of the last change taken into the hunk
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			next := end
			for next < len(ops) && ops[next].kind == ' ' {
				next++
			}
			// Changes closer than twice the context share a hunk, or
			// the context lines between them would be printed twice.
			if next == len(ops) || next-end > 2*diffContext {
				break
			}
			end = next
		}
		end = min(len(ops), end+diffContext)
		if first {
			fmt.Fprintf(w, "--- %s\n+++ %s\n", oldLabel, newLabel)
			first = false
		}
		writeHunk(w, ops[start:end], a, b)
		i = end
	}
}

func writeHunk(w *bufio.Writer, ops []diffOp, a, b []string) {
	na, nb := 0, 0
	for _, op := range ops {
		if op.kind != '+' {
			na++
		}
		if op.kind != '-' {
			nb++
		}
	}
	fmt.Fprintf(w, "@@ -%d,%d +%d,%d @@\n", hunkStart(ops[0].a, na), na, hunkStart(ops[0].b, nb), nb)
	for _, op := range ops {
		var line string
		if op.kind == '-' {
			line = a[op.a]
		} else {
			line = b[op.b]
		}
		w.WriteByte(op.kind)
		w.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			w.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkStart is the 1-based first line of a hunk side; a side with no
// lines names the line it comes after, 0 for the top of the file.
func hunkStart(index, count int) int {
	if count == 0 {
		return index
	}
	return index + 1
}

// splitLines cuts s after each newline; a last line without one stays a
// line of its own, and an empty input has no lines.
func splitLines(s []byte) []string {
	if len(s) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(s), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// lineDiff returns an edit script from a to b: the common prefix and
// suffix are matched directly, the middle by Myers' algorithm, which runs
// in time proportional to the lines times the number of changed lines.
func lineDiff(a, b []string) []diffOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ops := make([]diffOp, 0, len(a)+len(b)-pre-suf)
	for i := 0; i < pre; i++ {
		ops = append(ops, diffOp{' ', i, i})
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	mid, ok := myers(am, bm, diffBudget)
	if !ok {
		mid = replaceAll(len(am), len(bm))
	}
	for _, op := range mid {
		ops = append(ops, diffOp{op.kind, op.a + pre, op.b + pre})
	}
	for i := 0; i < suf; i++ {
		ops = append(ops, diffOp{' ', len(a) - suf + i, len(b) - suf + i})
	}
	return ops
}

// replaceAll is the script that deletes all n old lines and inserts all
// m new ones.
func replaceAll(n, m int) []diffOp {
	ops := make([]diffOp, 0, n+m)
	for i := 0; i < n; i++ {
		ops = append(ops, diffOp{'-', i, 0})
	}
	for j := 0; j < m; j++ {
		ops = append(ops, diffOp{'+', n, j})
	}
	return ops
}

// myers finds a shortest edit script from a to b (E. Myers, "An O(ND)
// Difference Algorithm and Its Variations", 1986), keeping each step's
// furthest-reaching points to walk the path back. It reports false when
// that would take more than budget steps.
func myers(a, b []string, budget int) ([]diffOp, bool) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return replaceAll(n, m), true
	}
	maxD := n + m
	off := maxD + 1
	v := make([]int, 2*maxD+3) // v[off+k]: furthest x on diagonal k = x-y
	var trace [][]int32        // trace[d][d+k]: v[off+k] as step d began
	work := 0
	for d := 0; d <= maxD; d++ {
		work += 2*d + 1
		if work > budget {
			return nil, false
		}
		snap := make([]int32, 2*d+1)
		for k := -d; k <= d; k++ {
			snap[d+k] = int32(v[off+k])
		}
		trace = append(trace, snap)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: insert b[y-1]
			} else {
				x = v[off+k-1] + 1 // right: delete a[x-1]
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
				work++
			}
			if work > budget {
				return nil, false
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m), true
			}
		}
	}
	return nil, false // unreachable: d = n+m always reaches the end
}

func backtrack(trace [][]int32, n, m int) []diffOp {
	var ops []diffOp
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		snap := trace[d]
		at := func(k int) int { return int(snap[d+k]) }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py {
			x--
			y--
			ops = append(ops, diffOp{' ', x, y})
		}
		if x == px {
			y--
			ops = append(ops, diffOp{'+', x, y})
		} else {
			x--
			ops = append(ops, diffOp{'-', x, y})
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		ops = append(ops, diffOp{' ', x, y})
	}
	for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
		ops[i], ops[j] = ops[j], ops[i]
	}
	return ops
}
