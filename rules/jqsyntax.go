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
	// Bundles often repeat a program; each distinct one is compiled once.
	checked := map[string]error{}
	for _, site := range pass.ResultOf[Exprs].([]ExprSite) {
		if site.Kind != JqSite {
			continue
		}
		src, _ := site.Node.Str()
		err, ok := checked[src]
		if !ok {
			err = compileJq(src)
			checked[src] = err
		}
		var perr *gojq.ParseError
		switch {
		case errors.As(err, &perr):
			r.pointAt(site.Node, max(0, perr.Offset-len(perr.Token)), site.Where()+": jq syntax error: "+perr.Error())
		case err != nil:
			r.node(site.Node, "%s: jq program does not compile: %v", site.Where(), err)
		}
	}
	return nil, nil
}

// compileJq parses and compiles a jq program, as the Jq action will.
func compileJq(src string) error {
	q, err := gojq.Parse(src)
	if err != nil {
		return err
	}
	_, err = gojq.Compile(q)
	return err
}
