package textsafe

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text\twith a tab\n", "plain text\twith a tab\n"},
		{"crlf\r\nline", "crlf\r\nline"},
		{"red \x1b[31mtext\x1b[0m", `red \x1b[31mtext\x1b[0m`},
		{"over\rwrite", `over\rwrite`},
		{"end\r", `end\r`},
		{"bell\a del\x7f", `bell\x07 del\u007f`},
		{"c1 \u009b31m csi", `c1 \u009b31m csi`},
		{"bidi \u202eevil\u2066", `bidi \u202eevil\u2066`},
		{"bad \xff byte", `bad \xff byte`},
		{"snowman ☃ stays", "snowman ☃ stays"},
	} {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The escapes of what may appear raw in a JSON string are JSON escapes.
func TestEscapeKeepsJSON(t *testing.T) {
	data, _ := json.Marshal(map[string]string{"m": "a\u0085b\u202ec\x7fd"})
	var back map[string]string
	if err := json.Unmarshal([]byte(Escape(string(data))), &back); err != nil || back["m"] != "a\u0085b\u202ec\x7fd" {
		t.Errorf("escaped JSON %s: %v %q", Escape(string(data)), err, back)
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"tests/page_view.yaml": "tests/page_view.yaml",
		"a name with spaces ☃": "a name with spaces ☃",
		"x\n::error::y":        `"x\n::error::y"`,
		"tab\there":            `"tab\there"`,
		"esc\x1b[2J":           `"esc\x1b[2J"`,
		"crlf\r\n":             `"crlf\r\n"`,
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestWorkflow(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ok line\n", "ok line\n"},
		{"name\n::error file=README.md,line=1::forged\n", "name\n:\\:error file=README.md,line=1::forged\n"},
		{"  \t::warning::x", "  \t:\\:warning::x"},
		{"\u00a0\u3000::add-mask::x", "\u00a0\u3000:\\:add-mask::x"},
		{"a\r::error::x", `a\r::error::x`},
		{"text ##[error]forged ###[x]", `text #\#[error]forged ##\#[x]`},
		{"a::b stays", "a::b stays"},
	} {
		if got := Workflow(c.in); got != c.want {
			t.Errorf("Workflow(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The writers give what the functions give, however the text is cut
// into writes.
func TestWritersAcrossWrites(t *testing.T) {
	in := "a\r\nb\rc ☃ \u009b \xe2\x98\x83\n::error::x\n##[warning]y\nlast"
	for cut := range len(in) + 1 {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.Write([]byte(in[:cut]))
		w.Write([]byte(in[cut:]))
		w.Flush()
		if buf.String() != Escape(in) {
			t.Fatalf("cut at %d: Writer wrote %q, want %q", cut, buf.String(), Escape(in))
		}
		buf.Reset()
		ww := NewWorkflowWriter(&buf)
		ww.Write([]byte(in[:cut]))
		ww.Write([]byte(in[cut:]))
		ww.Flush()
		if buf.String() != Workflow(in+"\n") {
			t.Fatalf("cut at %d: WorkflowWriter wrote %q, want %q", cut, buf.String(), Workflow(in+"\n"))
		}
	}
}

// FuzzWorkflow checks, with a reader written like the Actions runner's,
// that no line of Workflow's output is a command and no character of it
// drives a terminal.
func FuzzWorkflow(f *testing.F) {
	for _, s := range []string{"x\n::error::y", "\r::warning::", "##[error]", " \u2003::set-output", "\x1b]8;;http://x\x07", "#\n#[", "\u0085::x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Workflow(s)
		if cmd, ok := runnerCommand(out); ok {
			t.Fatalf("Workflow(%q) = %q holds the command %q", s, out, cmd)
		}
		if i := firstUnsafe(out); i != len(out) {
			t.Fatalf("Workflow(%q) = %q keeps an unsafe character at %d", s, out, i)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Workflow(%q) = %q is not UTF-8", s, out)
		}
		if Escape(out) != out {
			t.Fatalf("Escape is not idempotent on %q", out)
		}
	})
}

// runnerCommand reads text as the Actions runner reads a step's output
// and returns the first workflow command it finds: lines end at LF, CR
// or CRLF; a line whose first non-blank characters are "::" is a
// command, and so is one holding "##[" anywhere.
func runnerCommand(text string) (string, bool) {
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.TrimLeftFunc(line, isBlank), "::") || strings.Contains(line, "##[") {
			return line, true
		}
	}
	return "", false
}

func TestQuote(t *testing.T) {
	tests := map[string]string{
		"plain":           `"plain"`,
		`say "hi" \ bye`:  `"say \"hi\" \\ bye"`,
		"line\nforged":    `"line\u000aforged"`,
		"\x1b[2Jclear":    `"\u001b[2Jclear"`,
		"hid\u200bden":    `"hid\u200bden"`,
		"rtl\u202eevil":   `"rtl\u202eevil"`,
		"bad\xffbyte":     `"bad\ufffdbyte"`,
		"tab\tand space ": `"tab\u0009and space "`,
	}
	for in, want := range tests {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}
