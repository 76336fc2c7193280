package simulate

import "fmt"

// Bounds of the copying one run does. Each state copies what its
// Parameters, Result, jq program or Map item names out of the document,
// and a loop can copy the whole document twice over each time round
// ("a.$": "$", "b.$": "$"), or render it into a template that quotes it
// again: the document doubles per transition, and the transition guard
// alone would let it reach 2^10000. Counting what is copied ends such a
// run after a few dozen rounds, the same way on every machine.
const (
	// MaxRunValues bounds the values (numbers, strings, arrays,
	// objects…) the states of one run copy, in total.
	MaxRunValues = 5_000_000
	// MaxRunTextBytes bounds the text templates of one run render, in
	// total.
	MaxRunTextBytes = 128 << 20
)

// errDocumentLimit names the failure of a run that copied past a bound.
// Like the transition guard, it ends the run: Catch and Retry would only
// copy more.
const errDocumentLimit = "zislint.DocumentLimit"

// runBounds are the bounds new runs get; tests lower them.
var runBounds = struct{ values, bytes int }{MaxRunValues, MaxRunTextBytes}

// meter counts what the states of a run take from the document. A nil
// meter counts nothing, for evaluations outside a run.
type meter struct {
	values, bytes int
	maxValues     int
	maxBytes      int
}

func newMeter() meter {
	return meter{maxValues: runBounds.values, maxBytes: runBounds.bytes}
}

// take charges v's values to the meter and returns v itself. A state
// shares what it takes from the document (values are never written),
// but the bound is on what it would hold written out: a value taken
// twice counts twice, so a document that doubles each time round meets
// the bound as if every part were copied.
func (m *meter) take(v any) (any, error) {
	if m == nil {
		return v, nil
	}
	if !m.count(v) {
		return nil, m.overCopied()
	}
	return v, nil
}

// takeCounted is take for a value whose size is known, such as a
// literal of the program, counted when it was compiled.
func (m *meter) takeCounted(v any, values int) (any, error) {
	if m == nil {
		return v, nil
	}
	m.values += values
	if m.values > m.maxValues {
		return nil, m.overCopied()
	}
	return v, nil
}

func (m *meter) overCopied() error {
	return m.failure(fmt.Sprintf("the states of the run copied more than %d values from the document, zislint's bound on one run; a loop likely copies the document into itself (\"a.$\": \"$\", \"b.$\": \"$\") so that it doubles each time round", m.maxValues))
}

// count adds v's values to the meter and reports whether they stay
// within the bound. It stops as soon as they do not, so that a value
// whose parts are shared many times over is never counted out in full.
func (m *meter) count(v any) bool {
	m.values++
	if m.values > m.maxValues {
		return false
	}
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if !m.count(e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !m.count(e) {
				return false
			}
		}
	}
	return true
}

// size is the number of values v holds, for takeCounted.
func size(v any) int {
	n := 1
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			n += size(e)
		}
	case []any:
		for _, e := range x {
			n += size(e)
		}
	}
	return n
}

// text charges a rendered template's text to the meter.
func (m *meter) text(s string) error {
	if m == nil {
		return nil
	}
	m.bytes += len(s)
	if m.bytes > m.maxBytes {
		return m.failure(fmt.Sprintf("the templates of the run rendered more than %d MiB of text, zislint's bound on one run; a loop likely renders the document into itself so that it doubles each time round", m.maxBytes>>20))
	}
	return nil
}

// charge counts values copied elsewhere, such as a jq program's results.
func (m *meter) charge(values int) error {
	if m == nil {
		return nil
	}
	m.values += values
	if m.values > m.maxValues {
		return m.failure(fmt.Sprintf("the states of the run copied more than %d values, zislint's bound on one run; a loop likely grows the document each time round", m.maxValues))
	}
	return nil
}

func (m *meter) failure(cause string) error {
	return &runFailure{fatal: true, RunError: RunError{Error: errDocumentLimit, Cause: cause}}
}
