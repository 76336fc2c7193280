package simulate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"time"

	"github.com/itchyny/gojq"
)

// Bounds of one zis:common:transform:Jq run. jq is a full language, so a
// bundle can ask for a run that never ends (def f: f; f) or that doubles
// a string until memory runs out; these bounds end such a run with an
// error instead.
//
// The step and output bounds are counted, not timed: a program hits them
// on every machine alike, so they never make a run's result depend on the
// machine. The allocation and time bounds are backstops for what counting
// cannot see (one step that builds a huge string); they sit far above
// anything a real transform needs, so only a runaway program meets them.
const (
	// JqMaxSteps is how many interpreter steps one jq run may take.
	JqMaxSteps = 10_000_000
	// JqMaxOutputs is how many results one jq run may emit.
	JqMaxOutputs = 10_000
	// JqMaxOutputValues and JqMaxOutputBytes bound the size of all the
	// results of one run together: values (each number, string, array,
	// object…) and bytes of text (strings and object keys).
	JqMaxOutputValues = 1_000_000
	JqMaxOutputBytes  = 32 << 20
	// JqMaxAllocBytes is how much memory one jq run may allocate.
	JqMaxAllocBytes = 512 << 20
	// JqMaxTime is the wall-clock backstop of one jq run.
	JqMaxTime = 10 * time.Second
)

// errJqLimit names the failure of a jq run that went past a bound. It is
// fatal: neither Retry nor Catch applies, since retrying a runaway program
// would only run it again.
const errJqLimit = "zislint.JqLimit"

// jqCheckEvery is how many steps pass between two looks at the clock:
// often enough to stop a runaway program soon, seldom enough to cost
// nothing measurable. The allocation counter, an atomic load, is looked
// at every jqAllocCheckEvery steps, since a program can double a value in
// a few steps.
const (
	jqCheckEvery      = 1 << 12
	jqAllocCheckEvery = 1 << 3
)

// closedDone is what Done returns once the budget is spent: a closed
// channel tells gojq to stop at its next step.
var closedDone = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// jqBudget is the context a jq program runs with. gojq asks a context's
// Done channel once per interpreter step, which makes Done a
// deterministic step counter: each call counts one step, and once a bound
// is passed Done returns a closed channel and Err says which bound.
type jqBudget struct {
	steps      int
	maxSteps   int
	maxAlloc   uint64
	maxTime    time.Duration
	start      time.Time
	allocStart uint64
	err        error
}

// jqBounds are the bounds new runs get; tests lower them to meet them
// sooner.
var jqBounds = struct {
	steps int
	alloc uint64
	time  time.Duration
}{JqMaxSteps, JqMaxAllocBytes, JqMaxTime}

// jqBudgets recycles budgets: gojq keeps the context it runs with, so a
// budget cannot live on the stack, and allocating one per jq run would
// cost the simulator's hot path an allocation.
var jqBudgets = sync.Pool{New: func() any { return new(jqBudget) }}

// reset readies b for a new jq run.
func (b *jqBudget) reset() {
	*b = jqBudget{maxSteps: jqBounds.steps, maxAlloc: jqBounds.alloc, maxTime: jqBounds.time,
		allocStart: heapWatch.begin()}
}

// end tells the heap watch this run is over.
func (b *jqBudget) end() { heapWatch.end() }

func (b *jqBudget) Done() <-chan struct{} {
	if b.err != nil {
		return closedDone
	}
	b.steps++
	switch {
	case b.steps > b.maxSteps:
		b.err = fmt.Errorf("the jq program ran more than %d steps, zislint's bound on one jq run; it likely loops forever (def f: f, until, repeat, a huge range)", b.maxSteps)
	case b.steps%jqAllocCheckEvery != 0:
		return nil
	case heapWatch.allocs.Load()-b.allocStart > b.maxAlloc:
		b.err = fmt.Errorf("the jq program allocated more than %d MiB, zislint's memory bound on one jq run; it likely builds an ever larger value", b.maxAlloc>>20)
	case b.steps%jqCheckEvery == 0 && b.overTime():
		b.err = fmt.Errorf("the jq program ran longer than %v, zislint's time limit on one jq run", b.maxTime)
	}
	if b.err != nil {
		return closedDone
	}
	return nil
}

// overTime reports whether the run took longer than maxTime. The clock
// starts at the first look, jqCheckEvery steps in: most programs end
// before, and reading the clock at every start would cost them.
func (b *jqBudget) overTime() bool {
	if b.start.IsZero() {
		b.start = time.Now()
		return false
	}
	return time.Since(b.start) > b.maxTime
}

func (b *jqBudget) Err() error                  { return b.err }
func (b *jqBudget) Deadline() (time.Time, bool) { return time.Time{}, false }
func (b *jqBudget) Value(any) any               { return nil }

var _ context.Context = (*jqBudget)(nil)

// outputBudget bounds the results of one jq run taken together.
type outputBudget struct {
	outputs, values, bytes int
	// foreign is set by count on meeting a value a document does not
	// hold as is: a number of gojq's own types, infinite or nan.
	foreign bool
}

var errOutputTooBig = errors.New("too big")

// take turns one result into a document value, charging it to the
// budget. The result is counted out first, stopping as soon as the
// budget is spent, so that a result whose parts are shared many times
// over (jq's [., .] repeated) is never expanded in full; counting also
// stops past maxDepth levels, which a deeper value would overflow the
// stack of the code that walks it later. A result of document values
// only, such as a part of the input, is then shared, not copied: gojq
// does not write into a value it has emitted.
func (o *outputBudget) take(v any) (any, error) {
	o.outputs++
	if o.outputs > JqMaxOutputs {
		return nil, fmt.Errorf("the jq program emitted more than %d results, zislint's bound on one jq run", JqMaxOutputs)
	}
	o.foreign = false
	if o.count(v, 0) != nil {
		return nil, fmt.Errorf("the jq program's results hold more than %d values, %d MiB of text or %d levels of nesting, zislint's bound on one jq run", JqMaxOutputValues, JqMaxOutputBytes>>20, maxDepth)
	}
	if o.foreign {
		return fromJq(v), nil
	}
	return v, nil
}

// fromJq copies a result, converting its numbers to float64 as clone
// does and writing infinite and nan as jsonNumber does.
func fromJq(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fromJq(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromJq(e)
		}
		return out
	}
	return jsonNumber(clone(v))
}

// jsonNumber writes jq's infinite and nan as jq prints them, ±1.797…e308
// and null: a document holds JSON values only, and a result must encode.
func jsonNumber(v any) any {
	f, ok := v.(float64)
	switch {
	case !ok:
		return v
	case math.IsNaN(f):
		return nil
	case math.IsInf(f, 1):
		return math.MaxFloat64
	case math.IsInf(f, -1):
		return -math.MaxFloat64
	}
	return v // not f: boxing it again would allocate
}

func (o *outputBudget) text(s string) error {
	o.bytes += len(s)
	if o.bytes > JqMaxOutputBytes {
		return errOutputTooBig
	}
	return nil
}

// jqLimitError is a jq run stopped by one of the bounds above.
type jqLimitError struct{ msg string }

func (e *jqLimitError) Error() string { return e.msg }

// runJq runs code on data within the bounds and returns its result as
// the Jq action gives it (one output is the result, several become an
// array, none is null), in document values charged to the run's meter.
// An error of the program itself is returned as is; a bound of the jq
// run reached is a *jqLimitError, one of the run's a *runFailure.
func runJq(prog *jqProgram, data any, m *meter) (any, error) {
	budget := jqBudgets.Get().(*jqBudget)
	budget.reset()
	defer jqBudgets.Put(budget)
	defer budget.end()
	var outs outputs
	var taken outputBudget
	var iter gojq.Iter
	if prog.budgeted {
		iter = prog.code.RunWithContext(budget, data, budget) // as $__zislint_budget
	} else {
		iter = prog.code.RunWithContext(budget, data)
	}
	for {
		v, ok := iter.Next()
		if !ok {
			return outs.result(), m.charge(taken.values)
		}
		if err, isErr := v.(error); isErr {
			if budget.err != nil {
				return nil, &jqLimitError{budget.err.Error()}
			}
			if _, halt := err.(*gojq.HaltError); halt {
				return outs.result(), m.charge(taken.values)
			}
			return nil, boundedError(err)
		}
		out, err := taken.take(v)
		if err != nil {
			return nil, &jqLimitError{err.Error()}
		}
		outs.add(out)
	}
}

// outputs gathers a program's outputs; most programs have one, which
// needs no array.
type outputs struct {
	n     int
	first any
	all   []any // from the second output on
}

func (o *outputs) add(v any) {
	switch o.n {
	case 0:
		o.first = v
	case 1:
		o.all = []any{o.first, v}
	default:
		o.all = append(o.all, v)
	}
	o.n++
}

func (o *outputs) result() any {
	switch o.n {
	case 0:
		return nil
	case 1:
		return o.first
	}
	return o.all
}

// boundedError is err with its message bounded: error(v) writes its
// value out whole, and the value may be one whose shared parts, counted
// out, have no end.
func boundedError(err error) error {
	ve, ok := err.(gojq.ValueError)
	if !ok {
		return err
	}
	var size outputBudget
	if size.count(ve.Value(), 0) != nil {
		return fmt.Errorf("error: a value of more than %d values, %d MiB of text or %d levels of nesting", JqMaxOutputValues, JqMaxOutputBytes>>20, maxDepth)
	}
	return err
}

// count measures v: its values, its text and its depth, which take
// checks against the bounds of a result.
func (o *outputBudget) count(v any, depth int) error {
	o.values++
	if o.values > JqMaxOutputValues || depth > maxDepth {
		return errOutputTooBig
	}
	switch x := v.(type) {
	case string:
		return o.text(x)
	case map[string]any:
		for k, e := range x {
			if err := o.text(k); err != nil {
				return err
			}
			if err := o.count(e, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := o.count(e, depth+1); err != nil {
				return err
			}
		}
	case float64:
		o.foreign = o.foreign || math.IsNaN(x) || math.IsInf(x, 0)
	case bool, nil:
	default:
		o.foreign = true
	}
	return nil
}
