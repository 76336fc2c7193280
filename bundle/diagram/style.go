package diagram

import (
	"strconv"
	"strings"
)

// look is how a node class is painted, in both output formats.
type look struct {
	class               string
	fill, stroke, color string
	width               int // stroke width in px; 0 for the default
	dashed              bool
}

// Node classes, most telling first: a node takes the first that applies.
var (
	lookFailed      = look{class: "failedhere", fill: "#fee2e2", stroke: "#b91c1c", width: 3}
	lookVisited     = look{class: "visited", fill: "#dbeafe", stroke: "#1d4ed8", width: 2}
	lookNeverEnds   = look{class: "neverends", fill: "#ffedd5", stroke: "#c2410c", width: 2}
	lookUnreachable = look{class: "unreachable", fill: "#f3f4f6", stroke: "#9ca3af", color: "#6b7280", dashed: true}
	lookMissing     = look{class: "missing", fill: "#fee2e2", stroke: "#dc2626", dashed: true}
	lookRemoved     = look{class: "removed", fill: "#f3f4f6", stroke: "#9ca3af", color: "#6b7280", dashed: true}
	lookAdded       = look{class: "added", fill: "#dcfce7", stroke: "#15803d", width: 2}
	lookChanged     = look{class: "changed", fill: "#fef9c3", stroke: "#a16207", width: 2}
	lookSucceed     = look{class: "succeed", fill: "#ecfdf5", stroke: "#047857"}
	lookFail        = look{class: "fail", fill: "#fef2f2", stroke: "#b91c1c"}
)

// pathColor paints the edges a run took.
const pathColor = "#1d4ed8"

// missedColor paints the transitions no fixture took.
const missedColor = "#dc2626"

// lookOf picks the class of n, or nil for a plain node.
func lookOf(n *Node) *look {
	switch {
	case n.Marks&MarkFailedHere != 0:
		return &lookFailed
	case n.Marks&MarkVisited != 0:
		return &lookVisited
	case n.Marks&MarkNeverEnds != 0:
		return &lookNeverEnds
	case n.Marks&MarkUnreachable != 0:
		return &lookUnreachable
	case n.Shape == ShapeMissing:
		return &lookMissing
	case n.Shape == ShapeRemoved:
		return &lookRemoved
	case n.Marks&MarkAdded != 0:
		return &lookAdded
	case n.Marks&MarkChanged != 0:
		return &lookChanged
	case n.Type == "Succeed":
		return &lookSucceed
	case n.Type == "Fail":
		return &lookFail
	}
	return nil
}

// edgeText is an edge's label with the run's step numbers in front. An
// edge taken many times (a loop, a Map over many items) shows its first
// steps, its last and the count, so a label stays one line.
func edgeText(e *Edge) string {
	if len(e.Steps) == 0 {
		return e.Label
	}
	var b strings.Builder
	for i, s := range e.Steps {
		if i == 2 && len(e.Steps) > 3 {
			b.WriteString(" … #" + strconv.Itoa(e.Steps[len(e.Steps)-1]) + " (" + strconv.Itoa(len(e.Steps)) + "×)")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("#" + strconv.Itoa(s))
	}
	if e.Label != "" {
		b.WriteString(" · " + e.Label)
	}
	return b.String()
}

// walkNodes calls fn for every node of c and its subclusters.
func walkNodes(c *Cluster, fn func(*Node)) {
	for _, n := range c.Nodes {
		fn(n)
	}
	for _, sub := range c.Clusters {
		walkNodes(sub, fn)
	}
}

// oneLine turns line breaks and other control characters into spaces:
// every line of a label is one line of text.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}
