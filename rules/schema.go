package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/lazyre"
)

const schemaID = "ZIS101"

// Schema checks the bundle against zislint's JSON Schema for ZIS bundles.
var Schema = &analysis.Analyzer{
	Name: "schema",
	Doc: `the bundle must match the ZIS bundle format

Checks the structure ZIS expects before it accepts an upload: the top-level
fields (zis_template_version must be "2019-10-14"), the three resource
types (ZIS::Action::Http, ZIS::Flow, ZIS::JobSpec) and the properties each
requires, the state types of the flow language (Action, Choice, Map, Wait,
Succeed, Fail, Pass; Task and Parallel do not exist in ZIS) with the fields
each takes, and the JSON type of every field. Unknown fields are errors:
ZIS either rejects them or ignores them, and either way they are not doing
what their author meant. Run "zislint schema" to get the schema for your
editor.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runSchema,
}

const (
	schemaURL = "https://zislint.dev/schema/zis-bundle.json"
	// shallowURL is the same schema with states left unchecked; states are
	// validated one by one against the sub-schema of their type. The full
	// schema chooses that sub-schema with seven if/then branches, and
	// evaluating them for every state was most of the cost of linting.
	shallowURL = "https://zislint.dev/schema/zis-bundle-shallow.json"
)

// acceptors are the fast yes/no checks compiled from the schema. Most
// bundles are valid, and for them the acceptors are all the schema rule
// needs.
type acceptors struct {
	accept      *acceptor            // fast check of a whole bundle
	acceptState map[string]*acceptor // fast check of one state by Type
}

// validators are the jsonschema validators, which say why a bundle is
// invalid. Compiling them was most of the time of linting one valid
// bundle, so they are compiled only when an acceptor first rejects.
type validators struct {
	shallow *jsonschema.Schema            // the bundle, states unchecked
	state   *jsonschema.Schema            // one state, whatever its Type
	byType  map[string]*jsonschema.Schema // one state of a known Type
}

// The schema is constant, so each is compiled once per process.
var (
	compiledAcceptors = sync.OnceValues(compileAcceptors)
	compiledSchema    = sync.OnceValues(compileValidators)
)

func compileAcceptors() (*acceptors, error) {
	a, err := compileKeywordAcceptors()
	if err != nil {
		return nil, err
	}
	shortcut(append([]*acceptor{a.accept}, slices.Collect(maps.Values(a.acceptState))...)...)
	return a, nil
}

// compileKeywordAcceptors compiles the acceptors keyword by keyword,
// without the shortcuts.
func compileKeywordAcceptors() (*acceptors, error) {
	a := &acceptors{acceptState: map[string]*acceptor{}}
	ac := &acceptorCompiler{doc: schemaDoc(), refs: map[string]*acceptor{}}
	var err error
	if a.accept, err = ac.compile(schemaDoc()); err != nil {
		return nil, err
	}
	for _, typ := range stateTypes {
		if a.acceptState[typ], err = ac.resolve(bundle.NewString(stateDef(typ), 0, 0)); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func compileValidators() (*validators, error) {
	shallow, err := shallowSchema()
	if err != nil {
		return nil, err
	}
	c, err := newCompiler()
	if err != nil {
		return nil, err
	}
	if err := c.AddResource(shallowURL, bytes.NewReader(shallow)); err != nil {
		return nil, err
	}
	v := &validators{byType: map[string]*jsonschema.Schema{}}
	if v.shallow, err = c.Compile(shallowURL); err != nil {
		return nil, err
	}
	if v.state, err = c.Compile(schemaURL + "#/$defs/state"); err != nil {
		return nil, err
	}
	for _, typ := range stateTypes {
		if v.byType[typ], err = c.Compile(schemaURL + stateDef(typ)); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// stateDef is the fragment of the sub-schema of one state type.
func stateDef(typ string) string {
	return "#/$defs/" + strings.ToLower(typ[:1]) + typ[1:] + "State"
}

var stateTypes = []string{
	bundle.StateAction, bundle.StateChoice, bundle.StateMap, bundle.StateWait,
	bundle.StateSucceed, bundle.StateFail, bundle.StatePass,
}

// shallowSchema returns the bundle schema with $defs.state reduced to
// "an object".
func shallowSchema() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(bundle.SchemaJSON, &doc); err != nil {
		return nil, err
	}
	doc["$id"] = shallowURL
	doc["$defs"].(map[string]any)["state"] = map[string]any{"type": "object"}
	return json.Marshal(doc)
}

// schemaDoc is the schema as a node tree, to read property and enum lists
// for messages.
var schemaDoc = sync.OnceValue(func() *bundle.Node {
	root, _, _ := bundle.ParseJSON(bundle.SchemaJSON)
	return root
})

func runSchema(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, schemaID)
	root := r.in.Bundle.Root
	if root == nil {
		return nil, nil // the syntax rule reports why
	}
	a, err := compiledAcceptors()
	if err != nil {
		return nil, fmt.Errorf("internal error: the embedded schema does not compile: %v", err)
	}
	if a.accept.accepts(root) {
		return nil, nil
	}
	v, err := compiledSchema()
	if err != nil {
		return nil, fmt.Errorf("internal error: the embedded schema does not compile: %v", err)
	}
	doc := root.Interface()
	r.validate(v.shallow, root, nil, nil, doc)
	for m := range r.in.Bundle.EachMachine() {
		base := machinePath(m)
		for _, s := range m.States {
			if sa := a.acceptState[s.Type()]; sa != nil && sa.accepts(s.Entry.Value()) {
				continue
			}
			sch := v.byType[s.Type()]
			if sch == nil || s.Entry.Value().Kind() != bundle.Object {
				sch = v.state
			}
			path := append(append(base[:len(base):len(base)], "States"), s.Name)
			r.validate(sch, s.Entry.Value(), s.Entry, path, lookup(doc, path))
		}
	}
	return nil, nil
}

// validate checks value, the decoded form of node, and reports each
// error at its place under node. holder is the member whose value node
// is (nil for the root), path the way to node from the root.
func (r *reporter) validate(sch *jsonschema.Schema, node *bundle.Node, holder *bundle.Member, path []string, value any) {
	var verr *jsonschema.ValidationError
	if !errors.As(sch.Validate(value), &verr) {
		return
	}
	base := located{node: node, member: holder, path: path[:len(path):len(path)]}
	for _, leaf := range leaves(verr) {
		r.schemaError(base, leaf)
	}
}

// machinePath is the path of the object holding a machine's States.
func machinePath(m *bundle.Machine) []string {
	if m.Parent == nil {
		return []string{"resources", m.Flow.Key, "properties", "definition"}
	}
	parent := machinePath(m.Parent.Machine)
	return append(append(parent[:len(parent):len(parent)], "States"), m.Parent.Name, "Iterator")
}

// lookup follows path through decoded JSON objects.
func lookup(v any, path []string) any {
	for _, seg := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[seg]
	}
	return v
}

// leaves returns the innermost errors, which name the actual problem, in
// a stable order and without repeats.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	var out []*jsonschema.ValidationError
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			key := e.InstanceLocation + "\x00" + e.Message
			if !seen[key] {
				seen[key] = true
				out = append(out, e)
			}
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(e)
	sort.SliceStable(out, func(i, j int) bool { return out[i].InstanceLocation < out[j].InstanceLocation })
	return out
}

// located is an instance found by JSON pointer, with the member that
// holds it (nil for the root or an array element).
type located struct {
	node   *bundle.Node
	member *bundle.Member
	path   []string // the pointer's unescaped segments
}

// locate follows a JSON pointer from loc.
func (loc located) locate(pointer string) located {
	steps, _ := bundle.PointerSteps(pointer)
	for _, seg := range steps {
		loc.path = append(loc.path, seg)
		switch loc.node.Kind() {
		case bundle.Object:
			m := loc.node.Member(seg)
			if m == nil {
				return loc
			}
			loc.node, loc.member = m.Value(), m
		case bundle.Array:
			i, err := strconv.Atoi(seg)
			if err != nil || i >= len(loc.node.Elems()) {
				return loc
			}
			loc.node, loc.member = loc.node.Elems()[i], nil
		}
	}
	return loc
}

// locate follows a JSON pointer from root.
func locate(root *bundle.Node, pointer string) located {
	return located{node: root}.locate(pointer)
}

func (r *reporter) schemaError(base located, e *jsonschema.ValidationError) {
	loc := base.locate(e.InstanceLocation)
	keyword := e.KeywordLocation[strings.LastIndexByte(e.KeywordLocation, '/')+1:]
	where := describe(loc.path)
	switch keyword {
	case "additionalProperties":
		r.unknownProperties(loc, e, where)
	case "required":
		r.atHolder(loc, fmt.Sprintf("%s is missing required %s%s", where, quotedList(e.Message), requiredHint(loc.path, e.Message)))
	case "enum":
		r.node(loc.node, "%s", enumMessage(loc, e))
	case "const":
		r.node(loc.node, "%s must be %s", where, strings.TrimPrefix(e.Message, "value must be "))
	case "type":
		r.node(loc.node, "%s must be %s, not %s %s", where, expectedType(e.Message), article(loc.node.Kind().String()), loc.node.Kind())
	case "minLength", "minItems", "minProperties":
		r.node(loc.node, "%s must not be empty", where)
	case "minimum":
		r.node(loc.node, "%s must be at least %s, not %s", where, schemaValue(e.AbsoluteKeywordLocation), loc.node.Text())
	case "Next":
		// The false schema on Next inside And, Or and Not.
		r.atHolder(loc, "a rule nested in And, Or or Not takes no Next; put Next on the top-level rule in Choices")
	default:
		r.node(loc.node, "%s: %s", where, e.Message)
	}
}

// atHolder reports on the key that holds the located object when there is
// one, since "state X is missing Y" reads best at the state's name.
func (r *reporter) atHolder(loc located, msg string) {
	if loc.member != nil {
		r.span(int(loc.member.KeyStart), int(loc.member.KeyEnd()), msg)
		return
	}
	r.span(int(loc.node.Start), int(loc.node.Start)+1, msg)
}

func (r *reporter) unknownProperties(loc located, e *jsonschema.ValidationError, where string) {
	allowed := schemaKeys(e.AbsoluteKeywordLocation)
	for _, name := range quotedNames(e.Message) {
		m := loc.node.Member(name)
		if m == nil {
			continue
		}
		hint := unknownPropertyHint(loc.path, name)
		if hint == "" {
			hint = didYouMean(name, allowed)
			if hint == "" && len(allowed) > 0 {
				hint = "; allowed here: " + strings.Join(allowed, ", ")
			}
		}
		r.key(m, "unknown property %q in %s%s", name, where, hint)
	}
}

// schemaKeys lists the properties the schema allows at an
// additionalProperties keyword, read from the embedded schema.
func schemaKeys(absKeyword string) []string {
	_, frag, _ := strings.Cut(absKeyword, "#")
	n := locate(schemaDoc(), strings.TrimSuffix(frag, "/additionalProperties")).node
	props := n.Get("properties")
	if props == nil {
		return nil
	}
	keys := make([]string, 0, len(props.Members()))
	members := props.Members()
	for i := range members {
		keys = append(keys, members[i].Key())
	}
	sort.Strings(keys)
	return keys
}

// describe names the instance at path for a message.
func describe(path []string) string {
	switch {
	case len(path) == 0:
		return "the bundle"
	case len(path) == 1:
		return strconv.Quote(path[0])
	case path[0] == "resources" && len(path) == 2:
		return fmt.Sprintf("resource %q", path[1])
	}
	for i := len(path) - 2; i >= 0; i-- {
		if path[i] == "States" {
			state := fmt.Sprintf("state %q", path[i+1])
			if rest := path[i+2:]; len(rest) > 0 {
				return fmt.Sprintf("%q of %s", joinPath(rest), state)
			}
			return state
		}
	}
	if path[0] == "resources" {
		rest := path[2:]
		if rest[0] == "properties" && len(rest) > 1 {
			rest = rest[1:]
		}
		return fmt.Sprintf("%q of resource %q", joinPath(rest), path[1])
	}
	return strconv.Quote(joinPath(path))
}

// joinPath writes path segments as a field path: Catch[0].Next.
func joinPath(path []string) string {
	var b strings.Builder
	for i, seg := range path {
		if _, err := strconv.Atoi(seg); err == nil {
			b.WriteString("[" + seg + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

var quotedRE = lazyre.New(`'([^']*)'`)

func quotedNames(msg string) []string {
	var out []string
	for _, m := range quotedRE().FindAllStringSubmatch(msg, -1) {
		out = append(out, m[1])
	}
	return out
}

func quotedList(msg string) string {
	names := quotedNames(msg)
	for i, n := range names {
		names[i] = strconv.Quote(n)
	}
	word := "property "
	if len(names) > 1 {
		word = "properties "
	}
	return word + strings.Join(names, ", ")
}

func expectedType(msg string) string {
	// jsonschema says "expected string, but got number" or
	// "expected string or null, but got number".
	want, _, _ := strings.Cut(strings.TrimPrefix(msg, "expected "), ", but got")
	switch want {
	case "object", "array", "integer":
		return "an " + want
	}
	return "a " + want
}

var requiredHints = map[string]string{
	"ActionName":           `; name the action to call: zis:<integration>:action:<name> or a built-in such as zis:common:transform:Jq`,
	"Choices":              `; a Choice state needs a list of rules, each with a Variable, a comparison and a Next`,
	"Iterator":             `; a Map state runs its Iterator ({"StartAt", "States"}) once per item`,
	"ItemsPath":            `; point it at the array of objects to iterate, e.g. "$.tickets"`,
	"zis_template_version": `; add "zis_template_version": "2019-10-14"`,
	"flow_name":            `; set it to the flow to run: zis:<integration>:flow:<name>`,
	"Type":                 `; use one of Action, Choice, Map, Wait, Succeed, Fail, Pass`,
}

func requiredHint(path []string, msg string) string {
	names := quotedNames(msg)
	if len(names) != 1 {
		return ""
	}
	if names[0] == "Next" && len(path) >= 2 {
		switch path[len(path)-2] {
		case "Catch":
			return "; a Catch entry names the state to go to when the error is caught"
		case "Choices":
			return "; each rule in Choices names the state to go to when it matches"
		}
	}
	return requiredHints[names[0]]
}

// readOnlyFields appear in Show Bundle API responses but not in uploads.
var readOnlyFields = map[string]bool{"uuid": true, "integration": true, "zendesk_account_id": true}

var propertyHints = map[string]string{
	"StringMatches":  `; ZIS has no StringMatches operator: compare with StringEquals, or compute a flag with a zis:common:transform:Jq action first`,
	"TimeoutSeconds": `; ZIS does not support per-state timeouts: every flow run is limited to 100 seconds`,
	"MaxConcurrency": `; ZIS Map states take no MaxConcurrency`,
	"Timestamp":      `; a ZIS Wait state takes only Seconds or SecondsPath`,
	"TimestampPath":  `; a ZIS Wait state takes only Seconds or SecondsPath`,
	"Resource":       `; ZIS has no Task state: use an Action state with ActionName`,
	"query":          `; query parameters go in "queryParams": [{"key": ..., "value": ...}]`,
}

func unknownPropertyHint(path []string, name string) string {
	if len(path) == 0 && readOnlyFields[name] {
		return "; it is a read-only field of Show Bundle API responses: remove it before uploading"
	}
	return propertyHints[name]
}

var unsupportedStates = map[string]string{
	"Task":     `ZIS has no Task state: call actions with an "Action" state and "ActionName"`,
	"Parallel": `ZIS has no Parallel state: run the branches one after another, or iterate with a "Map" state`,
}

func enumMessage(loc located, e *jsonschema.ValidationError) string {
	s, isString := loc.node.Str()
	for name, hint := range unsupportedStates {
		if isString && strings.EqualFold(s, name) && len(loc.path) > 0 && loc.path[len(loc.path)-1] == "Type" {
			return fmt.Sprintf("unsupported state type %q: %s", s, hint)
		}
	}
	options := quotedNames(e.Message)
	if len(options) == 0 { // jsonschema quotes strings with double quotes in enum messages
		options = enumValues(e.AbsoluteKeywordLocation)
	}
	what := describe(loc.path)
	value := string(loc.nodeText())
	return fmt.Sprintf("%s is %s; use one of %s%s", what, value, strings.Join(options, ", "), didYouMean(s, options))
}

// schemaValue is the text of the schema value at a keyword location.
func schemaValue(absKeyword string) string {
	_, frag, _ := strings.Cut(absKeyword, "#")
	return locate(schemaDoc(), frag).node.Text()
}

func enumValues(absKeyword string) []string {
	_, frag, _ := strings.Cut(absKeyword, "#")
	var out []string
	for _, v := range locate(schemaDoc(), frag).node.Elems() {
		if s, ok := v.Str(); ok {
			out = append(out, s)
		}
	}
	return out
}

// nodeText is the value as written, shortened for messages.
func (l located) nodeText() string {
	if s, ok := l.node.Str(); ok {
		return strconv.Quote(s)
	}
	return "a " + l.node.Kind().String()
}

// fullSchema compiles the whole schema as editors use it; tests compare
// it with the shallow-plus-states validation the rule does.
func fullSchema() (*jsonschema.Schema, error) {
	c, err := newCompiler()
	if err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
}

func newCompiler() (*jsonschema.Compiler, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	return c, c.AddResource(schemaURL, bytes.NewReader(bundle.SchemaJSON))
}
