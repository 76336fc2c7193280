package rules

import (
	"golang.org/x/tools/go/analysis"
)

const connectionDomainID = "ZIS404"

// ConnectionDomain reports actions that send a connection's credentials
// to a host its allowed domain does not cover.
var ConnectionDomain = &analysis.Analyzer{
	Name: "connection_domain",
	Doc: `an action's host must be covered by its connection's allowed domain

A connection's credentials may only go to its allowed_domain, and ZIS
refuses to send them anywhere else, so a call to another host fails. For a
"url" action the host is the URL's; for a "path" action it is the account's
own <subdomain>.zendesk.com, which the "zendesk" OAuth connection covers
with *.zendesk.com. *.example.com covers example.com and all its
subdomains; a plain domain covers only itself.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runConnectionDomain,
}

func runConnectionDomain(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, connectionDomainID)
	for _, t := range r.in.actionTargets() {
		c := connectionNamed(r.in.Integration, t.name)
		if c == nil || c.AllowedDomain == "" || t.host == "" || checkDomain(c.AllowedDomain) != "" {
			continue
		}
		if covers(c.AllowedDomain, t.host) {
			continue
		}
		what := "calls " + quote(t.host)
		if t.zendesk {
			what = "calls the Zendesk API on <subdomain>.zendesk.com"
		}
		r.node(t.node, "action %q %s, but connection %q may only send its credentials to %q; use a connection for that host, or fix the URL",
			t.res.Key, what, c.Name, c.AllowedDomain)
	}
	return nil, nil
}
