package rules

import (
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const waitTooLongID = "ZIS311"

// flowTimeout is how long ZIS lets a flow run, in seconds.
const flowTimeout = 100

// WaitTooLong warns about waits the flow timeout cuts short.
var WaitTooLong = &analysis.Analyzer{
	Name: "wait_too_long",
	Doc: `a Wait longer than the 100-second flow limit never finishes

A ZIS flow may run for at most 100 seconds, waits included. A Wait state of
more than 100 seconds is cut short when the flow times out, and the states
after it never run. For longer delays, schedule the work outside ZIS.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runWaitTooLong,
}

func runWaitTooLong(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, waitTooLongID)
	for s := range r.in.Bundle.States() {
		secs := s.Entry.Value().Get("Seconds")
		if s.Type() != bundle.StateWait || secs == nil || secs.Kind() != bundle.Number {
			continue
		}
		if v, err := strconv.ParseFloat(secs.Text(), 64); err == nil && v > flowTimeout {
			r.node(secs, "Wait state %q waits %s seconds, longer than the %d seconds a flow may run; the flow times out before the wait ends", s.Name, secs.Text(), flowTimeout)
		}
	}
	return nil, nil
}
