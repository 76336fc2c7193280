package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const placeholderID = "ZIS205"

// Placeholder reports template variables left in names and event fields.
var Placeholder = &analysis.Analyzer{
	Name: "placeholder",
	Doc: `names and job-spec events must not hold template variables

Some teams keep bundles as templates with variables such as
{{integration_key}}, %INTEGRATION_NAME% or ${ENV} and render them before
upload. ZIS does not render them: a resource named "{{env}}_flow" is
uploaded under that literal name and a job spec listening for event type
"{{event_type}}" never fires. Lint the rendered bundle, or substitute the
variables. ZIS's own {{$.path}} placeholders are not template variables and
are not reported. (Variables inside references are reported by
reference_format.)`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runPlaceholder,
}

func runPlaceholder(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, placeholderID)
	const msg = "%s %q holds an unsubstituted template variable; render the bundle (replace the variable with its value) before linting and uploading"
	for _, res := range r.in.Bundle.Resources {
		if bundle.LooksLikePlaceholder(res.Key) {
			r.key(res.Entry, msg, "resource key", res.Key)
		}
		if res.Name != nil && bundle.LooksLikePlaceholder(res.NameText()) {
			r.node(res.Name, msg, "name", res.NameText())
		}
		if js := res.JobSpec; js != nil {
			for _, f := range []struct {
				name string
				node *bundle.Node
			}{{"event_source", js.EventSource}, {"event_type", js.EventType}} {
				if s, ok := f.node.Str(); ok && bundle.LooksLikePlaceholder(s) {
					r.node(f.node, msg, f.name, s)
				}
			}
		}
	}
	return nil, nil
}
