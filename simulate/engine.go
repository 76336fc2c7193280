package simulate

import (
	"fmt"
	"strings"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/didyoumean"
)

// ZIS limits the simulator enforces.
const (
	flowTimeout          = 100.0 // seconds a flow may run
	mapItemLimit         = 100   // items a Map state takes
	nestedMapTransitions = 250   // state transitions of a flow with nested Maps
	// transitionGuard stops a run that loops forever; ZIS would stop it at
	// the timeout, but without waits a loop takes no virtual time.
	transitionGuard = 10000
)

// Error names of failures the simulator raises. ZIS documents no names
// for the errors it raises, only their Cause, and accepts no name but
// States.ALL in ErrorEquals (rule error_equals): the simulator's labels
// are its own, in the zislint namespace, so that nobody takes them for
// names ZIS matches.
const (
	errRuntime    = "zislint.Runtime"
	errTaskFailed = "zislint.ActionFailed"
	errTimeout    = "zislint.Timeout"
	errNoChoice   = "zislint.NoChoiceMatched"
	// ErrFixture is the error of a run the fixture could not support,
	// such as a call with no recorded response left.
	ErrFixture       = "zislint.Fixture"
	errTransitions   = "zislint.TooManyTransitions"
	errMapItemsLimit = "zislint.MapItemsLimit"
)

// stateError is a failure inside a state. Catch and Retry apply to it
// unless it is fatal: a Fail state, a broken fixture, a flow limit.
type stateError struct {
	name, cause string
	// status is the HTTP status of the failed call that raised the
	// error, 0 when no HTTP response did; it decides whether ZIS runs the
	// flow again.
	status int
}

func (e *stateError) Error() string { return e.name + ": " + e.cause }

// runFailure ends the run. Catch does not apply to it; a Map's Catch
// does apply to a failed iteration, unless the failure is fatal: a flow
// limit or a broken fixture ends the whole run.
type runFailure struct {
	RunError
	byFailState bool
	fatal       bool
	status      int // as stateError.status
}

func (f *runFailure) Error() string { return f.RunError.Error + ": " + f.Cause }

// run is the state of one run.
type run struct {
	p           *Program
	f           *Fixture
	res         *Result
	clock       float64
	transitions int
	limit       int
	used        consumed       // responses consumed per action
	meter       meter          // what the states take from the document, against the run's bounds
	account     any            // the fixture's account_id
	config      map[string]any // the fixture's Config until PatchConfig writes: then the run's own copy
	ownConfig   bool
	links       []any
	created     int // links made by CreateLink, for their uuids
	// via is the field of the current state that named the next one,
	// as bundle.State.Via spells it; coverage reads it.
	via string
	// scope names the Map states the current state is inside, without
	// their iteration numbers: "" in the flow, "Map/" in its iterator.
	scope string
}

// Run runs the fixture's flow. The error is for fixture problems that
// prevent a run (no such flow, no job spec for the event); a run that
// fails is a Result with Status "failed".
//
// Run neither writes into the fixture nor into the program, so both may
// serve many runs, at the same time too. The Result shares values with
// them (its output and request bodies hold parts of the fixture's event
// and responses, and of the bundle's literals): none of the three is to
// be written into while the others are in use.
func (p *Program) Run(f *Fixture) (*Result, error) {
	m, err := p.flowFor(f)
	if err != nil {
		return nil, err
	}
	r := newRun(p, f, m)
	if !isDocument(f.Config) {
		r.config, r.ownConfig = clone(f.Config).(map[string]any), true
	}
	r.links = f.Links[:len(f.Links):len(f.Links)] // a link created later goes into a new array
	if !isDocument(r.links) {
		r.links = clone(f.Links).([]any)
	}
	if m.nestedMaps {
		r.limit = nestedMapTransitions
	}
	doc := map[string]any{
		"account_id":      r.account,
		"subdomain":       f.Account.Subdomain,
		"integration_key": p.keyValue,
		"input":           document(f.Event),
	}
	out, err := r.machine(m, doc, "")
	r.finish(out, err)
	r.res.responses, r.res.used = f.Responses, r.used
	return r.res, nil
}

// runBlock is what every run allocates, made in one allocation: the
// run's state, its result, and room for the lists most runs fill. A
// longer run grows its lists as usual.
type runBlock struct {
	run    run
	res    Result
	states [8]string
	visits [8]string
	steps  [8]Step
	used   [4]actionUse
	reqs   [2]Request
}

func newRun(p *Program, f *Fixture, m *machine) *run {
	b := &runBlock{}
	b.res = Result{Flow: m.name, States: b.states[:0], Requests: b.reqs[:0], RepeatedOnRetry: []Request{},
		cover: trail{states: b.visits[:0], steps: b.steps[:0]}}
	b.run = run{p: p, f: f, res: &b.res, used: b.used[:0], config: f.Config, limit: transitionGuard, meter: newMeter(),
		account: document(f.Account.AccountID)}
	return &b.run
}

// NoFlowError says why a fixture runs no flow. The culprit is the
// fixture's choice (a flow or an event the bundle does not have) unless
// JobSpec is set: a job spec bound to the event names a flow the bundle
// lacks, and the bundle is what to fix.
type NoFlowError struct {
	Fixture string // where the fixture makes its choice: path, and line when known
	JobSpec string // the position of the job spec's flow_name, or ""
	Reason  string // what is wrong and what to do, without a position
}

func (e *NoFlowError) Error() string {
	if e.JobSpec != "" {
		return e.JobSpec + ": " + e.Reason
	}
	return e.Fixture + ": " + e.Reason
}

// flowFor picks the flow by name, or through the job specs bound to the
// fixture's event.
func (p *Program) flowFor(f *Fixture) (*machine, error) {
	if f.Flow != "" {
		if m := p.flows[f.Flow]; m != nil {
			return m, nil
		}
		return nil, &NoFlowError{Fixture: fixtureAt(f, "flow"),
			Reason: fmt.Sprintf("the bundle has no flow named %q; its flows are %s%s",
				f.Flow, strings.Join(p.FlowNames(), ", "), didyoumean.Hint(f.Flow, p.FlowNames()))}
	}
	var dangling *jobSpec
	for i, js := range p.jobSpecs {
		if js.source == f.EventSource && js.event == f.EventType {
			if m := p.flows[js.flow]; m != nil {
				return m, nil
			}
			if dangling == nil {
				dangling = &p.jobSpecs[i]
			}
		}
	}
	if dangling != nil {
		return nil, &NoFlowError{Fixture: fixtureAt(f, "event_type", "event_source"), JobSpec: dangling.at,
			Reason: fmt.Sprintf("job spec %q starts flow %q for event_source %q and event_type %q, but the bundle has no flow named %q; fix its flow_name or add the flow%s",
				dangling.key, dangling.flow, f.EventSource, f.EventType, dangling.flow, didyoumean.Hint(dangling.flow, p.FlowNames()))}
	}
	return nil, &NoFlowError{Fixture: fixtureAt(f, "event_type", "event_source"),
		Reason: fmt.Sprintf("no job spec of the bundle starts a flow for event_source %q and event_type %q%s",
			f.EventSource, f.EventType, p.eventHint(f.EventSource, f.EventType))}
}

// eventHint suggests the event a job spec of the bundle binds when the
// fixture's is a near miss.
func (p *Program) eventHint(source, event string) string {
	var bound []string
	for _, js := range p.jobSpecs {
		if js.source == source {
			bound = append(bound, js.event)
		}
	}
	return didyoumean.Hint(event, bound)
}

// fixtureAt is the position of the first of keys the fixture has a line
// for, or its path alone.
func fixtureAt(f *Fixture, keys ...string) string {
	for _, k := range keys {
		if line := f.Line[k]; line > 0 {
			return fmt.Sprintf("%s:%d", f.Path, line)
		}
	}
	return f.Path
}

func (r *run) finish(out any, err error) {
	r.res.Output = out
	r.res.WaitedSeconds = r.clock
	r.res.Status = StatusSucceeded
	if err == nil {
		return
	}
	r.res.Status = StatusFailed
	fail, ok := err.(*runFailure)
	if !ok {
		fail = &runFailure{RunError: RunError{Error: errRuntime, Cause: err.Error()}}
	}
	r.res.Error = &fail.RunError
	if !retriedByZIS(fail) {
		return
	}
	for _, req := range r.res.Requests {
		switch req.Method {
		case "POST", "PUT", "PATCH", "DELETE":
			r.res.RepeatedOnRetry = append(r.res.RepeatedOnRetry, req)
		}
	}
}

// retriedByZIS says whether ZIS runs a failed flow again from the start.
// Per the ZIS docs (developer-guide/state-retry-error-handling), a flow
// that ends on a Fail state is not retried, nor one failed by a 4xx
// response other than 429, since the same request would fail again;
// 429, 5xx and timeouts are retried, as are other runtime errors.
func retriedByZIS(f *runFailure) bool {
	if f.byFailState {
		return false
	}
	return !(f.status >= 400 && f.status <= 499 && f.status != 429)
}

// machine runs states from m's start until one ends the run. prefix
// names the Map iteration, for the list of visited states.
func (r *run) machine(m *machine, doc any, prefix string) (any, error) {
	st := m.start
	for {
		if err := r.visit(prefix + st.name); err != nil {
			return doc, &runFailure{fatal: true, RunError: RunError{Error: errTransitions, Cause: err.Error(), State: st.name}}
		}
		r.res.cover.visit(r.scope + st.name)
		r.via = "Next" // a Choice or a Catch says otherwise
		next, out, err := r.step(st, doc, prefix)
		if err != nil {
			if next, out, err = r.recover(st, doc, prefix, err); err != nil {
				if f, ok := err.(*runFailure); ok && f.State == "" {
					f.State = st.name // a bound met below the state, such as the meter's
				}
				return out, err
			}
		}
		doc = out
		if next == nil || st.typ == bundle.StateSucceed || st.typ == bundle.StateFail {
			if r.scope != "" {
				// The iteration ended here and hands its result to the Map.
				r.res.cover.take(r.scope+st.name, ViaIteratorEnd)
			}
			return doc, nil // End: true, or a state that ends the run
		}
		r.res.cover.take(r.scope+st.name, r.via)
		st = next
	}
}

// visit records a state and enforces the transition limits.
func (r *run) visit(name string) error {
	r.res.States = append(r.res.States, name)
	r.transitions++
	if r.transitions <= r.limit {
		return nil
	}
	if r.limit == nestedMapTransitions {
		return fmt.Errorf("the flow made more than %d state transitions, the limit for flows with nested Map states", nestedMapTransitions)
	}
	return fmt.Errorf("the flow made %d state transitions without ending; it loops through %s", r.transitions-1, loopOf(r.res.States))
}

// retryAttempt counts a retry as a state transition, as the States
// Language's hosts bill it. Without that, a Retry with IntervalSeconds 0
// or less takes no virtual time, and MaxAttempts 1e9 would run for hours.
func (r *run) retryAttempt(stateName string, attempt int) error {
	r.transitions++
	if r.transitions <= r.limit {
		return nil
	}
	return &runFailure{fatal: true, RunError: RunError{Error: errTransitions, State: stateName,
		Cause: fmt.Sprintf("the flow made more than %d state transitions, counting retries; state %s was retried %d times without its Retry's interval adding up to the %v-second timeout", r.limit, stateName, attempt, flowTimeout)}}
}

// loopOf names the states of the cycle the run ended in, starting from
// the one the run entered the loop by.
func loopOf(visited []string) string {
	last := visited[len(visited)-1]
	var cycle []string
	for i := len(visited) - 2; i >= 0; i-- {
		if visited[i] == last {
			cycle = visited[i+1:]
			break
		}
	}
	if cycle == nil {
		return last
	}
	in := map[string]int{}
	for i, name := range cycle {
		in[name] = i
	}
	for _, name := range visited {
		if i, ok := in[name]; ok {
			cycle = append(cycle[i:len(cycle):len(cycle)], cycle[:i]...)
			break
		}
	}
	return strings.Join(cycle, " → ")
}

// recover applies Retry and then Catch to a failed state.
func (r *run) recover(st *state, doc any, prefix string, err error) (*state, any, error) {
	serr, ok := err.(*stateError)
	if !ok {
		return nil, doc, err
	}
	for _, rt := range st.retries {
		interval := rt.interval
		for attempt := 1; attempt <= rt.max; attempt++ {
			if terr := r.retryAttempt(st.name, attempt); terr != nil {
				return nil, doc, terr
			}
			if terr := r.wait(interval, st.name); terr != nil {
				return nil, doc, terr
			}
			next, out, err2 := r.step(st, doc, prefix)
			if err2 == nil {
				return next, out, nil
			}
			if serr, ok = err2.(*stateError); !ok {
				return nil, doc, err2
			}
			interval *= rt.backoff
		}
		break // only the first Retry entry applies: they all match States.ALL
	}
	if len(st.catches) == 0 {
		return nil, doc, &runFailure{RunError: RunError{Error: serr.name, Cause: serr.cause, State: st.name}, status: serr.status}
	}
	c := st.catches[0]
	r.via = c.via
	out, aerr := r.assign(doc, c.resultPath, map[string]any{"Error": serr.name, "Cause": serr.cause})
	if aerr != nil {
		return nil, doc, &runFailure{RunError: RunError{Error: errRuntime, Cause: aerr.Error(), State: st.name}}
	}
	return c.next, out, nil
}

// wait advances the virtual clock, failing the run past the timeout.
func (r *run) wait(seconds float64, stateName string) error {
	if !(seconds > 0) { // NaN too: 0 × an infinite BackoffRate
		return nil
	}
	if r.clock+seconds <= flowTimeout {
		r.clock += seconds
		return nil
	}
	// ZIS cuts a wait short at the flow limit (developer-guide/wait-state):
	// the flow ends at 100 s, whatever the wait asked for. The sum may
	// also have overflowed to +Inf, which no result could encode.
	started := r.clock
	r.clock = flowTimeout
	return &runFailure{fatal: true, RunError: RunError{Error: errTimeout, State: stateName,
		Cause: fmt.Sprintf("the flow reached the %v-second limit: state %s waits %v s from %v s of virtual time, so ZIS ends the flow at %v s", flowTimeout, stateName, seconds, started, flowTimeout)}}
}

func (r *run) assign(doc any, p *bundle.Path, v any) (any, error) {
	if p == nil {
		return v, nil // the default ResultPath, $, replaces the input
	}
	return assign(doc, *p, v)
}

// step runs one state and returns the next one and the new document.
func (r *run) step(st *state, doc any, prefix string) (*state, any, error) {
	input := doc
	if st.inputPath != nil {
		v, ok := lookup(doc, *st.inputPath)
		if !ok {
			return nil, doc, &stateError{name: errRuntime, cause: "InputPath " + st.inputPath.Raw + " is not in the input"}
		}
		input = v
	}
	next, out, err := r.execute(st, doc, input, prefix)
	if err != nil || st.outputPath == nil {
		return next, out, err
	}
	v, ok := lookup(out, *st.outputPath)
	if !ok {
		return nil, doc, &stateError{name: errRuntime, cause: "OutputPath " + st.outputPath.Raw + " is not in the output"}
	}
	return next, v, nil
}

// execute runs the state's own work on input and merges the result into
// doc at ResultPath.
func (r *run) execute(st *state, doc, input any, prefix string) (*state, any, error) {
	switch st.typ {
	case bundle.StateChoice:
		for _, rule := range st.rules {
			if rule.matches(input) {
				r.via = rule.via
				return rule.next, doc, nil
			}
		}
		if st.deflt == nil {
			return nil, doc, &stateError{name: errNoChoice, cause: "no rule of Choice state " + st.name + " matched and it has no Default"}
		}
		r.via = "Default"
		return st.deflt, doc, nil
	case bundle.StateSucceed:
		if st.message != nil {
			msg := render(*st.message, input)
			r.res.Message = &msg
		}
		return nil, doc, nil
	case bundle.StateFail:
		return nil, doc, &runFailure{byFailState: true, RunError: RunError{State: st.name, Error: textOrEmpty(st.errorT, input), Cause: textOrEmpty(st.causeT, input)}}
	case bundle.StateWait:
		return r.waitState(st, doc, input)
	}
	result, err := r.work(st, input, prefix)
	if err != nil {
		return nil, doc, err
	}
	if st.discard {
		return st.next, doc, nil
	}
	out, err := r.assign(doc, st.resultPath, result)
	return st.next, out, err
}

func textOrEmpty(t *bundle.Template, doc any) string {
	if t == nil {
		return ""
	}
	return render(*t, doc)
}

func (r *run) waitState(st *state, doc, input any) (*state, any, error) {
	secs := st.seconds
	if st.secsPath != nil {
		v, _ := lookup(input, *st.secsPath)
		secs, _ = v.(float64) // a value of zero or less moves on at once
	}
	if err := r.wait(secs, st.name); err != nil {
		return nil, doc, err
	}
	return st.next, doc, nil
}

// work computes the result of an Action, Pass or Map state.
func (r *run) work(st *state, input any, prefix string) (any, error) {
	if o, ok := st.params.(objectValue); ok && st.action == jqAction {
		return r.jqState(st, o, input)
	}
	params := input
	if st.params != nil {
		var err error
		if params, err = st.params.eval(input, &r.meter); err != nil {
			return nil, err
		}
	}
	switch st.typ {
	case bundle.StatePass:
		if st.result != nil {
			return st.result.eval(input, &r.meter)
		}
		return params, nil
	case bundle.StateMap:
		return r.mapState(st, input, prefix)
	}
	return r.callAction(st, prefix, params)
}

// jqState runs a Jq action whose Parameters are an object. They are
// evaluated as any state's are, with the same errors and the same
// charges to the meter, but only expr and data are kept: the action
// reads nothing else, so the object is never built.
func (r *run) jqState(st *state, params objectValue, input any) (any, error) {
	var expr, data any
	err := params.each(input, &r.meter, func(key string, v any) {
		switch key {
		case "expr":
			expr = v
		case "data":
			data = v
		}
	})
	if err != nil {
		return nil, err
	}
	return r.jq(st, expr, data)
}

// mapState runs the iterator once per item of ItemsPath.
func (r *run) mapState(st *state, input any, prefix string) (any, error) {
	v, _ := lookup(input, st.items)
	items, ok := v.([]any)
	if !ok {
		return nil, &stateError{name: errRuntime, cause: "ItemsPath " + st.items.Raw + " of Map state " + st.name + " is not an array"}
	}
	if len(items) > mapItemLimit {
		return nil, &runFailure{fatal: true, RunError: RunError{Error: errMapItemsLimit, State: st.name,
			Cause: fmt.Sprintf("Map state %s got %d items; ZIS stops the flow when a Map has more than %d", st.name, len(items), mapItemLimit)}}
	}
	out := make([]any, len(items))
	for i, item := range items {
		if _, isObject := item.(map[string]any); !isObject {
			return nil, &stateError{name: errRuntime, cause: fmt.Sprintf("item %d of Map state %s is not an object; ZIS Map states iterate over objects only", i, st.name)}
		}
		taken, err := r.meter.take(item)
		if err != nil {
			return nil, err
		}
		res, err := r.iterate(st, taken, fmt.Sprintf("%s%s[%d]/", prefix, st.name, i))
		if err != nil {
			if f, ok := err.(*runFailure); ok && f.fatal {
				return nil, err // limits and fixture problems end the whole flow
			}
			return nil, toStateError(err)
		}
		out[i] = res
	}
	return out, nil
}

// iterate runs one item through the Map state's iterator, recording the
// entry into the iterator for coverage.
func (r *run) iterate(st *state, item any, prefix string) (any, error) {
	outer := r.scope
	r.res.cover.take(outer+st.name, ViaIterator)
	r.scope = outer + st.name + "/"
	defer func() { r.scope = outer }()
	return r.machine(st.iterator, item, prefix)
}

// toStateError turns a failed Map iteration into a failure of the Map
// state, which the Map's own Catch and Retry may handle.
func toStateError(err error) error {
	if f, ok := err.(*runFailure); ok {
		return &stateError{name: f.RunError.Error, cause: f.Cause, status: f.status}
	}
	return err
}
