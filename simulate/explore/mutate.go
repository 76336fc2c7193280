package explore

import (
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/simulate"
)

// mutation changes a copy of a fixture in one way, and reports whether
// it changed anything.
type mutation func(f *simulate.Fixture) bool

// failureStatuses fail a custom action the ways ZIS tells apart: 429 and
// 500 make it run the flow again (state-retry-error-handling, S13 of
// zis-reference.md), another 4xx does not, as the simulator records.
var failureStatuses = []int{400, 429, 500}

// mutations lists every single change the search tries on a fixture
// (the seed shuffles them): the fields Choice rules read set to the
// neighbours of their constants, the fields Jq states and failed
// Parameters read, every field of the event, responses and config set
// to the flow's dictionary, arrays resized, responses failed, config
// scopes removed or added.
func (s *search) mutations(e *entry) []mutation {
	var out []mutation
	out = append(out, s.choiceMutations(e)...)
	out = append(out, s.jqMutations(e)...)
	out = append(out, s.paramMutations(e)...)
	for _, fl := range fields(e.f) {
		out = append(out, s.fieldMutations(fl)...)
	}
	out = append(out, responseMutations(e.f)...)
	out = append(out, configMutations(e.f)...)
	for _, scope := range s.model.scopes {
		if _, ok := e.f.Config[scope]; !ok {
			out = append(out, setMutation(place{root: inConfig, scope: scope}, map[string]any{}))
		}
	}
	return out
}

// paramMutations fill the parameters of the state the entry's run
// failed in.
func (s *search) paramMutations(e *entry) []mutation {
	if e.res.Error == nil {
		return nil
	}
	var out []mutation
	var reads []place
	for _, r := range s.model.paramReads {
		if r.state != e.res.Error.State {
			continue
		}
		reads = append(reads, r.at)
		for _, v := range paramValues {
			out = append(out, setMutation(r.at, v))
		}
	}
	if len(reads) > 1 {
		out = append(out, fillMissing(reads))
	}
	return out
}

// fillMissing gives every field of reads the fixture lacks a text, for
// a state whose several parameters are missing at once.
func fillMissing(reads []place) mutation {
	return func(f *simulate.Fixture) bool {
		changed := false
		for _, at := range reads {
			if !at.has(f) {
				changed = at.set(f, paramValues[0]) || changed
			}
		}
		return changed
	}
}

// jqMutations set the fields the Jq states on the entry's path read to
// the flow's dictionary, to an object and to a list of one object.
func (s *search) jqMutations(e *entry) []mutation {
	var out []mutation
	for _, r := range s.model.jqReads {
		if !e.visited[r.state] {
			continue
		}
		for _, v := range append(s.dict[:len(s.dict):len(s.dict)], map[string]any{}, []any{map[string]any{}}) {
			out = append(out, setMutation(r.at, v))
		}
	}
	return out
}

// choiceMutations set the fields the Choice states on the entry's path
// read to the values either side of their rules' constants; inside a
// Map, the field of every item.
func (s *search) choiceMutations(e *entry) []mutation {
	var out []mutation
	for _, c := range s.model.choices {
		if !e.visited[c.name] {
			continue
		}
		for _, rule := range c.rules {
			for _, cond := range rule {
				out = append(out, s.conditionMutations(&c, cond)...)
			}
		}
	}
	return out
}

func (s *search) conditionMutations(c *choiceState, cond condition) []mutation {
	at, _, ok := s.conditionSource(c, cond.variable)
	if !ok {
		return nil
	}
	values := cond.neighbours()
	if cond.value == nil {
		values = s.dict
	}
	var out []mutation
	for _, v := range values {
		out = append(out, setMutation(at, v))
	}
	if cond.other == nil || c.inMap {
		return out // two fields of each item are left to the dictionary
	}
	if other, _, ok := s.conditionSource(c, *cond.other); ok {
		out = append(out, copyMutations(at, other)...)
		for _, v := range s.dict {
			out = append(out, setBoth(at, other, v))
		}
	}
	return out
}

// conditionSource is where the field a Choice's condition reads comes
// from (see flowModel.source); inside a Map, it is a field of each item
// of the Map's items.
func (s *search) conditionSource(c *choiceState, variable bundle.Path) (place, *writer, bool) {
	path := append(c.prefix[:len(c.prefix):len(c.prefix)], variable.Segments...)
	if !c.inMap {
		return s.model.source(path)
	}
	if c.items == nil {
		return place{}, nil, false
	}
	items, w, ok := s.model.source(c.items)
	items.each = path
	return items, w, ok
}

// copyMutations set the field at to the value of the field from, and
// to a number either side of it: the cases of a comparison between two
// fields.
func copyMutations(at, from place) []mutation {
	var out []mutation
	for _, delta := range []float64{0, -1, 1} {
		out = append(out, func(f *simulate.Fixture) bool {
			v, ok := from.get(f)
			if n, isNumber := v.(float64); isNumber {
				v = n + delta
			} else if delta != 0 {
				return false
			}
			return ok && at.set(f, copyValue(v))
		})
	}
	return out
}

// setBoth sets two fields to the same value, for a comparison of two
// fields the fixture lacks.
func setBoth(a, b place, v any) mutation {
	return func(f *simulate.Fixture) bool {
		changedA := a.set(f, copyValue(v))
		return b.set(f, copyValue(v)) || changedA
	}
}

func setMutation(at place, v any) mutation {
	return func(f *simulate.Fixture) bool { return at.set(f, copyValue(v)) }
}

// fieldMutations set one field to each value of the dictionary, or
// resize an array: empty, one item, and one over the Map limit.
func (s *search) fieldMutations(fl field) []mutation {
	if arr, ok := fl.value.([]any); ok {
		var out []mutation
		for _, n := range []int{0, 1, simulate.MapItemLimit + 1} {
			if n != len(arr) {
				out = append(out, setMutation(fl.at, resized(arr, n)))
			}
		}
		return out
	}
	out := make([]mutation, 0, len(s.dict))
	for _, v := range s.dict {
		if !sameValue(v, fl.value) {
			out = append(out, setMutation(fl.at, v))
		}
	}
	return out
}

// resized repeats the array's items, in order, to n items; an empty
// array gets empty objects, the items a Map iterates over.
func resized(arr []any, n int) []any {
	out := make([]any, n)
	for i := range out {
		if len(arr) == 0 {
			out[i] = map[string]any{}
		} else {
			out[i] = copyValue(arr[i%len(arr)])
		}
	}
	return out
}

func sameValue(a, b any) bool {
	return reflect.DeepEqual(a, b)
}

// responseMutations fail an action's calls: each call alone, and all of
// them, which a Retry needs to give up and a Catch to take over.
func responseMutations(f *simulate.Fixture) []mutation {
	var out []mutation
	for _, action := range slices.Sorted(maps.Keys(f.Responses)) {
		n := len(f.Responses[action])
		for _, status := range failureStatuses {
			out = append(out, failResponses(action, -1, status))
			for i := 0; i < n && n > 1; i++ {
				out = append(out, failResponses(action, i, status))
			}
		}
	}
	return out
}

func failResponses(action string, index, status int) mutation {
	return func(f *simulate.Fixture) bool {
		changed := false
		for i := range f.Responses[action] {
			r := &f.Responses[action][i]
			if (index < 0 || i == index) && r.Status != status {
				r.Status, r.Body, changed = status, map[string]any{"error": fmt.Sprintf("status %d", status)}, true
			}
		}
		return changed
	}
}

// configMutations remove each config scope, or empty it: LoadConfig
// fails on a scope the store lacks.
func configMutations(f *simulate.Fixture) []mutation {
	var out []mutation
	for _, scope := range slices.Sorted(maps.Keys(f.Config)) {
		out = append(out,
			func(f *simulate.Fixture) bool { delete(f.Config, scope); return true },
			setMutation(place{root: inConfig, scope: scope}, map[string]any{}))
	}
	return out
}

// copyValue copies a document value, so that fixtures share no maps.
func copyValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = copyValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = copyValue(e)
		}
		return out
	}
	return v
}

// copyFixture copies the parts of a fixture that mutations change.
func copyFixture(f *simulate.Fixture) *simulate.Fixture {
	out := *f
	out.Event = copyValue(f.Event)
	out.Responses = make(map[string][]simulate.Response, len(f.Responses))
	for action, list := range f.Responses {
		out.Responses[action] = copyResponses(list)
	}
	if f.Config != nil {
		out.Config = copyValue(f.Config).(map[string]any)
	}
	out.Links, _ = copyValue(f.Links).([]any)
	return &out
}

func copyResponses(list []simulate.Response) []simulate.Response {
	out := make([]simulate.Response, len(list))
	for i, r := range list {
		out[i] = simulate.Response{Status: r.Status, Body: copyValue(r.Body), Headers: r.Headers}
	}
	return out
}
