// Package zistest is an in-memory fake of the ZIS registry (integrations,
// bundles, job specs and connections) served over HTTP by
// net/http/httptest. Tests of the deploy client and of whole deploys point
// a real HTTP client at it, script faults (429, 5xx, dropped connections,
// slow answers) and then inspect what it received and what state it holds.
// NewServer makes one outside a test, which package zisfake serves on a
// local address (go run ./deploy/zistest/cmd/zisfake).
//
// It models the behaviour a deploy depends on, including the parts the
// reference marks as third-party knowledge: a bundle upload leaves earlier
// installs orphaned, and a job spec that left the bundle but was installed
// stays installed until it is uninstalled. Where the real API is
// unconfirmed the fake picks one answer and an Option selects the other;
// each choice is documented where it is made. In short:
//   - upload answers 200 (WithUploadStatus(201) for the other reading);
//   - install and uninstall answer 200 with an empty body
//     (WithInstallStatus(204));
//   - uninstalling a job spec that is not installed is 404
//     (WithUninstallNotInstalledOK for 200);
//   - the job spec listing gives bare names (WithQualifiedJobSpecNames);
//   - install accepts bare and qualified names; a bare name found in
//     several integrations is 400;
//   - page[size] outside 1..100 is 400; meta.after/before are set for
//     every non-empty page, so has_more decides whether to go on;
//   - connections are paged as one list ordered by type, then name;
//   - each upload gives the bundle's job specs new uuids;
//   - bundles are upserts by name: each name keeps one uuid, and the
//     bundle listing is ordered by first upload (the oldest first; the
//     real order is undocumented); Show Bundle answers the bundle as
//     uploaded, with uuid, integration and zendesk_account_id added;
//   - listing integrations accepts Basic and Bearer (any token scope);
//   - Zendesk OAuth (the client credentials grant, admin access tokens,
//     OAuth clients and ZIS OAuth tokens) is described in oauth.go.
//
// The package does not import package deploy, so deploy's own (internal)
// tests can import it without an import cycle.
package zistest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Credentials accepted when no WithAPIToken / WithOAuthToken option is
// given. They are distinctive so tests can search any output for them.
const (
	DefaultEmail      = "deployer@example.com"
	DefaultAPIToken   = "zistest-api-token-9f3b27c1e5"
	DefaultOAuthToken = "zistest-oauth-token-5d81e04a7c"
)

// Op names an endpoint of the fake; faults and calls are keyed by it so
// tests need not spell paths.
type Op string

// The endpoints. OpAny, in QueueFaults, matches every request.
const (
	OpAny              Op = ""
	OpRegister         Op = "register"          // POST /api/services/zis/registry/{integration}
	OpListIntegrations Op = "list_integrations" // GET  /api/services/zis/registry/integrations
	OpUpload           Op = "upload"            // POST /api/services/zis/registry/{integration}/bundles
	OpListBundles      Op = "list_bundles"      // GET  /api/services/zis/registry/{integration}/bundles
	OpShowBundle       Op = "show_bundle"       // GET  /api/services/zis/registry/{integration}/bundles/{uuid}
	OpListJobSpecs     Op = "list_job_specs"    // GET  /api/services/zis/registry/{integration}/job_specs
	OpInstall          Op = "install"           // POST   /api/services/zis/registry/job_specs/install
	OpUninstall        Op = "uninstall"         // DELETE /api/services/zis/registry/job_specs/install
	OpListConnections  Op = "list_connections"  // GET  /api/services/zis/integrations/{integration}/connections/all
	OpListConfigs      Op = "list_configs"      // GET  /api/services/zis/integrations/{integration}/configs?filter[scope]=…
	OpCreateConfig     Op = "create_config"     // POST /api/services/zis/integrations/{integration}/configs
	OpReplaceConfig    Op = "replace_config"    // PUT  /api/services/zis/integrations/{integration}/configs/{scope}
	OpCreateConnection Op = "create_connection" // POST /api/services/zis/integrations/{integration}/connections/{api_key|basic_auth|bearer_token}
	OpUnknown          Op = "unknown"           // no such endpoint (404) or method (405)
)

// AuthKind is the kind of Authorization a request carried (never the
// credential itself).
type AuthKind string

// Authorization kinds.
const (
	AuthNone   AuthKind = "none"
	AuthBasic  AuthKind = "basic"
	AuthBearer AuthKind = "bearer"
	AuthOther  AuthKind = "other" // another scheme or a malformed header
)

// Fault replaces or perturbs the answer to one request. The zero Fault
// lets the request through untouched, so a queue can skip requests:
// QueueFaults(OpInstall, Fault{}, Fault{Status: 503}) fails the second
// install only.
type Fault struct {
	// Status, when not 0, is sent instead of the real answer (429, 500,
	// 502, 503, ...) with a JSON error body.
	Status int
	// RetryAfter is the Retry-After header value sent with Status; ""
	// sends none.
	RetryAfter string
	// Body replaces the default JSON error body of Status; if it is not
	// JSON it is sent as text/plain.
	Body string
	// Drop hijacks the connection and resets it without any answer: the
	// client sees a connection error. Beware: net/http's Transport
	// silently resends a GET (any replayable request) that fails this way
	// on a reused keep-alive connection, so one Drop on a GET may go
	// unnoticed; queue two, or use a fresh connection, to make the
	// client see it. POST and DELETE are not resent.
	Drop bool
	// AfterProcessing applies the request's side effect before Status or
	// Drop, so the client fails although the registry changed. This is
	// how tests check that a retried or re-run deploy converges without
	// duplicating work.
	AfterProcessing bool
	// Delay is waited before anything else; the wait ends early when the
	// client gives up or the server closes. Keep it short: nothing else
	// in the fake sleeps.
	Delay time.Duration
}

func (f Fault) replaces() bool { return f.Status != 0 || f.Drop }

func (f Fault) isZero() bool { return f == Fault{} }

// FaultHook decides a fault per request. seq is the request's number
// (1-based, counting every request the server received). It is called
// without the server's lock, so it may call the Server's methods.
type FaultHook func(seq int, op Op, r *http.Request) *Fault

// Call is one request the server received and what it answered.
type Call struct {
	Seq         int
	Op          Op
	Integration string // from the path or the job spec name; "" if none
	Method      string
	Path        string
	Query       url.Values
	// Header is the request's header without Authorization, so that
	// credentials never end up in test output.
	Header http.Header
	Body   []byte
	Auth   AuthKind
	// Status is the status sent; 0 when the connection was dropped, the
	// client went away during a Delay, or the request is not Done.
	Status   int
	Response []byte
	Fault    *Fault // nil when no fault applied
	Dropped  bool
	// Done is false while the server is still serving the request
	// (during a Delay, typically).
	Done bool
}

// Option configures New.
type Option func(*config)

type config struct {
	basic         []basicCred
	bearer        []bearerCred
	uploadStatus  int
	installStatus int
	qualified     bool
	maxPageSize   int
	accountID     int64
	lenientUninst bool
	oauthClients  []oauthClient
	tokenLifetime *int
	// registryRefusesOAuth: see WithRegistryRefusesOAuth.
	registryRefusesOAuth bool
}

type basicCred struct{ email, token string }

type bearerCred struct {
	token        string
	integrations []string // nil: any integration
}

// WithAPIToken accepts Basic auth base64("<email>/token:<token>"). Each
// use adds a credential; any use replaces DefaultEmail/DefaultAPIToken.
func WithAPIToken(email, token string) Option {
	return func(c *config) { c.basic = append(c.basic, basicCred{email, token}) }
}

// WithOAuthToken accepts "Bearer <token>". With integrations, the token
// belongs to them and a request for another integration gets 401
// "Authorization failed due to integration mismatch", as the reference
// says ZIS OAuth tokens do. Each use adds a token; any use replaces
// DefaultOAuthToken.
func WithOAuthToken(token string, integrations ...string) Option {
	return func(c *config) { c.bearer = append(c.bearer, bearerCred{token, integrations}) }
}

// WithUploadStatus sets the status of a successful bundle upload. The
// docs' example shows 200 (the default); the docs-derived OpenAPI says
// 201. Unconfirmed, so clients must accept both.
func WithUploadStatus(code int) Option { return func(c *config) { c.uploadStatus = code } }

// WithInstallStatus sets the status of a successful install or uninstall:
// 200 with an empty body (the default) or 204. Unconfirmed.
func WithInstallStatus(code int) Option { return func(c *config) { c.installStatus = code } }

// WithQualifiedJobSpecNames makes the job spec listing return names as
// "zis:<integration>:job_spec:<name>" instead of bare names. Which form
// the real listing uses is unconfirmed.
func WithQualifiedJobSpecNames() Option { return func(c *config) { c.qualified = true } }

// WithMaxPageSize silently caps every page at n items (the real cap is
// 100), so tests can force several pages without seeding hundreds of
// items. page[size] above 100 is still a 400.
func WithMaxPageSize(n int) Option { return func(c *config) { c.maxPageSize = n } }

// WithAccountID sets the zendesk_account_id in bundle answers.
func WithAccountID(id int64) Option { return func(c *config) { c.accountID = id } }

// WithUninstallNotInstalledOK answers 200 (instead of the default 404) to
// uninstalling a job spec that exists but is not installed. Which one the
// real API does is unconfirmed; clients must tolerate both.
func WithUninstallNotInstalledOK() Option { return func(c *config) { c.lenientUninst = true } }

// Credentials are the first accepted credentials of each kind.
type Credentials struct {
	Email        string
	APIToken     string
	OAuthToken   string
	ClientID     string // of the OAuth client of the client credentials grant
	ClientSecret string
}

// BasicHeader is the Authorization value for the API token.
func (c Credentials) BasicHeader() string { return BasicAuth(c.Email, c.APIToken) }

// BearerHeader is the Authorization value for the OAuth token.
func (c Credentials) BearerHeader() string { return "Bearer " + c.OAuthToken }

// BasicAuth is the Authorization value of a Zendesk API token:
// "Basic " + base64("<email>/token:<token>").
func BasicAuth(email, token string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(email+"/token:"+token))
}

// QualifiedName is "zis:<integration>:job_spec:<name>", the key of
// Counters.InstallsByName and UninstallsByName.
func QualifiedName(integration, name string) string {
	return "zis:" + integration + ":job_spec:" + name
}

// Counters count side effects: requests that changed the registry and
// were answered 2xx, or that got a fault with AfterProcessing (the change
// happened even though the client did not see the answer). A 409
// registration is not counted; a repeated install of an installed job
// spec is, because it is one more install request the client sent.
type Counters struct {
	Registrations    int
	Uploads          int
	Installs         int
	Uninstalls       int
	InstallsByName   map[string]int // by QualifiedName
	UninstallsByName map[string]int // by QualifiedName
}

// Server is the fake registry. All methods are safe for concurrent use.
type Server struct {
	t       reporter
	srv     *httptest.Server
	cfg     config
	closing chan struct{}
	once    sync.Once

	mu       sync.Mutex
	seq      int
	calls    []*Call
	counters Counters
	nth      map[int]Fault
	queues   map[Op][]Fault
	hook     FaultHook
	ints     map[string]*integration
	nextID   int64 // for OAuth client ids and uuids
	// access holds the admin access tokens issued, accessOrder their
	// order; zisTokens the ZIS OAuth tokens created.
	access      map[string]*accessGrant
	accessOrder []string
	zisTokens   []*ZISToken
}

// New starts a fake registry; t.Cleanup closes it.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg, err := newConfig(opts)
	if err != nil {
		t.Fatalf("zistest: %v", err)
	}
	s := newServer(t, cfg)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// newConfig applies opts over the defaults.
func newConfig(opts []Option) (config, error) {
	cfg := config{uploadStatus: http.StatusOK, installStatus: http.StatusOK, maxPageSize: maxPageSize, accountID: 10000001}
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.basic) == 0 {
		cfg.basic = []basicCred{{DefaultEmail, DefaultAPIToken}}
	}
	if len(cfg.bearer) == 0 {
		cfg.bearer = []bearerCred{{token: DefaultOAuthToken}}
	}
	if len(cfg.oauthClients) == 0 {
		cfg.oauthClients = []oauthClient{{DefaultClientID, DefaultClientSecret}}
	}
	if cfg.tokenLifetime == nil {
		lifetime := DefaultTokenLifetime
		cfg.tokenLifetime = &lifetime
	}
	if cfg.maxPageSize < 1 || cfg.maxPageSize > maxPageSize {
		return cfg, fmt.Errorf("WithMaxPageSize(%d): want 1..%d", cfg.maxPageSize, maxPageSize)
	}
	return cfg, nil
}

// newServer makes the registry without serving it.
func newServer(r reporter, cfg config) *Server {
	return &Server{
		t:        r,
		cfg:      cfg,
		closing:  make(chan struct{}),
		nth:      map[int]Fault{},
		queues:   map[Op][]Fault{},
		ints:     map[string]*integration{},
		access:   map[string]*accessGrant{},
		nextID:   360000000000,
		counters: Counters{InstallsByName: map[string]int{}, UninstallsByName: map[string]int{}},
	}
}

// URL is the base URL, standing in for https://<subdomain>.zendesk.com;
// "" for a server made by NewServer, which its caller serves.
func (s *Server) URL() string {
	if s.srv == nil {
		return ""
	}
	return s.srv.URL
}

// Client is an *http.Client configured for the server.
func (s *Server) Client() *http.Client {
	if s.srv == nil {
		return &http.Client{}
	}
	return s.srv.Client()
}

// Close stops the server, ending any Delay in progress. It is safe to
// call more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closing)
		if s.srv != nil {
			s.srv.Close()
		}
	})
}

// Credentials returns the first accepted API token and OAuth token.
func (s *Server) Credentials() Credentials {
	return Credentials{Email: s.cfg.basic[0].email, APIToken: s.cfg.basic[0].token, OAuthToken: s.cfg.bearer[0].token,
		ClientID: s.cfg.oauthClients[0].id, ClientSecret: s.cfg.oauthClients[0].secret}
}

// QueueFaults appends faults for the next requests of op (OpAny: any
// request). A request takes the first fault of its op's queue, or else
// of the OpAny queue.
func (s *Server) QueueFaults(op Op, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queues[op] = append(s.queues[op], faults...)
}

// FailRequest applies f to the request numbered seq (1-based, counting
// every request since New; see Requests). It takes precedence over the
// queues and the hook.
func (s *Server) FailRequest(seq int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nth[seq] = f
}

// SetFaultHook installs a hook consulted for requests that neither
// FailRequest nor a queue gave a fault; nil removes it.
func (s *Server) SetFaultHook(h FaultHook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = h
}

// Requests is the number of requests received so far, so that
// FailRequest(s.Requests()+1, f) fails the next one.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// Calls returns the requests in the order they arrived, including any
// still being served (Done false).
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		out[i] = *c
	}
	return out
}

// CallsFor returns the requests of one endpoint, in the order they
// arrived.
func (s *Server) CallsFor(op Op) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Op == op {
			out = append(out, c)
		}
	}
	return out
}

// Counters returns the side-effect counters.
func (s *Server) Counters() Counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.counters
	c.InstallsByName = copyCounts(c.InstallsByName)
	c.UninstallsByName = copyCounts(c.UninstallsByName)
	return c
}

// ClearHistory forgets the calls and zeroes the counters (the state and
// the request numbering stay), so a test can set up through the API and
// then assert only on what follows.
func (s *Server) ClearHistory() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.counters = Counters{InstallsByName: map[string]int{}, UninstallsByName: map[string]int{}}
}

func copyCounts(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// serve runs one request: numbering and recording on arrival, fault
// choice, the registry itself (under the lock), then the answer or the
// fault. The call is recorded when the request arrives and completed
// before anything is written back, so whatever the client has seen is
// already in Calls (even a request the client abandoned during a Delay).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rt := route(r)
	call := &Call{
		Op: rt.op, Integration: rt.integration, Method: r.Method, Path: r.URL.Path,
		Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, Auth: authKind(r),
	}
	call.Header.Del("Authorization")
	if rt.op == OpInstall || rt.op == OpUninstall {
		if i, _, ok := splitQualified(call.Query.Get("job_spec_name")); ok {
			call.Integration = i
		}
	}

	s.mu.Lock()
	s.seq++
	call.Seq = s.seq
	fault := s.takeFaultLocked(call.Seq, rt.op)
	hook := s.hook
	s.calls = append(s.calls, call)
	s.mu.Unlock()
	if fault == nil && hook != nil {
		fault = hook(call.Seq, rt.op, r)
	}
	if fault != nil && fault.isZero() {
		fault = nil
	}
	s.update(call, func(c *Call) { c.Fault = fault })

	if fault != nil && fault.Delay > 0 {
		timer := time.NewTimer(fault.Delay)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			s.update(call, func(c *Call) { c.Done = true })
			return
		case <-s.closing:
			timer.Stop()
			s.update(call, func(c *Call) { c.Done = true })
			return
		}
	}

	var resp response
	if fault == nil || !fault.replaces() || fault.AfterProcessing {
		s.mu.Lock()
		resp = s.handle(rt, r, body)
		s.mu.Unlock()
	}
	if fault != nil && fault.Drop {
		s.update(call, func(c *Call) { c.Dropped, c.Done = true, true })
		drop(w)
		return
	}
	if fault != nil && fault.Status != 0 {
		resp = faultResponse(*fault)
	}
	s.update(call, func(c *Call) { c.Status, c.Response, c.Done = resp.status, resp.body, true })
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	if len(resp.body) > 0 && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body)
}

// update changes a recorded call under the lock, since Calls may be
// reading it concurrently.
func (s *Server) update(c *Call, f func(*Call)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(c)
}

func (s *Server) takeFaultLocked(seq int, op Op) *Fault {
	if f, ok := s.nth[seq]; ok {
		delete(s.nth, seq)
		return &f
	}
	for _, key := range []Op{op, OpAny} {
		if q := s.queues[key]; len(q) > 0 {
			f := q[0]
			s.queues[key] = q[1:]
			return &f
		}
	}
	return nil
}

// drop closes the connection without writing anything, as a proxy or a
// crashing server would.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		// Reset rather than a clean FIN, so the client cannot mistake
		// the close for the end of an answer.
		tc.SetLinger(0)
	}
	conn.Close()
}

func faultResponse(f Fault) response {
	resp := errResp(f.Status, http.StatusText(f.Status), faultMessage(f.Status))
	if f.Body != "" {
		resp.body = []byte(f.Body)
		if !json.Valid(resp.body) {
			// A gateway's error page, say.
			resp.header = http.Header{"Content-Type": {"text/plain; charset=utf-8"}}
		}
	}
	if f.RetryAfter != "" {
		if resp.header == nil {
			resp.header = http.Header{}
		}
		resp.header.Set("Retry-After", f.RetryAfter)
	}
	return resp
}

func faultMessage(status int) string {
	if status == http.StatusTooManyRequests {
		return "Rate limit exceeded"
	}
	return "Internal error"
}

// route maps a request to its endpoint. It splits the escaped path so
// that an integration key containing an encoded "/" reaches the key
// check (400) instead of another route.
type routed struct {
	op          Op
	integration string
	uuid        string // of a bundle, for OpShowBundle
	status      int    // for OpUnknown: 404 or 405
	tokenID     string // for OpRevokeOAuthToken
	connType    string // for OpCreateConnection
	scope       string // for OpReplaceConfig
}

const prefix = "/api/services/zis/"

func route(r *http.Request) routed {
	p := r.URL.EscapedPath()
	if rt, ok := routeOAuth(p, r.Method); ok {
		return rt
	}
	if !strings.HasPrefix(p, prefix) {
		return routed{op: OpUnknown, status: http.StatusNotFound}
	}
	var seg []string
	for _, s := range strings.Split(strings.TrimPrefix(p, prefix), "/") {
		u, err := url.PathUnescape(s)
		if err != nil {
			return routed{op: OpUnknown, status: http.StatusNotFound}
		}
		seg = append(seg, u)
	}
	m := r.Method
	want := func(method string, op Op, integration string) routed {
		if m != method {
			return routed{op: OpUnknown, integration: integration, status: http.StatusMethodNotAllowed}
		}
		return routed{op: op, integration: integration}
	}
	switch {
	case len(seg) == 2 && seg[0] == "registry" && seg[1] == "integrations" && m == http.MethodGet:
		return routed{op: OpListIntegrations}
	case len(seg) == 2 && seg[0] == "registry":
		return want(http.MethodPost, OpRegister, seg[1])
	case len(seg) == 3 && seg[0] == "registry" && seg[1] == "job_specs" && seg[2] == "install":
		switch m {
		case http.MethodPost:
			return routed{op: OpInstall}
		case http.MethodDelete:
			return routed{op: OpUninstall}
		}
		return routed{op: OpUnknown, status: http.StatusMethodNotAllowed}
	case len(seg) == 3 && seg[0] == "registry" && seg[2] == "bundles" && m == http.MethodGet:
		return routed{op: OpListBundles, integration: seg[1]}
	case len(seg) == 3 && seg[0] == "registry" && seg[2] == "bundles":
		return want(http.MethodPost, OpUpload, seg[1])
	case len(seg) == 4 && seg[0] == "registry" && seg[2] == "bundles":
		rt := want(http.MethodGet, OpShowBundle, seg[1])
		rt.uuid = seg[3]
		return rt
	case len(seg) == 3 && seg[0] == "registry" && seg[2] == "job_specs":
		return want(http.MethodGet, OpListJobSpecs, seg[1])
	case len(seg) == 3 && seg[0] == "integrations" && seg[2] == "configs" && m == http.MethodGet:
		return routed{op: OpListConfigs, integration: seg[1]}
	case len(seg) == 3 && seg[0] == "integrations" && seg[2] == "configs":
		return want(http.MethodPost, OpCreateConfig, seg[1])
	case len(seg) == 4 && seg[0] == "integrations" && seg[2] == "configs":
		rt := want(http.MethodPut, OpReplaceConfig, seg[1])
		rt.scope = seg[3]
		return rt
	case len(seg) == 4 && seg[0] == "integrations" && seg[2] == "connections" && seg[3] == "all":
		return want(http.MethodGet, OpListConnections, seg[1])
	case len(seg) == 4 && seg[0] == "integrations" && seg[2] == "connections" &&
		(seg[3] == ConnAPIKey || seg[3] == ConnBasicAuth || seg[3] == ConnBearerToken):
		rt := want(http.MethodPost, OpCreateConnection, seg[1])
		rt.connType = seg[3]
		return rt
	}
	return routed{op: OpUnknown, status: http.StatusNotFound}
}

func authKind(r *http.Request) AuthKind {
	h := r.Header.Get("Authorization")
	scheme, rest, _ := strings.Cut(h, " ")
	switch {
	case h == "":
		return AuthNone
	case strings.EqualFold(scheme, "Basic") && rest != "":
		return AuthBasic
	case strings.EqualFold(scheme, "Bearer") && rest != "":
		return AuthBearer
	}
	return AuthOther
}

// response is an answer computed under the lock and written afterwards,
// so that AfterProcessing faults can compute it and throw it away.
type response struct {
	status int
	header http.Header
	body   []byte
}
