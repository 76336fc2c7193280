package linediff

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/zislint/zislint/internal/linediff/difftest"
)

func unified(old, new string) string {
	var buf bytes.Buffer
	if err := Write(&buf, "a/f", "b/f", []byte(old), []byte(new)); err != nil {
		panic(err)
	}
	return buf.String()
}

func numbered(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{
			"one line in the middle",
			numbered(1, 10),
			strings.Replace(numbered(1, 10), "5\n", "five\n", 1),
			`--- a/f
+++ b/f
@@ -2,7 +2,7 @@
 2
 3
 4
-5
+five
 6
 7
 8
`,
		},
		{
			"first line, short context",
			"a\nb\n", "A\nb\n",
			`--- a/f
+++ b/f
@@ -1,2 +1,2 @@
-a
+A
 b
`,
		},
		{
			"into an empty file",
			"", "a\nb\n",
			`--- a/f
+++ b/f
@@ -0,0 +1,2 @@
+a
+b
`,
		},
		{
			"to an empty file",
			"a\n", "",
			`--- a/f
+++ b/f
@@ -1,1 +0,0 @@
-a
`,
		},
		{
			"pure insertion after a line",
			numbered(1, 8), strings.Replace(numbered(1, 8), "4\n", "4\nnew\n", 1),
			`--- a/f
+++ b/f
@@ -2,6 +2,7 @@
 2
 3
 4
+new
 5
 6
 7
`,
		},
		{
			"no newline at the end",
			"a\nb", "a\nB",
			`--- a/f
+++ b/f
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+B
\ No newline at end of file
`,
		},
		{
			"newline added at the end",
			"a\nb", "a\nb\n",
			`--- a/f
+++ b/f
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+b
`,
		},
		{
			"changes far apart get their own hunks",
			numbered(1, 20),
			strings.Replace(strings.Replace(numbered(1, 20), "\n2\n", "\ntwo\n", 1), "19\n", "nineteen\n", 1),
			`--- a/f
+++ b/f
@@ -1,5 +1,5 @@
 1
-2
+two
 3
 4
 5
@@ -16,5 +16,5 @@
 16
 17
 18
-19
+nineteen
 20
`,
		},
		{
			"changes six lines apart share a hunk",
			numbered(1, 12),
			strings.Replace(strings.Replace(numbered(1, 12), "\n2\n", "\ntwo\n", 1), "\n9\n", "\nnine\n", 1),
			`--- a/f
+++ b/f
@@ -1,12 +1,12 @@
 1
-2
+two
 3
 4
 5
 6
 7
 8
-9
+nine
 10
 11
 12
`,
		},
		{
			"CRLF lines are kept",
			"a\r\nb\r\n", "a\r\nc\r\n",
			"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unified(tt.old, tt.new)
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			if tt.want != "" {
				difftest.Check(t, tt.old, tt.new, got)
			}
		})
	}
}

// lcs is the textbook O(n*m) longest common subsequence length, against
// which the Myers script is checked for being shortest.
func lcs(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func randomText(r *rand.Rand, alphabet string, maxLines int) string {
	var b strings.Builder
	n := r.Intn(maxLines + 1)
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[r.Intn(len(alphabet))])
		if i < n-1 || r.Intn(4) > 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func mutate(r *rand.Rand, s string) string {
	lines := splitLines([]byte(s))
	for n := r.Intn(5); n > 0; n-- {
		i := r.Intn(len(lines) + 1)
		switch r.Intn(3) {
		case 0:
			lines = append(lines[:i], append([]string{"new\n"}, lines[i:]...)...)
		case 1:
			if i < len(lines) {
				lines = append(lines[:i], lines[i+1:]...)
			}
		case 2:
			if i < len(lines) {
				lines[i] = "changed\n"
			}
		}
	}
	out := strings.Join(lines, "")
	if r.Intn(4) == 0 {
		out = strings.TrimSuffix(out, "\n")
	}
	return out
}

func TestDiffRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		old := randomText(r, "abc", 30)
		var new string
		if i%2 == 0 {
			new = randomText(r, "abc", 30)
		} else {
			new = mutate(r, old)
		}
		difftest.Check(t, old, new, unified(old, new))

		a, b := splitLines([]byte(old)), splitLines([]byte(new))
		changes := 0
		for _, op := range lineDiff(a, b) {
			if op.kind != ' ' {
				changes++
			}
		}
		if want := len(a) + len(b) - 2*lcs(a, b); changes != want {
			t.Fatalf("%d changed lines, shortest script has %d\nold %q\nnew %q", changes, want, old, new)
		}
	}
}

func TestDiffOverBudget(t *testing.T) {
	defer func(b int) { diffBudget = b }(diffBudget)
	diffBudget = 10
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 500; i++ {
		old := randomText(r, "abcd", 40)
		new := randomText(r, "abcd", 40)
		difftest.Check(t, old, new, unified(old, new))
	}
	old := numbered(1, 100)
	new := strings.Replace(strings.Replace(old, "\n2\n", "\nx\n", 1), "99\n", "y\n", 1)
	got := unified(old, new)
	difftest.Check(t, old, new, got)
	if !strings.Contains(got, "@@ -1,100 +1,100 @@\n 1\n-2\n-3\n") {
		t.Errorf("want one replacement hunk of the changed region:\n%s", got)
	}
}

func BenchmarkDiffLargeBundle(b *testing.B) {
	old := numbered(1, 20000)
	new := strings.Replace(strings.Replace(old, "\n10\n", "\nten\n", 1), "\n19990\n", "\nx\n", 1)
	for b.Loop() {
		unified(old, new)
	}
}
