package rules

import (
	"net/url"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const httpTargetID = "ZIS401"

// HTTPTarget checks where an HTTP action sends its request.
var HTTPTarget = &analysis.Analyzer{
	Name: "http_target",
	Doc: `an HTTP action needs exactly one of url and path, each in its own form

"path" (or "path.$") is a Zendesk API path such as /api/v2/tickets.json,
sent to the account's own https://<subdomain>.zendesk.com; "url" (or
"url.$") is the full https URL of an external service. An action needs
exactly one of them. A full URL in "path" is an error: ZIS prefixes it with
the account's host. A literal url must be an absolute https URL: ZIS only
speaks https, and a connection's credentials are only sent to https hosts.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runHTTPTarget,
}

// target is the url or path member of an action definition.
type target struct {
	member *bundle.Member
	text   string // the string value; "" when not a string
}

// findTarget returns the member of the first of names that def has, and
// whether there is one. A value, not a pointer, so that looking costs no
// allocation.
func findTarget(def *bundle.Node, names ...string) (target, bool) {
	for _, name := range names {
		if m := def.Member(name); m != nil {
			s, _ := m.Value().Str()
			return target{member: m, text: s}, true
		}
	}
	return target{}, false
}

func runHTTPTarget(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, httpTargetID)
	for _, res := range r.in.Bundle.OfType(bundle.TypeAction) {
		def := res.Action.Definition
		if def == nil {
			continue
		}
		u, hasURL := findTarget(def, "url", "url.$")
		p, hasPath := findTarget(def, "path", "path.$")
		switch {
		case hasURL && hasPath:
			r.key(p.member, "action %q has both %q and %q; keep url for an external service or path for the Zendesk API, not both", res.Key, u.member.Key(), p.member.Key())
		case !hasURL && !hasPath:
			r.key(res.Entry, "action %q has neither url nor path; set \"path\" for a Zendesk API call or \"url\" for an external service", res.Key)
		case hasPath:
			r.checkPath(res, &p)
		default:
			r.checkURL(res, &u)
		}
	}
	return nil, nil
}

func (r *reporter) checkPath(res *bundle.Resource, p *target) {
	lower := strings.ToLower(p.text)
	if strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") {
		r.node(p.member.Value(), "%q of action %q holds a full URL, but ZIS sends path to the account's own Zendesk host; keep only the path (/api/v2/...) or use \"url\" for another host", p.member.Key(), res.Key)
	}
}

func (r *reporter) checkURL(res *bundle.Resource, u *target) {
	if u.text == "" || runtimeValue(u) {
		return // known only at run time, or mistyped (schema reports it)
	}
	// A placeholder may fill in part of the host ({{$.subdomain}}.acme.com);
	// a stand-in keeps the rest of the URL checkable.
	parsed, err := url.Parse(bundle.ReplaceTemplateSpans(u.text, "placeholder"))
	switch {
	case err != nil || parsed.Host == "" || parsed.Scheme == "":
		r.node(u.member.Value(), "url %q of action %q is not an absolute URL; write https://host/path", u.text, res.Key)
	case !strings.EqualFold(parsed.Scheme, "https"):
		r.node(u.member.Value(), "url of action %q uses %s; ZIS sends requests only over https, so use %q", res.Key, parsed.Scheme, "https://"+strings.TrimPrefix(u.text, parsed.Scheme+"://"))
	}
}

// runtimeValue reports whether the target is computed when the action
// runs: a path expression, or a template that starts with a placeholder.
func runtimeValue(t *target) bool {
	return strings.HasPrefix(t.text, "$") || strings.HasPrefix(t.text, "{{")
}
