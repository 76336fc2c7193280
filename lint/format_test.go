package lint

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/zislint/zislint/config"
)

// The index finds the lines sourceLine finds, by scanning.
func TestLineIndexAgreesWithSourceLine(t *testing.T) {
	for _, src := range []string{"", "one", "one\n", "a\r\nb\r\n\r\nc", "\n\n", "x\ny\nz\n"} {
		x := newLineIndex([]byte(src))
		for n := 0; n <= 6; n++ {
			want, got := sourceLine([]byte(src), n), x.line(n)
			if !bytes.Equal(want, got) || (want == nil) != (got == nil) {
				t.Errorf("line %d of %q = %q, want %q", n, src, got, want)
			}
		}
	}
}

// manyFindings is the audit's case: one bundle of 80,000 lines with a
// finding on each.
func manyFindings(n int) *Result {
	var src strings.Builder
	res := &Result{Sources: map[string][]byte{}}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&src, "    \"S%d\": {\"Type\": \"Pass\", \"Next\": \"Missing%d\"},\n", i, i)
		res.Findings = append(res.Findings, Finding{File: "bundle.json", Line: i, Column: 5, EndLine: i, EndColumn: 10,
			Rule: "ZIS302", Name: "unknown_state", Severity: config.SeverityError, Message: fmt.Sprintf("no state \"Missing%d\"", i)})
	}
	res.Sources["bundle.json"] = []byte(src.String())
	return res
}

// BenchmarkWriteTextManyFindings and BenchmarkWriteJSONManyFindings
// compare the text report with the JSON one on 80,000 findings in one
// file: text, which quotes each finding's line, should stay within 2×.
func BenchmarkWriteTextManyFindings(b *testing.B) {
	res := manyFindings(80000)
	for b.Loop() {
		if err := WriteText(io.Discard, res); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteJSONManyFindings(b *testing.B) {
	res := manyFindings(80000)
	for b.Loop() {
		if err := WriteJSON(io.Discard, res); err != nil {
			b.Fatal(err)
		}
	}
}
