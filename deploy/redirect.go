package deploy

import (
	"fmt"
	"net/http"
	"strings"
)

const maxRedirects = 5

// redirectError stops a redirect that would leave the origin.
type redirectError struct{ from, to string }

func (e *redirectError) Error() string {
	return fmt.Sprintf("refused a redirect from %s to %s: credentials are sent only to %s", e.from, e.to, e.from)
}

// redirectPolicy is the one redirect rule of the Client's http.Client.
//
// A request that changes something (anything but GET and HEAD) is never
// redirected: Go would turn a POST answered 301, 302 or 303 into a GET
// of the new address and return that GET's 200, which a deploy would
// take for a stored bundle or an installed job spec. The 3xx answer is
// returned instead, and send reports it as a failure (redirected).
//
// A read follows redirects only to the same scheme and host, since the
// Authorization header goes with every request and another host, or
// plain http, must never see it. Go's own rule would forward it to
// subdomains, which is too loose for an admin token.
func (c *Client) redirectPolicy(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if !isRead(first.Method) {
			return http.ErrUseLastResponse
		}
		orig := first.URL
		if req.URL.Scheme != orig.Scheme || !strings.EqualFold(req.URL.Host, orig.Host) {
			req.Header.Del("Authorization") // in case a caller's policy ignores the error
			return &redirectError{from: orig.Scheme + "://" + orig.Host, to: c.excerpt(req.URL.Scheme + "://" + req.URL.Host)}
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}

func isRead(method string) bool { return method == http.MethodGet || method == http.MethodHead }

func isRedirect(status int) bool { return status >= 300 && status < 400 }

// redirected is the failure of a request answered with a 3xx that was
// not followed. For a change it says plainly that nothing is known to
// have been stored, so no step is ever reported done on a redirect.
func (c *Client) redirected(r request, resp *response) *APIError {
	e := &APIError{Status: resp.status, Method: r.method, Path: strings.TrimPrefix(r.String(), r.method+" ")}
	to := ""
	if loc := resp.header.Get("Location"); loc != "" {
		to = " to " + c.excerpt(loc)
	}
	if isRead(r.method) {
		e.Detail = "the server redirected the request" + to + " and the redirect could not be followed; check the base URL or subdomain"
	} else {
		e.Detail = fmt.Sprintf("the server redirected the request%s; a redirected %s is neither followed nor sent again, so nothing is known to be stored: check the base URL or subdomain (the ZIS API answers without redirects) and deploy again", to, r.method)
	}
	return e
}
