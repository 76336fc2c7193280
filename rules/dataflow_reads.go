package rules

import (
	"strconv"
	"strings"

	"github.com/zislint/zislint/bundle"
)

// readKind says how ZIS uses a path a state reads, and so what follows
// when nothing is there.
type readKind uint8

const (
	readChoice   readKind = iota // a top-level Choice rule's Variable or …Path operand
	readTest                     // the same in a rule nested in And, Or or Not
	readPresence                 // a Choice Variable tested with IsPresent
	readPath                     // a bare path: a ".$" value, ItemsPath, SecondsPath, a Fail's Error or Cause
	readTemplate                 // a {{$.…}} placeholder
	readCallPath                 // a ".$" bare path in a custom action's definition
)

// consequence says, for a message, what a read of nothing does at run
// time.
func (k readKind) consequence() string {
	switch k {
	case readPresence:
		return "IsPresent is always false here"
	case readChoice:
		return "this Choice rule never matches (the Choice goes on to its other rules, then its Default)"
	case readTest:
		// Under a Not, a test that is never true makes the Not always
		// true: say only what is certain.
		return "this test is never true"
	case readPath:
		return `the state fails at run time with "JSON path not found"`
	case readCallPath:
		return `the call fails at run time with "JSON path not found"`
	}
	return "the placeholder renders empty"
}

// pathRead is one path a state or an action reads: the string holding
// it, where the path is in that string, and how it is used. Its text is
// not kept but cut from the string's, nor the Choice rule holding a
// Choice read, found again for a message; nor its steps, parsed again by
// each rule that checks the read (see parse): a read is 16 bytes, not
// 72, and a large flow keeps one or two per state. Kept steps, and the
// cache that shared the steps of reads of one path, were 14 MB of the
// analysis of a flow of 100,000 states.
type pathRead struct {
	node *bundle.Node
	// at and n are where a placeholder's path starts in the string and
	// its length; the kind of such a read is readTemplate. Any other
	// read's path is the whole string, and its at is -1 minus its kind.
	at, n int32
}

// wholeRead returns the read of the string n, all of it a path.
func wholeRead(n *bundle.Node, kind readKind) pathRead {
	return pathRead{node: n, at: -1 - int32(kind)}
}

// placeholderRead returns the read of the path of length size at byte
// at of the template n.
func placeholderRead(n *bundle.Node, at, size int) pathRead {
	return pathRead{node: n, at: int32(at), n: int32(size)}
}

// kind is how the read is used.
func (rd pathRead) kind() readKind {
	if rd.at < 0 {
		return readKind(-1 - rd.at)
	}
	return readTemplate
}

// start is where the path starts in its string.
func (rd pathRead) start() int { return max(int(rd.at), 0) }

// parsedRead is a read with its path's steps, parsed for one use.
type parsedRead struct {
	pathRead
	segs []bundle.Segment
}

// parse returns rd with its path's steps, parsed into room, which they
// share: the caller parses each read into the same room, and keeps
// nothing of one read past the next. A read's path parsed when it was
// collected, so it parses again.
func (rd pathRead) parse(room []bundle.Segment) parsedRead {
	p, _ := bundle.ParsePathInto(rd.raw(), room)
	return parsedRead{rd, p.Segments}
}

// raw returns the text of the path.
func (rd pathRead) raw() string {
	if rd.at < 0 {
		return rd.node.Text()
	}
	return rd.node.Text()[rd.at : rd.at+rd.n]
}

// choiceRule returns the Choice rule of state s holding the read, nil
// when no object of s holds the read's string as a member's value.
func (rd pathRead) choiceRule(s *bundle.State) *bundle.Node {
	obj, _ := holder(s.Entry.Value(), rd.node)
	return obj
}

// path returns the parsed path.
func (rd parsedRead) path() bundle.Path { return bundle.Path{Raw: rd.raw(), Segments: rd.segs} }

// readFilter picks the strings worth parsing; nil takes all.
type readFilter func(s string) bool

// mentionsInput is the filter of rules that only look below $.input.
func mentionsInput(s string) bool { return strings.Contains(s, "input") }

// readCollector gathers the reads of one state or action definition.
type readCollector struct {
	keep  readFilter
	reads []pathRead
	// bound, when counting, counts at least the reads instead of
	// collecting them: every string that may hold a path, and every
	// "{{" of a template, with nothing parsed.
	counting bool
	bound    int
}

func (c *readCollector) wants(s string) bool { return c.keep == nil || c.keep(s) }

// stateReads lists the paths a state reads from its input (InputPath
// applied): Choice Variable and …Path operands, ".$" values and their
// {{$.…}} placeholders in Parameters (a Jq action's data among them),
// ItemsPath, SecondsPath, a Succeed's Message and a Fail's Error and
// Cause. A string keep rejects is not parsed.
func stateReads(s *bundle.State, keep readFilter) []pathRead {
	c := &readCollector{keep: keep}
	c.state(s)
	return c.reads
}

// state adds the reads of s, as stateReads lists them.
func (c *readCollector) state(s *bundle.State) {
	obj := s.Entry.Value()
	for _, f := range []string{"ItemsPath", "SecondsPath"} {
		c.path(obj.Get(f), readPath)
	}
	if choices := obj.Get("Choices"); choices != nil {
		for _, rule := range choices.Elems() {
			c.choiceRule(rule, readChoice)
		}
	}
	if params := obj.Get("Parameters"); params != nil {
		c.dynamic(params, false)
	}
	switch s.Type() {
	case bundle.StateSucceed:
		c.template(obj.Get("Message"))
	case bundle.StateFail:
		// Error and Cause take a reference path or placeholders.
		c.pathOrTemplate(obj.Get("Error"))
		c.pathOrTemplate(obj.Get("Cause"))
	}
}

// definitionReads lists the paths a custom action's definition reads
// from the calling state's Parameters: ".$" values, and {{$.…}}
// placeholders in any string, since ZIS fills those in action
// definitions with or without the suffix.
func definitionReads(def *bundle.Node) []pathRead {
	c := &readCollector{}
	c.dynamic(def, true)
	for i, rd := range c.reads {
		if rd.kind() == readPath {
			c.reads[i] = wholeRead(rd.node, readCallPath)
		}
	}
	return c.reads
}

func (c *readCollector) path(n *bundle.Node, kind readKind) {
	s, ok := n.Str()
	if !ok || !c.wants(s) {
		return
	}
	if c.counting {
		c.bound++
		return
	}
	if bundle.CheckPath(s) == nil {
		c.reads = append(c.reads, wholeRead(n, kind))
	}
}

// choiceRule adds the reads of a Choice rule; kind is readChoice for a
// rule of Choices, readTest for one nested in And, Or or Not.
func (c *readCollector) choiceRule(rule *bundle.Node, kind readKind) {
	if rule == nil || rule.Kind() != bundle.Object {
		return
	}
	variable := kind
	if rule.Member("IsPresent") != nil {
		variable = readPresence
	}
	members := rule.Members()
	for i := range members {
		m := &members[i]
		switch {
		case m.Key() == "Variable":
			c.path(m.Value(), variable)
		case strings.HasSuffix(m.Key(), "Path"):
			c.path(m.Value(), kind)
		case m.Key() == "And" || m.Key() == "Or":
			for _, sub := range m.Value().Elems() {
				c.choiceRule(sub, readTest)
			}
		case m.Key() == "Not":
			c.choiceRule(m.Value(), readTest)
		}
	}
}

// dynamic adds the ".$" values below n: a bare path, or the placeholders
// of a template. plainTemplates adds the placeholders of every other
// string too, as ZIS fills them in action definitions (not in flow
// Parameters).
func (c *readCollector) dynamic(n *bundle.Node, plainTemplates bool) {
	if plainTemplates && n.Kind() == bundle.String {
		c.template(n)
	}
	members := n.Members()
	for i := range members {
		m := &members[i]
		if strings.HasSuffix(m.Key(), ".$") {
			c.pathOrTemplate(m.Value())
			continue
		}
		c.dynamic(m.Value(), plainTemplates)
	}
	for _, e := range n.Elems() {
		c.dynamic(e, plainTemplates)
	}
}

// pathOrTemplate adds a value that is either a bare path or a template.
func (c *readCollector) pathOrTemplate(n *bundle.Node) {
	s, ok := n.Str()
	switch {
	case !ok:
	case bundle.IsPathValue(s):
		c.path(n, readPath)
	default:
		c.template(n)
	}
}

func (c *readCollector) template(n *bundle.Node) {
	s, ok := n.Str()
	if !ok || !strings.Contains(s, "{{") || !c.wants(s) {
		return
	}
	if c.counting {
		c.bound += strings.Count(s, "{{")
		return
	}
	bundle.TemplatePaths(s, checkedPath, func(p bundle.Path, at int) {
		c.reads = append(c.reads, placeholderRead(n, at, len(p.Raw)))
	})
}

// checkedPath is the parse TemplatePaths is given: it has checked every
// path of the template before it yields one, and a read keeps no steps.
func checkedPath(s string) (bundle.Path, *bundle.ExprError) { return bundle.Path{Raw: s}, nil }

// readMiss is where a read finds nothing: the steps found before the
// missing one, and the value they lead to.
type readMiss struct {
	found  int
	parent *DocValue
}

// missingAt looks rd up in doc and reports where it surely finds
// nothing; ok is false when the path may be there.
func missingAt(doc *DocValue, rd parsedRead) (miss readMiss, ok bool) {
	presence, found := doc.Lookup(rd.segs)
	if presence != Absent {
		return readMiss{}, false
	}
	return readMiss{found: found, parent: doc.at(rd.segs[:found])}, true
}

// stepName is a path step as messages show it: a name, or [index].
func stepName(seg bundle.Segment) string {
	if seg.IsIndex {
		return "[" + strconv.Itoa(seg.Index) + "]"
	}
	return seg.Name
}

// readSpan reports msg over the read's path from its step n to its end.
func (r *reporter) readSpan(rd parsedRead, n int, msg string) {
	src := r.in.Bundle.Src
	startAt := rd.start()
	if n < len(rd.segs) {
		startAt += int(rd.segs[n].Offset)
	}
	start := rd.node.SourceOffset(src, startAt)
	end := rd.node.SourceOffset(src, rd.start()+len(rd.raw()))
	r.span(start, max(start+1, end), msg)
}
