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
// when they agree, else a line for each JSON path that differs and a
// unified diff of the two documents pretty-printed (see describeDiff).
// Both sides are compared as decoded JSON, so the golden's formatting and
// key order do not matter.
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
	if reflect.DeepEqual(want, got) {
		return "", nil
	}
	return describeDiff(want, got), nil
}

// resultFields are the JSON names of Result's fields in their order, the
// order a reader meets them in the golden.
var resultFields = jsonFields(reflect.TypeOf(Result{}))

// requestFields are the same for Request.
var requestFields = jsonFields(reflect.TypeOf(Request{}))

// runErrorFields are the same for RunError.
var runErrorFields = jsonFields(reflect.TypeOf(RunError{}))

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
