package diagram

import (
	"fmt"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// Formats are the output formats of Render.
var Formats = []string{"mermaid", "dot", "markdown"}

// Render writes d in format: "mermaid", "dot", or "markdown" (a heading
// and a fenced Mermaid block, as GitHub renders it).
func Render(format string, d *Diagram) (string, error) {
	switch format {
	case "mermaid":
		return d.Mermaid(), nil
	case "dot":
		return d.DOT(), nil
	case "markdown":
		return "### " + MarkdownText(d.Title) + "\n\n" + Fenced(d), nil
	}
	return "", fmt.Errorf("unknown diagram format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// Fenced is d as a Mermaid code block for Markdown.
func Fenced(d *Diagram) string {
	return "```mermaid\n" + d.Mermaid() + "```\n"
}

// markdownEscaper keeps flow names literal in Markdown text.
var markdownEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", `\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`,
	"[", `\[`, "]", `\]`, "#", `\#`, "|", `\|`,
)

// MarkdownText makes s safe as one line of Markdown text.
func MarkdownText(s string) string { return markdownEscaper.Replace(oneLine(s)) }

// FindFlow returns the flow of b named name (its properties.name), or
// the flow whose resource key is name, or nil.
func FindFlow(b *bundle.Bundle, name string) *bundle.Resource {
	var byKey *bundle.Resource
	for _, f := range Flows(b) {
		if name != "" && f.NameText() == name {
			return f
		}
		if f.Key == name && byKey == nil {
			byKey = f
		}
	}
	return byKey
}

// FlowNames lists the names of the flows of b, for messages.
func FlowNames(b *bundle.Bundle) []string {
	var out []string
	for _, f := range Flows(b) {
		out = append(out, FlowName(f))
	}
	return out
}
