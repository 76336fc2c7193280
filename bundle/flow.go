package bundle

import (
	"cmp"
	"slices"
	"strconv"
)

// The state types of the ZIS flow language.
const (
	StateAction  = "Action"
	StateChoice  = "Choice"
	StateMap     = "Map"
	StateWait    = "Wait"
	StateSucceed = "Succeed"
	StateFail    = "Fail"
	StatePass    = "Pass"
)

// Machine is a flow definition or a Map state's Iterator: StartAt and
// States, with the states in source order.
type Machine struct {
	Node    *Node // the object holding StartAt and States
	StartAt *Node // a string node, or nil when missing or mistyped
	// States are in source order; a state shadowed by a later one of the
	// same name is left out, as a decoder drops it.
	States []*State
	Flow   *Resource
	Parent *State   // the Map state owning this iterator; nil for a flow
	index  keyTable // finds States by name
	// iterators are the Iterators of the machine's Map states, in state
	// order: few, so a state keeps no field for one.
	iterators []*Machine
	// edges holds the edges of all the states, each state's in a run:
	// state i's from edgeStarts[i] to edgeStarts[i+1]. A slice per state
	// was 24 bytes a state, and two indexes in each state 8.
	edges      []Edge
	edgeStarts []int32
	// nestedVias are the Vias of the edges of rules nested in And, Or
	// and Not, which such an edge indexes: few, and each its own text;
	// nestedRules are those rules.
	nestedVias  []string
	nestedRules []*Node
}

// State returns the state named name, or nil.
func (m *Machine) State(name string) *State {
	if i := m.index.find(name, m.stateName); i >= 0 {
		return m.States[i]
	}
	return nil
}

// stateName is the name of the state at index i, as the index reads it.
func (m *Machine) stateName(i int) string { return m.States[i].Name }

// Names returns the state names in source order.
func (m *Machine) Names() []string {
	out := make([]string, len(m.States))
	for i, s := range m.States {
		out[i] = s.Name
	}
	return out
}

// Describe names the machine for messages: `flow "X"` or
// `iterator of Map state "Y" in flow "X"`.
func (m *Machine) Describe() string {
	flow := strconv.Quote(m.Flow.Key)
	if m.Flow.Name != nil {
		flow = strconv.Quote(m.Flow.NameText())
	}
	if m.Parent == nil {
		return "flow " + flow
	}
	return "iterator of Map state " + strconv.Quote(m.Parent.Name) + " in " + m.Parent.Machine.Describe()
}

// State is one entry of a States object: 48 bytes, a large flow keeping
// one per state. Its Next, End, Default and Iterator are found when
// asked for, from its object and its machine: as fields they were 32
// bytes more, and few states are asked for them. Its type is kept as a
// byte, and its edges' place in its machine's starts.
type State struct {
	Name    string
	Index   int     // position in Machine.States
	Entry   *Member // "Name": {...}, for positions
	Machine *Machine
	typ     stateType
}

// stateType is the Type of a state: one of the types of the flow
// language, none, or another string, which only the state's object
// holds.
type stateType uint8

// The stateTypes.
const (
	noType stateType = iota
	actionType
	choiceType
	mapType
	waitType
	succeedType
	failType
	passType
	otherType // any other string
)

// stateTypes are the texts of the stateTypes but otherType.
var stateTypes = [otherType]string{
	noType: "", actionType: StateAction, choiceType: StateChoice, mapType: StateMap,
	waitType: StateWait, succeedType: StateSucceed, failType: StateFail, passType: StatePass,
}

// typeOf is the stateType of the type text t.
func typeOf(t string) stateType {
	for i, known := range stateTypes {
		if t == known {
			return stateType(i)
		}
	}
	return otherType
}

// Type returns the state's Type: "" when missing or not a string.
func (s *State) Type() string {
	if s.typ == otherType {
		t, _ := s.field("Type").Str()
		return t
	}
	return stateTypes[s.typ]
}

// Next, End and Default return the nodes of those fields when present,
// whatever their JSON type; nil otherwise. Of two members of one name
// the last counts, as everywhere in the model.
func (s *State) Next() *Node    { return s.field("Next") }
func (s *State) End() *Node     { return s.field("End") }
func (s *State) Default() *Node { return s.field("Default") }

// field returns the value of the state's member name, nil for none or
// for a State not made by the model.
func (s *State) field(name string) *Node {
	if s.Entry == nil {
		return nil
	}
	return s.Entry.Value().Get(name)
}

// Iterator returns the machine of a Map state's Iterator object; nil for
// other states.
func (s *State) Iterator() *Machine {
	if s.Machine == nil {
		return nil // a State not made by the model
	}
	its := s.Machine.iterators
	i, found := slices.BinarySearchFunc(its, s.Index, func(it *Machine, index int) int { return cmp.Compare(it.Parent.Index, index) })
	if !found {
		return nil
	}
	return its[i]
}

// Edges returns the transitions that name another state, each with the
// node of the name: Next, Default, Choices[i].Next (at any nesting
// depth) and Catch[i].Next. The slice has no spare capacity, and no
// caller may write to it.
func (s *State) Edges() []Edge {
	m := s.Machine
	if m == nil || s.Index+1 >= len(m.edgeStarts) {
		return nil // a State not made by the model
	}
	start, end := m.edgeStarts[s.Index], m.edgeStarts[s.Index+1]
	if start == end {
		return nil
	}
	return m.edges[start:end:end]
}

// EdgeKind says which field of a state an edge was written in. A byte,
// so that it and Misplaced share the last word of an Edge.
type EdgeKind uint8

// The kinds of Edge.
const (
	EdgeNext    EdgeKind = iota // Next
	EdgeDefault                 // a Choice's Default
	EdgeChoice                  // the Next of a Choice rule
	EdgeCatch                   // the Next of a Catch entry
)

// Edge is one named transition out of a state: 16 bytes, a machine
// holding one array of them. Its target is the text of its Node, and its
// Via and its Rule are told by its kind and an index (see State.Via and
// State.Rule): keeping the Via as a string made an edge 56 bytes, a
// tenth of what a large flow's model keeps alive, and the Rule took 8
// of 24.
type Edge struct {
	Node *Node // the string node naming the target
	// at is the index of the Choice rule or the Catch entry; for a rule
	// nested in And, Or or Not, the index of its Via and its rule in the
	// machine's nestedVias and nestedRules.
	at   int32
	Kind EdgeKind
	// Misplaced marks a transition ZIS does not follow: a Next inside an
	// And, Or or Not rule, or a Next on a Succeed, Fail or Choice state.
	// Its target must still exist, but it does not make that target
	// reachable.
	Misplaced bool
}

// Target returns the name of the state the edge leads to.
func (e *Edge) Target() string { return e.Node.Text() }

// Via returns where e, one of s's edges, was written, e.g.
// "Choices[0].Next".
func (s *State) Via(e *Edge) string {
	switch {
	case e.Kind == EdgeNext:
		return "Next"
	case e.Kind == EdgeDefault:
		return "Default"
	case e.Kind == EdgeCatch:
		return indexedVia(&catchNextVias, "Catch[", "].Next", int(e.at))
	case e.Misplaced: // a rule nested in And, Or or Not
		return s.Machine.nestedVias[e.at]
	}
	return indexedVia(&choiceNextVias, "Choices[", "].Next", int(e.at))
}

// Rule returns the object holding the Next of e, one of s's edges: the
// Choice rule for EdgeChoice, the Catch entry for EdgeCatch; nil
// otherwise. It is looked up in the state's object, as the model found
// it: the last Choices or Catch member.
func (s *State) Rule(e *Edge) *Node {
	switch {
	case e.Kind == EdgeCatch:
		return s.Entry.Value().Get("Catch").Elems()[e.at]
	case e.Kind != EdgeChoice:
		return nil
	case e.Misplaced: // a rule nested in And, Or or Not
		return s.Machine.nestedRules[e.at]
	}
	return s.Entry.Value().Get("Choices").Elems()[e.at]
}

// IsEnd reports whether the state has "End": true.
func (s *State) IsEnd() bool {
	end := s.End()
	return end != nil && end.Kind() == Bool && end.Bool()
}

// Terminal reports whether the state type ends a run by itself.
func (s *State) Terminal() bool { return s.typ == succeedType || s.typ == failType }

func newMachine(def *Node, flow *Resource, parent *State) *Machine {
	m := &Machine{Node: def, Flow: flow, Parent: parent}
	m.StartAt = stringOrNil(def.Get("StartAt"))
	states := objectOrNil(def.Get("States"))
	if states == nil {
		return m
	}
	// The states are indexed by name as the members are met; a name
	// met twice, which leaves a member shadowed, is rare, and only then
	// are the live members listed and indexed apart. Listing them
	// always took a map of every name, 3.6 MB for 100,000 states, and a
	// slice of them, only to find none shadowed.
	members := states.Members()
	index, repeated := indexKeys(len(members), func(i int) string { return members[i].Key() })
	var live []*Member
	n := len(members)
	if repeated {
		live = liveMembers(states)
		n = len(live)
	}
	m.States = make([]*State, 0, n)
	// One array holds the machine's states: they live as long as it does,
	// and an allocation per state was a tenth of building a bundle.
	block := make([]State, n)
	// The machine's edges collect in one array, each state's in a run:
	// appending to each state's own slice cost an allocation or more per
	// state. Most states have one or two edges.
	m.edges = make([]Edge, 0, 2*n)
	m.edgeStarts = make([]int32, n+1)
	for i := range n {
		entry := &members[i]
		if repeated {
			entry = live[i]
		}
		s := &block[i]
		initState(s, i, entry, m)
		m.edgeStarts[i+1] = int32(len(m.edges))
		m.States = append(m.States, s)
	}
	m.index = index
	if repeated {
		m.index, _ = indexKeys(len(m.States), m.stateName)
	}
	return m
}

// initState fills in s, the state at index of machine m that entry
// defines; its edges are appended to m's.
func initState(s *State, index int, entry *Member, m *Machine) {
	*s = State{Name: entry.Key(), Index: index, Entry: entry, Machine: m}
	// One pass over the state's members finds every field the model
	// reads, the last of each name winning as in Get: looking each up in
	// turn scanned the members seven times.
	var typ, next, dflt, choices, catch, iterator *Node
	members := entry.Value().Members()
	for i := range members {
		f := &members[i]
		switch f.Key() {
		case "Type":
			typ = f.Value()
		case "Next":
			next = f.Value()
		case "Default":
			dflt = f.Value()
		case "Choices":
			choices = f.Value()
		case "Catch":
			catch = f.Value()
		case "Iterator":
			iterator = f.Value()
		}
	}
	typeText, _ := typ.Str()
	s.typ = typeOf(typeText)
	nextIgnored := s.Terminal() || s.typ == choiceType
	s.addEdge(next, 0, EdgeNext, nextIgnored)
	s.addEdge(dflt, 0, EdgeDefault, false)
	if choices != nil && choices.Kind() == Array {
		for i, c := range choices.Elems() {
			s.addRuleEdges(c, ChoicePlace(i))
		}
	}
	if catch != nil && catch.Kind() == Array {
		for i, c := range catch.Elems() {
			if next := c.Get("Next"); next != nil && next.Kind() == String {
				s.addEdge(next, i, EdgeCatch, false)
			}
		}
	}
	if s.typ == mapType {
		if it := objectOrNil(iterator); it != nil {
			m.iterators = append(m.iterators, newMachine(it, m.Flow, s))
		}
	}
}

// addEdge adds the edge to the state named by n, when n is a string; at
// is the edge's index (see Edge).
func (s *State) addEdge(n *Node, at int, kind EdgeKind, misplaced bool) {
	if n != nil && n.Kind() == String {
		s.Machine.edges = append(s.Machine.edges, Edge{Node: n, at: int32(at), Kind: kind, Misplaced: misplaced})
	}
}

// RulePlace is where a choice rule is written, kept as parts so that its
// text is built only when needed (an edge's Via for a rule with a Next, a
// message for a rule with a problem): the index in Choices, the steps
// below it to the rule's parent (".And[0]", built for rules nested two
// deep or more), and the last step.
type RulePlace struct {
	choice int
	nested string
	op     string // "And", "Or" or "Not"; "" for the choice itself
	index  int    // in And or Or
}

// ChoicePlace is the place of Choices[i].
func ChoicePlace(i int) RulePlace { return RulePlace{choice: i} }

// String is the place as text, such as "Choices[2].And[1].Not".
func (p RulePlace) String() string {
	return indexedVia(&choiceVias, "Choices[", "]", p.choice) + p.nested + p.lastStep()
}

// lastStep is the text of the place's last step.
func (p RulePlace) lastStep() string {
	switch p.op {
	case "":
		return ""
	case "Not":
		return ".Not"
	}
	return "." + p.op + "[" + strconv.Itoa(p.index) + "]"
}

// nextVia is the Via of the Next of the rule at p.
func (p RulePlace) nextVia() string {
	if p.op == "" {
		return indexedVia(&choiceNextVias, "Choices[", "].Next", p.choice)
	}
	return p.String() + ".Next"
}

// Child is the place of the rule at step op ("And", "Or" or "Not"),
// index below p.
func (p RulePlace) Child(op string, index int) RulePlace {
	return RulePlace{choice: p.choice, nested: p.nested + p.lastStep(), op: op, index: index}
}

// addRuleEdges adds the Next of a choice rule and, marked misplaced, of
// the rules nested in its And, Or and Not.
func (s *State) addRuleEdges(rule *Node, place RulePlace) {
	if rule == nil || rule.Kind() != Object {
		return
	}
	// One pass finds the members, the last of each name as Get does.
	var next, and, or, not *Node
	members := rule.Members()
	for i := range members {
		m := &members[i]
		switch m.Key() {
		case "Next":
			next = m.Value()
		case "And":
			and = m.Value()
		case "Or":
			or = m.Value()
		case "Not":
			not = m.Value()
		}
	}
	if next != nil && next.Kind() == String {
		at := place.choice
		if place.op != "" {
			at = len(s.Machine.nestedVias)
			s.Machine.nestedVias = append(s.Machine.nestedVias, place.nextVia())
			s.Machine.nestedRules = append(s.Machine.nestedRules, rule)
		}
		s.addEdge(next, at, EdgeChoice, place.op != "")
	}
	s.addNestedRules(and, "And", place)
	s.addNestedRules(or, "Or", place)
	s.addRuleEdges(not, place.Child("Not", 0))
}

// addNestedRules adds the edges of the rules in list, the And or Or (op)
// of the rule at place.
func (s *State) addNestedRules(list *Node, op string, place RulePlace) {
	if list == nil || list.Kind() != Array {
		return
	}
	for i, sub := range list.Elems() {
		s.addRuleEdges(sub, place.Child(op, i))
	}
}

// viaTable is how many indexes have their edge's Via written out once:
// choices and catches beyond it are rare.
const viaTable = 16

// The Via texts of the first choices and catches of a state.
var (
	choiceVias     = indexedVias("Choices[", "]")
	choiceNextVias = indexedVias("Choices[", "].Next")
	catchNextVias  = indexedVias("Catch[", "].Next")
)

func indexedVias(prefix, suffix string) [viaTable]string {
	var out [viaTable]string
	for i := range out {
		out[i] = prefix + strconv.Itoa(i) + suffix
	}
	return out
}

// indexedVia returns prefix, i and suffix, from table when it holds i.
func indexedVia(table *[viaTable]string, prefix, suffix string, i int) string {
	if i < viaTable {
		return table[i]
	}
	return prefix + strconv.Itoa(i) + suffix
}
