package rules

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/zislint/zislint/bundle"
)

const reservedHeaderID = "ZIS422"

// ReservedHeader warns about action headers the HTTP transport sets.
var ReservedHeader = &analysis.Analyzer{
	Name: "reserved_header",
	Doc: `action headers should not be ones the HTTP transport sets itself

Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive,
Proxy-Connection, TE, Trailer and Upgrade describe the connection and the
framing of one HTTP message (RFC 9110 and 9112). The client that sends the
request computes them from the request itself, so a value written in the
bundle is replaced or dropped and the call may not be what the bundle
says. Remove the header. Other headers, such as Accept or User-Agent, are
sent as written; production bundles set Accept. (ZIS's list of names it
refuses, such as Accept, Host or X-Zis-..., applies to the header_name of
an api_key connection, which header_name checks.)`,
	Requires: []*analysis.Analyzer{Root},
	Run:      runReservedHeader,
}

// transportHeaders are set by an HTTP client from the request, whatever
// the caller asks for.
var transportHeaders = map[string]bool{
	"host": true, "content-length": true, "transfer-encoding": true, "connection": true, "keep-alive": true,
	"proxy-connection": true, "te": true, "trailer": true, "upgrade": true,
}

func runReservedHeader(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, reservedHeaderID)
	for _, res := range r.in.Bundle.OfType(bundle.TypeAction) {
		headers := res.Action.Definition.Get("headers")
		if headers == nil {
			continue
		}
		for _, h := range headers.Elems() {
			key := h.Get("key")
			if name, ok := key.Str(); ok && isTransportHeader(name) {
				r.node(key, "action %q sets header %q, which the HTTP transport sets from the request itself, so the bundle's value is not what is sent; remove it", res.Key, name)
			}
		}
	}
	return nil, nil
}

// isTransportHeader reports whether transportHeaders holds name in lower
// case. An ASCII name is lower-cased on the stack: most names have a
// capital, and strings.ToLower would copy each.
func isTransportHeader(name string) bool {
	var buf [32]byte
	if lower, ok := appendASCIILower(buf[:0], name); ok {
		return transportHeaders[string(lower)]
	}
	return transportHeaders[strings.ToLower(name)]
}

// appendASCIILower appends s lower-cased to dst, as strings.ToLower
// would write it, when s is all ASCII; ok is false otherwise.
func appendASCIILower(dst []byte, s string) (_ []byte, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return dst, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}
