package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const pathSyntaxID = "ZIS601"

// PathSyntax checks every path a flow evaluates.
var PathSyntax = &analysis.Analyzer{
	Name: "path_syntax",
	Doc: `paths must use the ZIS path syntax

ZIS reads data with a small subset of JSONPath: $ (the state's input)
followed by steps .name, ['name'] or [index]. It has no wildcards ([*]),
filters ([?(...)]), recursive descent (..) or negative indexes; reshape the
data with a zis:common:transform:Jq action instead. Checked: Variable and
the ...Path operators of Choice rules, ItemsPath, ResultPath, InputPath,
OutputPath, SecondsPath, Catch ResultPath, and every ".$" value that is a
bare path ("ticket_id.$": "$.input.ticket_event.ticket.id").`,
	Requires: []*analysis.Analyzer{Root, Exprs},
	Run:      runPathSyntax,
}

func runPathSyntax(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, pathSyntaxID)
	for site := range pass.ResultOf[Exprs].(*ExprSites).All() {
		s, _ := site.Node.Str()
		if site.Kind != PathSite && !(site.Kind == DynamicSite && bundle.IsPathValue(s)) {
			continue
		}
		if err := bundle.CheckPath(s); err != nil {
			r.pointAt(site.Node, err.Offset, site.Where()+": "+err.Msg)
		}
	}
	return nil, nil
}
