package rules

import "golang.org/x/tools/go/analysis"

const syntaxID = "ZIS001"

// Syntax reports a file that is not valid JSON.
var Syntax = &analysis.Analyzer{
	Name: "syntax",
	Doc: `the bundle must be valid JSON

ZIS rejects a bundle that does not parse. The finding points at the first
byte that cannot be read and says what was expected there; the other rules
need a parsed bundle, so fix this one first.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runSyntax,
}

func runSyntax(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, syntaxID)
	if err := r.in.Bundle.Syntax; err != nil {
		end := min(err.Offset+1, len(r.in.Bundle.Src))
		r.span(err.Offset, max(end, err.Offset), err.Msg)
	}
	return nil, nil
}
