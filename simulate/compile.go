package simulate

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/itchyny/gojq"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/config"
)

// Options describe the integration a bundle belongs to.
type Options struct {
	IntegrationKey string
	Connections    []*config.Connection
}

// Program is a bundle compiled for running: every path, template and jq
// program is parsed once here, not on each run.
type Program struct {
	key         string
	keyValue    any                 // key, boxed once for every run's document
	flows       map[string]*machine // by properties.name
	actions     map[string]*action  // custom actions by properties.name
	jobSpecs    []jobSpec
	connections map[string]*config.Connection
}

// jobSpec binds an event to a flow; at is the position of its flow_name,
// for a message when that names no flow.
type jobSpec struct{ key, source, event, flow, at string }

// machine is a flow or a Map iterator.
type machine struct {
	name   string
	start  *state
	states map[string]*state
	// nestedMaps marks a flow holding a Map inside a Map iterator: ZIS
	// then allows at most 250 state transitions.
	nestedMaps bool
}

type state struct {
	name, typ  string
	next       *state
	end        bool
	params     cvalue // nil without Parameters
	inputPath  *bundle.Path
	outputPath *bundle.Path
	resultPath *bundle.Path // nil: the default, $
	discard    bool         // "ResultPath": null keeps the input
	action     string
	custom     *action    // the bundle's action ActionName names, resolved once
	jq         *jqProgram // a zis:common:transform:Jq program written out
	catches    []catcher
	retries    []retrier
	rules      []*rule
	deflt      *state
	seconds    float64
	secsPath   *bundle.Path
	items      bundle.Path
	iterator   *machine
	result     cvalue // a Pass state's Result
	message    *bundle.Template
	errorT     *bundle.Template
	causeT     *bundle.Template
}

type catcher struct {
	resultPath *bundle.Path
	next       *state
	via        string // where its Next is written, as coverage names it
}

type retrier struct {
	interval, backoff float64
	max               int
}

// action is a compiled ZIS::Action::Http definition.
type action struct {
	name       string
	method     string
	url, path  cvalue
	headers    []header
	query      []header
	body       cvalue
	connection string
}

type header struct {
	key   string
	value cvalue
}

// CompileError says which part of the bundle cannot run. Start and End
// are the byte offsets of that part, so that a caller can find the lint
// finding inside it and show the defect where zislint lint shows it.
type CompileError struct {
	Pos        string // file:line:col of Start
	Start, End int
	Msg        string
}

func (e *CompileError) Error() string {
	return e.Pos + ": " + e.Msg + "; run zislint lint on the bundle"
}

// compileError points at the part of the bundle that cannot run.
func compileError(b *bundle.Bundle, n *bundle.Node, format string, args ...any) error {
	return &CompileError{Pos: b.Position(int(n.Start)), Start: int(n.Start), End: int(n.End()), Msg: fmt.Sprintf(format, args...)}
}

// Compile prepares a bundle for running.
func Compile(b *bundle.Bundle, opts Options) (*Program, error) {
	if b.Syntax != nil {
		return nil, fmt.Errorf("%s: %s", b.Position(b.Syntax.Offset), b.Syntax.Msg)
	}
	// A number no float64 holds would run as infinity or as a default
	// (a Wait of 1e309 seconds as 0 seconds): refuse the bundle instead,
	// as the number_range rule does.
	if huge := b.NumbersOutOfRange(); len(huge) > 0 {
		n := huge[0]
		_, err := n.Float()
		return nil, fmt.Errorf("%s: %v; the simulator does not run a bundle with such a number", b.Position(int(n.Start)), err)
	}
	p := &Program{key: opts.IntegrationKey, keyValue: opts.IntegrationKey, flows: map[string]*machine{}, actions: map[string]*action{}, connections: map[string]*config.Connection{}}
	for _, c := range opts.Connections {
		p.connections[c.Name] = c
	}
	for _, res := range b.Resources {
		if err := p.addResource(b, res); err != nil {
			return nil, err
		}
	}
	for _, m := range p.flows {
		p.resolveActions(m)
	}
	return p, nil
}

// resolveActions links each Action state naming a custom action of the
// bundle to it, once all resources are compiled, so that a run neither
// parses the name nor looks it up.
func (p *Program) resolveActions(m *machine) {
	for _, st := range m.states {
		if st.iterator != nil {
			p.resolveActions(st.iterator)
		}
		if ref, err := bundle.ParseRef(st.action); err == nil && ref.Kind == bundle.KindAction {
			st.custom = p.actions[ref.Name]
		}
	}
}

func (p *Program) addResource(b *bundle.Bundle, res *bundle.Resource) error {
	name := res.NameText()
	switch {
	case res.Action != nil && res.Action.Definition != nil:
		a, err := compileAction(b, name, res.Action.Definition)
		if err != nil {
			return err
		}
		p.actions[name] = a
	case res.Flow != nil && res.Flow.Machine != nil:
		m, err := compileMachine(b, res.Flow.Machine)
		if err != nil {
			return err
		}
		m.name = name
		p.flows[name] = m
	case res.JobSpec != nil:
		js := jobSpec{key: res.Key, at: b.Position(int(res.Entry.KeyStart))}
		if fn := res.JobSpec.FlowName; fn != nil {
			js.at = b.Position(int(fn.Start))
		}
		js.source, _ = res.JobSpec.EventSource.Str()
		js.event, _ = res.JobSpec.EventType.Str()
		if ref, err := bundle.ParseRef(textOf(res.JobSpec.FlowName)); err == nil {
			js.flow = ref.Name
		}
		p.jobSpecs = append(p.jobSpecs, js)
	}
	return nil
}

func textOf(n *bundle.Node) string {
	s, _ := n.Str()
	return s
}

// FlowNames lists the flows of the bundle, sorted.
func (p *Program) FlowNames() []string { return sortedKeys(p.flows) }

// ActionNames lists the custom actions of the bundle, sorted.
func (p *Program) ActionNames() []string { return sortedKeys(p.actions) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func compileMachine(b *bundle.Bundle, bm *bundle.Machine) (*machine, error) {
	m := &machine{states: map[string]*state{}}
	for _, s := range bm.States {
		m.states[s.Name] = &state{name: s.Name, typ: s.Type()}
	}
	start := textOf(bm.StartAt)
	if m.start = m.states[start]; m.start == nil {
		return nil, compileError(b, bm.Node, "StartAt %q names no state", start)
	}
	for _, s := range bm.States {
		if err := compileState(b, m, s); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// target resolves a state name written at n.
func target(b *bundle.Bundle, m *machine, n *bundle.Node) (*state, error) {
	if n == nil {
		return nil, nil
	}
	t := m.states[textOf(n)]
	if t == nil {
		return nil, compileError(b, n, "no state named %q", textOf(n))
	}
	return t, nil
}

func compileState(b *bundle.Bundle, m *machine, s *bundle.State) error {
	st, obj := m.states[s.Name], s.Entry.Value()
	var err error
	if st.next, err = target(b, m, s.Next()); err != nil {
		return err
	}
	st.end = s.IsEnd()
	steps := []func(*bundle.Bundle, *machine, *state, *bundle.Node) error{
		compileIO, compileCatch, compileRetry, compileByType,
	}
	for _, step := range steps {
		if err := step(b, m, st, obj); err != nil {
			var ce *CompileError
			if errors.As(err, &ce) {
				// The position stays first, where editors look for it.
				ce.Msg = fmt.Sprintf("state %q: %s", s.Name, ce.Msg)
				return ce
			}
			return fmt.Errorf("state %q: %w", s.Name, err)
		}
	}
	return nil
}

// optionalPath parses the path at n, if any.
func optionalPath(b *bundle.Bundle, n *bundle.Node) (*bundle.Path, error) {
	s, ok := n.Str()
	if !ok {
		return nil, nil
	}
	p, err := bundle.ParsePath(s)
	if err != nil {
		return nil, compileError(b, n, "%s", err.Msg)
	}
	return &p, nil
}

func compileIO(b *bundle.Bundle, _ *machine, st *state, obj *bundle.Node) (err error) {
	if st.inputPath, err = optionalPath(b, obj.Get("InputPath")); err != nil {
		return err
	}
	if st.outputPath, err = optionalPath(b, obj.Get("OutputPath")); err != nil {
		return err
	}
	rp := obj.Get("ResultPath")
	st.discard = rp != nil && rp.Kind() == bundle.Null
	if st.resultPath, err = optionalPath(b, rp); err != nil {
		return err
	}
	if params := obj.Get("Parameters"); params != nil {
		if st.params, err = compileValue(params, false); err != nil {
			return compileError(b, params, "%v", err)
		}
	}
	return nil
}

func compileCatch(b *bundle.Bundle, m *machine, st *state, obj *bundle.Node) error {
	for i, c := range obj.Get("Catch").Items() {
		next, err := target(b, m, c.Get("Next"))
		if err != nil {
			return err
		}
		rp, err := optionalPath(b, c.Get("ResultPath"))
		if err != nil {
			return err
		}
		st.catches = append(st.catches, catcher{resultPath: rp, next: next, via: "Catch[" + strconv.Itoa(i) + "].Next"})
	}
	return nil
}

// Retry defaults, as in the States Language ZIS follows.
const (
	defaultInterval    = 1
	defaultBackoff     = 2.0
	defaultMaxAttempts = 3
)

func compileRetry(_ *bundle.Bundle, _ *machine, st *state, obj *bundle.Node) error {
	for _, r := range obj.Get("Retry").Items() {
		st.retries = append(st.retries, retrier{
			interval: number(r.Get("IntervalSeconds"), defaultInterval),
			backoff:  number(r.Get("BackoffRate"), defaultBackoff),
			max:      attempts(number(r.Get("MaxAttempts"), defaultMaxAttempts)),
		})
	}
	return nil
}

// maxAttempts is the largest MaxAttempts the States Language allows;
// bigger numbers are read as it, so converting them to int cannot wrap.
const maxAttempts = 99_999_999

func attempts(f float64) int {
	if !(f > 0) { // also NaN
		return 0
	}
	return int(min(f, maxAttempts))
}

func number(n *bundle.Node, def float64) float64 {
	if n == nil || n.Kind() != bundle.Number {
		return def
	}
	f, err := n.Float()
	if err != nil {
		return def // unreachable: Compile refused out-of-range numbers
	}
	return f
}

func compileByType(b *bundle.Bundle, m *machine, st *state, obj *bundle.Node) error {
	switch st.typ {
	case bundle.StateAction:
		return compileActionState(b, st, obj)
	case bundle.StateChoice:
		return compileChoice(b, m, st, obj)
	case bundle.StateWait:
		st.seconds = number(obj.Get("Seconds"), 0)
		var err error
		st.secsPath, err = optionalPath(b, obj.Get("SecondsPath"))
		return err
	case bundle.StatePass:
		if r := obj.Get("Result"); r != nil {
			st.result = newLiteral(fromNode(r))
		}
	case bundle.StateSucceed, bundle.StateFail:
		return compileTexts(b, st, obj)
	case bundle.StateMap:
		return compileMap(b, m, st, obj)
	default:
		return compileError(b, obj, "state type %q cannot run", st.typ)
	}
	return nil
}

func compileActionState(b *bundle.Bundle, st *state, obj *bundle.Node) error {
	st.action = textOf(obj.Get("ActionName"))
	if st.action != jqAction {
		return nil
	}
	expr := obj.Get("Parameters").Get("expr")
	src, ok := expr.Str()
	if !ok {
		return nil // expr.$: compiled when the run knows it
	}
	code, err := compileJq(src)
	if err != nil {
		return compileError(b, expr, "jq: %v", err)
	}
	st.jq = code
	return nil
}

func compileJq(src string) (*jqProgram, error) {
	q, err := gojq.Parse(src)
	if err != nil {
		return nil, err
	}
	guards, writes, err := guardJq(q)
	if err != nil {
		return nil, err
	}
	opts := guardFunctions
	if guards {
		opts = append(opts[:len(opts):len(opts)], gojq.WithVariables([]string{budgetVar}))
	}
	code, err := gojq.Compile(q, opts...)
	if err != nil {
		return nil, err
	}
	return &jqProgram{code: code, budgeted: guards, writesInput: writes}, nil
}

func compileTexts(b *bundle.Bundle, st *state, obj *bundle.Node) error {
	for field, dst := range map[string]**bundle.Template{"Message": &st.message, "Error": &st.errorT, "Cause": &st.causeT} {
		n := obj.Get(field)
		s, ok := n.Str()
		if !ok {
			continue
		}
		t, err := bundle.ParseTemplate(s)
		if err != nil {
			return compileError(b, n, "%s", err.Msg)
		}
		*dst = &t
	}
	return nil
}

func compileMap(b *bundle.Bundle, m *machine, st *state, obj *bundle.Node) error {
	items, err := optionalPath(b, obj.Get("ItemsPath"))
	if err != nil || items == nil {
		return compileError(b, obj, "a Map state needs ItemsPath")
	}
	st.items = *items
	it := obj.Get("Iterator")
	if it == nil || it.Kind() != bundle.Object {
		return compileError(b, obj, "a Map state needs an Iterator")
	}
	var bm *bundle.Machine
	for _, s := range machineStates(b, it) {
		bm = s
	}
	if bm == nil {
		return compileError(b, it, "the Iterator has no states")
	}
	if st.iterator, err = compileMachine(b, bm); err != nil {
		return err
	}
	st.iterator.name = st.name
	for _, s := range st.iterator.states {
		if s.typ == bundle.StateMap {
			m.nestedMaps = true
		}
	}
	m.nestedMaps = m.nestedMaps || st.iterator.nestedMaps
	return nil
}

// machineStates finds the model's Machine for an Iterator object.
func machineStates(b *bundle.Bundle, it *bundle.Node) []*bundle.Machine {
	var out []*bundle.Machine
	for _, m := range b.Machines() {
		if m.Node == it {
			out = append(out, m)
		}
	}
	return out
}

func compileAction(b *bundle.Bundle, name string, def *bundle.Node) (*action, error) {
	a := &action{name: name, method: textOf(def.Get("method")), connection: textOf(def.Get("connectionName"))}
	var err error
	compile := func(keys ...string) (cvalue, error) {
		for _, k := range keys {
			if n := def.Get(k); n != nil {
				if k[len(k)-1] == '$' {
					return compileDynamic(n)
				}
				return compileValue(n, true)
			}
		}
		return nil, nil
	}
	if a.url, err = compile("url", "url.$"); err != nil {
		return nil, compileError(b, def, "url: %v", err)
	}
	if a.path, err = compile("path", "path.$"); err != nil {
		return nil, compileError(b, def, "path: %v", err)
	}
	if a.body, err = compile("requestBody", "requestBody.$"); err != nil {
		return nil, compileError(b, def, "requestBody: %v", err)
	}
	if a.headers, err = compileHeaders(def.Get("headers")); err != nil {
		return nil, compileError(b, def, "headers: %v", err)
	}
	if a.query, err = compileHeaders(def.Get("queryParams")); err != nil {
		return nil, compileError(b, def, "queryParams: %v", err)
	}
	return a, nil
}

// compileHeaders compiles a [{key, value | value.$}] list.
func compileHeaders(list *bundle.Node) ([]header, error) {
	var out []header
	for _, h := range list.Items() {
		var v cvalue = newLiteral("")
		var err error
		if dyn := h.Get("value.$"); dyn != nil {
			v, err = compileDynamic(dyn)
		} else if plain := h.Get("value"); plain != nil {
			v, err = compileValue(plain, true)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, header{key: textOf(h.Get("key")), value: v})
	}
	return out, nil
}
