package rules

import (
	"golang.org/x/tools/go/analysis"
)

const integrationKeyID = "ZIS201"

// IntegrationKey reports references that name another integration than
// the bundle's own.
var IntegrationKey = &analysis.Analyzer{
	Name: "integration_key",
	Doc: `every reference must use the bundle's own integration key

A bundle belongs to one integration, and its fully qualified names
(zis:<integration>:action:<name>, zis:<integration>:flow:<name>) must use
that integration's key: an Action state can only call actions of its own
bundle, and a job spec can only start flows of its own integration. The key
comes from zislint.yaml ("integrations: - key: ..."); without a config,
zislint takes the key most of the bundle's references use and reports the
others. A Show Bundle API response also carries an "integration" field,
which counts as a use.`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runIntegrationKey,
}

func runIntegrationKey(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, integrationKeyID)
	if r.in.Key == "" {
		return nil, nil
	}
	for u := range r.in.keyUses {
		if u.Key != r.in.Key {
			r.node(u.Node, "%s uses integration key %q, but this bundle belongs to %q (%s); every reference must use one key",
				u.What, u.Key, r.in.Key, r.in.KeySource)
		}
	}
	return nil, nil
}
