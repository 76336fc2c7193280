package rules

import (
	"golang.org/x/tools/go/analysis"
)

const duplicateNameID = "ZIS204"

// DuplicateName reports two resources of one kind with the same name.
var DuplicateName = &analysis.Analyzer{
	Name: "duplicate_name",
	Doc: `names must be unique among resources of one type

Two actions, two flows or two job specs with the same properties.name have
the same fully qualified name, and ZIS refuses the upload with "Bundle
contains duplicated resources".`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runDuplicateName,
}

func runDuplicateName(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, duplicateNameID)
	type kindName struct{ kind, name string }
	first := map[kindName]string{}
	for _, res := range r.in.Bundle.Resources {
		if res.Name == nil || res.Type == "" {
			continue
		}
		k := kindName{res.Type, res.NameText()}
		if prev, ok := first[k]; ok {
			r.node(res.Name, "%s name %q is already used by resource %q; names must be unique within a type", res.Type, k.name, prev)
			continue
		}
		first[k] = res.Key
	}
	return nil, nil
}
