package explore

import (
	"maps"
	"slices"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/simulate"
)

// Where a value of a fixture lives.
const (
	inEvent    = "event"
	inResponse = "response"
	inConfig   = "config"
)

// place is one field of a fixture: under its event, under the bodies of
// an action's recorded responses, or under a config scope.
type place struct {
	root   string
	action string // for inResponse
	index  int    // for inResponse: which response, or -1 for all
	scope  string // for inConfig
	path   []bundle.Segment
	// each, when set, makes p the array of a Map's items, and the field
	// each names inside every item the place meant.
	each []bundle.Segment
}

// set writes v (or removes the field, for absent) at p in f, creating
// the objects on the way. It reports whether the fixture changed.
func (p place) set(f *simulate.Fixture, v any) bool {
	if p.each != nil {
		return p.setEach(f, v)
	}
	switch p.root {
	case inEvent:
		out, ok := setAt(f.Event, p.path, v)
		f.Event = out
		return ok
	case inConfig:
		if f.Config == nil {
			f.Config = map[string]any{}
		}
		out, ok := setAt(f.Config[p.scope], p.path, v)
		if _, isObject := out.(map[string]any); !isObject {
			return false // a scope holds an object, as LoadConfig returns it
		}
		f.Config[p.scope] = out
		return ok
	}
	list := f.Responses[p.action]
	changed := false
	for i := range list {
		if p.index >= 0 && i != p.index {
			continue
		}
		out, ok := setAt(list[i].Body, p.path, v)
		list[i].Body, changed = out, changed || ok
	}
	return changed
}

// setEach sets the field of every item of the array at p.
func (p place) setEach(f *simulate.Fixture, v any) bool {
	arr, _ := p.at().get(f)
	items, _ := arr.([]any)
	changed := false
	for i := range items {
		item := p.at().child(bundle.Segment{Index: i, IsIndex: true})
		changed = item.child(p.each...).set(f, copyValue(v)) || changed
	}
	return changed
}

// at is the array of items itself, for a place of each item.
func (p place) at() place {
	p.each = nil
	return p
}

// has reports whether the fixture has a value at p.
func (p place) has(f *simulate.Fixture) bool {
	_, ok := p.get(f)
	return ok
}

// get returns the fixture's value at p (for all responses, the first
// one's).
func (p place) get(f *simulate.Fixture) (any, bool) {
	var doc any
	switch p.root {
	case inEvent:
		doc = f.Event
	case inConfig:
		doc = f.Config[p.scope]
	default:
		if list := f.Responses[p.action]; len(list) > 0 {
			doc = list[max(p.index, 0)%len(list)].Body
		}
	}
	for _, seg := range p.path {
		switch x := doc.(type) {
		case map[string]any:
			var ok bool
			if doc, ok = x[seg.Name]; !ok || seg.IsIndex {
				return nil, false
			}
		case []any:
			if !seg.IsIndex || seg.Index < 0 || seg.Index >= len(x) {
				return nil, false
			}
			doc = x[seg.Index]
		default:
			return nil, false
		}
	}
	return doc, true
}

// setAt returns doc with v at path; objects missing on the way are made.
// An index past an array's end, or a step through a scalar, fails.
func setAt(doc any, path []bundle.Segment, v any) (any, bool) {
	if len(path) == 0 {
		if v == absent {
			return doc, false
		}
		return v, true
	}
	seg, rest := path[0], path[1:]
	if seg.IsIndex {
		arr, ok := doc.([]any)
		if !ok || seg.Index < 0 || seg.Index >= len(arr) {
			return doc, false
		}
		if len(rest) == 0 && v == absent {
			return append(arr[:seg.Index:seg.Index], arr[seg.Index+1:]...), true
		}
		out, ok := setAt(arr[seg.Index], rest, v)
		arr[seg.Index] = out
		return arr, ok
	}
	obj, ok := doc.(map[string]any)
	if doc == nil {
		obj, ok = map[string]any{}, true
	}
	if !ok {
		return doc, false
	}
	if len(rest) == 0 && v == absent {
		_, had := obj[seg.Name]
		delete(obj, seg.Name)
		return obj, had
	}
	out, changed := setAt(obj[seg.Name], rest, v)
	if changed {
		obj[seg.Name] = out
	}
	return obj, changed
}

// field is a value found in a fixture, with its place.
type field struct {
	at    place
	value any
}

// maxFields bounds the fields of one fixture that are mutated one by
// one: an event of thousands of fields would otherwise make every round
// of the search as long.
const maxFields = 200

// fields lists the scalars and arrays of the fixture's event, response
// bodies and config scopes, in a fixed order: keys sorted, actions and
// scopes by name.
func fields(f *simulate.Fixture) []field {
	var out []field
	walk(place{root: inEvent}, f.Event, &out)
	for _, action := range slices.Sorted(maps.Keys(f.Responses)) {
		for i, r := range f.Responses[action] {
			walk(place{root: inResponse, action: action, index: i}, r.Body, &out)
		}
	}
	for _, scope := range slices.Sorted(maps.Keys(f.Config)) {
		walk(place{root: inConfig, scope: scope}, f.Config[scope], &out)
	}
	return out
}

func walk(at place, v any, out *[]field) {
	if len(*out) >= maxFields {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			walk(at.child(bundle.Segment{Name: k}), x[k], out)
		}
		return
	case []any:
		*out = append(*out, field{at, v})
		for i, e := range x {
			walk(at.child(bundle.Segment{Index: i, IsIndex: true}), e, out)
		}
		return
	}
	if len(at.path) > 0 {
		*out = append(*out, field{at, v})
	}
}

// child is the place the steps lead to below p.
func (p place) child(steps ...bundle.Segment) place {
	p.path = append(p.path[:len(p.path):len(p.path)], steps...)
	return p
}
