package rules

import (
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/internal/ident"
)

const connectionConfigID = "ZIS411"

// ConnectionConfig checks the connections declared in zislint.yaml.
var ConnectionConfig = &analysis.Analyzer{
	Name: "connection_config",
	Doc: `connections in zislint.yaml must be ones ZIS can create

A connection's name is 3 to 64 characters of letters, digits, '_' and '-',
unique within the integration. Its type is oauth, api_key, basic_auth or
bearer_token, and cannot be changed after creation. The name "zendesk" is
reserved for the OAuth connection to Zendesk itself. An api_key connection
needs header_name, the header ZIS sends the key in. Every connection needs
an allowed_domain (checked by allowed_domain).`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runConnectionConfig,
}

var connectionTypes = []string{"oauth", "api_key", "basic_auth", "bearer_token"}

// validConnectionName reports whether name is 3 to 64 letters, digits,
// '_' and '-'.
func validConnectionName(name string) bool {
	return ident.Span(name, 3, 64, func(c byte) bool { return ident.Alnum(c) || c == '_' || c == '-' })
}

func runConnectionConfig(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, connectionConfigID)
	if r.in.Integration == nil {
		return nil, nil
	}
	seen := map[string]bool{}
	for _, c := range r.in.Integration.Connections {
		switch {
		case !validConnectionName(c.Name):
			r.config(c.Pos, "connection name %q must be 3 to 64 characters of letters, digits, '_' and '-'", c.Name)
		case seen[c.Name]:
			r.config(c.Pos, "connection %q is declared twice; names are unique across all connection types of an integration", c.Name)
		}
		seen[c.Name] = true
		switch {
		case !slices.Contains(connectionTypes, c.Type):
			r.config(c.Pos, "connection %q has type %q; use one of oauth, api_key, basic_auth, bearer_token%s", c.Name, c.Type, didYouMean(c.Type, connectionTypes))
		case c.Name == "zendesk" && c.Type != "oauth":
			r.config(c.Pos, "the name \"zendesk\" is reserved for the OAuth connection to Zendesk; make it type oauth, or rename this %s connection", c.Type)
		case c.Type == "api_key" && c.HeaderName == "":
			r.config(c.Pos, "api_key connection %q needs header_name, the HTTP header ZIS sends the key in (e.g. X-Api-Key)", c.Name)
		}
		if c.AllowedDomain == "" {
			r.config(c.Pos, "connection %q needs allowed_domain, the host its credentials may be sent to", c.Name)
		}
	}
	return nil, nil
}
