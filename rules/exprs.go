package rules

import (
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/lazyre"
)

// Exprs finds, once per bundle, every string that ZIS evaluates: paths,
// {{…}} templates, ".$" values and Jq programs. The expression rules
// check them.
var Exprs = &analysis.Analyzer{
	Name:       "expressions",
	Doc:        "find the paths, templates, dynamic values and jq programs of a bundle for the expression rules",
	Requires:   []*analysis.Analyzer{Root},
	Run:        runExprs,
	ResultType: reflect.TypeOf((*ExprSites)(nil)),
}

// SiteKind says how ZIS reads a string.
type SiteKind uint8

// The kinds of expression sites.
const (
	PathSite     SiteKind = iota // a path: Variable, ItemsPath, ResultPath, ...
	TemplateSite                 // text with {{$.path}} placeholders
	DynamicSite                  // the value of a ".$" key: a path or a template
	JqSite                       // the expr of a zis:common:transform:Jq call
	SuffixSite                   // a plain key whose value looks like a path, or holds {{$…}} in Parameters
)

// ExprSites is the Exprs result: every site, in the order found, the
// sites of each state or action in a run of its own. A site is kept as
// its string and its kind, 9 bytes, its owner as its run's: a flow of
// 100,000 states has 300,000 sites, and keeping each as an ExprSite of
// 24 bytes was 7 MB, alive to the end of the lint.
type ExprSites struct {
	nodes  []*bundle.Node
	kinds  []SiteKind
	owners []ownerRun
}

// ownerRun is a state or an action whose sites are ExprSites.nodes from
// start up to the next run's start.
type ownerRun struct {
	entry  *bundle.Member
	start  int32
	action bool
}

// All yields every site, in the order found.
func (x *ExprSites) All() iter.Seq[ExprSite] {
	return func(yield func(ExprSite) bool) {
		for r, run := range x.owners {
			end := len(x.nodes)
			if r+1 < len(x.owners) {
				end = int(x.owners[r+1].start)
			}
			for i := int(run.start); i < end; i++ {
				if !yield(ExprSite{Node: x.nodes[i], owner: run.entry, Kind: x.kinds[i], action: run.action}) {
					return
				}
			}
		}
	}
}

// ExprSite is one evaluated string and where it is.
type ExprSite struct {
	Node *bundle.Node // the string
	// The place for messages is found only when one is needed, from the
	// owner's object: most sites are fine, building it for each cost a
	// tenth of linting, and keeping its steps took a fifth of the
	// memory of the sites of a large flow. The owner is the entry of the
	// state or the action holding the site, which has its name and its
	// object: a record per owner was another tenth of the sites' memory.
	owner  *bundle.Member
	Kind   SiteKind
	action bool // owner is an action's entry in resources, not a state's
}

// ownerRoot is the object the site's owner holds its expressions in: the
// state's object or the action's definition.
func (s ExprSite) ownerRoot() *bundle.Node {
	if s.action {
		// As the model finds an action's Definition.
		return s.owner.Value().Get("properties").Get("definition")
	}
	return s.owner.Value()
}

// ownerWhat is the kind of owner, for messages.
func (s ExprSite) ownerWhat() string {
	if s.action {
		return "action"
	}
	return "state"
}

// Where names the site for a message: "Variable" of state "X".
func (s ExprSite) Where() string {
	return quote(joinPath(fieldPath(s.ownerRoot(), s.Node))) + " of " + s.ownerWhat() + " " + quote(s.owner.Key())
}

// Member returns the member holding the site's string, nil for an array
// element. It is looked up from the owner's object, as few sites need it:
// keeping it in each site made the sites of a large flow a third larger.
func (s ExprSite) Member() *bundle.Member {
	_, m := holder(s.ownerRoot(), s.Node)
	return m
}

// holder returns the object at or below n with a member whose value is
// target, and that member; nils when there is none.
func holder(n, target *bundle.Node) (*bundle.Node, *bundle.Member) {
	members := n.Members()
	for i := range members {
		m := &members[i]
		if m.Value() == target {
			return n, m
		}
		if obj, found := holder(m.Value(), target); found != nil {
			return obj, found
		}
	}
	for _, e := range n.Elems() {
		if obj, found := holder(e, target); found != nil {
			return obj, found
		}
	}
	return nil, nil
}

// fieldPath returns the steps from root down to the node target, e.g.
// Choices, 0, Variable; nil when target is not below root.
func fieldPath(root, target *bundle.Node) []string {
	if root == target {
		return []string{}
	}
	switch root.Kind() {
	case bundle.Object:
		members := root.Members()
		for j := range members {
			m := &members[j]
			if rest := fieldPath(m.Value(), target); rest != nil {
				return append([]string{m.Key()}, rest...)
			}
		}
	case bundle.Array:
		for i, e := range root.Elems() {
			if rest := fieldPath(e, target); rest != nil {
				return append([]string{strconv.Itoa(i)}, rest...)
			}
		}
	}
	return nil
}

func runExprs(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[Root].(*Input)
	// Most states hold two or three expressions; room for three spares
	// the growing of the list, which for a large flow of two to three
	// each cost four times the final list in copies left to the GC.
	states := 0
	for m := range in.Bundle.EachMachine() {
		states += len(m.States)
	}
	room := 3*states + 8
	w := &siteWalker{sites: &ExprSites{
		nodes:  make([]*bundle.Node, 0, room),
		kinds:  make([]SiteKind, 0, room),
		owners: make([]ownerRun, 0, states+len(in.Bundle.Resources)),
	}}
	for s := range in.Bundle.States() {
		w.state(s)
	}
	for _, res := range in.Bundle.OfType(bundle.TypeAction) {
		if def := res.Action.Definition; def != nil {
			w.tree(def, siteOwner{res.Entry, true}, true)
		}
	}
	return w.sites, nil
}

type siteWalker struct {
	sites *ExprSites
}

// siteOwner is the state or the action whose sites are being found: its
// entry, and whether it is an action.
type siteOwner struct {
	entry  *bundle.Member
	action bool
}

func (w *siteWalker) add(kind SiteKind, n *bundle.Node, of siteOwner) {
	if n == nil || n.Kind() != bundle.String {
		return
	}
	x := w.sites
	if last := len(x.owners) - 1; last < 0 || x.owners[last].entry != of.entry || x.owners[last].action != of.action {
		x.owners = append(x.owners, ownerRun{entry: of.entry, start: int32(len(x.nodes)), action: of.action})
	}
	x.nodes = append(x.nodes, n)
	x.kinds = append(x.kinds, kind)
}

// pathFields hold paths in any state that takes them.
var pathFields = [...]string{"InputPath", "OutputPath", "ResultPath", "ItemsPath", "SecondsPath"}

// terminalFields hold templates in Succeed and Fail states.
var terminalFields = [...]string{"Message", "Error", "Cause"}

// stateFields are the members of a state that hold expressions, the last
// of each name, as Member finds it.
type stateFields struct {
	paths                              [len(pathFields)]*bundle.Member
	terminal                           [len(terminalFields)]*bundle.Member
	choices, catch, params, actionName *bundle.Member
}

// fieldsOf finds the members of the state object obj in one pass: looking
// up each of a dozen names in turn scanned the members a dozen times.
func fieldsOf(obj *bundle.Node) stateFields {
	var f stateFields
	members := obj.Members()
	for i := range members {
		m := &members[i]
		if j := slices.Index(pathFields[:], m.Key()); j >= 0 {
			f.paths[j] = m
			continue
		}
		if j := slices.Index(terminalFields[:], m.Key()); j >= 0 {
			f.terminal[j] = m
			continue
		}
		switch m.Key() {
		case "Choices":
			f.choices = m
		case "Catch":
			f.catch = m
		case "Parameters":
			f.params = m
		case "ActionName":
			f.actionName = m
		}
	}
	return f
}

// valueOf is the member's value, nil for no member.
func valueOf(m *bundle.Member) *bundle.Node {
	if m == nil {
		return nil
	}
	return m.Value()
}

func (w *siteWalker) state(s *bundle.State) {
	obj := s.Entry.Value()
	of := siteOwner{entry: s.Entry}
	f := fieldsOf(obj)
	for _, m := range f.paths {
		if m != nil {
			w.add(PathSite, m.Value(), of)
		}
	}
	if choices := valueOf(f.choices); choices != nil {
		for _, rule := range choices.Elems() {
			w.choiceRule(rule, of)
		}
	}
	if catch := valueOf(f.catch); catch != nil {
		for _, c := range catch.Elems() {
			if m := c.Member("ResultPath"); m != nil {
				w.add(PathSite, m.Value(), of)
			}
		}
	}
	if f.params != nil {
		w.tree(f.params.Value(), of, false)
	}
	if s.Terminal() {
		for _, m := range f.terminal {
			if m != nil {
				w.add(TemplateSite, m.Value(), of)
			}
		}
	}
	if name, _ := valueOf(f.actionName).Str(); name == "zis:common:transform:Jq" {
		if m := valueOf(f.params).Member("expr"); m != nil {
			w.add(JqSite, m.Value(), of)
		}
	}
}

func (w *siteWalker) choiceRule(rule *bundle.Node, of siteOwner) {
	if rule == nil || rule.Kind() != bundle.Object {
		return
	}
	members := rule.Members()
	for i := range members {
		m := &members[i]
		switch {
		case m.Key() == "Variable" || strings.HasSuffix(m.Key(), "Path"):
			w.add(PathSite, m.Value(), of)
		case m.Key() == "And" || m.Key() == "Or":
			for _, sub := range m.Value().Elems() {
				w.choiceRule(sub, of)
			}
		case m.Key() == "Not":
			w.choiceRule(m.Value(), of)
		}
	}
}

// zisPlaceholder finds a {{$…}} placeholder; {{name}} without the $ is a
// deploy-time variable, filled in before upload.
var zisPlaceholder = lazyre.New(`\{\{\s*\$`)

// tree walks Parameters or an action definition. Keys ending in ".$"
// are evaluated; a plain key whose value looks like a path probably
// lacks the suffix. In action definitions plain strings are templates
// too: ZIS interpolates {{$.x}} there with or without ".$".
func (w *siteWalker) tree(n *bundle.Node, of siteOwner, plainTemplates bool) {
	switch n.Kind() {
	case bundle.Object:
		members := n.Members()
		for i := range members {
			m := &members[i]
			s, isString := m.Value().Str()
			switch {
			case strings.HasSuffix(m.Key(), ".$"):
				w.add(DynamicSite, m.Value(), of)
			case isString && (s == "$" || strings.HasPrefix(s, "$.")):
				w.add(SuffixSite, m.Value(), of)
			case isString && !plainTemplates && strings.Contains(s, "{{") && zisPlaceholder().MatchString(s):
				// Flow Parameters fill {{…}} only under a ".$" key.
				w.add(SuffixSite, m.Value(), of)
			case isString && plainTemplates:
				w.add(TemplateSite, m.Value(), of)
			default:
				w.tree(m.Value(), of, plainTemplates)
			}
		}
	case bundle.Array:
		for _, e := range n.Elems() {
			if e.Kind() == bundle.String && plainTemplates {
				w.add(TemplateSite, e, of)
				continue
			}
			w.tree(e, of, plainTemplates)
		}
	}
}

// pointAt reports msg at byte offset off inside the string n, up to the
// end of the string.
func (r *reporter) pointAt(n *bundle.Node, off int, msg string) {
	start := n.SourceOffset(r.in.Bundle.Src, off)
	r.span(start, max(start+1, int(n.End())-1), msg)
}
