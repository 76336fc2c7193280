// Package difftest checks in tests that a unified diff written by
// linediff applies, as patch would apply it, and gives the new text.
package difftest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var hunkHeader = regexp.MustCompile(`^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$`)

// Apply applies a unified diff of one file to old, as patch does
// with no fuzz: every context and deleted line must match where the
// header says, and the counts must agree with the hunk's lines.
func Apply(old, patch string) (string, error) {
	src := strings.SplitAfter(old, "\n")
	if src[len(src)-1] == "" {
		src = src[:len(src)-1]
	}
	lines := strings.SplitAfter(patch, "\n")
	if len(lines) < 3 || lines[0] != "--- a/f\n" || lines[1] != "+++ b/f\n" {
		return "", fmt.Errorf("bad headers")
	}
	lines = lines[2 : len(lines)-1] // the text ends with a newline
	var out []string
	next := 0 // first line of src not yet copied
	for i := 0; i < len(lines); {
		m := hunkHeader.FindStringSubmatch(strings.TrimSuffix(lines[i], "\n"))
		if m == nil {
			return "", fmt.Errorf("line %q: want a hunk header", lines[i])
		}
		i++
		oldStart, _ := strconv.Atoi(m[1])
		oldCount, _ := strconv.Atoi(m[2])
		newCount, _ := strconv.Atoi(m[4])
		at := oldStart - 1
		if oldCount == 0 {
			at = oldStart
		}
		if at < next || at > len(src) {
			return "", fmt.Errorf("hunk at %d out of order or range", oldStart)
		}
		out = append(out, src[next:at]...)
		next = at
		seenOld, seenNew := 0, 0
		for i < len(lines) && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			i++
			text := l[1:]
			if i < len(lines) && lines[i] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if next >= len(src) || src[next] != text {
					return "", fmt.Errorf("line %d: have %q, patch says %q", next+1, src[min(next, len(src)-1)], text)
				}
				next++
				seenOld++
				if l[0] == ' ' {
					out = append(out, text)
					seenNew++
				}
			case '+':
				out = append(out, text)
				seenNew++
			default:
				return "", fmt.Errorf("bad line %q", l)
			}
		}
		if seenOld != oldCount || seenNew != newCount {
			return "", fmt.Errorf("hunk -%d,%d +%s,%d has %d old and %d new lines", oldStart, oldCount, m[3], newCount, seenOld, seenNew)
		}
	}
	out = append(out, src[next:]...)
	return strings.Join(out, ""), nil
}

// Check fails t unless patch turns old into new; an empty patch must
// mean the two are equal.
func Check(t testing.TB, old, new, patch string) {
	t.Helper()
	if patch == "" {
		if old != new {
			t.Fatalf("empty patch for %q -> %q", old, new)
		}
		return
	}
	got, err := Apply(old, patch)
	if err != nil {
		t.Fatalf("patch does not apply: %v\nold:\n%q\npatch:\n%s", err, old, patch)
	}
	if got != new {
		t.Fatalf("patch gives %q, want %q\npatch:\n%s", got, new, patch)
	}
}
