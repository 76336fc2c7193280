package rules

import (
	"errors"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const referenceFormatID = "ZIS202"

// ReferenceFormat reports malformed fully qualified names.
var ReferenceFormat = &analysis.Analyzer{
	Name: "reference_format",
	Doc: `references must be zis:<integration>:<kind>:<name>

An Action state's ActionName is zis:<integration>:action:<name> (or a
built-in, zis:common:...), and a job spec's flow_name is
zis:<integration>:flow:<name>. The integration key is 1 to 64 characters of
a-z, 0-9, '_' and '-'. A template variable in the integration key, such as
%INTEGRATION_NAME% or {{zis_integration_key}}, means the bundle was not
rendered before use: substitute the real key first. An Action state cannot
start a flow, and a job spec cannot start an action.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runReferenceFormat,
}

// wantKind is the reference kind each field must use.
var wantKind = map[string]string{"ActionName": bundle.KindAction, "flow_name": bundle.KindFlow}

func runReferenceFormat(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, referenceFormatID)
	for _, u := range r.in.Refs {
		switch {
		case errors.Is(u.Err(), bundle.ErrRefIntegration):
			r.node(u.Node, "%s: %s", u.Field(), strings.TrimPrefix(u.Err().Error(), bundle.ErrRefIntegration.Error()+": "))
		case u.Err() != nil:
			r.node(u.Node, "%s %s%s", u.Field(), strings.TrimPrefix(u.Err().Error(), bundle.ErrRefShape.Error()+": "), r.shapeHint(u))
		case u.Ref().Integration == bundle.CommonKey:
			if u.Field() != "ActionName" {
				r.node(u.Node, "%s cannot name zis:common, which only holds built-in actions; use zis:<integration>:flow:<name>", u.Field())
			}
		case u.Ref().Kind != wantKind[u.Field()]:
			if b := builtinUnderOwnKey(u); b != "" {
				full, _ := u.Node.Str()
				r.span(int(u.Node.Start), int(u.Node.End()), u.Field()+" "+quote(full)+" names a built-in action under the integration "+
					quote(u.Ref().Integration)+", but the built-ins live under zis:common; did you mean "+quote(b)+"?",
					r.replaceString(u.Node, "use "+quote(b), b))
				continue
			}
			r.node(u.Node, "%s", wrongKind(u))
		}
	}
	return nil, nil
}

// shapeHint suggests the full form when a bare name was written.
func (r *reporter) shapeHint(u RefUse) string {
	s, _ := u.Node.Str()
	if strings.Contains(s, ":") || r.in.Key == "" {
		return ""
	}
	return "; write zis:" + r.in.Key + ":" + wantKind[u.Field()] + ":" + s
}

// builtinUnderOwnKey returns the built-in an ActionName means when it
// writes one with its own integration key instead of common
// (zis:acme:transform:Jq for zis:common:transform:Jq), else "".
func builtinUnderOwnKey(u RefUse) string {
	if u.Field() != "ActionName" {
		return ""
	}
	want := "zis:" + bundle.CommonKey + ":" + u.Ref().Kind + ":" + u.Ref().Name
	for _, b := range bundle.Builtins {
		if strings.EqualFold(b, want) {
			return b
		}
	}
	return ""
}

var knownKinds = []string{bundle.KindAction, bundle.KindFlow, bundle.KindJobSpec}

// wrongKind explains a reference of the wrong kind for its field.
func wrongKind(u RefUse) string {
	want := wantKind[u.Field()]
	switch {
	case u.Field() == "ActionName" && u.Ref().Kind == bundle.KindFlow:
		return "ActionName names a flow, but an Action state can only call actions (zis:" + u.Ref().Integration + ":action:<name>); ZIS flows cannot start other flows"
	case u.Field() == "flow_name" && u.Ref().Kind == bundle.KindAction:
		return "flow_name names an action, but a job spec starts a flow (zis:" + u.Ref().Integration + ":flow:<name>)"
	case !slices.Contains(knownKinds, u.Ref().Kind):
		return u.Field() + ": unknown kind " + quote(u.Ref().Kind) + " in " + quote(u.Ref().String()) + "; the kind here must be " + quote(want)
	}
	return u.Field() + " must name " + article(want) + " " + want + " (zis:" + u.Ref().Integration + ":" + want + ":<name>), not " + article(u.Ref().Kind) + " " + u.Ref().Kind
}

func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
