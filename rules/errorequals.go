package rules

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
)

const errorEqualsID = "ZIS309"

// ErrorEquals checks the error names of Catch and Retry.
var ErrorEquals = &analysis.Analyzer{
	Name: "error_equals",
	Doc: `Catch and Retry match only "States.ALL"

ZIS does not tell errors apart: the only error name a Catch or Retry entry
can match is "States.ALL". Names from AWS Step Functions such as
"States.TaskFailed" or "States.Timeout" are not ZIS names, so the entry
never applies. ZIS documents no names for the errors it raises, only their
Cause; the simulator's own labels (zislint.ActionFailed, ...) are not ZIS
names either. Write "ErrorEquals": ["States.ALL"].`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runErrorEquals,
}

func runErrorEquals(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, errorEqualsID)
	for s := range r.in.Bundle.States() {
		for _, field := range []string{"Catch", "Retry"} {
			list := s.Entry.Value().Get(field)
			if list == nil {
				continue
			}
			for i, entry := range list.Elems() {
				names := entry.Get("ErrorEquals")
				if names == nil {
					continue
				}
				for _, n := range names.Elems() {
					if v, ok := n.Str(); ok && v != "States.ALL" {
						fix := r.replace(names, `use ["States.ALL"]`, `["States.ALL"]`)
						r.span(int(n.Start), int(n.End()), fmt.Sprintf("%s[%d] of state %q matches %q, but ZIS matches errors by no name other than \"States.ALL\", which matches every error", field, i, s.Name, v), fix)
					}
				}
			}
		}
	}
	return nil, nil
}
