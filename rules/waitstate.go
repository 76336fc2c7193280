package rules

import (
	"strconv"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const waitStateID = "ZIS310"

// WaitState checks how long a Wait state waits.
var WaitState = &analysis.Analyzer{
	Name: "wait_state",
	Doc: `a Wait state needs exactly one of Seconds (above 0) and SecondsPath

ZIS Wait states wait a fixed number of seconds ("Seconds", a number above
0) or the number found at a path ("SecondsPath"). They have no Timestamp or
TimestampPath. With neither field, or both, the state is invalid.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runWaitState,
}

func runWaitState(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, waitStateID)
	for s := range r.in.Bundle.States() {
		if s.Type() != bundle.StateWait {
			continue
		}
		obj := s.Entry.Value()
		secs, path := obj.Member("Seconds"), obj.Member("SecondsPath")
		switch {
		case secs == nil && path == nil:
			r.key(s.Entry, "Wait state %q does not say how long to wait: add \"Seconds\" (a number above 0) or \"SecondsPath\"", s.Name)
		case secs != nil && path != nil:
			r.key(path, "Wait state %q has both Seconds and SecondsPath; keep one", s.Name)
		case secs != nil && secs.Value().Kind() == bundle.Number:
			if v, err := strconv.ParseFloat(secs.Value().Text(), 64); err == nil && v <= 0 {
				r.node(secs.Value(), "Wait state %q waits %s seconds; Seconds must be above 0 (remove the state to not wait)", s.Name, secs.Value().Text())
			}
		}
	}
	return nil, nil
}
