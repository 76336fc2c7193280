package rules

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/internal/lazyre"
)

const intrinsicFunctionID = "ZIS605"

// IntrinsicFunction reports Amazon States Language intrinsic functions,
// which ZIS does not have (developer-guide/flow-state-limitations).
var IntrinsicFunction = &analysis.Analyzer{
	Name: "intrinsic_function",
	Doc: `ZIS has no intrinsic functions such as States.Format

Amazon States Language lets a ".$" value call functions: States.Format,
States.JsonMerge, States.StringToJson, States.Array and others. ZIS does
not support them (see "Flow state limitations" in the ZIS developer
guide), so "message.$": "States.Format('Ticket {}', $.id)" does not build
the text. Build text with a {{...}} template instead ("message.$":
"Ticket {{$.id}}"), and merge or reshape data with a
zis:common:transform:Jq action.`,
	Requires: []*analysis.Analyzer{Root, Exprs},
	Run:      runIntrinsicFunction,
}

// intrinsicCall matches a call of a States.X function.
var intrinsicCall = lazyre.New(`States\.[A-Za-z][A-Za-z0-9]*\s*\(`)

func runIntrinsicFunction(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, intrinsicFunctionID)
	for site := range pass.ResultOf[Exprs].(*ExprSites).All() {
		if site.Kind != DynamicSite {
			continue
		}
		s, _ := site.Node.Str()
		if !strings.Contains(s, "States.") {
			continue // nearly every site; the regexp is not needed to tell
		}
		if loc := intrinsicCall().FindStringIndex(s); loc != nil {
			call := strings.TrimSpace(s[loc[0] : loc[1]-1])
			r.pointAt(site.Node, loc[0], site.Where()+" calls "+quote(call+"(…)")+", but ZIS has no intrinsic functions; build text with a {{…}} template, or reshape data with a zis:common:transform:Jq action")
		}
	}
	return nil, nil
}
