package rules

import (
	"errors"

	"github.com/itchyny/gojq"
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/internal/memo"
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
	for site := range pass.ResultOf[Exprs].(*ExprSites).All() {
		if site.Kind != JqSite {
			continue
		}
		src, _ := site.Node.Str()
		err := checkJq(src)
		if err == nil {
			continue // nearly every program; errors.As below would allocate its target
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

// jqVerdicts caches compileJq's result by program text for the whole
// process: the bundles of one repository repeat the same programs, and a
// gojq parse and compile was a tenth of the time of linting them.
var jqVerdicts = memo.Table[error]{Max: maxJqPrograms}

// maxJqPrograms bounds the caches of jq programs, so a run over many
// bundles with distinct programs does not keep them all.
const maxJqPrograms = 4096

// checkJq is compileJq with the cache.
func checkJq(src string) error { return jqVerdicts.Get(src, compileJq) }

// compileJq parses and compiles a jq program, as the Jq action will.
func compileJq(src string) error {
	q, err := gojq.Parse(src)
	if err != nil {
		return err
	}
	_, err = gojq.Compile(q)
	return err
}
