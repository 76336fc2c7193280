package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/zislint/zislint/internal/textsafe"
)

// Formats lists the output formats WriteFormat knows.
var Formats = []string{"text", "json", "sarif", "github"}

// WriteFormat writes the findings in the named format.
func WriteFormat(w io.Writer, format string, res *Result) error {
	switch format {
	case "text":
		return WriteText(w, res)
	case "json":
		return WriteJSON(w, res)
	case "sarif":
		return WriteSARIF(w, res)
	case "github":
		return WriteGitHub(w, res)
	}
	return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// WriteJSON writes {"diagnostics": [...]}, the stable machine-readable
// form: file, line, column, end_line, end_column, rule, name, severity,
// message.
func WriteJSON(w io.Writer, res *Result) error {
	type diagnostic struct {
		Finding
		Severity string `json:"severity"`
	}
	out := struct {
		Diagnostics []diagnostic `json:"diagnostics"`
	}{Diagnostics: make([]diagnostic, 0, len(res.Findings))}
	for _, f := range res.Findings {
		out.Diagnostics = append(out.Diagnostics, diagnostic{Finding: f, Severity: f.Severity.String()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteText writes each finding as path:line:col: severity: message [ID],
// then the source line with a caret under the range. A path that holds a
// line break or a control character is quoted, so it stays one path.
//
// Each file's lines are indexed once, so the report takes time linear in
// the findings however many a file has.
func WriteText(w io.Writer, res *Result) error {
	var buf bytes.Buffer
	lines := map[string]*lineIndex{}
	for _, f := range res.Findings {
		fmt.Fprintf(&buf, "%s:%d:%d: %s: %s [%s]\n", textsafe.Name(f.File), f.Line, f.Column, f.Severity, f.Message, f.Rule)
		src, ok := res.Sources[f.File]
		if !ok {
			continue
		}
		index := lines[f.File]
		if index == nil {
			index = newLineIndex(src)
			lines[f.File] = index
		}
		writeSnippet(&buf, index.line(f.Line), f)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// snippetWidth bounds the quoted source so a minified one-line bundle
// does not flood the terminal.
const snippetWidth = 100

// writeSnippet quotes the finding's line and underlines its range: a
// caret at the start, tildes to the end of the range on that line.
func writeSnippet(buf *bytes.Buffer, line []byte, f Finding) {
	if line == nil {
		return
	}
	col := min(f.Column-1, len(line))
	end := len(line)
	if f.EndLine == f.Line && f.EndColumn > f.Column {
		end = min(f.EndColumn-1, len(line))
	}
	// Cut a window around the column on long lines.
	from, to := 0, len(line)
	prefix, suffix := "", ""
	if len(line) > snippetWidth {
		from = max(0, col-snippetWidth/3)
		to = min(len(line), from+snippetWidth)
		from, to = runeStart(line, from), runeStart(line, to)
		if from > 0 {
			prefix = "…"
		}
		if to < len(line) {
			suffix = "…"
		}
	}
	shown := line[from:to]
	fmt.Fprintf(buf, "  %s%s%s\n", prefix, shown, suffix)
	pad := marker(line[from:max(from, col)])
	width := max(1, utf8.RuneCount(line[max(from, col):max(col, min(end, to))]))
	fmt.Fprintf(buf, "  %s%s^%s\n", strings.Repeat(" ", utf8.RuneCountInString(prefix)), pad, strings.Repeat("~", width-1))
}

// marker turns the text before the column into spaces, keeping tabs so
// the caret lines up in a terminal.
func marker(before []byte) string {
	var b strings.Builder
	for _, r := range string(before) {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func runeStart(b []byte, i int) int {
	for i > 0 && i < len(b) && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}

// lineIndex finds the lines of one source by number.
type lineIndex struct {
	src    []byte
	starts []int // offset of each line's first byte
}

func newLineIndex(src []byte) *lineIndex {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{src: src, starts: starts}
}

// line returns line n (1-based) without its line ending, nil when the
// source has no such line. A finding without a line (0) shows the first,
// as the report always has.
func (x *lineIndex) line(n int) []byte {
	n = max(n, 1)
	if n > len(x.starts) {
		return nil
	}
	end := len(x.src)
	if n < len(x.starts) {
		end = x.starts[n] - 1
	}
	return bytes.TrimSuffix(x.src[x.starts[n-1]:end], []byte{'\r'})
}

// sourceLine returns line n (1-based) of src without its line ending.
func sourceLine(src []byte, n int) []byte {
	for i := 1; i < n; i++ {
		nl := bytes.IndexByte(src, '\n')
		if nl < 0 {
			return nil
		}
		src = src[nl+1:]
	}
	if nl := bytes.IndexByte(src, '\n'); nl >= 0 {
		src = src[:nl]
	}
	return bytes.TrimSuffix(src, []byte{'\r'})
}
