package lint

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/zislint/zislint/config"
)

// WriteGitHub writes one GitHub Actions workflow command per finding,
//
//	::error file=F,line=L,col=C,endLine=L,endColumn=C,title=ZIS302 unknown_state::message
//
// so a workflow step that runs zislint annotates the bundle's lines in
// the run summary and the pull request. Info findings become notices.
func WriteGitHub(w io.Writer, res *Result) error {
	var buf bytes.Buffer
	for _, f := range res.Findings {
		buf.WriteString("::")
		buf.WriteString(githubCommand(f.Severity))
		sep := byte(' ')
		prop := func(key, value string) {
			buf.WriteByte(sep)
			sep = ','
			buf.WriteString(key)
			buf.WriteByte('=')
			buf.WriteString(EscapeGitHubProperty(value))
		}
		prop("file", f.File)
		// The runner reads a missing or zero position as "no position";
		// leaving them out keeps a file-level finding valid.
		for _, p := range []struct {
			key   string
			value int
		}{{"line", f.Line}, {"col", f.Column}, {"endLine", f.EndLine}, {"endColumn", f.EndColumn}} {
			if p.value > 0 {
				prop(p.key, strconv.Itoa(p.value))
			}
		}
		prop("title", strings.TrimSpace(f.Rule+" "+f.Name))
		buf.WriteString("::")
		buf.WriteString(EscapeGitHubData(f.Message))
		buf.WriteByte('\n')
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func githubCommand(s config.Severity) string {
	switch {
	case s >= config.SeverityError:
		return "error"
	case s == config.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// The runner unescapes these in messages and property values. A
// Replacer makes one pass, so the % of an added escape is not escaped
// again. "##[", the older form of a workflow command, gets a backslash:
// the runner logs an annotation's text as a line, where that form would
// be read again.
var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", "##[", `#\#[`)
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C", "##[", `#\#[`)
)

// EscapeGitHubData escapes the message of a workflow command.
func EscapeGitHubData(s string) string { return githubData.Replace(s) }

// EscapeGitHubProperty escapes a property value of a workflow command;
// it also escapes the separators of the property list.
func EscapeGitHubProperty(s string) string { return githubProperty.Replace(s) }
