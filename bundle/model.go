// Package bundle is the model of a ZIS bundle, loaded with the position of
// every key and value so that any finding can point at the exact spot.
//
// The model is tolerant: a field of the wrong type is simply absent from
// the typed view (the schema rule reports it), while the Node tree keeps
// everything, unknown fields and duplicate keys included.
package bundle

import (
	"fmt"
	"iter"
	"slices"

	"github.com/zislint/zislint/internal/repofs"
)

// The three resource types a bundle may declare.
const (
	TypeAction  = "ZIS::Action::Http"
	TypeFlow    = "ZIS::Flow"
	TypeJobSpec = "ZIS::JobSpec"
)

// TemplateVersion is the only zis_template_version ZIS accepts.
const TemplateVersion = "2019-10-14"

// Bundle is one parsed bundle file.
type Bundle struct {
	Path       string
	Src        []byte       // nil in a bundle made by ParseDetached
	Root       *Node        // nil when the file is not valid JSON
	Syntax     *SyntaxError // the syntax error, if any
	Duplicates []DuplicateKey
	// Resources are in source order. A resource shadowed by a later one
	// under the same key is left out, as a JSON decoder drops it; the
	// duplicate is in Duplicates.
	Resources []*Resource
	lines     *LineIndex // built on the first Line
	// machines is Machines' answer, listed once in Parse: rules walk
	// the states of a bundle a score of times.
	machines []*Machine
}

// Resource is one entry of the top-level "resources" object.
type Resource struct {
	Key   string
	Entry *Member // the "key": {...} member, for positions
	Type  string  // "" when missing or not a string
	Props *Node   // the "properties" object, nil when absent
	Name  *Node   // properties.name when it is a string, else nil

	Action  *Action  // set when Type is TypeAction
	Flow    *Flow    // set when Type is TypeFlow
	JobSpec *JobSpec // set when Type is TypeJobSpec
}

// NameText returns properties.name, or "" when it is absent.
func (r *Resource) NameText() string {
	s, _ := r.Name.Str()
	return s
}

// Action is a ZIS::Action::Http resource.
type Action struct {
	Definition *Node // properties.definition, nil when absent
}

// Flow is a ZIS::Flow resource.
type Flow struct {
	Machine *Machine // nil when properties.definition is not an object
}

// JobSpec is a ZIS::JobSpec resource; fields are nil when absent or not
// strings.
type JobSpec struct {
	EventSource *Node
	EventType   *Node
	FlowName    *Node
}

// Load reads and parses the bundle at path. Only I/O problems are
// returned as errors; JSON problems are recorded in the Bundle.
func Load(path string) (*Bundle, error) {
	src, err := repofs.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src), nil
}

// Parse builds the model of src, which was read from path.
func Parse(path string, src []byte) *Bundle {
	return parse(path, src, ParseJSON, false)
}

// ParseShared is Parse for a src that is never written again: the model's
// strings share its bytes (see ParseJSONShared).
func ParseShared(path string, src []byte) *Bundle {
	return parse(path, src, ParseJSONShared, false)
}

// ParseDetached is ParseShared for a caller that lets src go once it is
// parsed, for a large bundle that nothing else needs the bytes of: the
// tree's text is copied out of src (see detach), the line table is built
// at once, and the Bundle's Src is nil. Positions stay exact, SourceOffset
// included. A bundle with a syntax error or a duplicate key keeps src, as
// the rules that report those read it.
func ParseDetached(path string, src []byte) *Bundle {
	return parse(path, src, ParseJSONShared, true)
}

func parse(path string, src []byte, parseJSON func([]byte) (*Node, []DuplicateKey, *SyntaxError), detached bool) *Bundle {
	b := &Bundle{Path: path, Src: src, lines: NewLineIndex(src)}
	b.Root, b.Duplicates, b.Syntax = parseJSON(src)
	if detached && b.Syntax == nil && len(b.Duplicates) == 0 {
		detach(b.Root, src)
		b.lines.Build()
		b.Src = nil
	}
	if res := b.Root.Get("resources"); res != nil && res.Kind() == Object {
		live := liveMembers(res)
		// One array holds the resources, as a machine's states: they
		// live as long as the bundle.
		block := make([]Resource, len(live))
		b.Resources = make([]*Resource, len(live))
		for i, m := range live {
			initResource(&block[i], m)
			b.Resources[i] = &block[i]
		}
	}
	b.machines = b.listMachines()
	return b
}

// initResource fills in r, the resource that the member m of "resources"
// defines.
func initResource(r *Resource, m *Member) {
	*r = Resource{Key: m.Key(), Entry: m}
	r.Type, _ = m.Value().Get("type").Str()
	if props := m.Value().Get("properties"); props != nil && props.Kind() == Object {
		r.Props = props
		if name := props.Get("name"); name != nil && name.Kind() == String {
			r.Name = name
		}
	}
	switch r.Type {
	case TypeAction:
		r.Action = &Action{Definition: objectOrNil(r.Props.Get("definition"))}
	case TypeFlow:
		r.Flow = &Flow{}
		if def := objectOrNil(r.Props.Get("definition")); def != nil {
			r.Flow.Machine = newMachine(def, r, nil)
		}
	case TypeJobSpec:
		r.JobSpec = &JobSpec{
			EventSource: stringOrNil(r.Props.Get("event_source")),
			EventType:   stringOrNil(r.Props.Get("event_type")),
			FlowName:    stringOrNil(r.Props.Get("flow_name")),
		}
	}
}

// OfType returns the resources of one type, in source order.
func (b *Bundle) OfType(typ string) []*Resource {
	// Counted first, so the list is one allocation: rules ask for it a
	// score of times per bundle.
	n := 0
	for _, r := range b.Resources {
		if r.Type == typ {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]*Resource, 0, n)
	for _, r := range b.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Machines returns every state machine of the bundle: each flow's, then
// the iterators of its Map states, depth first. The slice is the
// caller's own.
func (b *Bundle) Machines() []*Machine {
	return slices.Clone(b.allMachines())
}

// EachMachine yields the machines Machines lists, in its order, for a
// caller that only reads them: Machines copies its list for each caller.
func (b *Bundle) EachMachine() iter.Seq[*Machine] {
	return func(yield func(*Machine) bool) {
		for _, m := range b.allMachines() {
			if !yield(m) {
				return
			}
		}
	}
}

// allMachines is Machines without the copy, for readers inside the
// package.
func (b *Bundle) allMachines() []*Machine {
	if b.machines == nil {
		return b.listMachines() // a Bundle not made by Parse
	}
	return b.machines
}

func (b *Bundle) listMachines() []*Machine {
	var out []*Machine
	var walk func(m *Machine)
	walk = func(m *Machine) {
		out = append(out, m)
		for _, s := range m.States {
			if s.Iterator() != nil {
				walk(s.Iterator())
			}
		}
	}
	for _, r := range b.Resources {
		if r.Flow != nil && r.Flow.Machine != nil {
			walk(r.Flow.Machine)
		}
	}
	return out
}

// States yields every state of the bundle, machine by machine in the
// order of Machines, for the many checks that look at each state alone.
func (b *Bundle) States() iter.Seq[*State] {
	return func(yield func(*State) bool) {
		for _, m := range b.allMachines() {
			for _, s := range m.States {
				if !yield(s) {
					return
				}
			}
		}
	}
}

// Lines returns the bundle's line index, nil for a Bundle not made by
// Parse.
func (b *Bundle) Lines() *LineIndex { return b.lines }

// Line returns the 1-based line and column (in bytes) of offset.
// Rules use token positions; this is for callers outside the analyzers.
// The line table is built on the first call, so asking for many
// positions (coverage, diagrams) costs one pass over the source.
func (b *Bundle) Line(offset int) (line, col int) {
	x := b.lines
	if x == nil {
		x = NewLineIndex(b.Src) // a Bundle not made by Parse
	}
	return x.Position(offset)
}

// Position formats offset as path:line:col.
func (b *Bundle) Position(offset int) string {
	line, col := b.Line(offset)
	return fmt.Sprintf("%s:%d:%d", b.Path, line, col)
}

func objectOrNil(n *Node) *Node {
	if n != nil && n.Kind() == Object {
		return n
	}
	return nil
}

// shadowed reports whether a member after members[i] has its key.
func shadowed(members []Member, i int) bool {
	for j := i + 1; j < len(members); j++ {
		if members[j].Key() == members[i].Key() {
			return true
		}
	}
	return false
}

func stringOrNil(n *Node) *Node {
	if n != nil && n.Kind() == String {
		return n
	}
	return nil
}

// liveMembers returns the members of obj a decoder keeps: all but those
// shadowed by a later member with the same key. It takes linear time, so
// an object with many thousands of states stays cheap.
func liveMembers(obj *Node) []*Member {
	// Objects of a few dozen members, as nearly all are, are checked by
	// comparing keys, without building an index.
	const indexAt = 32
	if len(obj.Members()) <= indexAt {
		out := make([]*Member, 0, len(obj.Members()))
		members := obj.Members()
		for i := range members {
			if !shadowed(obj.Members(), i) {
				out = append(out, &members[i])
			}
		}
		return out
	}
	last := make(map[string]int, len(obj.Members()))
	ms := obj.Members()
	for i := range ms {
		m := &ms[i]
		last[m.Key()] = i
	}
	out := make([]*Member, 0, len(last))
	members := obj.Members()
	for i := range members {
		if last[members[i].Key()] == i {
			out = append(out, &members[i])
		}
	}
	return out
}
