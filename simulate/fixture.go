package simulate

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/zislint/zislint/internal/didyoumean"
	"github.com/zislint/zislint/internal/repofs"
)

// A fixture file is YAML or JSON (JSON is YAML, so one decoder reads
// both). It is decoded through yaml.Node rather than into a struct so
// that every problem names its own line and column, and so that values
// become document values (float64 numbers, map[string]any objects)
// instead of yaml.v3's ints and typed maps.

// LoadError is a problem in a fixture, event or responses file, at a
// 1-based line and column; Col is 0 when only the line is known.
type LoadError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *LoadError) Error() string {
	if e.Col == 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Fixture defaults: the account a run happens in when the fixture does
// not say.
const (
	DefaultSubdomain = "example"
	DefaultAccountID = 1.0 // a float64, as every number of a document
)

var fixtureKeys = keySet("name", "flow", "event_source", "event_type", "account", "event", "responses", "config", "links", "vars")

// LoadFixture reads the fixture at path. All problems are returned
// together, joined, each a *LoadError.
func LoadFixture(path string) (*Fixture, error) {
	f, _, err := LoadFixtureIf(path, nil)
	return f, err
}

// LoadFixtureIf reads the fixture at path if keep accepts its name (the
// name: it sets, else its file name without extension), and reports
// whether it did; a nil keep accepts all. Only the YAML's structure is
// parsed before keep decides, so a fixture a filter leaves out never has
// its values expanded, and its problems are not reported. A file that is
// not YAML at all is offered to keep under its file name.
func LoadFixtureIf(path string, keep func(name string) bool) (*Fixture, bool, error) {
	src, err := repofs.ReadFile(path)
	if err != nil {
		if keep != nil && !keep(fileFixtureName(path)) {
			return nil, false, nil
		}
		return nil, true, err
	}
	return parseFixture(path, src, keep)
}

// ParseFixture parses a fixture's source, read from path.
func ParseFixture(path string, src []byte) (*Fixture, error) {
	f, _, err := parseFixture(path, src, nil)
	return f, err
}

// fileFixtureName is the name of a fixture that sets none: its file name,
// which is what a reader finds in the tests folder.
func fileFixtureName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// declaredName returns the name: a fixture's root mapping sets, or "".
func declaredName(root *yaml.Node) string {
	if root.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k, v := root.Content[i], resolve(root.Content[i+1]); k.Value == "name" && v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	return ""
}

func parseFixture(path string, src []byte, keep func(string) bool) (*Fixture, bool, error) {
	d := &loader{file: path}
	root := d.document(src)
	name := fileFixtureName(path)
	if root != nil {
		if declared := declaredName(root); declared != "" {
			name = declared
		}
	}
	if keep != nil && !keep(name) {
		return nil, false, nil
	}
	if root == nil {
		return nil, true, d.err()
	}
	f := &Fixture{
		Path:    path,
		Name:    name,
		Account: Account{Subdomain: DefaultSubdomain, AccountID: DefaultAccountID},
		Line:    map[string]int{},
	}
	var flowKey, sourceKey, typeKey *yaml.Node
	hasEvent := false
	d.mapping(root, "the fixture", fixtureKeys, func(key string, k, v *yaml.Node) {
		f.Line[key] = k.Line
		switch key {
		case "name":
			f.Name = d.str(v, "name")
		case "flow":
			f.Flow, flowKey = d.str(v, "flow"), k
		case "event_source":
			f.EventSource, sourceKey = d.str(v, "event_source"), k
		case "event_type":
			f.EventType, typeKey = d.str(v, "event_type"), k
		case "account":
			d.account(v, &f.Account)
		case "event":
			hasEvent = true
			if v = resolve(v); v.Kind != yaml.MappingNode {
				d.errorf(v, "event must be a mapping: the event payload, which the flow reads as $.input")
				return
			}
			f.Event = d.value(v)
		case "responses":
			f.Responses = d.responses(v, f.Line, "responses.")
		case "config":
			f.Config = d.configScopes(v)
		case "vars":
			f.Vars = d.fixtureVars(v, f.Line)
		case "links":
			if v = resolve(v); v.Kind != yaml.SequenceNode {
				d.errorf(v, "links must be a list of link objects")
				return
			}
			f.Links = d.value(v).([]any)
		}
	})
	// A fixture names its flow one way: directly, or through the event
	// that a job spec binds to it, as ZIS does.
	switch {
	case root.Kind != yaml.MappingNode:
		// Already reported: nothing else can be said about the file.
	case flowKey != nil && (sourceKey != nil || typeKey != nil):
		d.errorf(flowKey, "set either flow or event_source and event_type, not both: flow runs the named flow, the event pair picks it through the job specs")
	case flowKey == nil && sourceKey == nil && typeKey == nil:
		d.errorf(root, "the fixture names no flow; set flow: <flow name>, or event_source and event_type to pick it through a job spec")
	case flowKey == nil && sourceKey == nil:
		d.errorf(typeKey, "event_type needs event_source (e.g. support or sunshine) beside it")
	case flowKey == nil && typeKey == nil:
		d.errorf(sourceKey, "event_source needs event_type (e.g. activity.UserActivityCreated) beside it")
	}
	if !hasEvent && root.Kind == yaml.MappingNode {
		d.errorf(root, "the fixture has no event; set event: to the event payload, which the flow reads as $.input")
	}
	if err := d.err(); err != nil {
		return nil, true, err
	}
	return f, true, nil
}

// openDocument reads and parses a JSON or YAML file for a loader.
func openDocument(path string) (*loader, *yaml.Node, error) {
	src, err := repofs.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	d := &loader{file: path}
	root := d.document(src)
	if root == nil {
		return nil, nil, d.err()
	}
	return d, root, nil
}

// LoadValue reads a JSON or YAML file as a document value, such as an
// event payload.
func LoadValue(path string) (any, error) {
	d, root, err := openDocument(path)
	if err != nil {
		return nil, err
	}
	v := d.value(root)
	if err := d.err(); err != nil {
		return nil, err
	}
	return v, nil
}

// LoadResponses reads a file holding what a fixture's responses key
// holds: a mapping of custom action name to a list of responses.
func LoadResponses(path string) (map[string][]Response, error) {
	d, root, err := openDocument(path)
	if err != nil {
		return nil, err
	}
	out := d.responses(root, map[string]int{}, "")
	if err := d.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// loader collects the problems of one file.
type loader struct {
	file           string
	errs           []error
	visited, depth int  // values converted, and the current nesting
	tooBig         bool // the size error was reported
	more           int  // problems past maxLoadErrors, counted only
	// open holds the collections being converted, to tell a cycle
	// (an alias or << merge naming its own container) from sharing.
	open map[*yaml.Node]bool
}

// Bounds of one file's values, far above any real event or response.
const (
	maxValues = 1_000_000
	maxDepth  = 1_000
	// maxLoadErrors is how many problems of one file are listed.
	maxLoadErrors = 50
)

func (d *loader) errorf(n *yaml.Node, format string, args ...any) {
	// An alias expanded a million times repeats its problem a million
	// times: keep the first few, and count the rest.
	if len(d.errs) >= maxLoadErrors {
		d.more++
		return
	}
	d.errs = append(d.errs, &LoadError{File: d.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

func (d *loader) err() error {
	if d.more == 0 {
		return errors.Join(d.errs...)
	}
	last := d.errs[len(d.errs)-1].(*LoadError)
	more := &LoadError{File: d.file, Line: last.Line, Col: last.Col,
		Msg: fmt.Sprintf("and %d more problems; fix these first", d.more)}
	return errors.Join(append(d.errs[:len(d.errs):len(d.errs)], more)...)
}

// document parses src and returns its root node, or nil after recording
// why there is none.
func (d *loader) document(src []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		d.errs = append(d.errs, &LoadError{File: d.file, Line: yamlErrLine(err), Col: 1, Msg: "invalid YAML or JSON: " + yamlErrMsg(err)})
		return nil
	}
	if len(doc.Content) == 0 {
		d.errs = append(d.errs, &LoadError{File: d.file, Line: 1, Col: 1, Msg: "the file is empty"})
		return nil
	}
	return resolve(doc.Content[0])
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func keySet(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

func known(keys map[string]bool) string {
	return strings.Join(sortedSet(keys), ", ")
}

func sortedSet(keys map[string]bool) []string {
	list := make([]string, 0, len(keys))
	for k := range keys {
		list = append(list, k)
	}
	sort.Strings(list)
	return list
}

// keyHint suggests the known key a mistyped one was meant to be; the
// list is sorted so that a tie always picks the same one.
func keyHint(key string, allowed map[string]bool) string {
	return didyoumean.Hint(key, sortedSet(allowed))
}

// mapping calls fn for each pair of n after checking that n is a mapping
// of known, distinct keys; allowed nil accepts any key.
func (d *loader) mapping(n *yaml.Node, what string, allowed map[string]bool, fn func(key string, k, v *yaml.Node)) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping of keys to values", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.errorf(k, "keys of %s must be strings", what)
		case allowed != nil && !allowed[k.Value]:
			d.errorf(k, "unknown key %q in %s; known keys are: %s%s", k.Value, what, known(allowed), keyHint(k.Value, allowed))
		case seen[k.Value]:
			d.errorf(k, "key %q appears twice in %s", k.Value, what)
		default:
			seen[k.Value] = true
			fn(k.Value, k, v)
		}
	}
}

// str reads a scalar as text. Any non-null scalar is accepted, as YAML
// readers expect: "flow: 2024" names the flow "2024".
func (d *loader) str(n *yaml.Node, what string) string {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		d.errorf(n, "%s must be a string", what)
		return ""
	}
	if n.Value == "" {
		d.errorf(n, "%s must not be empty", what)
	}
	return n.Value
}

var accountKeys = keySet("subdomain", "account_id")

func (d *loader) account(n *yaml.Node, a *Account) {
	d.mapping(n, "account", accountKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "subdomain":
			a.Subdomain = d.str(v, "account subdomain")
		case "account_id":
			v = resolve(v)
			switch v.ShortTag() {
			case "!!int", "!!float", "!!str":
				a.AccountID = d.value(v)
			default:
				d.errorf(v, "account_id must be a number or a string")
			}
		}
	})
}

var responseKeys = keySet("status", "body", "headers")

// responses decodes a mapping of custom action name to the list of its
// responses, recording each entry's line under prefix+name.
func (d *loader) responses(n *yaml.Node, lines map[string]int, prefix string) map[string][]Response {
	out := map[string][]Response{}
	d.mapping(n, "responses", nil, func(action string, k, v *yaml.Node) {
		lines[prefix+action] = k.Line
		v = resolve(v)
		if v.Kind != yaml.SequenceNode {
			d.errorf(v, "responses of %s must be a list of {status, body, headers}, one per call, in call order", action)
			return
		}
		list := make([]Response, 0, len(v.Content))
		for _, item := range v.Content {
			list = append(list, d.response(item, action))
		}
		out[action] = list
	})
	return out
}

func (d *loader) response(n *yaml.Node, action string) Response {
	var r Response
	what := "a response of " + action
	hasStatus := false
	d.mapping(n, what, responseKeys, func(key string, _, v *yaml.Node) {
		v = resolve(v)
		switch key {
		case "status":
			hasStatus = true
			r.Status = d.status(v)
		case "body":
			r.Body = d.value(v)
		case "headers":
			r.Headers = map[string]string{}
			d.mapping(v, "headers", nil, func(name string, _, hv *yaml.Node) {
				hv = resolve(hv)
				if hv.Kind != yaml.ScalarNode || hv.ShortTag() == "!!null" {
					d.errorf(hv, "header %s must be a string", name)
					return
				}
				r.Headers[name] = hv.Value
			})
		}
	})
	if !hasStatus && resolve(n).Kind == yaml.MappingNode {
		d.errorf(n, "%s has no status; set status: to the HTTP status code, e.g. 200", what)
	}
	return r
}

func (d *loader) status(v *yaml.Node) int {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		d.errorf(v, "status must be an HTTP status code, a number from 100 to 599")
		return 0
	}
	code, err := strconv.Atoi(v.Value)
	if err != nil || code < 100 || code > 599 {
		d.errorf(v, "status %s is not an HTTP status code; use a number from 100 to 599", v.Value)
		return 0
	}
	return code
}

// configScopes decodes the config store: scope name to its settings
// object, as LoadConfig returns it.
func (d *loader) configScopes(n *yaml.Node) map[string]any {
	out := map[string]any{}
	d.mapping(n, "config", nil, func(scope string, _, v *yaml.Node) {
		if v = resolve(v); v.Kind != yaml.MappingNode {
			d.errorf(v, "config scope %s must be a mapping: the settings object LoadConfig returns for it", scope)
			return
		}
		out[scope] = d.value(v)
	})
	return out
}

// value converts a node to a document value: map[string]any, []any,
// float64, string, bool or nil, as a JSON decoder would produce.
func (d *loader) value(n *yaml.Node) any {
	if !d.enter(n) {
		return nil
	}
	defer d.leave()
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		if d.open[n.Alias] {
			d.errorf(n, "alias *%s names a value that contains this alias, so it would contain itself; write the value out", n.Value)
			return nil
		}
		return d.value(n.Alias)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return d.value(n.Content[0])
	case yaml.SequenceNode:
		defer d.opened(n)()
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			out = append(out, d.value(e))
		}
		return out
	case yaml.MappingNode:
		defer d.opened(n)()
		out := map[string]any{}
		d.mergeInto(out, n, map[string]bool{})
		return out
	case yaml.ScalarNode:
		return d.scalar(n)
	}
	return nil
}

// enter counts one more value converted, one level deeper, and reports
// false past the bounds. Aliases and << merges let a short file name a
// huge or cyclic value (a "billion laughs", <<: *self); every expansion
// of either passes here, so both bounds hold for both.
func (d *loader) enter(n *yaml.Node) bool {
	d.visited++
	d.depth++
	if d.visited <= maxValues && d.depth <= maxDepth {
		return true
	}
	if !d.tooBig {
		d.tooBig = true
		d.errorf(n, "the value is too large or nested too deeply (aliases and << merges expand to more than %d values or %d levels); write it out, or share less", maxValues, maxDepth)
	}
	d.depth--
	return false
}

func (d *loader) leave() { d.depth-- }

// opened marks a collection as being converted, until the returned
// function runs; an alias or merge naming it from inside is a cycle.
func (d *loader) opened(n *yaml.Node) func() {
	if d.open == nil {
		d.open = map[*yaml.Node]bool{}
	}
	d.open[n] = true
	return func() { delete(d.open, n) }
}

// mergeInto adds n's pairs to out. Keys written in n win over those of
// "<<" merge keys, as YAML defines; a key written twice is an error,
// because a JSON decoder would silently keep one of them.
func (d *loader) mergeInto(out map[string]any, n *yaml.Node, explicit map[string]bool) {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "object keys must be strings")
			continue
		}
		if explicit[k.Value] {
			d.errorf(k, "key %q appears twice in this object", k.Value)
			continue
		}
		explicit[k.Value] = true
		out[k.Value] = d.value(v)
	}
	for _, m := range merges {
		d.merge(out, m)
	}
}

// merge adds the pairs of a << merge's mapping, or list of mappings, that
// out does not have yet.
// Errors point at what the merge names, as written: the alias, not the
// anchor it names.
func (d *loader) merge(out map[string]any, m *yaml.Node) {
	sources := []*yaml.Node{m}
	if r := resolve(m); r.Kind == yaml.SequenceNode {
		sources = r.Content
	}
	for _, written := range sources {
		s := resolve(written)
		if s.Kind != yaml.MappingNode {
			d.errorf(written, "a << merge takes a mapping or a list of mappings")
			continue
		}
		if d.open[s] {
			d.errorf(written, "this << merge names a mapping that contains it, so the mapping would contain itself; merge another mapping")
			continue
		}
		if !d.enter(s) {
			return
		}
		merged := map[string]any{}
		done := d.opened(s)
		d.mergeInto(merged, s, map[string]bool{})
		done()
		d.leave()
		for k, v := range merged {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
}

func (d *loader) scalar(n *yaml.Node) any {
	switch tag := n.ShortTag(); tag {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			d.errorf(n, "%v", err)
		}
		return b
	case "!!int", "!!float":
		var f float64
		if tag == "!!int" {
			// yaml.v3 reads 0x1F, 0o17 and 1_000; Decode into any yields
			// an int, int64 or uint64, converted here.
			var v any
			if err := n.Decode(&v); err != nil {
				d.errorf(n, "%v", err)
				return nil
			}
			switch x := v.(type) {
			case int:
				f = float64(x)
			case int64:
				f = float64(x)
			case uint64:
				f = float64(x)
			case float64:
				f = x
			default:
				// Too large for yaml.v3's integers: JSON decoders read
				// such a number as a float too.
				parsed, err := strconv.ParseFloat(n.Value, 64)
				if err != nil {
					d.errorf(n, "%s is not a number JSON can hold", n.Value)
					return nil
				}
				f = parsed
			}
		} else if err := n.Decode(&f); err != nil {
			d.errorf(n, "%v", err)
			return nil
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			d.errorf(n, "%s is not a number JSON can hold; quote it to make it a string", n.Value)
			return nil
		}
		return f
	case "!!str", "!!timestamp", "!!binary":
		// A timestamp stays the text it was written as, which is what a
		// JSON event carries; yaml.v3 would make it a time.Time.
		return n.Value
	default:
		d.errorf(n, "unsupported YAML tag %s; fixtures hold JSON values only", tag)
		return nil
	}
}

// yamlErrLine extracts the line from a yaml.v3 syntax error
// ("yaml: line 3: did not find expected key").
func yamlErrLine(err error) int {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.IndexByte(rest, ':'); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				return n
			}
		}
	}
	return 1
}

// yamlErrMsg drops the "yaml: line N:" prefix, which the position
// already gives.
func yamlErrMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.IndexByte(rest, ':'); i > 0 {
			if _, err := strconv.Atoi(rest[:i]); err == nil {
				return strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return msg
}
