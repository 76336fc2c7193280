package lint

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/config"
)

func TestWriteGitHub(t *testing.T) {
	base := Finding{File: "b.json", Line: 3, Column: 5, EndLine: 3, EndColumn: 9,
		Rule: "ZIS302", Name: "unknown_state", Severity: config.SeverityError, Message: "no such state"}
	with := func(edit func(*Finding)) []Finding {
		f := base
		edit(&f)
		return []Finding{f}
	}
	tests := []struct {
		name     string
		findings []Finding
		want     string
	}{
		{"error",
			[]Finding{base},
			"::error file=b.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 unknown_state::no such state\n"},
		{"warning",
			with(func(f *Finding) { f.Severity = config.SeverityWarning }),
			"::warning file=b.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 unknown_state::no such state\n"},
		{"info is a notice",
			with(func(f *Finding) { f.Severity = config.SeverityInfo }),
			"::notice file=b.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 unknown_state::no such state\n"},
		{"message escapes %, CR and LF but keeps : and ,",
			with(func(f *Finding) { f.Message = "100% sure:\r\nnext, then %0A" }),
			"::error file=b.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 unknown_state::100%25 sure:%0D%0Anext, then %250A\n"},
		{"message with the command separator stays data",
			with(func(f *Finding) { f.Message = "zis::x::y" }),
			"::error file=b.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 unknown_state::zis::x::y\n"},
		{"property escapes %, CR, LF, : and ,",
			with(func(f *Finding) { f.File = "C:\\a,b%\r\n.json" }),
			"::error file=C%3A\\a%2Cb%25%0D%0A.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 unknown_state::no such state\n"},
		{"title is escaped too",
			with(func(f *Finding) { f.Name = "a,b:c" }),
			"::error file=b.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 a%2Cb%3Ac::no such state\n"},
		{"a forged command in a name or message stays data",
			with(func(f *Finding) {
				f.File, f.Name, f.Message = "x\n::error file=README.md,line=1::forged.json", "n\r::add-mask::x", "m\n##[error]forged ##[warning]"
			}),
			"::error file=x%0A%3A%3Aerror file=README.md%2Cline=1%3A%3Aforged.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 n%0D%3A%3Aadd-mask%3A%3Ax::m%0A#\\#[error]forged #\\#[warning]\n"},
		{"no position",
			with(func(f *Finding) { f.Line, f.Column, f.EndLine, f.EndColumn = 0, 0, 0, 0 }),
			"::error file=b.json,title=ZIS302 unknown_state::no such state\n"},
		{"one line per finding, in order",
			[]Finding{base, {File: "c.json", Line: 1, Column: 1, EndLine: 2, EndColumn: 1,
				Rule: "ZIS303", Name: "unreachable_state", Severity: config.SeverityWarning, Message: "m"}},
			"::error file=b.json,line=3,col=5,endLine=3,endColumn=9,title=ZIS302 unknown_state::no such state\n" +
				"::warning file=c.json,line=1,col=1,endLine=2,endColumn=1,title=ZIS303 unreachable_state::m\n"},
		{"nothing to report",
			nil,
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteGitHub(&buf, &Result{Findings: tt.findings}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteFormatKnowsNewFormats(t *testing.T) {
	res := &Result{Findings: []Finding{{File: "b.json", Line: 1, Column: 1, EndLine: 1, EndColumn: 2,
		Rule: "ZIS001", Name: "syntax", Severity: config.SeverityError, Message: "m"}}}
	for _, format := range []string{"sarif", "github"} {
		var buf bytes.Buffer
		if err := WriteFormat(&buf, format, res); err != nil || buf.Len() == 0 {
			t.Errorf("WriteFormat(%q) wrote %d bytes, error %v", format, buf.Len(), err)
		}
		found := false
		for _, f := range Formats {
			found = found || f == format
		}
		if !found {
			t.Errorf("Formats %q lacks %q", Formats, format)
		}
	}
}

// FuzzWriteGitHub reads the output the way the runner does, splitting
// lines at LF and CR, properties at commas and the data at the first
// "::" after them, and unescaping: whatever a file, a rule name or a
// message holds, each finding is one command whose fields read back as
// written (with "##[" escaped), and no other command appears.
func FuzzWriteGitHub(f *testing.F) {
	f.Add("b.json", "unknown_state", "no such state")
	f.Add("x\n::error file=README.md,line=1::forged", "a,b:c=d", "m\r::warning::x ##[error]y %0A %25")
	f.Fuzz(func(t *testing.T, file, name, message string) {
		var buf bytes.Buffer
		res := &Result{Findings: []Finding{{File: file, Line: 3, Column: 5, EndLine: 3, EndColumn: 9,
			Rule: "ZIS302", Name: name, Severity: config.SeverityWarning, Message: message}}}
		if err := WriteGitHub(&buf, res); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		lines := strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' })
		if len(lines) != 1 || strings.Contains(out, "##[") {
			t.Fatalf("one finding made %d lines:\n%q", len(lines), out)
		}
		rest, ok := strings.CutPrefix(lines[0], "::warning ")
		if !ok {
			t.Fatalf("not a warning command: %q", lines[0])
		}
		info, data, _ := strings.Cut(rest, "::")
		props := map[string]string{}
		for _, p := range strings.Split(info, ",") {
			k, v, _ := strings.Cut(p, "=")
			props[k] = githubUnescape.Replace(v)
		}
		noOldForm := strings.NewReplacer("##[", `#\#[`)
		want := map[string]string{"file": noOldForm.Replace(file), "line": "3", "col": "5", "endLine": "3", "endColumn": "9",
			"title": noOldForm.Replace(strings.TrimSpace("ZIS302 " + name))}
		if diff := cmp.Diff(want, props); diff != "" {
			t.Errorf("properties read back (-want +got):\n%s", diff)
		}
		if got := githubUnescape.Replace(data); got != noOldForm.Replace(message) {
			t.Errorf("message read back as %q, want %q", got, message)
		}
	})
}

// githubUnescape undoes the runner's escapes in one pass, as it does.
var githubUnescape = strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",")
