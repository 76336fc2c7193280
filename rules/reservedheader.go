package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const reservedHeaderID = "ZIS422"

// ReservedHeader warns about action headers that ZIS reserves.
var ReservedHeader = &analysis.Analyzer{
	Name: "reserved_header",
	Doc: `action headers should avoid the names ZIS reserves

ZIS keeps a list of header names it will not let a connection set (Accept,
Host, User-Agent, Cookie, Transfer-Encoding and others, and any name
starting with X-Amz-, X-Amzn-, X-Forwarded- or X-Zis-). Set on an HTTP
action, such a header may be replaced by ZIS or the HTTP transport, so the
request may not carry what the bundle says. Bundles in production do set
Accept, so this is a warning: check that the call works without relying on
the header.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runReservedHeader,
}

func runReservedHeader(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, reservedHeaderID)
	for _, res := range r.in.Bundle.OfType(bundle.TypeAction) {
		headers := res.Action.Definition.Get("headers")
		if headers == nil {
			continue
		}
		for _, h := range headers.Elems {
			key := h.Get("key")
			if name, ok := key.Str(); ok && isToken(name) {
				if msg := reservedHeader(name); msg != "" {
					r.node(key, "action %q: %s; ZIS or the HTTP transport may replace it", res.Key, msg)
				}
			}
		}
	}
	return nil, nil
}
