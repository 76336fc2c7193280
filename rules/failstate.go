package rules

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const failStateID = "ZIS312"

// FailState warns about Fail states that do not say why.
var FailState = &analysis.Analyzer{
	Name: "fail_state",
	Doc: `a Fail state should set Error and Cause

ZIS writes a Fail state's Error and Cause to the integration log; they are
all an admin sees of why a run failed. Set Error to a short name and Cause
to a sentence, with {{$.path}} placeholders for the details.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runFailState,
}

func runFailState(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, failStateID)
	for s := range r.in.Bundle.States() {
		if s.Type() != bundle.StateFail {
			continue
		}
		var missing []string
		for _, field := range []string{"Error", "Cause"} {
			if s.Entry.Value().Member(field) == nil {
				missing = append(missing, field)
			}
		}
		if len(missing) > 0 {
			r.key(s.Entry, "Fail state %q has no %s; the integration log will not say why the run failed", s.Name, strings.Join(missing, " and no "))
		}
	}
	return nil, nil
}
