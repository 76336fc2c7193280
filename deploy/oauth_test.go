package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zislint/zislint/deploy/zistest"
)

// oauthClient is a Client with only the fake's OAuth client, whose clock
// tests can move and whose logs and learned secrets are kept.
type oauthClient struct {
	*Client
	srv     *zistest.Server
	mu      sync.Mutex
	logs    []string
	learned []string
	clock   time.Time
}

func newOAuthClient(t *testing.T, srv *zistest.Server, creds Credentials) *oauthClient {
	t.Helper()
	oc := &oauthClient{srv: srv, clock: time.Date(2027, 5, 1, 9, 0, 0, 0, time.UTC)}
	c, err := NewClient(ClientOptions{
		BaseURL: srv.URL(), Credentials: creds, HTTPClient: srv.Client(),
		Logf: func(format string, args ...any) {
			oc.mu.Lock()
			defer oc.mu.Unlock()
			oc.logs = append(oc.logs, fmt.Sprintf(format, args...))
		},
		OnSecret: func(s string) {
			oc.mu.Lock()
			defer oc.mu.Unlock()
			oc.learned = append(oc.learned, s)
		},
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time {
		oc.mu.Lock()
		defer oc.mu.Unlock()
		return oc.clock
	}
	oc.Client = c
	t.Cleanup(func() { oc.checkSecrets(t, "the logs", strings.Join(oc.logs, "\n")) })
	return oc
}

func clientCreds(srv *zistest.Server) Credentials {
	fc := srv.Credentials()
	return Credentials{ClientID: fc.ClientID, ClientSecret: fc.ClientSecret}
}

func (oc *oauthClient) advance(d time.Duration) {
	oc.mu.Lock()
	defer oc.mu.Unlock()
	oc.clock = oc.clock.Add(d)
}

// checkSecrets fails when text holds the client secret, an access token
// or a ZIS OAuth token the fake gave out.
func (oc *oauthClient) checkSecrets(t *testing.T, what, text string) {
	t.Helper()
	secrets := append([]string{oc.srv.Credentials().ClientSecret}, oc.srv.AccessTokens()...)
	for _, z := range oc.srv.ZISTokens() {
		secrets = append(secrets, z.Token)
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contain the secret %q:\n%s", what, s, text)
		}
	}
}

func TestClientCredentialsDeploy(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t)
	oc := newOAuthClient(t, srv, clientCreds(srv))
	target, err := NewTarget("production", "acme", "refunds", []byte(zisBundle))
	if err != nil {
		t.Fatal(err)
	}
	p, err := MakePlan(ctx, oc, target)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(ctx, oc, p, ApplyOptions{}); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if c := srv.Counters(); c.Registrations != 1 || c.Uploads != 1 || c.Installs != 3 {
		t.Errorf("counters %+v; want one registration, one upload, three installs", c)
	}
	grants := srv.CallsFor(zistest.OpOAuthToken)
	if len(grants) != 1 {
		t.Fatalf("%d token requests; one token serves the whole run", len(grants))
	}
	var grant map[string]string
	if err := json.Unmarshal(grants[0].Body, &grant); err != nil || grant["grant_type"] != "client_credentials" ||
		grant["client_id"] != zistest.DefaultClientID || grant["scope"] != DefaultScope || grants[0].Auth != zistest.AuthNone {
		t.Errorf("token request %s (auth %s, err %v)", grants[0].Body, grants[0].Auth, err)
	}
	for _, call := range srv.Calls() {
		if call.Op != zistest.OpOAuthToken && call.Auth != zistest.AuthBearer {
			t.Errorf("%s %s sent %s auth; want the access token as Bearer", call.Method, call.Path, call.Auth)
		}
	}
	if got := srv.AccessTokens(); len(oc.learned) != 1 || oc.learned[0] != got[0] {
		t.Errorf("OnSecret got %d secrets; want the access token, once", len(oc.learned))
	}
	oc.checkSecrets(t, "the plan", fmt.Sprintf("%+v", p))
}

func TestAccessTokenRenewedBeforeExpiry(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t, zistest.WithTokenLifetime(300))
	srv.SeedIntegration("refunds", "Refunds")
	oc := newOAuthClient(t, srv, clientCreds(srv))
	for _, step := range []struct {
		advance time.Duration
		grants  int
	}{{0, 1}, {3 * time.Minute, 1}, {2 * time.Minute, 2}, {time.Minute, 2}} {
		oc.advance(step.advance)
		if _, err := oc.ListJobSpecs(ctx, "refunds"); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.CallsFor(zistest.OpOAuthToken)); n != step.grants {
			t.Errorf("after %s more: %d token requests, want %d", step.advance, n, step.grants)
		}
	}
	for _, call := range srv.Calls() {
		if call.Status == http.StatusUnauthorized {
			t.Errorf("%s %s was refused: the token should be renewed before it expires", call.Method, call.Path)
		}
	}
}

func TestAccessTokenRenewedOnFirst401(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t, zistest.WithTokenLifetime(0))
	oc := newOAuthClient(t, srv, clientCreds(srv))
	if _, err := oc.RegisterIntegration(ctx, "refunds", "Refunds"); err != nil {
		t.Fatal(err)
	}
	srv.ExpireAccessTokens()
	if err := oc.UploadBundle(ctx, "refunds", []byte(zisBundle)); err != nil {
		t.Fatalf("upload after the token expired: %v", err)
	}
	if n := len(srv.CallsFor(zistest.OpOAuthToken)); n != 2 {
		t.Errorf("%d token requests; want a second one after the 401", n)
	}
	uploads := srv.CallsFor(zistest.OpUpload)
	if len(uploads) != 2 || uploads[0].Status != 401 || uploads[1].Status != 200 {
		t.Errorf("uploads %+v; want one refused, then one stored", uploads)
	}
	if len(oc.learned) != 2 {
		t.Errorf("OnSecret got %d secrets; want both access tokens", len(oc.learned))
	}
}

func TestRefusedBearerNamesEndpointAndCredential(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t, zistest.WithRegistryRefusesOAuth())
	oc := newOAuthClient(t, srv, clientCreds(srv))
	_, err := oc.RegisterIntegration(ctx, "refunds", "Refunds")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 {
		t.Fatalf("got %v; want a 401", err)
	}
	for _, want := range []string{"POST /api/services/zis/registry/refunds", EnvEmail, EnvAPIToken, APITokenCutoff, EnvScope} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error lacks %q: %v", want, err)
		}
	}
	// Renewed once, not in a loop.
	if n := len(srv.CallsFor(zistest.OpOAuthToken)); n != 2 {
		t.Errorf("%d token requests; want 2", n)
	}
	oc.checkSecrets(t, "the error", errText(err))
}

func TestTokenGrantRefused(t *testing.T) {
	srv := zistest.New(t)
	creds := clientCreds(srv)
	creds.ClientSecret = "wrong-SECRET-client-3e7f"
	oc := newOAuthClient(t, srv, creds)
	_, err := oc.ListJobSpecs(context.Background(), "refunds")
	if err == nil || !strings.Contains(err.Error(), EnvClientID) || !strings.Contains(err.Error(), "POST /oauth/tokens") ||
		!strings.Contains(err.Error(), "invalid_client") {
		t.Errorf("got %v; want the token request named with the variables to check", err)
	}
	if strings.Contains(errText(err), creds.ClientSecret) {
		t.Errorf("the error shows the client secret: %v", err)
	}
	if n := len(srv.Calls()); n != 1 {
		t.Errorf("%d requests; a refused client is not retried and nothing else is sent", n)
	}
}

// TestTokenRequestStaysOnHost: the client secret goes to the base URL's
// host only; a redirect of the token request is not followed.
func TestTokenRequestStaysOnHost(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer other.Close()
	var paths []string
	var mu sync.Mutex
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.Path)
		mu.Unlock()
		http.Redirect(w, r, other.URL+"/oauth/tokens", http.StatusTemporaryRedirect)
	}))
	defer home.Close()
	c, err := NewClient(ClientOptions{BaseURL: home.URL, Credentials: Credentials{ClientID: "ci", ClientSecret: "cs-SECRET-5a1b"},
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListJobSpecs(context.Background(), "refunds")
	if err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("got %v; want the redirect refused", err)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
	if len(paths) != 1 || paths[0] != "POST /oauth/tokens" {
		t.Errorf("requests %v; want only the token request, to the base URL", paths)
	}
}

func TestObtainIntegrationToken(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t, zistest.WithMaxPageSize(2))
	for _, key := range []string{"alpha", "beta", "gamma", "refunds", "zeta"} {
		srv.SeedIntegration(key, key)
	}
	oc := newOAuthClient(t, srv, clientCreds(srv))
	revoke, err := oc.ObtainIntegrationToken(ctx, "refunds")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.CallsFor(zistest.OpListOAuthClients)); n < 2 {
		t.Errorf("%d pages of clients read; the listing is paginated", n)
	}
	toks := srv.ZISTokens()
	if len(toks) != 1 || toks[0].Integration != "refunds" || toks[0].Revoked {
		t.Fatalf("tokens %+v; want one live token of refunds", toks)
	}
	if got := oc.zisHeader("refunds"); got != "Bearer "+toks[0].Token {
		t.Error("the created token is not the integration's ZIS OAuth token")
	}
	var create map[string]map[string]any
	json.Unmarshal(srv.CallsFor(zistest.OpCreateOAuthToken)[0].Body, &create)
	if id, _ := create["token"]["client_id"].(float64); int64(id) != mustIntegration(t, srv, "refunds").OAuthClientID {
		t.Errorf("token created for client %v", create["token"]["client_id"])
	}
	// Where the admin credential is refused, even renewed, the created
	// token is tried.
	srv.QueueFaults(zistest.OpListConnections, zistest.Fault{Status: 401}, zistest.Fault{Status: 401})
	if _, err := oc.ListConnections(ctx, "refunds"); err != nil {
		t.Errorf("connections with the created token: %v", err)
	}
	if n := len(srv.CallsFor(zistest.OpListConnections)); n != 3 || !strings.Contains(strings.Join(oc.logs, "\n"), "trying the ZIS OAuth token") {
		t.Errorf("%d connection requests, logs %q; want the admin token, a renewed one, then the ZIS OAuth token", n, oc.logs)
	}
	if err := revoke(); err != nil {
		t.Fatal(err)
	}
	if toks := srv.ZISTokens(); !toks[0].Revoked {
		t.Error("the token was not revoked")
	}
	if err := revoke(); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if slicesContain(oc.learned, toks[0].Token) == false {
		t.Error("OnSecret did not get the ZIS OAuth token")
	}
}

func TestObtainIntegrationTokenSkipped(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t)
	srv.SeedIntegration("refunds", "Refunds")
	given := clientCreds(srv)
	given.OAuthToken = "given-zis-token-1234"
	for name, creds := range map[string]Credentials{"given": given, "no admin": {OAuthToken: "given-zis-token-1234"}} {
		oc := newOAuthClient(t, srv, creds)
		revoke, err := oc.ObtainIntegrationToken(ctx, "refunds")
		if err != nil || revoke() != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d requests; with a ZIS OAuth token given, none is created", n)
	}
	oc := newOAuthClient(t, srv, clientCreds(srv))
	if _, err := oc.ObtainIntegrationToken(ctx, "unregistered"); !errors.Is(err, ErrNoOAuthClient) || !strings.Contains(err.Error(), "zis_unregistered") {
		t.Errorf("unregistered integration: %v", err)
	}
}

// TestCreatedTokenBelongsToItsIntegration: the fake refuses a ZIS OAuth
// token for another integration, and the error says which to use.
func TestCreatedTokenBelongsToItsIntegration(t *testing.T) {
	ctx := context.Background()
	srv := zistest.New(t)
	srv.SeedIntegration("refunds", "Refunds")
	srv.SeedIntegration("other", "Other")
	admin := newOAuthClient(t, srv, clientCreds(srv))
	if _, err := admin.ObtainIntegrationToken(ctx, "refunds"); err != nil {
		t.Fatal(err)
	}
	zis := newOAuthClient(t, srv, Credentials{OAuthToken: srv.ZISTokens()[0].Token})
	if _, err := zis.ListConnections(ctx, "refunds"); err != nil {
		t.Errorf("own integration: %v", err)
	}
	_, err := zis.ListConnections(ctx, "other")
	if err == nil || !strings.Contains(err.Error(), "integration mismatch") || !strings.Contains(err.Error(), "belong to integration other") {
		t.Errorf("other integration: %v", err)
	}
	zis.checkSecrets(t, "the error", errText(err))
}

func mustIntegration(t *testing.T, srv *zistest.Server, key string) zistest.Integration {
	t.Helper()
	in, ok := srv.Integration(key)
	if !ok {
		t.Fatalf("no integration %s", key)
	}
	return in
}

func slicesContain(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestCredentialsFromEnvOrder(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	all := map[string]string{EnvClientID: "ci", EnvClientSecret: " cs-SECRET-91 ", EnvAccessToken: "at-SECRET-12",
		EnvEmail: tEmail, EnvAPIToken: tToken, EnvOAuthToken: tOAuth}
	for _, tc := range []struct {
		drop []string
		want adminKind
	}{
		{nil, adminClient},
		{[]string{EnvClientSecret}, adminAccessToken},
		{[]string{EnvClientID, EnvAccessToken}, adminAPIToken},
		{[]string{EnvClientID, EnvAccessToken, EnvEmail}, adminNone},
	} {
		m := map[string]string{}
		for k, v := range all {
			m[k] = v
		}
		for _, k := range tc.drop {
			delete(m, k)
		}
		c, err := CredentialsFromEnv(env(m))
		if err != nil || c.admin() != tc.want {
			t.Errorf("without %v: admin %d, err %v; want %d", tc.drop, c.admin(), err, tc.want)
		}
		warned := strings.Contains(strings.Join(c.Warnings(), " "), APITokenCutoff)
		if warned != (tc.want == adminAPIToken) {
			t.Errorf("without %v: warnings %q", tc.drop, c.Warnings())
		}
		for _, s := range []string{"cs-SECRET-91", "at-SECRET-12", tToken, tOAuth} {
			if strings.Contains(fmt.Sprintf("%v %+v %#v", c, c, c), s) {
				t.Errorf("printed credentials show %q", s)
			}
		}
	}
	c, _ := CredentialsFromEnv(env(all))
	if c.ClientSecret != "cs-SECRET-91" || c.scope() != DefaultScope {
		t.Errorf("secret %q trimmed? scope %q", c.ClientSecret, c.scope())
	}
	c, _ = CredentialsFromEnv(env(map[string]string{EnvClientID: "ci", EnvClientSecret: "cs", EnvScope: "read"}))
	if c.scope() != "read" {
		t.Errorf("scope %q; want ZENDESK_OAUTH_SCOPE", c.scope())
	}
	for _, half := range []map[string]string{{EnvClientID: "ci"}, {EnvClientSecret: "cs-SECRET-91"}} {
		_, err := CredentialsFromEnv(env(half))
		if err == nil || !strings.Contains(err.Error(), EnvClientID) || !strings.Contains(err.Error(), EnvClientSecret) ||
			strings.Contains(err.Error(), "cs-SECRET-91") {
			t.Errorf("half a client %v: %v", half, err)
		}
	}
}

// TestTokenEndpointEchoIsRedacted: a token endpoint that repeats the
// client secret in its error, or a token in a later error, shows neither.
func TestTokenEndpointEchoIsRedacted(t *testing.T) {
	const secret, token = "cs-SECRET-echo-77f1", "at-SECRET-echo-90ab"
	var refused atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tokenPath {
			if refused.Load() {
				writeJSON(w, 400, map[string]string{"error": "invalid_client", "error_description": "client_secret " + secret + " is wrong"})
				return
			}
			writeJSON(w, 200, map[string]any{"access_token": token, "expires_in": "3600"})
			return
		}
		zisError(w, 403, "1010", "token "+r.Header.Get("Authorization")+" may not do this; raw "+token[:10])
	}))
	defer srv.Close()
	c, err := NewClient(ClientOptions{BaseURL: srv.URL, Credentials: Credentials{ClientID: "ci", ClientSecret: secret},
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := c.ListJobSpecs(context.Background(), "refunds")
	refused.Store(true)
	c.access.token = "" // force a new token request
	_, err2 := c.ListJobSpecs(context.Background(), "refunds")
	for _, err := range []error{err1, err2} {
		text := errText(err)
		if err == nil || strings.Contains(text, secret) || strings.Contains(text, token) || strings.Contains(text, token[:10]) {
			t.Errorf("error %v", err)
		}
	}
	if !strings.Contains(errText(err1), "ZENDESK_OAUTH_SCOPE") {
		t.Errorf("a 403 to the access token does not say what to check: %v", err1)
	}
}

// TestRevokeOutlivesTheRun: revoke works after the run's context ended,
// as it has when a signal stopped the deploy.
func TestRevokeOutlivesTheRun(t *testing.T) {
	srv := zistest.New(t)
	srv.SeedIntegration("refunds", "Refunds")
	oc := newOAuthClient(t, srv, clientCreds(srv))
	ctx, cancel := context.WithCancel(context.Background())
	revoke, err := oc.ObtainIntegrationToken(ctx, "refunds")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := revoke(); err != nil {
		t.Fatalf("revoke after the run was cancelled: %v", err)
	}
	if toks := srv.ZISTokens(); len(toks) != 1 || !toks[0].Revoked {
		t.Errorf("tokens %+v; want revoked", toks)
	}
	if got := oc.zisHeader("refunds"); got != oc.creds.bearerHeader() {
		t.Error("the revoked token is still sent")
	}
}
