package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const templateSyntaxID = "ZIS602"

// TemplateSyntax checks {{…}} placeholders.
var TemplateSyntax = &analysis.Analyzer{
	Name: "template_syntax",
	Doc: `{{…}} placeholders must be closed and hold a path

ZIS fills {{$.path}} placeholders into text: in ".$" values that are not
bare paths ("subject.$": "Refund for order {{$.order_id}}"), in the
Message of Succeed and the Error and Cause of Fail states, and in plain
strings of HTTP action definitions. Every "{{" needs its "}}", and what is
between them must be a ZIS path starting with $. A placeholder such as
{{ticket_id}} without the $ is not filled in.`,
	Requires: []*analysis.Analyzer{Root, Exprs},
	Run:      runTemplateSyntax,
}

func runTemplateSyntax(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, templateSyntaxID)
	for _, site := range pass.ResultOf[Exprs].([]ExprSite) {
		s, _ := site.Node.Str()
		if site.Kind != TemplateSite && !(site.Kind == DynamicSite && !bundle.IsPathValue(s)) {
			continue
		}
		if _, err := bundle.ParseTemplate(s); err != nil {
			r.pointAt(site.Node, err.Offset, site.Where()+": "+err.Msg)
		}
	}
	return nil, nil
}
