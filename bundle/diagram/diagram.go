// Package diagram draws ZIS flows: one node per state, shaped by its type,
// edges labelled with the Choice conditions in words, Catch edges dashed,
// Map iterators as subgraphs. A diagram can carry the path a simulated
// run took and the states a change added or edited. It is written as
// Mermaid (which GitHub renders in Markdown) or as Graphviz DOT.
//
// Unreachable states and states from which a run can never end are read
// from bundle.NewGraph, the graph the linter's flow rules use, so a
// diagram marks exactly the states the linter reports.
package diagram

import (
	"sort"
	"strconv"

	"github.com/zislint/zislint/bundle"
)

// Shape is how a node is drawn.
type Shape int

// The shapes of nodes.
const (
	ShapeTask     Shape = iota // Action, Pass, Wait and unknown types: a box
	ShapeDecision              // Choice: a rhombus
	ShapeTerminal              // Succeed and Fail: a stadium
	ShapeMap                   // the Map state, at the top of its subgraph
	ShapeStart                 // where the run begins
	ShapeEnd                   // where a state with "End": true leads
	ShapeMissing               // a state a transition names but no one defines
	ShapeRemoved               // a state only the base version had
)

// Mark is what a node is marked with; a node can have several.
type Mark uint16

// The marks of nodes.
const (
	MarkUnreachable Mark = 1 << iota // no path from StartAt leads here
	MarkNeverEnds                    // a run that gets here can never end
	MarkVisited                      // the run took this state
	MarkFailedHere                   // the run failed in this state
	MarkAdded                        // the change added this state
	MarkChanged                      // the change edited this state
)

// EdgeStyle is how an edge is drawn.
type EdgeStyle int

// The styles of edges.
const (
	EdgeSolid  EdgeStyle = iota
	EdgeDashed           // a Catch
	EdgeDotted           // into a Map's iterator
)

// Node is one box of the diagram.
type Node struct {
	ID    string   // generated, safe in every output format
	Lines []string // the first is the title; all are plain text
	Shape Shape
	Type  string // the ZIS state type, "" for start, end and missing nodes
	Marks Mark
}

// Edge is one arrow.
type Edge struct {
	From, To string // node IDs
	Label    string
	Style    EdgeStyle
	Steps    []int // the numbers of the run's steps that took it
	Cover    CoverState
}

// CoverState says whether fixtures took an edge, when the diagram shows
// coverage.
type CoverState int

// The coverage states of an edge.
const (
	CoverUnknown CoverState = iota // no coverage shown, or no transition of the flow (from start)
	CoverTaken                     // some fixture took it
	CoverMissed                    // no fixture took it
)

// Coverage is what fixtures covered of a flow, as a coverage profile
// records it: each transition no run took, by the line and column where
// it is written (the target's name, an iterator's StartAt, the End of a
// state that ends an iteration). Every transition has its own place, so
// two Choice rules that lead to the same state are told apart.
type Coverage struct {
	Bundle    *bundle.Bundle // the flow's bundle, for positions
	Uncovered map[[2]int]bool
}

// Cluster is a group of nodes drawn together: the whole flow, or a Map
// state with its iterator.
type Cluster struct {
	ID, Title string
	Nodes     []*Node
	Clusters  []*Cluster
}

// Diagram is one flow, ready to write.
type Diagram struct {
	Title string // the flow's name
	Root  Cluster
	Edges []*Edge
	// Unmatched lists the run's states the flow does not have (a path
	// recorded against another version of the flow).
	Unmatched []string

	cover  *Coverage
	states map[*bundle.State]*Node
	edges  map[[2]string]*Edge // first edge between two nodes
	ends   map[*bundle.Machine]*Node
}

// Options add overlays to a diagram.
type Options struct {
	Path   *Path       // the run to draw, or nil
	Change *FlowChange // the change to mark, or nil
	// Coverage draws the transitions fixtures took solid and the others
	// dashed in red; nil draws no coverage.
	Coverage *Coverage
}

// Build draws the flow resource f; a resource without a flow definition
// gives an empty diagram.
func Build(f *bundle.Resource, opts Options) *Diagram {
	d := &Diagram{
		Title:  FlowName(f),
		states: map[*bundle.State]*Node{},
		edges:  map[[2]string]*Edge{},
		ends:   map[*bundle.Machine]*Node{},
		cover:  opts.Coverage,
	}
	if f.Flow == nil || f.Flow.Machine == nil {
		return d // nothing to draw: the linter reports the missing definition
	}
	start := &Node{ID: "start", Lines: []string{"start"}, Shape: ShapeStart}
	d.Root.Nodes = append(d.Root.Nodes, start)
	d.addMachine(&d.Root, f.Flow.Machine, "", start.ID, "", EdgeSolid)
	if opts.Change != nil {
		d.markChange(f, opts.Change)
	}
	if opts.Path != nil {
		d.overlay(f.Flow.Machine, opts.Path)
	}
	return d
}

// FlowName is the name a flow is known by: properties.name, else its
// resource key.
func FlowName(f *bundle.Resource) string {
	if name := f.NameText(); name != "" {
		return name
	}
	return f.Key
}

// addMachine adds the states of m to c with IDs prefixed with prefix,
// then the edges: from the node entry to m's start, between the states,
// and last those inside the Map iterators, so the outline of the flow is
// laid out first.
func (d *Diagram) addMachine(c *Cluster, m *bundle.Machine, prefix, entry, entryLabel string, entryStyle EdgeStyle) {
	g := bundle.NewGraph(m)
	type iterator struct {
		c     *Cluster
		state *bundle.State
		id    string
	}
	var iterators []iterator
	for _, s := range m.States {
		n := d.stateNode(s, g, prefix)
		c.Nodes = append(c.Nodes, n)
		if s.Iterator() == nil {
			continue
		}
		// The Map state stays outside its iterator's box: edges that
		// leave the Map would otherwise be routed out through the box.
		sub := &Cluster{ID: n.ID + "_map", Title: "each item of " + s.Name}
		c.Clusters = append(c.Clusters, sub)
		iterators = append(iterators, iterator{sub, s, n.ID})
	}
	if g.Start != nil {
		edge := &Edge{From: entry, To: d.states[g.Start].ID, Label: entryLabel, Style: entryStyle}
		if m.Parent != nil { // the Map's transition into its iterator
			d.markCover(edge, firstNode(m.StartAt, m.Node))
		}
		d.addEdge(edge)
	}
	missing := map[string]*Node{}
	for _, s := range m.States {
		d.addTransitions(c, s, prefix, missing)
	}
	for _, it := range iterators {
		d.addMachine(it.c, it.state.Iterator(), it.id+"_", it.id, "each item", EdgeDotted)
	}
}

func (d *Diagram) stateNode(s *bundle.State, g *bundle.Graph, prefix string) *Node {
	n := &Node{ID: prefix + "s" + strconv.Itoa(s.Index), Lines: []string{s.Name}, Type: s.Type()}
	switch s.Type() {
	case bundle.StateChoice:
		n.Shape = ShapeDecision
	case bundle.StateSucceed, bundle.StateFail:
		n.Shape = ShapeTerminal
	case bundle.StateMap:
		n.Shape = ShapeMap
	}
	if c := caption(s); c != "" {
		n.Lines = append(n.Lines, c)
	}
	if g.Unreachable(s.Index) {
		n.Marks |= MarkUnreachable
		n.Lines = append(n.Lines, "unreachable")
	}
	if g.Trapped(s.Index) {
		n.Marks |= MarkNeverEnds
		n.Lines = append(n.Lines, "never ends")
	}
	d.states[s] = n
	return n
}

// addTransitions draws the edges ZIS follows out of s: the ones it
// ignores (a Next nested in And/Or/Not, a Next on a Choice) would only
// mislead, and the linter reports them.
func (d *Diagram) addTransitions(c *Cluster, s *bundle.State, prefix string, missing map[string]*Node) {
	from := d.states[s].ID
	for _, e := range readingOrder(s.Edges()) {
		if e.Misplaced {
			continue
		}
		edge := &Edge{From: from, Label: edgeLabel(s, &e)}
		if e.Kind == bundle.EdgeCatch {
			edge.Style = EdgeDashed
		}
		d.markCover(edge, e.Node)
		if t := s.Machine.State(e.Target()); t != nil {
			edge.To = d.states[t].ID
		} else {
			edge.To = d.missingNode(c, e.Target(), prefix, missing).ID
		}
		d.addEdge(edge)
	}
	if s.IsEnd() && !s.Terminal() {
		edge := &Edge{From: from, To: d.endNode(c, s.Machine, prefix).ID}
		if s.Machine.Parent != nil { // the end of an iteration, back to its Map
			d.markCover(edge, s.End())
		}
		d.addEdge(edge)
	}
}

// edgeRank orders a state's edges as a reader follows them: the Choice
// rules in order, then Default, Next and the Catch entries.
var edgeRank = map[bundle.EdgeKind]int{bundle.EdgeChoice: 0, bundle.EdgeDefault: 1, bundle.EdgeNext: 2, bundle.EdgeCatch: 3}

func readingOrder(edges []bundle.Edge) []bundle.Edge {
	out := append([]bundle.Edge(nil), edges...)
	sort.SliceStable(out, func(i, j int) bool { return edgeRank[out[i].Kind] < edgeRank[out[j].Kind] })
	return out
}

// edgeLabel labels e, one of s's edges.
func edgeLabel(s *bundle.State, e *bundle.Edge) string {
	switch e.Kind {
	case bundle.EdgeChoice:
		return Condition(s.Rule(e))
	case bundle.EdgeDefault:
		return "Default"
	case bundle.EdgeCatch:
		return catchLabel(s.Rule(e))
	}
	return ""
}

func (d *Diagram) missingNode(c *Cluster, name, prefix string, missing map[string]*Node) *Node {
	if n := missing[name]; n != nil {
		return n
	}
	n := &Node{ID: prefix + "missing" + strconv.Itoa(len(missing)), Lines: []string{name, "no such state"}, Shape: ShapeMissing}
	missing[name] = n
	c.Nodes = append(c.Nodes, n)
	return n
}

// endNode is the one end node of m, made on first use: a flow's end, or
// the end of one item of a Map.
func (d *Diagram) endNode(c *Cluster, m *bundle.Machine, prefix string) *Node {
	if n := d.ends[m]; n != nil {
		return n
	}
	label := "end"
	if m.Parent != nil {
		label = "item done"
	}
	n := &Node{ID: prefix + "finish", Lines: []string{label}, Shape: ShapeEnd}
	d.ends[m] = n
	c.Nodes = append(c.Nodes, n)
	return n
}

func (d *Diagram) addEdge(e *Edge) {
	d.Edges = append(d.Edges, e)
	key := [2]string{e.From, e.To}
	if d.edges[key] == nil {
		d.edges[key] = e
	}
}

// markCover sets whether fixtures took the transition written at n:
// taken ones are drawn solid, the others dashed.
func (d *Diagram) markCover(e *Edge, n *bundle.Node) {
	if d.cover == nil || d.cover.Bundle == nil || n == nil {
		return
	}
	line, col := d.cover.Bundle.Line(int(n.Start))
	if d.cover.Uncovered[[2]int{line, col}] {
		e.Cover, e.Style = CoverMissed, EdgeDashed
	} else {
		e.Cover, e.Style = CoverTaken, EdgeSolid
	}
}

func firstNode(nodes ...*bundle.Node) *bundle.Node {
	for _, n := range nodes {
		if n != nil {
			return n
		}
	}
	return nil
}
