package diagram

import (
	"fmt"
	"strconv"
	"strings"
)

// mermaidEscaper keeps label text literal inside a quoted Mermaid string.
// Mermaid turns "#name;" into an HTML entity before parsing and renders
// labels as HTML, so the characters that would start an entity, a tag,
// the end of the string or of an edge label become numeric entities.
var mermaidEscaper = strings.NewReplacer(
	"#", "#35;", `"`, "#34;", "&", "#38;", "<", "#60;", ">", "#62;",
	"|", "#124;", "`", "#96;", "%", "#37;",
)

func mermaidText(s string) string { return mermaidEscaper.Replace(oneLine(s)) }

// mermaidLabel joins the lines of a node with HTML line breaks.
func mermaidLabel(lines []string) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = mermaidText(l)
	}
	return `"` + strings.Join(parts, "<br/>") + `"`
}

// mermaidShapes are the brackets around a node's label, by shape.
var mermaidShapes = map[Shape][2]string{
	ShapeTask:     {"[", "]"},
	ShapeDecision: {"{", "}"},
	ShapeTerminal: {"([", "])"},
	ShapeMap:      {"[[", "]]"},
	ShapeStart:    {"((", "))"},
	ShapeEnd:      {"((", "))"},
	ShapeMissing:  {"[", "]"},
	ShapeRemoved:  {"[", "]"},
}

// Mermaid writes the diagram as a Mermaid flowchart.
func (d *Diagram) Mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	fmt.Fprintf(&b, "  %%%% flow %s\n", mermaidText(d.Title))
	mermaidCluster(&b, &d.Root, "  ")
	var taken, missed []string
	for i, e := range d.Edges {
		arrow := "-->"
		if e.Style != EdgeSolid {
			arrow = "-.->"
		}
		if text := edgeText(e); text != "" {
			arrow += "|" + `"` + mermaidText(text) + `"` + "|"
		}
		fmt.Fprintf(&b, "  %s %s %s\n", e.From, arrow, e.To)
		if len(e.Steps) > 0 {
			taken = append(taken, strconv.Itoa(i))
		}
		if e.Cover == CoverMissed {
			missed = append(missed, strconv.Itoa(i))
		}
	}
	mermaidClasses(&b, d)
	if len(taken) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:%s,stroke-width:3px\n", strings.Join(taken, ","), pathColor)
	}
	if len(missed) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:%s,stroke-width:2px\n", strings.Join(missed, ","), missedColor)
	}
	return b.String()
}

func mermaidCluster(b *strings.Builder, c *Cluster, indent string) {
	for _, n := range c.Nodes {
		s := mermaidShapes[n.Shape]
		fmt.Fprintf(b, "%s%s%s%s%s\n", indent, n.ID, s[0], mermaidLabel(n.Lines), s[1])
	}
	for _, sub := range c.Clusters {
		fmt.Fprintf(b, "%ssubgraph %s[%s]\n", indent, sub.ID, mermaidLabel([]string{sub.Title}))
		mermaidCluster(b, sub, indent+"  ")
		fmt.Fprintf(b, "%send\n", indent)
	}
}

// mermaidClasses defines the classes in use and assigns them.
func mermaidClasses(b *strings.Builder, d *Diagram) {
	members := map[string][]string{}
	var order []*look
	walkNodes(&d.Root, func(n *Node) {
		l := lookOf(n)
		if l == nil {
			return
		}
		if members[l.class] == nil {
			order = append(order, l)
		}
		members[l.class] = append(members[l.class], n.ID)
	})
	for _, l := range order {
		fmt.Fprintf(b, "  classDef %s %s\n", l.class, mermaidStyle(l))
		fmt.Fprintf(b, "  class %s %s\n", strings.Join(members[l.class], ","), l.class)
	}
}

func mermaidStyle(l *look) string {
	parts := []string{"fill:" + l.fill, "stroke:" + l.stroke}
	if l.color != "" {
		parts = append(parts, "color:"+l.color)
	}
	if l.width > 0 {
		parts = append(parts, "stroke-width:"+strconv.Itoa(l.width)+"px")
	}
	if l.dashed {
		parts = append(parts, "stroke-dasharray:5 3")
	}
	return strings.Join(parts, ",")
}
