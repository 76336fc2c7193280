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
	m.addMachine(flow.Flow.Machine, actions, false)
	return m
}

func (m *flowModel) addMachine(mc *bundle.Machine, actions map[string]bool, inMap bool) {
	for _, s := range mc.States {
		switch s.Type {
		case bundle.StateChoice:
			m.addChoice(s, inMap)
		case bundle.StateAction, bundle.StatePass:
			if action := customAction(s, actions); action != "" {
				m.calls[s.Name] = action
			}
			if w, ok := newWriter(s, actions); ok && !inMap {
				m.writers = append(m.writers, w)
				if w.kind == byLoadConfig && w.scope != "" {
					m.scopes = append(m.scopes, w.scope)
				}
			}
			if name, _ := s.Entry.Value.Get("ActionName").Str(); name == jqAction && !inMap {
				m.addJqReads(s)
			} else if !inMap {
				m.addParamReads(s)
			}
		}
		if s.Iterator != nil {
			m.addMachine(s.Iterator, actions, true)
		}
	}
}

func (m *flowModel) addChoice(s *bundle.State, inMap bool) {
	c := choiceState{name: s.Name, inMap: inMap}
	if raw, ok := s.Entry.Value.Get("InputPath").Str(); ok {
		if p, err := bundle.ParsePath(raw); err == nil {
			c.prefix = p.Segments
		}
	}
	for _, rule := range s.Entry.Value.Get("Choices").Items() {
		conds := conditions(rule)
		c.rules = append(c.rules, conds)
		m.conds = append(m.conds, conds...)
	}
	m.choices = append(m.choices, c)
}

// newWriter describes the state's write, when it has a ResultPath the
// search can follow ($ replaces the whole document and is left out).
func newWriter(s *bundle.State, actions map[string]bool) (writer, bool) {
	obj := s.Entry.Value
	raw, ok := obj.Get("ResultPath").Str()
	if !ok {
		return writer{}, false
	}
	p, err := bundle.ParsePath(raw)
	if err != nil || len(p.Segments) == 0 {
		return writer{}, false
	}
	w := writer{state: s.Name, kind: byOther, at: p.Segments}
	if s.Type == bundle.StatePass {
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
	name, _ := s.Entry.Value.Get("ActionName").Str()
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
