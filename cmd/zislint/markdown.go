package main

import (
	"strings"

	"github.com/zislint/zislint/internal/textsafe"
)

// The step summary is Markdown that GitHub renders on the run's page, and
// names, messages and file names in it come from the pull request. These
// functions are the only way such text enters the summary: mdText for
// Markdown text (table cells, headings, lists), htmlText inside HTML
// elements, codeSpan for inline code. None lets the text make a link, an
// image or HTML, or leave the table row, code span or <details> block it
// sits in.

// markdownEscaper escapes what would start markup: backslash escapes,
// code spans, link and image brackets, HTML, table pipes; and breaks the
// bare URLs, www. names and e-mail addresses GitHub would turn into links
// (a backslash before ASCII punctuation renders as the punctuation
// alone). Line breaks become <br>, so a cell keeps its row.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "|", `\|`,
	"://", `:\/\/`, "www.", `www\.`, "@", `\@`,
	"\r\n", "<br>", "\n", "<br>",
)

// mdText makes untrusted text safe as Markdown text on one line.
func mdText(s string) string { return markdownEscaper.Replace(textsafe.Escape(s)) }

// markupEscaper neutralizes HTML; quotes stay as they are so messages
// remain readable.
var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// htmlText makes untrusted text safe inside an HTML element such as
// <pre>: GitHub does not read Markdown there, so only HTML is escaped.
func htmlText(s string) string { return markupEscaper.Replace(textsafe.Escape(s)) }

// htmlLine is htmlText on one line, for a <summary>: a blank line would
// end the HTML block and turn what follows back into Markdown.
func htmlLine(s string) string { return htmlText(oneLineText(s)) }

// codeSpan writes s as inline code, fenced with more backticks than it
// holds in a row, on one line; pipes are escaped for table cells, where
// GitHub reads \| as a pipe even in code.
func codeSpan(s string) string {
	s = strings.ReplaceAll(oneLineText(textsafe.Escape(s)), "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	// A space on each side, which Markdown strips, keeps a backtick at
	// either end from joining the fence, and spaces at both ends from
	// being stripped.
	if s == "" || s[0] == '`' || s[len(s)-1] == '`' || s[0] == ' ' && s[len(s)-1] == ' ' {
		s = " " + s + " "
	}
	return fence + s + fence
}
