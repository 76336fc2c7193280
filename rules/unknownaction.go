package rules

import (
	"fmt"
	"slices"
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
		if u.Field() != "ActionName" || u.Err() != nil {
			continue
		}
		full, _ := u.Node.Str()
		switch {
		case u.Ref().Integration == bundle.CommonKey:
			if !bundle.IsBuiltin(full) {
				r.unresolved(u, "is not a built-in action; the built-ins are "+strings.Join(bundle.Builtins, ", "), builtinNames(), builtinByName)
			}
		case u.Ref().Kind == bundle.KindAction && !slices.Contains(names, u.Ref().Name):
			r.unresolvedResource(u, bundle.TypeAction, names)
		}
	}
	return nil, nil
}

// unresolvedResource reports a reference to a custom action or flow that
// does not exist. A reference that uses a resource key instead of the
// resource's properties.name gets that name as the suggestion.
func (r *reporter) unresolvedResource(u RefUse, typ string, names []string) {
	noun := map[string]string{bundle.TypeAction: "action", bundle.TypeFlow: "flow"}[typ]
	for _, res := range r.in.Bundle.OfType(typ) {
		if res.Key == u.Ref().Name && res.Name != nil {
			r.suggestRef(u, fmt.Sprintf("names the resource key %q, but references use properties.name", res.Key), u.Ref().Qualifier()(res.NameText()))
			return
		}
	}
	r.unresolved(u, "names no "+noun+" of this bundle ("+noun+"s are matched by properties.name)", names, u.Ref().Qualifier())
}

// unresolved reports a reference that resolves to nothing. When its name
// is close to one of candidates, it suggests that one, made into a full
// reference by qualify, with a fix.
func (r *reporter) unresolved(u RefUse, why string, candidates []string, qualify func(string) string) {
	if best := suggest(u.Ref().Name, candidates); best != "" {
		r.suggestRef(u, why, qualify(best))
		return
	}
	full, _ := u.Node.Str()
	r.node(u.Node, "%q %s", full, why)
}

// suggestRef reports u with a suggested replacement and its fix.
func (r *reporter) suggestRef(u RefUse, why, replacement string) {
	full, _ := u.Node.Str()
	r.span(int(u.Node.Start), int(u.Node.End()), strconv.Quote(full)+" "+why+"; did you mean "+strconv.Quote(replacement)+"?",
		r.replaceString(u.Node, "use "+strconv.Quote(replacement), replacement))
}

// builtinNames lists the built-ins by their last segment (LoadConfig).
func builtinNames() []string {
	out := make([]string, len(bundle.Builtins))
	for i, b := range bundle.Builtins {
		out[i] = b[strings.LastIndexByte(b, ':')+1:]
	}
	return out
}

func builtinByName(name string) string {
	for _, b := range bundle.Builtins {
		if strings.HasSuffix(b, ":"+name) {
			return b
		}
	}
	return name
}

// resourceNames lists properties.name of every resource of one type.
func resourceNames(b *bundle.Bundle, typ string) []string {
	n := 0
	for _, res := range b.Resources {
		if res.Type == typ && res.Name != nil {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for _, res := range b.Resources {
		if res.Type == typ && res.Name != nil {
			out = append(out, res.NameText())
		}
	}
	return out
}
