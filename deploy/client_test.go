package deploy

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zislint/zislint/deploy/zistest"
)

// Distinctive credentials, so any output can be searched for them.
const (
	tEmail     = "agent@example.com"
	tToken     = "tok3n-SECRET-api-8f2c"
	tOAuth     = "oauth-SECRET-bearer-41d9"
	tRegSecret = "reg-SECRET-client-77aa"
)

var (
	tBasicPlain = tEmail + "/token:" + tToken
	tBasicB64   = base64.StdEncoding.EncodeToString([]byte(tBasicPlain))
	tBasic      = "Basic " + tBasicB64
	tBearer     = "Bearer " + tOAuth
	tSecrets    = []string{tToken, tOAuth, tRegSecret, tBasicPlain, tBasicB64}
	bothCreds   = Credentials{Email: tEmail, APIToken: tToken, OAuthToken: tOAuth}
)

// harness is a Client pointed at a handler, with recorded waits and logs.
// Every log line is checked for secrets when the test ends.
type harness struct {
	t     *testing.T
	srv   *httptest.Server
	c     *Client
	mu    sync.Mutex
	logs  []string
	waits []time.Duration
}

func newHarness(t *testing.T, h http.Handler, opts ...func(*ClientOptions)) *harness {
	t.Helper()
	hs := &harness{t: t}
	hs.srv = httptest.NewServer(h)
	t.Cleanup(hs.srv.Close)
	o := ClientOptions{
		BaseURL:     hs.srv.URL,
		Credentials: bothCreds,
		// A fresh connection per request: Go's transport silently
		// retries some requests on reused connections, which would blur
		// the counts of attempts.
		HTTPClient: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
		Logf: func(format string, args ...any) {
			hs.mu.Lock()
			defer hs.mu.Unlock()
			hs.logs = append(hs.logs, fmt.Sprintf(format, args...))
		},
		Sleep: func(ctx context.Context, d time.Duration) error {
			hs.mu.Lock()
			hs.waits = append(hs.waits, d)
			hs.mu.Unlock()
			return ctx.Err()
		},
		Rand: func() float64 { return 0.5 },
	}
	for _, f := range opts {
		f(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	hs.c = c
	t.Cleanup(func() { noSecrets(t, "log", strings.Join(hs.Logs(), "\n")) })
	return hs
}

func (h *harness) Logs() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.logs...)
}

func (h *harness) Waits() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.waits...)
}

func noSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range tSecrets {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains the secret %q:\n%s", what, secret, s)
		}
	}
}

// errText is everything an error could show: its text and its %+v and
// %#v forms along the chain.
func errText(err error) string {
	if err == nil {
		return ""
	}
	var b strings.Builder
	for e := err; e != nil; e = errors.Unwrap(e) {
		fmt.Fprintf(&b, "%v\n%+v\n", e, e)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		fmt.Fprintf(&b, "%#v\n", *apiErr)
	}
	return b.String()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func zisError(w http.ResponseWriter, status int, code, detail string) {
	writeJSON(w, status, map[string]any{
		"errors":  []map[string]string{{"code": code, "detail": detail, "status": fmt.Sprint(status)}},
		"message": http.StatusText(status),
	})
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

func registrationBody(key string) map[string]any {
	return map[string]any{
		"description":    "Refunds",
		"jwt_public_key": "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----",
		"zendesk_oauth_client": map[string]any{
			"id": 360001234567, "identifier": "zis_" + key, "secret": tRegSecret,
		},
	}
}

func integrations(names ...string) map[string]any {
	var list []map[string]any
	for _, n := range names {
		list = append(list, map[string]any{"name": n, "description": n,
			"zendesk_oauth_client": map[string]any{"id": 1, "identifier": "zis_" + n, "secret": tRegSecret}})
	}
	return map[string]any{"integrations": list}
}

func TestCredentialsFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := CredentialsFromEnv(env(map[string]string{EnvEmail: tEmail, EnvAPIToken: tToken}))
	if err != nil || !c.hasBasic() || c.hasBearer() || c.basicHeader() != tBasic {
		t.Errorf("basic: %v %v", c, err)
	}
	c, err = CredentialsFromEnv(env(map[string]string{EnvOAuthToken: " " + tOAuth + "\n"}))
	if err != nil || c.hasBasic() || c.bearerHeader() != tBearer {
		t.Errorf("bearer: %v %v", c, err)
	}
	c, err = CredentialsFromEnv(env(map[string]string{EnvEmail: tEmail, EnvAPIToken: tToken, EnvOAuthToken: tOAuth}))
	if err != nil || !c.hasBasic() || !c.hasBearer() {
		t.Errorf("both: %v %v", c, err)
	}
	_, err = CredentialsFromEnv(env(nil))
	if err == nil || !strings.Contains(err.Error(), EnvEmail) || !strings.Contains(err.Error(), EnvAPIToken) || !strings.Contains(err.Error(), EnvOAuthToken) {
		t.Errorf("none: %v", err)
	}
	_, err = CredentialsFromEnv(env(map[string]string{EnvAPIToken: tToken}))
	if err == nil || !strings.Contains(err.Error(), EnvEmail+" is not") {
		t.Errorf("token without email: %v", err)
	}
	noSecrets(t, "error", errText(err))
	// Printing credentials, or options that hold them, shows no secret.
	opts := ClientOptions{Subdomain: "acme", Credentials: bothCreds}
	client, err := NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	noSecrets(t, "printed credentials", fmt.Sprintf("%v %+v %#v %s %v %+v %#v %v %+v %#v", bothCreds, bothCreds, bothCreds, bothCreds, opts, opts, opts, client, client, client))
}

func TestNewClientBaseURL(t *testing.T) {
	for _, tc := range []struct {
		sub, base, want string // want "" means an error
	}{
		{"acme", "", "https://acme.zendesk.com"},
		{"ACME-2", "", "https://acme-2.zendesk.com"},
		{"evil.com/x", "", ""},
		{"", "", ""},
		{"acme", "https://proxy.example.com/zd/", "https://proxy.example.com/zd"},
		{"", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"", "http://127.1.2.3", "http://127.1.2.3"},
		{"", "http://[::1]:9000", "http://[::1]:9000"},
		{"", "http://localhost:3000", "http://localhost:3000"},
		{"", "HTTP://LOCALHOST", "http://LOCALHOST"},
		{"", "http://example.com", ""},
		{"", "http://10.0.0.1", ""},
		{"", "http://localhost.example.com", ""},
		{"", "http://127.0.0.1.nip.io", ""},
		{"", "ftp://127.0.0.1", ""},
		{"", "https://user:" + tToken + "@example.com", ""},
		{"", "https://example.com?x=1", ""},
		{"", "example.com", ""},
	} {
		c, err := NewClient(ClientOptions{Subdomain: tc.sub, BaseURL: tc.base, Credentials: bothCreds})
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("(%q, %q): no error, base %s", tc.sub, tc.base, c.base)
		case tc.want != "" && err != nil:
			t.Errorf("(%q, %q): %v", tc.sub, tc.base, err)
		case tc.want != "" && c.base.String() != tc.want:
			t.Errorf("(%q, %q): base %s, want %s", tc.sub, tc.base, c.base, tc.want)
		}
		noSecrets(t, "error", errText(err))
	}
	if _, err := NewClient(ClientOptions{Subdomain: "acme"}); err == nil {
		t.Error("no credentials: no error")
	}
	c, err := NewClient(ClientOptions{Subdomain: "acme", Credentials: bothCreds})
	if err != nil || c.timeout != DefaultTimeout || c.budget != DefaultBudget {
		t.Errorf("defaults: %v %v %v", err, c.timeout, c.budget)
	}
}

// registry is a small scripted registry for the auth tests: it records
// the Authorization of each request by endpoint.
func authRecorder(seen *sync.Map) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Method+" "+r.URL.Path, r.Header.Get("Authorization"))
		switch {
		case r.URL.Path == "/api/services/zis/registry/integrations":
			writeJSON(w, 200, integrations("other"))
		case r.URL.Path == "/api/services/zis/registry/acme":
			writeJSON(w, 200, registrationBody("acme"))
		case strings.HasSuffix(r.URL.Path, "/bundles"):
			writeJSON(w, 201, map[string]any{})
		case strings.HasSuffix(r.URL.Path, "/job_specs"):
			writeJSON(w, 200, map[string]any{"job_specs": []any{}, "meta": map[string]any{"has_more": false}})
		case strings.HasSuffix(r.URL.Path, "/install"):
			w.WriteHeader(200)
		case strings.HasSuffix(r.URL.Path, "/connections/all"):
			writeJSON(w, 200, map[string]any{"api_key": []any{}, "meta": map[string]any{"has_more": false}})
		default:
			w.WriteHeader(404)
		}
	})
}

func callAll(ctx context.Context, c *Client) map[string]error {
	errs := map[string]error{}
	_, errs["exists"] = c.IntegrationExists(ctx, "acme")
	_, errs["register"] = c.RegisterIntegration(ctx, "acme", "Refunds")
	errs["upload"] = c.UploadBundle(ctx, "acme", []byte(`{}`))
	_, errs["list job specs"] = c.ListJobSpecs(ctx, "acme")
	errs["install"] = c.InstallJobSpec(ctx, "acme", "on_create")
	errs["uninstall"] = c.UninstallJobSpec(ctx, "acme", "on_create")
	_, errs["connections"] = c.ListConnections(ctx, "acme")
	return errs
}

func TestAuthHeaders(t *testing.T) {
	endpoints := []string{
		"GET /api/services/zis/registry/integrations",
		"POST /api/services/zis/registry/acme",
		"POST /api/services/zis/registry/acme/bundles",
		"GET /api/services/zis/registry/acme/job_specs",
		"POST /api/services/zis/registry/job_specs/install",
		"DELETE /api/services/zis/registry/job_specs/install",
		"GET /api/services/zis/integrations/acme/connections/all",
	}
	for _, tc := range []struct {
		name  string
		creds Credentials
		want  string // the Authorization every endpoint gets
	}{
		{"both", bothCreds, tBasic},
		{"api token", Credentials{Email: tEmail, APIToken: tToken}, tBasic},
		{"oauth only", Credentials{OAuthToken: tOAuth}, tBearer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen sync.Map
			h := newHarness(t, authRecorder(&seen), func(o *ClientOptions) { o.Credentials = tc.creds })
			errs := callAll(context.Background(), h.c)
			for _, ep := range endpoints {
				got, sent := seen.Load(ep)
				onlyOAuth := tc.creds.OAuthToken != "" && tc.creds.APIToken == ""
				basicOnly := ep == endpoints[1] || ep == endpoints[2]
				switch {
				case onlyOAuth && basicOnly:
					if sent {
						t.Errorf("%s was sent with only an OAuth token", ep)
					}
				case !sent:
					t.Errorf("%s was not sent", ep)
				case got != tc.want:
					t.Errorf("%s: Authorization %q, want %q", ep, got, tc.want)
				}
			}
			for name, err := range errs {
				onlyOAuth := tc.creds.APIToken == ""
				if onlyOAuth && (name == "register" || name == "upload") {
					if !errors.Is(err, ErrNeedAPIToken) || !strings.Contains(err.Error(), EnvEmail) || !strings.Contains(err.Error(), EnvAPIToken) {
						t.Errorf("%s with only OAuth: %v", name, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		})
	}
}

func TestBasicRefusedFallsBackToBearer(t *testing.T) {
	var auths []string
	var mu sync.Mutex
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") != tBearer {
			zisError(w, 401, "1001", "Authorization failed")
			return
		}
		writeJSON(w, 200, map[string]any{"oauth": []map[string]string{{"name": "zendesk"}}})
	}))
	conns, err := h.c.ListConnections(context.Background(), "acme")
	if err != nil || len(conns) != 1 {
		t.Fatalf("%v %v", conns, err)
	}
	if len(auths) != 2 || auths[0] != tBasic || auths[1] != tBearer {
		t.Errorf("Authorization sent: %d requests", len(auths))
	}
	if len(h.Waits()) != 0 {
		t.Errorf("waited %v before the fallback", h.Waits())
	}
}

func TestRegister(t *testing.T) {
	var body map[string]string
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/api/services/zis/registry/acme" {
			t.Errorf("%s %s", r.Method, r.URL.Path)
		}
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		}
		json.NewDecoder(r.Body).Decode(&body)
		writeJSON(w, 200, registrationBody("acme"))
	}))
	reg, err := h.c.RegisterIntegration(context.Background(), "acme", "Refunds")
	if err != nil {
		t.Fatal(err)
	}
	if body["description"] != "Refunds" {
		t.Errorf("sent %v", body)
	}
	want := Registration{Description: "Refunds", JWTPublicKey: "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----",
		OAuthClientID: 360001234567, Identifier: "zis_acme", Secret: tRegSecret}
	if *reg != want {
		t.Errorf("got %+v", *reg)
	}
}

func TestRegisterConflict(t *testing.T) {
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		zisError(w, 409, "", "Integration already exists")
	}))
	reg, err := h.c.RegisterIntegration(context.Background(), "acme", "Refunds")
	if !errors.Is(err, ErrExists) || reg != nil {
		t.Errorf("got %v, %v", reg, err)
	}
	if len(h.Waits()) != 0 {
		t.Errorf("retried a 409: %v", h.Waits())
	}
}

func TestUploadStatuses(t *testing.T) {
	for _, status := range []int{200, 201, 204} {
		var got []byte
		h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/services/zis/registry/acme/bundles" || r.Method != "POST" {
				t.Errorf("%s %s", r.Method, r.URL.Path)
			}
			got, _ = io.ReadAll(r.Body)
			w.WriteHeader(status)
		}))
		if err := h.c.UploadBundle(context.Background(), "acme", []byte(`{"name":"x"}`)); err != nil {
			t.Errorf("%d: %v", status, err)
		}
		if string(got) != `{"name":"x"}` {
			t.Errorf("%d: sent %q", status, got)
		}
	}
}

// pagedJobSpecs serves pages keyed by the page[after] they answer.
func pagedHandler(t *testing.T, path string, pages map[string]any, queries *[]string) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			t.Errorf("path %s", r.URL.Path)
		}
		mu.Lock()
		*queries = append(*queries, r.URL.Query().Get("page[size]")+"|"+r.URL.Query().Get("page[after]"))
		mu.Unlock()
		page, ok := pages[r.URL.Query().Get("page[after]")]
		if !ok {
			zisError(w, 400, "1010", "bad cursor")
			return
		}
		writeJSON(w, 200, page)
	})
}

func jsPage(hasMore bool, after string, names ...string) map[string]any {
	var list []map[string]any
	for _, n := range names {
		list = append(list, map[string]any{"name": n, "uuid": "u-" + n, "event_source": "support",
			"event_type": "ticket.TicketCreated", "flow_name": "zis:acme:flow:f", "installed": strings.HasSuffix(n, "on")})
	}
	return map[string]any{"job_specs": list, "meta": map[string]any{"has_more": hasMore, "after": after, "before": nil}}
}

func TestListJobSpecsPagination(t *testing.T) {
	var queries []string
	h := newHarness(t, pagedHandler(t, "/api/services/zis/registry/acme/job_specs", map[string]any{
		"":   jsPage(true, "c1", "zis:acme:job_spec:a_on", "b"),
		"c1": jsPage(true, "c2", "c_on"),
		"c2": jsPage(false, "", "zis:acme:job_spec:d", "zis:other:job_spec:e"),
	}, &queries))
	specs, err := h.c.ListJobSpecs(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range specs {
		names = append(names, fmt.Sprintf("%s:%v", s.Name, s.Installed))
	}
	if got, want := strings.Join(names, " "), "a_on:true b:false c_on:true d:false zis:other:job_spec:e:false"; got != want {
		t.Errorf("names %s, want %s", got, want)
	}
	if specs[0].FlowName != "zis:acme:flow:f" || specs[0].EventType != "ticket.TicketCreated" || specs[0].UUID != "u-zis:acme:job_spec:a_on" {
		t.Errorf("fields: %+v", specs[0])
	}
	if got := strings.Join(queries, " "); got != "100| 100|c1 100|c2" {
		t.Errorf("queries %s", got)
	}
}

func TestListJobSpecsEmpty(t *testing.T) {
	var queries []string
	h := newHarness(t, pagedHandler(t, "/api/services/zis/registry/acme/job_specs", map[string]any{
		"": map[string]any{"job_specs": []any{}, "meta": map[string]any{"has_more": false}},
	}, &queries))
	specs, err := h.c.ListJobSpecs(context.Background(), "acme")
	if err != nil || specs == nil || len(specs) != 0 {
		t.Errorf("%#v %v", specs, err)
	}
}

func TestPaginationGuards(t *testing.T) {
	for name, pages := range map[string]map[string]any{
		"same cursor again": {"": jsPage(true, "c1", "a"), "c1": jsPage(true, "c1", "b")},
		"cursor loop":       {"": jsPage(true, "c1", "a"), "c1": jsPage(true, "c2", "b"), "c2": jsPage(true, "c1", "c")},
		"no cursor":         {"": jsPage(true, "", "a")},
	} {
		t.Run(name, func(t *testing.T) {
			var queries []string
			h := newHarness(t, pagedHandler(t, "/api/services/zis/registry/acme/job_specs", pages, &queries))
			specs, err := h.c.ListJobSpecs(context.Background(), "acme")
			if err == nil || specs != nil {
				t.Fatalf("got %v, %v", specs, err)
			}
			if len(queries) > 3 {
				t.Errorf("%d requests", len(queries))
			}
		})
	}
}

func TestListConnections(t *testing.T) {
	var queries []string
	h := newHarness(t, pagedHandler(t, "/api/services/zis/integrations/acme/connections/all", map[string]any{
		"": map[string]any{
			"api_key":      []map[string]any{{"name": "shop", "allowed_domain": "shop.example.com", "api_key": "*****"}},
			"basic_auth":   []map[string]any{{"name": "legacy", "allowed_domain": "*.example.org"}},
			"bearer_token": []map[string]any{},
			"oauth":        []map[string]any{{"name": "zendesk"}},
			"meta":         map[string]any{"has_more": true, "after": "n1"},
		},
		"n1": map[string]any{
			"bearer_token": []map[string]any{{"name": "slack", "allowed_domain": "slack.com"}},
			"meta":         map[string]any{"has_more": false},
		},
	}, &queries))
	conns, err := h.c.ListConnections(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	want := []Connection{
		{Name: "shop", Type: "api_key", AllowedDomain: "shop.example.com"},
		{Name: "legacy", Type: "basic_auth", AllowedDomain: "*.example.org"},
		{Name: "zendesk", Type: "oauth"},
		{Name: "slack", Type: "bearer_token", AllowedDomain: "slack.com"},
	}
	if fmt.Sprint(conns) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", conns, want)
	}
	if got := strings.Join(queries, " "); got != "100| 100|n1" {
		t.Errorf("queries %s", got)
	}
}

// installServer accepts job_spec_name only in the form accept (or any
// form when accept is ""), answering refusal to the others.
func installServer(t *testing.T, accept string, refusal int, installed map[string]bool, names *[]string) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/services/zis/registry/job_specs/install" {
			t.Errorf("path %s", r.URL.Path)
		}
		n := r.URL.Query().Get("job_spec_name")
		mu.Lock()
		defer mu.Unlock()
		*names = append(*names, r.Method+" "+n)
		qualified := strings.HasPrefix(n, "zis:")
		if accept == "qualified" && !qualified || accept == "bare" && qualified {
			zisError(w, refusal, "1010", "job spec not found")
			return
		}
		bare := n[strings.LastIndex(n, ":")+1:]
		switch r.Method {
		case "POST":
			installed[bare] = true
		case "DELETE":
			if !installed[bare] {
				zisError(w, 404, "", "job spec is not installed")
				return
			}
			delete(installed, bare)
		}
		w.WriteHeader(200)
	})
}

func TestInstallNameForms(t *testing.T) {
	ctx := context.Background()
	t.Run("qualified accepted", func(t *testing.T) {
		var names []string
		h := newHarness(t, installServer(t, "qualified", 404, map[string]bool{}, &names))
		if err := h.c.InstallJobSpec(ctx, "acme", "on_create"); err != nil {
			t.Fatal(err)
		}
		// The query is escaped on the wire and arrives intact.
		if strings.Join(names, ",") != "POST zis:acme:job_spec:on_create" {
			t.Errorf("sent %v", names)
		}
	})
	for _, refusal := range []int{404, 400} {
		t.Run(fmt.Sprintf("bare only, %d", refusal), func(t *testing.T) {
			var names []string
			installed := map[string]bool{}
			h := newHarness(t, installServer(t, "bare", refusal, installed, &names))
			if err := h.c.InstallJobSpec(ctx, "acme", "on_create"); err != nil {
				t.Fatal(err)
			}
			// The working form is remembered: the next call sends it first.
			if err := h.c.InstallJobSpec(ctx, "acme", "zis:acme:job_spec:on_update"); err != nil {
				t.Fatal(err)
			}
			want := "POST zis:acme:job_spec:on_create,POST on_create,POST on_update"
			if got := strings.Join(names, ","); got != want {
				t.Errorf("sent %s\nwant %s", got, want)
			}
			if !installed["on_create"] || !installed["on_update"] {
				t.Errorf("installed %v", installed)
			}
			if len(h.Waits()) != 0 {
				t.Errorf("waited %v", h.Waits())
			}
		})
	}
	t.Run("neither form", func(t *testing.T) {
		var names []string
		h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			names = append(names, r.URL.Query().Get("job_spec_name"))
			zisError(w, 404, "", "job spec not found")
		}))
		err := h.c.InstallJobSpec(ctx, "acme", "missing")
		var apiErr *APIError
		if err == nil || !errors.As(err, &apiErr) || apiErr.Status != 404 || len(names) != 2 {
			t.Fatalf("got %v after %v", err, names)
		}
		if !strings.Contains(err.Error(), "zis:acme:job_spec:missing") || !strings.Contains(err.Error(), "job_spec_name=missing") {
			t.Errorf("error does not show both forms: %v", err)
		}
	})
}

func TestUninstall(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, accept string
		refusal      int
		installed    bool
		wantSent     string
		wantErr      bool
	}{
		{"installed, qualified", "qualified", 404, true, "DELETE zis:acme:job_spec:j", false},
		{"installed, bare only", "bare", 404, true, "DELETE zis:acme:job_spec:j,DELETE j", false},
		{"not installed, qualified", "qualified", 400, false, "DELETE zis:acme:job_spec:j,DELETE j", false},
		{"not installed, bare only", "bare", 400, false, "DELETE zis:acme:job_spec:j,DELETE j", false},
		{"not installed, any form", "", 0, false, "DELETE zis:acme:job_spec:j,DELETE j", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var names []string
			installed := map[string]bool{"j": tc.installed}
			h := newHarness(t, installServer(t, tc.accept, tc.refusal, installed, &names))
			err := h.c.UninstallJobSpec(ctx, "acme", "j")
			if (err != nil) != tc.wantErr {
				t.Errorf("error %v", err)
			}
			if got := strings.Join(names, ","); got != tc.wantSent {
				t.Errorf("sent %s, want %s", got, tc.wantSent)
			}
			if installed["j"] {
				t.Error("still installed")
			}
		})
	}
	t.Run("400 for both forms", func(t *testing.T) {
		h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			zisError(w, 400, "1010", "invalid job spec name")
		}))
		if err := h.c.UninstallJobSpec(ctx, "acme", "j"); err == nil {
			t.Error("no error")
		}
	})
}

// failing answers the first len(faults) requests with the given faults
// (a status, or 0 to hang up) and then calls ok.
func failing(faults []int, retryAfter string, ok http.HandlerFunc) (http.Handler, *atomic.Int32) {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(faults) {
			if faults[i] == 0 {
				hangUp(w)
				return
			}
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			zisError(w, faults[i], "", "try later")
			return
		}
		ok(w, r)
	}), &n
}

func okJobSpecs(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, jsPage(false, "", "a"))
}

func TestRetry429(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name       string
		retryAfter string
		want       []time.Duration
	}{
		{"seconds", "7", []time.Duration{7 * time.Second, 7 * time.Second}},
		{"http date", now.Add(30 * time.Second).Format(http.TimeFormat), []time.Duration{30 * time.Second, 30 * time.Second}},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), []time.Duration{0, 0}},
		{"capped", "600", []time.Duration{120 * time.Second, 120 * time.Second}},
		// Without Retry-After: full-jitter backoff, here with Rand = 0.5.
		{"none", "", []time.Duration{500 * time.Millisecond, time.Second}},
		{"unreadable", "soon", []time.Duration{500 * time.Millisecond, time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			handler, n := failing([]int{429, 429}, tc.retryAfter, okJobSpecs)
			h := newHarness(t, handler, func(o *ClientOptions) { o.Budget = 5 * time.Minute })
			h.c.now = func() time.Time { return now }
			if _, err := h.c.ListJobSpecs(ctx, "acme"); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(h.Waits()) != fmt.Sprint(tc.want) || n.Load() != 3 {
				t.Errorf("waits %v after %d requests, want %v", h.Waits(), n.Load(), tc.want)
			}
		})
	}
	// 429 is retried even for a registration: it was not processed.
	handler, n := failing([]int{429}, "1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, registrationBody("acme"))
	})
	h := newHarness(t, handler)
	if _, err := h.c.RegisterIntegration(ctx, "acme", "x"); err != nil || n.Load() != 2 {
		t.Errorf("register after 429: %v after %d requests", err, n.Load())
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c, err := NewClient(ClientOptions{Subdomain: "acme", Credentials: bothCreds, Rand: func() float64 { return 0.999999 }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for attempt := 1; attempt <= 8; attempt++ {
		got = append(got, c.backoff(attempt).Round(time.Second).String())
	}
	if s := strings.Join(got, " "); s != "1s 2s 4s 8s 16s 30s 30s 30s" {
		t.Errorf("backoff ceilings %s", s)
	}
	c.rand = func() float64 { return 0 }
	if c.backoff(3) != 0 {
		t.Error("full jitter should reach 0")
	}
}

func TestRetry5xxSafeCalls(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		call func(*Client) error
		ok   http.HandlerFunc
	}{
		{"list job specs", func(c *Client) error { _, err := c.ListJobSpecs(ctx, "acme"); return err }, okJobSpecs},
		{"exists", func(c *Client) error { _, err := c.IntegrationExists(ctx, "acme"); return err },
			func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, integrations("acme")) }},
		{"upload", func(c *Client) error { return c.UploadBundle(ctx, "acme", []byte("{}")) },
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201) }},
		{"install", func(c *Client) error { return c.InstallJobSpec(ctx, "acme", "j") },
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }},
		{"uninstall", func(c *Client) error { return c.UninstallJobSpec(ctx, "acme", "j") },
			func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// 500, 502, 503, 504 and a dropped connection, then success.
			handler, n := failing([]int{500, 502, 503, 504, 0}, "", tc.ok)
			h := newHarness(t, handler)
			if err := tc.call(h.c); err != nil {
				t.Fatal(err)
			}
			if n.Load() != 6 || len(h.Waits()) != 5 {
				t.Errorf("%d requests, waits %v", n.Load(), h.Waits())
			}
		})
	}
}

func TestNoRetryOn4xx(t *testing.T) {
	handler, n := failing([]int{403, 403}, "", okJobSpecs)
	h := newHarness(t, handler)
	_, err := h.c.ListJobSpecs(context.Background(), "acme")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 403 || n.Load() != 1 {
		t.Errorf("%v after %d requests", err, n.Load())
	}
}

// registryWithFaults answers registrations with the given faults first;
// processed says whether a faulted registration took effect anyway.
func registryWithFaults(faults []int, processed bool) (http.Handler, *atomic.Int32, *atomic.Int32) {
	var mu sync.Mutex
	var posts, lists atomic.Int32
	exists := false
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/api/services/zis/registry/integrations" {
			lists.Add(1)
			if exists {
				writeJSON(w, 200, integrations("other", "acme"))
			} else {
				writeJSON(w, 200, integrations("other"))
			}
			return
		}
		i := int(posts.Add(1)) - 1
		if exists {
			zisError(w, 409, "", "exists")
			return
		}
		if i < len(faults) {
			exists = processed
			if faults[i] == 0 {
				hangUp(w)
				return
			}
			zisError(w, faults[i], "1050", "Internal error")
			return
		}
		exists = true
		writeJSON(w, 200, registrationBody("acme"))
	}), &posts, &lists
}

func TestRegistrationIsNotRetriedBlindly(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		faults    []int
		processed bool
		wantPosts int32
	}{
		{"500, processed", []int{500}, true, 1},
		{"dropped, processed", []int{0}, true, 1},
		{"502, not processed", []int{502}, false, 2},
		{"dropped, not processed", []int{0}, false, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			handler, posts, lists := registryWithFaults(tc.faults, tc.processed)
			h := newHarness(t, handler)
			reg, err := h.c.RegisterIntegration(ctx, "acme", "Refunds")
			if posts.Load() != tc.wantPosts || lists.Load() != 1 {
				t.Errorf("%d registrations and %d checks", posts.Load(), lists.Load())
			}
			logs := strings.Join(h.Logs(), "\n")
			if tc.processed {
				if !errors.Is(err, ErrExists) || reg != nil {
					t.Errorf("got %v, %v", reg, err)
				}
				if !strings.Contains(logs, "secret") || !strings.Contains(logs, "lost") {
					t.Errorf("the lost secret is not logged:\n%s", logs)
				}
			} else if err != nil || reg == nil || reg.Secret != tRegSecret {
				t.Errorf("got %v, %v", reg, err)
			}
		})
	}
	t.Run("check fails", func(t *testing.T) {
		h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "POST" {
				zisError(w, 500, "1050", "Internal error")
				return
			}
			zisError(w, 401, "1001", "Authorization failed")
		}))
		_, err := h.c.RegisterIntegration(ctx, "acme", "Refunds")
		if err == nil || errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "checking failed") {
			t.Errorf("got %v", err)
		}
	})
}

func TestConnectionErrorRetry(t *testing.T) {
	handler, n := failing([]int{0, 0}, "", okJobSpecs)
	// The default transport, keep-alives and all.
	h := newHarness(t, handler, func(o *ClientOptions) { o.HTTPClient = nil })
	specs, err := h.c.ListJobSpecs(context.Background(), "acme")
	if err != nil || len(specs) != 1 || n.Load() < 3 {
		t.Errorf("%v %v after %d requests", specs, err, n.Load())
	}
}

func TestPerRequestTimeout(t *testing.T) {
	var n atomic.Int32
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-r.Context().Done() // the first answer never comes
			return
		}
		okJobSpecs(w, r)
	}), func(o *ClientOptions) { o.Timeout = 50 * time.Millisecond })
	if _, err := h.c.ListJobSpecs(context.Background(), "acme"); err != nil || n.Load() != 2 {
		t.Errorf("%v after %d requests", err, n.Load())
	}
}

func TestBudgetExhausted(t *testing.T) {
	ctx := context.Background()
	t.Run("backoff", func(t *testing.T) {
		handler, n := failing([]int{503, 503, 503, 503, 503, 503}, "", okJobSpecs)
		h := newHarness(t, handler, func(o *ClientOptions) { o.Budget = 3 * time.Second; o.Rand = func() float64 { return 0.99 } })
		_, err := h.c.ListJobSpecs(ctx, "acme")
		var apiErr *APIError
		if !errors.Is(err, ErrBudget) || !errors.As(err, &apiErr) || apiErr.Status != 503 {
			t.Fatalf("got %v", err)
		}
		// Waits 0.99 s and 1.98 s fit in 3 s; 3.96 s does not.
		if len(h.Waits()) != 2 || n.Load() != 3 {
			t.Errorf("waits %v, %d requests", h.Waits(), n.Load())
		}
	})
	t.Run("retry-after beyond the budget", func(t *testing.T) {
		handler, n := failing([]int{429}, "90", okJobSpecs)
		h := newHarness(t, handler, func(o *ClientOptions) { o.Budget = time.Minute })
		_, err := h.c.ListJobSpecs(ctx, "acme")
		if !errors.Is(err, ErrBudget) || len(h.Waits()) != 0 || n.Load() != 1 || !strings.Contains(err.Error(), "1m30s") {
			t.Errorf("got %v, waits %v", err, h.Waits())
		}
	})
	t.Run("attempt cap", func(t *testing.T) {
		handler, n := failing([]int{503, 503, 503, 503, 503, 503, 503, 503, 503, 503}, "", okJobSpecs)
		h := newHarness(t, handler, func(o *ClientOptions) { o.Rand = func() float64 { return 0 } })
		_, err := h.c.ListJobSpecs(ctx, "acme")
		if !errors.Is(err, ErrBudget) || n.Load() != maxAttempts {
			t.Errorf("got %v after %d requests", err, n.Load())
		}
	})
}

func TestContextCancellation(t *testing.T) {
	t.Run("while waiting", func(t *testing.T) {
		handler, n := failing([]int{503, 503}, "", okJobSpecs)
		ctx, cancel := context.WithCancel(context.Background())
		h := newHarness(t, handler, func(o *ClientOptions) {
			o.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
		})
		_, err := h.c.ListJobSpecs(ctx, "acme")
		if !errors.Is(err, context.Canceled) || n.Load() != 1 {
			t.Errorf("got %v after %d requests", err, n.Load())
		}
	})
	t.Run("during a request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var n atomic.Int32
		h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			io.ReadAll(r.Body) // the server notices a closed connection only after the body
			cancel()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}))
		err := h.c.UploadBundle(ctx, "acme", []byte("{}"))
		if !errors.Is(err, context.Canceled) || n.Load() != 1 || len(h.Waits()) != 0 {
			t.Errorf("got %v after %d requests", err, n.Load())
		}
	})
	t.Run("before", func(t *testing.T) {
		var n atomic.Int32
		h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := h.c.RegisterIntegration(ctx, "acme", "x")
		if !errors.Is(err, context.Canceled) || n.Load() != 0 {
			t.Errorf("got %v after %d requests", err, n.Load())
		}
	})
	t.Run("real sleep", func(t *testing.T) {
		handler, _ := failing([]int{429}, "100", okJobSpecs)
		h := newHarness(t, handler, func(o *ClientOptions) { o.Sleep = nil })
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := h.c.ListJobSpecs(ctx, "acme")
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 10*time.Second {
			t.Errorf("got %v after %s", err, time.Since(start))
		}
	})
}

func TestRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Error("credentials reached another host")
		}
		okJobSpecs(w, r)
	}))
	defer other.Close()
	var auths []string
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Header.Get("Authorization"))
		switch r.URL.Path {
		case "/api/services/zis/registry/away/job_specs":
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
		case "/api/services/zis/registry/moved/job_specs":
			http.Redirect(w, r, "/api/services/zis/registry/here/job_specs", http.StatusFound)
		default:
			okJobSpecs(w, r)
		}
	}))
	_, err := h.c.ListJobSpecs(context.Background(), "away")
	if err == nil || !strings.Contains(err.Error(), "refused a redirect") || elsewhere.Load() != 0 || len(h.Waits()) != 0 {
		t.Errorf("cross-host redirect: %v, %d requests elsewhere, waits %v", err, elsewhere.Load(), h.Waits())
	}
	auths = nil
	if _, err := h.c.ListJobSpecs(context.Background(), "moved"); err != nil || len(auths) != 2 || auths[1] != tBasic {
		t.Errorf("same-host redirect: %v, %d requests", err, len(auths))
	}

	// A caller's client is copied, not changed.
	mine := &http.Client{}
	if _, err := NewClient(ClientOptions{Subdomain: "acme", Credentials: bothCreds, HTTPClient: mine}); err != nil || mine.CheckRedirect != nil {
		t.Errorf("the caller's client was modified: %v", err)
	}
}

func TestAPIError(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, body string
		want       APIError
	}{
		{"documented", `{"errors":[{"code":"1010","detail":"Invalid bundle","status":"400"}],"message":"Bad Request"}`,
			APIError{Status: 400, Code: "1010", Detail: "Invalid bundle", Message: "Bad Request"}},
		{"numeric code, two errors", `{"errors":[{"code":1010,"detail":"a"},{"code":1011,"title":"b"}]}`,
			APIError{Status: 400, Code: "1010", Detail: "a; b"}},
		{"zendesk shape", `{"error":"InvalidEndpoint","description":"Not found"}`,
			APIError{Status: 400, Code: "InvalidEndpoint", Detail: "Not found"}},
		{"html", "<html>\n<body>Bad   gateway</body></html>",
			APIError{Status: 400, Detail: "<html> <body>Bad gateway</body></html>"}},
		{"echoed credentials", `{"errors":[{"detail":"bad header ` + tBasic + ` for ` + tBasicPlain + ` / ` + tOAuth + `"}]}`,
			APIError{Status: 400, Detail: "bad header [REDACTED] for [REDACTED] / [REDACTED]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(400)
				io.WriteString(w, tc.body)
			}))
			err := h.c.UploadBundle(ctx, "acme", []byte("{}"))
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %v", err)
			}
			tc.want.Method, tc.want.Path = "POST", "/api/services/zis/registry/acme/bundles"
			if *apiErr != tc.want {
				t.Errorf("got  %#v\nwant %#v", *apiErr, tc.want)
			}
			noSecrets(t, "error", errText(err))
		})
	}
	e := &APIError{Status: 401, Code: "1001", Detail: "Authorization failed", Method: "GET", Path: "/x"}
	if got := e.Error(); got != "GET /x: HTTP 401 Unauthorized (code 1001): Authorization failed" {
		t.Errorf("Error() = %q", got)
	}
	// A registration's error body is never quoted raw.
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, "not json "+tRegSecret)
	}))
	_, err := h.c.RegisterIntegration(ctx, "acme", "x")
	if err == nil || strings.Contains(err.Error(), "not json") {
		t.Errorf("got %v", err)
	}
}

func TestInvalidKey(t *testing.T) {
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Errorf("sent %s", r.URL) }))
	for _, key := range []string{"", "..", "a/b", "a?b", "zis:x"} {
		if _, err := h.c.IntegrationExists(context.Background(), key); err == nil {
			t.Errorf("key %q accepted", key)
		}
		if err := h.c.InstallJobSpec(context.Background(), key, "j"); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
	if err := h.c.InstallJobSpec(context.Background(), "acme", ""); err == nil {
		t.Error("empty job spec name accepted")
	}
}

// TestNoSecretsLeak runs failures of every kind and checks that neither
// the logs nor the errors (in any format) show a credential or the
// registration secret.
func TestNoSecretsLeak(t *testing.T) {
	ctx := context.Background()
	var all strings.Builder
	record := func(h *harness, errs ...error) {
		for _, err := range errs {
			all.WriteString(errText(err))
		}
		all.WriteString(strings.Join(h.Logs(), "\n"))
		fmt.Fprintf(&all, "%v %+v\n", h.c.creds, h.c.creds)
	}
	// A hostile server that echoes the Authorization header and the
	// secret into every error body.
	echo := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			zisError(w, status, "1050", "auth was "+r.Header.Get("Authorization"))
		}
	}
	for _, status := range []int{400, 401, 404, 409, 429, 500, 503} {
		h := newHarness(t, echo(status), func(o *ClientOptions) { o.Budget = 10 * time.Second })
		errs := callAll(ctx, h.c)
		for _, err := range errs {
			record(h, err)
		}
	}
	// Registrations that succeed, that fail after taking effect, and
	// whose answer is lost.
	for _, faults := range [][]int{nil, {500}, {0}} {
		handler, _, _ := registryWithFaults(faults, true)
		h := newHarness(t, handler)
		reg, err := h.c.RegisterIntegration(ctx, "acme", "x")
		record(h, err)
		if reg != nil && reg.Secret != tRegSecret {
			t.Errorf("secret %q", reg.Secret)
		}
	}
	// A server that repeats the secret after handing it out.
	h := newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/services/zis/registry/acme" {
			writeJSON(w, 200, registrationBody("acme"))
			return
		}
		zisError(w, 502, "", "client secret "+tRegSecret)
	}))
	if _, err := h.c.RegisterIntegration(ctx, "acme", "x"); err != nil {
		t.Fatal(err)
	}
	record(h, h.c.UploadBundle(ctx, "acme", nil))
	// Redirects, hang-ups, cancellation, OAuth-only refusals.
	other := httptest.NewServer(echo(400))
	defer other.Close()
	h = newHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/?token="+tToken, http.StatusFound)
	}))
	record(h, callAll(ctx, h.c)["list job specs"])
	handler, _ := failing([]int{0, 0, 0, 0, 0, 0, 0, 0, 0}, "", okJobSpecs)
	h = newHarness(t, handler)
	record(h, callAll(ctx, h.c)["list job specs"])
	h = newHarness(t, echo(500), func(o *ClientOptions) { o.Credentials = Credentials{OAuthToken: tOAuth} })
	for _, err := range callAll(ctx, h.c) {
		record(h, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	record(h, callAll(cctx, h.c)["upload"])

	if all.Len() < 1000 {
		t.Fatalf("too little output to be a meaningful check (%d bytes)", all.Len())
	}
	noSecrets(t, "output", all.String())
	if !strings.Contains(all.String(), "[REDACTED]") {
		t.Error("the echoed credentials were not seen at all; the test is not testing")
	}
}

// The tests below run the Client against the fake registry of package
// zistest, which checks paths, credentials and the registry's rules.

const zisBundle = `{
  "zis_template_version": "2019-10-14",
  "name": "refunds",
  "description": "Refunds",
  "resources": {
    "OnCreate": {"type": "ZIS::JobSpec", "properties": {"name": "on_create", "event_source": "support", "event_type": "ticket.TicketCreated", "flow_name": "zis:refunds:flow:main"}},
    "OnUpdate": {"type": "ZIS::JobSpec", "properties": {"name": "on_update", "event_source": "support", "event_type": "ticket.StatusChanged", "flow_name": "zis:refunds:flow:main"}},
    "OnTags":   {"type": "ZIS::JobSpec", "properties": {"name": "on_tags", "event_source": "support", "event_type": "ticket.TagsChanged", "flow_name": "zis:refunds:flow:main"}}
  }
}`

type zisClient struct {
	*Client
	srv   *zistest.Server
	mu    sync.Mutex
	logs  []string
	waits []time.Duration
}

// newZisClient points a Client at a fake registry. creds picks the
// fake's credentials: "both", "basic" or "bearer". When the test ends,
// the logs are searched for every credential and every OAuth client
// secret the fake holds.
func newZisClient(t *testing.T, srv *zistest.Server, creds string) *zisClient {
	t.Helper()
	zc := &zisClient{srv: srv}
	fc := srv.Credentials()
	var cr Credentials
	switch creds {
	case "both":
		cr = Credentials{Email: fc.Email, APIToken: fc.APIToken, OAuthToken: fc.OAuthToken}
	case "basic":
		cr = Credentials{Email: fc.Email, APIToken: fc.APIToken}
	case "bearer":
		cr = Credentials{OAuthToken: fc.OAuthToken}
	}
	c, err := NewClient(ClientOptions{
		BaseURL: srv.URL(), Credentials: cr, HTTPClient: srv.Client(),
		Logf: func(format string, args ...any) {
			zc.mu.Lock()
			defer zc.mu.Unlock()
			zc.logs = append(zc.logs, fmt.Sprintf(format, args...))
		},
		Sleep: func(ctx context.Context, d time.Duration) error {
			zc.mu.Lock()
			defer zc.mu.Unlock()
			zc.waits = append(zc.waits, d)
			return ctx.Err()
		},
		Rand: func() float64 { return 0.5 },
	})
	if err != nil {
		t.Fatal(err)
	}
	zc.Client = c
	t.Cleanup(func() { zc.checkSecrets(t, strings.Join(zc.logs, "\n")) })
	return zc
}

func (zc *zisClient) checkSecrets(t *testing.T, text string) {
	t.Helper()
	fc := zc.srv.Credentials()
	secrets := []string{fc.APIToken, fc.OAuthToken, fc.BasicHeader(), strings.TrimPrefix(fc.BasicHeader(), "Basic "), fc.Email + "/token:" + fc.APIToken}
	for _, in := range zc.srv.State().Integrations {
		secrets = append(secrets, in.Secret)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("output contains the secret %q:\n%s", s, text)
		}
	}
}

func TestZistestDeployRoundTrip(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t, zistest.WithMaxPageSize(2), zistest.WithUploadStatus(201))
	zc := newZisClient(t, srv, "both")

	if ok, err := zc.IntegrationExists(ctx, "refunds"); ok || err != nil {
		t.Fatalf("exists before registering: %v %v", ok, err)
	}
	reg, err := zc.RegisterIntegration(ctx, "refunds", "Refunds")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := srv.Integration("refunds")
	want := Registration{Description: "Refunds", JWTPublicKey: st.JWTPublicKey, OAuthClientID: st.OAuthClientID, Identifier: "zis_refunds", Secret: st.Secret}
	if *reg != want {
		t.Errorf("registration %+v\nwant %+v", *reg, want)
	}
	if _, err := zc.RegisterIntegration(ctx, "refunds", "Refunds"); !errors.Is(err, ErrExists) {
		t.Errorf("second registration: %v", err)
	}
	if ok, err := zc.IntegrationExists(ctx, "refunds"); !ok || err != nil {
		t.Errorf("exists after registering: %v %v", ok, err)
	}
	if err := zc.UploadBundle(ctx, "refunds", []byte(zisBundle)); err != nil {
		t.Fatal(err)
	}
	for _, js := range []string{"on_create", "on_update", "on_tags"} {
		if err := zc.InstallJobSpec(ctx, "refunds", js); err != nil {
			t.Fatal(err)
		}
	}
	if err := zc.UninstallJobSpec(ctx, "refunds", "on_tags"); err != nil {
		t.Fatal(err)
	}
	// Not installed any more: still success.
	if err := zc.UninstallJobSpec(ctx, "refunds", "on_tags"); err != nil {
		t.Errorf("uninstalling again: %v", err)
	}
	specs, err := zc.ListJobSpecs(ctx, "refunds")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range specs {
		got[s.Name] = s.Installed
	}
	if fmt.Sprint(got) != "map[on_create:true on_tags:false on_update:true]" {
		t.Errorf("job specs %v", got)
	}
	// Two pages of at most 2.
	if calls := srv.CallsFor(zistest.OpListJobSpecs); len(calls) != 2 || calls[0].Query.Get("page[size]") != "100" || calls[1].Query.Get("page[after]") == "" {
		t.Errorf("job spec listing: %d calls", len(calls))
	}

	for _, c := range []zistest.Connection{
		{Type: zistest.ConnAPIKey, Name: "shop", AllowedDomain: "shop.example.com", HeaderName: "X-Api-Key", Secret: "conn-secret-1"},
		{Type: zistest.ConnBasicAuth, Name: "legacy", AllowedDomain: "legacy.example.com", Username: "u", Secret: "conn-secret-2"},
		{Type: zistest.ConnBearerToken, Name: "slack", AllowedDomain: "slack.com", Secret: "conn-secret-3"},
		{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "acme.zendesk.com", Secret: "conn-secret-4"},
		{Type: zistest.ConnOAuth, Name: "zoom", AllowedDomain: "zoom.us", Secret: "conn-secret-5"},
	} {
		srv.SeedConnection("refunds", c)
	}
	conns, err := zc.ListConnections(ctx, "refunds")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(conns); got != "[{shop api_key shop.example.com} {legacy basic_auth legacy.example.com} {slack bearer_token slack.com} {zendesk oauth acme.zendesk.com} {zoom oauth zoom.us}]" {
		t.Errorf("connections %s", got)
	}

	for _, call := range srv.Calls() {
		if call.Auth != zistest.AuthBasic {
			t.Errorf("%s %s sent %s auth", call.Method, call.Path, call.Auth)
		}
		if call.Op == zistest.OpInstall && call.Query.Get("job_spec_name") != "zis:refunds:job_spec:"+strings.TrimPrefix(call.Query.Get("job_spec_name"), "zis:refunds:job_spec:") {
			t.Errorf("install sent %q", call.Query.Get("job_spec_name"))
		}
	}
	if c := srv.Counters(); c.Registrations != 1 || c.Uploads != 1 || c.Installs != 3 {
		t.Errorf("counters %+v", c)
	}
	if len(zc.waits) != 0 {
		t.Errorf("waited %v", zc.waits)
	}
}

func TestZistestOAuthOnly(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t, zistest.WithQualifiedJobSpecNames())
	zc := newZisClient(t, srv, "bearer")
	if _, err := zc.RegisterIntegration(ctx, "refunds", "x"); !errors.Is(err, ErrNeedAPIToken) {
		t.Errorf("register: %v", err)
	}
	if err := zc.UploadBundle(ctx, "refunds", []byte(zisBundle)); !errors.Is(err, ErrNeedAPIToken) {
		t.Errorf("upload: %v", err)
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	srv.SeedIntegration("refunds", "Refunds")
	srv.SeedBundle("refunds", []byte(zisBundle))
	if err := zc.InstallJobSpec(ctx, "refunds", "on_create"); err != nil {
		t.Fatal(err)
	}
	specs, err := zc.ListJobSpecs(ctx, "refunds")
	if err != nil || len(specs) != 3 || specs[0].Name != "on_create" || !specs[0].Installed {
		t.Errorf("qualified names are not made bare: %+v %v", specs, err)
	}
	for _, call := range srv.Calls() {
		if call.Auth != zistest.AuthBearer {
			t.Errorf("%s %s sent %s auth", call.Method, call.Path, call.Auth)
		}
	}
}

func TestZistestTokenOfAnotherIntegration(t *testing.T) {
	srv := zistest.New(t, zistest.WithOAuthToken("scoped-oauth-token-1234", "other"))
	srv.SeedIntegration("refunds", "Refunds")
	c, err := NewClient(ClientOptions{BaseURL: srv.URL(), Credentials: Credentials{OAuthToken: "scoped-oauth-token-1234"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListConnections(context.Background(), "refunds")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || !strings.Contains(err.Error(), "integration mismatch") {
		t.Errorf("got %v", err)
	}
	if strings.Contains(errText(err), "scoped-oauth-token-1234") {
		t.Errorf("the error shows the token: %v", err)
	}
}

func TestZistestFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("registration processed, then 500", func(t *testing.T) {
		srv := zistest.New(t)
		zc := newZisClient(t, srv, "basic")
		srv.QueueFaults(zistest.OpRegister, zistest.Fault{Status: 500, AfterProcessing: true})
		_, err := zc.RegisterIntegration(ctx, "refunds", "x")
		if !errors.Is(err, ErrExists) {
			t.Fatalf("got %v", err)
		}
		if c := srv.Counters(); c.Registrations != 1 || len(srv.CallsFor(zistest.OpRegister)) != 1 {
			t.Errorf("registered %d times in %d requests", c.Registrations, len(srv.CallsFor(zistest.OpRegister)))
		}
		if !strings.Contains(strings.Join(zc.logs, "\n"), "secret") {
			t.Errorf("no word of the lost secret: %v", zc.logs)
		}
	})
	t.Run("registration dropped unprocessed", func(t *testing.T) {
		srv := zistest.New(t)
		zc := newZisClient(t, srv, "basic")
		srv.QueueFaults(zistest.OpRegister, zistest.Fault{Drop: true})
		reg, err := zc.RegisterIntegration(ctx, "refunds", "x")
		if err != nil || reg.Secret == "" {
			t.Fatalf("got %v", err)
		}
		if c := srv.Counters(); c.Registrations != 1 || len(srv.CallsFor(zistest.OpListIntegrations)) != 1 {
			t.Errorf("counters %+v", c)
		}
	})
	t.Run("rate limited install, dropped upload", func(t *testing.T) {
		srv := zistest.New(t)
		zc := newZisClient(t, srv, "basic")
		srv.SeedIntegration("refunds", "x")
		srv.QueueFaults(zistest.OpUpload, zistest.Fault{Drop: true, AfterProcessing: true}, zistest.Fault{Status: 502})
		srv.QueueFaults(zistest.OpInstall, zistest.Fault{Status: 429, RetryAfter: "3"}, zistest.Fault{Status: 503})
		if err := zc.UploadBundle(ctx, "refunds", []byte(zisBundle)); err != nil {
			t.Fatal(err)
		}
		if err := zc.InstallJobSpec(ctx, "refunds", "on_create"); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(zc.waits) != "[500ms 1s 3s 1s]" {
			t.Errorf("waits %v", zc.waits)
		}
		if st, _ := srv.Integration("refunds"); !st.JobSpecs[0].Installed {
			t.Errorf("state %+v", st.JobSpecs)
		}
	})
	t.Run("lenient uninstall", func(t *testing.T) {
		srv := zistest.New(t, zistest.WithUninstallNotInstalledOK(), zistest.WithInstallStatus(204))
		zc := newZisClient(t, srv, "both")
		srv.SeedIntegration("refunds", "x")
		srv.SeedBundle("refunds", []byte(zisBundle))
		if err := zc.UninstallJobSpec(ctx, "refunds", "on_create"); err != nil || len(srv.Calls()) != 1 {
			t.Errorf("got %v in %d requests", err, len(srv.Calls()))
		}
	})
	t.Run("slow answer", func(t *testing.T) {
		srv := zistest.New(t)
		srv.SeedIntegration("refunds", "x")
		srv.QueueFaults(zistest.OpListJobSpecs, zistest.Fault{Delay: time.Second})
		c, err := NewClient(ClientOptions{BaseURL: srv.URL(), Credentials: Credentials{OAuthToken: srv.Credentials().OAuthToken},
			Timeout: 50 * time.Millisecond, Sleep: func(context.Context, time.Duration) error { return nil }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ListJobSpecs(ctx, "refunds"); err != nil || len(srv.CallsFor(zistest.OpListJobSpecs)) != 2 {
			t.Errorf("got %v", err)
		}
	})
}
