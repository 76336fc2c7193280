package rules

import (
	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const unauthenticatedCallID = "ZIS402"

// UnauthenticatedCall warns about Zendesk API calls without a connection.
var UnauthenticatedCall = &analysis.Analyzer{
	Name: "unauthenticated_call",
	Doc: `a Zendesk API call (path) should name a connection

ZIS does not sign a "path" request to the Zendesk API by itself: without
"connectionName" the request goes out unauthenticated and most endpoints
answer 401 or 403. Name the integration's OAuth connection, which by
convention is called "zendesk": "connectionName": "zendesk". An action
whose Authorization header carries a token read from $.connections (the
older documented way) is authenticated; connection_token reports it.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runUnauthenticatedCall,
}

func runUnauthenticatedCall(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, unauthenticatedCallID)
	fromConnections := tokenParams(r.in.Bundle)
	for _, res := range r.in.Bundle.OfType(bundle.TypeAction) {
		def := res.Action.Definition
		if def == nil || def.Member("connectionName") != nil || def.Member("url") != nil || def.Member("url.$") != nil {
			continue
		}
		if sendsConnectionToken(def, fromConnections[res.NameText()]) {
			continue // authenticated the older way, which connection_token reports
		}
		if p, ok := findTarget(def, "path", "path.$"); ok {
			r.key(p.member, "action %q calls the Zendesk API without \"connectionName\", so the request is unauthenticated; add \"connectionName\": \"zendesk\" (the integration's OAuth connection)", res.Key)
		}
	}
	return nil, nil
}
