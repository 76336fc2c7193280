package explore

import (
	"github.com/zislint/zislint/bundle"
)

// Kinds of state that write a field a Choice reads, as far as the
// search is concerned.
const (
	byCustomAction = "custom action"
	byLoadConfig   = "LoadConfig"
	byJq           = "Jq"
	byPass         = "Pass"
	byOther        = "other"
)

const (
	jqAction   = "zis:common:transform:Jq"
	loadConfig = "zis:common:action:LoadConfig"
)

// writer is a state of a flow that puts its result at a ResultPath.
type writer struct {
	state  string
	kind   string
	action string // a custom action's name, for byCustomAction
	scope  string // the scope a LoadConfig loads
	at     []bundle.Segment
}

// choiceState is a Choice state with the comparisons of each of its
// rules.
type choiceState struct {
	name   string
	prefix []bundle.Segment // its InputPath, which its rules read below
	rules  [][]condition
	inMap  bool // inside a Map's iterator, where $ is the item
	// items is the ItemsPath of the Map a choice inside one belongs to,
	// when that Map is at the top of the flow.
	items []bundle.Segment
}

// flowModel is what the search reads from a flow's definition: its
// Choice states, the states that write the fields they read, and which
// state calls which custom action.
type flowModel struct {
	choices []choiceState
	writers []writer
	calls   map[string]string // state name → custom action name
	conds   []condition
	jqReads []jqRead
	// paramReads are the fields Action states' Parameters read.
	paramReads []paramRead
	scopes     []string // the scopes LoadConfig states load
	// literals are the strings Jq expressions compare with or produce.
	literals []string
}

func newFlowModel(b *bundle.Bundle, flow *bundle.Resource) *flowModel {
	m := &flowModel{calls: map[string]string{}}
	actions := map[string]bool{}
	for _, a := range b.OfType(bundle.TypeAction) {
		actions[a.NameText()] = true
	}
	var readers []*bundle.State
	m.addMachine(flow.Flow.Machine, actions, "", nil, &readers)
	// What a state reads is followed back to its writers once all of
	// them are known: the order states are written in is not the order
	// they run in.
	for _, s := range readers {
		if name, _ := s.Entry.Value().Get("ActionName").Str(); name == jqAction {
			m.addJqReads(s)
		} else {
			m.addParamReads(s)
		}
	}
	return m
}

// addMachine adds the states of mc, which are inside the Map states
// scope names ("" at the top, "Map/" in an iterator); items is the
// ItemsPath of the Map whose iterator mc is.
func (m *flowModel) addMachine(mc *bundle.Machine, actions map[string]bool, scope string, items []bundle.Segment, readers *[]*bundle.State) {
	for _, s := range mc.States {
		switch s.Type() {
		case bundle.StateChoice:
			m.addChoice(s, scope, items)
		case bundle.StateAction, bundle.StatePass:
			if action := customAction(s, actions); action != "" {
				m.calls[s.Name] = action
			}
			if scope != "" {
				break // inside a Map, $ is the item, not the document
			}
			if w, ok := newWriter(s, actions); ok {
				m.writers = append(m.writers, w)
				if w.kind == byLoadConfig && w.scope != "" {
					m.scopes = append(m.scopes, w.scope)
				}
			}
			*readers = append(*readers, s)
		}
		if s.Iterator() != nil {
			m.addMachine(s.Iterator(), actions, scope+s.Name+"/", itemsPath(s, scope), readers)
		}
	}
}

// itemsPath is the ItemsPath of a Map state at the top of the flow, or
// nil: the items of a nested Map are not followed.
func itemsPath(s *bundle.State, scope string) []bundle.Segment {
	raw, ok := s.Entry.Value().Get("ItemsPath").Str()
	if !ok || scope != "" {
		return nil
	}
	p, err := bundle.ParsePath(raw)
	if err != nil {
		return nil
	}
	return p.Segments
}

func (m *flowModel) addChoice(s *bundle.State, scope string, items []bundle.Segment) {
	c := choiceState{name: scope + s.Name, inMap: scope != "", items: items}
	if raw, ok := s.Entry.Value().Get("InputPath").Str(); ok {
		if p, err := bundle.ParsePath(raw); err == nil {
			c.prefix = p.Segments
		}
	}
	for _, rule := range s.Entry.Value().Get("Choices").Items() {
		conds := conditions(rule)
		c.rules = append(c.rules, conds)
		m.conds = append(m.conds, conds...)
	}
	m.choices = append(m.choices, c)
}

// newWriter describes the state's write, when it has a ResultPath the
// search can follow ($ replaces the whole document and is left out).
func newWriter(s *bundle.State, actions map[string]bool) (writer, bool) {
	obj := s.Entry.Value()
	raw, ok := obj.Get("ResultPath").Str()
	if !ok {
		return writer{}, false
	}
	p, err := bundle.ParsePath(raw)
	if err != nil || len(p.Segments) == 0 {
		return writer{}, false
	}
	w := writer{state: s.Name, kind: byOther, at: p.Segments}
	if s.Type() == bundle.StatePass {
		w.kind = byPass
		return w, true
	}
	name, _ := obj.Get("ActionName").Str()
	switch name {
	case jqAction:
		w.kind = byJq
		return w, true
	case loadConfig:
		w.kind = byLoadConfig
		w.scope, _ = obj.Get("Parameters").Get("scope").Str()
		return w, true
	}
	if action := customAction(s, actions); action != "" {
		w.kind, w.action = byCustomAction, action
	}
	return w, true
}

// customAction is the name of the bundle's action the state calls, or
// "" for a built-in one.
func customAction(s *bundle.State, actions map[string]bool) string {
	name, _ := s.Entry.Value().Get("ActionName").Str()
	if ref, err := bundle.ParseRef(name); err == nil && ref.Integration != "common" && actions[ref.Name] {
		return ref.Name
	}
	return ""
}

// source says where the field at path, as a Choice at the top of the
// flow reads it, comes from: a place of the fixture when the search can
// set it, and otherwise the state that writes it.
func (m *flowModel) source(path []bundle.Segment) (place, *writer, bool) {
	var best *writer
	for i := range m.writers {
		w := &m.writers[i]
		if hasPrefix(path, w.at) && (best == nil || len(w.at) > len(best.at)) {
			best = w
		}
	}
	if best == nil {
		if len(path) > 0 && !path[0].IsIndex && path[0].Name == "input" {
			return place{root: inEvent, path: path[1:]}, nil, true
		}
		return place{}, nil, false
	}
	rest := path[len(best.at):]
	switch best.kind {
	case byCustomAction:
		return place{root: inResponse, action: best.action, index: -1, path: rest}, best, true
	case byLoadConfig:
		// LoadConfig returns {"config": the scope's settings}.
		if len(rest) > 0 && rest[0].Name == "config" && best.scope != "" {
			return place{root: inConfig, scope: best.scope, path: rest[1:]}, best, true
		}
	}
	return place{}, best, false
}

func hasPrefix(path, prefix []bundle.Segment) bool {
	if len(prefix) > len(path) {
		return false
	}
	for i, s := range prefix {
		if s.IsIndex != path[i].IsIndex || s.Name != path[i].Name || s.Index != path[i].Index {
			return false
		}
	}
	return true
}
