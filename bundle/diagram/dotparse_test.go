package diagram

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// This file checks the DOT writer by reading its output back with a
// parser for the DOT language (https://graphviz.org/doc/info/lang.html,
// and where the page is silent, Graphviz's own scanner and grammar), then
// comparing what Graphviz would draw with the diagram. Graphviz itself is
// usually not installed, so the parser stands in for it.

// ---------------------------------------------------------------------
// The DOT parser.

// dotGraph is what a DOT file declares.
type dotGraph struct {
	Strict, Directed bool
	Name             string
	Attrs            map[string]string // the root graph's attributes
	Defaults         []dotDefaults     // node [...] and edge [...] statements
	Subgraphs        []*dotSubgraph    // in order of appearance
	Nodes            []dotNode         // one per node named in a node statement
	Edges            []dotEdge         // one per arrow, chains split
	// Multiline holds the positions of quoted strings that span lines:
	// legal DOT, but the writer should never produce one.
	Multiline []string
}

// dotSubgraph is one subgraph; the root graph is the scope named "".
type dotSubgraph struct {
	Name   string // "%1", "%2", ... for an anonymous one, as Graphviz names them
	Parent string
	Attrs  map[string]string // ID = ID and graph [...] statements inside it
}

// dotDefaults is a node or edge attribute statement.
type dotDefaults struct {
	Kind     string // "node" or "edge"
	Subgraph string
	Attrs    map[string]string
}

// dotNode is one node of a node statement, with the innermost subgraph
// the statement is in.
type dotNode struct {
	ID, Port string
	Subgraph string
	Attrs    map[string]string
}

// dotEdge is one arrow of an edge statement.
type dotEdge struct {
	From, To string
	Subgraph string
	Attrs    map[string]string
}

type dotPos struct{ line, col int }

func (p dotPos) String() string { return fmt.Sprintf("%d:%d", p.line, p.col) }

// dotSyntaxError is a parse error at a line and column (counted in
// characters, from 1).
type dotSyntaxError struct {
	pos dotPos
	msg string
}

func (e *dotSyntaxError) Error() string { return e.pos.String() + ": " + e.msg }

type dotTokKind int

const (
	dotEOF     dotTokKind = iota
	dotID                 // identifier, numeral, quoted or HTML string
	dotKeyword            // strict, graph, digraph, subgraph, node, edge; lowercased
	dotEdgeOp             // -> or --
	dotPunct              // { } [ ] ; , : = +
)

type dotToken struct {
	kind      dotTokKind
	text      string // a quoted string's text has its \" decoded
	pos       dotPos
	quoted    bool
	html      bool
	multiline bool
}

func (t dotToken) String() string {
	switch {
	case t.kind == dotEOF:
		return "end of input"
	case t.kind == dotID:
		return fmt.Sprintf("ID %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// dotKeywords are case-independent in DOT.
var dotKeywords = map[string]bool{"strict": true, "graph": true, "digraph": true, "subgraph": true, "node": true, "edge": true}

type dotLexer struct {
	src       string
	i         int
	line, col int
}

func lexDOT(src string) ([]dotToken, error) {
	l := &dotLexer{src: src, line: 1, col: 1}
	var toks []dotToken
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == dotEOF {
			return toks, nil
		}
	}
}

func (l *dotLexer) pos() dotPos { return dotPos{l.line, l.col} }

func (l *dotLexer) peekByte(off int) byte {
	if l.i+off < len(l.src) {
		return l.src[l.i+off]
	}
	return 0
}

// advance moves past n bytes, counting lines and characters.
func (l *dotLexer) advance(n int) {
	for ; n > 0 && l.i < len(l.src); n-- {
		c := l.src[l.i]
		l.i++
		switch {
		case c == '\n':
			l.line, l.col = l.line+1, 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte
			l.col++
		}
	}
}

func (l *dotLexer) fail(p dotPos, format string, args ...any) error {
	return &dotSyntaxError{p, fmt.Sprintf(format, args...)}
}

func (l *dotLexer) next() (dotToken, error) {
	if err := l.skipSpace(); err != nil {
		return dotToken{}, err
	}
	p := l.pos()
	if l.i == len(l.src) {
		return dotToken{kind: dotEOF, pos: p}, nil
	}
	c := l.src[l.i]
	switch {
	case c == '"':
		return l.quoted()
	case c == '<':
		return l.htmlString()
	case c == '-' && (l.peekByte(1) == '>' || l.peekByte(1) == '-'):
		op := l.src[l.i : l.i+2]
		l.advance(2)
		return dotToken{kind: dotEdgeOp, text: op, pos: p}, nil
	case c == '-' || c == '.' || isDOTDigit(c):
		return l.numeral()
	case strings.IndexByte("{}[];,:=+", c) >= 0:
		l.advance(1)
		return dotToken{kind: dotPunct, text: string(c), pos: p}, nil
	case isDOTLetter(c):
		return l.identifier(), nil
	}
	return dotToken{}, l.fail(p, "unexpected character %q", c)
}

func isDOTDigit(c byte) bool { return c >= '0' && c <= '9' }

// isDOTLetter follows Graphviz: bytes from 0x80 up count as letters, so
// any UTF-8 text may be an identifier.
func isDOTLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// skipSpace skips blanks and the three documented kinds of comment: //,
// /* */ and a line starting with '#' (C preprocessor output). Graphviz's
// scanner also drops a '#' in mid-line to the end of the line; that is
// rejected here, as an unquoted '#' in the writer's output would hide
// the rest of its line.
func (l *dotLexer) skipSpace() error {
	for l.i < len(l.src) {
		switch c := l.src[l.i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.advance(1)
		case c == '/' && l.peekByte(1) == '/', c == '#' && l.col == 1:
			l.skipLine()
		case c == '/' && l.peekByte(1) == '*':
			if err := l.skipBlockComment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

func (l *dotLexer) skipLine() {
	for l.i < len(l.src) && l.src[l.i] != '\n' {
		l.advance(1)
	}
}

func (l *dotLexer) skipBlockComment() error {
	p := l.pos()
	end := strings.Index(l.src[l.i+2:], "*/")
	if end < 0 {
		return l.fail(p, "unterminated /* comment")
	}
	l.advance(2 + end + 2)
	return nil
}

// quoted reads a double-quoted string. Only \" is an escape at this
// level; \\ is kept as is, but consumed as a pair so that "x\\" ends at
// its last quote (as Graphviz's scanner does); a backslash before a line
// break joins the lines.
func (l *dotLexer) quoted() (dotToken, error) {
	t := dotToken{kind: dotID, pos: l.pos(), quoted: true}
	l.advance(1)
	var b strings.Builder
	for {
		if l.i == len(l.src) {
			return dotToken{}, l.fail(t.pos, "unterminated quoted string")
		}
		c, next := l.src[l.i], l.peekByte(1)
		switch {
		case c == '"':
			l.advance(1)
			t.text = b.String()
			return t, nil
		case c == '\\' && next == '"':
			b.WriteByte('"')
			l.advance(2)
		case c == '\\' && next == '\\':
			b.WriteString(`\\`)
			l.advance(2)
		case c == '\\' && next == '\n':
			t.multiline = true
			l.advance(2)
		default:
			t.multiline = t.multiline || c == '\n'
			b.WriteByte(c)
			l.advance(1)
		}
	}
}

// htmlString reads <...>, where brackets nest.
func (l *dotLexer) htmlString() (dotToken, error) {
	t := dotToken{kind: dotID, pos: l.pos(), html: true}
	l.advance(1)
	start, depth := l.i, 1
	for ; l.i < len(l.src); l.advance(1) {
		switch l.src[l.i] {
		case '<':
			depth++
		case '>':
			depth--
		}
		if depth == 0 {
			t.text = l.src[start:l.i]
			l.advance(1)
			return t, nil
		}
	}
	return dotToken{}, l.fail(t.pos, "unterminated HTML string")
}

var dotNumeral = regexp.MustCompile(`^-?(\.[0-9]+|[0-9]+(\.[0-9]*)?)`)

// numeral reads [-](.digits | digits[.digits]). Graphviz splits "12ab"
// into two IDs with a warning; here it is an error, as no writer should
// depend on it.
func (l *dotLexer) numeral() (dotToken, error) {
	p := l.pos()
	m := dotNumeral.FindString(l.src[l.i:])
	if m == "" {
		return dotToken{}, l.fail(p, "unexpected character %q", l.src[l.i])
	}
	l.advance(len(m))
	if c := l.peekByte(0); l.i < len(l.src) && (isDOTLetter(c) || c == '.') {
		return dotToken{}, l.fail(p, "numeral %q runs into %q", m, c)
	}
	return dotToken{kind: dotID, text: m, pos: p}, nil
}

func (l *dotLexer) identifier() dotToken {
	t := dotToken{kind: dotID, pos: l.pos()}
	start := l.i
	for l.i < len(l.src) && (isDOTLetter(l.src[l.i]) || isDOTDigit(l.src[l.i])) {
		l.advance(1)
	}
	t.text = l.src[start:l.i]
	if lower := strings.ToLower(t.text); dotKeywords[lower] {
		t.kind, t.text = dotKeyword, lower
	}
	return t
}

// dotParser is a recursive-descent parser of Graphviz's grammar. Errors
// are raised as panics of *dotSyntaxError and recovered in parseDOT,
// which keeps every rule a few lines long.
type dotParser struct {
	toks []dotToken
	i    int
	g    *dotGraph
	anon int
}

func parseDOT(src string) (g *dotGraph, err error) {
	toks, err := lexDOT(src)
	if err != nil {
		return nil, err
	}
	p := &dotParser{toks: toks, g: &dotGraph{Attrs: map[string]string{}}}
	for _, t := range toks {
		if t.multiline {
			p.g.Multiline = append(p.g.Multiline, t.pos.String())
		}
	}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*dotSyntaxError)
			if !ok {
				panic(r)
			}
			g, err = nil, e
		}
	}()
	p.graph()
	return p.g, nil
}

func (p *dotParser) peek() dotToken { return p.toks[p.i] }

func (p *dotParser) peekAt(off int) dotToken {
	if p.i+off < len(p.toks) {
		return p.toks[p.i+off]
	}
	return p.toks[len(p.toks)-1]
}

func (p *dotParser) take() dotToken {
	t := p.toks[p.i]
	if t.kind != dotEOF {
		p.i++
	}
	return t
}

func (p *dotParser) is(kind dotTokKind, text string) bool {
	t := p.peek()
	return t.kind == kind && (text == "" || t.text == text)
}

func (p *dotParser) accept(kind dotTokKind, text string) bool {
	if p.is(kind, text) {
		p.take()
		return true
	}
	return false
}

func (p *dotParser) fail(t dotToken, format string, args ...any) {
	panic(&dotSyntaxError{t.pos, fmt.Sprintf(format, args...)})
}

func (p *dotParser) expect(kind dotTokKind, text string) dotToken {
	if !p.is(kind, text) {
		p.fail(p.peek(), "expected %q, found %s", text, p.peek())
	}
	return p.take()
}

// graph: [strict] (graph | digraph) [ID] '{' stmt_list '}'
func (p *dotParser) graph() {
	p.g.Strict = p.accept(dotKeyword, "strict")
	switch t := p.take(); {
	case t.kind == dotKeyword && t.text == "digraph":
		p.g.Directed = true
	case t.kind != dotKeyword || t.text != "graph":
		p.fail(t, "expected graph or digraph, found %s", t)
	}
	if p.is(dotID, "") {
		p.g.Name = p.id()
	}
	p.body(&dotSubgraph{Attrs: p.g.Attrs})
	if t := p.peek(); t.kind != dotEOF {
		p.fail(t, "unexpected %s after the graph", t)
	}
}

// body: '{' stmt_list '}', where each statement may end with ';'. It
// returns the nodes the statements name, for an edge to a subgraph.
func (p *dotParser) body(sc *dotSubgraph) []string {
	open := p.expect(dotPunct, "{")
	var named []string
	for !p.accept(dotPunct, "}") {
		if p.is(dotEOF, "") {
			p.fail(p.peek(), "'{' at %s is never closed", open.pos)
		}
		named = append(named, p.stmt(sc)...)
		p.accept(dotPunct, ";")
	}
	return named
}

// stmt: attr_stmt | ID '=' ID | node_stmt | edge_stmt | subgraph
func (p *dotParser) stmt(sc *dotSubgraph) []string {
	t := p.peek()
	switch {
	case t.kind == dotKeyword && (t.text == "graph" || t.text == "node" || t.text == "edge"):
		p.attrStmt(sc)
		return nil
	case t.kind == dotID && p.peekAt(1).kind == dotPunct && p.peekAt(1).text == "=":
		name := p.id()
		p.take()
		sc.Attrs[name] = p.id()
		return nil
	case t.kind == dotID, p.startsSubgraph():
		return p.compound(sc)
	}
	p.fail(t, "unexpected %s where a statement should start", t)
	return nil
}

func (p *dotParser) startsSubgraph() bool {
	return p.is(dotKeyword, "subgraph") || p.is(dotPunct, "{")
}

// attrStmt: (graph | node | edge) attr_list
func (p *dotParser) attrStmt(sc *dotSubgraph) {
	kind := p.take()
	if !p.is(dotPunct, "[") {
		p.fail(p.peek(), "expected '[' after %s, found %s", kind.text, p.peek())
	}
	attrs := p.attrLists()
	if kind.text == "graph" {
		for k, v := range attrs {
			sc.Attrs[k] = v
		}
		return
	}
	p.g.Defaults = append(p.g.Defaults, dotDefaults{Kind: kind.text, Subgraph: sc.Name, Attrs: attrs})
}

// attrLists: ('[' (ID '=' ID [';' | ','])* ']')*; later values win.
func (p *dotParser) attrLists() map[string]string {
	attrs := map[string]string{}
	for p.is(dotPunct, "[") {
		open := p.take()
		for !p.accept(dotPunct, "]") {
			if p.is(dotEOF, "") {
				p.fail(p.peek(), "'[' at %s is never closed", open.pos)
			}
			name := p.id()
			p.expect(dotPunct, "=")
			attrs[name] = p.id()
			_ = p.accept(dotPunct, ";") || p.accept(dotPunct, ",")
		}
	}
	return attrs
}

// dotEnd is one side of an edge statement: a list of nodes (Graphviz
// accepts "a, b -> c") or a subgraph, which stands for its nodes.
type dotEnd struct {
	nodes    []dotNode
	subgraph bool
}

// compound: (node_list | subgraph) (edgeop (node_list | subgraph))* [attr_list]
func (p *dotParser) compound(sc *dotSubgraph) []string {
	ends := []dotEnd{p.end(sc)}
	for p.is(dotEdgeOp, "") {
		p.checkEdgeOp(p.take())
		ends = append(ends, p.end(sc))
	}
	attrs := p.attrLists()
	if len(ends) == 1 && !ends[0].subgraph {
		for _, n := range ends[0].nodes {
			n.Subgraph, n.Attrs = sc.Name, attrs
			p.g.Nodes = append(p.g.Nodes, n)
		}
	}
	for i := 1; i < len(ends); i++ {
		p.addEdges(sc, ends[i-1], ends[i], attrs)
	}
	var named []string
	for _, e := range ends {
		for _, n := range e.nodes {
			named = append(named, n.ID)
		}
	}
	return named
}

func (p *dotParser) checkEdgeOp(op dotToken) {
	switch {
	case p.g.Directed && op.text == "--":
		p.fail(op, "'--' in a digraph; its edges are written '->'")
	case !p.g.Directed && op.text == "->":
		p.fail(op, "'->' in an undirected graph; its edges are written '--'")
	}
}

func (p *dotParser) addEdges(sc *dotSubgraph, tails, heads dotEnd, attrs map[string]string) {
	for _, t := range tails.nodes {
		for _, h := range heads.nodes {
			p.g.Edges = append(p.g.Edges, dotEdge{From: t.ID, To: h.ID, Subgraph: sc.Name, Attrs: attrs})
		}
	}
}

func (p *dotParser) end(sc *dotSubgraph) dotEnd {
	if p.startsSubgraph() {
		var e dotEnd
		for _, id := range p.subgraph(sc) {
			e.nodes = append(e.nodes, dotNode{ID: id})
		}
		e.subgraph = true
		return e
	}
	e := dotEnd{nodes: []dotNode{p.nodeID()}}
	for p.accept(dotPunct, ",") {
		e.nodes = append(e.nodes, p.nodeID())
	}
	return e
}

// nodeID: ID [':' ID [':' ID]]
func (p *dotParser) nodeID() dotNode {
	n := dotNode{ID: p.id()}
	if p.accept(dotPunct, ":") {
		n.Port = p.id()
		if p.accept(dotPunct, ":") {
			n.Port += ":" + p.id()
		}
	}
	return n
}

// subgraph: [subgraph [ID]] '{' stmt_list '}'
func (p *dotParser) subgraph(parent *dotSubgraph) []string {
	sub := &dotSubgraph{Parent: parent.Name, Attrs: map[string]string{}}
	if p.accept(dotKeyword, "subgraph") && p.is(dotID, "") {
		sub.Name = p.id()
	}
	if sub.Name == "" {
		p.anon++
		sub.Name = fmt.Sprintf("%%%d", p.anon)
	}
	p.g.Subgraphs = append(p.g.Subgraphs, sub)
	return p.body(sub)
}

// id reads an ID; quoted strings joined by '+' make one.
func (p *dotParser) id() string {
	t := p.take()
	if t.kind != dotID {
		p.fail(t, "expected an ID, found %s", t)
	}
	text := t.text
	for t.quoted && p.is(dotPunct, "+") {
		plus := p.take()
		next := p.take()
		if !next.quoted {
			p.fail(plus, "'+' must join two quoted strings, found %s", next)
		}
		text += next.text
	}
	return text
}

// ---------------------------------------------------------------------
// What Graphviz shows for a label.

// graphvizLabel is the text Graphviz draws for the label value s (an
// escString), in the order Graphviz processes it: first \N, \G, \E, \T,
// \H and \L would be replaced by the names of the node, graph or edge,
// so they are an error here; then HTML entities such as &amp; become
// their characters; last \n, \l and \r break the line and \X is X.
func graphvizLabel(s string) (string, error) {
	if err := checkObjectEscapes(s); err != nil {
		return "", err
	}
	return decodeEscapes(decodeEntities(s))
}

func checkObjectEscapes(s string) error {
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '\\' {
			continue
		}
		if strings.IndexByte("NGETHL", s[i+1]) >= 0 {
			return fmt.Errorf("%q: \\%c at byte %d would be replaced by Graphviz", s, s[i+1], i)
		}
		i++ // the pair \\ is a backslash, whatever follows it
	}
	return nil
}

// htmlEntityRef matches what Graphviz's htmlEntityUTF8 may replace. Go's
// table of names is a superset of Graphviz's, so this errs on the side
// of reporting.
var htmlEntityRef = regexp.MustCompile(`&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);`)

func decodeEntities(s string) string {
	return htmlEntityRef.ReplaceAllStringFunc(s, html.UnescapeString)
}

func decodeEscapes(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] != '\\':
			b.WriteByte(s[i])
		case i+1 == len(s):
			return "", fmt.Errorf("%q ends in a lone backslash", s)
		default:
			i++
			if strings.IndexByte("nlr", s[i]) >= 0 {
				b.WriteByte('\n')
			} else {
				b.WriteByte(s[i])
			}
		}
	}
	return b.String(), nil
}
