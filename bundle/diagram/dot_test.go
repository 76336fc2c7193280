package diagram

import (
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zislint/zislint/bundle"
)

// ---------------------------------------------------------------------
// Tests of the parser and of graphvizLabel.

// equateEmpty lets a want leave out empty maps and lists.
var equateEmpty = cmpopts.EquateEmpty()

func TestParseDOT(t *testing.T) {
	tests := []struct {
		name, src string
		want      *dotGraph
	}{{
		name: "nodes with several attribute lists",
		src:  `strict digraph G { a; b [label="x", shape=box; color=red][style=filled] }`,
		want: &dotGraph{Strict: true, Directed: true, Name: "G", Nodes: []dotNode{
			{ID: "a"},
			{ID: "b", Attrs: map[string]string{"label": "x", "shape": "box", "color": "red", "style": "filled"}},
		}},
	}, {
		name: "keywords in any case, attribute statements, nested subgraphs",
		src: "DiGraph {\n NODE [shape=box]; Edge [color=blue]\n Graph [rankdir=LR]\n" +
			" Subgraph cluster_x { label=\"X\"; graph [style=dashed] A\n subgraph cluster_y { B } }\n}",
		want: &dotGraph{
			Directed: true,
			Attrs:    map[string]string{"rankdir": "LR"},
			Defaults: []dotDefaults{
				{Kind: "node", Attrs: map[string]string{"shape": "box"}},
				{Kind: "edge", Attrs: map[string]string{"color": "blue"}},
			},
			Subgraphs: []*dotSubgraph{
				{Name: "cluster_x", Attrs: map[string]string{"label": "X", "style": "dashed"}},
				{Name: "cluster_y", Parent: "cluster_x"},
			},
			Nodes: []dotNode{{ID: "A", Subgraph: "cluster_x"}, {ID: "B", Subgraph: "cluster_y"}},
		},
	}, {
		name: "edge chain with attributes",
		src:  `digraph { a -> b -> "c" [label=l] }`,
		want: &dotGraph{Directed: true, Edges: []dotEdge{
			{From: "a", To: "b", Attrs: map[string]string{"label": "l"}},
			{From: "b", To: "c", Attrs: map[string]string{"label": "l"}},
		}},
	}, {
		name: `quoted strings: only \" is decoded, \\ stays, \ newline joins, + concatenates`,
		src:  "digraph \"a\\\"b\" { x [label=\"q\\\"x\\\\y\\N\\n\" + \"z\", tooltip=\"long \\\nline\"] }",
		want: &dotGraph{Directed: true, Name: `a"b`, Multiline: []string{"1:56"}, Nodes: []dotNode{
			{ID: "x", Attrs: map[string]string{"label": `q"x\\y\N\nz`, "tooltip": "long line"}},
		}},
	}, {
		name: "a quoted string ending in an escaped backslash",
		src:  `digraph { a [label="x\\"] }`,
		want: &dotGraph{Directed: true, Nodes: []dotNode{{ID: "a", Attrs: map[string]string{"label": `x\\`}}}},
	}, {
		name: "raw line break in a quoted string",
		src:  "digraph {\n a [label=\"two\nlines\"] }",
		want: &dotGraph{Directed: true, Multiline: []string{"2:11"}, Nodes: []dotNode{
			{ID: "a", Attrs: map[string]string{"label": "two\nlines"}},
		}},
	}, {
		name: "HTML strings nest",
		src:  `digraph { a [label=<<b>x &amp; <i>y</i></b>>] }`,
		want: &dotGraph{Directed: true, Nodes: []dotNode{
			{ID: "a", Attrs: map[string]string{"label": "<b>x &amp; <i>y</i></b>"}},
		}},
	}, {
		name: "comments of each kind",
		src:  "# 1 \"file.gv\"\ndigraph { // a -> b\n a /* -> c */ ; /* multi\nline */ b\n#x -> y\n}",
		want: &dotGraph{Directed: true, Nodes: []dotNode{{ID: "a"}, {ID: "b"}}},
	}, {
		name: "numerals, non-ASCII identifiers, ports, node lists",
		src:  `digraph { 1 [width=-.5, height=1.25]; été, _x9 [color=red]; a:p:n -> b:s }`,
		want: &dotGraph{Directed: true,
			Nodes: []dotNode{
				{ID: "1", Attrs: map[string]string{"width": "-.5", "height": "1.25"}},
				{ID: "été", Attrs: map[string]string{"color": "red"}},
				{ID: "_x9", Attrs: map[string]string{"color": "red"}},
			},
			Edges: []dotEdge{{From: "a", To: "b"}},
		},
	}, {
		name: "undirected graph, edges to subgraphs, anonymous subgraphs, ID = ID",
		src:  `graph { size="4,4"; a -- { b c } -- subgraph s { d }; { e } }`,
		want: &dotGraph{
			Attrs:     map[string]string{"size": "4,4"},
			Subgraphs: []*dotSubgraph{{Name: "%1"}, {Name: "s"}, {Name: "%2"}},
			Nodes:     []dotNode{{ID: "b", Subgraph: "%1"}, {ID: "c", Subgraph: "%1"}, {ID: "d", Subgraph: "s"}, {ID: "e", Subgraph: "%2"}},
			Edges:     []dotEdge{{From: "a", To: "b"}, {From: "a", To: "c"}, {From: "b", To: "d"}, {From: "c", To: "d"}},
		},
	}, {
		name: "keywords quoted are IDs",
		src:  `digraph "graph" { "node" -> "edge"; "subgraph" }`,
		want: &dotGraph{Directed: true, Name: "graph", Edges: []dotEdge{{From: "node", To: "edge"}}, Nodes: []dotNode{{ID: "subgraph"}}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDOT(tt.src)
			if err != nil {
				t.Fatalf("parseDOT(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
				t.Errorf("parseDOT(%q) (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestParseDOTRejects(t *testing.T) {
	tests := []struct {
		name, src, want string // want: the error, position first
	}{
		{"unterminated string", "digraph {\n a [label=\"x] }", `2:11: unterminated quoted string`},
		{"string ending in an escaped quote", `digraph { a [label="x\"] }`, `1:20: unterminated quoted string`},
		{"unterminated HTML string", `digraph { a [label=<<b>x</b>] }`, `1:20: unterminated HTML string`},
		{"unterminated comment", "digraph { a /* b }", `1:13: unterminated /* comment`},
		{"missing closing brace", "digraph {\n a -> b\n", `3:1: '{' at 1:9 is never closed`},
		{"missing closing brace of a subgraph", "digraph { subgraph x { a }", `1:27: '{' at 1:9 is never closed`},
		{"extra closing brace", "digraph { a } }", `1:15: unexpected "}" after the graph`},
		{"unclosed attribute list", "digraph { a [x=y }", `1:18: expected an ID, found "}"`},
		{"stray token", "digraph { a -> b ] }", `1:18: unexpected "]" where a statement should start`},
		{"stray semicolon", "digraph { a;; }", `1:13: unexpected ";" where a statement should start`},
		{"comma between statements", "digraph { node [shape=box], a }", `1:27: unexpected "," where a statement should start`},
		{"stray character", "digraph { a -> b & }", `1:18: unexpected character '&'`},
		{"'#' in mid-line", "digraph { a # b\n}", `1:13: unexpected character '#'`},
		{"undirected edge in a digraph", "digraph { a -- b }", `1:13: '--' in a digraph; its edges are written '->'`},
		{"directed edge in a graph", "graph { a -> b }", `1:11: '->' in an undirected graph; its edges are written '--'`},
		{"edge to nothing", "digraph { a -> }", `1:16: expected an ID, found "}"`},
		{"keyword as a node", "digraph { a -> node }", `1:16: expected an ID, found "node"`},
		{"attribute statement without a list", "digraph { node; }", `1:15: expected '[' after node, found ";"`},
		{"attribute without a value", "digraph { a [label] }", `1:19: expected "=", found "]"`},
		{"number running into letters", "digraph { 12ab }", `1:11: numeral "12" runs into 'a'`},
		{"'+' joining an unquoted ID", `digraph { a [label="x" + y] }`, `1:24: '+' must join two quoted strings, found ID "y"`},
		{"no graph keyword", "{ a }", `1:1: expected graph or digraph, found "{"`},
		{"empty input", "", `1:1: expected graph or digraph, found end of input`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseDOT(tt.src)
			if err == nil {
				t.Fatalf("parseDOT(%q) succeeded, want error %q", tt.src, tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("parseDOT(%q) error (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestGraphvizLabel(t *testing.T) {
	tests := []struct {
		in, want, err string // err: part of the error, "" for none
	}{
		{in: "plain text", want: "plain text"},
		{in: `a\nb\lc\rd`, want: "a\nb\nc\nd"},
		{in: `back\\slash`, want: `back\slash`},
		{in: `say "hi"`, want: `say "hi"`},
		{in: `\\N \\G`, want: `\N \G`},
		{in: `odd\x`, want: "oddx"},
		{in: `\\\\`, want: `\\`},
		{in: `&lt;b&gt; &amp; &#38; &#x26;`, want: `<b> & & &`},
		{in: `& &no-entity &amp`, want: `& &no-entity &amp`},
		{in: `node \N`, err: `\N at byte 5 would be replaced`},
		{in: `\\\G`, err: `\G at byte 2`},
		{in: `\E`, err: `\E`}, {in: `\T`, err: `\T`}, {in: `\H`, err: `\H`}, {in: `\L`, err: `\L`},
		{in: `x\`, err: "lone backslash"},
	}
	for _, tt := range tests {
		got, err := graphvizLabel(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("graphvizLabel(%q) = %q, %v; want an error containing %q", tt.in, got, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("graphvizLabel(%q): %v", tt.in, err)
		case got != tt.want:
			t.Errorf("graphvizLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// ---------------------------------------------------------------------
// The writer, read back.

// dotCase is a flow to draw, with the overlays to draw on it.
type dotCase struct {
	name string
	flow *bundle.Resource
	opts Options
}

func dotLoadFlows(t *testing.T, path string) []dotCase {
	t.Helper()
	b, err := bundle.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if b.Syntax != nil {
		return nil
	}
	var out []dotCase
	for _, f := range Flows(b) {
		out = append(out, dotCase{name: filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path) + "/" + FlowName(f), flow: f})
	}
	return out
}

func dotExampleFlows(t *testing.T) []dotCase {
	t.Helper()
	var out []dotCase
	for _, p := range []string{"../../testdata/refunds/bundle.json", "../../testdata/orders/bundle.json"} {
		flows := dotLoadFlows(t, p)
		if len(flows) == 0 {
			t.Fatalf("%s has no flow to draw", p)
		}
		out = append(out, flows...)
	}
	return out
}

// dotCorpusFlows reads the real-world bundles in place; the corpus is not
// part of the repository, so it may be absent.
func dotCorpusFlows(t *testing.T) []dotCase {
	t.Helper()
	paths, err := filepath.Glob("../../../shared/corpus/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []dotCase
	for _, p := range paths {
		out = append(out, dotLoadFlows(t, p)...)
	}
	return out
}

// shownLine is one line of a diagram as a label must show it. Lines hold
// names as the bundle spells them, control characters included, and a
// label breaks lines only between Lines, so a line break, tab or other
// control character inside a name shows as a space.
func shownLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// shownLabel is the label of attrs as Graphviz shows it; an undecodable
// label is reported and shown as its raw text.
func shownLabel(t *testing.T, what string, attrs map[string]string) string {
	t.Helper()
	raw, ok := attrs["label"]
	if !ok {
		return "(no label)"
	}
	text, err := graphvizLabel(raw)
	if err != nil {
		t.Errorf("label of %s: %v", what, err)
		return raw
	}
	return text
}

// shownNode is a node as a reader of the drawing sees it.
type shownNode struct{ ID, Cluster, Label string }

// shownEdge is an edge as a reader of the drawing sees it.
type shownEdge struct{ From, To, Label string }

// shownCluster is a subgraph as a reader of the drawing sees it.
type shownCluster struct{ Name, Parent, Label string }

func wantNodes(c *Cluster, subgraph string, out []shownNode) []shownNode {
	for _, n := range c.Nodes {
		lines := make([]string, len(n.Lines))
		for i, l := range n.Lines {
			lines[i] = shownLine(l)
		}
		out = append(out, shownNode{n.ID, subgraph, strings.Join(lines, "\n")})
	}
	for _, sub := range c.Clusters {
		out = wantNodes(sub, "cluster_"+sub.ID, out)
	}
	return out
}

func wantClusters(c *Cluster, parent string, out []shownCluster) []shownCluster {
	for _, sub := range c.Clusters {
		out = append(out, shownCluster{"cluster_" + sub.ID, parent, shownLine(sub.Title)})
		out = wantClusters(sub, "cluster_"+sub.ID, out)
	}
	return out
}

func wantEdges(d *Diagram) []shownEdge {
	var out []shownEdge
	for _, e := range d.Edges {
		out = append(out, shownEdge{e.From, e.To, shownLine(edgeText(e))})
	}
	return out
}

func gotNodes(t *testing.T, g *dotGraph) []shownNode {
	t.Helper()
	var out []shownNode
	for _, n := range g.Nodes {
		out = append(out, shownNode{n.ID, n.Subgraph, shownLabel(t, "node "+n.ID, n.Attrs)})
	}
	return out
}

func gotClusters(t *testing.T, g *dotGraph) []shownCluster {
	t.Helper()
	var out []shownCluster
	for _, s := range g.Subgraphs {
		out = append(out, shownCluster{s.Name, s.Parent, shownLabel(t, "subgraph "+s.Name, s.Attrs)})
	}
	return out
}

func gotEdges(t *testing.T, g *dotGraph) []shownEdge {
	t.Helper()
	var out []shownEdge
	for _, e := range g.Edges {
		label := ""
		if _, ok := e.Attrs["label"]; ok {
			label = shownLabel(t, "edge "+e.From+" -> "+e.To, e.Attrs)
		}
		out = append(out, shownEdge{e.From, e.To, label})
	}
	return out
}

// sortNodes orders nodes by ID: where a node is declared matters, not
// when.
var sortNodes = cmpopts.SortSlices(func(a, b shownNode) bool { return a.ID < b.ID })

var sortClusters = cmpopts.SortSlices(func(a, b shownCluster) bool { return a.Name < b.Name })

// checkDOT reads d.DOT() back and checks that it draws d: the same
// nodes, each declared once in the subgraph of its cluster, the same
// edges in the same order, and every label showing the diagram's text.
func checkDOT(t *testing.T, d *Diagram) {
	t.Helper()
	out := d.DOT()
	g, err := parseDOT(out)
	if err != nil {
		t.Fatalf("the DOT does not parse: %v\n%s", err, out)
	}
	if !g.Directed {
		t.Errorf("the graph is not a digraph")
	}
	if g.Name != shownLine(d.Title) {
		t.Errorf("the graph is named %q, want %q", g.Name, shownLine(d.Title))
	}
	if len(g.Multiline) > 0 {
		t.Errorf("quoted strings span lines at %v", g.Multiline)
	}
	if diff := cmp.Diff(wantNodes(&d.Root, "", nil), gotNodes(t, g), sortNodes); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantClusters(&d.Root, "", nil), gotClusters(t, g), sortClusters, equateEmpty); diff != "" {
		t.Errorf("subgraphs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantEdges(d), gotEdges(t, g), equateEmpty); diff != "" {
		t.Errorf("edges (-want +got):\n%s", diff)
	}
	checkEdgeEnds(t, g)
	if t.Failed() {
		t.Logf("the DOT:\n%s", out)
	}
}

// checkEdgeEnds reports edges to nodes no node statement declares, which
// Graphviz would draw as bare ellipses labelled with their IDs.
func checkEdgeEnds(t *testing.T, g *dotGraph) {
	t.Helper()
	declared := map[string]bool{}
	for _, n := range g.Nodes {
		declared[n.ID] = true
	}
	for _, e := range g.Edges {
		for _, id := range []string{e.From, e.To} {
			if !declared[id] {
				t.Errorf("edge %s -> %s: node %q is not declared", e.From, e.To, id)
			}
		}
	}
}

func TestDOTExampleFlows(t *testing.T) {
	for _, f := range dotExampleFlows(t) {
		t.Run(f.name, func(t *testing.T) { checkDOT(t, Build(f.flow, f.opts)) })
	}
}

func TestDOTCorpusFlows(t *testing.T) {
	flows := dotCorpusFlows(t)
	if len(flows) == 0 {
		t.Skip("no corpus at ../../../shared/corpus")
	}
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) { checkDOT(t, Build(f.flow, f.opts)) })
	}
}

// Names that would break a careless writer: DOT syntax, keywords,
// Graphviz's escapes (\N is the node's name), HTML, comments, control
// characters, and names that look like the writer's own node IDs.
var (
	hardNames = []string{
		"001.ZIS.LoadConfig", `say "hi"`, `back\slash\N`, "a -> b; c", "{braces} [brackets]",
		"<html>&amp;", "end", "subgraph", "node", "graph", "#hash", "% pct", "tab\there",
		"line\nbreak", "para\u2028sep", `trailing\`, `\G\E\T\H\L\l`, "// not a comment", "start", "s0", "finish",
	}
	hardChoice  = `choice "q" \N`
	hardMap     = `map {x} \G`
	hardMissing = `missing "state" \N`
	hardDone    = `done /* ok */`
)

// hardFlow is a flow over hardNames: an Action with a Catch, a chain of
// Pass states, a Choice with quotes and backslashes in its conditions, a
// Map, a missing state. extra adds states the change then removes.
func hardFlow(extra bool) map[string]any {
	states := map[string]any{}
	for i, name := range hardNames[:len(hardNames)-1] {
		states[name] = map[string]any{"Type": "Pass", "Next": hardNames[i+1]}
	}
	states[hardNames[0]] = map[string]any{
		"Type": "Action", "ActionName": `zis:acme:action:Load\N"x"`, "Next": hardNames[1],
		"Catch": []any{map[string]any{"ErrorEquals": []any{"States.ALL", `Err"or\N`}, "Next": "#hash"}},
	}
	states[hardNames[len(hardNames)-1]] = map[string]any{"Type": "Pass", "Next": hardChoice}
	states[hardChoice] = map[string]any{
		"Type": "Choice",
		"Choices": []any{
			map[string]any{"Variable": `$.a\N."q"`, "StringEquals": `say "hi" \ \N {x}`, "Next": hardMap},
			map[string]any{"Not": map[string]any{"Variable": "$.x\ny", "IsNull": true}, "Next": "end"},
		},
		"Default": hardMissing,
	}
	inner := map[string]any{"node": map[string]any{"Type": "Pass", "Next": "graph"}, "graph": map[string]any{"Type": "Wait", "Seconds": 1, "End": true}}
	states[hardMap] = map[string]any{
		"Type": "Map", "ItemsPath": `$.items\N`, "Next": hardDone,
		"Iterator": map[string]any{"StartAt": "node", "States": inner},
	}
	states[hardDone] = map[string]any{"Type": "Succeed"}
	if extra {
		states[`gone "x" \N`] = map[string]any{"Type": "Pass", "End": true}
		inner[`old\N`] = map[string]any{"Type": "Pass", "End": true}
		states["s0"] = map[string]any{"Type": "Pass", "Next": hardNames[len(hardNames)-2], "Comment": "before"}
	}
	return map[string]any{"StartAt": hardNames[0], "States": states}
}

func hardBundle(t *testing.T, extra bool) *bundle.Bundle {
	t.Helper()
	src, err := json.Marshal(map[string]any{
		"zis_template_version": bundle.TemplateVersion,
		"resources": map[string]any{"HardFlow": map[string]any{
			"type":       bundle.TypeFlow,
			"properties": map[string]any{"name": `flow "hard" \G {x}`, "definition": hardFlow(extra)},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b := bundle.Parse("hard.json", src)
	if b.Syntax != nil || len(Flows(b)) != 1 {
		t.Fatalf("the hard bundle does not load: %v\n%s", b.Syntax, src)
	}
	return b
}

// hardPath runs through every state, and four items through the Map so
// that an edge label carries the "… #n (k×)" of a loop.
func hardPath() *Path {
	p := &Path{States: append([]string{}, hardNames...)}
	p.States = append(p.States, hardChoice, hardMap)
	for i := 0; i < 4; i++ {
		item := fmt.Sprintf("%s[%d]/", hardMap, i)
		p.States = append(p.States, item+"node", item+"graph")
	}
	p.States = append(p.States, hardDone)
	return p
}

func hardFlows(t *testing.T) []dotCase {
	t.Helper()
	head := hardBundle(t, false)
	f := Flows(head)[0]
	change := Compare(hardBundle(t, true), head)[0]
	return []dotCase{
		{name: "hard names", flow: f},
		{name: "hard names with a run and a change", flow: f, opts: Options{Path: hardPath(), Change: change}},
	}
}

func TestDOTHardNames(t *testing.T) {
	for _, f := range hardFlows(t) {
		t.Run(f.name, func(t *testing.T) {
			d := Build(f.flow, f.opts)
			if f.opts.Path != nil && len(d.Unmatched) > 0 {
				t.Fatalf("the run does not match the flow: %q", d.Unmatched)
			}
			checkDOT(t, d)
		})
	}
}

// TestDOTHardNamesCoverage guards the test above: the flow must really
// hold the names, conditions, loop label and removed states it is meant
// to exercise, or its passing would prove nothing.
func TestDOTHardNamesCoverage(t *testing.T) {
	overlaid := hardFlows(t)[1]
	d := Build(overlaid.flow, overlaid.opts)
	var titles, labels []string
	walkNodes(&d.Root, func(n *Node) { titles = append(titles, n.Lines[0]) })
	for _, e := range d.Edges {
		labels = append(labels, edgeText(e))
	}
	want := append([]string{hardChoice, hardMap, hardMissing, `gone "x" \N`, hardMap + pathSep + `old\N`}, hardNames...)
	for _, name := range want {
		if !slices.Contains(titles, name) {
			t.Errorf("no node is titled %q", name)
		}
	}
	all := strings.Join(labels, "\n")
	for _, text := range []string{"(4×) · each item", `catch States.ALL, Err"or\N`, `== "say \"hi\" \\ \\N {x}"`} {
		if !strings.Contains(all, text) {
			t.Errorf("no edge label has %q; the labels are:\n%s", text, all)
		}
	}
}

func TestDOTRendersWithGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz dot is not installed")
	}
	flows := append(dotExampleFlows(t), hardFlows(t)...)
	flows = append(flows, dotCorpusFlows(t)...)
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			cmd := exec.Command(dot, "-Tsvg")
			cmd.Stdin = strings.NewReader(Build(f.flow, f.opts).DOT())
			cmd.Stdout = io.Discard
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Errorf("dot -Tsvg: %v\n%s", err, stderr.String())
			}
		})
	}
}
