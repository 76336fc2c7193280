package zisfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zislint/zislint/deploy/zistest"
)

func TestParseArgs(t *testing.T) {
	zendesk := Connection{Integration: "acme_refunds_dev", Connection: zistest.Connection{
		Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com", Secret: "zisfake-connection-secret"}}
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{name: "defaults", want: Options{Addr: "127.0.0.1:8080", ClientID: zistest.DefaultClientID, ClientSecret: zistest.DefaultClientSecret}},
		{
			name: "everything",
			args: []string{"-addr", "127.0.0.1:0", "-client-id", "local", "-client-secret", "s", "-integration", "a", "-integration", "b",
				"-connection", "acme_refunds_dev:zendesk:oauth:*.zendesk.com", "-connection", "a:api:api_key:localhost:9000", "-dump"},
			want: Options{Addr: "127.0.0.1:0", ClientID: "local", ClientSecret: "s", Integrations: []string{"a", "b"}, Dump: true,
				Connections: []Connection{zendesk, {Integration: "a", Connection: zistest.Connection{
					Type: zistest.ConnAPIKey, Name: "api", AllowedDomain: "localhost:9000", Secret: "zisfake-connection-secret"}}}},
		},
		{name: "too few parts", args: []string{"-connection", "a:zendesk:oauth"}, wantErr: "integration:name:type:allowed_domain"},
		{name: "empty name", args: []string{"-connection", "a::oauth:x.com"}, wantErr: "integration:name:type:allowed_domain"},
		{name: "unknown type", args: []string{"-connection", "a:z:password:x.com"}, wantErr: `connection type "password"`},
		{name: "empty secret", args: []string{"-client-secret", ""}, wantErr: "must not be empty"},
		{name: "argument", args: []string{"extra"}, wantErr: `unexpected argument "extra"`},
		{name: "unknown flag", args: []string{"-port", "1"}, wantErr: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseArgs(tt.args, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v; want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
	var usage bytes.Buffer
	if _, err := ParseArgs([]string{"-h"}, &usage); !errors.Is(err, flag.ErrHelp) || !strings.Contains(usage.String(), "-connection") {
		t.Errorf("-h: %v\n%s", err, usage.String())
	}
}

func TestNewFakeSeeds(t *testing.T) {
	o, err := ParseArgs([]string{"-integration", "acme_refunds_dev", "-connection", "acme_refunds_dev:zendesk:oauth:*.zendesk.com",
		"-connection", "other:api:api_key:api.example.com"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	fake, err := o.NewFake()
	if err != nil {
		t.Fatal(err)
	}
	st := Snapshot(fake)
	want := []Integration{
		{Key: "acme_refunds_dev", OAuthClient: "zis_acme_refunds_dev", Resources: []Resource{}, JobSpecs: []JobSpec{},
			Connections: []ConnectionSummary{{Type: "oauth", Name: "zendesk", AllowedDomain: "*.zendesk.com"}}},
		{Key: "other", OAuthClient: "zis_other", Resources: []Resource{}, JobSpecs: []JobSpec{},
			Connections: []ConnectionSummary{{Type: "api_key", Name: "api", AllowedDomain: "api.example.com"}}},
	}
	if diff := cmp.Diff(want, st.Integrations); diff != "" {
		t.Errorf("seeded state (-want +got):\n%s", diff)
	}

	bad := Options{ClientID: "c", ClientSecret: "s", Integrations: []string{"Not A Key"}}
	if _, err := bad.NewFake(); err == nil || !strings.Contains(err.Error(), "invalid integration key") {
		t.Errorf("NewFake with a bad key: %v", err)
	}
}

// TestHandlerLogsAndShowsState sends a token request and a registry call
// through the handler: each gets one log line with its method, path and
// status, and neither the client secret nor the token issued is logged.
func TestHandlerLogsAndShowsState(t *testing.T) {
	o := Options{ClientID: "local", ClientSecret: "local-secret-5e1f", Connections: []Connection{{Integration: "app",
		Connection: zistest.Connection{Type: zistest.ConnOAuth, Name: "zendesk", AllowedDomain: "*.zendesk.com", Secret: "conn-secret-77"}}}}
	fake, err := o.NewFake()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	srv := httptest.NewServer(Handler(fake, log.New(&logs, "", 0)))
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/oauth/tokens?client_secret=local-secret-5e1f", "application/json",
		strings.NewReader(`{"grant_type":"client_credentials","client_id":"local","client_secret":"local-secret-5e1f","scope":"read write"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok.AccessToken == "" {
		t.Fatalf("no access token (status %d)", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/services/zis/integrations/app/connections/all", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// A path with a terminal escape is logged escaped.
	if resp, err = http.Get(srv.URL + "/x%1b%5b2J"); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get(srv.URL + StatePath)
	if err != nil {
		t.Fatal(err)
	}
	var st State
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || len(st.Integrations) != 1 || len(st.Integrations[0].Connections) != 1 {
		t.Errorf("state: %v, %+v", err, st)
	}

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	wantPrefixes := []string{
		"POST /oauth/tokens 200 ",
		"GET /api/services/zis/integrations/app/connections/all 200 ",
		"GET /x%1b%5b2J 404 ",
		"GET /_zisfake/state 200 ",
	}
	if len(lines) != len(wantPrefixes) {
		t.Fatalf("log lines:\n%s\nwant %d", logs.String(), len(wantPrefixes))
	}
	for i, want := range wantPrefixes {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("log line %d = %q; want it to start %q", i, lines[i], want)
		}
	}
	if strings.Contains(logs.String(), "\x1b") {
		t.Error("the log holds a raw escape character")
	}
	for _, secret := range []string{"local-secret-5e1f", tok.AccessToken, "conn-secret-77"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds the secret %q", secret)
		}
	}
	if strings.Contains(mustJSON(t, st), "conn-secret-77") {
		t.Error("the state holds the connection's secret")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStartAndStop(t *testing.T) {
	var logs bytes.Buffer
	r, err := Start(Options{Addr: "127.0.0.1:0", ClientID: "c", ClientSecret: "s"}, &syncWriter{w: &logs})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(r.URL() + "/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d; want the fake's 404", resp.StatusCode)
	}
	if err := r.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if _, err := http.Get(r.URL() + "/nowhere"); err == nil {
		t.Error("the server still answers after Stop")
	}
	if !strings.Contains(logs.String(), "GET /nowhere 404 ") {
		t.Errorf("log:\n%s\nwant the request's line", logs.String())
	}
	if _, err := Start(Options{Addr: "127.0.0.1:bad", ClientID: "c", ClientSecret: "s"}, io.Discard); err == nil {
		t.Error("Start on a bad address gave no error")
	}
}

// syncWriter lets the server's goroutines log into a buffer the test
// reads.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// TestRunStopsAndDumps runs the server until its context ends, as
// SIGINT ends it in the command, and checks the banner and the dump.
func TestRunStopsAndDumps(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, logs bytes.Buffer
	o := Options{Addr: "127.0.0.1:0", ClientID: "local", ClientSecret: "s", Integrations: []string{"app"}, Dump: true}
	if err := Run(ctx, o, &stdout, &logs); err != nil {
		t.Fatal(err)
	}
	var st State
	if err := json.Unmarshal(stdout.Bytes(), &st); err != nil || len(st.Integrations) != 1 || st.Integrations[0].Key != "app" {
		t.Errorf("dump: %v\n%s", err, stdout.String())
	}
	for _, want := range []string{"listening on http://127.0.0.1:", "ZENDESK_OAUTH_CLIENT_ID=local", "stopping"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log:\n%s\nwant %q", logs.String(), want)
		}
	}
	if strings.Contains(logs.String(), "SECRET=s\n") {
		t.Errorf("the secret given with -client-secret was repeated:\n%s", logs.String())
	}
}
