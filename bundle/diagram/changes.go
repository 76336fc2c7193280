package diagram

import (
	"encoding/json"
	"reflect"
	"strconv"

	"github.com/zislint/zislint/bundle"
)

// FlowStatus says how a flow differs from its base version.
type FlowStatus string

// The statuses of a flow.
const (
	FlowUnchanged FlowStatus = "unchanged"
	FlowAdded     FlowStatus = "added"
	FlowRemoved   FlowStatus = "removed"
	FlowChanged   FlowStatus = "changed"
)

// FlowChange is how one flow differs between a base bundle and the
// current one. States are named by their path: "Map / State" for a state
// of a Map's iterator.
type FlowChange struct {
	Key    string // the resource key
	Name   string // the flow's name in the current bundle, else in the base
	Status FlowStatus
	Flow   *bundle.Resource // the current flow; nil when removed
	// Added, Changed and Removed list state paths in source order.
	Added, Changed, Removed []string

	added, changed map[string]bool
}

// pathSep joins the names of a state path. Names may contain any text;
// the separator is only ever shown, never parsed.
const pathSep = " / "

// Compare lists how the flows of head differ from those of base: the
// flows of head in source order, then the flows only base has. A nil
// base means the bundle is new.
func Compare(base, head *bundle.Bundle) []*FlowChange {
	baseFlows := flowsByKey(base)
	var out []*FlowChange
	seen := map[string]bool{}
	for _, f := range Flows(head) {
		seen[f.Key] = true
		out = append(out, compareFlow(baseFlows[f.Key], f))
	}
	for _, f := range Flows(base) {
		if !seen[f.Key] {
			out = append(out, &FlowChange{Key: f.Key, Name: FlowName(f), Status: FlowRemoved})
		}
	}
	return out
}

// Flows returns the flow resources of b with a definition, in source
// order; none for a nil b.
func Flows(b *bundle.Bundle) []*bundle.Resource {
	if b == nil {
		return nil
	}
	var out []*bundle.Resource
	for _, r := range b.OfType(bundle.TypeFlow) {
		if r.Flow != nil && r.Flow.Machine != nil {
			out = append(out, r)
		}
	}
	return out
}

func flowsByKey(b *bundle.Bundle) map[string]*bundle.Resource {
	m := map[string]*bundle.Resource{}
	for _, f := range Flows(b) {
		m[f.Key] = f
	}
	return m
}

func compareFlow(base, head *bundle.Resource) *FlowChange {
	c := &FlowChange{Key: head.Key, Name: FlowName(head), Flow: head, added: map[string]bool{}, changed: map[string]bool{}}
	if base == nil {
		c.Status = FlowAdded
		walkStates(head.Flow.Machine, "", func(path string, _ *bundle.State) {
			c.added[path] = true
			c.Added = append(c.Added, path)
		})
		return c
	}
	old := map[string]*bundle.State{}
	walkStates(base.Flow.Machine, "", func(path string, s *bundle.State) { old[path] = s })
	walkStates(head.Flow.Machine, "", func(path string, s *bundle.State) {
		was, ok := old[path]
		delete(old, path)
		switch {
		case !ok:
			c.added[path] = true
			c.Added = append(c.Added, path)
		case !sameState(was, s):
			c.changed[path] = true
			c.Changed = append(c.Changed, path)
		}
	})
	walkStates(base.Flow.Machine, "", func(path string, _ *bundle.State) {
		if old[path] != nil {
			c.Removed = append(c.Removed, path)
		}
	})
	c.Status = FlowUnchanged
	if len(c.Added)+len(c.Changed)+len(c.Removed) > 0 || !sameValue(base.Flow.Machine.StartAt, head.Flow.Machine.StartAt) || base.NameText() != head.NameText() {
		c.Status = FlowChanged
	}
	return c
}

// walkStates calls fn for every state of m and of its iterators, depth
// first in source order, with the state's path.
func walkStates(m *bundle.Machine, prefix string, fn func(path string, s *bundle.State)) {
	for _, s := range m.States {
		fn(prefix+s.Name, s)
		if s.Iterator() != nil {
			walkStates(s.Iterator(), prefix+s.Name+pathSep, fn)
		}
	}
}

// sameState compares two versions of a state by value, ignoring layout
// and key order. A Map's iterator is left out: its states are compared
// one by one, so an edit inside marks the inner state, not the Map.
func sameState(a, b *bundle.State) bool {
	return reflect.DeepEqual(withoutIterator(a), withoutIterator(b))
}

func withoutIterator(s *bundle.State) any {
	v := s.Entry.Value().Interface()
	if obj, ok := v.(map[string]any); ok && s.Iterator() != nil {
		delete(obj, "Iterator")
	}
	return normalize(v)
}

// normalize makes numbers compare by value: 100 and 100.0 are the same
// number to ZIS.
func normalize(v any) any {
	switch v := v.(type) {
	case json.Number:
		if f, err := v.Float64(); err == nil {
			return f
		}
		return string(v)
	case map[string]any:
		for k, e := range v {
			v[k] = normalize(e)
		}
	case []any:
		for i, e := range v {
			v[i] = normalize(e)
		}
	}
	return v
}

func sameValue(a, b *bundle.Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(normalize(a.Interface()), normalize(b.Interface()))
}

// markChange marks the added and changed states of the diagram of f and
// draws the removed ones apart, with no edges.
func (d *Diagram) markChange(f *bundle.Resource, c *FlowChange) {
	walkStates(f.Flow.Machine, "", func(path string, s *bundle.State) {
		n := d.states[s]
		switch {
		case c.added[path]:
			n.Marks |= MarkAdded
			n.Lines = append(n.Lines, "added")
		case c.changed[path]:
			n.Marks |= MarkChanged
			n.Lines = append(n.Lines, "changed")
		}
	})
	for i, path := range c.Removed {
		d.Root.Nodes = append(d.Root.Nodes, &Node{
			ID:    "removed" + strconv.Itoa(i),
			Lines: []string{path, "removed"},
			Shape: ShapeRemoved,
		})
	}
}
