// Package textsafe makes text that comes from a repository or a server
// safe to print. zislint runs on pull requests, so a bundle, a fixture, a
// file name or an API answer is written by whoever opened one: printed
// raw, its control characters drive the reader's terminal, and in a
// GitHub Actions step its lines become workflow commands.
//
// Escape and Writer keep a terminal from receiving any control sequence;
// Workflow and WorkflowWriter also keep the Actions runner from reading a
// workflow command. Output passes them at the edge, where it leaves the
// program, so no caller has to remember to.
package textsafe

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every character a terminal could act on written
// as a visible escape: C0 controls other than tab and newline (a CR only
// when it ends a CRLF line break), DEL, the C1 controls (U+0080–U+009F,
// which include the 8-bit CSI), the bidirectional overrides and isolates
// (which reorder what a reader sees) and bytes that are not UTF-8. The
// escapes are Go's (\r, \x1b, \u009b), and those of characters that may
// appear raw in JSON strings are also valid JSON, so escaped JSON stays
// JSON. Text without such characters comes back unchanged.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	appendEscaped(&b, s[i:])
	return b.String()
}

// firstUnsafe returns the index of the first character Escape changes,
// len(s) when there is none. Plain ASCII is the fast path.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++
			continue
		}
		if c == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i += 2
			continue
		}
		if c < utf8.RuneSelf {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return len(s)
}

func appendEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			b.WriteString("\r\n")
			i += 2
			continue
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 && c != '\n' && c != '\t':
			fmt.Fprintf(b, `\x%02x`, c)
		case c == 0x7f:
			b.WriteString(`\u007f`)
		case c < utf8.RuneSelf:
			b.WriteByte(c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size <= 1:
				fmt.Fprintf(b, `\x%02x`, c)
			case unsafeRune(r):
				fmt.Fprintf(b, `\u%04x`, r)
			default:
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		i++
	}
}

// unsafeRune reports the non-ASCII characters Escape shows as escapes.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}

// Name shows a name (a file, a fixture, a state) on one line of a
// report: as it is when it is plain, quoted with strconv.Quote when it
// holds a line break, a tab or anything Escape would change, so it cannot
// pass for more than one name or for the next line.
func Name(s string) string {
	if strings.ContainsAny(s, "\n\t") || firstUnsafe(s) != len(s) {
		return strconv.Quote(s)
	}
	return s
}

// Workflow returns s escaped as Escape does and, in addition, unable to
// start a GitHub Actions workflow command. The runner reads a line whose
// first non-blank characters are "::" as a command (::error, ::add-mask,
// ::stop-commands…), and the older form "##[" anywhere in a line; such a
// line gets a backslash between the two characters, which a reader
// still recognises and the runner does not. CR is escaped like every
// other control, so the runner, which also breaks lines at a CR, sees
// the same lines as this function.
func Workflow(s string) string {
	s = Escape(s)
	if !strings.Contains(s, "::") && !strings.Contains(s, "##[") {
		return s
	}
	s = strings.ReplaceAll(s, "##[", `#\#[`)
	lines := strings.SplitAfter(s, "\n")
	for i, line := range lines {
		lines[i] = neutralizeCommand(line)
	}
	return strings.Join(lines, "")
}

// neutralizeCommand breaks a leading "::" after the blanks the runner
// trims (it trims Unicode white space, so this does too).
func neutralizeCommand(line string) string {
	rest := strings.TrimLeftFunc(line, isBlank)
	if !strings.HasPrefix(rest, "::") {
		return line
	}
	at := len(line) - len(rest)
	return line[:at] + `:\:` + rest[2:]
}

func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' }

// Writer passes text to an underlying writer through Escape. A
// character split between two writes is held until the next one, so
// call Flush after the last write.
type Writer struct {
	w       io.Writer
	pending []byte
}

// NewWriter returns a Writer that escapes what it writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write escapes p and writes it, holding back a trailing incomplete
// character or CR, which the next write completes.
func (w *Writer) Write(p []byte) (int, error) {
	data := p
	if len(w.pending) > 0 {
		data = append(w.pending, p...)
		w.pending = nil
	}
	keep := incompleteTail(data)
	if keep > 0 {
		w.pending = append([]byte(nil), data[len(data)-keep:]...)
		data = data[:len(data)-keep]
	}
	if len(data) == 0 {
		return len(p), nil
	}
	if err := w.writeEscaped(data); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w *Writer) writeEscaped(data []byte) error {
	s := string(data)
	if i := firstUnsafe(s); i == len(s) {
		_, err := w.w.Write(data)
		return err
	}
	_, err := io.WriteString(w.w, Escape(s))
	return err
}

// Flush writes what a write left pending, escaped as it stands.
func (w *Writer) Flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	data := w.pending
	w.pending = nil
	return w.writeEscaped(data)
}

// incompleteTail returns how many bytes at the end of p may be the
// start of something the next write completes: a CR that may begin a
// CRLF, or the first bytes of a multi-byte character.
func incompleteTail(p []byte) int {
	if len(p) == 0 {
		return 0
	}
	if p[len(p)-1] == '\r' {
		return 1
	}
	for n := 1; n <= utf8.UTFMax-1 && n <= len(p); n++ {
		c := p[len(p)-n]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(p[len(p)-n:]) {
				return 0
			}
			return n
		}
	}
	return 0
}

// WorkflowWriter passes text to an underlying writer through Workflow,
// a line at a time, since whether a line starts a command depends on all
// of it. Call Flush after the last write, and before anything else
// writes to the same output, so the lines stay in order.
type WorkflowWriter struct {
	w    io.Writer
	line []byte
}

// NewWorkflowWriter returns a WorkflowWriter writing to w.
func NewWorkflowWriter(w io.Writer) *WorkflowWriter { return &WorkflowWriter{w: w} }

// Write writes the complete lines of what it has, holding back the last
// line until its newline comes or Flush is called.
func (w *WorkflowWriter) Write(p []byte) (int, error) {
	w.line = append(w.line, p...)
	end := bytes.LastIndexByte(w.line, '\n')
	if end < 0 {
		return len(p), nil
	}
	if _, err := io.WriteString(w.w, Workflow(string(w.line[:end+1]))); err != nil {
		return 0, err
	}
	w.line = append(w.line[:0], w.line[end+1:]...)
	return len(p), nil
}

// Flush ends a pending line with a newline and writes it, so whatever
// comes next, a command above all, starts a line of its own.
func (w *WorkflowWriter) Flush() error {
	if len(w.line) == 0 {
		return nil
	}
	s := Workflow(string(w.line) + "\n")
	w.line = w.line[:0]
	_, err := io.WriteString(w.w, s)
	return err
}

// Quote always quotes s, JSON-style, with every control and non-printing
// character (zero-width and format characters too) written as \uXXXX,
// so a value shown between quotes cannot move a terminal's cursor, hide
// part of itself or forge the next line of a report.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
