package runner

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/zislint/zislint/internal/textsafe"
	"github.com/zislint/zislint/lint"
)

// Formats are the output formats of the report.
var Formats = []string{"text", "json", "github"}

// WriteReport writes the results in format: text, json or github.
func WriteReport(w io.Writer, format string, results []Result) error {
	var b strings.Builder
	switch format {
	case "json":
		if results == nil {
			results = []Result{}
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Tests []Result `json:"tests"`
		}{results})
	case "github":
		for _, r := range results {
			switch r.Status {
			case StatusFail:
				fmt.Fprintf(&b, "::error file=%s,line=%d,title=zislint test::%s\n",
					lint.EscapeGitHubProperty(r.File), r.Line, lint.EscapeGitHubData(r.Name+" failed\n"+Details(r)))
			case StatusError:
				fmt.Fprintf(&b, "::error file=%s,line=%d,title=zislint test::%s\n",
					lint.EscapeGitHubProperty(r.File), r.Line, lint.EscapeGitHubData(r.Name+"\n"+r.Error))
			case StatusUpdated:
				fmt.Fprintf(&b, "::notice file=%s,line=1,title=zislint test::%s\n",
					lint.EscapeGitHubProperty(r.File), lint.EscapeGitHubData(r.Name+": golden updated"))
			}
			for _, w := range r.Warnings {
				fmt.Fprintf(&b, "::warning file=%s,line=%d%s,title=zislint test::%s\n",
					lint.EscapeGitHubProperty(w.File), w.Line, w.columnProperty(), lint.EscapeGitHubData(r.Name+": "+w.Message))
			}
		}
	default:
		for _, r := range results {
			if r.Status == StatusError {
				continue // already on standard error, where text reports it
			}
			label := map[string]string{StatusPass: "ok  ", StatusFail: "FAIL", StatusUpdated: "UPDATED"}[r.Status]
			fmt.Fprintf(&b, "%s %s (%s)\n", label, textsafe.Name(r.Name), textsafe.Name(r.File))
			if r.Status == StatusFail {
				b.WriteString(indentLines(Details(r), "    "))
			}
			for _, w := range r.Warnings {
				fmt.Fprintf(&b, "    warning: %s: %s\n", w.position(), textsafe.Escape(w.Message))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Details is what a failure shows: its problems, then the diff.
func Details(r Result) string {
	return strings.TrimRight(strings.TrimRight(r.Error, "\n")+"\n"+r.Diff, "\n")
}

func indentLines(s, prefix string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line != "" {
			b.WriteString(prefix)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// position is file:line, or file:line:col when the column is known.
func (w Warning) position() string {
	if w.Column == 0 {
		return fmt.Sprintf("%s:%d", textsafe.Name(w.File), w.Line)
	}
	return fmt.Sprintf("%s:%d:%d", textsafe.Name(w.File), w.Line, w.Column)
}

// columnProperty is the annotation's col property, when the column is
// known.
func (w Warning) columnProperty() string {
	if w.Column == 0 {
		return ""
	}
	return fmt.Sprintf(",col=%d", w.Column)
}
