package rules

import (
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const unknownActionID = "ZIS211"

// UnknownAction reports an ActionName that names no action.
var UnknownAction = &analysis.Analyzer{
	Name: "unknown_action",
	Doc: `every ActionName must name an action of this bundle or a built-in

An Action state calls either a custom action of the same bundle, by its
properties.name (zis:<integration>:action:<name>), or one of the built-in
actions: zis:common:transform:Jq and zis:common:action:LoadConfig,
PatchConfig, LoadLinks, CreateLink, PatchLink and DeleteLink. Anything
else fails at run time, after the flow has already started. When a name is
close to an existing one, the finding suggests it and offers a fix.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runUnknownAction,
}

func runUnknownAction(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unknownActionID)
	names := resourceNames(r.in.Bundle, bundle.TypeAction)
	for _, u := range r.in.Refs {
		if u.Field != "ActionName" || u.Err != nil {
			continue
		}
		full, _ := u.Node.Str()
		switch {
		case u.Ref.Integration == bundle.CommonKey:
			if !bundle.IsBuiltin(full) {
				r.unresolved(u.Node, full, "is not a built-in action; the built-ins are "+strings.Join(bundle.Builtins, ", "), full, bundle.Builtins, identity)
			}
		case u.Ref.Kind == bundle.KindAction && !contains(names, u.Ref.Name):
			r.unresolved(u.Node, full, "names no action of this bundle (actions are matched by properties.name)", u.Ref.Name, names, u.Ref.Qualifier())
		}
	}
	return nil, nil
}

// unresolved reports a reference that resolves to nothing. When name is
// close to one of candidates, it suggests that one, made into a full
// reference by qualify, with a fix.
func (r *reporter) unresolved(n *bundle.Node, full, why, name string, candidates []string, qualify func(string) string) {
	msg := strconv.Quote(full) + " " + why
	best := suggest(name, candidates)
	if best == "" {
		r.node(n, "%s", msg)
		return
	}
	best = qualify(best)
	r.span(n.Start, n.End, msg+"; did you mean "+strconv.Quote(best)+"?",
		r.replace(n, "use "+strconv.Quote(best), strconv.Quote(best)))
}

// resourceNames lists properties.name of every resource of one type.
func resourceNames(b *bundle.Bundle, typ string) []string {
	var out []string
	for _, res := range b.OfType(typ) {
		if res.Name != nil {
			out = append(out, res.NameText())
		}
	}
	return out
}

func identity(s string) string { return s }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
