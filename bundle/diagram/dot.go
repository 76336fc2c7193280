package diagram

import (
	"fmt"
	"strings"
)

// dotEscaper keeps label text literal inside a DOT quoted string: a quote
// would end it, a backslash would start an escape such as \N (the node's
// name) or \l, and Graphviz decodes HTML entities such as &amp; in labels.
var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "&", "&amp;")

func dotString(s string) string { return `"` + dotEscaper.Replace(oneLine(s)) + `"` }

// dotName quotes the graph's name. A name is no label: Graphviz keeps its
// backslashes as written and decodes no entities, so only quotes are
// escaped, and a backslash only doubled where it would escape the quote
// after it or the closing one.
func dotName(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	s = oneLine(s)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\' && (i+1 == len(s) || s[i+1] == '"'):
			b.WriteString(`\\`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// dotLabel joins the lines of a node with DOT's centred line break.
func dotLabel(lines []string) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = dotEscaper.Replace(oneLine(l))
	}
	return `"` + strings.Join(parts, `\n`) + `"`
}

// dotShapes are the Graphviz shape and base style of each node shape.
var dotShapes = map[Shape][2]string{
	ShapeTask:     {"box", "rounded"},
	ShapeDecision: {"diamond", ""},
	ShapeTerminal: {"ellipse", ""},
	ShapeMap:      {"box3d", ""},
	ShapeStart:    {"circle", ""},
	ShapeEnd:      {"doublecircle", ""},
	ShapeMissing:  {"box", "dashed"},
	ShapeRemoved:  {"box", "dashed"},
}

// DOT writes the diagram as a Graphviz digraph.
func (d *Diagram) DOT() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotName(d.Title))
	b.WriteString("  graph [fontname=\"Helvetica\", rankdir=TB];\n")
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	dotCluster(&b, &d.Root, "  ")
	for _, e := range d.Edges {
		var attrs []string
		if text := edgeText(e); text != "" {
			attrs = append(attrs, "label="+dotString(text))
		}
		switch e.Style {
		case EdgeDashed:
			attrs = append(attrs, "style=dashed")
		case EdgeDotted:
			attrs = append(attrs, "style=dotted")
		}
		if len(e.Steps) > 0 {
			attrs = append(attrs, `color="`+pathColor+`"`, `fontcolor="`+pathColor+`"`, "penwidth=2.5")
		}
		if e.Cover == CoverMissed {
			attrs = append(attrs, `color="`+missedColor+`"`, `fontcolor="`+missedColor+`"`)
		}
		fmt.Fprintf(&b, "  %s -> %s%s;\n", e.From, e.To, dotAttrs(attrs))
	}
	b.WriteString("}\n")
	return b.String()
}

func dotCluster(b *strings.Builder, c *Cluster, indent string) {
	for _, n := range c.Nodes {
		fmt.Fprintf(b, "%s%s%s;\n", indent, n.ID, dotAttrs(dotNodeAttrs(n)))
	}
	for _, sub := range c.Clusters {
		fmt.Fprintf(b, "%ssubgraph cluster_%s {\n", indent, sub.ID)
		fmt.Fprintf(b, "%s  label=%s;\n%s  style=\"rounded,dashed\";\n", indent, dotString(sub.Title), indent)
		dotCluster(b, sub, indent+"  ")
		fmt.Fprintf(b, "%s}\n", indent)
	}
}

func dotNodeAttrs(n *Node) []string {
	shape := dotShapes[n.Shape]
	attrs := []string{"label=" + dotLabel(n.Lines), "shape=" + shape[0]}
	var style []string
	if shape[1] != "" {
		style = append(style, shape[1])
	}
	if l := lookOf(n); l != nil {
		style = append(style, "filled")
		if l.dashed && shape[1] != "dashed" {
			style = append(style, "dashed")
		}
		attrs = append(attrs, `fillcolor="`+l.fill+`"`, `color="`+l.stroke+`"`)
		if l.color != "" {
			attrs = append(attrs, `fontcolor="`+l.color+`"`)
		}
		if l.width > 0 {
			attrs = append(attrs, fmt.Sprintf("penwidth=%d", l.width))
		}
	}
	if len(style) > 0 {
		attrs = append(attrs, `style="`+strings.Join(style, ",")+`"`)
	}
	return attrs
}

func dotAttrs(attrs []string) string {
	if len(attrs) == 0 {
		return ""
	}
	return " [" + strings.Join(attrs, ", ") + "]"
}
