package rules

import (
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
	"github.com/zislint/zislint/internal/lazyre"
)

const connectionTokenID = "ZIS406"

// ConnectionToken warns about the older way of authenticating: reading
// a connection's token from $.connections.<name>.access_token.
var ConnectionToken = &analysis.Analyzer{
	Name: "connection_token",
	Doc: `read no token from $.connections; name the connection on the action

Older ZIS documentation (state-retry-error-handling, the tutorial on
authenticating requests) passes a connection's token through the flow:
"token.$": "$.connections.zendesk.access_token" in an Action state's
Parameters and an "Authorization" header "Bearer {{$.token}}" in the
action. Bundles that do so still work, so this is a deprecation warning,
not an error. The current way is "connectionName": "zendesk" on the HTTP
action: ZIS then adds the Authorization header itself, refreshes OAuth
tokens and sends the credential only to the connection's allowed domain.
Set connectionName and drop the header and the parameter.`,
	Requires: []*analysis.Analyzer{Root, Exprs},
	Run:      runConnectionToken,
}

// connectionsRef finds a read of $.connections.<name>.
var connectionsRef = lazyre.New(`\$\.connections\.([A-Za-z0-9_-]+)(?:\.[A-Za-z0-9_-]+)*`)

func runConnectionToken(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, connectionTokenID)
	for site := range pass.ResultOf[Exprs].(*ExprSites).All() {
		if site.Kind == JqSite {
			continue
		}
		s, _ := site.Node.Str()
		if !readsConnections(s) {
			continue
		}
		if m := connectionsRef().FindStringSubmatchIndex(s); m != nil {
			name := s[m[2]:m[3]]
			r.pointAt(site.Node, m[0], site.Where()+" reads "+quote(s[m[0]:m[1]])+", the older way to authenticate; set \"connectionName\": "+quote(name)+" on the HTTP action instead and drop the token and its Authorization header: ZIS then adds the header itself")
		}
	}
	return nil, nil
}

// readsConnections is the cheap test that lets the regexp run only on
// the few strings that may match it: this rule looks at every expression
// of every state.
func readsConnections(s string) bool { return strings.Contains(s, "$.connections.") }

// tokenParams lists, per custom action name, the parameters that Action
// states calling it fill from $.connections: a header built from one of
// them is the older way to authenticate, which connection_token reports.
func tokenParams(b *bundle.Bundle) map[string]map[string]bool {
	var out map[string]map[string]bool // nil, and free, for most bundles: readers only look up
	for s := range b.States() {
		keys := connectionParams(s.Entry.Value().Get("Parameters"))
		if len(keys) == 0 {
			continue // most states: no need to read the action's name
		}
		name, _ := s.Entry.Value().Get("ActionName").Str()
		ref, err := bundle.ParseRef(name)
		if err != nil || ref.Kind != bundle.KindAction {
			continue
		}
		if out == nil {
			out = map[string]map[string]bool{}
		}
		if out[ref.Name] == nil {
			out[ref.Name] = map[string]bool{}
		}
		for _, key := range keys {
			out[ref.Name][key] = true
		}
	}
	return out
}

// connectionParams returns the keys of params whose .$ value reads from
// $.connections.
func connectionParams(params *bundle.Node) []string {
	if params == nil || params.Kind() != bundle.Object {
		return nil
	}
	var keys []string
	members := params.Members()
	for i := range members {
		m := &members[i]
		v, _ := m.Value().Str()
		if key, ok := strings.CutSuffix(m.Key(), ".$"); ok && readsConnections(v) && connectionsRef().MatchString(v) {
			keys = append(keys, key)
		}
	}
	return keys
}

// readsConnectionToken reports whether a header entry's value reads a
// connection token: from $.connections itself, or from a parameter in
// fromParams that the calling states fill from it.
func readsConnectionToken(h *bundle.Node, fromParams map[string]bool) bool {
	for _, key := range [...]string{"value", "value.$"} {
		v, ok := h.Get(key).Str()
		if !ok {
			continue
		}
		if readsConnections(v) && connectionsRef().MatchString(v) {
			return true
		}
		for param := range fromParams {
			if readsParam(v, param) {
				return true
			}
		}
	}
	return false
}

// sendsConnectionToken reports whether an action definition sends an
// Authorization header with a connection token read the older way.
func sendsConnectionToken(def *bundle.Node, fromParams map[string]bool) bool {
	headers := def.Get("headers")
	if headers == nil {
		return false
	}
	for _, h := range headers.Elems() {
		if name, _ := h.Get("key").Str(); strings.EqualFold(name, "authorization") && readsConnectionToken(h, fromParams) {
			return true
		}
	}
	return false
}

// readsParam reports whether text reads $.<param> itself, not a longer
// name that starts the same ($.token, not $.tokenizer).
func readsParam(text, param string) bool {
	ref := "$." + param
	for i := strings.Index(text, ref); i >= 0; {
		end := i + len(ref)
		if end == len(text) || !isNameByte(text[end]) {
			return true
		}
		next := strings.Index(text[end:], ref)
		if next < 0 {
			return false
		}
		i = end + next
	}
	return false
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
