package rules

import (
	"fmt"
	"strings"

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
{{ticket_id}} without the $ is not filled in.

A {{name}} that zislint.yaml defines under vars: in an environment is a
variable zislint fills in when it renders the bundle for that environment,
so it is accepted; one that no environment defines is reported with the
environments there are.`,
	Requires: []*analysis.Analyzer{Root, Exprs},
	Run:      runTemplateSyntax,
}

func runTemplateSyntax(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, templateSyntaxID)
	for site := range pass.ResultOf[Exprs].(*ExprSites).All() {
		s, _ := site.Node.Str()
		if site.Kind != TemplateSite && !(site.Kind == DynamicSite && !bundle.IsPathValue(s)) {
			continue
		}
		s = r.checkVariables(site, s)
		if err := bundle.CheckTemplate(s); err != nil {
			r.pointAt(site.Node, err.Offset, site.Where()+": "+err.Msg)
		}
	}
	return nil, nil
}

// checkVariables handles the {{name}} render variables of s when the
// config has environments: one an environment defines is accepted, one
// none defines is reported here, by name. It returns s with those
// variables blanked out (same length, so offsets hold) for the template
// check; without environments, s is returned as it is and a variable is
// the placeholder without $ that the template check reports.
func (r *reporter) checkVariables(site ExprSite, s string) string {
	cfg := r.in.Config
	if cfg == nil || len(cfg.Environments) == 0 {
		return s
	}
	vars := bundle.Variables(s)
	if len(vars) == 0 {
		return s
	}
	b := []byte(s)
	for _, v := range vars {
		if !cfg.DefinesVariable(r.in.Integration, v.Name) {
			src := r.in.Bundle.Src
			r.span(site.Node.SourceOffset(src, v.Start), site.Node.SourceOffset(src, v.End),
				site.Where()+": "+r.undefinedVariable(v.Name))
		}
		copy(b[v.Start:v.End], strings.Repeat("x", v.End-v.Start))
	}
	return string(b)
}

func (r *reporter) undefinedVariable(name string) string {
	cfg, in := r.in.Config, r.in.Integration
	envs := strings.Join(cfg.EnvironmentNames(), ", ")
	if in == nil {
		return fmt.Sprintf("variable {{%s}} has no value: %s assigns this bundle to no integration, so none of its environments (%s) renders it; add the bundle to an integration's bundle:, or write {{$.%s}} for a value of the state's input",
			name, cfg.Path, envs, name)
	}
	return fmt.Sprintf("variable {{%s}} has no value in any environment of %s (%s); set it under environments.<name>.integrations.%s.vars there, or write {{$.%s}} for a value of the state's input",
		name, cfg.Path, envs, in.Key, name)
}
