package rules

import (
	"errors"

	"github.com/itchyny/gojq"
	"golang.org/x/tools/go/analysis"
)

const jqSyntaxID = "ZIS604"

// JqSyntax compiles the programs given to the Jq built-in action.
var JqSyntax = &analysis.Analyzer{
	Name: "jq_syntax",
	Doc: `the expr of a zis:common:transform:Jq call must be a valid jq program

The built-in zis:common:transform:Jq action runs the jq program in its
"expr" parameter on "data". zislint parses and compiles each program with
gojq, so a syntax error or an unknown function is reported at the spot in
the string, before the flow fails at run time.`,
	Requires: []*analysis.Analyzer{Root, Exprs},
	Run:      runJqSyntax,
}

func runJqSyntax(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, jqSyntaxID)
	for _, site := range pass.ResultOf[Exprs].([]ExprSite) {
		if site.Kind != JqSite {
			continue
		}
		src, _ := site.Node.Str()
		q, err := gojq.Parse(src)
		var perr *gojq.ParseError
		if errors.As(err, &perr) {
			r.pointAt(site.Node, max(0, perr.Offset-len(perr.Token)), site.Where+": jq syntax error: "+perr.Error())
			continue
		}
		if err == nil {
			_, err = gojq.Compile(q)
		}
		if err != nil {
			r.node(site.Node, "%s: jq program does not compile: %v", site.Where, err)
		}
	}
	return nil, nil
}
