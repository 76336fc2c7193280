package simulate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/internal/repofs"
)

// MarshalResult renders a result as its golden file holds it: JSON
// indented by two spaces, keys in the order of Result's fields (map keys
// sorted), a trailing newline. HTML characters stay as written: a golden
// is read by people, and "<" in a ticket body should look like "<".
func MarshalResult(r *Result) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteGolden writes r to the golden file at path unless it already
// holds exactly that, and reports whether it wrote.
func WriteGolden(path string, r *Result) (changed bool, err error) {
	data, err := MarshalResult(r)
	if err != nil {
		return false, err
	}
	if old, err := repofs.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	return true, repofs.WriteFile(path, data, 0o644)
}

// CompareGolden compares r with the golden file at path. It returns ""
// when they agree, else a one-line summary of the first difference and a
// diff (-want +got) of the two JSON documents. Both sides are compared as
// decoded JSON, so the golden's formatting and key order do not matter.
// The error is for a golden that is missing or not JSON.
func CompareGolden(path string, r *Result) (diff string, err error) {
	src, err := repofs.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: no golden file; run zislint test -update to write it, then review it", path)
	}
	if err != nil {
		return "", err
	}
	var want any
	if err := json.Unmarshal(src, &want); err != nil {
		return "", fmt.Errorf("%s: the golden is not valid JSON (%v); fix it or run zislint test -update", path, err)
	}
	data, err := MarshalResult(r)
	if err != nil {
		return "", err
	}
	var got any
	if err := json.Unmarshal(data, &got); err != nil {
		return "", err
	}
	d := cmp.Diff(want, got)
	if d == "" {
		return "", nil
	}
	return firstDifference(want, got) + "\n(-want +got):\n" + d, nil
}

// resultFields are the JSON names of Result's fields in their order, the
// order a reader meets them in the golden.
var resultFields = jsonFields(reflect.TypeOf(Result{}))

// requestFields are the same for Request.
var requestFields = jsonFields(reflect.TypeOf(Request{}))

func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// orderedKeys lists the keys of both objects: the known fields first, in
// their order, then any others sorted.
func orderedKeys(order []string, a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys, extra []string
	for _, k := range order {
		seen[k] = true
		keys = append(keys, k)
	}
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				extra = append(extra, k)
			}
		}
	}
	sort.Strings(extra)
	return append(keys, extra...)
}

// firstDifference names the first top-level field in which the golden
// (want) and the result (got) differ; for the list of states and the
// lists of requests it also names the index and the state.
func firstDifference(want, got any) string {
	w, wok := want.(map[string]any)
	g, gok := got.(map[string]any)
	if !wok || !gok {
		return "the golden is not a result object"
	}
	for _, k := range orderedKeys(resultFields, w, g) {
		wv, inW := w[k]
		gv, inG := g[k]
		switch {
		case !inW && !inG:
			continue
		case !inW:
			return fmt.Sprintf("%s: not in the golden, got %s", k, brief(gv))
		case !inG:
			return fmt.Sprintf("%s: the result has none, the golden has %s", k, brief(wv))
		case cmp.Equal(wv, gv):
			continue
		}
		switch k {
		case "states":
			return listDifference(k, wv, gv, func(i int, v any) string { return fmt.Sprintf("%s[%d] %s", k, i, brief(v)) },
				func(i int, a, b any) string {
					return fmt.Sprintf("states[%d]: want %s, got %s", i, brief(a), brief(b))
				})
		case "requests", "repeated_on_retry":
			return listDifference(k, wv, gv, func(i int, v any) string { return fmt.Sprintf("%s[%d] (state %s)", k, i, stateOf(v)) },
				func(i int, a, b any) string { return requestDifference(k, i, a, b) })
		}
		return fmt.Sprintf("%s: want %s, got %s", k, brief(wv), brief(gv))
	}
	return "the documents differ" // cmp found a difference no field shows
}

// listDifference finds the first differing element of two lists; item
// describes an element present on one side only, pair one on both.
func listDifference(field string, want, got any, item func(int, any) string, pair func(int, any, any) string) string {
	w, wok := want.([]any)
	g, gok := got.([]any)
	if !wok || !gok {
		return fmt.Sprintf("%s: want %s, got %s", field, brief(want), brief(got))
	}
	for i := 0; i < len(w) || i < len(g); i++ {
		switch {
		case i >= len(g):
			return fmt.Sprintf("%s is in the golden but not in the result (%d instead of %d)", item(i, w[i]), len(g), len(w))
		case i >= len(w):
			return fmt.Sprintf("%s is in the result but not in the golden (%d instead of %d)", item(i, g[i]), len(g), len(w))
		case !cmp.Equal(w[i], g[i]):
			return pair(i, w[i], g[i])
		}
	}
	return field + " differ"
}

// requestDifference names the first field of a request that differs.
func requestDifference(field string, i int, want, got any) string {
	w, wok := want.(map[string]any)
	g, gok := got.(map[string]any)
	state := stateOf(got)
	if s := stateOf(want); s != state {
		state = s + " in the golden, " + state + " in the result"
	}
	if wok && gok {
		for _, k := range orderedKeys(requestFields, w, g) {
			if !cmp.Equal(w[k], g[k]) {
				return fmt.Sprintf("%s[%d].%s (state %s): want %s, got %s", field, i, k, state, brief(w[k]), brief(g[k]))
			}
		}
	}
	return fmt.Sprintf("%s[%d] (state %s) differs", field, i, state)
}

func stateOf(req any) string {
	if m, ok := req.(map[string]any); ok {
		if s, ok := m["state"].(string); ok {
			return fmt.Sprintf("%q", s)
		}
	}
	return "unknown"
}

// brief renders a value for the summary line, shortened to keep it one
// readable line; the diff below has the whole value.
func brief(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	const max = 60
	s := strings.TrimSuffix(buf.String(), "\n")
	if len(s) > max {
		cut := max
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// LoadGolden reads the result a golden file holds, for showing what a
// fixture expected (the path it should take) next to what it did.
func LoadGolden(path string) (*Result, error) {
	src, err := repofs.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(src, &r); err != nil {
		return nil, fmt.Errorf("%s: the golden is not valid JSON (%v); fix it or run zislint test -update", path, err)
	}
	return &r, nil
}
