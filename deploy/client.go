package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zislint/zislint/internal/ident"
)

// Defaults of ClientOptions.
const (
	DefaultTimeout = 30 * time.Second
	DefaultBudget  = 2 * time.Minute
)

const (
	pageSize  = 100      // the documented maximum of page[size]
	maxPages  = 10000    // a server that never ends a listing is a bug
	maxBody   = 32 << 20 // no registry answer comes near this
	maxDetail = 300      // bytes of an unparsed error body kept in an APIError
	maxCursor = 1024     // bytes of a page cursor; real ones are far shorter
	maxName   = 256      // bytes of a listed job spec name or key; real ones hold at most 64
	userAgent = "zislint-deploy"
)

// ErrNeedAPIToken is returned, before anything is sent, by the calls
// that need an admin credential (registering, uploading) when the Client
// has only a ZIS OAuth token. (The name predates OAuth admin credentials.)
var ErrNeedAPIToken = errors.New("this call needs an admin credential: set " + EnvClientID + " and " + EnvClientSecret +
	" (or " + EnvAccessToken + ", or " + EnvEmail + " and " + EnvAPIToken + " until " + APITokenCutoff +
	"); a ZIS OAuth token may not register an integration or upload a bundle")

// ClientOptions configure NewClient.
type ClientOptions struct {
	// Subdomain of the account: https://<subdomain>.zendesk.com.
	Subdomain string
	// BaseURL, when set, replaces the subdomain's URL (tests, proxies).
	// It must be https, except on loopback hosts (127.0.0.0/8, ::1,
	// localhost), so credentials never cross a network in clear text.
	BaseURL     string
	Credentials Credentials
	// HTTPClient is copied, and its copy gets the Client's redirect
	// policy (see redirectPolicy), which never sends credentials to
	// another host. Default: a new client.
	HTTPClient *http.Client
	// Timeout of each request, reading the response included.
	// Default DefaultTimeout.
	Timeout time.Duration
	// Budget is the most time one call spends in failed attempts and in
	// waits between retries. Default DefaultBudget.
	Budget time.Duration
	// Logf receives progress messages (retries, fallbacks). They never
	// hold credentials, secrets or registration responses. Optional.
	Logf func(format string, args ...any)
	// Sleep waits between retries; it must return ctx.Err() when ctx
	// ends first. Tests inject it to avoid real waits. Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for the backoff jitter.
	// Default: math/rand/v2.Float64.
	Rand func() float64
	// OnSecret is called with each secret the Client obtains while it
	// runs (an OAuth access token, a ZIS OAuth token it created) before
	// the secret is used, so a CI log can mask it. Optional.
	OnSecret func(secret string)
	// Secrets are more strings to redact from every excerpt and log,
	// from the first request on: the secrets of the connections a
	// deploy creates.
	Secrets []string
}

// Client implements API over HTTP. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	creds   Credentials
	hc      *http.Client
	timeout time.Duration
	budget  time.Duration
	logfn   func(format string, args ...any)
	sleep   func(ctx context.Context, d time.Duration) error
	rand    func() float64
	now     func() time.Time
	redact  *redactor
	// onSecret: see ClientOptions.OnSecret; never nil.
	onSecret func(string)
	// access holds the access token of the client credentials grant.
	access accessToken
	// zisTokens are the ZIS OAuth tokens the Client created, by
	// integration key (see ObtainIntegrationToken).
	zisTokens sync.Map
	// nameForm is the job_spec_name form the server has taken (see
	// jobSpecInstall): formUnknown until an install or uninstall works.
	nameForm atomic.Int32
}

var _ API = (*Client)(nil)

// plainKey is looser than the documented [a-z0-9_-]{1,64} (the server
// judges names): letters, digits, '_' and '-', at least one. It only keeps
// the key a single safe path segment.
func plainKey(key string) bool {
	return ident.Span(key, 1, len(key), func(c byte) bool { return ident.Alnum(c) || c == '_' || c == '-' })
}

// NewClient checks the options and returns a Client.
func NewClient(opts ClientOptions) (*Client, error) {
	base, err := baseURL(opts.Subdomain, opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if !opts.Credentials.hasAdmin() && !opts.Credentials.hasBearer() {
		return nil, errors.New("no credentials: set " + EnvClientID + " and " + EnvClientSecret + ", or " + EnvAccessToken +
			", or " + EnvEmail + " and " + EnvAPIToken + ", and/or " + EnvOAuthToken)
	}
	c := &Client{
		base:     base,
		creds:    opts.Credentials,
		timeout:  opts.Timeout,
		budget:   opts.Budget,
		logfn:    opts.Logf,
		sleep:    opts.Sleep,
		rand:     opts.Rand,
		now:      time.Now,
		onSecret: opts.OnSecret,
	}
	if c.onSecret == nil {
		c.onSecret = func(string) {}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.budget <= 0 {
		c.budget = DefaultBudget
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	var hc http.Client
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	}
	c.redact = newRedactor(append(c.creds.secrets(), opts.Secrets...))
	hc.CheckRedirect = c.redirectPolicy(hc.CheckRedirect)
	c.hc = &hc
	return c, nil
}

// String names the account; printing a Client never shows credentials
// (fmt would otherwise print its unexported fields raw).
func (c *Client) String() string { return "ZIS client for " + c.base.String() }

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

func baseURL(subdomain, raw string) (*url.URL, error) {
	if raw == "" {
		if subdomain == "" {
			return nil, errors.New("no Zendesk account: set the subdomain (or a base URL)")
		}
		if !ident.Label(subdomain, true) {
			return nil, fmt.Errorf("invalid Zendesk subdomain %q: want letters, digits and hyphens, as in <subdomain>.zendesk.com", subdomain)
		}
		return &url.URL{Scheme: "https", Host: strings.ToLower(subdomain) + ".zendesk.com"}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url's error repeats the input, which might hold a password.
		return nil, errors.New("invalid base URL: not a URL")
	}
	switch {
	case u.User != nil:
		return nil, errors.New("invalid base URL: it must not hold credentials; use the credential variables")
	case u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("invalid base URL %q: want https://host[:port][/path]", raw)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("invalid base URL %q: no query or fragment allowed", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("invalid base URL %q: plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); credentials would cross the network unencrypted", raw)
		}
	default:
		return nil, fmt.Errorf("invalid base URL %q: the scheme must be https", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// request is one API request and how to treat its failures.
type request struct {
	method string
	path   string // escaped, from the API root
	query  url.Values
	body   []byte
	auth   authMode
	// safe: repeating the request cannot duplicate a side effect
	// (reads, installs, the bundle upsert), so a 5xx or a connection
	// error is retried.
	safe bool
	// uncertain, for requests that are not safe, is called when one may
	// or may not have taken effect; it returns nil when sending it again
	// is safe, or the error to return.
	uncertain func(ctx context.Context, b *budget, cause error) error
	// sensitive: the response may carry secrets (the OAuth client of a
	// registration), so no raw body ever goes into an error or a log.
	sensitive bool
	// integration is the key the request acts on, when it has one: a
	// ZIS OAuth token the Client created for it is sent there.
	integration string
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// transportError is a failed exchange: no status came back, so the
// request may or may not have been processed. Its text is redacted.
type transportError struct {
	msg string
	err error
}

func (e *transportError) Error() string { return e.msg }
func (e *transportError) Unwrap() error { return e.err }

func (c *Client) newBudget() *budget { return &budget{limit: c.budget} }

func (c *Client) logf(format string, args ...any) {
	if c.logfn != nil {
		c.logfn("%s", c.redact.Replace(fmt.Sprintf(format, args...)))
	}
}

// authorization is the Authorization header of r: none for the token
// endpoint, else the admin credential, else the ZIS OAuth token, which
// may not register or upload.
func (c *Client) authorization(ctx context.Context, r request, b *budget) (string, error) {
	if r.auth == authNone {
		return "", nil
	}
	if r.auth == authZIS && c.hasZISToken(r.integration) {
		return c.zisHeader(r.integration), nil
	}
	switch c.creds.admin() {
	case adminClient:
		token, err := c.clientToken(ctx, b, "")
		if err != nil {
			return "", err
		}
		return "Bearer " + token, nil
	case adminAccessToken:
		return "Bearer " + c.creds.AccessToken, nil
	case adminAPIToken:
		return c.creds.basicHeader(), nil
	}
	if r.auth == authAdminOnly {
		return "", fmt.Errorf("%s %s: %w", r.method, r.path, ErrNeedAPIToken)
	}
	return c.zisHeader(r.integration), nil
}

func (c *Client) url(r request) string {
	u := c.base.String() + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	return u
}

// attempt sends r once, under its own timeout.
func (c *Client) attempt(ctx context.Context, r request, authz string) (*response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, c.url(r), body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		var re *redirectError
		if errors.As(err, &re) {
			return nil, fmt.Errorf("%s %s: %w", r.method, r.path, re)
		}
		return nil, c.transportError(r, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		// The status arrived but the body did not: for a registration
		// this is as uncertain as no answer at all.
		return nil, c.transportError(r, fmt.Errorf("reading the response (HTTP %d): %w", resp.StatusCode, err))
	}
	if len(data) > maxBody {
		return nil, fmt.Errorf("%s %s: the response is larger than %d bytes", r.method, r.path, maxBody)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func (c *Client) transportError(r request, err error) error {
	// url.Error repeats the whole URL; the request is named once, below.
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err
	}
	// The cause may quote the server (a malformed status line, say).
	return &transportError{msg: r.String() + ": " + c.excerpt(inner.Error()), err: err}
}

// String names the request in errors and logs: method, path and the
// query unescaped for reading (zis:acme:job_spec:x, not zis%3Aacme…).
func (r request) String() string {
	s := r.method + " " + r.path
	if len(r.query) > 0 {
		q := r.query.Encode()
		if u, err := url.QueryUnescape(q); err == nil {
			q = u
		}
		s += "?" + q
	}
	return s
}

// APIError is an error status from the API, with the documented error
// body {"errors":[{"code","detail","status"}],"message"} parsed. Its
// text never holds credentials or secrets.
type APIError struct {
	Status  int    // HTTP status
	Code    string // ZIS error code, e.g. "1010"
	Detail  string
	Message string
	Method  string
	Path    string // path and query, without scheme and host
	// Hint, for a refused credential, says which credential to try.
	Hint string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.Status)
	if t := http.StatusText(e.Status); t != "" {
		b.WriteString(" " + t)
	}
	if e.Code != "" {
		b.WriteString(" (code " + e.Code + ")")
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Message != "" && e.Message != e.Detail && e.Message != http.StatusText(e.Status) {
		b.WriteString(": " + e.Message)
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

// flexString reads a JSON string or number: the docs show codes and
// statuses as strings, but nothing promises it.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n)
	return nil
}

func (c *Client) apiError(r request, resp *response) *APIError {
	e := &APIError{Status: resp.status, Method: r.method, Path: strings.TrimPrefix(r.String(), r.method+" ")}
	var body struct {
		Errors []struct {
			Code   flexString `json:"code"`
			Title  string     `json:"title"`
			Detail string     `json:"detail"`
		} `json:"errors"`
		Message     string          `json:"message"`
		Error       json.RawMessage `json:"error"` // Zendesk's other error shape: {"error","description"}
		Description string          `json:"description"`
	}
	parsed := json.Unmarshal(resp.body, &body) == nil
	if parsed {
		var details []string
		for _, x := range body.Errors {
			if e.Code == "" {
				e.Code = string(x.Code)
			}
			if d := cmpOr(x.Detail, x.Title); d != "" {
				details = append(details, d)
			}
		}
		e.Detail = strings.Join(details, "; ")
		e.Message = body.Message
		var code string
		if json.Unmarshal(body.Error, &code) == nil && e.Code == "" {
			e.Code = code
		}
		if e.Detail == "" {
			e.Detail = body.Description
		}
	}
	if !parsed && !r.sensitive {
		// An HTML error page from a proxy, say: keep a short, one-line
		// excerpt. Never for sensitive endpoints.
		e.Detail = string(resp.body)
	}
	// A server that echoed the request's headers must not leak them.
	e.Code = c.excerpt(e.Code)
	e.Detail = c.excerpt(e.Detail)
	e.Message = c.excerpt(e.Message)
	return e
}

// excerpt redacts, then shortens, text from a server for an error.
func (c *Client) excerpt(s string) string { return c.redact.Excerpt(s, maxDetail) }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func checkKey(key string) error {
	if !plainKey(key) {
		return fmt.Errorf("invalid integration key %q: want letters, digits, _ and -", key)
	}
	return nil
}

func registryPath(key string, rest ...string) string {
	return "/api/services/zis/registry/" + url.PathEscape(key) + strings.Join(rest, "")
}

// IntegrationExists lists the account's integrations and looks for key.
func (c *Client) IntegrationExists(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	return c.integrationExists(ctx, key, c.newBudget())
}

func (c *Client) integrationExists(ctx context.Context, key string, b *budget) (bool, error) {
	found := false
	r := request{
		method: http.MethodGet, path: "/api/services/zis/registry/integrations",
		auth: authAdmin, safe: true,
		// The list repeats each integration's OAuth client.
		sensitive: true,
	}
	// The docs show no paging here, so page[size] is not sent; a meta
	// with has_more is followed all the same.
	err := c.paginate(ctx, r, b, false, func(body []byte) (pageMeta, bool, error) {
		var page struct {
			Integrations []struct {
				Name string `json:"name"`
			} `json:"integrations"`
			Meta pageMeta `json:"meta"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return pageMeta{}, false, err
		}
		for _, in := range page.Integrations {
			if in.Name == key {
				found = true
				return page.Meta, true, nil
			}
		}
		return page.Meta, false, nil
	})
	return found, err
}

// RegisterIntegration registers key. It needs an API token. After a
// connection error or a 5xx it does not simply send the registration
// again: it first checks whether the integration now exists.
func (c *Client) RegisterIntegration(ctx context.Context, key, description string) (*Registration, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]string{"description": description})
	if err != nil {
		return nil, err
	}
	resent := false
	r := request{
		method: http.MethodPost, path: registryPath(key), body: body,
		auth: authAdminOnly, sensitive: true,
		uncertain: func(ctx context.Context, b *budget, cause error) error {
			exists, err := c.integrationExists(ctx, key, b)
			if err != nil {
				return fmt.Errorf("registering %s: it is unknown whether the registration took effect (%v), and checking failed: %w", key, cause, err)
			}
			if exists {
				c.logf("registering %s: the request failed (%v), yet the integration exists now, so it was registered; "+
					"its OAuth client secret, returned only by that response, is lost (an admin can still create a ZIS OAuth token for the client)", key, cause)
				return fmt.Errorf("registering %s: %w (the registration's answer was lost)", key, ErrExists)
			}
			c.logf("registering %s: the request failed (%v) and the integration does not exist; registering again", key, cause)
			resent = true
			return nil
		},
	}
	resp, err := c.send(ctx, r, c.newBudget())
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict {
			if resent {
				// The list may lag behind the registration it missed.
				c.logf("registering %s: already registered after a failed attempt, which may have registered it; if so, its OAuth client secret is lost", key)
			}
			return nil, fmt.Errorf("registering %s: %w", key, ErrExists)
		}
		return nil, err
	}
	var out struct {
		Description  string `json:"description"`
		JWTPublicKey string `json:"jwt_public_key"`
		Client       struct {
			ID         json.Number `json:"id"`
			Identifier string      `json:"identifier"`
			Secret     string      `json:"secret"`
		} `json:"zendesk_oauth_client"`
	}
	// json's errors name types and offsets, never values, so they cannot
	// carry the secret.
	if err := json.Unmarshal(resp.body, &out); err != nil {
		return nil, fmt.Errorf("registering %s: reading the answer: %w (the integration is probably registered; its OAuth client secret is lost)", key, err)
	}
	c.redact.add(out.Client.Secret)
	reg := &Registration{
		Description:  out.Description,
		JWTPublicKey: out.JWTPublicKey,
		Identifier:   out.Client.Identifier,
		Secret:       out.Client.Secret,
	}
	if out.Client.ID != "" {
		if reg.OAuthClientID, err = out.Client.ID.Int64(); err != nil {
			return reg, fmt.Errorf("registering %s: the OAuth client id is not an integer", key)
		}
	}
	return reg, nil
}

// UploadBundle uploads the bundle. It needs an API token. The upload is
// an upsert, so it is retried after 5xx and connection errors.
func (c *Client) UploadBundle(ctx context.Context, key string, bundle []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if bundle == nil {
		bundle = []byte{}
	}
	r := request{method: http.MethodPost, path: registryPath(key, "/bundles"), body: bundle, auth: authAdminOnly, safe: true}
	// Any 2xx is success: the docs show 200, a docs-derived spec 201.
	_, err := c.send(ctx, r, c.newBudget())
	return err
}

// pageMeta is the cursor part of a listing. Zendesk spells the cursor
// "after" in the ZIS docs and "after_cursor" elsewhere; both are read.
type pageMeta struct {
	HasMore     bool   `json:"has_more"`
	After       string `json:"after"`
	AfterCursor string `json:"after_cursor"`
}

func (m pageMeta) cursor() string { return cmpOr(m.After, m.AfterCursor) }

// paginate fetches r page after page. page decodes one body and returns
// its meta, and stop to end early.
func (c *Client) paginate(ctx context.Context, r request, b *budget, sized bool, page func([]byte) (pageMeta, bool, error)) error {
	seen := map[string]bool{}
	after := ""
	for n := 1; ; n++ {
		q := url.Values{}
		if sized {
			q.Set("page[size]", fmt.Sprint(pageSize))
		}
		if after != "" {
			q.Set("page[after]", after)
		}
		r.query = q
		resp, err := c.send(ctx, r, b)
		if err != nil {
			return err
		}
		meta, stop, err := page(resp.body)
		if err != nil {
			return fmt.Errorf("%s %s: reading page %d: %w", r.method, r.path, n, err)
		}
		if stop || !meta.HasMore {
			return nil
		}
		next := meta.cursor()
		switch {
		case next == "":
			return fmt.Errorf("%s %s: page %d says there is more but gives no cursor", r.method, r.path, n)
		case seen[next] || next == after:
			// A partial list could make a plan uninstall or skip the
			// wrong job specs, so this is an error, not an end.
			return fmt.Errorf("%s %s: the server repeated the cursor of an earlier page (page %d); stopping a listing that would never end", r.method, r.path, n)
		case n >= maxPages:
			return fmt.Errorf("%s %s: more than %d pages; giving up", r.method, r.path, maxPages)
		}
		if why := c.unquotable(next, maxCursor); why != "" {
			return fmt.Errorf("%s %s: page %d gives a cursor that %s; stopping the listing", r.method, r.path, n, why)
		}
		seen[after] = true
		after = next
	}
}

// unquotable says why a short piece of server text may not be used as
// it is, or "". Page cursors go into the next request, whose name errors
// quote, and listed job spec names and keys go into plans and errors;
// none is cut or redacted there, so each must be short, on one line,
// and free of credentials.
func (c *Client) unquotable(s string, limit int) string {
	switch {
	case len(s) > limit:
		return fmt.Sprintf("is longer than %d bytes", limit)
	case strings.IndexFunc(s, func(r rune) bool { return r != ' ' && isBreak(r) }) >= 0:
		return "holds line breaks or control characters"
	case c.redact.Replace(s) != s:
		return "holds a credential"
	}
	return ""
}

func jobSpecPrefix(key string) string { return "zis:" + key + ":job_spec:" }

// bareName strips zis:<key>:job_spec: from name, whichever form it has.
func bareName(key, name string) string { return strings.TrimPrefix(name, jobSpecPrefix(key)) }

// ListJobSpecs lists every job spec of the integration, with bare names.
func (c *Client) ListJobSpecs(ctx context.Context, key string) ([]JobSpec, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	out := []JobSpec{}
	r := request{method: http.MethodGet, path: registryPath(key, "/job_specs"), auth: authAdmin, safe: true, integration: key}
	err := c.paginate(ctx, r, c.newBudget(), true, func(body []byte) (pageMeta, bool, error) {
		var page struct {
			JobSpecs []JobSpec `json:"job_specs"`
			Meta     pageMeta  `json:"meta"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return pageMeta{}, false, err
		}
		for i, js := range page.JobSpecs {
			for _, f := range []struct{ what, text string }{{"name", js.Name}, {"integration", js.Integration}} {
				if why := c.unquotable(f.text, maxName); why != "" {
					return pageMeta{}, false, fmt.Errorf("job spec %d of the page: its %s %s", i+1, f.what, why)
				}
			}
			js.Name = bareName(key, js.Name)
			out = append(out, js)
		}
		return page.Meta, false, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// InstallJobSpec installs the job spec; installing is idempotent.
func (c *Client) InstallJobSpec(ctx context.Context, key, name string) error {
	return c.jobSpecInstall(ctx, http.MethodPost, key, name)
}

// UninstallJobSpec uninstalls the job spec. One that is not installed
// (404) counts as uninstalled.
func (c *Client) UninstallJobSpec(ctx context.Context, key, name string) error {
	return c.jobSpecInstall(ctx, http.MethodDelete, key, name)
}

// Forms of job_spec_name, in Client.nameForm.
const (
	formUnknown int32 = iota
	formQualified
	formBare
)

// jobSpecInstall sends the install or uninstall. Which form job_spec_name
// takes is unconfirmed: the docs' example passes the bare name,
// practitioners pass zis:<key>:job_spec:<name>. Until one form has worked,
// the qualified form goes first and a 404 or 400 is retried once with
// the bare one. Once a form has worked, only that form is sent: a 404 is
// then a plain "not found", and sending the bare name could reach a job
// spec of the same name in another integration.
func (c *Client) jobSpecInstall(ctx context.Context, method, key, name string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	verb := map[string]string{http.MethodPost: "installing", http.MethodDelete: "uninstalling"}[method]
	// The last gate: whatever a caller planned, nothing is sent for a
	// job spec of another integration.
	bare, err := ownJobSpecName(key, name)
	if err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	forms := []string{jobSpecPrefix(key) + bare, bare}
	switch c.nameForm.Load() {
	case formQualified:
		forms = forms[:1]
	case formBare:
		forms = forms[1:]
	}
	b := c.newBudget()
	var errs []error
	sawNotFound := false
	for i, form := range forms {
		r := request{
			method: method, path: "/api/services/zis/registry/job_specs/install",
			query: url.Values{"job_spec_name": {form}}, auth: authAdmin, safe: true, integration: key,
		}
		_, err := c.send(ctx, r, b)
		if err == nil {
			if form == bare {
				c.nameForm.Store(formBare)
			} else {
				c.nameForm.Store(formQualified)
			}
			return nil
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) || (apiErr.Status != http.StatusNotFound && apiErr.Status != http.StatusBadRequest) {
			return fmt.Errorf("%s job spec %s: %w", verb, bare, err)
		}
		sawNotFound = sawNotFound || apiErr.Status == http.StatusNotFound
		if i > 0 {
			err = fmt.Errorf("and with job_spec_name=%s: %w", form, err)
		}
		errs = append(errs, err)
		if i+1 < len(forms) {
			c.logf("%s job spec %s: %v; trying job_spec_name=%s", verb, bare, err, forms[i+1])
			continue
		}
	}
	if method == http.MethodDelete && sawNotFound {
		// A form the server understands found nothing installed (with
		// two forms tried, the other gave 400 or 404 too): already
		// uninstalled. A 404 of the first of two forms alone is not
		// enough, since it may only mean the server wants the other.
		c.logf("uninstalling job spec %s: not installed; nothing to do", bare)
		return nil
	}
	if len(errs) == 1 {
		return fmt.Errorf("%s job spec %s: %w", verb, bare, errs[0])
	}
	return fmt.Errorf("%s job spec %s: %w; %w", verb, bare, errs[0], errs[1])
}

// ListConnections lists the connections of every type, all pages.
func (c *Client) ListConnections(ctx context.Context, key string) ([]Connection, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	out := []Connection{}
	r := request{
		method: http.MethodGet, path: "/api/services/zis/integrations/" + url.PathEscape(key) + "/connections/all",
		auth: authAdmin, safe: true, integration: key,
	}
	err := c.paginate(ctx, r, c.newBudget(), true, func(body []byte) (pageMeta, bool, error) {
		type conn struct {
			Name          string `json:"name"`
			AllowedDomain string `json:"allowed_domain"`
		}
		var page struct {
			APIKey      []conn   `json:"api_key"`
			BasicAuth   []conn   `json:"basic_auth"`
			BearerToken []conn   `json:"bearer_token"`
			OAuth       []conn   `json:"oauth"`
			Meta        pageMeta `json:"meta"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return pageMeta{}, false, err
		}
		for _, group := range []struct {
			typ   string
			conns []conn
		}{{"api_key", page.APIKey}, {"basic_auth", page.BasicAuth}, {"bearer_token", page.BearerToken}, {"oauth", page.OAuth}} {
			for i, x := range group.conns {
				// Names and domains go into plans and errors unquoted.
				for _, f := range []struct{ what, text string }{{"name", x.Name}, {"allowed domain", x.AllowedDomain}} {
					if why := c.unquotable(f.text, maxName); why != "" {
						return pageMeta{}, false, fmt.Errorf("%s connection %d of the page: its %s %s", group.typ, i+1, f.what, why)
					}
				}
				out = append(out, Connection{Name: x.Name, Type: group.typ, AllowedDomain: x.AllowedDomain})
			}
		}
		return page.Meta, false, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// plainUUID keeps a listed bundle uuid one plain path segment: 1 to 64
// letters, digits and '-'.
func plainUUID(uuid string) bool {
	return ident.Span(uuid, 1, 64, func(c byte) bool { return ident.Alnum(c) || c == '-' })
}

// ListBundles lists the integration's bundles, all pages. A uuid that is
// not a plain uuid-like segment fails the listing: it would be sent back
// in the next request's path.
func (c *Client) ListBundles(ctx context.Context, key string) ([]BundleInfo, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	out := []BundleInfo{}
	r := request{method: http.MethodGet, path: registryPath(key, "/bundles"), auth: authAdmin, safe: true, integration: key}
	err := c.paginate(ctx, r, c.newBudget(), true, func(body []byte) (pageMeta, bool, error) {
		var page struct {
			Bundles []BundleInfo `json:"bundles"`
			Meta    pageMeta     `json:"meta"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return pageMeta{}, false, err
		}
		for i, b := range page.Bundles {
			if !plainUUID(b.UUID) {
				return pageMeta{}, false, fmt.Errorf("bundle %d of the page has no usable uuid", i+1)
			}
			// Names are only compared and printed quoted; keep them short.
			b.Name, b.Description = cut(b.Name, maxName), cut(b.Description, maxName)
			out = append(out, b)
		}
		return page.Meta, false, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ShowBundle reads one bundle, resources included, as raw JSON.
func (c *Client) ShowBundle(ctx context.Context, key, uuid string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if !plainUUID(uuid) {
		return nil, fmt.Errorf("invalid bundle uuid %q", cut(uuid, maxName))
	}
	r := request{method: http.MethodGet, path: registryPath(key, "/bundles/", url.PathEscape(uuid)), auth: authAdmin, safe: true, integration: key}
	resp, err := c.send(ctx, r, c.newBudget())
	if err != nil {
		return nil, err
	}
	return resp.body, nil
}
