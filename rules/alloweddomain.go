package rules

import (
	"golang.org/x/tools/go/analysis"
)

const allowedDomainID = "ZIS412"

// AllowedDomain checks each connection's allowed domain.
var AllowedDomain = &analysis.Analyzer{
	Name: "allowed_domain",
	Doc: `a connection's allowed_domain must be a host name ZIS accepts

ZIS sends a connection's credentials only to its allowed domain, always
over https. The domain is at most 128 characters, each label at most 63; it
is a plain host name (no scheme, port or path). A wildcard may only be the
leading "*.", which covers the domain itself and every subdomain
(*.example.com covers example.com and api.example.com). A wildcard on a
public suffix, such as *.com, *.com.au or *.myshopify.com (the Public Suffix
List, private section included), would hand the credentials to anyone's
site and is refused.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runAllowedDomain,
}

func runAllowedDomain(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, allowedDomainID)
	if r.in.Integration == nil {
		return nil, nil
	}
	for _, c := range r.in.Integration.Connections {
		if c.AllowedDomain == "" {
			continue // connection_config reports it
		}
		if msg := checkDomain(c.AllowedDomain); msg != "" {
			r.config(c.Pos, "connection %q: %s", c.Name, msg)
		}
	}
	return nil, nil
}
