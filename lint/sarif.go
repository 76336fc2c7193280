package lint

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/rules"
)

// The SARIF 2.1.0 subset zislint writes. Field order follows the
// specification's examples so the output reads naturally.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string              `json:"id"`
		Name                 string              `json:"name,omitempty"`
		ShortDescription     *sarifText          `json:"shortDescription,omitempty"`
		FullDescription      *sarifText          `json:"fullDescription,omitempty"`
		Help                 *sarifText          `json:"help,omitempty"`
		DefaultConfiguration *sarifConfiguration `json:"defaultConfiguration,omitempty"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifResult struct {
		RuleID string `json:"ruleId,omitempty"`
		// RuleIndex is a pointer because 0 is a valid index and SARIF's
		// "no rule" is an absent property (or -1), not 0.
		RuleIndex *int            `json:"ruleIndex,omitempty"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	// Zero means absent: SARIF lines and columns start at 1.
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// srcRoot is the base id GitHub code scanning resolves against the
	// repository root.
	srcRoot = "%SRCROOT%"
)

// WriteSARIF writes the findings as a SARIF 2.1.0 log with one run, for
// GitHub code scanning and other SARIF viewers. Every rule is listed, so
// a viewer can describe rules that found nothing this time. File URIs
// are relative to the working directory; columns count UTF-16 code
// units, SARIF's default, converted from the findings' byte columns.
func WriteSARIF(w io.Writer, res *Result) error {
	// Without a working directory, relative paths still work; only
	// absolute ones fall back to file URIs.
	cwd, _ := os.Getwd()
	return writeSARIF(w, res, cwd)
}

func writeSARIF(w io.Writer, res *Result, cwd string) error {
	all := rules.All()
	driver := sarifDriver{
		Name:           "zislint",
		InformationURI: "https://github.com/zislint/zislint",
		Rules:          make([]sarifRule, 0, len(all)),
	}
	index := make(map[string]int, len(all))
	for _, r := range all {
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   r.ID,
			Name:                 r.Name(),
			ShortDescription:     &sarifText{r.Summary()},
			FullDescription:      &sarifText{r.Analyzer.Doc},
			Help:                 &sarifText{r.Analyzer.Doc},
			DefaultConfiguration: &sarifConfiguration{sarifLevel(r.Severity)},
		})
	}
	cols := columnConverter{sources: res.Sources, lines: map[string][]int{}}
	results := make([]sarifResult, 0, len(res.Findings))
	for _, f := range res.Findings {
		r := sarifResult{
			RuleID:  f.Rule,
			Level:   sarifLevel(f.Severity),
			Message: sarifText{f.Message},
		}
		if f.Rule != "" {
			i, ok := index[f.Rule]
			if !ok {
				// A rule outside rules.All() (a test's, say) still gets a
				// descriptor, so every ruleIndex points at its rule.
				i = len(driver.Rules)
				index[f.Rule] = i
				driver.Rules = append(driver.Rules, sarifRule{ID: f.Rule, Name: f.Name})
			}
			r.RuleIndex = &i
		}
		uri, base := artifactURI(f.File, cwd)
		r.Locations = []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: uri, URIBaseID: base},
			Region:           cols.region(f),
		}}}
		results = append(results, r)
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool:       sarifTool{Driver: driver},
			ColumnKind: "utf16CodeUnits",
			Results:    results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Messages and docs quote <placeholders>; \u003c would only hurt
	// people reading the log.
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// sarifLevel maps a severity to a SARIF level. "none" only shows up for
// severities the driver never reports, and is still a valid level.
func sarifLevel(s config.Severity) string {
	switch s {
	case config.SeverityError:
		return "error"
	case config.SeverityWarning:
		return "warning"
	case config.SeverityInfo:
		return "note"
	}
	return "none"
}

// artifactURI returns the URI of path and its base id. Paths under cwd
// become relative URIs against %SRCROOT%, which GitHub code scanning
// resolves against the repository root; a path outside cwd would need
// "..", which escapes that root, so it becomes an absolute file URI.
func artifactURI(path, cwd string) (uri, baseID string) {
	abs := path
	if !filepath.IsAbs(path) {
		if cwd == "" {
			return relativeURI(path), srcRoot
		}
		abs = filepath.Join(cwd, path)
	}
	if cwd != "" {
		if rel, err := filepath.Rel(cwd, abs); err == nil && filepath.IsLocal(rel) {
			return relativeURI(rel), srcRoot
		}
	}
	p := filepath.ToSlash(filepath.Clean(abs))
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path, C:/x, becomes file:///C:/x
	}
	return (&url.URL{Scheme: "file", Path: p}).String(), ""
}

// relativeURI percent-encodes a relative path as a URI reference; url.URL
// also guards a first segment with a colon, which would read as a scheme.
func relativeURI(path string) string {
	return (&url.URL{Path: filepath.ToSlash(filepath.Clean(path))}).String()
}

// columnConverter turns the findings' byte columns into UTF-16 columns,
// indexing each file's line starts once.
type columnConverter struct {
	sources map[string][]byte
	lines   map[string][]int // file → byte offset of each line's start
}

// region returns the finding's SARIF region, or nil when it has no line.
// Without the file's source, columns stay in bytes, which equal UTF-16
// units for ASCII text.
func (c *columnConverter) region(f Finding) *sarifRegion {
	if f.Line < 1 {
		return nil
	}
	reg := &sarifRegion{StartLine: f.Line}
	if f.Column >= 1 {
		reg.StartColumn = c.column(f.File, f.Line, f.Column, false)
	}
	if f.EndLine < f.Line {
		return reg
	}
	reg.EndLine = f.EndLine
	if f.EndColumn >= 1 {
		reg.EndColumn = c.column(f.File, f.EndLine, f.EndColumn, true)
		if reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn {
			reg.EndColumn = reg.StartColumn
		}
	}
	return reg
}

// column converts a 1-based byte column on a 1-based line. A column
// inside a multi-byte character moves to its start, or to its end when
// roundUp is set, so a range keeps covering the character.
func (c *columnConverter) column(file string, line, col int, roundUp bool) int {
	src, ok := c.sources[file]
	if !ok {
		return col
	}
	starts, ok := c.lines[file]
	if !ok {
		starts = lineStarts(src)
		c.lines[file] = starts
	}
	if line > len(starts) {
		return col
	}
	text := src[starts[line-1]:]
	if nl := bytes.IndexByte(text, '\n'); nl >= 0 {
		text = text[:nl]
	}
	return utf16Column(text, col, roundUp)
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// utf16Column converts a 1-based byte column in line to a 1-based UTF-16
// column. Invalid UTF-8 bytes count one unit each, as each decodes to
// U+FFFD; bytes past the line (a column at its end) count one each too.
func utf16Column(line []byte, col int, roundUp bool) int {
	off := col - 1
	units, i := 0, 0
	for i < off && i < len(line) {
		r, size := utf8.DecodeRune(line[i:])
		n := max(1, utf16.RuneLen(r))
		if i+size > off {
			if roundUp {
				units += n
			}
			i = off
			break
		}
		units += n
		i += size
	}
	return units + max(0, off-i) + 1
}
