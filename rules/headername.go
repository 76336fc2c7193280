package rules

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const headerNameID = "ZIS421"

// HeaderName checks the names of the headers actions and connections set.
var HeaderName = &analysis.Analyzer{
	Name: "header_name",
	Doc: `header names must be valid and not ones ZIS reserves

An HTTP action's headers need valid names (letters, digits and
!#$%&'*+-.^_|~), each set once. ZIS refuses these names, which belong to
the transport or to itself: Accept, Accept-Charset, Accept-Encoding,
Accept-Language, Cache-Control, Connection, Content-MD5, Cookie, Date,
Expect, From, Host, If-Match, If-Modified-Since, If-None-Match, If-Range,
If-Unmodified-Since, Max-Forwards, Pragma, Proxy-Authenticate,
Proxy-Authorization, Range, Server, Referer, TE, Trailer,
Transfer-Encoding, Upgrade, User-Agent, Via, Warning, WWW-Authenticate,
and any starting with X-Amz-, X-Amzn-, X-Forwarded- or X-Zis- as the
header_name of an api_key connection, which is also limited to 128
letters, '-' and '_'. (The list is for connection header names: an
action may send Accept and the like, and production bundles do.) An
Authorization header, or the header an api_key
connection sends its key in, puts credentials in the bundle: they belong
in a connection. (A credential written out in the header's value is
reported by hardcoded_secret instead, and a token read from
$.connections.<name>, the older documented way, by connection_token.)`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runHeaderName,
}

var forbiddenHeaders = map[string]bool{
	"accept": true, "accept-charset": true, "accept-encoding": true, "accept-language": true,
	"cache-control": true, "connection": true, "content-md5": true, "cookie": true, "date": true,
	"expect": true, "from": true, "host": true, "if-match": true, "if-modified-since": true,
	"if-none-match": true, "if-range": true, "if-unmodified-since": true, "max-forwards": true,
	"pragma": true, "proxy-authenticate": true, "proxy-authorization": true, "range": true,
	"server": true, "referer": true, "te": true, "trailer": true, "transfer-encoding": true,
	"upgrade": true, "user-agent": true, "via": true, "warning": true, "www-authenticate": true,
}

var forbiddenPrefixes = []string{"x-amz-", "x-amzn-", "x-forwarded-", "x-zis-"}

// reservedHeader explains why ZIS refuses h as the header_name of an
// api_key connection, or returns "". The list is for connection header
// names only (seed 002, the connections help page); actions may send
// these headers.
func reservedHeader(h string) string {
	lower := strings.ToLower(h)
	if forbiddenHeaders[lower] {
		return fmt.Sprintf("ZIS does not accept header_name %q for an API-key connection; choose another name", h)
	}
	for _, p := range forbiddenPrefixes {
		if strings.HasPrefix(lower, p) {
			return fmt.Sprintf("ZIS does not accept an API-key connection header_name starting with %q; rename %q", p, h)
		}
	}
	return ""
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("!#$%&'*+-.^_|~`", c)) {
			return false
		}
	}
	return true
}

func runHeaderName(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, headerNameID)
	r.checkConnectionHeaders()
	fromConnections := tokenParams(r.in.Bundle)
	for _, res := range r.in.Bundle.OfType(bundle.TypeAction) {
		def := res.Action.Definition
		headers := def.Get("headers")
		if headers == nil {
			continue
		}
		conn, _ := def.Get("connectionName").Str()
		apiKeyHeader := ""
		if c := connectionNamed(r.in.Integration, conn); c != nil && c.Type == "api_key" {
			apiKeyHeader = c.HeaderName
		}
		seen := map[string]bool{}
		for _, h := range headers.Elems() {
			key := h.Get("key")
			name, ok := key.Str()
			if !ok {
				continue
			}
			lower := strings.ToLower(name)
			switch {
			case !isToken(name):
				r.node(key, "header name %q of action %q is not a valid HTTP header name; use letters, digits and !#$%%&'*+-.^_|~", name, res.Key)
			case seen[lower]:
				r.node(key, "header %q of action %q is set twice; keep one", name, res.Key)
			case lower == "authorization" && readsConnectionToken(h, fromConnections[res.NameText()]):
				// The older documented way: connection_token warns.
			case (lower == "authorization" || (apiKeyHeader != "" && strings.EqualFold(name, apiKeyHeader))) && !literalValue(h):
				r.node(key, "action %q sets the credential header %q itself; credentials belong in a connection (connectionName), which adds the header and keeps the secret out of the bundle", res.Key, name)
			}
			seen[lower] = true
		}
	}
	return nil, nil
}

// literalValue reports whether a header's value is written out in the
// bundle; a hard-coded credential there is hardcoded_secret's to report.
func literalValue(h *bundle.Node) bool {
	v, ok := h.Get("value").Str()
	return ok && !strings.Contains(v, "{{")
}

// checkConnectionHeaders checks api_key header names in the config.
func (r *reporter) checkConnectionHeaders() {
	if r.in.Integration == nil {
		return
	}
	for _, c := range r.in.Integration.Connections {
		if c.Type != "api_key" || c.HeaderName == "" {
			continue
		}
		h := c.HeaderName
		valid := len(h) <= 128 && strings.Trim(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") == ""
		switch {
		case !valid:
			r.config(c.Pos, "connection %q: header_name %q may only use letters, '-' and '_', at most 128 of them", c.Name, h)
		case reservedHeader(h) != "":
			r.config(c.Pos, "connection %q: %s", c.Name, reservedHeader(h))
		}
	}
}
