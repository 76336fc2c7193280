package rules

import (
	"reflect"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/events"
)

// DataFlow computes, once per bundle, what the document can hold when
// each state of each flow and Map iterator runs, over every path from
// StartAt. Rules that read paths ask it whether a path can be there.
var DataFlow = &analysis.Analyzer{
	Name:       "dataflow",
	Doc:        "compute what the document of each flow can hold at each state: the event's shape, the keys states write, and the opaque results of actions",
	Requires:   []*analysis.Analyzer{Root, Graph},
	Run:        runDataFlow,
	ResultType: reflect.TypeOf((*Flows)(nil)),
}

// Flows is the DataFlow result. A flow is analysed the first time a
// state of it (or of its Map iterators) is asked about, so that a lint
// pays only for the flows its rules read; the results are then kept.
// Like every analyzer result it is used by one pass at a time.
type Flows struct {
	// machines holds what is known of each machine, iterators included.
	machines map[*bundle.Machine]*machineFlow
	// last is the machine asked about last: rules go through a machine's
	// states in turn, so it spares most map lookups.
	last *machineFlow
	b    *bundle.Bundle // the bundle analysed
}

// machineFlow is what the analysis keeps of one machine. Its slices are
// indexed by State.Index: a slice per machine costs far less than a map
// entry per state.
type machineFlow struct {
	m     *bundle.Machine
	graph *bundle.Graph // nil when none was given
	done  bool          // the flow the machine belongs to was analysed
	// events lists, for a flow machine, the catalogued events its job
	// specs start it on; nil when some job spec's event is not
	// catalogued, or none starts it.
	events []*events.Event
	// inputs holds, per state, the document the state receives; a state
	// no path reaches has none.
	inputs []*DocValue
	// reads holds the reads of every state of the machine, in state
	// order, collected together the first time any is asked for: several
	// rules check the same reads of every state, and collecting them
	// parses every path. The reads of state i end at readEnds[i].
	reads    []pathRead
	readEnds []int32
}

// machineFlow returns what is kept of m, made on first use.
func (f *Flows) machineFlow(m *bundle.Machine) *machineFlow {
	if f.last != nil && f.last.m == m {
		return f.last
	}
	mf := f.machines[m]
	if mf == nil {
		mf = &machineFlow{m: m}
		f.machines[m] = mf
	}
	f.last = mf
	return mf
}

// stateReads returns stateReads(s, nil), collected once for all the
// states of s's machine; the rules that check reads share it and must
// not change it.
func (f *Flows) stateReads(s *bundle.State) []pathRead {
	mf := f.machineFlow(s.Machine)
	if mf.readEnds == nil {
		mf.collectReads()
	}
	start := int32(0)
	if s.Index > 0 {
		start = mf.readEnds[s.Index-1]
	}
	end := mf.readEnds[s.Index]
	return mf.reads[start:end:end]
}

// collectReads gathers the reads of every state of the machine into one
// slice made once. A machine of up to a few thousand states is gathered
// in a buffer reused from machine to machine and bundle to bundle, then
// copied. For a larger one a bound on the number of reads is counted
// first, without parsing a path, so that they are gathered into a slice
// of about their number and no buffer as large is made besides.
func (mf *machineFlow) collectReads() {
	states := mf.m.States
	mf.readEnds = make([]int32, len(states))
	if 2*len(states) > maxPooledReads {
		c := &readCollector{counting: true}
		for _, s := range states {
			c.state(s)
		}
		c.counting, c.reads = false, make([]pathRead, 0, c.bound)
		c.gather(states, mf.readEnds)
		mf.reads = c.reads
		return
	}
	buf := readBuffers.Get().(*[]pathRead)
	c := &readCollector{reads: (*buf)[:0]}
	c.gather(states, mf.readEnds)
	mf.reads = slices.Clone(c.reads)
	putReadBuffer(buf, c.reads)
}

// gather adds the reads of states, noting in ends where the reads of
// each end.
func (c *readCollector) gather(states []*bundle.State, ends []int32) {
	for i, s := range states {
		c.state(s)
		ends[i] = int32(len(c.reads))
	}
}

// putReadBuffer returns reads, buf's contents, to the pool, unless it
// grew too large to keep.
func putReadBuffer(buf *[]pathRead, reads []pathRead) {
	if cap(reads) > maxPooledReads {
		return // left to the collector
	}
	// Cleared, so that the pooled buffer keeps no parse tree alive; its
	// room past reads was cleared before.
	clear(reads)
	*buf = reads[:0]
	readBuffers.Put(buf)
}

// maxPooledReads bounds the buffers readBuffers keeps, and the machines
// gathered in them: one that served a flow of many thousand states
// would otherwise stay in the pool.
const maxPooledReads = 1 << 12

// readBuffers pools collectReads's buffers.
var readBuffers = sync.Pool{New: func() any { return new([]pathRead) }}

// Input returns the document state s receives, or nil when no path from
// StartAt reaches it.
func (f *Flows) Input(s *bundle.State) *DocValue {
	f.analyze(s.Machine)
	mf := f.machineFlow(s.Machine)
	if mf.inputs == nil {
		return nil
	}
	return mf.inputs[s.Index]
}

// ReadInput returns what state s's paths read: its input, or the part
// of it InputPath selects; nil when no path from StartAt reaches s.
func (f *Flows) ReadInput(s *bundle.State) *DocValue {
	in := f.Input(s)
	if in == nil {
		return nil
	}
	return effectiveInput(s, in)
}

// ActionInput returns the document a custom action's definition reads
// as $ when state s calls it, or nil when s calls no custom action or
// no path reaches s. Each call site has its own.
func (f *Flows) ActionInput(s *bundle.State) *DocValue {
	if in := f.Input(s); in != nil && callsCustomAction(s) {
		return parametersValue(s.Entry.Value().Get("Parameters"), effectiveInput(s, in))
	}
	return nil
}

// actionLookup is ActionInput(s).Lookup(segs), with ok false when
// ActionInput(s) is nil, resolving only the member of the Parameters the
// path steps into: a definition reads a key or two of what each caller
// passes, and building every caller's whole document cost an allocation
// per member.
func (f *Flows) actionLookup(s *bundle.State, segs []bundle.Segment) (presence Presence, found int, ok bool) {
	if !callsCustomAction(s) {
		return Absent, 0, false
	}
	return f.callerLookup(s, segs)
}

// callerLookup is actionLookup for a state known to call a custom
// action.
func (f *Flows) callerLookup(s *bundle.State, segs []bundle.Segment) (presence Presence, found int, ok bool) {
	in := f.Input(s)
	if in == nil {
		return Absent, 0, false
	}
	params := s.Entry.Value().Get("Parameters")
	if params == nil || params.Kind() != bundle.Object {
		presence, found = literalShape(params).Lookup(segs)
		return presence, found, true
	}
	if len(segs) == 0 {
		return Sure, 0, true
	}
	// The resolved Parameters are an object whose every key is surely
	// there: an index finds nothing, and a name the member that, last
	// of those naming it, resolved Parameters keep.
	if segs[0].IsIndex {
		return Absent, 0, true
	}
	members := params.Members()
	for i := len(members) - 1; i >= 0; i-- {
		m := &members[i]
		key, dynamic := strings.CutSuffix(m.Key(), ".$")
		if key != segs[0].Name {
			continue
		}
		input := effectiveInput(s, in)
		var value *DocValue
		if dynamic {
			value = dynamicValue(m.Value(), input)
		} else {
			value = parametersValue(m.Value(), input)
		}
		presence, found = value.Lookup(segs[1:])
		if presence == Absent || presence == Open {
			return presence, found + 1, true
		}
		return presence, len(segs), true
	}
	return Absent, 0, true
}

// Events returns the catalogued events that start the flow of m, or nil
// when its event is unknown.
func (f *Flows) Events(m *bundle.Machine) []*events.Event { return f.machineFlow(m).events }

// startHolds reports whether the start document of flow machine m may
// hold the path segs.
func (f *Flows) startHolds(m *bundle.Machine, segs []bundle.Segment) bool {
	p, _ := startDocument(f.Events(m)).Lookup(segs)
	return p != Absent
}

// analyze runs the analysis of the flow m belongs to, once.
func (f *Flows) analyze(m *bundle.Machine) {
	for m.Parent != nil {
		m = m.Parent.Machine
	}
	mf := f.machineFlow(m)
	if mf.done {
		return
	}
	mf.done = true
	if mf.graph != nil {
		sc := scratches.Get().(*fixpointScratch)
		f.machine(mf, startDocument(mf.events), sc)
		sc.release()
	}
}

// maxVisits bounds how often a state is computed: states are taken in
// reverse postorder, so only a loop brings one back, and past the bound
// its input is widened to opaque, which is stable.
const maxVisits = 4

func runDataFlow(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[Root].(*Input)
	return analyzeFlows(in.Bundle, pass.ResultOf[Graph].([]*bundle.Graph)), nil
}

// analyzeFlows prepares the analysis of every flow of b, whose
// machines' graphs are graphs.
func analyzeFlows(b *bundle.Bundle, graphs []*bundle.Graph) *Flows {
	f := &Flows{
		machines: make(map[*bundle.Machine]*machineFlow, len(graphs)),
		b:        b,
	}
	for _, g := range graphs {
		f.machineFlow(g.Machine).graph = g
	}
	f.noteEvents()
	return f
}

// noteEvents notes, for each flow machine, the catalogued events of the
// job specs that start it. A flow started by any job spec whose event
// the catalogue lacks gets none: its input is unknown.
func (f *Flows) noteEvents() {
	flows := f.flowsByName()
	var unknown []*machineFlow
	for _, res := range f.b.OfType(bundle.TypeJobSpec) {
		js := res.JobSpec
		name, _ := js.FlowName.Str()
		ref, err := bundle.ParseRef(name)
		m := flows.find(ref.Name)
		if err != nil || m == nil {
			continue
		}
		mf := f.machineFlow(m)
		source, _ := js.EventSource.Str()
		typ, _ := js.EventType.Str()
		e, ok := events.Lookup(source, typ)
		if !ok {
			unknown = append(unknown, mf)
			continue
		}
		mf.events = append(mf.events, e)
	}
	for _, mf := range unknown {
		mf.events = nil
	}
}

// flowMachines finds a bundle's flow machines by name; of two flows of
// one name, the later is found.
type flowMachines struct {
	all    []*bundle.Machine          // every machine, iterators too
	byName map[string]*bundle.Machine // when there are many
}

// flowsByName lists the flow machines of f's bundle.
func (f *Flows) flowsByName() flowMachines {
	fm := flowMachines{all: f.b.Machines()}
	// A bundle holds a flow or two: scanning them beats making a map,
	// which only a bundle of many machines needs.
	if len(fm.all) > 8 {
		fm.byName = make(map[string]*bundle.Machine, len(fm.all))
		for _, m := range fm.all {
			if m.Parent == nil {
				fm.byName[m.Flow.NameText()] = m
			}
		}
	}
	return fm
}

func (fm flowMachines) find(name string) *bundle.Machine {
	if fm.byName != nil {
		return fm.byName[name]
	}
	for i := len(fm.all) - 1; i >= 0; i-- {
		if m := fm.all[i]; m.Parent == nil && m.Flow.NameText() == name {
			return m
		}
	}
	return nil
}

// startDocument is the document a flow starts with: the shape of each
// of its events joined, or the keys ZIS always sets around an unknown
// input; either way with connections, which older ZIS documents as
// holding each connection's token.
func startDocument(evs []*events.Event) *DocValue {
	switch len(evs) {
	case 0:
		return unknownEventDocument
	case 1:
		if doc, ok := eventStartDocuments.Load(evs[0]); ok {
			return doc.(*DocValue)
		}
		doc, _ := eventStartDocuments.LoadOrStore(evs[0], joinedStartDocument(evs))
		return doc.(*DocValue)
	}
	return joinedStartDocument(evs)
}

// eventStartDocuments interns the start document of a flow started on
// one event, the usual case: the catalogue never changes, and every
// bundle on the same event starts from the same document.
var eventStartDocuments sync.Map // *events.Event → *DocValue

// joinedStartDocument is the start document of a flow started on evs.
func joinedStartDocument(evs []*events.Event) *DocValue {
	doc := &DocValue{Fields: []DocField{olderConnections}}
	for _, e := range evs {
		doc.Events = appendNode(doc.Events, e.Document())
	}
	return doc
}

// olderConnections is $.connections, from which the older documentation
// reads a connection's access_token (connection_token reports the
// practice): it may be there, and what it holds is not known.
var olderConnections = DocField{Key: "connections", Value: opaqueValue}

// machine runs the analysis of one state machine from its start
// document to a fixed point, then of the Map iterators it reaches.
func (f *Flows) machine(mf *machineFlow, start *DocValue, sc *fixpointScratch) {
	g := mf.graph
	if g.Start == nil {
		return
	}
	m := g.Machine
	mf.inputs = make([]*DocValue, len(m.States))
	work := sc.begin(g)
	work.push(g.Start.Index)
	mf.inputs[g.Start.Index] = start
	for work.Len() > 0 {
		s := m.States[work.pop()]
		if work.visit(s.Index) > maxVisits {
			mf.inputs[s.Index] = opaqueValue
		}
		sc.outs = f.transfer(s, mf.inputs[s.Index], sc.outs[:0])
		for _, out := range sc.outs {
			if flowInto(mf.inputs, out.to, out.doc) {
				work.push(out.to.Index)
			}
		}
	}
	for _, s := range m.States {
		it := s.Iterator()
		if it == nil || mf.inputs[s.Index] == nil {
			continue
		}
		if imf := f.machineFlow(it); imf.graph != nil {
			f.machine(imf, itemValue(s, mf.inputs[s.Index]), sc)
		}
	}
}

// flowInto joins doc into the input of state t and reports whether it
// changed.
func flowInto(inputs []*DocValue, t *bundle.State, doc *DocValue) bool {
	old := inputs[t.Index]
	joined := joinValues(old, doc)
	if sameValue(old, joined) {
		return false
	}
	inputs[t.Index] = joined
	return true
}

// callsCustomAction reports whether s is an Action state naming an
// action of a bundle rather than a built-in zis:common one.
func callsCustomAction(s *bundle.State) bool {
	if s.Type() != bundle.StateAction {
		return false // before parsing the name: most states are not actions
	}
	name, _ := s.Entry.Value().Get("ActionName").Str()
	ref, err := bundle.ParseRef(name)
	return err == nil && ref.Integration != bundle.CommonKey
}

// edgeOut is the document one transition carries to its target.
type edgeOut struct {
	to  *bundle.State
	doc *DocValue
}

// transfer appends to outs the documents a state passes along each of
// its followed transitions.
func (f *Flows) transfer(s *bundle.State, doc *DocValue, outs []edgeOut) []edgeOut {
	var normal *DocValue
	for _, e := range s.Edges() {
		t := s.Machine.State(e.Target())
		if e.Misplaced || t == nil {
			continue
		}
		if e.Kind == bundle.EdgeCatch {
			outs = append(outs, edgeOut{t, caughtDocument(s.Rule(&e), doc)})
			continue
		}
		if normal == nil {
			normal = stateOutput(s, doc)
		}
		outs = append(outs, edgeOut{t, normal})
	}
	return outs
}

// stateOutput is the document after s runs without error.
func stateOutput(s *bundle.State, doc *DocValue) *DocValue {
	obj := s.Entry.Value()
	input := effectiveInput(s, doc)
	var result *DocValue
	switch s.Type() {
	case bundle.StatePass:
		result = passResult(obj, input)
	case bundle.StateAction:
		result = actionResult(obj)
	case bundle.StateMap:
		// Each item's result comes from the iterator's last state:
		// not tracked, so nothing is claimed below it.
		result = opaqueValue
	default:
		// Choice and Wait pass their input on; Succeed and Fail end.
		return doc
	}
	out := applyResultPath(obj.Member("ResultPath"), doc, result)
	var room [pathRoom]bundle.Segment
	if segs, ok := stepsOf(obj.Get("OutputPath"), room[:0]); ok {
		out = out.at(segs)
	}
	return out
}

// effectiveInput is what the state's reads see: the document, or the
// part InputPath selects.
func effectiveInput(s *bundle.State, doc *DocValue) *DocValue {
	var room [pathRoom]bundle.Segment
	if segs, ok := stepsOf(s.Entry.Value().Get("InputPath"), room[:0]); ok {
		return doc.at(segs)
	}
	return doc
}

// passResult is a Pass state's result: its Result, its resolved
// Parameters, or its input.
func passResult(obj *bundle.Node, input *DocValue) *DocValue {
	if r := obj.Member("Result"); r != nil {
		return literalShape(r.Value())
	}
	if params := obj.Member("Parameters"); params != nil {
		return parametersValue(params.Value(), input)
	}
	return input
}

// applyResultPath places result in doc as ResultPath says: absent or
// "$" replaces the document, null keeps it, a path writes there.
func applyResultPath(m *bundle.Member, doc, result *DocValue) *DocValue {
	if m == nil {
		return result
	}
	if m.Value().Kind() == bundle.Null {
		return doc
	}
	var room [pathRoom]bundle.Segment
	segs, ok := stepsOf(m.Value(), room[:0])
	if !ok {
		return opaqueValue
	}
	return doc.with(segs, result)
}

// caughtDocument is the document a Catch passes on: {Error, Cause} at
// the Catch's ResultPath.
func caughtDocument(catch *bundle.Node, doc *DocValue) *DocValue {
	return applyResultPath(catch.Member("ResultPath"), doc, caughtError)
}

// caughtError is what a Catch passes on: the error's name and cause.
var caughtError = &DocValue{Fields: []DocField{
	{Key: "Cause", Value: leafValue, Sure: true},
	{Key: "Error", Value: leafValue, Sure: true},
}}

// unknownEventDocument is the document of a flow whose event is not
// catalogued: the keys ZIS always sets around an opaque input. Fields
// are in key order.
var unknownEventDocument = &DocValue{Fields: []DocField{
	{Key: "account_id", Value: leafValue, Sure: true},
	olderConnections,
	{Key: "input", Value: opaqueValue, Sure: true},
	{Key: "integration_key", Value: leafValue, Sure: true},
	{Key: "subdomain", Value: leafValue, Sure: true},
}}

// itemValue is the document each iteration of a Map starts with: an
// element of ItemsPath when the catalogue knows the array's elements.
func itemValue(s *bundle.State, doc *DocValue) *DocValue {
	// The document InputPath selects comes first: its parse and that of
	// ItemsPath would otherwise share room.
	input := effectiveInput(s, doc)
	var room [pathRoom]bundle.Segment
	segs, ok := stepsOf(s.Entry.Value().Get("ItemsPath"), room[:0])
	if !ok {
		return opaqueValue
	}
	return input.at(segs).at([]bundle.Segment{{IsIndex: true}})
}

// pathRoom is how many steps the paths parsed for one use have room for
// on the stack; a longer path's steps go to the heap.
const pathRoom = 8

// stepsOf parses the path field n into room, for a use that keeps none
// of it; ok is false when n is absent, not a string or does not parse.
// The paths a state writes, selects, passes on and reads are parsed on
// every use rather than kept: a large flow writes and reads paths of its
// own in every state, and a cache of their parses, with the steps of
// each read, was most of the memory of its data-flow analysis.
func stepsOf(n *bundle.Node, room []bundle.Segment) ([]bundle.Segment, bool) {
	s, ok := n.Str()
	if !ok {
		return nil, false
	}
	p, err := bundle.ParsePathInto(s, room)
	return p.Segments, err == nil
}
