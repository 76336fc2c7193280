package rules

import (
	"golang.org/x/tools/go/analysis"
)

const nameMismatchID = "ZIS203"

// NameMismatch reports a resource whose key differs from its name.
var NameMismatch = &analysis.Analyzer{
	Name: "name_mismatch",
	Doc: `a resource's key should equal its properties.name

References use properties.name, not the resource key: a flow stored under
"example_flow" with "name": "my_flow" is zis:<integration>:flow:my_flow.
ZIS requires the two to match for actions, and keeping them equal for
flows and job specs avoids references that look right and resolve to
nothing.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runNameMismatch,
}

func runNameMismatch(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, nameMismatchID)
	for _, res := range r.in.Bundle.Resources {
		if res.Name == nil || res.NameText() == res.Key {
			continue
		}
		r.node(res.Name, "properties.name %q differs from the resource key %q; references use the name (zis:...:%s), so rename one to match the other",
			res.NameText(), res.Key, keyName(res.NameText()))
	}
	return nil, nil
}
