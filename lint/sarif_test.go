package lint

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/config"
	"github.com/zislint/zislint/rules"
)

// The SARIF 2.1.0 structure the tests read back, written independently
// of the writer's types so a wrong tag there shows up here.
type (
	sarifLogIn struct {
		Schema  string `json:"$schema"`
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name           string
					InformationURI string `json:"informationUri"`
					Rules          []ruleIn
				}
			}
			ColumnKind string
			Results    []resultIn
		}
	}
	ruleIn struct {
		ID                   string
		Name                 string
		ShortDescription     textIn
		FullDescription      textIn
		Help                 textIn
		DefaultConfiguration struct{ Level string }
	}
	textIn   struct{ Text string }
	resultIn struct {
		RuleID    string
		RuleIndex int
		Level     string
		Message   textIn
		Locations []struct {
			PhysicalLocation struct {
				ArtifactLocation struct {
					URI       string
					URIBaseID string `json:"uriBaseId"`
				}
				Region *regionIn
			}
		}
	}
	regionIn struct{ StartLine, StartColumn, EndLine, EndColumn int }
	// resultView is a result flattened for comparison.
	resultView struct {
		RuleID, Level, Message, URI, URIBaseID string
		RuleIndex                              int
		Region                                 *regionIn
	}
)

// readSARIF checks out against the SARIF 2.1.0 schema by hand and parses it.
func readSARIF(t *testing.T, out []byte) sarifLogIn {
	t.Helper()
	checkSARIFSchema(t, out)
	var log sarifLogIn
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, out)
	}
	if log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || log.Version != "2.1.0" {
		t.Errorf("$schema %q, version %q", log.Schema, log.Version)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	d := log.Runs[0].Tool.Driver
	if d.Name != "zislint" || d.InformationURI != "https://github.com/zislint/zislint" {
		t.Errorf("driver %q %q", d.Name, d.InformationURI)
	}
	if log.Runs[0].ColumnKind != "utf16CodeUnits" {
		t.Errorf("columnKind %q", log.Runs[0].ColumnKind)
	}
	return log
}

func views(log sarifLogIn) []resultView {
	var out []resultView
	for _, r := range log.Runs[0].Results {
		v := resultView{RuleID: r.RuleID, RuleIndex: r.RuleIndex, Level: r.Level, Message: r.Message.Text}
		if len(r.Locations) == 1 {
			pl := r.Locations[0].PhysicalLocation
			v.URI, v.URIBaseID, v.Region = pl.ArtifactLocation.URI, pl.ArtifactLocation.URIBaseID, pl.Region
		}
		out = append(out, v)
	}
	return out
}

func TestWriteSARIFRules(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, &Result{}); err != nil {
		t.Fatal(err)
	}
	log := readSARIF(t, buf.Bytes())
	if !strings.Contains(buf.String(), `"results": []`) {
		t.Errorf("no findings should give an empty results list:\n%s", buf.String())
	}
	levels := map[config.Severity]string{config.SeverityError: "error", config.SeverityWarning: "warning", config.SeverityInfo: "note"}
	var want []ruleIn
	for _, r := range rules.All() {
		w := ruleIn{ID: r.ID, Name: r.Name(), ShortDescription: textIn{r.Summary()},
			FullDescription: textIn{r.Analyzer.Doc}, Help: textIn{r.Analyzer.Doc}}
		w.DefaultConfiguration.Level = levels[r.Severity]
		want = append(want, w)
	}
	if diff := cmp.Diff(want, log.Runs[0].Tool.Driver.Rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	// A warning-by-default rule must come out as a warning, not the
	// first level in the table.
	if r := rules.Lookup("unreachable_state"); r == nil || r.Severity != config.SeverityWarning {
		t.Fatal("unreachable_state is no longer a warning; pick another rule for this check")
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if r.ID == rules.Lookup("unreachable_state").ID && r.DefaultConfiguration.Level != "warning" {
			t.Errorf("%s level %q, want warning", r.ID, r.DefaultConfiguration.Level)
		}
	}
}

func TestWriteSARIFResults(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the table uses Unix absolute paths")
	}
	const cwd = "/repo"
	// Byte columns on the line: "é" is 2 bytes and 1 UTF-16 unit, "☕" 3
	// bytes and 1 unit, "😀" 4 bytes and 2 units (a surrogate pair).
	line := `  "Next": "Café ☕ 😀", "X": "y"`
	src := "{\n" + line + "\n}\n"
	byteCol := func(s string) int { return strings.Index(line, s) + 1 }
	sources := map[string][]byte{"u.json": []byte(src), "/repo/u2.json": []byte(src)}
	index := func(id string) int {
		return slices.IndexFunc(rules.All(), func(r *rules.Rule) bool { return r.ID == id })
	}
	finding := func(file string, line, col, endLine, endCol int) Finding {
		return Finding{File: file, Line: line, Column: col, EndLine: endLine, EndColumn: endCol,
			Rule: "ZIS302", Name: "unknown_state", Severity: config.SeverityError, Message: "m"}
	}
	view := func(uri, base string, reg *regionIn) resultView {
		return resultView{RuleID: "ZIS302", RuleIndex: index("ZIS302"), Level: "error", Message: "m", URI: uri, URIBaseID: base, Region: reg}
	}
	tests := []struct {
		name    string
		finding Finding
		want    resultView
	}{
		{"relative path, ASCII",
			finding("b.json", 3, 5, 3, 9),
			view("b.json", "%SRCROOT%", &regionIn{3, 5, 3, 9})},
		{"nested path keeps forward slashes",
			finding(filepath.Join("integrations", "refunds", "bundle.json"), 1, 1, 1, 2),
			view("integrations/refunds/bundle.json", "%SRCROOT%", &regionIn{1, 1, 1, 2})},
		{"dot segments are cleaned",
			finding("./a/../b.json", 1, 1, 1, 2),
			view("b.json", "%SRCROOT%", &regionIn{1, 1, 1, 2})},
		{"absolute path under the working directory becomes relative",
			finding("/repo/sub/b.json", 2, 1, 2, 3),
			view("sub/b.json", "%SRCROOT%", &regionIn{2, 1, 2, 3})},
		{"absolute path outside the working directory is a file URI",
			finding("/elsewhere/b.json", 2, 1, 2, 3),
			view("file:///elsewhere/b.json", "", &regionIn{2, 1, 2, 3})},
		{"relative path above the working directory is a file URI",
			finding("../up/b.json", 2, 1, 2, 3),
			view("file:///up/b.json", "", &regionIn{2, 1, 2, 3})},
		{"reserved characters are percent-encoded",
			finding("my bundles/a#1%.json", 1, 1, 1, 2),
			view("my%20bundles/a%231%25.json", "%SRCROOT%", &regionIn{1, 1, 1, 2})},
		{"a colon in the first segment does not read as a scheme",
			finding("c:d.json", 1, 1, 1, 2),
			view("./c:d.json", "%SRCROOT%", &regionIn{1, 1, 1, 2})},
		{"columns before non-ASCII text are unchanged",
			finding("u.json", 2, byteCol(`"Caf`), 2, byteCol(`"Caf`)+4),
			view("u.json", "%SRCROOT%", &regionIn{2, 11, 2, 15})},
		{"columns after non-ASCII text count UTF-16 units",
			// `"y"` is at byte column 34; before it é, ☕ and 😀 take 9
			// bytes but 4 units, so it is at unit column 29.
			finding("u.json", 2, byteCol(`"y"`), 2, byteCol(`"y"`)+3),
			view("u.json", "%SRCROOT%", &regionIn{2, 29, 2, 32})},
		{"a range over non-ASCII text",
			finding("u.json", 2, byteCol(`"Caf`), 2, byteCol(`", "X"`)+1),
			view("u.json", "%SRCROOT%", &regionIn{2, 11, 2, 22})},
		{"the end on a later line converts with that line",
			finding("u.json", 1, 1, 2, byteCol(`"y"`)),
			view("u.json", "%SRCROOT%", &regionIn{1, 1, 2, 29})},
		{"an absolute path finds its source by the finding's file",
			finding("/repo/u2.json", 2, byteCol(`"y"`), 2, byteCol(`"y"`)+3),
			view("u2.json", "%SRCROOT%", &regionIn{2, 29, 2, 32})},
		{"without the source, byte columns are kept",
			finding("nosource.json", 2, byteCol(`"y"`), 2, byteCol(`"y"`)+3),
			view("nosource.json", "%SRCROOT%", &regionIn{2, 34, 2, 37})},
		{"no line, no region",
			finding("b.json", 0, 0, 0, 0),
			view("b.json", "%SRCROOT%", nil)},
		{"no end, start only",
			finding("b.json", 4, 2, 0, 0),
			view("b.json", "%SRCROOT%", &regionIn{StartLine: 4, StartColumn: 2})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := writeSARIF(&buf, &Result{Findings: []Finding{tt.finding}, Sources: sources}, cwd); err != nil {
				t.Fatal(err)
			}
			got := views(readSARIF(t, buf.Bytes()))
			if diff := cmp.Diff([]resultView{tt.want}, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteSARIFLevelsAndRuleIndex(t *testing.T) {
	res := &Result{Findings: []Finding{
		{File: "a.json", Line: 1, Column: 1, EndLine: 1, EndColumn: 2, Rule: "ZIS001", Name: "syntax", Severity: config.SeverityError, Message: "e"},
		// The configured severity wins over the rule's default.
		{File: "a.json", Line: 2, Column: 1, EndLine: 2, EndColumn: 2, Rule: "ZIS302", Name: "unknown_state", Severity: config.SeverityWarning, Message: "w"},
		{File: "a.json", Line: 3, Column: 1, EndLine: 3, EndColumn: 2, Rule: "ZIS402", Name: "unauthenticated_call", Severity: config.SeverityInfo, Message: "i"},
		{File: "a.json", Line: 4, Column: 1, EndLine: 4, EndColumn: 2, Rule: "ZIS999", Name: "test_only", Severity: config.SeverityError, Message: "x"},
	}}
	var buf bytes.Buffer
	if err := writeSARIF(&buf, res, ""); err != nil {
		t.Fatal(err)
	}
	log := readSARIF(t, buf.Bytes())
	rs := log.Runs[0].Tool.Driver.Rules
	type got struct{ RuleID, IndexedID, Level, Message string }
	var gots []got
	for _, r := range log.Runs[0].Results {
		g := got{RuleID: r.RuleID, Level: r.Level, Message: r.Message.Text}
		if r.RuleIndex >= 0 && r.RuleIndex < len(rs) {
			g.IndexedID = rs[r.RuleIndex].ID
		}
		gots = append(gots, g)
	}
	want := []got{
		{"ZIS001", "ZIS001", "error", "e"},
		{"ZIS302", "ZIS302", "warning", "w"},
		{"ZIS402", "ZIS402", "note", "i"},
		{"ZIS999", "ZIS999", "error", "x"},
	}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if n := len(rules.All()); len(rs) != n+1 || rs[n].Name != "test_only" {
		t.Errorf("an unknown rule should be appended after the %d known ones; rules end with %+v", n, rs[len(rs)-1])
	}
}

func TestWriteSARIFRealBundle(t *testing.T) {
	broken := strings.Replace(refundsBundle(t), `"Finish": {`, `"Done": {`, 1)
	dir := writeFiles(t, map[string]string{"bundle.json": broken})
	res, err := Run([]string{dir}, Options{NoConfigSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("the broken bundle drew no findings")
	}
	var buf bytes.Buffer
	if err := writeSARIF(&buf, res, dir); err != nil {
		t.Fatal(err)
	}
	log := readSARIF(t, buf.Bytes())
	if got := len(log.Runs[0].Results); got != len(res.Findings) {
		t.Fatalf("%d results for %d findings", got, len(res.Findings))
	}
	for _, v := range views(log) {
		if v.URI != "bundle.json" || v.URIBaseID != "%SRCROOT%" {
			t.Errorf("location %q (base %q), want bundle.json under %%SRCROOT%%", v.URI, v.URIBaseID)
		}
	}
}

func TestUTF16Column(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		col     int
		roundUp bool
		want    int
	}{
		{"start of line", "abc", 1, false, 1},
		{"ASCII", "abc", 3, false, 3},
		{"end of line", "abc", 4, false, 4},
		{"past the end", "abc", 6, false, 6},
		{"after a 2-byte character", "éa", 3, false, 2},
		{"after a 3-byte character", "☕a", 4, false, 2},
		{"after a surrogate pair", "😀a", 5, false, 3},
		{"after all three", "é☕😀x", 10, false, 5},
		{"inside a character, start", "a😀b", 3, false, 2},
		{"inside a character, end", "a😀b", 3, true, 4},
		{"invalid UTF-8 counts per byte", "\xff\xfea", 3, false, 3},
		{"truncated sequence counts per byte", "\xe2\x98a", 3, false, 3},
		{"zero column", "abc", 0, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := utf16Column([]byte(tt.line), tt.col, tt.roundUp); got != tt.want {
				t.Errorf("utf16Column(%q, %d, %v) = %d, want %d", tt.line, tt.col, tt.roundUp, got, tt.want)
			}
		})
	}
}

// FuzzWriteFormats writes arbitrary findings over arbitrary sources:
// neither format may fail or panic, SARIF must stay valid, and UTF-16
// columns must agree with converting the line prefix wholesale.
func FuzzWriteFormats(f *testing.F) {
	f.Add([]byte("{\n  \"a\": \"é☕😀\"\n}"), "x.json", 2, 5, 2, 12, "m")
	f.Add([]byte("\xff\n\r\n"), "../a,b:c.json", 3, 9, 1, 0, "50%\r\n::")
	f.Fuzz(func(t *testing.T, src []byte, file string, line, col, endLine, endCol int, msg string) {
		res := &Result{
			Findings: []Finding{{File: file, Line: line, Column: col, EndLine: endLine, EndColumn: endCol,
				Rule: "ZIS302", Name: "unknown_state", Severity: config.SeverityError, Message: msg}},
			Sources: map[string][]byte{file: src},
		}
		var buf bytes.Buffer
		if err := writeSARIF(&buf, res, "/repo"); err != nil {
			t.Fatal(err)
		}
		checkSARIFSchema(t, buf.Bytes())
		buf.Reset()
		if err := WriteGitHub(&buf, res); err != nil {
			t.Fatal(err)
		}
		if strings.Count(buf.String(), "\n") != 1 {
			t.Fatalf("github output is not one line: %q", buf.String())
		}
		if line >= 1 && col >= 1 {
			text := sourceLine(src, line)
			if text == nil || col-1 > len(text) {
				return
			}
			prefix := text[:col-1]
			// A split or invalid character decodes differently in []rune.
			if !utf8.Valid(prefix) {
				return
			}
			want := len(utf16.Encode([]rune(string(prefix)))) + 1
			if got := utf16Column(text, col, false); got != want {
				t.Fatalf("utf16Column(%q, %d) = %d, want %d", text, col, got, want)
			}
		}
	})
}

// checkSARIFSchema checks the properties SARIF 2.1.0's JSON schema
// requires, the enumerations and minimums it sets, and that every
// property zislint writes is one the schema defines for that object (a
// misspelt name would otherwise be silently ignored by viewers). The
// schema itself is not available offline, so its rules are restated here
// for the objects zislint writes.
func checkSARIFSchema(t *testing.T, out []byte) {
	t.Helper()
	var doc any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, out)
	}
	c := &schemaChecker{t: t}
	c.object("sarifLog", doc, []string{"version", "runs"}, "$schema", "version", "runs")
	log, _ := doc.(map[string]any)
	c.enum("sarifLog.version", log["version"], "2.1.0")
	c.uri("sarifLog.$schema", log["$schema"], true)
	for i, run := range c.array("sarifLog.runs", log["runs"], 1) {
		p := fmt.Sprintf("runs[%d]", i)
		c.object(p, run, []string{"tool"}, "tool", "columnKind", "results")
		r, _ := run.(map[string]any)
		if v, ok := r["columnKind"]; ok {
			c.enum(p+".columnKind", v, "utf16CodeUnits", "unicodeCodePoints")
		}
		c.object(p+".tool", r["tool"], []string{"driver"}, "driver")
		tool, _ := r["tool"].(map[string]any)
		c.object(p+".tool.driver", tool["driver"], []string{"name"}, "name", "informationUri", "rules")
		driver, _ := tool["driver"].(map[string]any)
		c.str(p+".tool.driver.name", driver["name"])
		c.uri(p+".tool.driver.informationUri", driver["informationUri"], true)
		var ruleIDs []string
		for j, rule := range c.array(p+".tool.driver.rules", driver["rules"], 0) {
			rp := fmt.Sprintf("%s.tool.driver.rules[%d]", p, j)
			c.object(rp, rule, []string{"id"}, "id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration")
			rm, _ := rule.(map[string]any)
			id, _ := rm["id"].(string)
			c.str(rp+".id", rm["id"])
			if slices.Contains(ruleIDs, id) {
				t.Errorf("%s: rule id %q listed twice", rp, id)
			}
			ruleIDs = append(ruleIDs, id)
			for _, k := range []string{"shortDescription", "fullDescription", "help"} {
				if v, ok := rm[k]; ok {
					c.object(rp+"."+k, v, []string{"text"}, "text")
					m, _ := v.(map[string]any)
					c.str(rp+"."+k+".text", m["text"])
				}
			}
			if v, ok := rm["defaultConfiguration"]; ok {
				c.object(rp+".defaultConfiguration", v, nil, "level")
				m, _ := v.(map[string]any)
				c.enum(rp+".defaultConfiguration.level", m["level"], "none", "note", "warning", "error")
			}
		}
		results, ok := r["results"]
		if !ok {
			continue
		}
		for j, res := range c.array(p+".results", results, 0) {
			rp := fmt.Sprintf("%s.results[%d]", p, j)
			c.object(rp, res, []string{"message"}, "ruleId", "ruleIndex", "level", "message", "locations")
			rm, _ := res.(map[string]any)
			c.object(rp+".message", rm["message"], []string{"text"}, "text")
			msg, _ := rm["message"].(map[string]any)
			c.str(rp+".message.text", msg["text"])
			if v, ok := rm["level"]; ok {
				c.enum(rp+".level", v, "none", "note", "warning", "error")
			}
			if v, ok := rm["ruleIndex"]; ok {
				i := c.integer(rp+".ruleIndex", v, -1)
				if i >= len(ruleIDs) {
					t.Errorf("%s.ruleIndex %d: only %d rules", rp, i, len(ruleIDs))
				} else if id, _ := rm["ruleId"].(string); i >= 0 && ruleIDs[i] != id {
					t.Errorf("%s.ruleIndex %d names %q, ruleId is %q", rp, i, ruleIDs[i], id)
				}
			}
			for k, loc := range c.array(rp+".locations", rm["locations"], 0) {
				lp := fmt.Sprintf("%s.locations[%d]", rp, k)
				c.object(lp, loc, nil, "physicalLocation")
				lm, _ := loc.(map[string]any)
				// physicalLocation needs an address or an artifactLocation.
				c.object(lp+".physicalLocation", lm["physicalLocation"], []string{"artifactLocation"}, "artifactLocation", "region")
				pl, _ := lm["physicalLocation"].(map[string]any)
				c.object(lp+".physicalLocation.artifactLocation", pl["artifactLocation"], nil, "uri", "uriBaseId")
				al, _ := pl["artifactLocation"].(map[string]any)
				_, hasBase := al["uriBaseId"]
				c.uri(lp+".physicalLocation.artifactLocation.uri", al["uri"], !hasBase)
				if hasBase {
					c.str(lp+".physicalLocation.artifactLocation.uriBaseId", al["uriBaseId"])
				}
				if reg, ok := pl["region"]; ok {
					c.region(lp+".physicalLocation.region", reg)
				}
			}
		}
	}
}

type schemaChecker struct{ t *testing.T }

func (c *schemaChecker) object(path string, v any, required []string, known ...string) {
	c.t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		c.t.Errorf("%s: %T, want an object", path, v)
		return
	}
	for _, k := range required {
		if _, ok := m[k]; !ok {
			c.t.Errorf("%s: required property %q missing", path, k)
		}
	}
	for k := range m {
		if !slices.Contains(known, k) {
			c.t.Errorf("%s: property %q is not one zislint means to write", path, k)
		}
	}
}

func (c *schemaChecker) array(path string, v any, minItems int) []any {
	c.t.Helper()
	a, ok := v.([]any)
	if !ok {
		c.t.Errorf("%s: %T, want an array", path, v)
	} else if len(a) < minItems {
		c.t.Errorf("%s: %d items, want at least %d", path, len(a), minItems)
	}
	return a
}

func (c *schemaChecker) str(path string, v any) string {
	c.t.Helper()
	s, ok := v.(string)
	if !ok {
		c.t.Errorf("%s: %T, want a string", path, v)
	}
	return s
}

func (c *schemaChecker) enum(path string, v any, values ...string) {
	c.t.Helper()
	if s := c.str(path, v); !slices.Contains(values, s) {
		c.t.Errorf("%s: %q, want one of %q", path, s, values)
	}
}

func (c *schemaChecker) integer(path string, v any, min int) int {
	c.t.Helper()
	f, ok := v.(float64)
	if !ok || f != float64(int(f)) || int(f) < min {
		c.t.Errorf("%s: %v, want an integer ≥ %d", path, v, min)
	}
	return int(f)
}

// uri checks a URI, or a URI reference that is relative (no scheme) when
// absolute is false, as the schema's "uri" and "uri-reference" formats
// and the uriBaseId rules require.
func (c *schemaChecker) uri(path string, v any, absolute bool) {
	c.t.Helper()
	s := c.str(path, v)
	u, err := url.Parse(s)
	switch {
	case err != nil:
		c.t.Errorf("%s: %q is no URI: %v", path, s, err)
	case absolute && !u.IsAbs():
		c.t.Errorf("%s: %q, want an absolute URI", path, s)
	case !absolute && u.IsAbs():
		c.t.Errorf("%s: %q has a base id, so it must be relative", path, s)
	case strings.ContainsAny(s, " \\\t\n"):
		c.t.Errorf("%s: %q has characters a URI cannot hold", path, s)
	}
}

func (c *schemaChecker) region(path string, v any) {
	c.t.Helper()
	c.object(path, v, nil, "startLine", "startColumn", "endLine", "endColumn")
	m, _ := v.(map[string]any)
	// zislint always writes a start line; the columns and end are optional.
	if _, ok := m["startLine"]; !ok {
		c.t.Errorf("%s: no startLine", path)
		return
	}
	get := func(k string) int {
		if v, ok := m[k]; ok {
			return c.integer(path+"."+k, v, 1)
		}
		return 0
	}
	sl, sc, el, ec := get("startLine"), get("startColumn"), get("endLine"), get("endColumn")
	if el != 0 && el < sl {
		c.t.Errorf("%s: endLine %d before startLine %d", path, el, sl)
	}
	if (el == 0 || el == sl) && ec != 0 && ec < sc {
		c.t.Errorf("%s: endColumn %d before startColumn %d", path, ec, sc)
	}
}
